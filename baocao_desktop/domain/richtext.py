"""Narrative text: the one storage form of a section's rich text and its parser.

Stored as a light markup so that the CLI, JSON and tests can read and write it:
  paragraphs separated by a newline; **bold**, *italic*, __underline__;
  a footnote is [^text of the footnote] (a newline inside it separates footnote paragraphs);
  a backslash escapes * _ [ ] and itself;
  a table (a "free table": one the template does not define) is a block of lines of its own:
    [table header]          ("[table]" when its first row is not a header row)
    | Chỉ tiêu | Kế hoạch |  (one line per row; a cell holds runs and footnotes; a backslash before | keeps it in the cell)
    | **Lúa** | 100 |
    [/table]
  Serialised text always escapes "[", so these lines never occur in text written without a table, and
  markup from before tables existed reads exactly as it did.
The editor (ui/), the exporter (document/) and the checks all go through `parse`/`serialize`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

SPECIAL = "*_[]\\"
_PLAIN = re.compile(r"[^*_\[\]\\\n]*")  # a run of characters that are never markup
_CELL_PLAIN = re.compile(r"[^*_\[\]\\\n|]*")  # the same inside a table cell, where | ends the cell
_CONTENT = re.compile(r"[^\s*_\[\]^\\]")  # any character that is text, not markup or space
_TABLE_OPEN = re.compile(r"\[table( header)?\][ \t]*(?:\n|$)")
_TABLE_CLOSE = "[/table]"


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False

    def same_format(self, other: "Run") -> bool:
        return (self.bold, self.italic, self.underline) == (other.bold, other.italic, other.underline)


@dataclass(frozen=True)
class Footnote:
    paragraphs: tuple[tuple[Run, ...], ...] = field(default_factory=tuple)

    def plain_text(self) -> str:
        return "\n".join("".join(r.text for r in p) for p in self.paragraphs)


@dataclass(frozen=True)
class Table:
    """A free table in the text: rows of cells, each cell one paragraph of runs and footnotes; `header`:
    the first row is the header row (bold in the editor, repeated on every printed page).
    In a list of paragraphs a table is a paragraph of its own whose only item is the Table."""
    rows: tuple[tuple[tuple, ...], ...] = ()
    header: bool = False

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def cell_texts(self) -> list[list[str]]:
        """The plain text of every cell (footnotes left out), rows padded to the same width."""
        width = self.columns
        return [[_cell_plain(cell) for cell in row] + [""] * (width - len(row)) for row in self.rows]

    def footnotes(self) -> list[Footnote]:
        return [item for row in self.rows for cell in row for item in cell if isinstance(item, Footnote)]


_TOTAL_LABEL = re.compile(r"\s*(?:tổng cộng|tổng số|tổng|cộng)\s*[:.]?\s*", re.IGNORECASE)


def is_total_label(text: str) -> bool:
    """A row label that makes a free table's row a total row: the whole label is "Tổng", "Tổng cộng",
    "Tổng số" or "Cộng" ("Tổng số đảng viên" is a row of its own, not the sum of the others)."""
    return bool(_TOTAL_LABEL.fullmatch(text or ""))


def looks_like_header(rows) -> bool:
    """Whether a table's first row, as another program wrote it, is its header row: there are rows under it
    and all its text is bold (Word's usual header, when it does not say so itself)."""
    if len(rows) < 2:
        return False
    runs = [x for cell in rows[0] for x in cell if isinstance(x, Run) and x.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _cell_plain(cell) -> str:
    return "".join(item.text for item in cell if isinstance(item, Run))


def table_of(paragraph) -> Table | None:
    """The table a paragraph is, or None for a paragraph of text."""
    return paragraph[0] if len(paragraph) == 1 and isinstance(paragraph[0], Table) else None


Inline = Run | Footnote
Paragraph = tuple[Inline, ...]  # or (Table,): see Table


def normalize(text: str) -> str:
    """NFC, and Windows/Mac line ends to \n (Unikey and pasted PDF text can be NFD)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def escape(text: str) -> str:
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in text)


def parse(markup: str | None) -> list[Paragraph]:
    """Markup → paragraphs of runs and footnotes. Never fails: unbalanced markers simply end."""
    if not markup:
        return []
    text = normalize(markup)
    body, _pos, _stop = _parse_runs(text, 0, in_footnote=False)
    return body


def _parse_table(text: str, pos: int, header: bool) -> tuple[Table, int]:
    """The rows after "[table]" up to "[/table]" (or the end). Returns (table, pos after it)."""
    rows: list[tuple] = []
    n = len(text)
    while pos < n:
        if text.startswith(_TABLE_CLOSE, pos):
            pos += len(_TABLE_CLOSE)
            end = text.find("\n", pos)
            pos = n if end < 0 else end + 1
            break
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] == "|":
            pos += 1
        cells: list[tuple] = []
        while True:
            cell, pos, stop = _parse_runs(text, pos, in_footnote=False, in_cell=True)
            content = strip_items(cell[0] if cell else ())
            if stop == "|":
                cells.append(content)
                rest = text.find("\n", pos)
                rest = n if rest < 0 else rest
                if not text[pos:rest].strip():  # "|" ended the row
                    pos = min(rest + 1, n)
                    break
                continue
            if content:  # a last cell without its closing "|"
                cells.append(content)
            break
        if cells:
            rows.append(tuple(cells))
    return Table(tuple(rows), header), pos


def strip_items(items) -> tuple:
    """A paragraph's (or a cell's) items without the spaces around them: empty runs and runs of spaces at
    either end dropped, the first run's leading and the last run's trailing spaces cut."""
    items = [i for i in items if not isinstance(i, Run) or i.text]
    while items and isinstance(items[0], Run) and not items[0].text.strip():
        items.pop(0)
    while items and isinstance(items[-1], Run) and not items[-1].text.strip():
        items.pop()
    if items and isinstance(items[0], Run):
        r = items[0]
        items[0] = Run(r.text.lstrip(), r.bold, r.italic, r.underline)
    if items and isinstance(items[-1], Run):
        r = items[-1]
        items[-1] = Run(r.text.rstrip(), r.bold, r.italic, r.underline)
    return tuple(items)


def _parse_runs(text: str, pos: int, in_footnote: bool, in_cell: bool = False):
    """Parse until end of text (or the closing ']' of a footnote, or the "|" or line end that ends a table
    cell). Returns (paragraphs, pos, the character that stopped it or "")."""
    paragraphs: list[Paragraph] = []
    current: list[Inline] = []
    buf: list[str] = []
    bold = italic = underline = False

    def flush():
        if buf:
            _append_run(current, Run("".join(buf), bold, italic, underline))
            buf.clear()

    n = len(text)
    plain = _CELL_PLAIN if in_cell else _PLAIN
    while pos < n:
        # plain text up to the next marker is taken in one step (the scan runs in C)
        match = plain.match(text, pos)
        if match.end() > pos:
            buf.append(match.group())
            pos = match.end()
            continue
        ch = text[pos]
        if ch == "\\" and pos + 1 < n:
            buf.append(text[pos + 1])
            pos += 2
            continue
        if ch == "*" and text.startswith("**", pos):
            flush()
            bold = not bold
            pos += 2
            continue
        if ch == "*":
            flush()
            italic = not italic
            pos += 1
            continue
        if ch == "_" and text.startswith("__", pos):
            flush()
            underline = not underline
            pos += 2
            continue
        if in_cell and ch in "|\n":
            flush()
            return [tuple(current)], pos + 1, ch
        if ch == "[" and not in_footnote and not in_cell and not current and not buf and \
                (pos == 0 or text[pos - 1] == "\n"):
            opening = _TABLE_OPEN.match(text, pos)
            if opening is not None:
                table, pos = _parse_table(text, opening.end(), bool(opening.group(1)))
                if table.rows:
                    paragraphs.append((table,))
                if pos >= n:
                    return paragraphs, pos, ""
                continue
        if ch == "[" and text.startswith("[^", pos) and not in_footnote:
            flush()
            note_paragraphs, pos, _stop = _parse_runs(text, pos + 2, in_footnote=True)
            current.append(Footnote(tuple(note_paragraphs)))
            continue
        if ch == "]" and in_footnote:
            flush()
            paragraphs.append(tuple(current))
            return _trim_paragraphs(paragraphs), pos + 1, "]"
        if ch == "\n":
            flush()
            paragraphs.append(tuple(current))
            current = []
            pos += 1
            continue
        buf.append(ch)
        pos += 1
    flush()
    if in_cell:
        return [tuple(current)], pos, ""
    paragraphs.append(tuple(current))
    if in_footnote:
        return _trim_paragraphs(paragraphs), pos, ""
    # a trailing newline does not make an empty last paragraph
    if paragraphs and paragraphs[-1] == () and len(paragraphs) > 1:
        paragraphs.pop()
    if paragraphs == [()]:
        return [], pos, ""
    return paragraphs, pos, ""


def _trim_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    return [tuple(r for r in p if isinstance(r, Run)) for p in paragraphs if p]


def _append_run(current: list[Inline], run: Run) -> None:
    if current and isinstance(current[-1], Run) and current[-1].same_format(run):
        prev = current[-1]
        current[-1] = Run(prev.text + run.text, prev.bold, prev.italic, prev.underline)
    else:
        current.append(run)


def _serialize_runs(runs, in_cell: bool = False) -> str:
    """Emit a marker only where the format changes: every marker is a toggle, and at most one
    "*" and one "**" meet at a change, so 1, 2 or 3 stars always read back unambiguously."""
    out: list[str] = []
    state = (False, False, False)  # bold, italic, underline

    def switch_to(target) -> None:
        nonlocal state
        marks = ""
        if state[0] != target[0]:
            marks += "**"
        if state[1] != target[1]:
            marks += "*"
        if state[2] != target[2]:
            marks += "__"
        out.append(marks)
        state = target

    for run in runs:
        if isinstance(run, Footnote):
            out.append("[^" + "\n".join(_serialize_runs(p) for p in run.paragraphs) + "]")
            continue
        if not run.text:
            continue
        switch_to((run.bold, run.italic, run.underline))
        out.append(escape(run.text).replace("|", "\\|").replace("\n", " ") if in_cell else escape(run.text))
    switch_to((False, False, False))
    return "".join(out)


def _serialize_table(table: Table) -> str:
    lines = ["[table header]" if table.header else "[table]"]
    for row in table.rows:
        lines.append("| " + " | ".join(_serialize_runs(cell, in_cell=True) for cell in row) + " |")
    lines.append(_TABLE_CLOSE)
    return "\n".join(lines)


def _clean_items(paragraph) -> tuple:
    """A paragraph's items NFC, adjacent runs of the same format merged, empty runs dropped."""
    items: list[Inline] = []
    for item in paragraph:
        if isinstance(item, Run):
            if item.text:
                _append_run(items, Run(normalize(item.text), item.bold, item.italic, item.underline))
        elif isinstance(item, Footnote):
            items.append(Footnote(tuple(tuple(r for r in p if isinstance(r, Run) and r.text)
                                        for p in item.paragraphs)))
    return tuple(items)


def serialize(paragraphs: list[Paragraph]) -> str:
    """Paragraphs → markup; adjacent runs of the same format are merged."""
    out: list[str] = []
    for paragraph in paragraphs:
        table = table_of(paragraph)
        if table is not None:
            rows = tuple(tuple(_clean_items(cell) for cell in row) for row in table.rows if row)
            if rows:
                out.append(_serialize_table(Table(rows, table.header)))
            continue
        out.append(_serialize_runs(_clean_items(paragraph)))
    return "\n".join(out)


def plain_text(markup: str | None, with_footnotes: bool = False) -> str:
    """Text without formatting; footnotes dropped, or appended in brackets."""
    lines = []
    for paragraph in parse(markup):
        table = table_of(paragraph)
        if table is not None:  # one line, so that paragraph numbers stay those of parse()
            lines.append(" / ".join(" | ".join(row) for row in table.cell_texts()))
            continue
        parts = []
        for item in paragraph:
            if isinstance(item, Run):
                parts.append(item.text)
            elif with_footnotes and isinstance(item, Footnote):
                parts.append(" (" + item.plain_text().replace("\n", " ") + ")")
        lines.append("".join(parts))
    return "\n".join(lines)


def footnotes(markup: str | None) -> list[Footnote]:
    """Every footnote in reading order, those in table cells included."""
    out: list[Footnote] = []
    for paragraph in parse(markup):
        for item in paragraph:
            if isinstance(item, Footnote):
                out.append(item)
            elif isinstance(item, Table):
                out.extend(item.footnotes())
    return out


def tables(markup: str | None) -> list[Table]:
    """The free tables of a text, in order."""
    return [table for table in map(table_of, parse(markup)) if table is not None]


def holds_table(markup: str | None) -> bool:
    """Whether a text has a table's opening marker. Cheap: one "[" is found far faster than "[table" in
    Vietnamese text, and most texts have no "[" at all (the checks of an import ask this of every text)."""
    return bool(markup) and "[" in markup and "[table" in markup


def is_empty(markup: str | None) -> bool:
    """No text at all, footnotes included (cheap: no parse; checks call it for every section)."""
    if not markup:
        return True
    # the markers are no text: an empty grid is no content ("[" first: see holds_table)
    if "[" in markup and "[table" in markup and "[/table]" in markup:
        return not any(table.footnotes() or any(any(row) for row in table.cell_texts())
                       if (table := table_of(p)) is not None else _CONTENT.search(serialize([p])) is not None
                       for p in parse(markup))
    return _CONTENT.search(markup) is None
