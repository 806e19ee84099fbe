"""The report editor: section navigator, guided section form, narrative, live checks, autosave.

Everything it stores goes through services.Workspace; everything it knows about numbers, sentences
and rich text comes from domain/. Only Qt lives here.
"""
from __future__ import annotations

import gc
import html
import itertools
import sys
from decimal import Decimal

from PySide6.QtCore import (QDate, QObject, QPointF, QRect, QRectF, QRunnable, QSize, Qt, QThreadPool, QTime, QTimer,
                            Signal)
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetrics, QIcon, QPainter, QPainterPath, QPen, QPixmap,
                           QPolygonF, QTextCursor, QTextDocument)
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QDateEdit, QFrame, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QMenu, QMessageBox, QPushButton, QScrollArea,
                               QSizePolicy, QSplitter, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QToolBar,
                               QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ..checks.findings import SEVERITY_LABELS, Finding
from ..domain import richtext
from ..domain.dates import format_date
from ..domain.model import FIELD_LABELS
from ..domain.numbers import NumberFormatError, format_number, parse_number
from ..domain.sentences import MissingValues, generate_sentence, indicator_percent
from ..services.errors import ServiceError
from ..services.signoff import INTEGRITY_CODE, SignOffBlocked
from .common import make_message_box
from .figure_table import FigureTable
from .rich_text import (NarrativeEdit, TextMark, document_markup, document_paragraphs, footnote_ranges,
                        plain_paragraphs, renumber_footnotes, set_document_markup, text_range, text_spans)
from .signoff_dialogs import BlockedDialog, ReasonDialog

UI_FAMILIES = ["Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial"]
TEXT_FAMILIES = ["Times New Roman", "Liberation Serif", "Noto Serif", "DejaVu Serif"]

SAVE_DELAY_MS = 500
CHECK_DELAY_MS = 600
BUSY_DELAY_MS = 250  # "Đang soát lỗi…" only for a proofreading that takes this long (no flicker)
# While the proofreader holds the GIL, every Python slot a keystroke calls (several per key) waits for it:
# up to Python's switch interval (5 ms) each, plus the OS handing over the core. A shorter interval while
# a job runs keeps keys at about a millisecond (bench/editor_typing.py); it costs nothing when the UI thread
# is idle, as nobody then asks for the GIL.
WORKER_SWITCH_INTERVAL = 0.0005  # seconds; None leaves Python's default

GRID_FIELDS = ("actual", "plan", "previous", "cumulative")
GRID_HEADERS = {
    "actual": "Thực hiện",
    "plan": "Kế hoạch",
    "previous": "Lũy kế kỳ trước",
    "cumulative": "Lũy kế",
}
SEVERITY_COLORS = {"error": "#c62828", "warning": "#d98e04", "info": "#1f6fb2", "kept": "#2f7d6d"}
FILTERS = (("all", "Tất cả"), ("error", "Lỗi"), ("warning", "Cảnh báo"), ("info", "Gợi ý"),
           ("kept", "Đã giải trình"))
ERROR_NOT_JUSTIFIABLE = "Lỗi không thể giữ lại bằng giải trình: hãy sửa số liệu hoặc nội dung cho đúng."
INFO_NOT_JUSTIFIABLE = "Gợi ý không chặn việc ký, không cần giải trình."
LOCKED_NO_JUSTIFY = "Báo cáo đã ký: nội dung và giải trình bị khóa. Mở khóa để sửa."
STATUS_STYLES = {
    "draft": ("#fff4d6", "#7a5600"),
    "for_signature": ("#e3efff", "#1b4f8f"),
    "signed": ("#e3f5e6", "#1e6b2e"),
    "sent": ("#ececec", "#444444"),
}
HEADER_GROUP = "__header__"

STYLE = """
QWidget#headerStrip { background: #f5f7fa; border-bottom: 1px solid #d9dfe6; }
QLabel#reportTitle { font-size: 12pt; font-weight: 600; color: #1d2b3a; }
QLabel#savedLabel { color: #5f6b78; }
QLabel#panelTitle { font-weight: 600; color: #33414f; padding: 2px 0; }
QLabel#sectionHeading { font-size: 12pt; font-weight: 600; color: #1d2b3a; }
QLabel#requiredChip { background: #fdecea; color: #a32020; border-radius: 8px; padding: 1px 8px;
                      font-size: 8.5pt; }
QFrame#guidance { background: #f0f5fb; border: 1px solid #d3e0ef; border-left: 4px solid #5a8ac6;
                  border-radius: 4px; }
QFrame#guidance QLabel { color: #263645; }
QFrame#indicatorCard { background: #ffffff; border: 1px solid #dde2e8; border-radius: 6px; }
QLabel#gridHeader { color: #5a6674; font-size: 8.5pt; font-weight: 600; }
QLabel#indicatorLabel { color: #1d2b3a; }
QLabel#unitLabel { color: #6b7784; }
QLabel#percentLabel { background: #eef6ee; border: 1px solid #d3e6d4; border-radius: 3px; padding: 2px 4px;
                      color: #1e6b2e; font-weight: 600; }
QLabel#percentLabel[empty="true"] { background: #f4f5f7; border: 1px solid #e3e6ea; color: #9aa3ad;
                                    font-weight: normal; }
QLineEdit#figure { padding: 2px 4px; }
QLineEdit#figure:read-only { background: #f2f4f6; color: #3c4752; }
QLineEdit#figure[finding="warning"] { border: 1px solid #e0a100; background: #fffaf0; }
QLineEdit#figure[finding="error"] { border: 1px solid #d32f2f; background: #fff6f6; }
QLineEdit#figure[invalid="true"] { border: 2px solid #c62828; background: #fff0f0; }
QLabel#fieldMessage { color: #b71c1c; background: #fff4f4; border: 1px solid #f3c6c6; border-radius: 4px;
                      padding: 5px 8px; }
QLabel#notice { color: #6b4e00; background: #fff8e1; border: 1px solid #f0dca0; border-radius: 4px;
                padding: 5px 8px; }
QLabel#lockedBanner { color: #1e4f7a; background: #e6f0fa; border: 1px solid #bcd3ea; border-radius: 4px;
                      padding: 6px 10px; font-weight: 600; }
QLabel#lockedBanner[alarm="true"] { color: #8c1d18; background: #fdecea; border: 1px solid #f1b8b3; }
QPushButton#signoffButton { padding: 3px 12px; border: 1px solid #b8c4d1; border-radius: 4px; background: #ffffff;
                            color: #1d2b3a; }
QPushButton#signoffButton:hover { background: #eef3f8; border-color: #8fa8c4; }
QPushButton#signoffButton:disabled { color: #9aa3ad; border-color: #dde2e8; }
QPushButton#signoffButton[primary="true"] { background: #1f5fa8; color: #ffffff; border: 1px solid #174c88;
                                            font-weight: 600; }
QPushButton#signoffButton[primary="true"]:hover { background: #2a6fbd; }
QLabel#tableTitle { font-weight: 600; color: #1d2b3a; padding-top: 4px; }
QLabel#sumHint { color: #8c1d18; background: #fff4f4; border: 1px solid #f3c6c6; border-radius: 4px;
                 padding: 4px 8px; }
QTableWidget#figureTable { gridline-color: #dde2e8; background: #ffffff; }
QTableWidget#figureTable QHeaderView::section { background: #f4f6f9; color: #33414f; border: none;
                                                border-right: 1px solid #dde2e8; border-bottom: 1px solid #dde2e8;
                                                padding: 3px 6px; }
QPushButton#checkAction { padding: 2px 8px; }
QWidget#headerStrip QLineEdit:read-only, QWidget#headerStrip QDateEdit[readOnly="true"] { background: #eef1f4;
                                                                                       color: #3c4752; }
QLabel#footnoteList { color: #3c4752; background: #fafbfc; border: 1px solid #e1e5ea; border-radius: 4px;
                      padding: 4px 8px; font-size: 9pt; }
QToolBar#narrativeBar { border: none; spacing: 2px; background: transparent; }
QToolBar#narrativeBar QToolButton { padding: 3px 7px; border: 1px solid transparent; border-radius: 3px; }
QToolBar#narrativeBar QToolButton:hover { border: 1px solid #c5ced8; background: #eef2f6; }
QToolBar#narrativeBar QToolButton:checked { border: 1px solid #8fa8c4; background: #dde8f4; }
QToolButton#filterButton { padding: 2px 4px; border: 1px solid #cfd6de; background: #ffffff; }
QToolButton#filterButton:checked { background: #dde8f4; border: 1px solid #8fa8c4; font-weight: 600; }
QTextEdit#narrative { border: 1px solid #cdd5de; border-radius: 4px; background: #ffffff; }
QTreeWidget { border: 1px solid #d9dfe6; }
QLabel#busyLabel { color: #7a8591; font-style: italic; font-size: 8.5pt; }
"""


# == small painted icons (no image files to ship) ================================================
def _pixmap(width: int, height: int = 16) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(width * 2, height * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def _font(pixel_size: int, bold: bool = True) -> QFont:
    font = QFont()
    font.setFamilies(UI_FAMILIES)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font


_ICON_CACHE: dict = {}


def status_icon(state: str) -> QIcon:
    """Section completion: filled ✓, partial, empty ○, required-but-empty (orange)."""
    if ("status", state) in _ICON_CACHE:
        return _ICON_CACHE[("status", state)]
    pixmap, p = _pixmap(16)
    rect = QRectF(2.5, 2.5, 11, 11)
    if state == "filled":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#2e7d32"))
        p.drawEllipse(rect)
        pen = QPen(QColor("white"), 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        path = QPainterPath(QPointF(5.3, 8.2))
        path.lineTo(7.2, 10.1)
        path.lineTo(10.8, 6.0)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    elif state == "partial":
        p.setPen(QPen(QColor("#2e7d32"), 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#2e7d32"))
        p.drawPie(rect, 90 * 16, 180 * 16)
    elif state == "required":
        p.setPen(QPen(QColor("#e65100"), 1.8))
        p.setBrush(QColor("#fff3e0"))
        p.drawEllipse(rect)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#e65100"))
        p.drawEllipse(QRectF(6.2, 6.2, 3.6, 3.6))
    else:
        p.setPen(QPen(QColor("#9aa3ad"), 1.3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect)
    p.end()
    icon = QIcon(pixmap)
    _ICON_CACHE[("status", state)] = icon
    return icon


def severity_icon(severity: str) -> QIcon:
    if ("severity", severity) in _ICON_CACHE:
        return _ICON_CACHE[("severity", severity)]
    pixmap, p = _pixmap(16)
    color = QColor(SEVERITY_COLORS.get(severity, "#777777"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    if severity == "kept":  # a warning kept with a written reason: rounded square with a check mark
        p.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 3, 3)
        pen = QPen(QColor("white"), 1.9)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        path = QPainterPath(QPointF(4.6, 8.3))
        path.lineTo(7.0, 10.7)
        path.lineTo(11.6, 5.4)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.end()
        icon = QIcon(pixmap)
        _ICON_CACHE[("severity", severity)] = icon
        return icon
    if severity == "warning":
        p.drawPolygon(QPolygonF([QPointF(8, 1.5), QPointF(15, 14.5), QPointF(1, 14.5)]))
        p.setPen(QColor("#3a2a00"))
        mark, top = "!", 4.5
    else:
        p.drawEllipse(QRectF(1.5, 1.5, 13, 13))
        p.setPen(QColor("white"))
        mark, top = ("!" if severity == "error" else "i"), 1.5
    p.setFont(_font(11))
    p.drawText(QRectF(0, top, 16, 12.5), Qt.AlignmentFlag.AlignCenter, mark)
    p.end()
    icon = QIcon(pixmap)
    _ICON_CACHE[("severity", severity)] = icon
    return icon


def badge_icon(count: int, severity: str) -> QIcon:
    key = ("badge", count, severity)
    if key in _ICON_CACHE:
        return _ICON_CACHE[key]
    text = str(count) if count < 100 else "99+"
    width = 16 if len(text) == 1 else 22
    pixmap, p = _pixmap(width)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(SEVERITY_COLORS[severity]))
    p.drawRoundedRect(QRectF(0.5, 1.5, width - 1, 13), 6.5, 6.5)
    p.setPen(QColor("white"))
    p.setFont(_font(10))
    p.drawText(QRectF(0, 1.5, width, 13), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    icon = QIcon(pixmap)
    _ICON_CACHE[key] = icon
    return icon


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their word-wrapped text at the current column width (QTreeView alone won't)."""

    def __init__(self, view: QTreeWidget):
        super().__init__(view)
        self.view = view

    def sizeHint(self, option, index):
        hint = super().sizeHint(option, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        indent = self.view.indentation() * (depth + (1 if self.view.rootIsDecorated() else 0))
        opt.rect = QRect(0, 0, max(self.view.columnWidth(0), self.view.viewport().width()) - indent, 10000)
        style = self.view.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, self.view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, opt, self.view) + 1
        width = max(text_rect.width() - 2 * margin - 2, 60)
        rect = QFontMetrics(opt.font).boundingRect(QRect(0, 0, width, 10000), int(Qt.TextFlag.TextWordWrap),
                                                   opt.text)
        return QSize(hint.width(), max(hint.height(), rect.height() + 8))


class WrappingTree(QTreeWidget):
    """A tree whose rows re-wrap when the panel is resized."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(WrapDelegate(self))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()


class ElidedLabel(QLabel):
    """One line that ends in “…” when the header strip is too narrow (long template names)."""

    def minimumSizeHint(self):  # noqa: N802 (Qt API)
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 160), hint.height())

    def paintEvent(self, _event):  # noqa: N802 (Qt API)
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


# == proofreading off the UI thread ==============================================================
class _ProofreadSignals(QObject):
    done = Signal(object, object)  # token, list[Finding] (or the exception the proofreader raised)


_proofread_signals: _ProofreadSignals | None = None
_tokens = itertools.count(1)


def proofread_signals() -> _ProofreadSignals:
    """One carrier for every job's result, made on the UI thread and never deleted: a job holds no QObject
    that its worker thread could end up destroying."""
    global _proofread_signals
    if _proofread_signals is None:
        _proofread_signals = _ProofreadSignals()
    return _proofread_signals


class _ProofreadRunnable(QRunnable):
    """Runs a services.proofread_job.ProofreadJob (plain data, no database) on the thread pool."""

    def __init__(self, token: int, job, scans: dict):
        super().__init__()
        self.token, self.job, self.scans = token, job, scans

    def run(self) -> None:
        # Automatic cyclic garbage collection is paused (for the whole process) while the job runs: the
        # job allocates a lot, so a collection would likely start on this thread and could free a forgotten
        # Qt widget's wrapper here, and Qt widgets may only be destroyed on the UI thread.
        collecting = gc.isenabled()
        gc.disable()
        interval = sys.getswitchinterval()
        if WORKER_SWITCH_INTERVAL:
            sys.setswitchinterval(min(interval, WORKER_SWITCH_INTERVAL))
        try:
            result = self.job.run(self.scans)
        except Exception as exc:  # shown as a notice; a fault in one check must not lose the figures' checks
            result = exc
        finally:
            sys.setswitchinterval(interval)
            if collecting:
                gc.enable()
        proofread_signals().done.emit(self.token, result)


# == the editor ==================================================================================
class ReportEditor(QWidget):
    """Edit one report: navigator | section form + narrative | checks. Autosaves every edit."""

    saved = Signal(str)  # "HH:MM:SS" after each successful save
    findings_changed = Signal(int, int)  # errors, warnings
    proofread_finished = Signal()  # a proofreading job's findings are shown (or were dropped as stale)
    status_changed = Signal(str)  # the new status ("draft", "for_signature", "signed", "sent")

    def __init__(self, workspace, report_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.report_id = report_id
        self.report = workspace.report(report_id)
        self.template = workspace.editing_template(self.report)
        self.context = workspace.check_context(self.report)
        # last period's figures when the report was started from it "for comparison" (a read-only column)
        from ..services.report_migration import comparison_figures
        self.comparison = comparison_figures(workspace, report_id)
        # intro figures that repeat the unit profile: their fields say from which dated fact
        self.profile_figures = workspace.profile_figures(
            workspace.template(self.report.template_code, self.report.template_version),
            self.report.report_date or self.report.period.end)
        self.locked = self.report.locked

        self._findings: list[Finding] = []
        self._filter = "all"
        self._current_path: str | None = None
        self._syncing = False  # programmatic changes must not look like edits
        # narrative: one QTextDocument per visited section, so undo survives switching
        self._docs: dict[str, QTextDocument] = {}
        self._dirty_texts: set[str] = set()
        # figures: text typed but not yet stored (pending or invalid), and the last parsed value
        self._raw: dict[tuple[str, str], str] = {}
        self._dirty_values: set[tuple[str, str]] = set()
        self._invalid: dict[tuple[str, str], str] = {}
        self._last: dict[tuple[str, str], Decimal | None] = {}
        self._header_dirty = False
        self._shown_once = False
        # table cells, keyed (table, row, column): typed text not yet stored, and refused input
        self._cell_raw: dict[tuple[str, str, str], str] = {}
        self._cell_dirty: set[tuple[str, str, str]] = set()
        self._cell_invalid: dict[tuple[str, str, str], str] = {}
        self._table_views: dict[str, FigureTable] = {}
        self._shown_signature = None  # what the checks panel shows, to skip needless rebuilds
        self._tree_findings: list[Finding] = []  # the findings the checks tree's rows index into
        # live checks: the figures' findings are computed on the UI thread (milliseconds), the proofreader's
        # on a worker, on a copy of the saved text; `_text_generation` counts edits that the proofreader
        # reads (narrative, report date), so that a result about older text is dropped.
        self._figure_findings: list[Finding] = []
        self._proof_findings: list[Finding] = []
        self._proof_texts: dict[str, str] = {}  # the section texts `_proof_findings` were found in
        self._text_generation = 0
        self._proof_generation = -1  # generation of the text `_proof_findings` are about
        self._proof_token = 0  # the job whose result is awaited (0: none)
        self._proof_job_generation = -1
        self._proof_job_texts: dict[str, str] = {}
        self._scans: dict = {}  # paragraph readings kept between jobs (touched by one job at a time)
        self._marks: dict[str, list[TextMark]] = {}  # section path → its findings' ranges in its document
        self._figure_marks: dict[str, list[TextMark]] = {}  # the same for figure findings about the text
        proofread_signals().done.connect(self._on_proofread_done)
        # the dialogs of the sign-off workflow while they are open (window-modal, opened with open())
        self.blocked_dialog: BlockedDialog | None = None
        self.reason_dialog: ReasonDialog | None = None
        self.message_box: QMessageBox | None = None
        # widgets of the current section's grid
        self._fields: dict[tuple[str, str], QLineEdit] = {}
        self._percent: dict[str, QLabel] = {}
        self._sentence_buttons: dict[str, QToolButton] = {}
        self._nav_items: dict[str, QTreeWidgetItem] = {}

        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._save_all)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_checks)
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(lambda: self.busy_label.setVisible(bool(self._proof_token)))

        font = QFont(self.font())
        font.setFamilies(UI_FAMILIES)
        font.setPointSizeF(max(font.pointSizeF(), 10.0))
        self.setFont(font)
        self.setStyleSheet(STYLE)

        self._build()
        self._load_header()
        self._populate_navigator()
        first = next(iter(self.template.walk()), None)
        if first:
            self.select_section(first.path)
        self._apply_lock()
        self.run_checks()
        # once more after construction, for whoever connected to findings_changed meanwhile
        QTimer.singleShot(0, self, self._emit_counts)

    def _emit_counts(self) -> None:
        self.findings_changed.emit(*self.finding_counts())

    # == public API ==============================================================================
    def current_section_path(self) -> str | None:
        return self._current_path

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def finding_counts(self) -> tuple[int, int]:
        """(errors, open warnings) of the last check run (findings_changed carries the same); a warning
        kept with a giải trình is no longer open."""
        return (sum(1 for f in self._findings if f.severity == "error"),
                sum(1 for f in self._findings if f.severity == "warning" and not f.justification))

    def has_pending_changes(self) -> bool:
        return bool(self._dirty_texts or self._dirty_values or self._header_dirty or self._cell_dirty)

    def flush(self) -> None:
        """Save every pending edit now (switching section, closing the report, quitting)."""
        self._save_all()

    def field_widget(self, code: str, field: str) -> QLineEdit | None:
        return self._fields.get((code, field))

    def percent_label(self, code: str) -> QLabel | None:
        return self._percent.get(code)

    def sentence_button(self, code: str) -> QToolButton | None:
        return self._sentence_buttons.get(code)

    def table_view(self, code: str) -> FigureTable | None:
        """The table widget of the current section (None when the table is in another section)."""
        return self._table_views.get(code)

    @property
    def status(self) -> str:
        return self.report.status

    def select_section(self, path: str) -> None:
        section = self.template.section(path)
        if section is None or path == self._current_path:
            return
        self._save_all()
        self._current_path = path
        self._syncing = True
        try:
            item = self._nav_items.get(path)
            if item is not None:
                self.navigator.setCurrentItem(item)
                self.navigator.scrollToItem(item)
            self._show_section(section)
        finally:
            self._syncing = False

    def focus_field(self, field: str) -> None:
        """Put the cursor where a finding points: "code.cumulative", "table.row.column", "header.date",
        or "" (narrative)."""
        if not field:
            self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        head, _, name = field.partition(".")
        if head == "header":
            widget = {"date": self.date_edit, "report_date": self.date_edit,
                      "number": self.number_edit, "status": self.unlock_button}.get(name)
            if widget is not None and widget.isVisible():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                if isinstance(widget, QLineEdit):
                    widget.selectAll()
            return
        table = self.template.table(head)
        if table is not None:
            row, _, column = name.partition(".")
            section = self.template.section_of_table(head)
            if section is not None and section.path != self._current_path:
                self.select_section(section.path)
            view = self._table_views.get(head)
            if view is None:
                return
            self.form_scroll.ensureWidgetVisible(view.grid)
            if not view.focus_cell(row, column):
                view.grid.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        section = self.template.section_of_indicator(head)
        if section is not None and section.path != self._current_path:
            self.select_section(section.path)
        edit = self._fields.get((head, name)) or next(
            (w for (code, _f), w in self._fields.items() if code == head), None)
        if edit is None:
            self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.form_scroll.ensureWidgetVisible(edit)
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        edit.selectAll()

    def run_checks(self, complete: bool = False) -> None:
        """Save what is pending, run the report's checks and show them everywhere. The figures are checked
        here and now; the narrative is proofread on a worker thread when it changed since the last time,
        and its findings join the panel when ready. `complete`: proofread now, on this thread, when the
        last result is not about the current text (before signing)."""
        self._check_timer.stop()
        if self.has_pending_changes():
            self._save_all(schedule_checks=False)
        try:
            self._figure_findings = self.workspace.check(self.report_id, proofread=False)
            self._build_figure_marks()
            if complete and self._proof_generation != self._text_generation:
                self._proofread_now()
        except ServiceError as exc:
            self._show_notice(str(exc))
            return
        self._show_findings()
        if self._proof_generation != self._text_generation:
            self._start_proofreading()

    @property
    def proofreading(self) -> bool:
        """A proofreading job is running (the panel says “Đang soát lỗi…”)."""
        return bool(self._proof_token)

    def _show_findings(self) -> None:
        """The figures' findings and the last proofreading's, with today's giải trình, everywhere."""
        self._findings = self.workspace.merge_findings(self.report_id, self._figure_findings, self._proof_findings)
        if self._signature() != self._shown_signature:  # unchanged findings: keep the panel as it is
            self._populate_checks()
        self._update_nav_markers()
        self._mark_fields()
        self._show_marks()
        self._update_lock_banner()
        self._update_signoff_buttons()
        self.findings_changed.emit(*self.finding_counts())

    def _start_proofreading(self) -> None:
        if self._proof_token:
            return  # one job at a time: when it ends, the next starts from the text saved by then
        if self._dirty_texts or self._header_dirty:
            return  # the job reads the saved text: the coming save schedules the checks again
        job = self.workspace.proofread_job(self.report_id)
        self._proof_token = next(_tokens)
        self._proof_job_generation = self._text_generation
        self._proof_job_texts = dict(job.report.texts)
        self._busy_timer.start()
        QThreadPool.globalInstance().start(_ProofreadRunnable(self._proof_token, job, self._scans))

    def _proofread_now(self) -> None:
        """Proofread the saved text on this thread (a running job's result will be dropped)."""
        self._cancel_proofreading()
        job = self.workspace.proofread_job(self.report_id)
        try:
            findings = job.run()
        except Exception as exc:  # the figures' checks still count; signing re-checks everything anyway
            self._proofreading_failed(exc, self._text_generation)
            return
        self._accept_proofreading(findings, self._text_generation, dict(job.report.texts))

    def _proofreading_failed(self, exc: Exception, generation: int) -> None:
        self._scans = {}
        self._proof_generation = generation  # not again on the same text: it would fail the same way
        self._show_notice(f"Không soát được lỗi nội dung: {exc}. Các kiểm tra số liệu vẫn chạy; "
                          f"hãy báo lỗi này cho người quản trị.")

    def _cancel_proofreading(self) -> None:
        self._proof_token = 0
        self._scans = {}  # a job still running keeps the old dict to itself
        self._busy_timer.stop()
        self.busy_label.hide()

    def _on_proofread_done(self, token: int, result) -> None:
        if token != self._proof_token:
            return  # another editor's job, or one cancelled
        self._proof_token = 0
        self._busy_timer.stop()
        self.busy_label.hide()
        if isinstance(result, Exception):
            self._proofreading_failed(result, self._proof_job_generation)
        elif self._proof_job_generation == self._text_generation:
            self._accept_proofreading(result, self._proof_job_generation, self._proof_job_texts)
            self._show_findings()
        # else: typed since the job started; the result is about older text and is dropped
        if self._proof_generation != self._text_generation and not self._check_timer.isActive() \
                and not self._save_timer.isActive():
            self._start_proofreading()  # typing ended while the job ran; its checks found the job busy
        self.proofread_finished.emit()

    def _accept_proofreading(self, findings: list[Finding], generation: int, texts: dict[str, str]) -> None:
        self._proof_findings = list(findings)
        self._proof_generation = generation
        self._proof_texts = texts
        self._marks = {}
        for path in list(self._docs):
            self._build_marks(path)

    # == proofreading findings in the text ========================================================
    def _build_marks(self, path: str) -> None:
        """Place the proofreading findings of one section in its document, if the document still holds the
        text they were found in (a QTextCursor then follows every later edit)."""
        doc = self._docs.get(path)
        found = [f for f in self._proof_findings if f.section == path
                 and (f.paragraph is not None or f.footnote is not None)]
        if doc is None or not found:
            self._marks.pop(path, None)
            return
        if plain_paragraphs(document_paragraphs(doc)) != plain_paragraphs(
                richtext.parse(self._proof_texts.get(path))):
            self._marks.pop(path, None)  # edited since: wait for the next result
            return
        self._marks[path] = self._place_marks(doc, found)

    def _build_figure_marks(self, paths=None) -> None:
        """Figure findings about a number in the narrative (e.g. the text says 730, the field 731): checked
        right after saving, so the open documents hold exactly the text they were found in."""
        if paths is None:
            self._figure_marks = {}
        for path in (paths if paths is not None else list(self._docs)):
            doc = self._docs[path]
            found = [f for f in self._figure_findings if f.section == path and f.paragraph is not None
                     and f.start is not None and f.end is not None]
            if found:
                self._figure_marks[path] = self._place_marks(doc, found)
            else:
                self._figure_marks.pop(path, None)

    @staticmethod
    def _place_marks(doc: QTextDocument, findings: list[Finding]) -> list[TextMark]:
        spans = text_spans(doc, {f.paragraph for f in findings if f.footnote is None})
        notes = footnote_ranges(doc)
        marks = []
        for finding in findings:
            if finding.footnote is not None:  # a fault inside a footnote: its marker in the text
                where = notes[finding.footnote - 1][:2] if 0 < finding.footnote <= len(notes) else None
            else:
                where = text_range(spans.get(finding.paragraph, []), finding.start, finding.end)
            if where is None:
                continue
            cursor = QTextCursor(doc)
            cursor.setPosition(where[0])
            cursor.setPosition(where[1], QTextCursor.MoveMode.KeepAnchor)
            marks.append(TextMark(cursor, finding.severity, finding.message, finding.key))
        return marks

    def _show_marks(self) -> None:
        """Underline the current section's findings; kept warnings (giải trình) are no longer marked."""
        kept = {f.key for f in self._findings if f.justification}
        path = self._current_path or ""
        marks = [m for m in self._marks.get(path, []) + self._figure_marks.get(path, []) if m.key not in kept]
        self.narrative.set_marks(marks)

    def text_marks(self) -> list[TextMark]:
        """The findings underlined in the narrative shown (for tests and the screenshot script)."""
        return self.narrative.marks()

    def _select_finding_text(self, finding: Finding) -> bool:
        mark = next((m for m in self._marks.get(finding.section, []) + self._figure_marks.get(finding.section, [])
                     if m.key == finding.key
                     and m.cursor.hasSelection()), None)
        if mark is None or self.narrative.document() is not mark.cursor.document():
            return False
        self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
        self.narrative.select_range(mark.start, mark.end)
        return True

    def _signature(self):
        return self._filter, tuple((f.key, f.severity, f.message, f.justification) for f in self._findings)

    def set_filter(self, severity: str) -> None:
        """"all", "error", "warning", "info" or "kept" (warnings kept with a giải trình)."""
        button = self._filter_buttons.get(severity)
        if button is not None:
            button.setChecked(True)
        self._filter = severity
        self._populate_checks()

    def showEvent(self, event):
        super().showEvent(event)
        if self._shown_once and not event.spontaneous() and not self._proof_token \
                and self._proof_generation != self._text_generation:
            self._start_proofreading()  # shown again after a hide cancelled the job
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self._fit_splitter)
            self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event):  # noqa: N802 (Qt API)
        # the main window hides an editor it closes (then deletes it later, maybe after the database is
        # closed): a result arriving then must find no job to report to
        if not event.spontaneous():
            self._cancel_proofreading()
        super().hideEvent(event)

    def closeEvent(self, event):
        self.flush()
        self._check_timer.stop()
        self._cancel_proofreading()
        super().closeEvent(event)

    # == building ================================================================================
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._build_header())
        banner_row = QWidget()
        banner_layout = QVBoxLayout(banner_row)
        banner_layout.setContentsMargins(8, 6, 8, 0)
        self.lock_banner = QLabel()
        self.lock_banner.setObjectName("lockedBanner")
        self.lock_banner.setWordWrap(True)
        banner_layout.addWidget(self.lock_banner)
        self.lock_banner_row = banner_row
        banner_row.hide()
        outer.addWidget(banner_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(5)
        self.splitter.addWidget(self._build_navigator())
        self.splitter.addWidget(self._build_centre())
        self.splitter.addWidget(self._build_checks())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([285, 770, 290])
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 6, 6, 6)
        body_layout.addWidget(self.splitter)
        outer.addWidget(body, 1)

    def _build_header(self) -> QWidget:
        strip = QWidget()
        strip.setObjectName("headerStrip")
        strip.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(strip)
        layout.setContentsMargins(12, 7, 12, 7)
        layout.setSpacing(10)
        self.title_label = ElidedLabel(f"{self.template.name} — {self.report.period.label()}")
        self.title_label.setObjectName("reportTitle")
        self.title_label.setToolTip(self.title_label.text())
        layout.addWidget(self.title_label)
        self.status_label = QLabel(self.report.status_label)
        self.status_label.setObjectName("statusChip")
        bg, fg = STATUS_STYLES.get(self.report.status, ("#eeeeee", "#333333"))
        self.status_label.setStyleSheet(
            f"QLabel#statusChip {{ background: {bg}; color: {fg}; border-radius: 9px; padding: 2px 10px; }}")
        self.status_label.setToolTip("Trạng thái báo cáo: Dự thảo → Trình ký → Đã ký → Đã gửi")
        layout.addWidget(self.status_label)
        layout.addSpacing(4)
        self.submit_button = self._signoff_button(
            "Trình ký", "Chuyển báo cáo sang trạng thái Trình ký (cần hết lỗi; cảnh báo phải có giải trình)",
            self.request_submit)
        self.return_button = self._signoff_button(
            "Trả về dự thảo", "Đưa báo cáo đang trình ký về Dự thảo để sửa tiếp", self.request_return)
        self.sign_button = self._signoff_button(
            "Ký (hoàn tất)", "Hoàn tất báo cáo: chạy mọi kiểm tra, lưu mã kiểm tra nội dung và khóa nội dung",
            self.request_sign, primary=True)
        self.sent_button = self._signoff_button(
            "Đánh dấu đã gửi", "Ghi nhận báo cáo đã ký đã được gửi lên cấp trên", self.request_mark_sent)
        self.unlock_button = self._signoff_button(
            "Mở khóa…", "Mở khóa báo cáo đã ký để sửa; cần ghi lý do, lý do được lưu vào nhật ký", self.request_unlock)
        for button in (self.submit_button, self.return_button, self.sign_button, self.sent_button,
                       self.unlock_button):
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(QLabel("Số:"))
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("ví dụ 112")
        self.number_edit.setFixedWidth(90)
        self.number_edit.setToolTip("Số văn bản, ví dụ 112 (ký hiệu -BC/ĐU được thêm khi xuất văn bản)")
        self.number_edit.textEdited.connect(self._on_header_edited)
        layout.addWidget(self.number_edit)
        layout.addSpacing(6)
        layout.addWidget(QLabel("Ngày báo cáo:"))
        self.date_edit = QDateEdit()
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setFixedWidth(118)
        self.date_edit.dateChanged.connect(self._on_header_edited)
        layout.addWidget(self.date_edit)
        layout.addSpacing(12)
        self.saved_label = QLabel("Tự động lưu")
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setMinimumWidth(140)
        self.saved_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.saved_label.setToolTip("Mọi thay đổi được lưu tự động, không cần bấm Lưu.")
        layout.addWidget(self.saved_label)
        return strip

    def _signoff_button(self, text: str, tip: str, slot, primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("signoffButton")
        button.setProperty("primary", primary)
        button.setToolTip(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _build_navigator(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        title = QLabel("Mục lục báo cáo")
        title.setObjectName("panelTitle")
        layout.addWidget(title)
        self.navigator = QTreeWidget()
        self.navigator.setColumnCount(2)
        self.navigator.setHeaderHidden(True)
        self.navigator.setIndentation(12)
        self.navigator.setIconSize(QSize(16, 16))
        self.navigator.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.navigator.header().setStretchLastSection(False)
        self.navigator.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.navigator.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.navigator.header().resizeSection(1, 28)
        self.navigator.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.navigator.currentItemChanged.connect(self._on_navigator_changed)
        layout.addWidget(self.navigator, 1)
        legend = QLabel("✓ đã có nội dung   ○ chưa có   ● bắt buộc, còn trống")
        legend.setStyleSheet("color: #6b7784; font-size: 8.5pt;")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        panel.setMinimumWidth(200)
        return panel

    def _build_centre(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        heading_row = QHBoxLayout()
        self.heading_label = QLabel()
        self.heading_label.setObjectName("sectionHeading")
        self.heading_label.setWordWrap(True)
        heading_row.addWidget(self.heading_label, 1)
        self.required_chip = QLabel("Bắt buộc")
        self.required_chip.setObjectName("requiredChip")
        self.required_chip.setToolTip("Mục bắt buộc: phải có nội dung (hoặc ghi “Không phát sinh”).")
        heading_row.addWidget(self.required_chip, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading_row)

        self.centre_splitter = QSplitter(Qt.Orientation.Vertical)
        self.centre_splitter.setChildrenCollapsible(False)
        self.centre_splitter.setHandleWidth(6)

        # -- top: guidance + figures (scrolls when a section has many indicators)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(0, 0, 4, 0)
        form_layout.setSpacing(6)
        self.guidance_frame = QFrame()
        self.guidance_frame.setObjectName("guidance")
        guidance_layout = QVBoxLayout(self.guidance_frame)
        guidance_layout.setContentsMargins(10, 6, 10, 6)
        self.guidance_label = QLabel()
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setTextFormat(Qt.TextFormat.RichText)
        self.guidance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        guidance_layout.addWidget(self.guidance_label)
        form_layout.addWidget(self.guidance_frame)
        self.indicator_card = QFrame()
        self.indicator_card.setObjectName("indicatorCard")
        self.grid = QGridLayout(self.indicator_card)
        self.grid.setContentsMargins(10, 8, 10, 8)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(5)
        form_layout.addWidget(self.indicator_card)
        self.tables_box = QWidget()
        self.tables_layout = QVBoxLayout(self.tables_box)
        self.tables_layout.setContentsMargins(0, 0, 0, 0)
        self.tables_layout.setSpacing(10)
        self.tables_box.hide()
        form_layout.addWidget(self.tables_box)
        form_layout.addStretch(1)
        self.form_scroll.setWidget(form)
        self.centre_splitter.addWidget(self.form_scroll)

        # -- bottom: narrative
        text_panel = QWidget()
        text_layout = QVBoxLayout(text_panel)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.setSpacing(2)
        # messages about the figures stay visible under the grid, however far it is scrolled
        self.field_message = QLabel()
        self.field_message.setObjectName("fieldMessage")
        self.field_message.setWordWrap(True)
        self.field_message.hide()
        text_layout.addWidget(self.field_message)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        text_layout.addWidget(self.notice_label)
        bar_row = QHBoxLayout()
        bar_row.setSpacing(4)
        label = QLabel("Nội dung")
        label.setObjectName("panelTitle")
        bar_row.addWidget(label)
        self.narrative = NarrativeEdit()
        self.narrative.setObjectName("narrative")
        self.narrative.setReadOnly(self.locked)
        self.narrative.setPlaceholderText("Viết nội dung của mục này… (xem hướng dẫn và ví dụ ở trên)")
        self.narrative.textChanged.connect(self._on_text_changed)
        self.narrative.format_changed.connect(self._update_format_buttons)
        self.narrative.undoAvailable.connect(lambda ok: self.undo_action.setEnabled(ok and not self.locked))
        self.narrative.redoAvailable.connect(lambda ok: self.redo_action.setEnabled(ok and not self.locked))
        bar_row.addWidget(self._build_toolbar(), 1)
        text_layout.addLayout(bar_row)
        text_layout.addWidget(self.narrative, 1)
        self.footnote_list = QLabel()
        self.footnote_list.setObjectName("footnoteList")
        self.footnote_list.setWordWrap(True)
        self.footnote_list.setTextFormat(Qt.TextFormat.RichText)
        self.footnote_list.linkActivated.connect(self._on_footnote_link)
        self.footnote_list.hide()
        text_layout.addWidget(self.footnote_list)
        self.centre_splitter.addWidget(text_panel)
        self.centre_splitter.setStretchFactor(0, 0)
        self.centre_splitter.setStretchFactor(1, 1)
        layout.addWidget(self.centre_splitter, 1)
        panel.setMinimumWidth(520)
        return panel

    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setObjectName("narrativeBar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setIconSize(QSize(16, 16))

        def action(text, tip, slot, checkable=False, font=None):
            act = bar.addAction(text)
            act.setToolTip(tip)
            act.setCheckable(checkable)
            act.triggered.connect(slot)
            if font is not None:
                act.setFont(font)
            act.setEnabled(not self.locked)
            return act

        bold, italic, underline = QFont(), QFont(), QFont()
        bold.setBold(True)
        italic.setItalic(True)
        underline.setUnderline(True)
        self.bold_action = action("Đậm", "Chữ đậm (Ctrl+B)", lambda: self._format(self.narrative.toggle_bold),
                                  True, bold)
        self.italic_action = action("Nghiêng", "Chữ nghiêng (Ctrl+I)",
                                    lambda: self._format(self.narrative.toggle_italic), True, italic)
        self.underline_action = action("Gạch chân", "Gạch chân (Ctrl+U)",
                                       lambda: self._format(self.narrative.toggle_underline), True, underline)
        bar.addSeparator()
        self.footnote_action = action("Chú thích", "Chèn chú thích chân trang tại con trỏ "
                                      "(nhấp đúp vào số chú thích để sửa)", self.narrative.ask_footnote)
        bar.addSeparator()
        self.undo_action = action("Hoàn tác", "Hoàn tác (Ctrl+Z)", self.narrative.undo)
        self.redo_action = action("Làm lại", "Làm lại (Ctrl+Y)", self.narrative.redo)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        bar.addSeparator()
        self.sentence_menu = QMenu(self)
        self.sentence_tool = QToolButton()
        self.sentence_tool.setText("Chèn câu từ số liệu")
        self.sentence_tool.setToolTip("Viết câu có số liệu của mục này vào nội dung, tỷ lệ % được tính tự động")
        self.sentence_tool.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.sentence_tool.setMenu(self.sentence_menu)
        self.sentence_tool.clicked.connect(lambda: self.insert_sentences(None))
        self.sentence_tool.setEnabled(not self.locked)
        self.sentence_tool_action = bar.addWidget(self.sentence_tool)
        return bar

    def _build_checks(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        title_row = QHBoxLayout()
        title = QLabel("Kiểm tra")
        title.setObjectName("panelTitle")
        title_row.addWidget(title)
        self.busy_label = QLabel("Đang soát lỗi…")
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setToolTip("Đang soát lỗi nội dung (số liệu, ngày tháng, tên đơn vị…) trong nền; "
                                   "vẫn gõ tiếp bình thường.")
        self.busy_label.hide()
        title_row.addWidget(self.busy_label)
        self.checks_summary = QLabel()
        self.checks_summary.setStyleSheet("color: #5f6b78;")
        title_row.addWidget(self.checks_summary, 1, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(title_row)
        filters = QGridLayout()
        filters.setSpacing(0)
        self._filter_group = QButtonGroup(self)
        self._filter_group.setExclusive(True)
        self._filter_buttons: dict[str, QToolButton] = {}
        places = {"all": (0, 0, 1, 2), "error": (0, 2, 1, 2), "warning": (0, 4, 1, 2), "info": (1, 0, 1, 2),
                  "kept": (1, 2, 1, 4)}
        for key, text in FILTERS:
            button = QToolButton()
            button.setObjectName("filterButton")
            button.setText(text)
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, k=key: self.set_filter(k))
            self._filter_group.addButton(button)
            self._filter_buttons[key] = button
            filters.addWidget(button, *places[key])
        self._filter_buttons["all"].setChecked(True)
        layout.addLayout(filters)
        self.checks_tree = WrappingTree()
        self.checks_tree.setHeaderHidden(True)
        self.checks_tree.setColumnCount(1)
        self.checks_tree.setIndentation(10)
        self.checks_tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.checks_tree.itemClicked.connect(self._on_finding_clicked)
        self.checks_tree.itemActivated.connect(self._on_finding_clicked)
        self.checks_tree.currentItemChanged.connect(lambda *_: self._update_justify_buttons())
        self.checks_tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.checks_tree.customContextMenuRequested.connect(self._checks_menu)
        layout.addWidget(self.checks_tree, 1)
        actions = QHBoxLayout()
        actions.setSpacing(4)
        self.justify_button = QPushButton("Giải trình…")
        self.justify_button.setObjectName("checkAction")
        self.justify_button.clicked.connect(lambda: self.request_justify())
        self.unjustify_button = QPushButton("Bỏ giải trình")
        self.unjustify_button.setObjectName("checkAction")
        self.unjustify_button.clicked.connect(lambda: self.remove_justification())
        actions.addWidget(self.justify_button, 1)
        actions.addWidget(self.unjustify_button, 1)
        layout.addLayout(actions)
        hint = QLabel("Nhấp vào một dòng để đến chỗ cần sửa; cảnh báo có thể giữ lại bằng giải trình "
                      "(nhấp chuột phải).")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7784; font-size: 8.5pt;")
        layout.addWidget(hint)
        self._update_justify_buttons()
        panel.setMinimumWidth(240)
        return panel

    # == header ==================================================================================
    def _load_header(self) -> None:
        self._syncing = True
        try:
            self.number_edit.setText(self.report.number or "")
            day = self.report.report_date or self.report.period.end
            self.date_edit.setDate(QDate(day.year, day.month, day.day))
        finally:
            self._syncing = False

    def _on_header_edited(self, *_):
        if self._syncing or self.locked:
            return
        self._header_dirty = True
        self._text_generation += 1  # the report date is context for the proofreader
        self._save_timer.start()
        self._check_timer.stop()

    def _save_header(self) -> bool:
        if not self._header_dirty:
            return False
        self._header_dirty = False
        number = self.number_edit.text().strip()
        day = self.date_edit.date().toPython()
        self.workspace.set_header(self.report_id, number=number, report_date=day)
        self.report.number, self.report.report_date = number, day
        return True

    # == navigator ===============================================================================
    def _populate_navigator(self) -> None:
        self.navigator.clear()
        self._nav_items.clear()
        bold = QFont(self.navigator.font())
        bold.setBold(True)

        def add(section, parent):
            item = QTreeWidgetItem(parent, [section.heading, ""])
            item.setData(0, Qt.ItemDataRole.UserRole, section.path)
            tip = section.heading
            if section.guidance:
                tip += "\n\n" + section.guidance
            item.setToolTip(0, tip)
            if section.level == 1:
                item.setFont(0, bold)
            self._nav_items[section.path] = item
            for child in section.children:
                add(child, item)
            return item

        for section in self.template.sections:
            self.navigator.addTopLevelItem(add(section, None))
        self.navigator.expandAll()
        self._update_nav_markers()

    def _section_has_content(self, section) -> bool:
        if not richtext.is_empty(self.report.texts.get(section.path)):
            return True
        return (any(self.report.values.get(code) for code in section.indicators)
                or any(self.report.tables.get(code) for code in section.tables))

    def section_state(self, path: str) -> str:
        """"filled", "partial", "empty" or "required" (required and still empty)."""
        section = self.template.section(path)
        if self._section_has_content(section):
            return "filled"
        descendants = [s for s in section.walk() if s is not section]
        filled = [s for s in descendants if self._section_has_content(s)]
        if descendants and filled:
            leaves_missing = [s for s in descendants if s.required and not self._section_has_content(s)
                              and not any(self._section_has_content(c) for c in s.walk() if c is not s)]
            return "partial" if leaves_missing else "filled"
        if section.required or any(s.required for s in descendants):
            return "required"
        return "empty"

    def _update_nav_markers(self) -> None:
        per_section: dict[str, list[Finding]] = {}
        for finding in self._findings:
            per_section.setdefault(finding.section, []).append(finding)
        state_tips = {"filled": "Đã có nội dung", "partial": "Một số tiểu mục còn trống",
                      "empty": "Chưa có nội dung", "required": "Mục bắt buộc, chưa có nội dung"}
        for path, item in self._nav_items.items():
            state = self.section_state(path)
            own = per_section.get(path, [])
            errors = sum(1 for f in own if f.severity == "error")
            warnings = sum(1 for f in own if f.severity == "warning" and not f.justification)
            if item.data(0, Qt.ItemDataRole.UserRole + 1) == state and \
                    item.data(1, Qt.ItemDataRole.UserRole) == (errors, warnings):
                continue  # unchanged: after each check most sections are (icons cost a repaint each)
            item.setIcon(0, status_icon(state))
            item.setData(0, Qt.ItemDataRole.UserRole + 1, state)
            if errors:
                item.setIcon(1, badge_icon(errors, "error"))
            elif warnings:
                item.setIcon(1, badge_icon(warnings, "warning"))
            else:
                item.setIcon(1, QIcon())
            parts = [state_tips[state]]
            if errors:
                parts.append(f"{errors} lỗi")
            if warnings:
                parts.append(f"{warnings} cảnh báo chưa giải trình")
            item.setToolTip(1, ", ".join(parts))
            item.setData(1, Qt.ItemDataRole.UserRole, (errors, warnings))

    def _on_navigator_changed(self, current, _previous):
        if self._syncing or current is None:
            return
        self.select_section(current.data(0, Qt.ItemDataRole.UserRole))

    # == section form ============================================================================
    def _show_section(self, section) -> None:
        self.heading_label.setText(section.heading)
        self.required_chip.setVisible(section.required)
        # guidance and example
        parts = []
        if section.guidance:
            parts.append(html.escape(section.guidance))
        if section.example:
            parts.append(f"<i><b>Ví dụ:</b> {html.escape(section.example)}</i>")
        self.guidance_label.setText("<br>".join(parts))
        self.guidance_frame.setVisible(bool(parts))
        self._build_grid(section)
        self._build_tables(section)
        self._show_field_messages()
        self._hide_notice()
        # narrative
        doc = self._doc_for(section.path)
        self.narrative.setDocument(doc)
        self._show_marks()
        self.narrative.moveCursor(self.narrative.textCursor().MoveOperation.End)
        self._update_footnote_list()
        self.undo_action.setEnabled(doc.isUndoAvailable() and not self.locked)
        self.redo_action.setEnabled(doc.isRedoAvailable() and not self.locked)
        self._update_format_buttons()
        self._fit_splitter()
        QTimer.singleShot(0, self._fit_splitter)  # again once the new widgets are laid out

    def _fit_splitter(self) -> None:
        form = self.form_scroll.widget()
        for layout in (self.grid, form.layout()):
            layout.invalidate()
            layout.activate()
        total = max(self.centre_splitter.height(), 420)
        width = self.form_scroll.viewport().width()
        layout = form.layout()
        wanted = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth() and width > 100
                  else form.sizeHint().height()) + 4
        top = min(wanted, int(total * 0.62))
        top = max(top, 60)
        self.centre_splitter.setSizes([top, total - top])

    def _doc_for(self, path: str) -> QTextDocument:
        doc = self._docs.get(path)
        if doc is None:
            doc = QTextDocument(self)
            font = QFont()
            font.setFamilies(TEXT_FAMILIES)
            font.setPointSizeF(13)
            doc.setDefaultFont(font)
            doc.setDocumentMargin(8)
            set_document_markup(doc, self.report.texts.get(path))
            self._docs[path] = doc
            self._build_marks(path)
            self._build_figure_marks([path])
        return doc

    def _clear_grid(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
            self.grid.setColumnMinimumWidth(column, 0)
        self._fields.clear()
        self._percent.clear()
        self._sentence_buttons.clear()

    def _build_grid(self, section) -> None:
        self._clear_grid()
        indicators = [self.template.indicator(code) for code in section.indicators]
        indicators = [i for i in indicators if i is not None]
        self.indicator_card.setVisible(bool(indicators))
        self.sentence_menu.clear()
        self.sentence_tool.setEnabled(bool(indicators) and not self.locked)
        if not indicators:
            return
        fields = [f for f in GRID_FIELDS if any(self._has_field(i, f) for i in indicators)]
        show_percent = any(i.has_percent for i in indicators)
        compare = {i.code: self.comparison["values"][i.code].get("actual") for i in indicators
                   if self.comparison and self.comparison["values"].get(i.code, {}).get("actual") is not None}
        columns = (["label", *fields] + (["compare"] if compare else []) + ["unit"]
                   + (["percent"] if show_percent else []) + ["sentence"])
        col = {name: index for index, name in enumerate(columns)}
        header_texts = {"label": "Chỉ tiêu", "unit": "Đơn vị", "percent": "Tỷ lệ", "sentence": "",
                        "compare": "Kỳ trước", **GRID_HEADERS}
        header_tips = {
            "actual": "Số thực hiện (với chỉ tiêu có lũy kế: số trong kỳ này)",
            "plan": "Kế hoạch năm được giao",
            "previous": "Lũy kế đến hết kỳ báo cáo trước (lấy từ báo cáo kỳ trước khi có)",
            "cumulative": "Lũy kế từ đầu năm đến hết kỳ này = lũy kế kỳ trước + thực hiện trong kỳ",
            "percent": "Tính tự động: Thực hiện (hoặc Lũy kế) / Kế hoạch × 100, không nhập tay",
            "compare": f"Số thực hiện của {self.comparison['label']}, để so sánh (không sửa ở đây)"
                       if self.comparison else "",
        }
        for name in columns:
            label = QLabel(header_texts[name])
            label.setObjectName("gridHeader")
            label.setToolTip(header_tips.get(name, ""))
            align = Qt.AlignmentFlag.AlignLeft if name in ("label", "unit") else Qt.AlignmentFlag.AlignHCenter
            label.setAlignment(align | Qt.AlignmentFlag.AlignBottom)
            if name in GRID_FIELDS:
                label.setWordWrap(True)
            self.grid.addWidget(label, 0, col[name])
        self.sentence_menu.addAction("Tất cả chỉ tiêu của mục", lambda: self.insert_sentences(None))
        self.sentence_menu.addSeparator()
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #e3e7ec;")
        self.grid.addWidget(line, 1, 0, 1, len(columns))
        for row, ind in enumerate(indicators, start=2):
            label = QLabel(ind.label)
            label.setObjectName("indicatorLabel")
            label.setWordWrap(True)
            label.setToolTip(f"{ind.label} ({ind.unit})" if ind.unit else ind.label)
            self.grid.addWidget(label, row, col["label"])
            for name in fields:
                if not self._has_field(ind, name):
                    continue
                self.grid.addWidget(self._make_field(ind, name), row, col[name], Qt.AlignmentFlag.AlignVCenter)
            if ind.code in compare:
                last = QLabel(format_number(compare[ind.code]))
                last.setObjectName("compareLabel")
                last.setStyleSheet("color: #5b6673;")
                last.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                last.setToolTip(f"{ind.label} {self.comparison['label'].lower()}: "
                                f"{format_number(compare[ind.code])} {ind.unit}".strip())
                self.grid.addWidget(last, row, col["compare"], Qt.AlignmentFlag.AlignVCenter)
            unit = QLabel(ind.unit)
            unit.setObjectName("unitLabel")
            self.grid.addWidget(unit, row, col["unit"], Qt.AlignmentFlag.AlignVCenter)
            if show_percent:
                percent = QLabel()
                percent.setObjectName("percentLabel")
                percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                percent.setMinimumWidth(64)
                if ind.has_percent:
                    self._percent[ind.code] = percent
                    self.grid.addWidget(percent, row, col["percent"], Qt.AlignmentFlag.AlignVCenter)
                else:
                    percent.deleteLater()
            button = QToolButton()
            button.setText("Chèn câu")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setEnabled(not self.locked)
            button.clicked.connect(lambda _=False, code=ind.code: self.insert_sentences([code]))
            self._sentence_buttons[ind.code] = button
            self.grid.addWidget(button, row, col["sentence"], Qt.AlignmentFlag.AlignVCenter)
            self.sentence_menu.addAction(ind.label, lambda code=ind.code: self.insert_sentences([code]))
            self._refresh_computed(ind.code)
        self.grid.setColumnStretch(col["label"], 1)
        self.grid.setColumnMinimumWidth(col["label"], 150)
        self._mark_fields()

    @staticmethod
    def _has_field(ind, name: str) -> bool:
        return {"actual": ind.actual, "plan": ind.plan, "cumulative": ind.cumulative,
                "previous": ind.cumulative}[name]

    def _make_field(self, ind, name: str) -> QLineEdit:
        key = (ind.code, name)
        edit = QLineEdit()
        edit.setObjectName("figure")
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit.setFixedWidth(80)
        edit.setProperty("field", f"{ind.code}.{name}")
        fixed_previous = name == "previous" and ind.code in self.context.previous_cumulative
        if fixed_previous:
            value = self.context.previous_cumulative[ind.code]
            edit.setText(format_number(value))
            edit.setReadOnly(True)
            label = self.context.previous_report_label or "báo cáo kỳ trước"
            edit.setToolTip(f"Lũy kế của {label}: {format_number(value)} {ind.unit}. Lấy tự động, không sửa ở đây.")
            edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        else:
            edit.setText(self._raw[key] if key in self._raw else format_number(self._stored(ind.code, name)))
            edit.setReadOnly(self.locked)
            tips = {
                "actual": "Số thực hiện" + (" trong kỳ" if ind.cumulative else ""),
                "plan": "Kế hoạch năm",
                "previous": "Chưa có báo cáo kỳ trước: nhập lũy kế đến hết kỳ trước để kiểm tra lũy kế",
                "cumulative": "Lũy kế từ đầu năm; tự điền = lũy kế kỳ trước + thực hiện trong kỳ",
            }
            tip = tips[name] + ". Viết kiểu Việt Nam: 1.009 hoặc 84,5."
            if name == "actual" and ind.code in self.profile_figures:
                fact, _value = self.profile_figures[ind.code]
                tip += (f"\nHồ sơ đơn vị ngày {format_date(fact.as_of)}: {format_number(fact.value)} {fact.unit}"
                        .rstrip() + " (số điền sẵn khi tạo báo cáo).")
            edit.setToolTip(tip)
            edit.textEdited.connect(lambda text, code=ind.code, f=name: self._on_field_edited(code, f, text))
            edit.editingFinished.connect(lambda code=ind.code, f=name: self._tidy_field(code, f))
        edit.setProperty("invalid", key in self._invalid)
        edit.setProperty("fixed", fixed_previous)
        edit.setProperty("finding", "")
        self._fields[key] = edit
        return edit

    # == tables ==================================================================================
    def _build_tables(self, section) -> None:
        for view in self._table_views.values():
            self.tables_layout.removeWidget(view)
            view.hide()
            view.deleteLater()
        self._table_views.clear()
        tables = [t for t in (self.template.table(code) for code in section.tables) if t is not None]
        self.tables_box.setVisible(bool(tables))
        for table in tables:
            view = FigureTable(table)
            view.set_locked(self.locked)
            for row in table.rows:
                for column in table.columns:
                    key = (table.code, row.code, column.code)
                    text = (self._cell_raw[key] if key in self._cell_raw
                            else format_number(self.report.cell(*key)))
                    view.set_text(row.code, column.code, text)
            view.cell_edited.connect(lambda r, c, text, t=table.code: self._on_cell_edited(t, r, c, text))
            view.cell_left.connect(lambda r, c, t=table.code: self._tidy_cell(t, r, c))
            self._table_views[table.code] = view
            self.tables_layout.addWidget(view)
            self._refresh_table_sums(table.code)
        self._mark_fields()

    def _cell_value(self, key: tuple[str, str, str]) -> Decimal | None:
        """What the cell shows now, parsed (None when empty or not a number yet)."""
        if key in self._cell_raw:
            try:
                return parse_number(self._cell_raw[key])
            except NumberFormatError:
                return None
        return self.report.cell(*key)

    def _refresh_table_sums(self, code: str) -> None:
        view = self._table_views.get(code)
        if view is None:
            return
        table = view.table
        view.set_values({(r.code, c.code): self._cell_value((code, r.code, c.code))
                         for r in table.rows for c in table.columns})

    def _on_cell_edited(self, code: str, row: str, column: str, text: str) -> None:
        if self._syncing or self.locked:
            return
        key = (code, row, column)
        self._cell_raw[key] = text
        self._cell_dirty.add(key)
        self._refresh_table_sums(code)
        self._hide_notice()
        self._save_timer.start()
        self._check_timer.stop()

    def _tidy_cell(self, code: str, row: str, column: str) -> None:
        """On leaving a cell, show a stored figure in the Vietnamese format (1009 → 1.009)."""
        key = (code, row, column)
        if key in self._cell_dirty:
            self._save_all()
        view = self._table_views.get(code)
        if view is None or key in self._cell_invalid or key in self._cell_dirty:
            return
        view.set_text(row, column, format_number(self.report.cell(*key)))

    def _save_cells(self) -> bool:
        saved = False
        for key in sorted(self._cell_dirty):
            code, row, column = key
            raw = self._cell_raw.get(key, "")
            try:
                value = self.workspace.set_cell(self.report_id, code, row, column, raw)
            except NumberFormatError as exc:
                self._cell_invalid[key] = exc.message
                continue
            finally:
                self._cell_dirty.discard(key)
            self._cell_invalid.pop(key, None)
            self._cell_raw.pop(key, None)
            cells = self.report.tables.setdefault(code, {}).setdefault(row, {})
            if value is None:
                cells.pop(column, None)
            else:
                cells[column] = value
            saved = True
            view = self._table_views.get(code)
            if view is not None:
                view.set_text(row, column, format_number(value))  # not while the cell is being typed in
        for code in self._table_views:
            self._refresh_table_sums(code)
        return saved

    def _cell_where(self, key: tuple[str, str, str]) -> str:
        table = self.template.table(key[0])
        row, column = table.row(key[1]), table.column(key[2])
        return f"{table.title}: {row.label if row else key[1]} – {column.label if column else key[2]}"

    # == figures =================================================================================
    def _stored(self, code: str, name: str) -> Decimal | None:
        return self.report.values.get(code, {}).get(name)

    def _current(self, code: str, name: str) -> Decimal | None:
        """What the field shows now, parsed (None when empty or not a number yet)."""
        key = (code, name)
        if key in self._raw:
            try:
                return parse_number(self._raw[key])
            except NumberFormatError:
                return None
        return self._stored(code, name)

    def _previous_of(self, code: str) -> Decimal | None:
        if code in self.context.previous_cumulative:
            return self.context.previous_cumulative[code]
        return self._current(code, "previous")

    def _values_of(self, code: str) -> dict[str, Decimal]:
        values = {}
        for name in ("actual", "plan", "cumulative"):
            value = self._current(code, name)
            if value is not None:
                values[name] = value
        return values

    def _on_field_edited(self, code: str, name: str, text: str) -> None:
        if self._syncing or self.locked:
            return
        key = (code, name)
        before = self._last.get(key, self._stored(code, name))
        self._raw[key] = text
        self._dirty_values.add(key)
        try:
            now = parse_number(text)
        except NumberFormatError:
            now = _INVALID
        if now is not _INVALID:
            self._last[key] = now
            self._auto_cumulative(code, name, before, now)
        self._refresh_computed(code)
        self._hide_notice()
        self._save_timer.start()
        self._check_timer.stop()

    def _auto_cumulative(self, code: str, name: str, before, now) -> None:
        """Lũy kế = lũy kế kỳ trước + thực hiện, while the user has not typed a different lũy kế."""
        ind = self.template.indicator(code)
        if not (ind and ind.cumulative and ind.actual) or name not in ("actual", "previous") or now is None:
            return
        if name == "actual":
            previous = self._previous_of(code)
            old_sum = None if previous is None else previous + (before or 0)
            new_sum = None if previous is None else previous + now
        else:
            actual = self._current(code, "actual")
            old_sum = None if (actual is None or before is None) else before + actual
            new_sum = None if actual is None else now + actual
        if new_sum is None:
            return
        key = (code, "cumulative")
        raw = self._raw.get(key, format_number(self._stored(code, "cumulative")))
        try:
            cumulative = parse_number(raw)
        except NumberFormatError:
            return
        if cumulative is not None and cumulative != old_sum:
            return  # the user typed their own lũy kế: leave it, the checks will compare
        text = format_number(new_sum)
        self._raw[key] = text
        self._last[key] = new_sum
        self._dirty_values.add(key)
        edit = self._fields.get(key)
        if edit is not None:
            edit.setText(text)

    def _tidy_field(self, code: str, name: str) -> None:
        """On leaving a field, show a stored figure in the Vietnamese format (1009 → 1.009)."""
        key = (code, name)
        edit = self._fields.get(key)
        if edit is None or key in self._invalid or key in self._dirty_values:
            return
        value = self._stored(code, name)
        text = format_number(value)
        if edit.text() != text and not edit.hasFocus():
            edit.setText(text)

    def _refresh_computed(self, code: str) -> None:
        ind = self.template.indicator(code)
        label = self._percent.get(code)
        values = self._values_of(code)
        if label is not None and ind is not None:
            value = indicator_percent(ind, values)
            base = FIELD_LABELS[ind.percent_base].lower()
            if value is None:
                label.setText("—")
                label.setProperty("empty", True)
                label.setToolTip(f"Tỷ lệ % = {base} / kế hoạch × 100; nhập đủ hai số để tính.")
            else:
                label.setText(format_number(value) + "%")
                label.setProperty("empty", False)
                label.setToolTip(f"{format_number(values[ind.percent_base])} / {format_number(values['plan'])}"
                                 f" × 100 = {format_number(value)}% (tính tự động)")
            _repolish(label)
        button = self._sentence_buttons.get(code)
        if button is not None and ind is not None:
            try:
                sentence = generate_sentence(ind, values, self._previous_of(code))
                button.setToolTip("Chèn vào nội dung tại con trỏ:\n“" + sentence + "”")
            except MissingValues as exc:
                button.setToolTip(str(exc))

    def _save_values(self) -> bool:
        saved = False
        for key in sorted(self._dirty_values):
            code, name = key
            raw = self._raw.get(key, "")
            try:
                value = self.workspace.set_value(self.report_id, code, name, raw)
            except NumberFormatError as exc:
                self._invalid[key] = exc.message
                continue
            finally:
                self._dirty_values.discard(key)
            self._invalid.pop(key, None)
            self._raw.pop(key, None)
            fields = self.report.values.setdefault(code, {})
            if value is None:
                fields.pop(name, None)
            else:
                fields[name] = value
            saved = True
            edit = self._fields.get(key)
            if edit is not None and not edit.hasFocus():
                edit.setText(format_number(value))  # "1009" reads back as "1.009"
        self._refresh_field_states()
        return saved

    def _refresh_field_states(self) -> None:
        for key, edit in self._fields.items():
            invalid = key in self._invalid
            if bool(edit.property("invalid")) != invalid:
                edit.setProperty("invalid", invalid)
                _repolish(edit)
            if invalid:
                edit.setToolTip(self._invalid[key])
        self._mark_cells()
        self._show_field_messages()

    def _show_field_messages(self) -> None:
        section = self.template.section(self._current_path) if self._current_path else None
        codes = set(section.indicators) if section else set()
        lines = []
        for (code, name), message in sorted(self._invalid.items()):
            ind = self.template.indicator(code)
            where = f"{ind.label} – {FIELD_LABELS[name]}" if ind else code
            prefix = "" if code in codes else "(mục khác) "
            lines.append(f"<b>{html.escape(prefix + where)}:</b> {html.escape(message)}")
        tables = set(section.tables) if section else set()
        for key, message in sorted(self._cell_invalid.items()):
            prefix = "" if key[0] in tables else "(mục khác) "
            lines.append(f"<b>{html.escape(prefix + self._cell_where(key))}:</b> {html.escape(message)}")
        if lines:
            self.field_message.setText("<br>".join(lines) + "<br><i>Số này chưa được lưu; hãy sửa lại.</i>")
            self.field_message.show()
        else:
            self.field_message.clear()
            self.field_message.hide()

    def _findings_by_field(self) -> dict[str, Finding]:
        """The first open finding per field (kept warnings no longer mark anything); errors first."""
        by_field: dict[str, Finding] = {}
        for finding in sorted(self._findings, key=lambda f: f.severity != "error"):
            if finding.field and finding.field not in by_field and not finding.justification:
                by_field[finding.field] = finding
        return by_field

    def _mark_cells(self, by_field: dict[str, Finding] | None = None) -> None:
        if by_field is None:
            by_field = self._findings_by_field()
        for code, view in self._table_views.items():
            invalid = {(r, c): message for (t, r, c), message in self._cell_invalid.items() if t == code}
            findings = {}
            for row in view.table.rows:
                for column in view.table.columns:
                    finding = by_field.get(f"{code}.{row.code}.{column.code}")
                    if finding is not None and finding.severity in ("error", "warning"):
                        findings[(row.code, column.code)] = finding
            view.set_marks(invalid, findings)

    def _mark_fields(self) -> None:
        """Outline the fields and cells that a finding points at, with the message as tooltip."""
        by_field = self._findings_by_field()
        self._mark_cells(by_field)
        for (code, name), edit in self._fields.items():
            finding = by_field.get(f"{code}.{name}")
            severity = finding.severity if finding and finding.severity in ("error", "warning") else ""
            if (edit.property("finding") or "") != severity:
                edit.setProperty("finding", severity)
                _repolish(edit)
            if finding and (code, name) not in self._invalid:
                edit.setToolTip(finding.message)

    # == sentences ===============================================================================
    def insert_sentences(self, codes: list[str] | None) -> bool:
        """Write the generated sentence(s) into the narrative at the cursor; None = all of the section."""
        if self.locked or not self._current_path:
            return False
        section = self.template.section(self._current_path)
        all_of_section = codes is None
        codes = list(section.indicators) if all_of_section else codes
        sentences, problems = [], []
        for code in codes:
            ind = self.template.indicator(code)
            if ind is None:
                continue
            if any((code, f) in self._invalid for f in GRID_FIELDS):
                problems.append(f"“{ind.label}”: có số không hợp lệ, hãy sửa trước.")
                continue
            try:
                sentences.append(generate_sentence(ind, self._values_of(code), self._previous_of(code)))
            except MissingValues as exc:
                problems.append(str(exc))
        if sentences:
            text = "; ".join(sentences)
            if all_of_section:
                text += "."
            self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
            self.narrative.insert_text_at_cursor(self._capitalised(text))
        if problems and (not sentences or not all_of_section):
            self._show_notice(" ".join(problems))
        elif problems:
            self._show_notice("Bỏ qua chỉ tiêu chưa đủ số liệu: " + " ".join(problems))
        else:
            self._hide_notice()
        return bool(sentences)

    def _capitalised(self, text: str) -> str:
        """Capitalise a sentence that starts a paragraph or follows a full stop."""
        cursor = self.narrative.textCursor()
        block_text = cursor.block().text()[:cursor.positionInBlock()].rstrip()
        if not block_text or block_text[-1] in ".!?:":
            return text[:1].upper() + text[1:]
        return text

    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.show()

    def _hide_notice(self) -> None:
        self.notice_label.hide()

    # == narrative ===============================================================================
    def _update_footnote_list(self) -> None:
        notes = self.narrative.footnotes()
        if not notes:
            self.footnote_list.hide()
            return
        rows = []
        for number, (position, text) in enumerate(notes, 1):
            short = text if len(text) <= 160 else text[:157].rstrip() + "…"
            link = "" if self.locked else f' <a href="fn:{position}">sửa</a>'
            rows.append(f"<b>[{number}]</b> {html.escape(short).replace(chr(10), ' / ')}{link}")
        self.footnote_list.setText("<b>Chú thích:</b><br>" + "<br>".join(rows))
        self.footnote_list.show()

    def _on_footnote_link(self, link: str) -> None:
        if link.startswith("fn:"):
            self.narrative.edit_footnote(int(link[3:]))

    def _on_text_changed(self) -> None:
        if self._current_path and self.narrative.document() is self._docs.get(self._current_path):
            self._update_footnote_list()
        if self._syncing or self.locked or not self._current_path:
            return
        if self.narrative.document() is not self._docs.get(self._current_path):
            return
        self._dirty_texts.add(self._current_path)
        self._text_generation += 1
        self._save_timer.start()
        self._check_timer.stop()

    def _save_texts(self) -> bool:
        saved = False
        for path in sorted(self._dirty_texts):
            doc = self._docs.get(path)
            self._dirty_texts.discard(path)
            if doc is None:
                continue
            self._syncing = True
            try:
                renumber_footnotes(doc)
            finally:
                self._syncing = False
            markup = document_markup(doc)
            if markup == (self.report.texts.get(path) or ""):
                continue
            self.workspace.set_section_text(self.report_id, path, markup)
            self.report.texts[path] = markup
            saved = True
        return saved

    def _format(self, toggle) -> None:
        toggle()
        self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_format_buttons(self) -> None:
        fmt = self.narrative.currentCharFormat()
        for act, on in ((self.bold_action, self.narrative.is_bold()), (self.italic_action, fmt.fontItalic()),
                        (self.underline_action, fmt.fontUnderline())):
            act.blockSignals(True)
            act.setChecked(bool(on))
            act.blockSignals(False)

    # == saving ==================================================================================
    def _save_all(self, schedule_checks: bool = True) -> bool:
        self._save_timer.stop()
        if not self.has_pending_changes():
            return False
        saved = False
        try:
            saved |= self._save_values()
            saved |= self._save_cells()
            saved |= self._save_texts()
            saved |= self._save_header()
        except ServiceError as exc:
            self._dirty_texts.clear()
            self._dirty_values.clear()
            self._cell_dirty.clear()
            self._header_dirty = False
            self._show_notice(str(exc))
            return False
        self._refresh_field_states()
        if saved:
            stamp = QTime.currentTime().toString("HH:mm:ss")
            self.saved_label.setText(f"Đã lưu lúc {stamp}")
            self._update_nav_markers()
            self.saved.emit(stamp)
        if schedule_checks and (saved or self._invalid or self._cell_invalid):
            self._check_timer.start()
        return saved

    # == checks panel ============================================================================
    def _populate_checks(self) -> None:
        counts = {s: sum(1 for f in self._findings if f.severity == s) for s in ("error", "warning", "info")}
        counts["kept"] = sum(1 for f in self._findings if f.severity == "warning" and f.justification)
        labels = dict(FILTERS)
        tips = {"all": "Hiện tất cả", "error": "Hiện lỗi (chặn việc ký)", "warning": "Hiện cảnh báo",
                "info": "Hiện gợi ý", "kept": "Hiện cảnh báo đã được giữ lại bằng giải trình"}
        for key, button in self._filter_buttons.items():
            button.setText(labels[key] if key == "all" else f"{labels[key]} {counts[key]}")
            button.setToolTip(tips[key] + ("" if key == "all" else f": {counts[key]}"))
        if not self._findings:
            self.checks_summary.setText("Không có lỗi")
        else:
            open_warnings = counts["warning"] - counts["kept"]
            text = f"{counts['error']} lỗi · {open_warnings} cảnh báo"
            if counts["kept"]:
                text += f" · {counts['kept']} đã giải trình"
            self.checks_summary.setText(text)
        current = self.selected_finding()  # of the list the tree shows now, before it is rebuilt
        scroll = self.checks_tree.verticalScrollBar().value()
        self._shown_signature = self._signature()
        self._tree_findings = list(self._findings)
        self.checks_tree.setUpdatesEnabled(False)
        try:
            self.checks_tree.clear()
            self._fill_checks_tree()
            if current is not None:
                item = self.finding_item(lambda f: f.key == current.key)
                if item is not None:
                    self.checks_tree.setCurrentItem(item)
            self.checks_tree.verticalScrollBar().setValue(scroll)
        finally:
            self.checks_tree.setUpdatesEnabled(True)
        self._update_justify_buttons()

    def _passes_filter(self, finding: Finding) -> bool:
        if self._filter == "all":
            return True
        if self._filter == "kept":
            return finding.severity == "warning" and bool(finding.justification)
        return finding.severity == self._filter

    def _fill_checks_tree(self) -> None:
        shown = [f for f in self._findings if self._passes_filter(f)]
        if not shown:
            empty = QTreeWidgetItem(self.checks_tree, [
                "Không có phát hiện nào." if not self._findings else "Không có mục nào ở bộ lọc này."])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            empty.setData(0, Qt.ItemDataRole.UserRole, ("none", ""))
            empty.setForeground(0, QBrush(QColor("#6b7784")))
            return
        order = {s.path: i for i, s in enumerate(self.template.walk())}
        groups: dict[str, list[tuple[int, Finding]]] = {}
        for index, finding in enumerate(self._findings):
            if not self._passes_filter(finding):
                continue
            key = finding.section if finding.section in order else HEADER_GROUP
            groups.setdefault(key, []).append((index, finding))
        bold = QFont(self.checks_tree.font())
        bold.setBold(True)
        italic = QFont(self.checks_tree.font())
        italic.setItalic(True)
        for key in sorted(groups, key=lambda k: -1 if k == HEADER_GROUP else order[k]):
            if key == HEADER_GROUP:
                title = "Thông tin chung (số, ngày, kỳ báo cáo)"
            else:
                title = self.template.section(key).heading
            group = QTreeWidgetItem(self.checks_tree, [title])
            group.setFont(0, bold)
            group.setForeground(0, QBrush(QColor("#33414f")))
            group.setData(0, Qt.ItemDataRole.UserRole, ("section", key))
            group.setToolTip(0, title)
            for index, finding in groups[key]:
                item = QTreeWidgetItem(group, [finding.message])
                item.setData(0, Qt.ItemDataRole.UserRole, ("finding", index))
                if finding.justification:
                    item.setIcon(0, severity_icon("kept"))
                    item.setForeground(0, QBrush(QColor("#4a5561")))
                    item.setToolTip(0, f"Cảnh báo đã giữ lại: {finding.message}\n\nGiải trình: "
                                       f"{finding.justification}\n\n(Nhấp chuột phải để sửa hoặc bỏ giải trình)")
                    reason = QTreeWidgetItem(item, [f"Giải trình: {finding.justification}"])
                    reason.setFont(0, italic)
                    reason.setForeground(0, QBrush(QColor(SEVERITY_COLORS["kept"])))
                    reason.setData(0, Qt.ItemDataRole.UserRole, ("justification", index))
                    reason.setToolTip(0, finding.justification)
                else:
                    item.setIcon(0, severity_icon(finding.severity))
                    tip = f"{SEVERITY_LABELS.get(finding.severity, '')}: {finding.message}"
                    if finding.severity == "warning":
                        tip += "\n\n(Nhấp chuột phải → “Giữ lại và giải trình…” nếu số liệu đúng như vậy)"
                    item.setToolTip(0, tip)
        self.checks_tree.expandAll()

    def finding_item(self, predicate) -> QTreeWidgetItem | None:
        """The first finding row whose Finding satisfies `predicate` (for tests and the main window)."""
        for g in range(self.checks_tree.topLevelItemCount()):
            group = self.checks_tree.topLevelItem(g)
            for c in range(group.childCount()):
                item = group.child(c)
                kind, index = item.data(0, Qt.ItemDataRole.UserRole)
                if kind == "finding" and predicate(self._tree_findings[index]):
                    return item
        return None

    def justification_item(self, finding: Finding) -> QTreeWidgetItem | None:
        """The “Giải trình: …” line shown under a kept warning."""
        item = self.finding_item(lambda f: f.key == finding.key)
        return item.child(0) if item is not None and item.childCount() else None

    def _finding_of(self, item: QTreeWidgetItem | None) -> Finding | None:
        data = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if not data or data[0] not in ("finding", "justification"):
            return None
        return self._tree_findings[data[1]] if data[1] < len(self._tree_findings) else None

    def selected_finding(self) -> Finding | None:
        return self._finding_of(self.checks_tree.currentItem())

    def _on_finding_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if not data:
            return
        kind, value = data
        if kind == "none":
            return
        if kind == "section":
            if value != HEADER_GROUP:
                self.select_section(value)
            return
        self.go_to_finding(self._tree_findings[value])

    def go_to_finding(self, finding: Finding) -> None:
        if finding.section and self.template.section(finding.section):
            self.select_section(finding.section)
        if not self._select_finding_text(finding):  # a proofreading finding: select exactly its text
            self.focus_field(finding.field)

    # == giải trình (kept warnings) ==============================================================
    def _justify_block_reason(self, finding: Finding | None) -> str:
        """Why the selected finding cannot be kept with a reason now ("" when it can)."""
        if finding is None:
            return "Chọn một cảnh báo trong danh sách."
        if finding.severity == "error":
            return ERROR_NOT_JUSTIFIABLE
        if finding.severity != "warning":
            return INFO_NOT_JUSTIFIABLE
        if self.locked:
            return LOCKED_NO_JUSTIFY
        return ""

    def _update_justify_buttons(self) -> None:
        finding = self.selected_finding()
        why = self._justify_block_reason(finding)
        kept = finding is not None and bool(finding.justification)
        self.justify_button.setText("Sửa giải trình…" if kept else "Giải trình…")
        self.justify_button.setEnabled(not why)
        self.justify_button.setToolTip(why or ("Sửa lý do giữ lại cảnh báo này" if kept else
                                               "Giữ lại cảnh báo này với lý do viết ra (giải trình); "
                                               "giải trình được gửi kèm lên cấp trên"))
        self.unjustify_button.setEnabled(kept and not self.locked)
        self.unjustify_button.setToolTip(LOCKED_NO_JUSTIFY if kept and self.locked else
                                         "Bỏ giải trình: cảnh báo lại chặn việc ký" if kept else
                                         "Chỉ dùng cho cảnh báo đã có giải trình")

    def _checks_menu(self, pos) -> None:
        item = self.checks_tree.itemAt(pos)
        finding = self._finding_of(item)
        if finding is None:
            return
        self.checks_tree.setCurrentItem(item)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        go = menu.addAction("Đến chỗ cần sửa")
        go.triggered.connect(lambda: self.go_to_finding(finding))
        menu.addSeparator()
        why = self._justify_block_reason(finding)
        keep = menu.addAction("Sửa giải trình…" if finding.justification else "Giữ lại và giải trình…")
        keep.setEnabled(not why)
        keep.setToolTip(why)
        keep.triggered.connect(lambda: self.request_justify(finding))
        if finding.justification:
            drop = menu.addAction("Bỏ giải trình")
            drop.setEnabled(not self.locked)
            drop.triggered.connect(lambda: self.remove_justification(finding))
        self.checks_menu = menu
        menu.popup(self.checks_tree.viewport().mapToGlobal(pos))

    def request_justify(self, finding: Finding | None = None) -> ReasonDialog | None:
        """Open the giải trình dialog for a warning (the selected one by default)."""
        finding = finding or self.selected_finding()
        if self._justify_block_reason(finding):
            return None
        dialog = ReasonDialog(
            "Giải trình cảnh báo", "Giữ lại cảnh báo này với lý do:", "Lưu giải trình", self,
            quoted=finding.message, text=finding.justification,
            placeholder="Ví dụ: Số liệu đúng theo báo cáo của Phòng Kinh tế ngày 05/6/2026; "
                        "chênh lệch do cách tính khác nhau.",
            note="Giải trình được lưu cùng báo cáo và gửi kèm lên cấp trên. Cảnh báo có giải trình "
                 "không còn chặn việc ký.",
            remove_text="Bỏ giải trình" if finding.justification else "")
        dialog.accepted.connect(lambda: self.justify(finding, dialog.reason()))
        dialog.removal_requested.connect(lambda: self.remove_justification(finding))
        dialog.finished.connect(lambda _r: self._forget("reason_dialog", dialog))
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def justify(self, finding: Finding, reason: str) -> bool:
        """Store (or, with an empty reason, remove) the written reason that keeps a warning."""
        self.flush()
        try:
            self.workspace.justify(self.report_id, finding.key, reason)
        except ServiceError as exc:
            self._show_notice(str(exc))
            self.run_checks()
            return False
        self.run_checks()
        item = self.finding_item(lambda f: f.key == finding.key)
        if item is not None:
            self.checks_tree.setCurrentItem(item)
            self.checks_tree.scrollToItem(item)
        return True

    def remove_justification(self, finding: Finding | None = None) -> bool:
        finding = finding or self.selected_finding()
        if finding is None or not finding.justification or self.locked:
            return False
        return self.justify(finding, "")

    # == sign-off ================================================================================
    def _update_signoff_buttons(self) -> None:
        status = self.report.status
        visible = {
            "draft": (self.submit_button, self.sign_button),
            "for_signature": (self.return_button, self.sign_button),
            "signed": (self.sent_button, self.unlock_button),
            "sent": (self.unlock_button,),
        }.get(status, ())
        for button in (self.submit_button, self.return_button, self.sign_button, self.sent_button,
                       self.unlock_button):
            button.setVisible(button in visible)
        tampered = any(f.code == INTEGRITY_CODE for f in self._findings)
        self.sent_button.setEnabled(not tampered)
        self.sent_button.setToolTip(
            "Nội dung đã bị thay đổi sau khi ký: không gửi được. Mở khóa, kiểm tra lại và ký lại." if tampered
            else "Ghi nhận báo cáo đã ký đã được gửi lên cấp trên")
        bg, fg = STATUS_STYLES.get(status, ("#eeeeee", "#333333"))
        self.status_label.setText(self.report.status_label)
        self.status_label.setStyleSheet(
            f"QLabel#statusChip {{ background: {bg}; color: {fg}; border-radius: 9px; padding: 2px 10px; }}")

    def _update_lock_banner(self) -> None:
        integrity = next((f for f in self._findings if f.code == INTEGRITY_CODE), None)
        if integrity is not None:
            self.lock_banner.setText("Cảnh báo: " + integrity.message)
            alarm = True
        elif self.locked:
            self.lock_banner.setText(f"Báo cáo {self.report.status_label.lower()} — nội dung bị khóa. "
                                     "Mở khóa cần ghi lý do.")
            alarm = False
        else:
            self.lock_banner_row.hide()
            return
        if bool(self.lock_banner.property("alarm")) != alarm:
            self.lock_banner.setProperty("alarm", alarm)
            _repolish(self.lock_banner)
        self.lock_banner_row.show()

    def _apply_lock(self) -> None:
        """Editable in Dự thảo / Trình ký, read-only once signed; called whenever the status changes."""
        locked = self.locked
        self.number_edit.setReadOnly(locked)
        self.date_edit.setReadOnly(locked)
        _repolish(self.number_edit)
        _repolish(self.date_edit)
        self.narrative.setReadOnly(locked)
        for act in (self.bold_action, self.italic_action, self.underline_action, self.footnote_action):
            act.setEnabled(not locked)
        doc = self.narrative.document()
        self.undo_action.setEnabled(doc.isUndoAvailable() and not locked)
        self.redo_action.setEnabled(doc.isRedoAvailable() and not locked)
        section = self.template.section(self._current_path) if self._current_path else None
        self.sentence_tool.setEnabled(bool(section and section.indicators) and not locked)
        for edit in self._fields.values():
            if not edit.property("fixed"):
                edit.setReadOnly(locked)
        for button in self._sentence_buttons.values():
            button.setEnabled(not locked)
        for view in self._table_views.values():
            view.set_locked(locked)
        self._update_footnote_list()
        self._update_justify_buttons()
        self._update_lock_banner()
        self._update_signoff_buttons()

    def _reload_status(self) -> None:
        fresh = self.workspace.report(self.report_id, with_content=False)
        changed = fresh.status != self.report.status
        self.report.status = fresh.status
        self.report.content_hash = fresh.content_hash
        self.locked = self.report.locked
        self._apply_lock()
        self.run_checks()
        if changed:
            self.status_changed.emit(fresh.status)

    def _unsaved_input(self) -> list[Finding]:
        """Typed figures that were refused: signing would ignore them, so they block like errors."""
        out = []
        for (code, name), message in sorted(self._invalid.items()):
            ind = self.template.indicator(code)
            section = self.template.section_of_indicator(code)
            where = f"{ind.label} – {FIELD_LABELS[name]}" if ind else code
            out.append(Finding("input.invalid", "input", "error", f"{where}: {message} (số chưa được lưu)",
                               section.path if section else "", f"{code}.{name}"))
        for key, message in sorted(self._cell_invalid.items()):
            section = self.template.section_of_table(key[0])
            out.append(Finding("input.invalid", "input", "error",
                               f"{self._cell_where(key)}: {message} (số chưa được lưu)",
                               section.path if section else "", ".".join(key)))
        return out

    def _blocking(self) -> list[Finding]:
        self.run_checks(complete=True)
        return self._unsaved_input() + [f for f in self._findings if f.severity == "error"
                                        or (f.severity == "warning" and not f.justification)]

    def show_blocked(self, action: str, findings: list[Finding]) -> BlockedDialog:
        dialog = BlockedDialog(action, findings, self._section_title, self)
        dialog.finding_chosen.connect(self._jump_from_blocked)
        dialog.finished.connect(lambda _r: self._forget("blocked_dialog", dialog))
        self.blocked_dialog = dialog
        dialog.open()
        return dialog

    def _forget(self, name: str, dialog) -> None:
        """A sign-off dialog has closed: drop it (and free it once its signals are done)."""
        if getattr(self, name) is dialog:
            setattr(self, name, None)
        dialog.deleteLater()

    def _section_title(self, path: str) -> str:
        section = self.template.section(path) if path else None
        return f"Mục {section.heading}" if section else ""

    def _jump_from_blocked(self, finding: Finding) -> None:
        # once the dialog has gone and its window is active again, or the focus would not stick
        QTimer.singleShot(0, self, lambda: self._jump_to(finding))

    def _jump_to(self, finding: Finding, tries: int = 25) -> None:
        if not self.isActiveWindow() and tries:
            self.window().activateWindow()
            QTimer.singleShot(20, self, lambda: self._jump_to(finding, tries - 1))
            return
        self.go_to_finding(finding)
        if finding.code == "input.invalid":
            return
        if not self._passes_filter(finding):
            self.set_filter("all")
        item = self.finding_item(lambda f: f.key == finding.key)
        if item is not None:
            self.checks_tree.setCurrentItem(item)
            self.checks_tree.scrollToItem(item)

    def _transition(self, action: str, call, *args) -> bool:
        self.flush()
        if action in ("trình ký", "ký"):
            invalid = self._unsaved_input()
            if invalid:
                self.show_blocked(action, invalid + [f for f in self._blocking() if f.code != "input.invalid"])
                return False
        try:
            call(self.report_id, *args)
        except SignOffBlocked as exc:
            self.run_checks()
            self.show_blocked(action, exc.findings)
            return False
        except ServiceError as exc:
            self._show_message(QMessageBox.Icon.Warning, f"Không thể {action}", str(exc))
            self._reload_status()
            return False
        self._reload_status()
        return True

    def _show_message(self, icon, title: str, text: str, informative: str = "") -> QMessageBox:
        box = make_message_box(self, icon, title, text, informative=informative)
        box.finished.connect(lambda _r: self._forget("message_box", box))
        self.message_box = box
        box.open()
        return box

    def request_submit(self) -> bool:
        return self._transition("trình ký", self.workspace.submit_for_signature)

    def request_return(self) -> bool:
        return self._transition("trả về dự thảo", self.workspace.return_to_draft)

    def request_mark_sent(self) -> bool:
        return self._transition("đánh dấu đã gửi", self.workspace.mark_sent)

    def request_sign(self) -> QMessageBox | BlockedDialog | None:
        """“Ký (hoàn tất)”: the blocking findings, or a confirmation (signing locks the content)."""
        self.flush()
        blocking = self._blocking()
        if blocking:
            return self.show_blocked("ký", blocking)
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box = make_message_box(
            self, QMessageBox.Icon.Question, "Ký báo cáo",
            f"Ký (hoàn tất) {self.title_label.text()}?",
            yes | no,
            informative="Mọi kiểm tra đã đạt. Sau khi ký, nội dung báo cáo bị khóa; muốn sửa phải mở khóa "
                        "và ghi lý do (lý do được lưu vào nhật ký).")
        sign_button = box.button(yes)
        sign_button.setText("Ký và khóa nội dung")
        box.button(no).setText("Chưa ký")
        box.setDefaultButton(no)
        box.buttonClicked.connect(lambda button: box.standardButton(button) == yes and self.sign())
        box.finished.connect(lambda _r: self._forget("message_box", box))
        self.message_box = box
        box.open()
        return box

    def sign(self) -> bool:
        """Finalise now (the confirmation, if any, was given)."""
        return self._transition("ký", self.workspace.sign)

    def request_unlock(self) -> ReasonDialog:
        dialog = ReasonDialog(
            "Mở khóa báo cáo đã ký", f"Mở khóa {self.title_label.text()} để sửa", "Mở khóa", self,
            placeholder="Ví dụ: Sửa số liệu diện tích lúa mùa theo ý kiến của đồng chí Bí thư.",
            note="Lý do được ghi vào nhật ký sửa đổi của báo cáo. Báo cáo trở về Dự thảo; sửa xong cần "
                 "ký lại.", min_length=5)
        dialog.accepted.connect(lambda: self.unlock(dialog.reason()))
        dialog.finished.connect(lambda _r: self._forget("reason_dialog", dialog))
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def unlock(self, reason: str) -> bool:
        return self._transition("mở khóa", self.workspace.unlock, reason)

_INVALID = object()
