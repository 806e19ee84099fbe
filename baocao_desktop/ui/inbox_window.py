"""Tình hình nộp báo cáo (issue 7 point 5, the upper level): a grid of units × periods for one report
kind, each cell coloured and labelled (ui/inbox_grid.py), filters, the counts of the latest period that
is due, the findings and giải trình of a received report (ui/inbox_report_dialog.py), and the printable /
savable list of who has not sent. The window reads again when reports come in (INBOX/TEMPLATES changes).

The inbox itself (who is expected, due dates, on time or late) is services/inbox.py; this module only
shows it.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QFont, QTextDocument
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
    QVBoxLayout,
    QWidget,
)

from ..aggregate.combine import short_unit_name
from ..domain.dates import format_date
from ..services import events
from ..services.errors import ServiceError
from ..services.inbox import Inbox, InboxCell, expected_periods, inbox, today_vn
from .common import error_banner, from_qdate, show_error, to_qdate
from .help_window import help_line
from .errors import failure_of
from .inbox_grid import (  # noqa: F401 (CELL_COLORS, fold: part of what the window shows, as tests read them)
    CELL_COLORS,
    LEGEND,
    InboxGridModel,
    counts_text,
    fold,
    headline_period,
    missing_html,
    missing_rows,
    overview_text,
)
from .inbox_report_dialog import ReceivedReportDialog
from ..domain.error_text import os_error_reason

TITLE = "Tình hình nộp báo cáo"
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
        layout.addWidget(help_line("Các đơn vị cấp dưới đã nộp, nộp muộn hay chưa nộp từng kỳ. Nhấp đúp vào một ô đã nộp để xem báo cáo; nhận thêm báo cáo ở Cấp trên → Nhận báo cáo.", "hop-thu"))

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
        self.refresh_button = QPushButton("Làm &mới")
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
        self.print_button = QPushButton("&In danh sách chưa nộp…")
        self.print_button.clicked.connect(lambda: self.print_missing())
        self.save_button = QPushButton("&Lưu danh sách…")
        self.save_button.setToolTip("Lưu danh sách đơn vị chưa nộp ra tệp CSV (mở bằng Excel) hoặc văn bản")
        self.save_button.clicked.connect(lambda: self.save_missing())
        close = QPushButton("Đón&g")
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
        from .changes import changes
        changes().changed.connect(self._on_changes)

    def _on_changes(self, changed) -> None:
        """Reports came in or templates changed: the counts and the grid are read again."""
        if changed.touches_any(events.INBOX, events.TEMPLATES) and self.isVisible():
            self.reload()

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
            templates = self.workspace.templates(received_too=True)  # a commune's own kinds too
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
            return self.workspace.template(code, received_too=True).name if code else ""
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
        except Exception as exc:  # noqa: BLE001 (a UserError as it is, a bug logged and said as such)
            self.box = None
            self._show_error(failure_of(exc, "tình hình nộp báo cáo").text)
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
            show_error(self, "Không lưu được", f"Không ghi được tệp “{path.name}” ({os_error_reason(exc)}). "
                                               "Hãy chọn nơi lưu khác.")
            return None
        self.status_label.setText(f"Đã lưu danh sách chưa nộp: {path}")
        return path


def open_inbox(window) -> InboxWindow:
    """From the main window's menu: one non-modal window, raised when already open."""
    existing = getattr(window, "inbox_window", None)
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = InboxWindow(window.workspace, window)
    window.inbox_window = dialog
    dialog.show()
    return dialog
