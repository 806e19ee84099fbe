"""The official document laid out on pages with Qt: print preview, printing and the PDF fallback.

A DocumentModel is typeset into a QTextDocument following the same format file as the DOCX writer
(resources/formats/*.yaml): the page and margins, the font, the header table without borders, the
title block, headings, justified body paragraphs with first-line indent and Word's exact line
spacing, data tables, the closing, the signature block with "Nơi nhận:", and page numbers.

Pagination is done here, not by QTextDocument: the document is laid out as one long column and cut
into pages between lines (Word's rules: a heading stays with what follows, widow/orphan control,
a table row never splits and a data table's header row is repeated on the next page). That lets
footnotes sit at the foot of the page that cites them, under a short rule, like Word's: a footnote
starts on the page of its reference and continues on the next page when it does not fit.

Every length is in twips (1/20 pt, 1/1440 inch) and fonts are sized in pixels of that unit; the
document has no paint device, so Qt applies no DPI scaling and the layout is the same on every screen
and printer. Painting scales twips to the device's resolution.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextImageFormat,
    QTextLength,
    QTextTableCellFormat,
    QTextTableFormat,
)
from PySide6.QtPrintSupport import QPrinter

from ..document.docx_writer import (
    _content_with_end_mark,
    clean_text,
    date_line,
    issuer_lines,
    number_line,
    table_column_widths,
    with_end_mark,
)
from ..document.formats import DocumentFormat, Spacing, TextStyle, load_format
from ..document.model import Body, ChartBlock, DocumentModel, Heading, TableBlock
from ..domain.richtext import Footnote, Run

TWIPS = 1440.0  # per inch
SINGLE_LINE = 1.15  # Word's "single" line of Times New Roman (and its metric twins): 1.15 × the size
FOOTNOTE_RULE_MM = 50.8  # Word's footnote separator: 2 inches
SERIF_FALLBACKS = ("Times New Roman", "Liberation Serif", "Tinos", "Nimbus Roman", "Nimbus Roman No9 L",
                   "Times", "DejaVu Serif", "Serif")
ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
    "justify": Qt.AlignmentFlag.AlignJustify,
}
BLACK = QColor(0, 0, 0)

# What a root paragraph is, for pagination (a block format property).
KIND = int(QTextFormat.Property.UserProperty.value) + 1
K_NORMAL, K_KEEP, K_BODY = 0, 1, 2  # break anywhere | keep with the next | widow/orphan control


class PrintError(Exception):
    """Printing or the PDF could not be done; the message is Vietnamese."""


def mm(value: float) -> float:
    return value * TWIPS / 25.4


def pt(value: float) -> float:
    return value * 20.0


@dataclass
class Unit:
    """A piece of the column that never splits: a line of text, or a table row."""
    top: float
    bottom: float
    keep: bool = False  # no page break right after it
    notes: list[int] = field(default_factory=list)  # footnotes referenced in it (0-based)
    table: int | None = None  # data table index when it is a row of one
    row: int = -1


@dataclass
class Slice:
    top: float
    bottom: float
    reach_up: float = 0.0  # room above `top` that may be painted (accents over capitals)


@dataclass
class Page:
    number: int  # 1-based
    slices: list[Slice]
    notes: tuple[int, int] | None = None  # footnote-column units [start, end) at the page's foot


def font_families(preferred: str) -> list[str]:
    """The format's font, then metric-compatible stand-ins (Liberation Serif on Linux)."""
    names = [preferred] + [n for n in SERIF_FALLBACKS if n != preferred]
    available = set(QFontDatabase.families())
    found = [n for n in names if n in available]
    return found or names


class PrintDocument:
    """A DocumentModel laid out in pages. `render(printer)` paints them; `write_pdf` makes a PDF."""

    def __init__(self, model: DocumentModel, fmt: DocumentFormat | None = None):
        self.model = model
        self.fmt = fmt or load_format(model.format_code)
        f = self.fmt
        self.families = font_families(f.font_name)
        self.page_w, self.page_h = mm(f.page.width_mm), mm(f.page.height_mm)
        self.left, self.top = mm(f.margins.left), mm(f.margins.top)
        self.text_w = mm(f.text_width_mm)
        self.text_h = mm(f.page.height_mm - f.margins.top - f.margins.bottom)
        h, s = f.header, f.signature
        self.extra_left = mm(max(0.0, -min(h.indent_mm, s.indent_mm)))
        right_edge = max(f.text_width_mm, h.indent_mm + h.left_width_mm + h.right_width_mm,
                         s.indent_mm + s.left_width_mm + s.right_width_mm)
        self.doc_w = self.extra_left + mm(right_edge)
        self.extra_right = self.doc_w - self.extra_left - self.text_w
        self.sep_h = pt(SINGLE_LINE * f.body.text.size)

        self.body = self._new_document(self.doc_w)
        self.notes_doc = self._new_document(self.text_w)
        self.note_refs: list[tuple[Footnote, int]] = []  # (footnote, position of its number in body)
        self.data_tables: list = []  # QTextTable of each data table
        self.rules: list = []  # (block, length twips, width twips): rules under a block (motto, marks)
        self.charts: list[str] = []  # image resource names
        self._build()
        self.units = self._body_units()
        self.note_units, self.note_span = self._note_units()
        self.decorations = self._decorations()
        self.pages = self._paginate()

    # == building ===================================================================================
    def _new_document(self, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setUseDesignMetrics(True)
        doc.setTextWidth(width)
        doc.setDefaultFont(self._font(1))
        root = doc.rootFrame().frameFormat()
        root.setMargin(0)
        root.setPadding(0)
        root.setBorder(0)
        doc.rootFrame().setFrameFormat(root)
        return doc

    def _font(self, size_pt: float, bold: bool = False, italic: bool = False, underline: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(self.families)
        font.setPixelSize(max(1, round(pt(size_pt))))
        font.setBold(bold)
        font.setItalic(italic)
        font.setUnderline(underline)
        font.setKerning(False)  # Word does not kern by default: same line breaks
        return font

    def _char(self, style: TextStyle | None = None, *, size: float | None = None, bold: bool | None = None,
              italic: bool | None = None, underline: bool | None = None) -> QTextCharFormat:
        cf = QTextCharFormat()
        base_size = style.size if style else (size or 1)
        cf.setFont(self._font(
            size if size is not None else base_size,
            bold if bold is not None else bool(style and style.bold),
            italic if italic is not None else bool(style and style.italic),
            underline if underline is not None else bool(style and style.underline)))
        cf.setForeground(QBrush(BLACK))
        return cf

    def _block(self, style: TextStyle, spacing: Spacing, kind: int = K_NORMAL, root: bool = True,
               indent: bool = True) -> QTextBlockFormat:
        bf = QTextBlockFormat()
        bf.setAlignment(ALIGN.get(style.align, Qt.AlignmentFlag.AlignLeft))
        bf.setTopMargin(pt(spacing.space_before_pt))
        bf.setBottomMargin(pt(spacing.space_after_pt))
        if indent and spacing.first_line_indent_cm:
            bf.setTextIndent(mm(spacing.first_line_indent_cm * 10))
        self._line_height(bf, spacing, style.size)
        if root:
            bf.setLeftMargin(self.extra_left)
            bf.setRightMargin(self.extra_right)
        bf.setProperty(KIND, kind)
        return bf

    @staticmethod
    def _line_height(bf: QTextBlockFormat, spacing: Spacing, size: float) -> None:
        fixed = QTextBlockFormat.LineHeightTypes.FixedHeight.value
        if spacing.line_rule == "exact":
            bf.setLineHeight(pt(spacing.line_spacing), fixed)
        elif spacing.line_rule == "at_least":
            bf.setLineHeight(max(pt(spacing.line_spacing), pt(SINGLE_LINE * size)), fixed)
        elif spacing.line_rule == "multiple":
            bf.setLineHeight(pt(SINGLE_LINE * size * spacing.line_spacing), fixed)
        else:
            bf.setLineHeight(pt(SINGLE_LINE * size), fixed)

    def _tiny_block(self, height: float = 1.0, root: bool = True) -> tuple[QTextBlockFormat, QTextCharFormat]:
        bf = QTextBlockFormat()
        bf.setLineHeight(height, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        if root:
            bf.setLeftMargin(self.extra_left)
        bf.setProperty(KIND, K_NORMAL)
        return bf, self._char(size=0.05)

    def _paragraph(self, bf: QTextBlockFormat, cf: QTextCharFormat, text: str = ""):
        """A new root paragraph at the end. Word adds the space before a paragraph to the space
        after the one above (Qt would take the larger of the two), so it is moved onto the one above."""
        before = bf.topMargin()
        if before and self._prev is None and self._last_table is not None:
            # Qt drops the top margin of a paragraph that follows a table: give it to the table
            table_format = self._last_table.format()
            table_format.setBottomMargin(table_format.bottomMargin() + before)
            self._last_table.setFormat(table_format)
            bf.setTopMargin(0)
        elif before and self._prev is not None:
            merged = QTextBlockFormat()
            merged.setBottomMargin(self._prev.blockFormat().bottomMargin() + before)
            QTextCursor(self._prev).mergeBlockFormat(merged)
            bf.setTopMargin(0)
        if self._fresh:
            self.cursor.setBlockFormat(bf)
            self.cursor.setBlockCharFormat(cf)
            self._fresh = False
        else:
            self.cursor.insertBlock(bf, cf)
        if text:
            self.cursor.insertText(_lines(text), cf)
        self._prev = self.cursor.block()
        return self._prev

    def _table(self, rows: int, widths: list[float], left: float, border: float = 0.0,
               top_margin: float = 0.0):
        tf = QTextTableFormat()
        tf.setBorder(border)
        tf.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        tf.setBorderBrush(QBrush(BLACK))
        tf.setBorderCollapse(True)
        tf.setCellSpacing(0)
        tf.setCellPadding(0)
        tf.setMargin(0)
        tf.setTopMargin(top_margin)
        tf.setLeftMargin(left)
        tf.setAlignment(Qt.AlignmentFlag.AlignLeft)
        fixed = QTextLength.Type.FixedLength
        tf.setColumnWidthConstraints([QTextLength(fixed, w) for w in widths])
        tf.setWidth(QTextLength(fixed, sum(widths)))
        table = self.cursor.insertTable(rows, len(widths), tf)
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self._fresh = True
        self._prev = None
        self._last_table = table
        return table

    @staticmethod
    def _cell(table, row: int, col: int, items, padding: tuple[float, float, float, float] = (0, 0, 0, 0),
              middle: bool = False) -> list:
        """Paragraphs (block format, char format, text) into a cell; returns their blocks."""
        cell = table.cellAt(row, col)
        cursor = cell.firstCursorPosition()
        blocks = []
        for index, (bf, cf, text) in enumerate(items):
            if index:
                cursor.insertBlock(bf, cf)
            else:
                cursor.setBlockFormat(bf)
                cursor.setBlockCharFormat(cf)
            if text:
                cursor.insertText(_lines(text), cf)
            blocks.append(cursor.block())
        # the cell's format is carried by its first block's char format: set it last
        cell = table.cellAt(row, col)
        cell_format = cell.format().toTableCellFormat()
        left, top, right, bottom = padding
        cell_format.setLeftPadding(left)
        cell_format.setTopPadding(top)
        cell_format.setRightPadding(right)
        cell_format.setBottomPadding(bottom)
        if middle:
            cell_format.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
        cell.setFormat(cell_format)
        return blocks

    def _build(self) -> None:
        self.cursor = QTextCursor(self.body)
        self._fresh = True
        self._prev = None
        self._last_table = None
        # a 1-twip paragraph before the header table, like the DOCX's (a document cannot start with a table)
        bf, cf = self._tiny_block()
        self._paragraph(bf, cf)
        self._header_table()
        self._title_block()
        # the end mark ("./."), as the DOCX writer places it: after the closing, else after the text
        end_mark = self.fmt.end_mark
        blocks = list(self.model.blocks)
        closing = clean_text(self.model.closing).strip()
        placed = bool(closing)
        if not placed and end_mark and blocks and isinstance(blocks[-1], Body):
            blocks[-1] = Body(_content_with_end_mark(blocks[-1].content, end_mark))
            placed = True
        for block in blocks:
            if isinstance(block, Heading):
                self._heading(block)
            elif isinstance(block, Body):
                self._body(block.content)
            elif isinstance(block, TableBlock):
                self._data_table(block)
            elif isinstance(block, ChartBlock):
                self._chart(block)
        if not closing and not placed and end_mark and blocks:
            closing = end_mark
        if closing:
            c = self.fmt.closing
            self._paragraph(self._block(c.text, c.spacing, K_KEEP), self._char(c.text),
                            with_end_mark(c.text.apply_case(closing), end_mark))
        self._signature()
        if self._fresh:
            bf, cf = self._tiny_block()
            self._paragraph(bf, cf)
        self._build_notes()

    def _header_table(self) -> None:
        f, model = self.fmt, self.model
        h = f.header
        mark = h.mark()
        left: list[tuple[str, TextStyle, str]] = []
        if clean_text(model.upper_body).strip():
            left.append(("upper", h.upper_body, h.upper_body.apply_case(" ".join(clean_text(model.upper_body).split()))))
        left.append(("issuer", h.issuer, issuer_lines(model, f)))
        left.append(("mark", mark.style, mark.text if mark.kind == "text" else ""))
        left.append(("number", h.number.style, number_line(model, f)))
        widths = [mm(h.left_width_mm), mm(h.right_width_mm)]
        table = self._table(len(left), widths, self.extra_left + mm(h.indent_mm))
        pad = (mm(h.cell_margin_mm), 0, mm(h.cell_margin_mm), 0)
        spacing = h.spacing

        def para(style: TextStyle, text: str, **over):
            return self._block(style, spacing, root=False, indent=False), self._char(style, **over), text

        for row, (kind, style, text) in enumerate(left):
            if kind == "mark" and mark.kind == "rule":  # a short rule under the issuer (State)
                bf, cf = self._tiny_block(pt(max(mark.rule_gap_pt, 1.0)), root=False)
                blocks = self._cell(table, row, 0, [(bf, cf, "")], pad)
                self.rules.append((blocks[0], mm(mark.rule_length_mm), pt(mark.rule_width_pt)))
            else:
                self._cell(table, row, 0, [para(style, text)], pad)
        motto = h.motto
        lines = motto.all_lines()
        items = [para(line.style, line.style.apply_case(line.text),
                      underline=True if motto.rule == "underline" and index == len(lines) - 1 else None)
                 for index, line in enumerate(lines)]
        if motto.rule == "border" and motto.rule_length_mm > 0:
            bf, cf = self._tiny_block(pt(max(motto.rule_gap_pt, 1.0)), root=False)
            items.append((bf, cf, ""))
        blocks = self._cell(table, 0, 1, items, pad)
        if len(blocks) > len(lines):
            self.rules.append((blocks[-1], mm(motto.rule_length_mm), pt(motto.rule_width_pt)))
        date_style = h.date_line.style
        for row in range(1, len(left) - 1):
            self._cell(table, row, 1, [para(date_style, "")], pad)
        self._cell(table, len(left) - 1, 1, [para(date_style, date_line(model, f))], pad)

    def _title_block(self) -> None:
        f, model = self.fmt, self.model
        title = clean_text(model.title).strip()
        if title:
            self._paragraph(self._block(f.title.text, f.title.spacing, K_KEEP, indent=False),
                            self._char(f.title.text), f.title.text.apply_case(title))
        summary = clean_text(model.summary).strip()
        if summary:
            self._paragraph(self._block(f.summary.text, f.summary.spacing, K_KEEP, indent=False),
                            self._char(f.summary.text), f.summary.text.apply_case(summary))
        sep = f.separator
        if sep.kind == "rule":  # a centred rule (State) instead of "-----"
            block = self._paragraph(self._block(TextStyle(size=1, align="center"), sep.spacing, indent=False),
                                    self._char(size=0.05))
            self.rules.append((block, mm(sep.rule_length_mm), pt(sep.rule_width_pt)))
        else:
            self._paragraph(self._block(sep.style, sep.spacing, indent=False), self._char(sep.style), sep.text)

    def _heading(self, block: Heading) -> None:
        pf = self.fmt.heading(min(max(block.level, 1), 5))
        number, title = clean_text(block.number).strip(), clean_text(block.title).strip()
        text = f"{number} {title}" if number and title else (number or title)
        self._paragraph(self._block(pf.text, pf.spacing, K_KEEP), self._char(pf.text), pf.text.apply_case(text))

    def _body(self, content) -> None:
        pf = self.fmt.body
        self._paragraph(self._block(pf.text, pf.spacing, K_BODY), self._char(pf.text))
        self._inline(self.cursor, content, pf.text, notes=True)

    def _inline(self, cursor: QTextCursor, content, style: TextStyle, notes: bool) -> None:
        for item in content:
            if isinstance(item, Run):
                text = clean_text(item.text)
                if text:
                    cursor.insertText(_lines(text), self._char(style, bold=style.bold or item.bold,
                                                               italic=style.italic or item.italic,
                                                               underline=style.underline or item.underline))
            elif isinstance(item, Footnote) and notes:
                self.note_refs.append((item, cursor.position()))
                cursor.insertText(str(len(self.note_refs)), self._superscript(style))

    def _superscript(self, style: TextStyle) -> QTextCharFormat:
        cf = self._char(style, bold=False, italic=False, underline=False)
        cf.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
        return cf

    def _data_table(self, block: TableBlock) -> None:
        t = self.fmt.tables
        if t is None:
            return
        title = clean_text(block.title).strip()
        if title:
            self._paragraph(self._block(t.title.text, t.title.spacing, K_KEEP, indent=False),
                            self._char(t.title.text), title)
        columns = max(1, len(block.header))
        widths = [mm(w) for w in table_column_widths(block, self.fmt)] if block.header else [self.text_w]
        table = self._table(1 + len(block.rows), widths, self.extra_left, border=pt(t.border_pt))
        self.data_tables.append(table)
        pad = (mm(t.cell_margin_mm), mm(t.cell_margin_mm) / 3, mm(t.cell_margin_mm), mm(t.cell_margin_mm) / 3)
        cell_spacing = Spacing()
        total_label = TextStyle(size=t.total.size, bold=t.total.bold, italic=t.total.italic, align="left")

        def para(style: TextStyle, text: str):
            return self._block(style, cell_spacing, root=False, indent=False), self._char(style), text

        for col in range(columns):
            text = block.header[col] if col < len(block.header) else ""
            self._cell(table, 0, col, [para(t.header, clean_text(text))], pad, middle=True)
        totals = set(block.total_rows)
        for r, values in enumerate(block.rows):
            for col in range(columns):
                text = clean_text(values[col] if col < len(values) else "")
                if r in totals:
                    style = total_label if col == 0 else t.total
                else:
                    style = t.label if col == 0 else t.cell
                self._cell(table, r + 1, col, [para(style, text)], pad, middle=True)
        # the DOCX's "TableAfter" paragraph: 1 pt high, then the space after the table
        bf, cf = self._tiny_block(pt(1))
        bf.setBottomMargin(pt(t.space_after_pt))
        self._paragraph(bf, cf)

    def _chart(self, block: ChartBlock) -> None:
        """The chart's title above, the picture centred: as wide as asked, never wider than the
        format's maximum or the text."""
        c, f = self.fmt.charts, self.fmt
        if c is None:
            return
        title = clean_text(block.title).strip()
        if title:
            self._paragraph(self._block(c.title.text, c.title.spacing, K_KEEP, indent=False),
                            self._char(c.title.text), title)
        image = QImage.fromData(block.png)
        if image.isNull() or image.width() == 0:
            return
        width = mm(min(max(block.width_mm, 20.0), c.max_width_mm, f.text_width_mm))
        height = width * image.height() / image.width()
        name = f"bieu-do-{len(self.charts) + 1}.png"
        self.body.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), image)
        self.charts.append(name)
        bf = self._block(TextStyle(size=f.body.text.size, align="center"),
                         Spacing(space_before_pt=c.space_before_pt, space_after_pt=c.space_after_pt), indent=False)
        bf.setLineHeight(0, QTextBlockFormat.LineHeightTypes.SingleHeight.value)  # as tall as the picture
        self._paragraph(bf, self._char(size=f.body.text.size))
        picture = QTextImageFormat()
        picture.setName(name)
        picture.setWidth(width)
        picture.setHeight(height)
        self.cursor.insertImage(picture)

    def _signature(self) -> None:
        f, model = self.fmt, self.model
        s, r = f.signature, f.recipients
        recipients = [clean_text(x).strip() for x in model.recipients if clean_text(x).strip()]
        signer = model.signer
        if not recipients and signer is None:
            return
        table = self._table(1, [mm(s.left_width_mm), mm(s.right_width_mm)], self.extra_left + mm(s.indent_mm),
                            top_margin=pt(s.space_before_pt))
        pad = (mm(s.cell_margin_mm), 0, mm(s.cell_margin_mm), 0)

        def para(style: TextStyle, text: str):
            return self._block(style, s.spacing, root=False, indent=False), self._char(style), text

        left = []
        if recipients:
            left.append(para(r.label_style, r.label_style.apply_case(r.label)))
            for item in recipients:
                if r.item_prefix and not item.startswith(("-", "–", "+")):
                    item = r.item_prefix + item
                left.append(para(r.item, r.item.apply_case(item)))
        right = []
        if signer is not None:
            for style, value in ((s.on_behalf, signer.on_behalf), (s.title, signer.title)):
                value = clean_text(value).strip()
                if value:
                    right.append(para(style, style.apply_case(value)))
            space = self._block(TextStyle(size=s.name.size, align="center"), s.spacing, root=False, indent=False)
            space.setLineHeight(max(mm(s.signature_space_mm), 1.0),
                                QTextBlockFormat.LineHeightTypes.FixedHeight.value)
            right.append((space, self._char(s.name), ""))
            right.append(para(s.name, s.name.apply_case(clean_text(signer.name).strip())))
        if left:
            self._cell(table, 0, 0, left, pad)
        if right:
            self._cell(table, 0, 1, right, pad)

    def _build_notes(self) -> None:
        fn = self.fmt.footnotes
        cursor = QTextCursor(self.notes_doc)
        self.note_blocks: list[tuple[int, int]] = []  # first and last block number of each footnote
        first_block = True
        for number, (note, _pos) in enumerate(self.note_refs, start=1):
            paragraphs = list(note.paragraphs) or [()]
            start = None
            for index, runs in enumerate(paragraphs):
                bf = self._block(fn.text, fn.spacing, root=False)
                cf = self._char(fn.text)
                if first_block:
                    cursor.setBlockFormat(bf)
                    cursor.setBlockCharFormat(cf)
                    first_block = False
                else:
                    cursor.insertBlock(bf, cf)
                if start is None:
                    start = cursor.block().blockNumber()
                if index == 0:
                    cursor.insertText(str(number), self._superscript(fn.text))
                    cursor.insertText(" ", cf)
                self._inline(cursor, runs, fn.text, notes=False)
            self.note_blocks.append((start, cursor.block().blockNumber()))

    # == measuring ==================================================================================
    def _body_units(self) -> list[Unit]:
        doc = self.body
        layout = doc.documentLayout()
        units: list[Unit] = []
        line_units: dict[int, list[int]] = {}
        table_index = {t.firstPosition(): i for i, t in enumerate(self.data_tables)}
        rows: dict[int, list[float]] = {}  # row → [content top, content bottom]
        current = None  # the table being collected

        def flush_table() -> None:
            nonlocal current, rows
            if current is None:
                return
            data = table_index.get(current.firstPosition())
            count = current.rows()
            for row in range(count):
                ctop, cbot = rows[row]
                pad_t, pad_b = self._row_padding(current, row)
                # a row's slice takes the rule above it (from the row before's padding on) and the rule
                # below it (up to the next row's padding): each page shows the table's borders
                top = ctop - pad_t if row == 0 else rows[row - 1][1] + self._row_padding(current, row - 1)[1]
                bottom = cbot + pad_b if row == count - 1 else rows[row + 1][0] - self._row_padding(current, row + 1)[0]
                # a data table's header row stays with the first row; header and signature tables stay whole
                keep = row == 0 if data is not None else row < count - 1
                units.append(Unit(top, bottom, keep=keep, table=data, row=row))
                if data is not None and row == 0:
                    self._header_slices[data] = (top, cbot + pad_b)
            current, rows = None, {}

        self._header_slices: dict[int, tuple[float, float]] = {}
        block = doc.begin()
        while block.isValid():
            table = QTextCursor(block).currentTable()
            rect = layout.blockBoundingRect(block)
            lines = block.layout()
            if table is not None:
                if current is not None and table.firstPosition() != current.firstPosition():
                    flush_table()
                current = table
                row = table.cellAt(block.position()).row()
                if lines.lineCount():
                    first, last = lines.lineAt(0), lines.lineAt(lines.lineCount() - 1)
                    top, bottom = rect.top() + first.y(), rect.top() + last.y() + last.height()
                    span = rows.setdefault(row, [top, bottom])
                    span[0], span[1] = min(span[0], top), max(span[1], bottom)
            else:
                flush_table()
                kind = block.blockFormat().intProperty(KIND)
                count = lines.lineCount()
                if not block.text() and block.blockFormat().lineHeight() <= pt(1):
                    count = 0  # an empty spacer (before the header, after a table): never a page of its own
                indexes = []
                for i in range(count):
                    line = lines.lineAt(i)
                    top = rect.top() + line.y()
                    keep = kind == K_KEEP or (kind == K_BODY and self.fmt.widow_control and count >= 2
                                              and i in (0, count - 2))
                    units.append(Unit(top, top + line.height(), keep=keep))
                    indexes.append(len(units) - 1)
                line_units[block.blockNumber()] = indexes
            block = block.next()
        flush_table()
        for number, (_note, position) in enumerate(self.note_refs):
            found = doc.findBlock(position)
            line = found.layout().lineForTextPosition(position - found.position())
            indexes = line_units.get(found.blockNumber())
            if indexes and line.isValid():
                units[indexes[min(line.lineNumber(), len(indexes) - 1)]].notes.append(number)
        return units

    @staticmethod
    def _row_padding(table, row: int) -> tuple[float, float]:
        if row < 0 or row >= table.rows():
            return 0.0, 0.0
        cell = table.cellAt(row, 0).format().toTableCellFormat()
        border = table.format().border()
        return cell.topPadding() + border, cell.bottomPadding() + border

    def _note_units(self) -> tuple[list[Unit], list[tuple[int, int]]]:
        doc = self.notes_doc
        layout = doc.documentLayout()
        units: list[Unit] = []
        spans = []
        for first, last in getattr(self, "note_blocks", []):
            start = len(units)
            for number in range(first, last + 1):
                block = doc.findBlockByNumber(number)
                rect = layout.blockBoundingRect(block)
                lines = block.layout()
                for i in range(lines.lineCount()):
                    line = lines.lineAt(i)
                    top = rect.top() + line.y()
                    units.append(Unit(top, top + line.height()))
            spans.append((start, len(units)))
        return units, spans

    def _decorations(self) -> list[tuple[float, float, float, float]]:
        """Lines drawn over the body column: (x1, y, x2, width), in twips."""
        out = []
        layout = self.body.documentLayout()
        for block, length, width in self.rules:
            rect = layout.blockBoundingRect(block)
            height = block.blockFormat().lineHeight()
            y = rect.top() + height + width / 2
            if QTextCursor(block).currentTable() is None:  # a root paragraph: centred on the text
                centre = self.extra_left + self.text_w / 2
            else:  # in a cell: centred in the cell
                centre = rect.left() + rect.width() / 2
            out.append((centre - length / 2, y, centre + length / 2, width))
        return out

    # == pagination =================================================================================
    def _paginate(self) -> list[Page]:
        """Cut the column into pages. Footnotes follow Word: when a line citing a footnote is placed,
        the whole footnote goes to the foot of that page if it fits; otherwise it starts there and
        continues on the next page (and nothing more of the body fits on that page). Lines below a
        placed footnote only go on the page if they fit above it."""
        units, notes, spans = self.units, self.note_units, self.note_span
        note_ref_unit: dict[int, int] = {}
        for index, unit in enumerate(units):
            for number in unit.notes:
                note_ref_unit.setdefault(number, index)
        note_of_unit = {k: number for number, (start, end) in enumerate(spans) for k in range(start, end)}
        height = self.text_h
        pages: list[Page] = []
        a, fpos, n, fn_n = 0, 0, len(units), len(notes)

        def need(end: int) -> float:
            """Height of the footnote area showing footnote lines [fpos, end)."""
            return self.sep_h + notes[end - 1].bottom - notes[fpos].top if end > fpos else 0.0

        while a < n or fpos < fn_n:
            if a >= n:  # only the rest of a long footnote is left
                k = fpos + 1
                while k < fn_n and need(k + 1) <= height:
                    k += 1
                pages.append(Page(len(pages) + 1, [], (fpos, k)))
                fpos = k
                continue
            header = self._repeat_header(a)
            header_h = header[1] - header[0] if header else 0.0
            carry = fpos < fn_n and note_ref_unit.get(note_of_unit.get(fpos, -1), n) < a
            carry_end = spans[note_of_unit[fpos]][1] if carry else fpos
            first_h = header_h + units[a].bottom - units[a].top
            # a footnote continued from the page before: whole if it fits, else at least a line of it
            committed = carry_end if first_h + need(carry_end) <= height else (fpos + 1 if carry else fpos)
            best = legal = None
            for b in range(a, n):
                body_h = header_h + units[b].bottom - units[a].top
                split = False
                if units[b].notes:
                    last = max(units[b].notes)
                    whole = max(committed, spans[last][1])
                    if body_h + need(whole) <= height:
                        committed = whole
                    elif body_h + need(max(committed, spans[last][0] + 1)) <= height:
                        committed = max(committed, spans[last][0] + 1)
                        split = True  # the footnote fills the rest of the page
                    elif b > a:
                        break
                    else:
                        split = True  # a line and its footnote taller than a page: place it anyway
                elif body_h + need(committed) > height and b > a:
                    break
                best = b
                if not units[b].keep or b == n - 1:
                    legal = b
                if split:
                    break
            b = legal if legal is not None else best
            body_h = header_h + units[b].bottom - units[a].top
            cited = [x for u in units[a:b + 1] for x in u.notes]
            target = max([carry_end] + [spans[x][1] for x in cited])
            minimum = max([fpos + 1 if carry else fpos] + [spans[x][0] + 1 for x in cited])
            k = fpos
            while k < target and body_h + need(k + 1) <= height:
                k += 1
            k = min(max(k, minimum), fn_n)
            slices = []
            if header:
                slices.append(Slice(header[0], header[1]))
            previous_bottom = units[a - 1].bottom if a > 0 else units[a].top - pt(3)
            reach = max(0.0, min(pt(1.5), units[a].top - previous_bottom))
            slices.append(Slice(units[a].top, units[b].bottom, reach))
            pages.append(Page(len(pages) + 1, slices, (fpos, k) if k > fpos else None))
            a, fpos = b + 1, k
        return pages or [Page(1, [])]

    def _repeat_header(self, a: int) -> tuple[float, float] | None:
        unit = self.units[a]
        if unit.table is None or unit.row <= 0 or a == 0 or self.units[a - 1].table != unit.table:
            return None
        return self._header_slices.get(unit.table)

    # == page geometry ==============================================================================
    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_layout(self) -> QPageLayout:
        f = self.fmt
        width, height = f.page.width_mm, f.page.height_mm
        if abs(width - 210) < 0.5 and abs(height - 297) < 0.5:
            size = QPageSize(QPageSize.PageSizeId.A4)
        else:
            size = QPageSize(QSizeF(width, height), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
        margins = QMarginsF(f.margins.left, f.margins.top, f.margins.right, f.margins.bottom)
        layout = QPageLayout(size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)
        layout.setMode(QPageLayout.Mode.FullPageMode)  # the margins are kept for reference; we paint them
        return layout

    def configure(self, printer: QPrinter) -> None:
        """A4 (the format's paper), the format's margins; painting starts at the paper's corner."""
        printer.setFullPage(True)
        printer.setPageLayout(self.page_layout())
        printer.setFullPage(True)
        title = " ".join(x for x in (clean_text(self.model.title).strip(), clean_text(self.model.summary).strip()) if x)
        printer.setDocName(title or "BaoCao")
        printer.setCreator("BaoCao Desktop")

    # == painting ===================================================================================
    def render(self, printer: QPrinter) -> None:
        """Paint every page (or the range chosen in the print dialog) on `printer`."""
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError("Không mở được máy in hoặc tệp để in. Hãy kiểm tra máy in (hoặc chỗ lưu tệp) rồi thử lại.")
        try:
            first, last = 1, len(self.pages)
            if printer.fromPage() > 0:
                first = max(1, printer.fromPage())
                last = min(last, printer.toPage() or last)
            numbers = list(range(first, last + 1))
            if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
                numbers.reverse()
            # copies: the driver makes them when it can; otherwise they are painted here
            copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
            if printer.collateCopies():
                sequence = numbers * copies
            else:
                sequence = [n for n in numbers for _ in range(copies)]
            for index, number in enumerate(sequence):
                if index:
                    printer.newPage()
                self.paint_page(painter, number - 1)
        finally:
            painter.end()

    def paint_page(self, painter: QPainter, index: int) -> None:
        """Paint page `index` (0-based) with the painter's origin at the paper's top-left corner."""
        device = painter.device()
        page = self.pages[index]
        painter.save()
        painter.scale(device.logicalDpiX() / TWIPS, device.logicalDpiY() / TWIPS)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self._page_number(painter, page)
        x = self.left - self.extra_left
        y = self.top
        for part in page.slices:
            self._paint_slice(painter, self.body, x, y, part, self.decorations)
            y += part.bottom - part.top
        if page.notes:
            start, end = page.notes
            top, bottom = self.note_units[start].top, self.note_units[end - 1].bottom
            area_top = self.top + self.text_h - (bottom - top) - self.sep_h
            painter.setPen(QPen(BLACK, pt(0.5)))
            rule_y = area_top + self.sep_h / 2
            painter.drawLine(QPointF(self.left, rule_y), QPointF(self.left + mm(FOOTNOTE_RULE_MM), rule_y))
            above = self.note_units[start - 1].bottom if start > 0 else top - pt(3)
            reach = max(0.0, min(pt(1.5), top - above))  # never the descenders of the line before
            self._paint_slice(painter, self.notes_doc, self.left, area_top + self.sep_h,
                              Slice(top, bottom, reach), [])
        painter.restore()

    def _page_number(self, painter: QPainter, page: Page) -> None:
        pn = self.fmt.page_number
        if page.number == 1 and not pn.show_on_first_page:
            return
        font = self._font(pn.size)
        metrics = QFontMetricsF(font)
        line = pt(SINGLE_LINE * pn.size)
        if pn.position == "top":
            y = mm(self.fmt.page.header_distance_mm)
        else:
            y = self.page_h - mm(self.fmt.page.footer_distance_mm) - line
        flags = {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight}.get(
            pn.align, Qt.AlignmentFlag.AlignHCenter)
        painter.save()
        painter.setFont(font)
        painter.setPen(BLACK)
        baseline = y + line * 0.8
        text = str(page.number)
        width = metrics.horizontalAdvance(text)
        if flags == Qt.AlignmentFlag.AlignLeft:
            x = self.left
        elif flags == Qt.AlignmentFlag.AlignRight:
            x = self.left + self.text_w - width
        else:
            x = self.left + (self.text_w - width) / 2
        painter.drawText(QPointF(x, baseline), text)
        painter.restore()

    @staticmethod
    def _paint_slice(painter: QPainter, doc: QTextDocument, x: float, y: float, part: Slice, decorations) -> None:
        painter.save()
        painter.translate(x, y - part.top)
        clip = QRectF(-pt(6), part.top - part.reach_up, doc.textWidth() + pt(12), part.bottom - part.top + part.reach_up)
        painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        doc.drawContents(painter, clip)
        for x1, line_y, x2, width in decorations:
            if part.top <= line_y <= part.bottom:
                painter.setPen(QPen(BLACK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                painter.drawLine(QPointF(x1, line_y), QPointF(x2, line_y))
        painter.restore()

    # == text (tests, accessibility) ================================================================
    def page_text(self, index: int) -> str:
        """The plain text painted on page `index` (body lines, then footnotes)."""
        page = self.pages[index]
        out = []
        for part in page.slices:
            out.append(_text_between(self.body, part.top, part.bottom))
        if page.notes:
            start, end = page.notes
            out.append(_text_between(self.notes_doc, self.note_units[start].top, self.note_units[end - 1].bottom))
        return "\n".join(t for t in out if t)


def _lines(text: str) -> str:
    """Line breaks inside a paragraph become Qt's line separator (not a new paragraph)."""
    return text.replace("\r\n", "\n").replace("\n", "\u2028")


def _text_between(doc: QTextDocument, top: float, bottom: float) -> str:
    layout = doc.documentLayout()
    out = []
    block = doc.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        lines = block.layout()
        parts = []
        for i in range(lines.lineCount()):
            line = lines.lineAt(i)
            line_top = rect.top() + line.y()
            if top - 1 <= line_top and line_top + line.height() <= bottom + 1:
                parts.append(block.text()[line.textStart():line.textStart() + line.textLength()])
        if parts:
            out.append("".join(parts).replace("\u2028", "\n").strip())
        block = block.next()
    return "\n".join(t for t in out if t)


def write_pdf(model: DocumentModel, path: str | os.PathLike, fmt: DocumentFormat | None = None) -> Path:
    """The document as a PDF made by Qt's own renderer (no LibreOffice needed); written atomically."""
    target = Path(path)
    if not target.parent.is_dir():
        raise PrintError(f"Thư mục “{target.parent}” không tồn tại; chọn nơi lưu khác.")
    document = PrintDocument(model, fmt)
    try:
        fd, partial_name = tempfile.mkstemp(prefix="." + target.stem[:40] + "-", suffix=".pdf.tmp", dir=target.parent)
    except PermissionError:
        raise PrintError(f"Không ghi được vào thư mục “{target.parent}”: thư mục không cho ghi. "
                         "Hãy chọn thư mục khác.") from None
    os.close(fd)
    partial = Path(partial_name)
    try:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(partial))
        document.configure(printer)
        document.render(printer)
        if not partial.exists() or partial.stat().st_size == 0:
            raise PrintError("Không tạo được tệp PDF (tệp rỗng). Hãy thử lại hoặc chọn thư mục khác.")
        try:
            os.replace(partial, target)
        except PermissionError:
            raise PrintError(f"Không ghi được “{target.name}”: tệp đang mở (ví dụ trong trình đọc PDF) hoặc thư "
                             "mục không cho ghi. Hãy đóng tệp rồi thử lại.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
