"""Import an existing Word report (.docx) as a new report of a chosen template.

The file's headings are matched to the template's sections by their number and by title similarity
(case, diacritics and punctuation ignored; numbering alone is not enough when the titles differ
widely). A heading is a Heading style, a bold or italic numbered line, or a plain one judged by its
numbering and context (templates.headings, shared with the outline reader; detect_headings). Text under a matched heading becomes that section's narrative, in the one markup of
domain.richtext: bold, italic and underline kept, Word footnotes as [^…] at their place. Text that
matches no section is kept, never dropped: under a section of the template when it is a sub-heading
of one, otherwise in the reserved section "Nội dung chưa xếp mục" (domain.model.UNPLACED_PATH), shown
in the editor and exported at the end until the user moves it.

The front matter and the closing go to the report's header items (services/report_header.py), never to
a section: Số, place and date, trích yếu, the căn cứ paragraphs before the first heading, the closing
sentence ("Trên đây là …"), the Nơi nhận list and the signer (T/M or KT. line, title, name), whether they
sit in the usual tables, in centred blocks or in plain paragraphs, in the Party and the State format.
The unit's names and the motto are the unit's own and are not read; an item the file states as the new
report would print it anyway stays linked to its default.

Figures the text states for the template's indicators (services.figures_from_text) are proposed, and
stored as typed when the clerk accepts them. A file the app exported also carries every figure of its
report in a custom XML part (document.figures_part, read here within its own limits; a part that is
malformed, too large or of another template is ignored with a note): those are proposed too, the printed
text winning where it says otherwise.

The file is opened by domain.untrusted (size, type by content, zip limits); python-docx is imported
only when a file is imported.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import richtext, untrusted
from ..domain.dates import format_date, parse_date_line
from ..domain.doc_number import number_part, symbol_suffix
from ..domain.errors import UserError
from ..domain.model import UNPLACED_PATH, SignerLines
from ..domain.numbers import format_number
from ..domain.richtext import Footnote, Run, Table, looks_like_header, strip_items, table_of
from ..domain.untrusted import Expected, UntrustedFileError
from ..document.figures_part import FiguresPart, FiguresPartError, is_figures_part, read_figures_part
from ..templates.headings import HeadingTree, Line, join_wrapped, read_markdown, title_and_run_in
from ..templates.model import Section, Template
from ..templates.numbering import normalize_title, parse_marker
from . import events
from .errors import ServiceError

MAX_BYTES = 50 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONTAINERS = {_W + t for t in ("hyperlink", "ins", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple",
                                "moveTo", "dir", "bdo")}
_SKIP = {_W + t for t in ("del", "moveFrom", "pPr", "rPr", "proofErr", "bookmarkStart", "bookmarkEnd",
                          "commentRangeStart", "commentRangeEnd", "permStart", "permEnd")}

# the numberings a heading of a report may have: "I." "II -" | "1." "1)" | "1.1." "2.3.1." | "a)" "đ)" "b."
HEADING_FAMILIES = ("roman", "num", "multi", "alpha")
SEPARATOR_RE = re.compile(r"^[\s\-–—_*=.·•~]+$")
MIN_TITLE_RATIO = 0.4  # below this, a heading never matches a section, whatever its number
MAX_HEADING = 500  # characters: outlines from the province have headings of 2-3 lines
MAX_DOUBTFUL_WORDS = 20  # a plain numbered line longer than this is text, even if a section has its number
MAX_BULLET_HEAD_WORDS = 12  # "- Về trồng trọt: …": a dash run-in heading names its topic in a few words
RUN_IN_BULLETS = ("-", "+")


GENERATED_STYLES = {"ChartTitle", "ChartPicture"}
# the cell styles our exporter gives a table: their bold or italic is the table's look, not the writer's emphasis
TABLE_CELL_STYLES = {"TableHeader", "TableLabel", "TableCell", "TableTotalLabel", "TableTotal"}


@dataclass(frozen=True)
class SourceParagraph:
    """A body paragraph of the Word file: runs and footnotes, and what its style says."""
    content: tuple  # richtext Paragraph (Run | Footnote, ...)
    heading_level: int | None = None  # from a Heading style or an outline level
    centered: bool = False
    in_table: bool = False
    cells: tuple[str, ...] = ()  # a table row: its cells' text
    table: int = -1  # which table of the file the row belongs to
    cell_lines: tuple[tuple[str, ...], ...] = ()  # a table row: each cell's paragraphs (lines)
    columns: tuple[str, ...] = ()  # a line set out with tabs ("Số 430-BC/ĐU<tab>Lùng Phình, ngày …"): its parts
    cell_items: tuple[tuple, ...] = ()  # a table row: each cell's runs and footnotes (its paragraphs joined)
    header_row: bool = False  # a table row Word repeats at the top of each page (w:tblHeader)

    @property
    def text(self) -> str:
        return "".join(x.text for x in self.content if isinstance(x, Run)).strip()


@dataclass
class ImportedHeader:
    """The header and closing items a Word file states (each as written; empty: the file has none)."""
    number: str = ""  # after "Số": "430-BC/ĐU", "12/BC-UBND"
    date: dt.date | None = None
    place: str = ""
    subject: str = ""  # trích yếu
    basis: list[str] = field(default_factory=list)  # căn cứ paragraphs
    closing: str = ""
    recipients: list[str] = field(default_factory=list)
    signer: SignerLines | None = None

    def descriptions(self) -> list[str]:
        """One Vietnamese line per item found, as the import dialog and the command line say them."""
        out = []
        if self.number:
            out.append(f"Số: {self.number}")
        if self.place or self.date:
            out.append("Địa danh, ngày: " + ", ".join(x for x in (self.place, format_date(self.date)
                                                                    if self.date else "") if x))
        if self.subject:
            out.append(f"Trích yếu: {_shorten(self.subject)}")
        if self.basis:
            out.append(f"Căn cứ: {len(self.basis)} đoạn")
        if self.closing:
            out.append(f"Câu kết: {_shorten(self.closing)}")
        if self.recipients:
            out.append(f"Nơi nhận: {len(self.recipients)} nơi")
        if self.signer:
            out.append("Người ký: " + ", ".join(x.replace("\n", " ") for x in (
                self.signer.on_behalf, self.signer.title, self.signer.name) if x))
        return out

    def to_json(self) -> dict:
        signer = self.signer or SignerLines()
        return {"number": self.number, "date": self.date.isoformat() if self.date else None, "place": self.place,
                "subject": self.subject, "basis": "\n".join(self.basis), "closing": self.closing,
                "recipients": list(self.recipients),
                "signer": {"on_behalf": signer.on_behalf, "title": signer.title, "name": signer.name}}


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


@dataclass
class DocxImport:
    """What an import did (the GUI and the CLI tell the user)."""
    report_id: str
    sections: dict[str, str] = field(default_factory=dict)  # section path → the heading it matched
    unmatched_headings: list[str] = field(default_factory=list)
    unplaced_paragraphs: int = 0
    footnotes: int = 0
    skipped_paragraphs: int = 0  # header, title, closing, signature, recipients
    cells: list[tuple[str, str, str, str]] = field(default_factory=list)  # (table, row, column, text)
    tables: dict[str, str] = field(default_factory=dict)  # template table code → its title
    header: ImportedHeader = field(default_factory=ImportedHeader)  # front matter and closing of the file
    header_set: list[str] = field(default_factory=list)  # the header items the import set (HEADER_FIELDS)
    figures: list = field(default_factory=list)  # services.figures_from_text.FigureProposal: what the text states
    figures_set: list[tuple[str, str]] = field(default_factory=list)  # (indicator, field) the import stored
    notes: list[str] = field(default_factory=list)  # about the figures the file carries (Vietnamese sentences)

    @property
    def basis(self) -> list[str]:
        """The căn cứ: body paragraphs before the first heading."""
        return self.header.basis

    def summary(self) -> str:
        parts = [f"{len(self.sections)} mục khớp với mẫu"]
        found = self.header.descriptions()
        if found:
            parts.append(f"phần đầu và phần kết vào “Thông tin văn bản” ({'; '.join(found)})")
        if self.tables:
            parts.append(f"{len(self.tables)} bảng số liệu")
        if self.unplaced_paragraphs:
            parts.append(f"{self.unplaced_paragraphs} đoạn chưa xếp mục (xem mục “Nội dung chưa xếp mục”)")
        if self.footnotes:
            parts.append(f"{self.footnotes} chú thích")
        if self.figures_set:
            parts.append(f"{len(self.figures_set)} số liệu lấy từ câu văn"
                         + (" và phần lưu kèm tệp" if any(p.origin == "export" for p in self.figures) else ""))
        return "\n".join(["; ".join(parts) + ".", *self.notes])


# == reading the file ================================================================================
class WordFileError(ServiceError, UntrustedFileError):
    """A Word file refused before anything is imported (domain.untrusted)."""


EXPECTED = Expected("tệp Word", "nhập", MAX_BYTES, "Một báo cáo thường chỉ vài trăm KB; hãy kiểm tra lại tệp.",
                    WordFileError)


@dataclass(frozen=True)
class WordFile:
    """A .docx as read for import: its body, and the figures the app's own export carries in it."""
    paragraphs: list
    figures_part: FiguresPart | None = None
    part_problem: str = ""  # why a figures part the file has is ignored (a Vietnamese sentence)


def read_docx(path: str | Path) -> list[SourceParagraph]:
    """Body paragraphs of a .docx in order (table cells flattened to one paragraph per row)."""
    return read_word_file(path).paragraphs


def read_word_file(path: str | Path) -> WordFile:
    """The body paragraphs of a .docx and the figures part it carries (document.figures_part), if any."""
    path = Path(path)
    document = untrusted.open_docx(path, EXPECTED)  # parts, pictures and paragraphs within DOCX_LIMITS
    reader = _Reader(document)
    reader.clock = untrusted.ReadingClock(path, EXPECTED)
    try:
        paragraphs = reader.body()
    except ServiceError:
        raise
    except Exception as exc:  # a malformed part found while reading
        raise untrusted.damaged_docx(path, EXPECTED, exc) from None
    return WordFile(paragraphs, *read_figures(document))


def read_figures(document) -> tuple[FiguresPart | None, str]:
    """The app's figures part of a python-docx Document: (part, "") or (None, why it is ignored); (None, "")
    when the file has none. Never raises: the part is extra, the document imports without it."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    ours = [rel.target_part.blob for rel in document.part.rels.values()
            if rel.reltype == RT.CUSTOM_XML and not rel.is_external and is_figures_part(rel.target_part.blob)]
    if not ours:
        return None, ""
    ignored = "Phần số liệu lưu kèm tệp (do BaoCao xuất) bị bỏ qua vì {}; số liệu chỉ lấy từ câu văn."
    if len(ours) > 1:
        return None, ignored.format("tệp có nhiều hơn một phần như vậy")
    try:
        return read_figures_part(ours[0]), ""
    except FiguresPartError as exc:
        return None, ignored.format(exc)
    except Exception:  # noqa: BLE001 - whatever else lxml finds wrong: the part is extra, the import goes on
        return None, ignored.format("bị hỏng (không đọc được XML)")


def _on(element) -> bool | None:
    """A Word on/off property (w:b, w:i): None when absent."""
    if element is None:
        return None
    value = element.get(_W + "val")
    return value not in ("0", "false", "off", "none")


class _Reader:
    def __init__(self, document):
        self.document = document
        self.styles = {}
        for style in document.styles.element.iter(_W + "style"):
            self.styles[style.get(_W + "styleId")] = style
        self.default_para = next((sid for sid, el in self.styles.items()
                                  if el.get(_W + "type") == "paragraph" and el.get(_W + "default") in ("1", "true", "on")),
                                 None)
        self._flags: dict[tuple[str, str], bool] = {}
        self.clock = untrusted.ReadingClock(Path(), EXPECTED)  # read_docx sets the file's own
        self.notes = self._read_notes("footnotes") | self._read_notes("endnotes")

    # -- styles -----------------------------------------------------------------------------------
    def _style_flag(self, style_id: str | None, tag: str, depth: int = 0) -> bool:
        if not style_id or depth > 10:
            return False
        key = (style_id, tag)
        if key not in self._flags:
            el = self.styles.get(style_id)
            value = False
            if el is not None:
                rpr = el.find(_W + "rPr")
                own = _on(rpr.find(_W + tag)) if rpr is not None else None
                if tag == "u" and rpr is not None and rpr.find(_W + "u") is not None:
                    own = rpr.find(_W + "u").get(_W + "val", "single") != "none"
                if own is not None:
                    value = own
                else:
                    based = el.find(_W + "basedOn")
                    value = self._style_flag(based.get(_W + "val") if based is not None else None, tag, depth + 1)
            self._flags[key] = value
        return self._flags[key]

    def _style_name(self, style_id: str | None) -> str:
        el = self.styles.get(style_id or "")
        if el is None:
            return style_id or ""
        name = el.find(_W + "name")
        return (name.get(_W + "val") if name is not None else style_id) or ""

    def _heading_level(self, p, style_id: str | None) -> int | None:
        ppr = p.find(_W + "pPr")
        outline = ppr.find(_W + "outlineLvl") if ppr is not None else None
        if outline is None:
            el, depth = self.styles.get(style_id or ""), 0
            while el is not None and depth < 10 and outline is None:
                spr = el.find(_W + "pPr")
                outline = spr.find(_W + "outlineLvl") if spr is not None else None
                based = el.find(_W + "basedOn")
                el = self.styles.get(based.get(_W + "val")) if based is not None and outline is None else None
                depth += 1
        if outline is not None:
            try:
                level = int(outline.get(_W + "val")) + 1
            except (TypeError, ValueError):
                level = None
            if level is not None and 1 <= level <= 9:
                return level
        name = self._style_name(style_id).lower()
        match = re.match(r"^(?:heading|tiêu đề|đề mục)\s*(\d)$", name)
        return int(match.group(1)) if match else None

    # -- notes ------------------------------------------------------------------------------------
    def _read_notes(self, kind: str) -> dict[tuple[str, str], Footnote]:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        reltype = RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES
        part = None
        for rel in self.document.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                part = rel.target_part
                break
        if part is None:
            return {}
        from lxml import etree
        try:
            root = part.element if hasattr(part, "element") else untrusted.parse_xml(part.blob)
        except (etree.XMLSyntaxError, ValueError):
            return {}
        tag = "footnote" if kind == "footnotes" else "endnote"
        out = {}
        for note in root.iter(_W + tag):
            if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            paragraphs = []
            for p in note.iter(_W + "p"):
                runs = self._runs(p, None, notes=False)
                paragraphs.append(tuple(r for r in runs if isinstance(r, Run)))
            if paragraphs and paragraphs[0]:
                first = paragraphs[0][0]
                paragraphs[0] = (Run(first.text.lstrip(), first.bold, first.italic, first.underline),) + paragraphs[0][1:]
            paragraphs = [p for p in paragraphs if "".join(r.text for r in p).strip()]
            out[(tag, note.get(_W + "id"))] = Footnote(tuple(paragraphs))
        return out

    # -- runs -------------------------------------------------------------------------------------
    def _runs(self, p, style_id: str | None, notes: bool = True) -> list:
        """Runs and footnotes of a paragraph; a line break (w:br) ends a paragraph: None marks it."""
        base = {tag: self._style_flag(style_id, tag) for tag in ("b", "i", "u")}
        out: list = []

        def walk(element) -> None:
            for child in element:
                tag = child.tag
                if tag == _W + "r":
                    run(child)
                elif tag in _CONTAINERS:
                    walk(child)

        def run(r) -> None:
            rpr = r.find(_W + "rPr")
            flags = dict(base)
            if rpr is not None:
                rstyle = rpr.find(_W + "rStyle")
                if rstyle is not None:
                    for tag in ("b", "i", "u"):
                        if self._style_flag(rstyle.get(_W + "val"), tag):
                            flags[tag] = True
                for tag in ("b", "i"):
                    own = _on(rpr.find(_W + tag))
                    if own is not None:
                        flags[tag] = own
                u = rpr.find(_W + "u")
                if u is not None:
                    flags["u"] = u.get(_W + "val", "single") != "none"
            for child in r:
                tag = child.tag
                if tag == _W + "t":
                    if child.text:
                        out.append(Run(child.text, flags["b"], flags["i"], flags["u"]))
                elif tag in (_W + "tab", _W + "ptab"):
                    out.append(Run(" ", flags["b"], flags["i"], flags["u"]))
                elif tag == _W + "noBreakHyphen":
                    out.append(Run("-", flags["b"], flags["i"], flags["u"]))
                elif tag in (_W + "br", _W + "cr"):
                    if child.get(_W + "type") in (None, "textWrapping"):
                        out.append(None)
                elif tag in (_W + "footnoteReference", _W + "endnoteReference") and notes:
                    kind = "footnote" if tag == _W + "footnoteReference" else "endnote"
                    note = self.notes.get((kind, child.get(_W + "id")))
                    if note is not None and note.paragraphs:
                        out.append(note)

        walk(p)
        return out

    def _paragraphs(self, p, in_table: bool = False) -> list[SourceParagraph]:
        ppr = p.find(_W + "pPr")
        style_el = ppr.find(_W + "pStyle") if ppr is not None else None
        style_id = style_el.get(_W + "val") if style_el is not None else self.default_para
        if style_id in GENERATED_STYLES:  # charts our exporter drew: figures, not text to import
            return []
        jc = ppr.find(_W + "jc") if ppr is not None else None
        if jc is None:
            el = self.styles.get(style_id or "")
            spr = el.find(_W + "pPr") if el is not None else None
            jc = spr.find(_W + "jc") if spr is not None else None
        centered = jc is not None and jc.get(_W + "val") == "center"
        level = self._heading_level(p, style_id)
        pieces: list[list] = [[]]
        for item in self._runs(p, None if style_id in TABLE_CELL_STYLES else style_id):
            if item is None:
                pieces.append([])
            else:
                pieces[-1].append(item)
        columns = _tab_columns(p)
        out = []
        for index, piece in enumerate(pieces):
            content = tuple(_merge(piece))
            if any(isinstance(x, Footnote) for x in content) or "".join(
                    x.text for x in content if isinstance(x, Run)).strip():
                parts = columns[index] if index < len(columns) else ()
                out.append(SourceParagraph(content, level, centered, in_table,
                                           columns=parts if len([x for x in parts if x]) > 1 or parts[:1] == ("",)
                                           else ()))
        return out

    def body(self) -> list[SourceParagraph]:
        body = self.document.element.body
        out: list[SourceParagraph] = []
        for child in body:
            self.clock.check()
            if child.tag == _W + "p":
                out.extend(self._paragraphs(child))
            elif child.tag == _W + "tbl":
                out.extend(self._table(child))
            elif child.tag == _W + "sdt":
                content = child.find(_W + "sdtContent")
                for inner in content if content is not None else ():
                    if inner.tag == _W + "p":
                        out.extend(self._paragraphs(inner))
                    elif inner.tag == _W + "tbl":
                        out.extend(self._table(inner))
        return out

    def _table(self, tbl) -> list[SourceParagraph]:
        """A table: one paragraph per row, cells joined by " | " (marked in_table, cells kept with their runs
        and footnotes: a table the template does not have is kept as a table of the text)."""
        self.tables = getattr(self, "tables", -1) + 1
        out = []
        for tr in tbl.iter(_W + "tr"):
            cells, lines, items = [], [], []
            for tc in tr.findall(_W + "tc"):
                texts, content = [], []
                for p in tc.iter(_W + "p"):
                    for para in self._paragraphs(p, True):
                        text = "".join(x.text for x in para.content if isinstance(x, Run)).strip()
                        if text:
                            texts.append(text)
                        if content and para.content:
                            content.append(Run(" "))
                        content.extend(para.content)
                cells.append(" ".join(texts))
                lines.append(tuple(texts))
                items.append(tuple(_merge(content)))
            trpr = tr.find(_W + "trPr")
            repeated = trpr is not None and _on(trpr.find(_W + "tblHeader")) is True
            if any(cells) or any(any(isinstance(x, Footnote) for x in c) for c in items):
                out.append(SourceParagraph((Run(" | ".join(cells)),), None, False, True, tuple(cells), self.tables,
                                           tuple(lines), cell_items=tuple(items), header_row=repeated))
        return out


def _tab_columns(p) -> list[tuple[str, ...]]:
    """Each line of a paragraph (lines end at w:br) split where tabs set it out in columns; a line that
    starts with tabs has "" as its first part (it sits in the right column)."""
    lines: list[list[str]] = [[""]]
    runs = (el for r in p.iter(_W + "r") for el in r)  # not pPr's tab stops
    for el in runs:
        if el.tag == _W + "t":
            lines[-1][-1] += el.text or ""
        elif el.tag in (_W + "tab", _W + "ptab"):
            if lines[-1][-1].strip() or len(lines[-1]) == 1:
                lines[-1].append("")
        elif el.get(_W + "type") in (None, "textWrapping"):
            lines.append([""])
    out = []
    for parts in lines:
        cleaned = [" ".join(richtext.normalize(x).split()) for x in parts]
        out.append(tuple([cleaned[0]] + [x for x in cleaned[1:] if x]) if any(cleaned) else ())
    return out


def _merge(items) -> list:
    out: list = []
    for item in items:
        if isinstance(item, Run):
            text = richtext.normalize(item.text)
            if not text:
                continue
            if out and isinstance(out[-1], Run) and out[-1].same_format(item):
                out[-1] = Run(out[-1].text + text, item.bold, item.italic, item.underline)
            else:
                out.append(Run(text, item.bold, item.italic, item.underline))
        else:
            out.append(item)
    return list(strip_items(out))  # spaces at both ends trimmed (a run of spaces has no formatting that matters)


# == headings ==========================================================================================
def normalize_number(number: str | None) -> str:
    return re.sub(r"[\s.)\-–:]+$", "", (number or "").strip()).strip().lower()


def _numbering(text: str):
    """The heading number at the start of `text` (templates.headings.parse_marker), or None."""
    marker = parse_marker(text)
    if marker is None or marker.family not in HEADING_FAMILIES or marker.kind.startswith("rmulti"):
        return None
    return marker


def number_rank(number: str | None) -> int | None:
    """How deep a numbering style sits: I. → 1, 1. → 2, 1.1. → 3, 1.1.1. → 4, a) → 5."""
    marker = _numbering((number or "").strip() + " x")
    if marker is None:
        return None
    return {"roman": 1, "num": 2, "multi": 1 + marker.depth}.get(marker.family, 5)


def title_similarity(a: str, b: str) -> float:
    a, b = normalize_title(a), normalize_title(b)
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    if min(len(a), len(b)) >= 8 and (a in b or b in a):
        ratio = max(ratio, 0.85)
    return ratio


@dataclass
class _Heading:
    number: str | None
    title: str
    rank: int | None
    paragraph: tuple  # the heading as written (for keeping it when unmatched)
    rest: tuple = ()  # text after a run-in heading ("a) Trồng trọt: diện tích …")
    plain: bool = False  # found by its numbering and context only (no style, bold or italic)
    sure: bool = True  # False: a plain numbered line the recognizer doubts; a heading only where the
    #                    template has a section of that number and title (see confirmed)
    continued: tuple[int, ...] = ()  # the paragraphs its title wrapped onto (indices in the file)


def _emphasized(runs, attr: str) -> bool:
    text_runs = [r for r in runs if isinstance(r, Run) and r.text.strip()]
    return bool(text_runs) and all(getattr(r, attr) for r in text_runs)


def _clean_title(text: str) -> str:
    return re.sub(r"\s*[:.\-–]$", "", text.strip()).strip()


def detect_heading(para: SourceParagraph) -> _Heading | None:
    """A heading: a Heading style (or outline level), or a numbered line (I./1./1.1./a)) written all in
    bold or all in italic. A numbered paragraph whose bold/italic beginning is followed by plain text is
    a run-in heading ("a) Sản xuất nông nghiệp: …"); "-" and "+" lines are list items, never headings."""
    if para.in_table:
        return None
    text = para.text
    if not text or len(text) > MAX_HEADING:
        return None
    marker = _numbering(text)
    number = marker.number if marker else None
    end = len(text) - len(marker.rest) if marker else 0  # where the title starts
    title = _clean_title(text[end:])
    if para.heading_level is not None:
        return _Heading(number, title, number_rank(number) or para.heading_level, para.content)
    if marker is None or not marker.rest:
        return None
    if _emphasized_paragraph(para):
        head, colon, tail = title.partition(":")
        if colon and head.strip() and tail.strip():  # "a) Giáo dục: tốt." all in bold: "tốt." is text
            return _Heading(number, head.strip(), number_rank(number), para.content,
                            _run_in(para, text, marker.rest, tail.strip()))
        return _Heading(number, title, number_rank(number), para.content)
    items = list(para.content)
    for attr in ("bold", "italic"):
        lead, pos, index = [], 0, 0
        while index < len(items) and isinstance(items[index], Run):
            run = items[index]
            if not (getattr(run, attr) or not run.text.strip() or pos + len(run.text) <= end):
                break
            lead.append(run)
            pos += len(run.text)
            index += 1
        head = _clean_title("".join(r.text for r in lead)[end:])
        if index >= len(items) or len(head) < 3 or not any(getattr(r, attr) for r in lead):
            continue
        rest = list(_merge(items[index:]))
        if rest and isinstance(rest[0], Run):
            first = rest[0]
            rest[0] = Run(first.text.lstrip(" :.-–"), first.bold, first.italic, first.underline)
            if not rest[0].text:
                rest.pop(0)
        if rest:
            return _Heading(number, head, number_rank(number), para.content, tuple(rest))
    return None


def detect_headings(paragraphs: list[SourceParagraph]) -> list[_Heading | None]:
    """The heading each paragraph is (None: text), in the context of the whole document: a Heading
    style or a bold/italic numbered line (detect_heading), and also a plain numbered line that the
    shared recognizer (templates.headings) judges a heading by its numbering, its neighbours, its
    length and ending (run-in "a) Trồng trọt: …" typed without bold). A heading wrapped onto the
    next paragraph takes it (`continued`)."""
    found = [detect_heading(p) for p in paragraphs]
    indices = [i for i, p in enumerate(paragraphs) if not p.in_table and p.text]
    lines = read_markdown([Line(paragraphs[i].text, found[i] is not None or _emphasized_paragraph(paragraphs[i]),
                                paragraphs[i].heading_level) for i in indices])
    joined = join_wrapped(lines)
    starts, at = [], 0
    for line in joined:
        starts.append(at)
        at += line.span
    tree = HeadingTree(joined).run()
    for j, line in enumerate(joined):
        first = indices[starts[j]]
        if j in tree.by_line or found[first] is not None or line.span > 1:
            continue
        doubtful = _doubtful(line.text)
        if doubtful is not None:
            marker, title, tail = doubtful
            found[first] = _Heading(marker.number, title, number_rank(marker.number), paragraphs[first].content,
                                    _run_in(paragraphs[first], line.text, marker.rest, tail), plain=True, sure=False)
    for j, heading in tree.by_line.items():
        first = indices[starts[j]]
        para = paragraphs[first]
        taken = sum(line.span for line in joined[j:j + heading.span])  # with a title on the next line
        continued = tuple(indices[starts[j] + k] for k in range(1, taken))
        explicit = found[first]
        if explicit is not None:
            if continued and not explicit.rest and all(found[k] is None for k in continued):
                explicit.title, explicit.continued = heading.title, continued  # a bold heading, wrapped
            continue
        if heading.marker.family not in HEADING_FAMILIES or len(para.text) > MAX_HEADING:
            continue
        title, tail = _title_and_run_in(heading.marker.rest)
        if tail and continued:
            continue  # run-in text spread over paragraphs: left as text
        found[first] = _Heading(heading.marker.number, title, number_rank(heading.marker.number),
                                para.content, _run_in(para, joined[j].text, heading.marker.rest, tail),
                                plain=True, continued=continued)
    return found


def _doubtful(text: str):
    """(marker, title, run-in text) of a plain line that may be a heading if the template has it: a
    short numbered line not ending like a list item, or a dash run-in "- Về trồng trọt: …"."""
    marker = parse_marker(text)
    if marker is None:
        return None
    title, tail = _title_and_run_in(marker.rest)
    words = len(title.split())
    if _numbering(text) is not None:
        ok = 0 < words <= MAX_DOUBTFUL_WORDS and not re.search(r"[;,]$", marker.rest)
    else:
        ok = marker.number in RUN_IN_BULLETS and 0 < words <= MAX_BULLET_HEAD_WORDS and (
            tail or not re.search(r"[.;,:!?…]$", marker.rest))
    return (marker, title, tail) if ok else None


def _run_in(para: SourceParagraph, line: str, rest: str, tail: str) -> tuple:
    """The run-in text `tail` of a heading paragraph as runs (`line`: the paragraph's text as the
    recognizer read it, `rest`: that text after the number). Where Markdown marks were read, the
    text without them."""
    if not tail:
        return ()
    text = para.text
    offset = text.find(tail, len(text) - len(rest)) if line == text else -1
    return _after(para.content, offset) if offset >= 0 else (Run(tail),)


def _title_and_run_in(rest: str) -> tuple[str, str]:
    """A report's heading line → (title, run-in text): whatever follows a colon is text, however short."""
    title, tail = title_and_run_in(rest)
    if not tail and ":" in title:
        title, tail = (part.strip() for part in title.split(":", 1))
    return title, tail


def text_of_heading(heading: _Heading, section: Section) -> list[tuple]:
    """What of a matched heading's paragraph goes into the section's text: its run-in text; or, for a
    plain line whose title says more than the section's title, the whole line (nothing is dropped)."""
    if heading.rest:
        return [heading.rest]
    extra = set(normalize_title(heading.title).split()) - set(normalize_title(section.title).split())
    return [heading.paragraph] if heading.plain and extra else []


def confirmed(heading: _Heading | None, section: Section | None, current: Section | None = None) -> bool:
    """May this heading take `section`? A doubtful plain line only when the section has nearly its
    title and its number, or for a dash run-in ("- Về …: …") when the section sits under the current
    one or beside it (the template's outline is the context that makes it a heading)."""
    if heading is None or section is None:
        return False
    if heading.sure:
        return True
    if title_similarity(heading.title, section.title) < 0.8:
        return False
    if heading.number in RUN_IN_BULLETS:
        return current is not None and _parent_path(section.path) in (current.path, _parent_path(current.path))
    return normalize_number(heading.number) == normalize_number(section.number)


def _emphasized_paragraph(para: SourceParagraph) -> bool:
    runs = [x for x in para.content if isinstance(x, Run)]
    return _emphasized(runs, "bold") or _emphasized(runs, "italic")


def _after(content: tuple, offset: int) -> tuple:
    """The runs and footnotes of a paragraph from character `offset` of its text on."""
    out, pos = [], 0
    for item in content:
        if not isinstance(item, Run):
            if pos >= offset:
                out.append(item)
            continue
        if pos + len(item.text) > offset:
            out.append(Run(item.text[max(0, offset - pos):], item.bold, item.italic, item.underline))
        pos += len(item.text)
    return tuple(_merge(out))


# == matching ==========================================================================================
def _parent_path(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


class _Matcher:
    def __init__(self, template: Template):
        self.sections = list(template.walk())
        self.used: set[str] = set()
        self.current: Section | None = None

    def chain(self) -> set[str]:
        if self.current is None:
            return {""}
        parts = self.current.path.split(".")
        return {""} | {".".join(parts[:i]) for i in range(1, len(parts) + 1)}

    def match(self, heading: _Heading) -> Section | None:
        chain = self.chain()
        best, best_score = None, 0.0
        for section in self.sections:
            if section.path in self.used:
                continue
            ratio = title_similarity(heading.title, section.title)
            if ratio < MIN_TITLE_RATIO:
                continue
            same_number = bool(heading.number) and normalize_number(heading.number) == normalize_number(section.number)
            in_place = _parent_path(section.path) in chain
            if not (ratio >= 0.8 or (ratio >= 0.6 and (same_number or in_place))
                    or (same_number and in_place)):
                continue
            score = ratio + 0.2 * same_number + 0.1 * in_place
            if score > best_score:
                best, best_score = section, score
        return best

    def accept(self, section: Section) -> None:
        self.used.add(section.path)
        self.current = section


def match_table(template: Template, section: Section | None, rows: list[SourceParagraph]):
    """The template table a Word table is (its row labels and column headings alike), with the cells
    to fill: (table code, [(row code, column code, text)]) or None. Looked for among the tables of the
    current section, its sub-sections and the sections above it."""
    from ..domain.numbers import NumberFormatError, parse_number

    if section is None or len(rows) < 2:
        return None
    parts = section.path.split(".")
    above = {".".join(parts[:i]) for i in range(1, len(parts))}
    codes = [c for s in template.walk() if s.path in above or s.path == section.path
             or s.path.startswith(section.path + ".") for c in s.tables]
    header = rows[0].cells
    best = None
    for code in codes:
        table = template.table(code)
        if table is None:
            continue
        columns = {}
        for column in table.columns:
            names = [column.label, f"{column.label} ({column.unit})" if column.unit else column.label]
            scores = [(max(title_similarity(h, n) for n in names), j) for j, h in enumerate(header) if j > 0]
            score, j = max(scores, default=(0.0, -1))
            if score >= 0.6:
                columns[column.code] = j
        found = {}
        for line in table.rows:
            scores = [(title_similarity(row.cells[0] if row.cells else "", line.label), i)
                      for i, row in enumerate(rows) if i > 0]
            score, i = max(scores, default=(0.0, -1))
            if score >= 0.7:
                found[line.code] = i
        if len(columns) * 2 < len(table.columns) or len(found) * 2 < len(table.rows):
            continue
        cells = []
        for row_code, i in found.items():
            for column_code, j in columns.items():
                text = rows[i].cells[j].strip() if j < len(rows[i].cells) else ""
                try:
                    if parse_number(text) is not None:
                        cells.append((row_code, column_code, text))
                except (NumberFormatError, ValueError):
                    continue
        weight = len(columns) + len(found)
        if best is None or weight > best[0]:
            best = (weight, code, cells)
    return (best[1], best[2]) if best else None


# == front matter and closing ===========================================================================
# "Số 430-BC/ĐU" (Party), "Số: 12/BC-UBND" (State), "Số:    /BC-UBND" (no number yet)
NUMBER_LINE_RE = re.compile(r"^số\s*[:.]?\s*(?P<number>[\w\s./\-–]*[/\-–][\w\s./\-–]*|\d+)$", re.IGNORECASE)
# the authority line(s) of a signature block: T/M, TM., KT., TL., TUQ., Q., and written out
ON_BEHALF_RE = re.compile(r"^(?:T/M|TM\.|TM\s|K/T|KT\.|KT\s|TL\.|TUQ\.|Q\.|THAY MẶT|THỪA LỆNH|THỪA ỦY QUYỀN|"
                          r"THỪA UỶ QUYỀN|KÝ THAY)", re.IGNORECASE)
BASIS_STARTS = ("can cu", "thuc hien", "theo ", "trien khai", "thuc thi", "de nghi")
MOTTO_NORMS = {"doc lap tu do hanh phuc", "dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam"}


def _upper(text: str) -> bool:
    """Written in capitals (unit names, the motto, the title, a signer's title)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _is_closing(text: str) -> bool:
    norm = normalize_title(text)
    return norm.startswith("tren day la") or norm.startswith("noi nhan")


def _closes_body(para: SourceParagraph) -> bool:
    """Where the end of the document starts: the closing sentence, "Nơi nhận:", a signature block (as
    paragraphs or as the Nơi nhận + signature table)."""
    if para.in_table:
        first = [cell[0] for cell in para.cell_lines if cell]
        return any(normalize_title(line).startswith("noi nhan") or (ON_BEHALF_RE.match(line) and _upper(line))
                   for line in first)
    return _is_closing(para.text) or bool(ON_BEHALF_RE.match(para.text) and _upper(para.text))


def _is_title(text: str, template_title: str) -> bool:
    norm = normalize_title(text)
    return norm == "bao cao" or (bool(template_title) and norm == template_title)


def _front_lines(para: SourceParagraph) -> list[str]:
    """The lines of a front-matter paragraph: a table row's cell lines; the parts of a line set out with
    tabs when they are header items ("Số 430-BC/ĐU<tab>Lùng Phình, ngày …"); else its text."""
    if para.in_table:
        return [line for cell in para.cell_lines for line in cell]
    parts = [x for x in para.columns if x]
    if len(parts) > 1 and any(NUMBER_LINE_RE.match(x) or parse_date_line(x) or _upper(x) for x in parts):
        return parts
    return [para.text]


def read_front(paragraphs: list[SourceParagraph], template_title: str = "") -> tuple[ImportedHeader, list, int]:
    """The front matter (everything before the first heading): Số, place and date, trích yếu (the lines
    under the title "BÁO CÁO", or a "V/v" line) and the căn cứ. The unit's names, the motto, the title and
    the rules under them are left to the unit. Returns (header, body paragraphs that are not the căn cứ,
    how many paragraphs were left to the unit)."""
    header = ImportedHeader()
    left = 0
    candidates: list[SourceParagraph] = []
    in_subject = False  # between the title and the rule under the trích yếu
    for para in paragraphs:
        lines = _front_lines(para)
        for line in lines:
            text = " ".join(line.split())
            number = NUMBER_LINE_RE.match(text)
            date_line = parse_date_line(text)
            if number:
                written = " ".join(number.group("number").split())
                if re.search(r"\d", written):  # "Số:    /BC-UBND": no number yet
                    header.number = written
                in_subject = False
            elif date_line:
                header.place, header.date = date_line
                in_subject = False
            elif _is_title(text, template_title):
                in_subject = True
            elif normalize_title(text).startswith("v v ") and text.lower().startswith("v/v"):
                header.subject = text[3:].strip(" :.")
            elif not text or SEPARATOR_RE.match(text) or normalize_title(text) in MOTTO_NORMS:
                in_subject = in_subject and not SEPARATOR_RE.match(text)
            elif in_subject and not para.in_table and (
                    para.centered or _emphasized(para.content, "bold") or not header.subject
                    and not text.endswith(":") and not normalize_title(text).startswith(BASIS_STARTS)):
                header.subject = f"{header.subject} {text}".strip()
                in_subject = para.centered or _emphasized(para.content, "bold")
                continue
            elif para.in_table or para.centered or _upper(text):
                pass  # the unit's names, the draft mark, a centred note: the unit's, not the report's
            elif len(lines) == 1:
                in_subject = False
                candidates.append(para)
                continue
            left += 1
    # the căn cứ ends with "… báo cáo như sau:"; what follows it before the first heading is body text
    ends = [i for i, p in enumerate(candidates) if normalize_title(p.text).endswith("nhu sau")]
    cut = ends[-1] + 1 if ends else len(candidates)
    header.basis = [p.text for p in candidates[:cut]]
    return header, [p.content for p in candidates[cut:]], left


def read_closing(paragraphs: list[SourceParagraph]) -> tuple[ImportedHeader, int]:
    """The end of the document: the closing sentence(s), the Nơi nhận list and the signer (authority
    line(s), title, name), in a table (each cell read on its own) or in paragraphs, in either order.
    Returns (header with those items, how many lines were not any of them)."""
    header = ImportedHeader()
    closing: list[str] = []
    on_behalf: list[str] = []
    title: list[str] = []
    name = ""
    left = 0
    stream = []  # (line, block): a table cell is a block of its own; paragraphs share block -1
    for index, para in enumerate(paragraphs):
        if para.in_table:
            stream += [(line, (index, j)) for j, cell in enumerate(para.cell_lines) for line in cell]
        elif para.columns:  # "Nơi nhận:<tab>T/M BAN THƯỜNG VỤ": the left and the right column
            stream += [(part, -2 if j == 0 else -3) for j, part in enumerate(para.columns) if part]
        else:
            stream.append((para.text, -1))
    mode, mode_block, seen_list = "closing", None, False
    for line, block in stream:
        text = " ".join(line.split())
        norm = normalize_title(text)
        if not text or SEPARATOR_RE.match(text):
            continue
        if norm.startswith("noi nhan"):
            mode, mode_block, seen_list = "recipients", block, True
            rest = re.sub(r"^\s*nơi\s+nhận\s*:?\s*", "", text, flags=re.IGNORECASE)
            if rest:
                header.recipients.append(rest)
            continue
        if ON_BEHALF_RE.match(text) and _upper(text) and not name and (mode != "signer" or not title):
            mode, mode_block = "signer", block
            on_behalf.append(text)
            continue
        if re.fullmatch(r"\(.*\)|đã ký\.?", text, flags=re.IGNORECASE):  # "(Ký, đóng dấu)", "(Đã ký)"
            continue
        listed = text[0] in "-+•–*"
        if mode == "recipients" and (listed or (block == mode_block and block != -1) or not _upper(text) and not title) \
                or listed and seen_list:  # the list in the row under "Nơi nhận:", beside the signature
            header.recipients.append(text)
            continue
        if _upper(text) and not name:
            if mode == "signer" and title:
                name = text  # a name written in capitals
            else:
                mode, mode_block = "signer", block
                title.append(text)
            continue
        if mode == "signer" and (title or on_behalf) and not name:
            name = text
            continue
        if mode == "closing" and not header.recipients and not title and not on_behalf:
            closing.append(text)
            continue
        left += 1
    header.closing = " ".join(closing)
    if on_behalf or title or name:
        header.signer = SignerLines("\n".join(on_behalf), " ".join(title), name)
    return header, left


def plan_import(template: Template, paragraphs: list[SourceParagraph] | WordFile) -> tuple[dict[str, list], list, DocxImport]:
    """Sort the file's paragraphs into the template's sections. Returns (texts by section path as
    richtext paragraphs, unplaced paragraphs, a summary without report id). Given a WordFile, the figures
    its part carries are proposed too (figures_from_text.with_exported)."""
    word = paragraphs if isinstance(paragraphs, WordFile) else WordFile(paragraphs)
    paragraphs = word.paragraphs
    matcher = _Matcher(template)
    texts: dict[str, list] = {}
    unplaced: list = []
    result = DocxImport("")
    target: list | None = None  # where body text goes now; None: before any heading
    started = ended = False
    template_title = normalize_title(template.title or "")
    handled_tables: set[int] = set()
    skip_rows: set[int] = set()
    front: list[SourceParagraph] = []  # before the first heading
    end: list[SourceParagraph] = []  # from the closing sentence, "Nơi nhận" or the signature on
    headings = detect_headings(paragraphs)
    for index, para in enumerate(paragraphs):
        text = para.text
        if ended:
            end.append(para)
            continue
        if index in skip_rows:
            continue
        if not started and (para.in_table or _is_title(text, template_title)):
            front.append(para)  # the header table and the title, even when written as a heading
            continue
        if (started or front) and _closes_body(para):
            ended = True
            end.append(para)
            continue
        if para.in_table and started and para.table not in handled_tables:
            handled_tables.add(para.table)
            rows = [(i, p) for i, p in enumerate(paragraphs) if p.in_table and p.table == para.table]
            found = match_table(template, matcher.current, [p for _, p in rows])
            if found is not None and found[0] not in result.tables:
                code, cells = found
                table = template.table(code)
                result.tables[code] = table.title
                result.cells += [(code, r, c, v) for r, c, v in cells]
                skip_rows.update(i for i, _ in rows)
                if target and target[-1] and title_similarity(
                        "".join(x.text for x in target[-1] if isinstance(x, Run)), table.title) >= 0.8:
                    target.pop()  # the table's title: the template prints its own
                continue
            if not any(_closes_body(p) for _, p in rows):  # not the Nơi nhận + signature table
                # no template table: kept as a table of the section's text
                skip_rows.update(i for i, _ in rows)
                (target if target is not None else unplaced).append((free_table([p for _, p in rows]),))
                continue
        heading = headings[index]
        if heading is not None:
            section = matcher.match(heading)
            if not confirmed(heading, section, matcher.current):
                section = None
            if section is not None:
                skip_rows.update(heading.continued)  # the rest of a wrapped heading
                started = True
                matcher.accept(section)
                target = texts.setdefault(section.path, [])
                result.sections[section.path] = text if not heading.rest else heading.title
                target.extend(text_of_heading(heading, section))
                continue
            if not heading.rest and not heading.plain:  # a plain numbered line matching nothing is text
                started = True
                result.unmatched_headings.append(text)
                current = matcher.current
                current_rank = number_rank(current.number) if current is not None else None
                if current is not None and heading.rank is not None and current_rank is not None \
                        and heading.rank > current_rank and target is not None:
                    target.append(heading.paragraph)  # a sub-heading the template does not have
                else:
                    matcher.current = None
                    target = unplaced
                    target.append(_bold(heading.paragraph))
                continue
        if not started:
            front.append(para)  # read by read_front once the body starts
            continue
        if target is None:
            target = unplaced
        target.append(para.content)
    header, intro, left = read_front(front, template_title)
    unplaced[:0] = intro  # body text before the first heading that is not the căn cứ
    closing, left_at_end = read_closing(end)
    header.closing, header.recipients, header.signer = closing.closing, closing.recipients, closing.signer
    result.header = header
    result.skipped_paragraphs = left + left_at_end
    result.unplaced_paragraphs = len(unplaced)
    result.footnotes = sum(1 for paras in list(texts.values()) + [unplaced] for p in paras for x in p
                           if isinstance(x, Footnote)) + sum(
        len(table.footnotes()) for paras in list(texts.values()) + [unplaced] for p in paras
        if (table := table_of(p)) is not None)
    from .figures_from_text import extract_figures, with_exported
    markup = {path: richtext.serialize(paras) for path, paras in texts.items()}
    if unplaced:
        markup[UNPLACED_PATH] = richtext.serialize(unplaced)
    own = word.figures_part is not None and word.figures_part.template_code == template.code
    result.figures = extract_figures(template, markup, own_sentences=own)
    if word.figures_part is not None:
        result.figures, notes = with_exported(template, result.figures, word.figures_part)
        result.notes += notes
    elif word.part_problem:
        result.notes.append(word.part_problem)
    return texts, unplaced, result


def free_table(rows: list[SourceParagraph]) -> Table:
    """A Word table the template does not have, as a table of the text: its cells with their runs and
    footnotes; the first row is the header when Word repeats it on each page or when it is all bold."""
    cells = tuple(tuple(strip_items(c) for c in row.cell_items) if row.cell_items else tuple((Run(c),) for c in row.cells)
                  for row in rows)
    header = len(rows) > 1 and rows[0].header_row or looks_like_header(cells)
    return Table(cells, header)


def _bold(paragraph: tuple) -> tuple:
    """An unmatched heading kept in the unplaced text: bold, so it still reads as a heading."""
    return tuple(Run(x.text, True, x.italic, x.underline) if isinstance(x, Run) else x for x in paragraph)


@dataclass(frozen=True)
class ImportPreview:
    """What the import dialog shows before importing: the template to preselect and the header items."""
    template_code: str | None  # the template whose sections the file's headings match best; None: none
    header: ImportedHeader
    paragraphs: tuple = ()  # the file's body as read (SourceParagraph), for `figures`
    figures_by_template: dict = field(default_factory=dict)  # template code → FigureProposal list (read once)
    word: WordFile | None = None  # the file as read, with the figures part it carries
    notes_by_template: dict = field(default_factory=dict)  # template code → notes on the carried figures

    def figures(self, template: Template) -> list:
        """The figures the file's sentences state for `template`'s indicators (FigureProposal), and those its
        figures part carries."""
        if template.code not in self.figures_by_template:
            plan = plan_import(template, self.word or WordFile(list(self.paragraphs)))[2] \
                if self.paragraphs else DocxImport("")
            self.figures_by_template[template.code] = plan.figures
            self.notes_by_template[template.code] = plan.notes
        return self.figures_by_template[template.code]

    def notes(self, template: Template) -> list[str]:
        """What to say about the figures the file carries for `template` (ignored part, differences)."""
        self.figures(template)
        return self.notes_by_template.get(template.code, [])


def preview_import(templates, path: str | Path) -> ImportPreview:
    """Read the file once: the best template (by matched headings) and the header items the file states.
    Raises ServiceError when the file cannot be read."""
    word = read_word_file(path)
    best, best_count, header, figures, notes = None, 0, None, {}, {}
    for template in templates:
        plan = plan_import(template, word)[2]
        figures[template.code], notes[template.code] = plan.figures, plan.notes
        if header is None or len(plan.sections) > best_count:
            header = plan.header
        if len(plan.sections) > best_count:
            best, best_count = template.code, len(plan.sections)
    if word.figures_part is not None and any(t.code == word.figures_part.template_code for t in templates):
        best = word.figures_part.template_code  # the app's own export says which template it is
    return ImportPreview(best, header or ImportedHeader(), tuple(word.paragraphs), figures, word, notes)


def suggest_template(templates, path: str | Path) -> str | None:
    """The code of the template whose sections the file's headings match best (None: no heading
    matches any template). Raises ServiceError when the file cannot be read."""
    return preview_import(templates, path).template_code


def propose_figures(workspace, path: str | Path, template_code: str, notes: list | None = None) -> list:
    """The figures a Word file's sentences state for the template's indicators, and those its figures part
    carries (FigureProposal), without importing anything; what to say about the part is appended to `notes`.
    Raises ServiceError when the file cannot be read."""
    plan = plan_import(workspace.template(template_code), read_word_file(path))[2]
    if notes is not None:
        notes += plan.notes
    return plan.figures


def import_docx_report(workspace, path: str | Path, template_code: str, period_start, period_end=None,
                       number: str = "", report_date=None, figures=()) -> DocxImport:
    """Create a report of `template_code` for the period from a Word file. The file is read and sorted
    before anything is written; the report and its texts are written in one transaction.

    `figures`: the figures the text states that the clerk accepted, as (indicator, field) keys of
    `DocxImport.figures` (plan_import/preview_import list them), or "all"; each is stored as if typed."""

    template = workspace.template(template_code)
    word = read_word_file(path)
    paragraphs = word.paragraphs
    if not any(p.text or any(isinstance(x, Footnote) for x in p.content) for p in paragraphs):
        raise ServiceError(f"Tệp “{Path(path).name}” không có chữ nào trong thân văn bản; không có gì để nhập.")
    with events.batched(), workspace.store.transaction():
        report = workspace.create_report(template_code, period_start, period_end, number=number,
                                         report_date=report_date)
        # the tables as the new report has them: rows named after the unit profile match the Word file's
        texts, unplaced, result = plan_import(template.for_report(report.table_rows), word)
        fields = header_fields(workspace, report, result.header, number_given=bool(number),
                               date_given=report_date is not None)
        if fields:
            workspace.set_header(report.id, **fields)
        result.header_set = list(fields)
        for section_path, paras in texts.items():
            markup = richtext.serialize(paras)
            if not richtext.is_empty(markup):
                workspace.set_section_text(report.id, section_path, markup)
        if unplaced:
            workspace.set_section_text(report.id, UNPLACED_PATH, richtext.serialize(unplaced))
        for table_code, row_code, column_code, text in result.cells:
            workspace.set_cell(report.id, table_code, row_code, column_code, text)
        accepted = None if figures == "all" else {tuple(key) for key in figures}
        for proposal in result.figures:
            if accepted is None or proposal.key in accepted:
                try:
                    workspace.set_value(report.id, proposal.indicator, proposal.field, format_number(proposal.value))
                except UserError as exc:
                    if proposal.origin != "export":
                        raise
                    # a carried figure the indicator's rule refuses (a part made by hand): said, not stored
                    result.notes.append(f"Không lấy số lưu kèm “{proposal.description()}”: {exc}")
                    continue
                result.figures_set.append(proposal.key)
    result.report_id = report.id
    return result


def report_number(workspace, template_code: str, written: str) -> str:
    """A Số as a report of `template_code` stores it: the number alone when the file writes it in the unit's
    numbering form ("430-BC/ĐU" → "430"), else as written."""
    unit = workspace.require_unit()
    template = workspace.template(template_code)
    suffix = symbol_suffix(workspace.number_pattern(unit, template.format), template.doc_type, unit.symbol)
    return number_part(written, suffix) or written


def header_fields(workspace, report, found: ImportedHeader, number_given: bool = False,
                  date_given: bool = False) -> dict:
    """The header items (Workspace.set_header fields) a new report takes from its Word file: those the file
    states differently from what the report prints already. The Số is kept as the number alone when it is
    in the unit's numbering form, else as written (the document check then says what is wrong with it);
    a Số or date the user gave wins over the file's."""
    current = workspace.report_header(report)
    fields: dict = {}
    if found.number and not number_given:
        fields["number"] = report_number(workspace, report.template_code, found.number)
    if found.date and not date_given and found.date != current.date:
        fields["report_date"] = found.date.isoformat()
    if found.place and found.place != current.place:
        fields["place"] = found.place
    for key in ("subject", "closing"):
        value = getattr(found, key)
        if value and " ".join(value.split()) != " ".join(getattr(current, key).split()):
            fields[key] = value
    if found.basis:
        fields["basis"] = "\n".join(found.basis)
    if found.recipients and tuple(found.recipients) != tuple(current.recipients):
        fields["recipients"] = list(found.recipients)
    signer = found.signer
    if signer is not None and signer != current.signer:
        chosen = next((s for s in workspace.signers() if s.name and normalize_title(s.name) == normalize_title(
            signer.name) and normalize_title(s.title) == normalize_title(signer.title)), None)
        if chosen is not None:
            fields["signer_id"] = chosen.id
        fields["signer"] = signer
    return fields


def import_docx(workspace, path: str | Path, template_code: str, period_start, period_end=None,
                number: str = "", report_date=None) -> str:
    """Import a Word report as a new report; returns the new report's id (ServiceError on bad input)."""
    return import_docx_report(workspace, path, template_code, period_start, period_end, number,
                              report_date).report_id
