"""Qt renderer of the document layout plan (document/layout.py): the plan typeset into QTextDocuments.

The plan decides everything about the layout (paragraphs, styles, keep-with-next, end mark,
signature block, footnote numbers, column widths); this module only translates it into Qt's text
formats: one long column for the body (`body`) and one for the footnotes (`notes_doc`), which
ui/print_document.py cuts into pages and paints.

Every length is in twips (1/20 pt, 1/1440 inch) and fonts are sized in pixels of that unit; the
documents have no paint device, so Qt applies no DPI scaling and the layout is the same on every
screen and printer.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextImageFormat,
    QTextLength,
    QTextTableFormat,
)

from ..document.layout import (
    FOOTNOTE_TEXT_ID,
    Anchor,
    DataTable,
    DraftMark,
    FrameTable,
    LayoutPlan,
    NoteRef,
    Para,
    ParagraphStyle,
    Picture,
    clean_text,
    draw,
)
from ..document.formats import Spacing, TextStyle
from ..domain.richtext import Run

TWIPS = 1440.0  # per inch
SINGLE_LINE = 1.15  # Word's "single" line of Times New Roman (and its metric twins): 1.15 × the size
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


def mm(value: float) -> float:
    return value * TWIPS / 25.4


def pt(value: float) -> float:
    return value * 20.0


def font_families(preferred: str) -> list[str]:
    """The format's font, then metric-compatible stand-ins (Liberation Serif on Linux)."""
    names = [preferred] + [n for n in SERIF_FALLBACKS if n != preferred]
    available = set(QFontDatabase.families())
    found = [n for n in names if n in available]
    return found or names


def lines(text: str) -> str:
    """Line breaks inside a paragraph become Qt's line separator (not a new paragraph)."""
    return text.replace("\r\n", "\n").replace("\n", "\u2028")


class Typesetter:
    """A LayoutPlan typeset into `body` (the text column, as wide as the widest of the text and the
    header and signature tables) and `notes_doc` (the footnotes, as wide as the text).

    What pagination needs is kept: `note_refs` (position of each footnote's number in `body`),
    `note_blocks` (first and last block of each footnote in `notes_doc`), `data_tables` (the
    QTextTable of each data table), `rules` ((block, length, width) of each rule drawn under a
    paragraph) and `charts` (image resource names)."""

    def __init__(self, plan: LayoutPlan):
        self.plan = plan
        f = plan.fmt
        self.families = font_families(f.font_name)
        self.text_w = mm(f.text_width_mm)
        frames = [b for b in plan.blocks if isinstance(b, FrameTable)]
        self.extra_left = mm(max([0.0] + [-b.indent_mm for b in frames]))
        right_edge = max([f.text_width_mm] + [b.indent_mm + b.width_mm for b in frames])
        self.doc_w = self.extra_left + mm(right_edge)
        self.extra_right = self.doc_w - self.extra_left - self.text_w

        self.body = self._new_document(self.doc_w)
        self.notes_doc = self._new_document(self.text_w)
        self.note_refs: list[int] = []
        self.note_blocks: list[tuple[int, int]] = []
        self.data_tables: list = []
        self.header_rows: list[bool] = []  # per data table: whether its first row is a header to repeat
        self.rules: list = []
        self.charts: list[str] = []
        self._build()

    # == formats ====================================================================================
    def _new_document(self, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setUseDesignMetrics(True)
        doc.setTextWidth(width)
        doc.setDefaultFont(self.font(1))
        root = doc.rootFrame().frameFormat()
        root.setMargin(0)
        root.setPadding(0)
        root.setBorder(0)
        doc.rootFrame().setFrameFormat(root)
        return doc

    def font(self, size_pt: float, bold: bool = False, italic: bool = False, underline: bool = False) -> QFont:
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
        cf.setFont(self.font(
            size if size is not None else base_size,
            bold if bold is not None else bool(style and style.bold),
            italic if italic is not None else bool(style and style.italic),
            underline if underline is not None else bool(style and style.underline)))
        cf.setForeground(QBrush(BLACK))
        return cf

    def _block(self, ps: ParagraphStyle, root: bool = True) -> QTextBlockFormat:
        """A paragraph formatted as its plan style says; root paragraphs span the text width."""
        style, spacing = ps.text, ps.spacing
        bf = QTextBlockFormat()
        bf.setAlignment(ALIGN.get(style.align, Qt.AlignmentFlag.AlignLeft))
        bf.setTopMargin(pt(spacing.space_before_pt))
        bf.setBottomMargin(pt(spacing.space_after_pt))
        if spacing.first_line_indent_cm:
            bf.setTextIndent(mm(spacing.first_line_indent_cm * 10))
        self._line_height(bf, spacing, style.size)
        if root:
            bf.setLeftMargin(self.extra_left)
            bf.setRightMargin(self.extra_right)
        bf.setProperty(KIND, K_KEEP if ps.keep_with_next else K_BODY if ps.widow_control else K_NORMAL)
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

    def _tiny_block(self, height: float = 1.0) -> tuple[QTextBlockFormat, QTextCharFormat]:
        """A root paragraph `height` twips high that holds nothing (never a page of its own)."""
        bf = QTextBlockFormat()
        bf.setLineHeight(height, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        bf.setLeftMargin(self.extra_left)
        bf.setProperty(KIND, K_NORMAL)
        return bf, self._char(size=0.05)

    def _formats(self, para: Para, root: bool) -> tuple[QTextBlockFormat, QTextCharFormat]:
        ps = self.plan.style(para.style)
        if para.rule is not None:  # the paragraph is a rule: no text, only its height
            return self._block(ps, root), self._char(size=0.05)
        return self._block(ps, root), self._char(ps.text, underline=True if para.underline else None)

    # == building ===================================================================================
    def _build(self) -> None:
        self.cursor = QTextCursor(self.body)
        self._fresh = True
        self._prev = None
        self._last_table = None
        draw(self.plan, self)
        self._build_notes()

    def anchor(self, block: Anchor) -> None:
        self._paragraph(*self._tiny_block())  # Qt needs no anchor paragraph: a hairline keeps the place

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
            self.cursor.insertText(lines(text), cf)
        self._prev = self.cursor.block()
        return self._prev

    def paragraph(self, para: Para) -> None:
        bf, cf = self._formats(para, root=True)
        block = self._paragraph(bf, cf, "" if para.runs else para.text)
        if para.runs:
            self._inline(self.cursor, para.runs, self.plan.style(para.style).text)
        if para.rule is not None:
            self.rules.append((block, mm(para.rule.length_mm), pt(para.rule.width_pt)))

    def _inline(self, cursor: QTextCursor, content, style: TextStyle) -> None:
        for item in content:
            if isinstance(item, Run):
                text = clean_text(item.text)
                if text:
                    cursor.insertText(lines(text), self._char(style, bold=style.bold or item.bold,
                                                              italic=style.italic or item.italic,
                                                              underline=style.underline or item.underline))
            elif isinstance(item, NoteRef):
                self.note_refs.append(cursor.position())
                cursor.insertText(str(item.number), self._superscript(style))

    def _superscript(self, style: TextStyle) -> QTextCharFormat:
        cf = self._char(style, bold=False, italic=False, underline=False)
        cf.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
        return cf

    # == tables =====================================================================================
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

    def _cell(self, table, row: int, col: int, paragraphs, padding: tuple[float, float, float, float],
              middle: bool = False) -> list:
        """The plan's paragraphs into a cell; returns their blocks."""
        cell = table.cellAt(row, col)
        cursor = cell.firstCursorPosition()
        blocks = []
        for index, para in enumerate(paragraphs):
            bf, cf = self._formats(para, root=False)
            if index:
                cursor.insertBlock(bf, cf)
            else:
                cursor.setBlockFormat(bf)
                cursor.setBlockCharFormat(cf)
            if para.text:
                cursor.insertText(lines(para.text), cf)
            blocks.append(cursor.block())
            if para.rule is not None:
                self.rules.append((cursor.block(), mm(para.rule.length_mm), pt(para.rule.width_pt)))
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

    def frame_table(self, block: FrameTable) -> None:
        """The header or the signature block: borderless, the space before above the table."""
        table = self._table(len(block.rows), [mm(block.left_mm), mm(block.right_mm)],
                            self.extra_left + mm(block.indent_mm), top_margin=pt(block.space_before_pt))
        pad = (mm(block.cell_margin_mm), 0, mm(block.cell_margin_mm), 0)
        for row, cells in enumerate(block.rows):
            for col, paragraphs in enumerate(cells):
                if paragraphs:
                    self._cell(table, row, col, paragraphs, pad)

    def draft_mark(self, block: DraftMark) -> None:
        """ "DỰ THẢO" in a one-cell table: the box (Qt draws no paragraph borders), the room below it after."""
        table = self._table(1, [mm(block.width_mm)], self.extra_left + mm(block.left_mm), border=pt(block.border_pt))
        pad = mm(block.padding_mm)
        self._cell(table, 0, 0, [block.para], (pad, pad, pad, pad), middle=True)
        block_format = table.cellAt(0, 0).firstCursorPosition().blockFormat()
        block_format.setBottomMargin(0)  # the style's space after goes below the box, not inside it
        table.cellAt(0, 0).firstCursorPosition().setBlockFormat(block_format)
        table_format = table.format()
        table_format.setBottomMargin(pt(block.space_after_pt))
        table.setFormat(table_format)

    def data_table(self, block: DataTable) -> None:
        rows = (block.header, *block.rows) if block.header else block.rows
        table = self._table(len(rows), [mm(w) for w in block.widths_mm], self.extra_left,
                            border=pt(block.border_pt))
        self.data_tables.append(table)
        self.header_rows.append(bool(block.header))
        margin = mm(block.cell_margin_mm)
        pad = (margin, margin / 3, margin, margin / 3)
        for r, row in enumerate(rows):
            for col, para in enumerate(row):
                blocks = self._cell(table, r, col, [para], pad, middle=True)
                if para.runs:  # a free table's cell: its runs and footnote numbers
                    cursor = QTextCursor(blocks[0])
                    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
                    self._inline(cursor, para.runs, self.plan.style(para.style).text)
        # the DOCX's "TableAfter" paragraph: 1 pt high, then the space after the table
        bf, cf = self._tiny_block(pt(1))
        bf.setBottomMargin(pt(block.space_after_pt))
        self._paragraph(bf, cf)

    def picture(self, block: Picture) -> None:
        image = QImage.fromData(block.png)
        if image.isNull() or image.width() == 0:
            return
        width = mm(block.width_mm)
        height = width * image.height() / image.width()
        name = f"bieu-do-{len(self.charts) + 1}.png"
        self.body.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name), image)
        self.charts.append(name)
        bf, cf = self._formats(Para(block.style), root=True)
        bf.setLineHeight(0, QTextBlockFormat.LineHeightTypes.SingleHeight.value)  # as tall as the picture
        self._paragraph(bf, cf)
        picture = QTextImageFormat()
        picture.setName(name)
        picture.setWidth(width)
        picture.setHeight(height)
        self.cursor.insertImage(picture)

    # == footnotes ==================================================================================
    def _build_notes(self) -> None:
        ps = self.plan.style(FOOTNOTE_TEXT_ID)
        cursor = QTextCursor(self.notes_doc)
        first_block = True
        for number, note in enumerate(self.plan.footnotes, start=1):
            paragraphs = list(note.paragraphs) or [()]
            start = None
            for index, runs in enumerate(paragraphs):
                bf = self._block(ps, root=False)
                cf = self._char(ps.text)
                if first_block:
                    cursor.setBlockFormat(bf)
                    cursor.setBlockCharFormat(cf)
                    first_block = False
                else:
                    cursor.insertBlock(bf, cf)
                if start is None:
                    start = cursor.block().blockNumber()
                if index == 0:
                    cursor.insertText(str(number), self._superscript(ps.text))
                    cursor.insertText(" ", cf)
                self._inline(cursor, runs, ps.text)
            self.note_blocks.append((start, cursor.block().blockNumber()))
