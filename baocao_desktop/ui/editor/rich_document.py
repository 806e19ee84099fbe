"""The narrative's text as Qt holds it: a QTextDocument converted to and from domain.richtext markup.

What the user sees through it: bold, italic, underline and footnote markers in the text, free tables as
grids, and what a paste from Word or a web page keeps. One conversion path only: QTextDocument →
list[Paragraph] → richtext.serialize, and richtext.parse → list[Paragraph] → QTextDocument. Footnotes live
in the document as a small superscript marker "[1]" whose character format carries the footnote's markup
in a user property. A free table (richtext.Table) is a QTextTable; its header flag is the table's header
row count; a cell is one paragraph (paragraphs typed in a cell are joined by a space when read back).
Pasted HTML (Word, web pages) is reduced to paragraphs with bold/italic/underline, tables, and Word's
footnotes (its references and footnote list become footnotes).
"""
from __future__ import annotations

import itertools
import re
import unicodedata

from PySide6.QtCore import QMimeData
from PySide6.QtGui import (QBrush, QColor, QFont, QTextBlock, QTextBlockFormat, QTextCharFormat, QTextCursor,
                           QTextDocument, QTextFormat, QTextFrameFormat, QTextLength, QTextTableFormat)

from ...domain import richtext
from ...domain.richtext import Footnote, Paragraph, Run, Table, table_of

_USER = int(QTextFormat.Property.UserProperty.value)
FOOTNOTE_PROPERTY = _USER + 1  # markup of the footnote's own text
FOOTNOTE_ID_PROPERTY = _USER + 2  # keeps two adjacent footnotes apart
MARKUP_MIME = "application/x-baocao-markup"
MARKER_COLOR = QColor("#1a5fb4")
HEADER_FILL = QColor("#e8eef7")  # the header row of a free table in the editor (printed as the format says)

_ids = itertools.count(1)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad\ufffc"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")


# == formats =====================================================================================
def is_bold(fmt: QTextCharFormat) -> bool:
    return fmt.fontWeight() > QFont.Weight.Medium.value


def is_footnote(fmt: QTextCharFormat) -> bool:
    return fmt.hasProperty(FOOTNOTE_PROPERTY)


def run_format(bold: bool = False, italic: bool = False, underline: bool = False) -> QTextCharFormat:
    """A plain character format with exactly these three attributes (nothing inherited)."""
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold.value if bold else QFont.Weight.Normal.value)
    fmt.setFontItalic(italic)
    fmt.setFontUnderline(underline)
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignNormal)
    return fmt


def footnote_markup(text: str) -> str:
    """Plain footnote text typed in the dialog (one paragraph per line) → footnote markup."""
    lines = [line.strip() for line in richtext.normalize(text).split("\n")]
    return richtext.serialize([(Run(line),) for line in lines if line])


def footnote_plain(markup: str) -> str:
    return richtext.plain_text(markup)


def marker_format(markup: str, footnote_id: int | None = None) -> QTextCharFormat:
    fmt = run_format()
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
    fmt.setForeground(MARKER_COLOR)
    fmt.setProperty(FOOTNOTE_PROPERTY, markup)
    fmt.setProperty(FOOTNOTE_ID_PROPERTY, footnote_id or next(_ids))
    fmt.setToolTip("Chú thích: " + footnote_plain(markup) + "\n(Nhấp đúp để sửa)")
    return fmt


def without_footnote(fmt: QTextCharFormat) -> QTextCharFormat:
    """The format to keep typing with after a footnote marker."""
    clean = QTextCharFormat(fmt)
    for prop in (FOOTNOTE_PROPERTY, FOOTNOTE_ID_PROPERTY, QTextFormat.Property.TextToolTip.value,
                 QTextFormat.Property.ForegroundBrush.value):
        clean.clearProperty(prop)
    clean.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignNormal)
    clean.setFontWeight(QFont.Weight.Normal.value)
    return clean


# == document → paragraphs =======================================================================
def table_at(block: QTextBlock):
    """The QTextTable a block is a cell paragraph of, or None."""
    return QTextCursor(block).currentTable()


def units(doc: QTextDocument):
    """The document in the order of its markup paragraphs: ("block", block) for a paragraph of text,
    ("table", table) once for each table. The empty paragraphs Qt keeps around a table (a table cannot
    start or end a document) are no paragraphs of the markup and are left out."""
    block = doc.begin()
    while block.isValid():
        table = table_at(block)
        if table is not None:
            yield "table", table
            block = doc.findBlock(table.lastPosition() + 1)
            continue
        if block.length() <= 1 and (table_at(block.next()) is not None if block.next().isValid() else False):
            block = block.next()
            continue
        prev = block.previous()
        if block.length() <= 1 and prev.isValid() and table_at(prev) is not None:
            block = block.next()
            continue
        yield "block", block
        block = block.next()


def _block_items(block: QTextBlock, start: int, end: int, foreign: bool) -> list[list]:
    """The items of one block within start..end: a list of paragraphs (a Shift+Enter line break starts one)."""
    paragraphs: list[list] = [[]]
    last_footnote = None
    for it in block:
        frag = it.fragment()
        if not frag.isValid():
            continue
        f_start, f_text = frag.position(), frag.text()
        lo, hi = max(start, f_start), min(end, f_start + len(f_text))
        if hi <= lo:
            continue
        fmt = frag.charFormat()
        if is_footnote(fmt) and not foreign:
            fid = fmt.property(FOOTNOTE_ID_PROPERTY)
            if fid != last_footnote:
                note = richtext.parse(str(fmt.property(FOOTNOTE_PROPERTY) or ""))
                paragraphs[-1].append(Footnote(tuple(note)))
            last_footnote = fid
            continue
        last_footnote = None
        link = fmt.isAnchor() or bool(fmt.anchorHref())
        if foreign and link and fmt.verticalAlignment() == QTextCharFormat.VerticalAlignment.AlignSuperScript:
            continue  # a footnote reference of another program ("[1]" linking to text we do not paste)
        text = f_text[lo - f_start:hi - f_start]
        underline = fmt.fontUnderline() and not (foreign and link)
        pieces = text.split("\u2028")  # Shift+Enter / <br>: a new paragraph in our markup
        for i, piece in enumerate(pieces):
            if i:
                paragraphs.append([])
            piece = piece.replace("\ufffc", "")  # images and other objects
            if piece:
                paragraphs[-1].append(Run(piece, is_bold(fmt), fmt.fontItalic(), underline))
    return paragraphs


def _cell_items(doc: QTextDocument, cell, foreign: bool) -> tuple:
    """One cell's content as one paragraph: the paragraphs typed in it joined by a space."""
    items: list = []
    block = doc.findBlock(cell.firstPosition())
    while block.isValid() and block.position() <= cell.lastPosition():
        for paragraph in _block_items(block, 0, 1 << 30, foreign):
            if paragraph:
                if items:
                    items.append(Run(" "))
                items.extend(paragraph)
        block = block.next()
    return tuple(items)


def table_paragraph(doc: QTextDocument, table, foreign: bool = False) -> Table:
    """A QTextTable as a richtext Table (a cell spanned over by a merged cell is empty)."""
    rows = []
    for r in range(table.rows()):
        row = []
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            row.append(_cell_items(doc, cell, foreign) if (cell.row(), cell.column()) == (r, c) else ())
        rows.append(tuple(row))
    header = table.format().headerRowCount() > 0
    return Table(tuple(rows), header or (foreign and richtext.looks_like_header(rows)))


def document_paragraphs(doc: QTextDocument, start: int = 0, end: int | None = None,
                        foreign: bool = False) -> list[Paragraph]:
    """The paragraphs of `doc` (or of the range start..end): runs with bold/italic/underline, footnotes,
    tables (a table the range touches is taken whole, unless the range is inside one of its cells).

    `foreign` is for documents built from pasted HTML: no footnotes of ours there, and link underlines
    are not the author's underline.
    """
    if end is None:
        end = doc.characterCount() - 1
    paragraphs: list[Paragraph] = []
    for kind, unit in units(doc):
        if kind == "table":
            if unit.lastPosition() < start or unit.firstPosition() > end:
                continue
            cell = unit.cellAt(start)
            if cell.isValid() and cell == unit.cellAt(end) and start > 0 and end < doc.characterCount() - 1 \
                    and (start, end) != (0, doc.characterCount() - 1):
                # a selection inside one cell: its text
                block = doc.findBlock(start)
                while block.isValid() and block.position() <= end:
                    paragraphs.extend(tuple(p) for p in _block_items(block, start, end, foreign))
                    block = block.next()
                continue
            paragraphs.append((table_paragraph(doc, unit, foreign),))
            continue
        block = unit
        pos, length = block.position(), block.length()
        if pos > end:
            break
        if pos + length - 1 < start:
            continue
        paragraphs.extend(tuple(p) for p in _block_items(block, start, end, foreign))
    while paragraphs and not paragraphs[-1]:
        paragraphs.pop()
    return paragraphs


def document_markup(doc: QTextDocument) -> str:
    return richtext.serialize(document_paragraphs(doc))


def plain_paragraphs(paragraphs: list[Paragraph]) -> tuple[str, ...]:
    """The text the proofreader reads of each paragraph: its runs (footnotes left out), NFC."""
    return tuple(richtext.normalize("".join(item.text for item in paragraph if isinstance(item, Run)))
                 for paragraph in paragraphs)


def _nfc_spans(chars: list[tuple[str, int]]) -> list[tuple[int, int]]:
    """(start, end) in the document of each character of the NFC form of `chars` ((character, position)).
    Text typed with some Vietnamese keyboards is decomposed (a letter, then its marks): each composed
    character then covers its whole cluster."""
    def width(ch: str) -> int:  # document positions count UTF-16 units
        return 2 if ord(ch) > 0xFFFF else 1

    text = "".join(ch for ch, _ in chars)
    if unicodedata.is_normalized("NFC", text):
        return [(pos, pos + width(ch)) for ch, pos in chars]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(chars):
        j = i + 1
        while j < len(chars) and unicodedata.combining(chars[j][0]):
            j += 1
        start, end = chars[i][1], chars[j - 1][1] + width(chars[j - 1][0])
        spans += [(start, end)] * len(unicodedata.normalize("NFC", text[i:j]))
        i = j
    return spans


def text_spans(doc: QTextDocument, wanted: set[int] | None = None) -> dict[int, list[tuple[int, int]]]:
    """Paragraph index (as in `document_paragraphs`, i.e. in the stored markup) → the document span of each
    character of its plain text (`plain_paragraphs`): where the proofreader's offsets fall in `doc`.
    Only the paragraphs in `wanted` (all when None) are mapped."""
    out: dict[int, list[tuple[int, int]]] = {}
    index = 0
    for kind, block in units(doc):
        if kind == "table":  # a table is one paragraph of the markup; nothing in it is proofread
            if wanted is None or index in wanted:
                out[index] = []
            index += 1
            continue
        chars: list[tuple[str, int]] = []
        for it in block:
            frag = it.fragment()
            if not frag.isValid() or is_footnote(frag.charFormat()):
                continue
            text = frag.text()
            if wanted is not None and "\u2028" not in text and index not in wanted:
                continue  # nothing to map here: skip the character loop
            pos = frag.position()
            for ch in text:
                if ch == "\u2028":
                    if wanted is None or index in wanted:
                        out[index] = _nfc_spans(chars)
                    index, chars = index + 1, []
                elif ch != "\ufffc":
                    chars.append((ch, pos))
                pos += 2 if ord(ch) > 0xFFFF else 1
        if wanted is None or index in wanted:
            out[index] = _nfc_spans(chars)
        index += 1
    return out


def text_range(spans: list[tuple[int, int]], start: int | None, end: int | None) -> tuple[int, int] | None:
    """Document range of the plain-text offsets start..end of one paragraph (`text_spans`); the whole
    paragraph when the offsets are missing."""
    if not spans:
        return None
    start = 0 if start is None else max(0, min(start, len(spans) - 1))
    end = len(spans) if end is None else max(start + 1, min(end, len(spans)))
    return spans[start][0], spans[end - 1][1]


# == paragraphs → document =======================================================================
def insert_paragraphs(cursor: QTextCursor, paragraphs: list[Paragraph]) -> None:
    """Insert at the cursor: the first paragraph joins the current block, the others start new ones; a
    table goes where it is, the text after it in the paragraph after the table."""
    cursor.beginEditBlock()
    after_table = False
    for index, paragraph in enumerate(paragraphs):
        table = table_of(paragraph)
        if table is not None:
            if cursor.currentTable() is not None:  # no table in a table: its cells as text
                _insert_items(cursor, [Run(" / ".join(" | ".join(row) for row in table.cell_texts()))])
                continue
            insert_table(cursor, table)
            after_table = True
            continue
        if index and not after_table:
            cursor.insertBlock()
        after_table = False
        _insert_items(cursor, paragraph)
    cursor.endEditBlock()


def _insert_items(cursor: QTextCursor, items) -> None:
    for item in items:
        if isinstance(item, Run):
            cursor.insertText(item.text, run_format(item.bold, item.italic, item.underline))
        elif isinstance(item, Footnote):
            markup = richtext.serialize(list(item.paragraphs))
            cursor.insertText("[*]", marker_format(markup))
    cursor.setCharFormat(run_format())


def table_format(header: bool, columns: int) -> QTextTableFormat:
    """How a free table looks in the editor: ruled cells across the text's width."""
    fmt = QTextTableFormat()
    fmt.setBorder(1)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(QBrush(QColor("#8a94a6")))
    fmt.setBorderCollapse(True)
    fmt.setCellSpacing(0)
    fmt.setCellPadding(4)
    fmt.setTopMargin(4)
    fmt.setBottomMargin(8)
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 100 / max(columns, 1))] * columns)
    fmt.setHeaderRowCount(1 if header else 0)
    return fmt


def shade_header(table) -> None:
    """Tint the header row (or clear the tint when the table has none), so the clerk sees which row repeats."""
    header = table.format().headerRowCount() > 0
    for r in range(table.rows()):
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            fmt = cell.format().toTableCellFormat()
            if r == 0 and header:
                fmt.setBackground(QBrush(HEADER_FILL))
            else:
                fmt.clearBackground()
            cell.setFormat(fmt)


def insert_table(cursor: QTextCursor, table: Table):
    """A free table at the cursor (a new paragraph when the cursor is inside text); the cursor ends in the
    paragraph after it. Returns the QTextTable."""
    columns = max(table.columns, 1)
    if cursor.block().length() > 1 and not cursor.atBlockStart():
        cursor.insertBlock()
    qt_table = cursor.insertTable(max(len(table.rows), 1), columns, table_format(table.header, columns))
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            cell_cursor = qt_table.cellAt(r, c).firstCursorPosition()
            _insert_items(cell_cursor, cell)
    shade_header(qt_table)
    cursor.setPosition(qt_table.lastPosition() + 1)
    cursor.setCharFormat(run_format())
    return qt_table


def paragraph_format() -> QTextBlockFormat:
    """Space between paragraphs, as in the printed report (never stored: markup has no layout)."""
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(6)
    fmt.setLineHeight(112, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    return fmt


def set_document_markup(doc: QTextDocument, markup: str | None) -> None:
    """Replace the content without an undo step (loading is not an edit)."""
    doc.setUndoRedoEnabled(False)
    doc.clear()
    cursor = QTextCursor(doc)
    cursor.setBlockFormat(paragraph_format())  # new paragraphs (Enter, paste) copy it
    insert_paragraphs(cursor, richtext.parse(markup))
    renumber_footnotes(doc, join_undo=False)
    doc.setUndoRedoEnabled(True)
    doc.setModified(False)


def footnote_ranges(doc: QTextDocument) -> list[tuple[int, int, QTextCharFormat]]:
    """(start, end, format) of every footnote marker, in document order."""
    out: list[tuple[int, int, QTextCharFormat]] = []
    block = doc.begin()
    while block.isValid():
        for it in block:
            frag = it.fragment()
            if not frag.isValid() or not is_footnote(frag.charFormat()):
                continue
            fmt = frag.charFormat()
            start, end = frag.position(), frag.position() + frag.length()
            if out and out[-1][1] == start and out[-1][2].property(FOOTNOTE_ID_PROPERTY) == \
                    fmt.property(FOOTNOTE_ID_PROPERTY):
                out[-1] = (out[-1][0], end, out[-1][2])
            else:
                out.append((start, end, fmt))
        block = block.next()
    return out


def renumber_footnotes(doc: QTextDocument, join_undo: bool = True) -> bool:
    """Make the markers read [1], [2], … in order. Returns whether anything changed.

    With `join_undo` the change joins the user's last edit, so undo never stops on a renumbering.
    """
    ranges = footnote_ranges(doc)
    raw = doc.toRawText()  # positions as the document counts them (tables included)
    wrong = [(i, r) for i, r in enumerate(ranges, 1) if raw[r[0]:r[1]] != f"[{i}]"]
    if not wrong:
        return False
    cursor = QTextCursor(doc)
    if join_undo and doc.isUndoAvailable():
        cursor.joinPreviousEditBlock()
    else:
        cursor.beginEditBlock()
    for number, (start, end, fmt) in reversed(wrong):
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(f"[{number}]", fmt)
    cursor.endEditBlock()
    return True


# == pasted content ==============================================================================
def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text)


def clean_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """NFC, NBSP → space, no zero-width characters, collapsed spaces, no empty paragraphs (in table cells
    too; a table without text is dropped)."""
    out: list[Paragraph] = []
    for paragraph in paragraphs:
        table = table_of(paragraph)
        if table is not None:
            rows = tuple(tuple((clean_paragraphs([cell]) or [()])[0] for cell in row) for row in table.rows)
            rows = tuple(row for row in rows if any(row))
            if rows:
                out.append((Table(rows, table.header),))
            continue
        items: list = []
        for item in paragraph:
            if isinstance(item, Run):
                text = clean_text(item.text)
                if text:
                    items.append(Run(text, item.bold, item.italic, item.underline))
            else:
                items.append(item)
        items = richtext.strip_items(items)  # the paragraph's outer spaces
        if items:
            out.append(items)
    return out


# Word's clipboard HTML: a footnote reference is <a style='mso-footnote-id:ftn1' href="#_ftn1" name="_ftnref1">
# (endnotes: edn), and the notes follow the text in <div style='mso-element:footnote-list'>, each in
# <div style='mso-element:footnote' id=ftn1> starting with a link back (href="#_ftnref1").
_NOTE_REF = re.compile(r"""<a\b[^>]*?href\s*=\s*["']?[^"'\s>]*#_(ftn|edn)(\d+)["'\s>][^>]*>.*?</a\s*>""",
                       re.IGNORECASE | re.DOTALL)
_NOTE_BACK = re.compile(r"""<a\b[^>]*?href\s*=\s*["']?[^"'\s>]*#_(?:ftn|edn)ref\d+["'\s>][^>]*>.*?</a\s*>""",
                        re.IGNORECASE | re.DOTALL)
_NOTE_DIV = re.compile(r"""<div\b[^>]*?\bid\s*=\s*["']?(ftn|edn)(\d+)["'\s>][^>]*>(.*?)</div\s*>""",
                       re.IGNORECASE | re.DOTALL)
_NOTE_LIST = re.compile(r"""<div\b[^>]*mso-element\s*:\s*(?:foot|end)note-list[^>]*>""", re.IGNORECASE)
_NOTE_MARK = re.compile("\ue000(ftn|edn)(\\d+)\ue001")  # where a reference was, until its note is put there


def _word_notes(html: str) -> tuple[str, dict[str, Footnote]]:
    """Take Word's footnotes out of pasted HTML: the text with a mark where each reference was, and the
    notes by id ("ftn1"). HTML without them comes back unchanged."""
    if "_ftn" not in html and "_edn" not in html and "mso-footnote" not in html:
        return html, {}
    notes: dict[str, Footnote] = {}

    def take(match: re.Match) -> str:
        body = _NOTE_BACK.sub("", match.group(3))
        paragraphs = clean_paragraphs([tuple(x for x in p if isinstance(x, Run)) for p in _html_paragraphs(body)
                                       if table_of(p) is None])
        if paragraphs:
            notes[match.group(1).lower() + match.group(2)] = Footnote(tuple(paragraphs))
        return ""

    html = _NOTE_DIV.sub(take, html)
    html = _NOTE_LIST.sub("<div>", html)
    html = _NOTE_REF.sub(lambda m: f"\ue000{m.group(1).lower()}{m.group(2)}\ue001", html)
    return html, notes


def _place_notes(items, notes: dict[str, Footnote]) -> tuple:
    """Put each note where its mark is (a mark without its note, as when only part of the text was copied,
    is dropped: never a "[1]" in the text)."""
    out: list = []
    for item in items:
        if not isinstance(item, Run) or "\ue000" not in item.text:
            out.append(item)
            continue
        pos = 0
        for match in _NOTE_MARK.finditer(item.text):
            if match.start() > pos:
                out.append(Run(item.text[pos:match.start()], item.bold, item.italic, item.underline))
            note = notes.get(match.group(1) + match.group(2))
            if note is not None:
                out.append(note)
            pos = match.end()
        if pos < len(item.text):
            out.append(Run(item.text[pos:], item.bold, item.italic, item.underline))
    return tuple(out)


def _html_paragraphs(html: str) -> list[Paragraph]:
    doc = QTextDocument()
    doc.setHtml(html)
    return document_paragraphs(doc, foreign=True)


def paragraphs_from_html(html: str) -> list[Paragraph]:
    """Pasted HTML → paragraphs: runs, tables, and Word's footnotes as footnotes."""
    html, notes = _word_notes(html)
    paragraphs = _html_paragraphs(html)
    if "\ue000" in html:
        placed = []
        for paragraph in paragraphs:
            table = table_of(paragraph)
            if table is None:
                placed.append(_place_notes(paragraph, notes))
            else:
                placed.append((Table(tuple(tuple(_place_notes(cell, notes) for cell in row) for row in table.rows),
                                     table.header),))
        paragraphs = placed
    return clean_paragraphs(paragraphs)


def paragraphs_from_text(text: str) -> list[Paragraph]:
    lines = richtext.normalize(text).split("\n")
    return clean_paragraphs([(Run(line),) for line in lines])


def paragraphs_from_mime(source: QMimeData) -> list[Paragraph]:
    if source.hasFormat(MARKUP_MIME):
        markup = bytes(source.data(MARKUP_MIME)).decode("utf-8", "replace")
        return richtext.parse(markup)
    if source.hasHtml():
        return paragraphs_from_html(source.html())
    if source.hasText():
        return paragraphs_from_text(source.text())
    return []
