"""The one layout of an official document: DocumentModel + format file → a LayoutPlan.

Every layout decision is made here, once: which paragraphs there are and in which order (header
table, title, summary, the rule or "-----" under it, the căn cứ paragraphs, headings, body paragraphs, data tables, charts,
the closing, the signature block with "Nơi nhận:"), each paragraph's style (font, size, alignment,
spacing, first-line indent, keep-with-next, widow control, outline level), where the end mark
("./.") goes, footnote numbers, column widths, rules under the issuer, the motto and the summary,
and on which pages the page number is printed.

Two renderers draw the same plan without deciding anything about the layout: document/docx_writer.py
(a Word file) and ui/print_typeset.py + ui/print_document.py (print preview, printing, Qt's PDF).
They only translate the plan into their medium (Word XML; a QTextDocument cut into pages).

No Qt and no python-docx here: the plan is plain data and is tested as such (tests/document/test_layout.py).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

from ..domain.doc_number import number_part, symbol_suffix
from ..domain.dates import format_date_line
from ..domain.numbers import number_or_none
from ..domain.richtext import Footnote, Run, Table, is_total_label, table_of
from .formats import DocumentFormat, Spacing, TextStyle, load_format
from .model import Body, ChartBlock, DocumentModel, Heading, TableBlock

# Style ids (ASCII, stable: tests and later readers look them up) → shown names in Word.
STYLE_NAMES = {
    "PageTop": "Dòng neo đầu trang",
    "UpperBody": "Cơ quan cấp trên",
    "Issuer": "Cơ quan ban hành",
    "IssuerStar": "Dấu sao",
    "DocNumber": "Số và ký hiệu",
    "PartyMotto": "Tiêu đề, Quốc hiệu",
    "Motto2": "Tiêu ngữ",
    "Motto3": "Tiêu đề dòng 3",
    "Motto4": "Tiêu đề dòng 4",
    "MottoRule": "Đường kẻ dưới tiêu đề",
    "DateLine": "Địa danh và ngày tháng",
    "DocTitle": "Tên loại văn bản",
    "DocSummary": "Trích yếu",
    "SummaryRule": "Gạch dưới trích yếu",
    "Basis": "Căn cứ",
    "Closing": "Đoạn kết",
    "SignerAuthority": "Quyền hạn người ký",
    "SignerTitle": "Chức vụ người ký",
    "SignatureSpace": "Chỗ ký",
    "SignerName": "Họ tên người ký",
    "RecipientsLabel": "Nơi nhận",
    "RecipientItem": "Danh sách nơi nhận",
    "TableTitle": "Tên bảng",
    "TableHeader": "Tiêu đề cột bảng",
    "TableLabel": "Tên dòng bảng",
    "TableCell": "Ô số liệu",
    "TableTotalLabel": "Tên dòng tổng",
    "TableTotal": "Ô tổng cộng",
    "TableAfter": "Sau bảng",
    "ChartTitle": "Tên biểu đồ",
    "ChartPicture": "Biểu đồ",
    "DraftMark": "Dấu dự thảo",
}
MOTTO_STYLES = ("PartyMotto", "Motto2", "Motto3", "Motto4")
HEADING_LEVELS = 5
NORMAL_ID = "Normal"
HEADER_ID = "Header"  # the page number's paragraph
FOOTNOTE_TEXT_ID = "FootnoteText"
FOOTNOTE_REF_ID = "FootnoteReference"

# Characters XML 1.0 cannot hold (Word pastes sometimes carry them): dropped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TRAILING = " \t.;,:/"


# == text rules =====================================================================================
def clean_text(text: str | None) -> str:
    """NFC, no characters XML cannot store."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _XML_INVALID.sub("", text) if _XML_INVALID.search(text) else text


def number_line(model: DocumentModel, fmt: DocumentFormat) -> str:
    """ "Số 12-BC/ĐU" (Party), "Số: 12/BC-UBND" (State): the format's pattern, numbers below 10 padded
    as the format says ("05"); the blank to fill by hand when the number is not given yet."""
    line = fmt.header.number
    number = clean_text(model.number).strip()
    doc_type, symbol = clean_text(model.doc_type).strip(), clean_text(model.issuer_symbol).strip()
    # "108-BC/ĐU" typed in full prints once, not "Số 108-BC/ĐU-BC/ĐU"
    number = number_part(number, symbol_suffix(line.pattern, doc_type, symbol)) or number
    pattern = line.pattern if number else line.blank
    return clean_text(pattern.format(number=line.pad(number), doc_type=doc_type, issuer_symbol=symbol))


def issuer_lines(model: DocumentModel, fmt: DocumentFormat) -> str:
    """The issuer's name as printed: wrapped before the first word the format names (State:
    "ỦY BAN NHÂN DÂN" / "XÃ LÙNG PHÌNH"), in the format's case; lines joined by "\n"."""
    h = fmt.header
    name = " ".join(clean_text(model.issuer).split())
    if h.issuer_breaks and "\n" not in name:
        words = "|".join(re.escape(w) for w in sorted(h.issuer_breaks, key=len, reverse=True))
        match = re.search(rf"\s(?=(?:{words})(?!\w))", name, flags=re.IGNORECASE)
        if match is not None and match.start() > 0:
            name = name[:match.start()] + "\n" + name[match.end():]
    return h.issuer.apply_case(name)


def with_end_mark(text: str, mark: str) -> str:
    """ "… xã Bình Lư." → "… xã Bình Lư./." (the format's end mark, once, after the last word)."""
    text = text.rstrip()
    if not mark or text.endswith(mark):
        return text
    return text.rstrip(_TRAILING) + mark


def date_line(model: DocumentModel, fmt: DocumentFormat) -> str:
    """ "Lùng Phình, ngày 08 tháng 6 năm 2026", or the blank "…, ngày    tháng    năm 20  "."""
    place = clean_text(model.place).strip()
    if model.date is None:
        return clean_text(fmt.header.date_line.blank.format(place=place))
    return clean_text(format_date_line(place, model.date))


def content_with_end_mark(content, mark: str) -> tuple:
    """A body paragraph's runs with the end mark after its last word (before trailing footnotes)."""
    items = list(content)
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        if isinstance(item, Run) and item.text.strip():
            if "".join(i.text for i in items if isinstance(i, Run)).rstrip().endswith(mark):
                return tuple(items)
            items[index] = Run(with_end_mark(clean_text(item.text), mark), item.bold, item.italic, item.underline)
            return tuple(items)
    return tuple(items) + (Run(mark),)


def table_column_widths(block: TableBlock, fmt: DocumentFormat) -> list[float]:
    """Column widths (mm) summing to the text width, sized to the content (Times metrics):

    the figure columns are at least as wide as their longest figure and the longest word of their
    heading (so "5.575.813.000" and "(người)" never break), the label column as wide as its longest
    label up to label_width_ratio of the text width (never below label_min_width_ratio), and the
    room left over is shared equally by the figure columns. When even that cannot fit, headings may
    wrap inside words but figures still fit; as a last resort the widths follow the figures."""
    from .metrics import text_width_mm

    t = fmt.tables
    total = fmt.text_width_mm
    columns = len(block.header)
    if columns <= 1:
        return [total] * columns
    pad = 2 * t.cell_margin_mm + 1.0
    totals = set(block.total_rows)

    def longest(texts, style, whole: bool = False) -> float:
        widest = 0.0
        for text in texts:
            for piece in ([clean_text(text)] if whole else clean_text(text).split()):
                widest = max(widest, text_width_mm(piece, style.size, style.bold, style.italic))
        return widest + pad

    def cells(col: int, total_rows: bool):
        return [row[col] for r, row in enumerate(block.rows) if col < len(row) and (r in totals) == total_rows]

    figures = [max(longest(cells(c, False), t.cell), longest(cells(c, True), t.total)) for c in range(1, columns)]
    wanted = [max(f, longest([block.header[c]], t.header)) for f, c in zip(figures, range(1, columns))]
    labels = cells(0, False)
    label_min = max(total * t.label_min_width_ratio,
                    min(longest(labels + cells(0, True), t.label), total * t.label_width_ratio))
    label = max(label_min, min(longest(labels, t.label, whole=True), total * t.label_width_ratio))
    for needs in (wanted, figures):
        for label_width in (label, label_min):
            rest = total - label_width
            if sum(needs) <= rest:
                extra = (rest - sum(needs)) / len(needs)
                return [label_width] + [n + extra for n in needs]
    rest = total - label_min
    if sum(figures) <= rest:  # pragma: no cover - covered by the loop above
        return [label_min] + figures
    return [label_min] + [rest * f / sum(figures) for f in figures]


# == the plan =======================================================================================
@dataclass(frozen=True)
class ParagraphStyle:
    """A named paragraph style: Word gets it as a style, the print renderer formats with it."""
    id: str  # "Normal", "Heading1", "DocTitle"…
    text: TextStyle
    spacing: Spacing
    keep_with_next: bool = False  # no page break between this paragraph and the next
    widow_control: bool | None = None  # None: not set on the style
    outline_level: int | None = None  # headings: 0 for level 1
    custom: bool = True  # False: one of Word's built-in styles (Normal, Heading n, Header, footnote text)

    @property
    def name(self) -> str:
        return STYLE_NAMES.get(self.id, self.id)


@dataclass(frozen=True)
class NoteRef:
    """Where footnote `number` (1-based, in reading order) is cited in a paragraph."""
    number: int


@dataclass(frozen=True)
class Rule:
    """A horizontal rule drawn as the paragraph (it has no text): `length_mm` long, centred in a space
    `available_mm` wide (the cell or the text width), `width_pt` thick, under the paragraph's line."""
    length_mm: float
    width_pt: float
    available_mm: float


@dataclass(frozen=True)
class Para:
    """One paragraph: a style id and either plain `text` ("\n" is a line break inside the paragraph)
    or `runs` (Run and NoteRef items: body paragraphs and headings)."""
    style: str
    text: str = ""
    runs: tuple = ()
    rule: Rule | None = None
    underline: bool = False  # every run underlined (a motto line whose rule is "underline")
    end_mark: bool = False  # the end mark of the document is in this paragraph's text


@dataclass(frozen=True)
class FrameTable:
    """A borderless two-column table: the header (issuer | motto, number | date) or the signature
    block (Nơi nhận | signer). rows: (left cell paragraphs, right cell paragraphs) per row; an empty
    cell is left as the medium makes it."""
    role: str  # "header" | "signature"
    left_mm: float
    right_mm: float
    indent_mm: float  # from the left margin (negative: into the margin)
    cell_margin_mm: float
    rows: tuple[tuple[tuple[Para, ...], tuple[Para, ...]], ...]
    space_before_pt: float = 0.0  # room above the table
    keep_together: bool = False  # never split across pages

    @property
    def width_mm(self) -> float:
        return self.left_mm + self.right_mm


@dataclass(frozen=True)
class DataTable:
    """A bordered grid (a template's table of figures, or a free table of the text): its header row
    repeats on every page and no row splits."""
    widths_mm: tuple[float, ...]
    header: tuple[Para, ...]  # one paragraph per column; empty: the table has no header row
    rows: tuple[tuple[Para, ...], ...]
    border_pt: float
    cell_margin_mm: float  # left and right; a third of it above and below
    space_after_pt: float  # room below the table (Word: a 1 pt paragraph with that space after)


@dataclass(frozen=True)
class Picture:
    """A chart's picture, centred in its own paragraph (`style`), `width_mm` wide."""
    png: bytes = field(repr=False)
    width_mm: float
    description: str  # alternative text: what the chart shows
    style: str = "ChartPicture"


@dataclass(frozen=True)
class Anchor:
    """A hairline paragraph where a document would otherwise start or end with a table."""
    style: str = "PageTop"


@dataclass(frozen=True)
class DraftMark:
    """ "DỰ THẢO" at the top left of page 1, above the header, on a document not signed yet: its
    paragraph (style "DraftMark", centred in the box), in a box `width_mm` wide (the text and
    `padding_mm` on each side) `left_mm` from the left margin, drawn `border_pt` thick (0: no box);
    `space_after_pt` below the box."""
    para: Para
    left_mm: float
    width_mm: float
    padding_mm: float
    border_pt: float
    space_after_pt: float


PlanBlock = Para | FrameTable | DataTable | Picture | Anchor | DraftMark


@dataclass(frozen=True)
class PageNumbers:
    position: str  # "top" | "bottom"
    align: str
    size: float
    show_on_first_page: bool

    def shown_on(self, page: int) -> bool:
        """Whether page `page` (1-based) carries its number."""
        return page > 1 or self.show_on_first_page


@dataclass(frozen=True)
class LayoutPlan:
    fmt: DocumentFormat
    styles: tuple[ParagraphStyle, ...]  # in the order Word defines them
    blocks: tuple[PlanBlock, ...]
    footnotes: tuple[Footnote, ...]  # footnote n is footnotes[n - 1]
    page_numbers: PageNumbers
    document_name: str  # "BÁO CÁO Khái quát tình hình…": the file's title, the print job's name
    author: str
    _by_id: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {s.id: s for s in self.styles})

    def style(self, style_id: str) -> ParagraphStyle:
        """The style a paragraph names (KeyError: the plan has no such style)."""
        return self._by_id[style_id]

    def paragraphs(self):
        """Every paragraph of the plan in reading order (cells row by row, left cell first)."""
        for block in self.blocks:
            if isinstance(block, Para):
                yield block
            elif isinstance(block, DraftMark):
                yield block.para
            elif isinstance(block, FrameTable):
                for left, right in block.rows:
                    yield from left
                    yield from right
            elif isinstance(block, DataTable):
                yield from block.header
                for row in block.rows:
                    yield from row


class Renderer(Protocol):
    """What a renderer of the plan does with each kind of block (docx_writer, ui/print_typeset)."""
    def paragraph(self, para: Para) -> object: ...
    def frame_table(self, block: FrameTable) -> None: ...
    def data_table(self, block: DataTable) -> None: ...
    def picture(self, block: Picture) -> None: ...
    def anchor(self, block: Anchor) -> None: ...
    def draft_mark(self, block: DraftMark) -> None: ...


_DRAW = {Para: "paragraph", FrameTable: "frame_table", DataTable: "data_table", Picture: "picture", Anchor: "anchor",
         DraftMark: "draft_mark"}


def draw(plan: LayoutPlan, renderer: Renderer) -> None:
    """Hand every block of the plan, in order, to the renderer's method for its kind."""
    for block in plan.blocks:
        getattr(renderer, _DRAW[type(block)])(block)


# == styles =========================================================================================
def plan_styles(fmt: DocumentFormat) -> tuple[ParagraphStyle, ...]:
    """Every paragraph style of a document in this format, in the order Word defines them."""
    P = ParagraphStyle
    out = [P(NORMAL_ID, fmt.body.text, fmt.body.spacing, widow_control=fmt.widow_control, custom=False)]
    for level in range(1, HEADING_LEVELS + 1):
        pf = fmt.heading(level)
        out.append(P(f"Heading{level}", pf.text, pf.spacing, keep_with_next=True, outline_level=level - 1,
                     custom=False))
    pn = fmt.page_number
    out.append(P(HEADER_ID, TextStyle(size=pn.size, align=pn.align), Spacing(), custom=False))

    h = fmt.header
    table_sp = h.spacing
    out.append(P("PageTop", TextStyle(size=1), Spacing(line_rule="exact", line_spacing=1)))
    out.append(P("UpperBody", h.upper_body, table_sp))
    out.append(P("Issuer", h.issuer, table_sp))
    mark = h.mark()
    if mark.kind == "rule":  # a paragraph as high as the gap, its bottom border is the rule
        out.append(P("IssuerStar", TextStyle(size=1, align="center"),
                     Spacing(line_rule="exact", line_spacing=max(mark.rule_gap_pt, 1.0))))
    else:
        out.append(P("IssuerStar", mark.style, table_sp))
    out.append(P("DocNumber", h.number.style, table_sp))
    for style_id, line in zip(MOTTO_STYLES, h.motto.all_lines()):
        out.append(P(style_id, line.style, table_sp))
    out.append(P("MottoRule", TextStyle(size=1, align="center"),
                 Spacing(line_rule="exact", line_spacing=max(h.motto.rule_gap_pt, 1.0))))
    out.append(P("DateLine", h.date_line.style, table_sp))
    out.append(P("DocTitle", fmt.title.text, fmt.title.spacing, keep_with_next=True))
    out.append(P("DocSummary", fmt.summary.text, fmt.summary.spacing, keep_with_next=True))
    sep = fmt.separator
    if sep.kind == "rule":
        out.append(P("SummaryRule", TextStyle(size=1, align="center"), sep.spacing))
    else:
        out.append(P("SummaryRule", sep.style, sep.spacing))
    out.append(P("Basis", fmt.body.text, fmt.body.spacing))  # the căn cứ is the first body paragraph
    out.append(P("Closing", fmt.closing.text, fmt.closing.spacing, keep_with_next=True))
    s = fmt.signature
    out.append(P("SignerAuthority", s.on_behalf, s.spacing, keep_with_next=True))
    out.append(P("SignerTitle", s.title, s.spacing, keep_with_next=True))
    out.append(P("SignatureSpace", TextStyle(size=s.name.size, align="center"),
                 Spacing(line_rule="exact", line_spacing=max(s.signature_space_mm * 72 / 25.4, 1.0)),
                 keep_with_next=True))
    out.append(P("SignerName", s.name, s.spacing))
    t = fmt.tables
    if t is not None:
        cell_sp = Spacing(line_rule="single", line_spacing=1)
        out.append(P("TableTitle", t.title.text, t.title.spacing, keep_with_next=True))
        out.append(P("TableHeader", t.header, cell_sp))
        out.append(P("TableLabel", t.label, cell_sp))
        out.append(P("TableCell", t.cell, cell_sp))
        out.append(P("TableTotalLabel", TextStyle(size=t.total.size, bold=t.total.bold, italic=t.total.italic,
                                                  align="left"), cell_sp))
        out.append(P("TableTotal", t.total, cell_sp))
        out.append(P("TableAfter", TextStyle(size=1), Spacing(space_after_pt=t.space_after_pt,
                                                              line_rule="exact", line_spacing=1)))
    c = fmt.charts
    if c is not None:
        out.append(P("ChartTitle", c.title.text, c.title.spacing, keep_with_next=True))
        out.append(P("ChartPicture", TextStyle(size=fmt.body.text.size, align="center"),
                     Spacing(space_before_pt=c.space_before_pt, space_after_pt=c.space_after_pt)))
    r = fmt.recipients
    out.append(P("RecipientsLabel", r.label_style, s.spacing, keep_with_next=True))
    out.append(P("RecipientItem", r.item, s.spacing))
    fn = fmt.footnotes
    out.append(P(FOOTNOTE_TEXT_ID, fn.text, fn.spacing, custom=False))
    return tuple(out) + (draft_mark_style(fmt),)


def draft_mark_style(fmt: DocumentFormat) -> ParagraphStyle:
    """The draft mark's paragraph: the format's text style centred in its box (the format's `align`
    places the box), one line, the room below it after."""
    from dataclasses import replace

    d = fmt.draft_mark
    return ParagraphStyle("DraftMark", replace(d.style, align="center"), Spacing(space_after_pt=d.space_after_pt))


# == building the plan ==============================================================================
def build_plan(model: DocumentModel, fmt: DocumentFormat | None = None) -> LayoutPlan:
    """The layout of `model` in its format (or `fmt`). Charts given as a spec are drawn here; a chart
    that cannot be drawn (charts.ChartError) is left out with its title."""
    if fmt is None:
        fmt = load_format(model.format_code)
    return _Planner(model, fmt).plan()


class _Planner:
    def __init__(self, model: DocumentModel, fmt: DocumentFormat):
        self.model = model
        self.fmt = fmt
        self.blocks: list[PlanBlock] = []
        self.footnotes: list[Footnote] = []

    def plan(self) -> LayoutPlan:
        model, fmt = self.model, self.fmt
        self.blocks.append(Anchor())  # a document cannot start with a table
        self._draft_mark()
        self.blocks.append(self._header_table())
        self._title_block()
        self._basis()
        self._text()
        signature = self._signature_table()
        if signature is not None:
            self.blocks.append(signature)
            self.blocks.append(Anchor())  # …nor end with one
        pn = fmt.page_number
        name = " ".join(x for x in (clean_text(model.title).strip(), clean_text(model.summary).strip()) if x)
        return LayoutPlan(fmt, plan_styles(fmt), tuple(self.blocks), tuple(self.footnotes),
                          PageNumbers(pn.position, pn.align, pn.size, pn.show_on_first_page),
                          name, clean_text(model.issuer).strip())

    # -- the draft mark ------------------------------------------------------------------------------
    def _draft_mark(self) -> None:
        """A document not signed yet is marked as the format says; a signed one never."""
        if not self.model.is_draft:
            return
        from .metrics import text_width_mm

        d = self.fmt.draft_mark
        text = d.style.apply_case(clean_text(d.text).strip())
        # 1 mm of slack: Word and Qt measure a little differently and the mark must stay on one line
        room = self.fmt.text_width_mm
        width = min(text_width_mm(text, d.style.size, d.style.bold, d.style.italic) + 1.0 + 2 * d.padding_mm, room)
        left = {"right": room - width, "center": (room - width) / 2}.get(d.style.align, 0.0)
        self.blocks.append(DraftMark(Para("DraftMark", text), left, width, d.padding_mm,
                                     d.border_pt if d.frame else 0.0, d.space_after_pt))

    # -- header, title -------------------------------------------------------------------------------
    def _header_table(self) -> FrameTable:
        model, fmt = self.model, self.fmt
        h = fmt.header
        mark = h.mark()
        left: list[Para] = []
        if clean_text(model.upper_body).strip():
            left.append(Para("UpperBody", h.upper_body.apply_case(" ".join(clean_text(model.upper_body).split()))))
        left.append(Para("Issuer", issuer_lines(model, fmt)))
        if mark.kind == "rule":  # a short rule under the issuer (State)
            left.append(Para("IssuerStar", rule=Rule(mark.rule_length_mm, mark.rule_width_pt,
                                                     h.left_width_mm - 2 * h.cell_margin_mm)))
        else:
            left.append(Para("IssuerStar", mark.text))
        left.append(Para("DocNumber", number_line(model, fmt)))
        motto = h.motto
        lines = motto.all_lines()
        underline = motto.rule == "underline"
        right0 = [Para(style_id, line.style.apply_case(line.text), underline=underline and index == len(lines) - 1)
                  for index, (style_id, line) in enumerate(zip(MOTTO_STYLES, lines))]
        if not underline and motto.rule_length_mm > 0:
            right0.append(Para("MottoRule", rule=Rule(motto.rule_length_mm, motto.rule_width_pt,
                                                      h.right_width_mm - 2 * h.cell_margin_mm)))
        rows = [(p,) for p in left]
        right = [tuple(right0)] + [(Para("DateLine"),)] * (len(left) - 2) + [(Para("DateLine", date_line(model, fmt)),)]
        return FrameTable("header", h.left_width_mm, h.right_width_mm, h.indent_mm, h.cell_margin_mm,
                          tuple(zip(rows, right)))

    def _title_block(self) -> None:
        model, fmt = self.model, self.fmt
        title = clean_text(model.title).strip()
        if title:
            self.blocks.append(Para("DocTitle", fmt.title.text.apply_case(title)))
        summary = clean_text(model.summary).strip()
        if summary:
            self.blocks.append(Para("DocSummary", fmt.summary.text.apply_case(summary)))
        sep = fmt.separator
        if sep.kind == "rule":  # a centred rule (State) instead of "-----"
            self.blocks.append(Para("SummaryRule", rule=Rule(sep.rule_length_mm, sep.rule_width_pt,
                                                             fmt.text_width_mm)))
        else:
            self.blocks.append(Para("SummaryRule", sep.text))

    def _basis(self) -> None:
        """The căn cứ ("Thực hiện Kế hoạch số …, … báo cáo như sau:"): the first body paragraphs, under the
        trích yếu's rule, before the first heading."""
        for paragraph in self.model.basis:
            text = " ".join(clean_text(paragraph).split())
            if text:
                self.blocks.append(Para("Basis", text))

    # -- the text and its end mark -------------------------------------------------------------------
    def _text(self) -> None:
        """The blocks, then the closing. The end mark ("./.") ends the text once: after the closing
        when there is one, else after the last body paragraph, else (the text ends with a table or
        a chart) in a paragraph of its own."""
        fmt, mark = self.fmt, self.fmt.end_mark
        blocks = list(self.model.blocks)
        closing = clean_text(self.model.closing).strip()
        mark_in_body = not closing and bool(mark) and bool(blocks) and isinstance(blocks[-1], Body) \
            and table_of(blocks[-1].content) is None
        for index, block in enumerate(blocks):
            if isinstance(block, Heading):
                self._heading(block)
            elif isinstance(block, Body) and table_of(block.content) is not None:
                self._free_table(table_of(block.content))
            elif isinstance(block, Body):
                last = mark_in_body and index == len(blocks) - 1
                content = content_with_end_mark(block.content, mark) if last else block.content
                self.blocks.append(Para(NORMAL_ID, runs=self._runs(content), end_mark=last))
            elif isinstance(block, TableBlock):
                self._data_table(block)
            elif isinstance(block, ChartBlock):
                self._chart(block)
            else:  # pragma: no cover - the model allows only these
                raise TypeError(f"unknown block {block!r}")
        if not closing and not mark_in_body and mark and blocks:
            closing = mark  # the text ends with a table or a chart: the mark after it
        if closing:
            self.blocks.append(Para("Closing", with_end_mark(fmt.closing.text.apply_case(closing), mark),
                                    end_mark=bool(mark)))

    def _runs(self, content) -> tuple:
        out = []
        for item in content:
            if isinstance(item, Run):
                out.append(item)
            elif isinstance(item, Footnote):
                self.footnotes.append(item)
                out.append(NoteRef(len(self.footnotes)))
            else:
                raise TypeError(f"Body.content holds runs and footnotes, not {type(item).__name__}")
        return tuple(out)

    def _heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), HEADING_LEVELS)
        number = clean_text(block.number).strip()
        title = clean_text(block.title).strip()
        text = f"{number} {title}" if number and title else (number or title)
        self.blocks.append(Para(f"Heading{level}", runs=(Run(self.fmt.heading(level).text.apply_case(text)),)))

    def _data_table(self, block: TableBlock) -> None:
        fmt, t = self.fmt, self.fmt.tables
        if t is None:
            return
        title = clean_text(block.title).strip()
        if title:
            self.blocks.append(Para("TableTitle", title))
        columns = max(1, len(block.header))
        widths = table_column_widths(block, fmt) if block.header else [fmt.text_width_mm]
        header = tuple(Para("TableHeader", clean_text(block.header[c] if c < len(block.header) else ""))
                       for c in range(columns))
        totals = set(block.total_rows)
        rows = []
        for r, values in enumerate(block.rows):
            label, cell = ("TableTotalLabel", "TableTotal") if r in totals else ("TableLabel", "TableCell")
            rows.append(tuple(Para(label if c == 0 else cell, clean_text(values[c] if c < len(values) else ""))
                              for c in range(columns)))
        self.blocks.append(DataTable(tuple(widths), header, tuple(rows), t.border_pt, t.cell_margin_mm,
                                     t.space_after_pt))

    def _free_table(self, table: Table) -> None:
        """A table of the text: laid out like a table of figures (bordered, header row repeated, widths from
        the content), its cells keeping their runs and footnotes; a number is set as a figure, a total row
        ("Tổng …", "Cộng") in the total styles."""
        fmt, t = self.fmt, self.fmt.tables
        if t is None or not table.rows:
            return
        texts = table.cell_texts()
        columns = table.columns
        rows = [tuple(row) + ((),) * (columns - len(row)) for row in table.rows]
        head, body = (rows[0], rows[1:]) if table.header else ((), rows)
        body_texts = texts[1:] if table.header else texts
        totals = tuple(r for r, row in enumerate(body_texts) if is_total_label(row[0]))
        sizing = TableBlock("", tuple(texts[0]) if table.header else ("",) * columns, tuple(map(tuple, body_texts)),
                            totals)
        widths = table_column_widths(sizing, fmt)
        header = tuple(Para("TableHeader", runs=self._runs(cell) or (Run(""),)) for cell in head)
        out_rows = []
        for r, (row, row_texts) in enumerate(zip(body, body_texts)):
            total = r in totals
            cells = []
            for c, (cell, text) in enumerate(zip(row, row_texts)):
                figure = c > 0 and number_or_none(text) is not None
                style = (("TableTotal" if figure else "TableTotalLabel") if total
                         else ("TableCell" if figure else "TableLabel"))
                cells.append(Para(style, runs=self._runs(cell) or (Run(""),)))
            out_rows.append(tuple(cells))
        self.blocks.append(DataTable(tuple(widths), header, tuple(out_rows), t.border_pt, t.cell_margin_mm,
                                     t.space_after_pt))

    def _chart(self, block: ChartBlock) -> None:
        """The chart's title above, the picture centred: as wide as asked, never wider than the
        format's maximum or the text."""
        from .charts import ChartError

        c = self.fmt.charts
        if c is None:
            return
        try:
            png = block.picture()
        except ChartError:
            return  # cannot be drawn here (matplotlib missing): the document goes without it
        title = clean_text(block.title).strip()
        if title:
            self.blocks.append(Para("ChartTitle", title))
        width = min(max(block.width_mm, 20.0), c.max_width_mm, self.fmt.text_width_mm)
        self.blocks.append(Picture(png, width, title))

    # -- signature -----------------------------------------------------------------------------------
    def _signature_table(self) -> FrameTable | None:
        """Nơi nhận (left) and the signer (right) side by side, under the closing."""
        model, fmt = self.model, self.fmt
        s, r = fmt.signature, fmt.recipients
        recipients = [clean_text(x).strip() for x in model.recipients if clean_text(x).strip()]
        signer = model.signer
        if not recipients and signer is None:
            return None
        left: list[Para] = []
        if recipients:
            left.append(Para("RecipientsLabel", r.label_style.apply_case(r.label)))
            for item in recipients:
                if r.item_prefix and not item.startswith(("-", "–", "+")):
                    item = r.item_prefix + item
                left.append(Para("RecipientItem", r.item.apply_case(item)))
        right: list[Para] = []
        if signer is not None:
            for style_id, ts, value in (("SignerAuthority", s.on_behalf, signer.on_behalf),
                                        ("SignerTitle", s.title, signer.title)):
                value = clean_text(value).strip()
                if value:
                    right.append(Para(style_id, ts.apply_case(value)))
            right.append(Para("SignatureSpace"))
            right.append(Para("SignerName", s.name.apply_case(clean_text(signer.name).strip())))
        return FrameTable("signature", s.left_width_mm, s.right_width_mm, s.indent_mm, s.cell_margin_mm,
                          ((tuple(left), tuple(right)),), space_before_pt=s.space_before_pt, keep_together=True)
