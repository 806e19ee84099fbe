"""Tình hình nộp báo cáo (issue 7 point 5, the upper level): a grid of units × periods for one report
kind, each cell coloured and labelled (Đúng hạn / Muộn n ngày / Chưa nộp / Có lỗi / Có giải trình),
filters, the counts of the latest period that is due, the findings and giải trình of a received report,
and the printable / savable list of who has not sent.

The inbox itself (who is expected, due dates, on time or late) is services/inbox.py; this module only
shows it. A model-based view keeps 100 units × 52 weeks light.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import unicodedata
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..aggregate.combine import short_unit_name
from ..checks.findings import SEVERITY_LABELS
from ..document.charts import short_period_label
from ..domain.dates import format_date, format_day_month
from ..domain.model import STATUS_LABELS
from ..services.errors import ServiceError
from ..services.inbox import Inbox, InboxCell, expected_periods, inbox, today_vn
from .common import error_banner, from_qdate, show_error, to_qdate

TITLE = "Tình hình nộp báo cáo"
# (background, text) per kind of cell; "errors" and "kept" override the state's colour
CELL_COLORS = {
    "on_time": ("#d7efd9", "#1b5e20"),
    "late": ("#ffe0a8", "#7a4100"),
    "missing": ("#f6c9c4", "#8a1c1c"),
    "errors": ("#e6d2f3", "#5b1687"),
    "kept": ("#d3e4fa", "#0d3f8f"),
    "pending": ("#eceff1", "#4f5b62"),
}
DIMMED = ("#ffffff", "#a0a0a0")
LEGEND = (("on_time", "Đúng hạn"), ("late", "Muộn n ngày"), ("missing", "Chưa nộp"), ("errors", "Có lỗi"),
          ("kept", "Có giải trình"), ("pending", "Chưa đến hạn"))
# "Chỉ hiện": a unit's row shows when one of its cells in the range matches
FILTERS = (
    ("Tất cả đơn vị", None),
    ("Chưa nộp hoặc nộp muộn", lambda c: c.state in ("missing", "late")),
    ("Chưa nộp", lambda c: c.state == "missing"),
    ("Nộp muộn", lambda c: c.state == "late"),
    ("Có lỗi", lambda c: c.has_errors),
    ("Có giải trình", lambda c: bool(c.kept_warnings)),
)
DEFAULT_PERIODS = 12  # columns shown at first; the dates widen it
CSV_HEADER = ("STT", "Đơn vị", "Loại báo cáo", "Kỳ báo cáo", "Từ ngày", "Đến ngày", "Hạn nộp", "Số ngày quá hạn")


# == texts (pure: tested without a window) ==========================================================
def fold(text: str) -> str:
    """Lower case without diacritics ("Bản Phố" → "ban pho"), so a search typed without accents matches."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def state_text(cell: InboxCell) -> str:
    if cell.state == "missing":
        return "Chưa nộp"
    if cell.state == "pending":
        return "Chưa đến hạn"
    if cell.state == "late":
        return f"Muộn {cell.days_late} ngày" if cell.days_late else "Muộn"
    return "Đúng hạn"


def cell_label(cell: InboxCell) -> str:
    parts = [state_text(cell)]
    if cell.has_errors:
        parts.append("Có lỗi")
    if cell.kept_warnings:
        parts.append("Có giải trình")
    if cell.conflict:
        parts.append("Xung đột")
    return " · ".join(parts)


def cell_kind(cell: InboxCell) -> str:
    """Which colour: errors first (the figures cannot be used), then lateness, then kept warnings."""
    if cell.received and cell.has_errors:
        return "errors"
    if cell.state in ("missing", "late", "pending"):
        return cell.state
    return "kept" if cell.kept_warnings else "on_time"


def cell_tooltip(cell: InboxCell) -> str:
    lines = [cell.unit_name, f"{cell.template_name} — {cell.period.label()}", f"Hạn nộp: {format_date(cell.due)}"]
    if cell.received:
        sent = f"Gửi ngày {format_date(cell.sent_on)}" if cell.sent_on else "Đã nhận"
        if cell.state == "late":
            sent += f" (muộn {cell.days_late} ngày)" if cell.days_late else " (muộn)"
        lines.append(sent)
        if cell.status:
            lines.append(f"Trạng thái: {STATUS_LABELS.get(cell.status, cell.status)}")
        if cell.versions > 1:
            lines.append(f"Đã nhận {cell.versions} bản")
        if cell.conflict:
            lines.append("Có xung đột giữa các bản: cần chọn bản dùng")
        if cell.errors:
            lines.append(f"{cell.errors} lỗi")
        if cell.warnings:
            lines.append(f"{cell.warnings} cảnh báo chưa giải trình")
        if cell.kept_warnings:
            lines.append(f"{cell.kept_warnings} cảnh báo có giải trình")
        lines.append("Nhấp đúp để xem lỗi và giải trình.")
    else:
        lines.append(state_text(cell))
    return "\n".join(lines)


def period_header(period, due: dt.date) -> str:
    if period.kind == "week":
        first = f"Tuần {period.start.isocalendar().week}: {short_period_label('week', period.start, period.end)}"
    else:
        first = short_period_label(period.kind, period.start, period.end)
    return f"{first}\nhạn {format_day_month(due)}"


def counts_text(cells: list[InboxCell]) -> str:
    """"28/30 đơn vị đã nộp, 3 muộn, 2 chưa nộp" for the cells of one period."""
    received = sum(c.received for c in cells)
    late = sum(c.state == "late" for c in cells)
    missing = sum(c.state == "missing" for c in cells)
    pending = sum(c.state == "pending" for c in cells)
    text = f"{received}/{len(cells)} đơn vị đã nộp, {late} muộn, {missing} chưa nộp"
    if pending:
        text += f", {pending} chưa đến hạn"
    return text


def headline_period(box: Inbox, code: str, today: dt.date):
    """The latest period already due (its states are final), else the latest one."""
    periods = box.periods.get(code, [])
    due = [p for p in periods if any(c.period == p and c.due < today for c in box.cells)]
    return (due or periods or [None])[-1]


def overview_text(box: Inbox) -> str:
    c = box.counts()
    if not c["cells"]:
        return ""
    periods = len({cell.period for cell in box.cells})
    text = (f"Cả {periods} kỳ đã chọn: đã nhận {c['received']}/{c['cells']} báo cáo (đúng hạn {c['on_time']}, "
            f"muộn {c['late']}), chưa nộp {c['missing']}")
    if c["pending"]:
        text += f", chưa đến hạn {c['pending']}"
    text += f"; {c['with_errors']} báo cáo có lỗi, {c['with_kept_warnings']} có giải trình"
    if c["conflicts"]:
        text += f", {c['conflicts']} có xung đột"
    return text + "."


def missing_groups(box: Inbox) -> list[tuple]:
    """[(period, due, [cells sorted by unit])] of the cells not sent and overdue, oldest period first."""
    groups: dict = {}
    for cell in box.missing():
        groups.setdefault((cell.period, cell.due), []).append(cell)
    return [(period, due, sorted(cells, key=lambda c: fold(c.unit_name)))
            for (period, due), cells in sorted(groups.items(), key=lambda kv: kv[0][0].start)]


def missing_rows(box: Inbox) -> list[tuple]:
    rows = []
    for period, due, cells in missing_groups(box):
        for cell in cells:
            rows.append((len(rows) + 1, cell.unit_name, cell.template_name, period.label(), format_date(period.start),
                         format_date(period.end), format_date(due), (box.today - due).days))
    return rows


def missing_html(box: Inbox, template_name: str, issuer: str = "") -> str:
    esc = html.escape
    periods = sorted({c.period for c in box.cells}, key=lambda p: p.start)
    scope = ""
    if periods:
        scope = (periods[0].label() if len(periods) == 1
                 else f"từ {periods[0].label()} đến {periods[-1].label()}")
    parts = ["<html><head><meta charset='utf-8'><title>Danh sách đơn vị chưa nộp báo cáo</title></head>"
             "<body style='font-family: \"Times New Roman\", serif; font-size: 13pt;'>"]
    if issuer:
        parts.append(f"<p><b>{esc(issuer.upper())}</b></p>")
    parts.append("<h2 align='center'>DANH SÁCH ĐƠN VỊ CHƯA NỘP BÁO CÁO</h2>")
    parts.append(f"<p align='center'><b>{esc(template_name)}</b>{' — ' + esc(scope) if scope else ''}<br/>"
                 f"<i>(tính đến ngày {esc(format_date(box.today))})</i></p>")
    groups = missing_groups(box)
    if not groups:
        parts.append("<p>Tất cả đơn vị đã nộp đủ các báo cáo đã đến hạn.</p>")
    for period, due, cells in groups:
        parts.append(f"<p><b>{esc(period.label())}</b> — hạn nộp {esc(format_date(due))}: "
                     f"{len(cells)} đơn vị chưa nộp</p>")
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
                     "<tr><th width='8%'>STT</th><th>Đơn vị</th><th width='22%'>Quá hạn</th></tr>")
        for n, cell in enumerate(cells, 1):
            parts.append(f"<tr><td align='center'>{n}</td><td>{esc(cell.unit_name)}</td>"
                         f"<td align='right'>{(box.today - due).days} ngày</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


# == the grid ======================================================================================
class InboxGridModel(QAbstractTableModel):
    """Rows: units (shown in the vertical header, which stays put when scrolling sideways); columns:
    periods. Cells that do not match the "Chỉ hiện" filter are dimmed, not hidden."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.units: list[tuple[str, str]] = []
        self.periods: list = []
        self.dues: dict = {}
        self.cells: dict[tuple, InboxCell] = {}
        self.matcher = None

    def set_content(self, units, periods, cells: dict, matcher=None) -> None:
        self.beginResetModel()
        self.units, self.periods, self.cells, self.matcher = list(units), list(periods), cells, matcher
        self.dues = {}
        for (_unit, period), cell in cells.items():
            self.dues.setdefault(period, cell.due)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.periods)

    def cell(self, row: int, column: int) -> InboxCell | None:
        if 0 <= row < len(self.units) and 0 <= column < len(self.periods):
            return self.cells.get((self.units[row][0], self.periods[column]))
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        cell = self.cell(index.row(), index.column())
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_label(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            dimmed = self.matcher is not None and not self.matcher(cell)
            colors = DIMMED if dimmed else CELL_COLORS[cell_kind(cell)]
            return QBrush(QColor(colors[0] if role == Qt.ItemDataRole.BackgroundRole else colors[1]))
        if role == Qt.ItemDataRole.UserRole:
            return cell
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt API)
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and 0 <= section < len(self.periods):
            period = self.periods[section]
            due = self.dues.get(period)
            if role == Qt.ItemDataRole.DisplayRole:
                return period_header(period, due) if due else period.label()
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{period.label()}\nHạn nộp: {format_date(due)}" if due else period.label()
        elif not horizontal and 0 <= section < len(self.units):
            unit_id, name = self.units[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return short_unit_name(name)
            if role == Qt.ItemDataRole.ToolTipRole:
                return name
        return None


# == a received report: findings and giải trình ====================================================
class ReceivedReportDialog(QDialog):
    """What the upper level needs to judge one received report: who, when, status, versions, and every
    finding of its checks with the unit's giải trình; "Xem toàn văn…" shows the report itself (read-only)."""

    HEADERS = ("Mức", "Nội dung", "Giải trình của đơn vị")

    def __init__(self, workspace, cell: InboxCell, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.cell = cell
        self.setWindowTitle(f"{short_unit_name(cell.unit_name)} — {cell.template_name} {cell.period.label()}")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{html.escape(cell.unit_name)}</b><br/>"
                       f"{html.escape(cell.template_name)} — {html.escape(cell.period.label())}")
        title.setStyleSheet("font-size: 12pt;")
        layout.addWidget(title)
        facts = [f"Hạn nộp: {format_date(cell.due)}"]
        if cell.sent_on:
            facts.append(f"gửi ngày {format_date(cell.sent_on)} ({state_text(cell).lower()})")
        if cell.status:
            facts.append(f"trạng thái: {STATUS_LABELS.get(cell.status, cell.status)}")
        if cell.versions > 1:
            facts.append(f"đã nhận {cell.versions} bản")
        if cell.conflict:
            facts.append("có xung đột giữa các bản")
        self.facts_label = QLabel("; ".join(facts) + ".")
        self.facts_label.setWordWrap(True)
        layout.addWidget(self.facts_label)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        self.summary_label = QLabel("")
        self.summary_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.view_button = QPushButton("Xem toàn văn…")
        self.view_button.setToolTip("Xem báo cáo của đơn vị như bản in (chỉ xem, không sửa)")
        self.view_button.clicked.connect(lambda: self.preview())
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.view_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.findings = self._load_findings()

    def _load_findings(self) -> list:
        from ..services.exchange import check_received
        try:
            findings = [f for f in check_received(self.workspace, self.cell.report_id) if f.severity != "info"]
        except (ServiceError, ValueError) as exc:
            self.error_label.setText(f"Không kiểm tra được báo cáo này: {exc}")
            self.error_label.show()
            return []
        self.table.setRowCount(len(findings))
        for row, finding in enumerate(findings):
            kept = finding.severity == "warning" and bool(finding.justification)
            severity = SEVERITY_LABELS.get(finding.severity, finding.severity) + (" (đã giải trình)" if kept else "")
            texts = (severity, finding.message, finding.justification)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    kind = "errors" if finding.severity == "error" else ("kept" if kept else "late")
                    item.setBackground(QBrush(QColor(CELL_COLORS[kind][0])))
                    item.setForeground(QBrush(QColor(CELL_COLORS[kind][1])))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        errors = sum(f.severity == "error" for f in findings)
        kept = sum(f.severity == "warning" and bool(f.justification) for f in findings)
        open_warnings = sum(f.severity == "warning" and not f.justification for f in findings)
        if not findings:
            self.summary_label.setText("Báo cáo không có lỗi hay cảnh báo nào.")
        else:
            self.summary_label.setText(f"{errors} lỗi, {open_warnings} cảnh báo chưa giải trình, "
                                       f"{kept} cảnh báo có giải trình.")
        return findings

    def preview(self, show: bool = True) -> QPrintPreviewDialog | None:
        from .print_document import PrintDocument
        from .print_preview import make_preview_dialog
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            document = PrintDocument(self.workspace.document_model(self.cell.report_id))
        except (ServiceError, ValueError) as exc:
            QApplication.restoreOverrideCursor()
            show_error(self, "Không xem được báo cáo", str(exc))
            return None
        QApplication.restoreOverrideCursor()
        dialog = make_preview_dialog(document, self, f"{short_unit_name(self.cell.unit_name)} — "
                                                     f"{self.cell.template_name} {self.cell.period.label()}")
        if show:
            dialog.exec()
        return dialog


# == the window ====================================================================================
class InboxWindow(QDialog):
    """Non-modal. `today` is for tests (the due dates are compared with it)."""

    def __init__(self, workspace, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or today_vn()
        self.box: Inbox | None = None
        self._overall: Inbox | None = None  # every report kind, no range: counts and known periods
        self._kinds: dict[str, str] = {}
        self._headline_pending = False
        self.setWindowTitle(TITLE)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowMinimizeButtonHint, True)
        self.resize(1100, 680)
        layout = QVBoxLayout(self)

        # two rows of filters: a 1366×768 screen has no room for one
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Loại báo cáo:"))
        self.template_combo = QComboBox()
        self.template_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template_combo.setMinimumContentsLength(28)
        filters.addWidget(self.template_combo)
        filters.addSpacing(12)
        filters.addWidget(QLabel("Từ ngày:"))
        self.start_edit = self._date_edit()
        filters.addWidget(self.start_edit)
        filters.addWidget(QLabel("đến ngày:"))
        self.end_edit = self._date_edit()
        filters.addWidget(self.end_edit)
        filters.addStretch(1)
        self.refresh_button = QPushButton("Làm mới")
        self.refresh_button.setToolTip("Đọc lại sau khi nhận thêm báo cáo")
        self.refresh_button.clicked.connect(lambda: self.reload())
        filters.addWidget(self.refresh_button)
        layout.addLayout(filters)
        narrow = QHBoxLayout()
        narrow.addWidget(QLabel("Chỉ hiện:"))
        self.show_combo = QComboBox()
        for text, _matcher in FILTERS:
            self.show_combo.addItem(text)
        narrow.addWidget(self.show_combo)
        narrow.addSpacing(12)
        narrow.addWidget(QLabel("Tìm đơn vị:"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("tên xã, gõ có dấu hoặc không")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        narrow.addWidget(self.search_edit)
        narrow.addStretch(1)
        layout.addLayout(narrow)

        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        self.counts_label = QLabel("")
        self.counts_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.counts_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        self.overview_label = QLabel("")
        self.overview_label.setWordWrap(True)
        layout.addWidget(self.overview_label)
        layout.addLayout(self._legend())

        self.model = InboxGridModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(False)
        # pixels, not columns: the header's offset is then the scroll bar's value (see _scroll_to)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setDefaultSectionSize(150)
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        vertical = self.view.verticalHeader()
        vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.doubleClicked.connect(self.open_index)
        self.view.activated.connect(self.open_index)  # Enter on a cell, for keyboard users
        layout.addWidget(self.view, 1)
        self.status_label = QLabel("Nhấp đúp vào ô đã nộp để xem lỗi và giải trình của báo cáo.")
        self.status_label.setStyleSheet("color: #555;")
        layout.addWidget(self.status_label)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.print_button = QPushButton("In danh sách chưa nộp…")
        self.print_button.clicked.connect(lambda: self.print_missing())
        self.save_button = QPushButton("Lưu danh sách…")
        self.save_button.setToolTip("Lưu danh sách đơn vị chưa nộp ra tệp CSV (mở bằng Excel) hoặc văn bản")
        self.save_button.clicked.connect(lambda: self.save_missing())
        close = QPushButton("Đóng")
        close.clicked.connect(self.close)
        for button in (self.print_button, self.save_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self._fill_templates()
        self.template_combo.currentIndexChanged.connect(lambda _i: self.choose_template())
        self.start_edit.dateChanged.connect(lambda _d: self.refresh())
        self.end_edit.dateChanged.connect(lambda _d: self.refresh())
        self.show_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.search_edit.textChanged.connect(lambda _t: self.apply_filters())
        self.choose_template()

    # -- building blocks ------------------------------------------------------------------------
    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def _legend(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("Chú giải:"))
        self.legend_labels = []
        for kind, text in LEGEND:
            background, foreground = CELL_COLORS[kind]
            label = QLabel(text)
            label.setStyleSheet(f"background: {background}; color: {foreground}; border: 1px solid #c8c8c8;"
                                " padding: 2px 8px;")
            self.legend_labels.append(label)
            row.addWidget(label)
        row.addStretch(1)
        return row

    def _fill_templates(self) -> None:
        """Every installed report kind, those with most received reports first (the first is chosen)."""
        try:
            templates = self.workspace.templates()
            self._overall = inbox(self.workspace, today=self.today)
        except ServiceError as exc:
            self._show_error(str(exc))
            return
        counts = {code: sum(c.received for c in self._overall.cells if c.template_code == code)
                  for code, _name, _kind in self._overall.templates}
        self._kinds = {t.code: t.period for t in templates}
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        for template in sorted(templates, key=lambda t: (-counts.get(t.code, 0), fold(t.name))):
            label = template.name + (f" ({counts[template.code]} đã nhận)" if counts.get(template.code) else "")
            self.template_combo.addItem(label, template.code)
        self.template_combo.blockSignals(False)

    def template_code(self) -> str | None:
        return self.template_combo.currentData()

    def template_name(self) -> str:
        code = self.template_code()
        if self.box is not None:
            for c, name, _kind in self.box.templates:
                if c == code:
                    return name
        try:
            return self.workspace.template(code).name if code else ""
        except ServiceError:
            return code or ""

    def set_range(self, start: dt.date, end: dt.date) -> None:
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(day))
            edit.blockSignals(False)
        self.refresh()

    def choose_template(self) -> None:
        """A new report kind: the range becomes its latest DEFAULT_PERIODS periods, up to today (weeks
        nobody has sent yet are the ones the upper level chases)."""
        code = self.template_code()
        if not code:
            self.refresh()
            return
        known = self._overall.periods.get(code, []) if self._overall is not None else []
        end = max([self.today] + [p.end for p in known])
        first = known[0].start if known else end - dt.timedelta(days=7 * DEFAULT_PERIODS)
        periods = expected_periods(self._kinds.get(code, "custom"), known, first, end)[-DEFAULT_PERIODS:]
        self.set_range(periods[0].start if periods else first, end)

    def reload(self) -> None:
        """After new reports came in: the report kinds' counts and the grid are read again."""
        code = self.template_code()
        self._fill_templates()
        index = self.template_combo.findData(code)
        if index >= 0:
            self.template_combo.blockSignals(True)
            self.template_combo.setCurrentIndex(index)
            self.template_combo.blockSignals(False)
        self.refresh()

    # -- content --------------------------------------------------------------------------------
    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def refresh(self) -> None:
        code = self.template_code()
        start, end = from_qdate(self.start_edit.date()), from_qdate(self.end_edit.date())
        self.error_label.hide()
        if code and end < start:
            self._show_error("Ngày “đến” phải sau ngày “từ”: hãy chọn lại khoảng thời gian.")
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.box = inbox(self.workspace, template=code, start=start, end=end, today=self.today) if code else None
        except (ServiceError, ValueError) as exc:
            self.box = None
            self._show_error(str(exc))
        finally:
            QApplication.restoreOverrideCursor()
        self._show_counts()
        self.apply_filters(keep_scroll=False)
        self._headline_pending = True
        QTimer.singleShot(0, self.scroll_to_headline)

    def scroll_to_headline(self) -> None:
        """The period being chased is in view even when the range is wider than the window (only once
        the window has its size: scrolling an unsized view leaves the header behind)."""
        self._headline_pending = False
        if not self.isVisible():
            return
        headline = headline_period(self.box, self.template_code(), self.today) if self.box is not None else None
        if headline in self.model.periods and self.model.rowCount():
            self.view.scrollTo(self.model.index(0, self.model.periods.index(headline)),
                               QAbstractItemView.ScrollHint.EnsureVisible)
        self._scroll_to(self.view.horizontalScrollBar().value())

    def _scroll_to(self, value: int) -> None:
        # the header follows the scroll bar only when its value changes; a reset can leave them apart
        bar = self.view.horizontalScrollBar()
        bar.setValue(value)
        self.view.horizontalHeader().setOffset(bar.value())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        QTimer.singleShot(0, self.scroll_to_headline)

    def _show_counts(self) -> None:
        box = self.box
        if box is None or not box.cells:
            self.counts_label.setText("Chưa có đơn vị nào phải nộp loại báo cáo này trong khoảng đã chọn."
                                      if box is not None else "")
            self.overview_label.setText("")
            return
        period = headline_period(box, self.template_code(), self.today)
        cells = [c for c in box.cells if c.period == period]
        self.counts_label.setText(f"{period.label()}, hạn nộp {format_date(cells[0].due)}: {counts_text(cells)}.")
        self.overview_label.setText(overview_text(box))

    def matcher(self):
        return FILTERS[self.show_combo.currentIndex()][1] if self.show_combo.currentIndex() >= 0 else None

    def apply_filters(self, keep_scroll: bool = True) -> None:
        box = self.box
        if box is None:
            self.model.set_content([], [], {})
            self._update_buttons()
            return
        code = self.template_code()
        periods = box.periods.get(code, [])
        cells = {(c.unit_id, c.period): c for c in box.cells}
        matcher = self.matcher()
        needle = fold(self.search_edit.text().strip())
        units = []
        for unit_id, name in box.units:
            if needle and needle not in fold(name):
                continue
            if matcher is not None and not any(matcher(c) for p in periods if (c := cells.get((unit_id, p)))):
                continue
            units.append((unit_id, name))
        units.sort(key=lambda u: (fold(short_unit_name(u[1])), u[1]))
        scrolled = self.view.horizontalScrollBar().value()
        self.model.set_content(units, periods, cells, matcher)
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        for column in range(len(periods)):
            header.resizeSection(column, max(header.sectionSize(column), 120))
        if keep_scroll and not self._headline_pending:
            # the view lays itself out again after a reset (later, in the event loop): scroll back after that
            QTimer.singleShot(0, lambda: self._scroll_to(scrolled))
        if box.units and not units:
            self.status_label.setText("Không có đơn vị nào khớp bộ lọc.")
        else:
            self.status_label.setText(f"Đang hiện {len(units)}/{len(box.units)} đơn vị. Nhấp đúp vào ô đã nộp để "
                                      "xem lỗi và giải trình của báo cáo.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_missing = self.box is not None and bool(self.box.missing())
        self.print_button.setEnabled(self.box is not None)
        self.save_button.setEnabled(has_missing)

    # -- a cell ---------------------------------------------------------------------------------
    def cell_at(self, row: int, column: int) -> InboxCell | None:
        return self.model.cell(row, column)

    def open_index(self, index, show: bool = True) -> ReceivedReportDialog | None:
        cell = self.model.cell(index.row(), index.column())
        if cell is None:
            return None
        if not cell.received:
            self.status_label.setText(f"{short_unit_name(cell.unit_name)} chưa nộp {cell.template_name} — "
                                      f"{cell.period.label()}, hạn {format_date(cell.due)}.")
            return None
        dialog = ReceivedReportDialog(self.workspace, cell, self)
        if show:
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.show()
        return dialog

    # -- the missing list -----------------------------------------------------------------------
    def issuer_name(self) -> str:
        try:
            unit = self.workspace.own_unit()
        except ServiceError:
            return ""
        return unit.name if unit is not None else ""

    def missing_html(self) -> str:
        if self.box is None:
            return ""
        return missing_html(self.box, self.template_name(), self.issuer_name())

    def missing_document(self) -> QTextDocument:
        document = QTextDocument(self)
        document.setDefaultFont(QFont("Times New Roman", 13))
        document.setHtml(self.missing_html())
        return document

    def print_missing(self, show: bool = True) -> QPrintPreviewDialog | None:
        if self.box is None:
            return None
        from .print_preview import localize_preview
        document = self.missing_document()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("Xem trước khi in — Danh sách đơn vị chưa nộp báo cáo")
        dialog._printer, dialog._document = printer, document  # the dialog owns neither
        dialog.paintRequested.connect(document.print_)
        localize_preview(dialog)
        dialog.resize(900, 700)
        if show:
            dialog.exec()
        return dialog

    def _settings(self) -> QSettings:
        return getattr(self.parent(), "settings", None) or QSettings()

    def suggested_file_name(self) -> str:
        code = self.template_code() or "bao_cao"
        return f"chua_nop_{code}_{self.today.isoformat()}.csv"

    def save_missing(self, path=None) -> Path | None:
        """CSV (UTF-8 with BOM, so Excel shows the diacritics) or, for a .txt name, the plain list."""
        if self.box is None:
            return None
        if path is None:
            from .common import ask_save_path
            path = ask_save_path(self, self._settings(), "Lưu danh sách đơn vị chưa nộp", self.suggested_file_name(),
                                 "Bảng tính CSV, mở bằng Excel (*.csv);;Văn bản thuần (*.txt)", ".csv")
            if path is None:
                return None
        path = Path(path)
        try:
            if path.suffix.lower() == ".txt":
                path.write_text(self.box.missing_text(), encoding="utf-8")
            else:
                with path.open("w", encoding="utf-8-sig", newline="") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(CSV_HEADER)
                    writer.writerows(missing_rows(self.box))
        except FileNotFoundError:
            show_error(self, "Không lưu được", f"Không ghi được tệp “{path.name}”: thư mục “{path.parent}” không "
                                               "tồn tại (ổ USB đã rút?). Hãy chọn nơi lưu khác.")
            return None
        except PermissionError:
            show_error(self, "Không lưu được", f"Không ghi được tệp “{path.name}”: tệp đang mở trong Excel hoặc thư "
                                               "mục không cho ghi. Hãy đóng tệp hoặc chọn nơi lưu khác.")
            return None
        except OSError as exc:
            show_error(self, "Không lưu được", f"Không ghi được tệp “{path.name}” ({exc.strerror or exc}). "
                                               "Hãy chọn nơi lưu khác.")
            return None
        self.status_label.setText(f"Đã lưu danh sách chưa nộp: {path}")
        return path


def open_inbox(window) -> InboxWindow:
    """From the main window's menu: one non-modal window, raised when already open."""
    existing = getattr(window, "inbox_window", None)
    if existing is not None and existing.isVisible():
        existing.reload()
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = InboxWindow(window.workspace, window)
    window.inbox_window = dialog
    dialog.show()
    return dialog
