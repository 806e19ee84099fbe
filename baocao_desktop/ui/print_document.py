"""The official document on pages with Qt: print preview, printing and the PDF fallback.

The layout plan of document/layout.py (the same plan the DOCX writer renders) is typeset by
ui/print_typeset.py into one long text column; this module cuts that column into pages and paints
them. Pagination follows Word's rules, not QTextDocument's: a paragraph the plan keeps with the next
stays with it, widow/orphan control, a table row never splits and a data table's header row is
repeated on the next page. Footnotes sit at the foot of the page that cites them, under a short rule,
like Word's: a footnote starts on the page of its reference and continues on the next page when it
does not fit.

Every length is in twips (1/20 pt, 1/1440 inch); painting scales twips to the device's resolution.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFontMetricsF, QPageLayout, QPageSize, QPainter, QPen, QTextCursor, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from ..document.formats import DocumentFormat
from ..domain.errors import UserError
from ..document.layout import build_plan
from ..document.model import DocumentModel
from .print_typeset import BLACK, K_BODY, K_KEEP, KIND, SINGLE_LINE, TWIPS, Typesetter, mm, pt

__all__ = ["PrintDocument", "PrintError", "write_pdf", "mm", "pt", "TWIPS"]

FOOTNOTE_RULE_MM = 50.8  # Word's footnote separator: 2 inches


class PrintError(UserError):
    """Printing or the PDF could not be done; the message is Vietnamese."""


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


def paginate(units: list[Unit], notes: list[Unit], spans: list[tuple[int, int]], height: float, sep_h: float,
         header_slices: dict[int, tuple[float, float]]) -> list[Page]:
    """Cut the column into pages. Footnotes follow Word: when a line citing a footnote is placed,
    the whole footnote goes to the foot of that page if it fits; otherwise it starts there and
    continues on the next page (and nothing more of the body fits on that page). Lines below a
    placed footnote only go on the page if they fit above it."""
    note_ref_unit: dict[int, int] = {}
    for index, unit in enumerate(units):
        for number in unit.notes:
            note_ref_unit.setdefault(number, index)
    note_of_unit = {k: number for number, (start, end) in enumerate(spans) for k in range(start, end)}
    pages: list[Page] = []
    a, fpos, n, fn_n = 0, 0, len(units), len(notes)

    def repeat_header(a: int) -> tuple[float, float] | None:
        """A data table's header row, repeated above row `a` when a page starts inside the table."""
        unit = units[a]
        if unit.table is None or unit.row <= 0 or a == 0 or units[a - 1].table != unit.table:
            return None
        return header_slices.get(unit.table)

    def need(end: int) -> float:
        """Height of the footnote area showing footnote lines [fpos, end)."""
        return sep_h + notes[end - 1].bottom - notes[fpos].top if end > fpos else 0.0

    while a < n or fpos < fn_n:
        if a >= n:  # only the rest of a long footnote is left
            k = fpos + 1
            while k < fn_n and need(k + 1) <= height:
                k += 1
            pages.append(Page(len(pages) + 1, [], (fpos, k)))
            fpos = k
            continue
        header = repeat_header(a)
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


class PrintDocument:
    """A DocumentModel's layout plan typeset and cut into pages. `render(printer)` paints them;
    `write_pdf` makes a PDF."""

    def __init__(self, model: DocumentModel, fmt: DocumentFormat | None = None):
        self.model = model
        self.plan = build_plan(model, fmt)
        self.fmt = f = self.plan.fmt
        self.typeset = typeset = Typesetter(self.plan)
        self.page_w, self.page_h = mm(f.page.width_mm), mm(f.page.height_mm)
        self.left, self.top = mm(f.margins.left), mm(f.margins.top)
        self.text_w = typeset.text_w
        self.text_h = mm(f.page.height_mm - f.margins.top - f.margins.bottom)
        self.extra_left = typeset.extra_left
        self.sep_h = pt(SINGLE_LINE * f.body.text.size)
        self.body, self.notes_doc = typeset.body, typeset.notes_doc
        self.note_refs, self.note_blocks = typeset.note_refs, typeset.note_blocks
        self.data_tables, self.rules, self.charts = typeset.data_tables, typeset.rules, typeset.charts
        self.header_rows = typeset.header_rows
        self.units = self._body_units()
        self.note_units, self.note_span = self._note_units()
        self.decorations = self._decorations()
        self.pages = paginate(self.units, self.note_units, self.note_span, self.text_h, self.sep_h,
                              self._header_slices)

    # == measuring ==================================================================================
    def _body_units(self) -> list[Unit]:
        doc = self.body
        layout = doc.documentLayout()
        units: list[Unit] = []
        line_units: dict[int, list[int]] = {}
        table_index = {t.firstPosition(): i for i, t in enumerate(self.data_tables)}
        rows: dict[int, list[float]] = {}  # row → [content top, content bottom]
        row_blocks: dict[int, list[int]] = {}  # row → its cells' block numbers (a footnote cited in a cell)
        current = None  # the table being collected

        def flush_table() -> None:
            nonlocal current, rows, row_blocks
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
                header = data is not None and self.header_rows[data]  # a free table may have no header row
                keep = (row == 0 and header) if data is not None else row < count - 1
                units.append(Unit(top, bottom, keep=keep, table=data, row=row))
                for number in row_blocks.get(row, ()):
                    line_units[number] = [len(units) - 1]
                if header and row == 0:
                    self._header_slices[data] = (top, cbot + pad_b)
            current, rows, row_blocks = None, {}, {}

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
                row_blocks.setdefault(row, []).append(block.blockNumber())
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
                    keep = kind == K_KEEP or (kind == K_BODY and count >= 2 and i in (0, count - 2))
                    units.append(Unit(top, top + line.height(), keep=keep))
                    indexes.append(len(units) - 1)
                line_units[block.blockNumber()] = indexes
            block = block.next()
        flush_table()
        for number, position in enumerate(self.note_refs):
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
        for first, last in self.note_blocks:
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
        printer.setDocName(self.plan.document_name or "BaoCao")
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
        pn = self.plan.page_numbers
        if not pn.shown_on(page.number):
            return
        font = self.typeset.font(pn.size)
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
