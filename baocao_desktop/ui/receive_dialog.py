"""Nhận báo cáo từ USB/thư mục… and its version-conflict dialog (issue 7, the level above). The lower
units' keys, Đơn vị cấp dưới và khóa…, are in ui/key_dialogs.py.

Receiving is two-phase, as services/exchange.py is: prepare_import copies every file to a local temporary
folder and verifies it (nothing written) → the dry-run table → "Nhập" runs apply_import (one
transaction). Both phases are tasks of the runner (ui/tasks.py) on a Workspace of their own, opened on
the same database file (send_dialog.exchange_work): a SQLite connection must not be shared across threads, the backend already takes a progress
callback and a cancel Event, and 100 files from a slow stick must not freeze the window. The plan itself
is plain data plus local file copies, so it can be made on one connection and applied on another;
apply_import re-classifies against the database as it is then.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import exchange as ex
from ..services.errors import ServiceError
from .common import MessageBanners, ask_yes_no, local_time_text
from .help_window import help_line
from .send_dialog import DriveList, exchange_work
from .tasks import Task, run_task

RECEIVE_TITLE = "Nhận báo cáo từ USB/thư mục"
CONFLICT_TITLE = "Xung đột phiên bản báo cáo"

COLUMNS = ("Tệp", "Đơn vị", "Loại báo cáo", "Kỳ báo cáo", "Kết quả", "Chi tiết")
COL_FILE, COL_UNIT, COL_KIND, COL_PERIOD, COL_VERDICT, COL_DETAIL = range(len(COLUMNS))

VERDICTS = {  # action → (short verdict for the table, colour)
    "new": ("Mới", "#1d6b32"),
    "new_version": ("Bản sửa mới", "#1f5fa8"),
    "unchanged": ("Không đổi", "#666666"),
    "older": ("Bản cũ hơn (vẫn lưu)", "#666666"),
    "conflict": ("Xung đột — cần chọn", "#9a5b00"),
    "rejected": ("Từ chối", "#b3261e"),
    "unknown_unit": ("Đơn vị chưa đăng ký", "#9a5b00"),
}
BACKGROUNDS = {"#b3261e": "#fdecea", "#9a5b00": "#fff4d6"}


def verdict_rows(plan: ex.ImportPlan) -> list[dict]:
    """One row per report of an accepted file, one per refused file: what the table shows."""
    rows = []
    for file in plan.files:
        if not file.ok:
            key = "unknown_unit" if file.needs_registration else "rejected"
            detail = file.message
            if file.needs_registration and plan.applied:
                detail = (f"Không nhập. Mã nhận dạng khóa trong tệp: {file.fingerprint}. Gọi điện cho đơn vị đối "
                          f"chiếu mã này; nếu khớp, chọn lại USB/thư mục và bấm “Đăng ký đơn vị này…”.")
            elif file.needs_registration:
                detail = (f"Mã nhận dạng khóa trong tệp: {file.fingerprint}. Gọi điện cho đơn vị đối chiếu mã này; "
                          f"nếu khớp, bấm “Đăng ký đơn vị này…”.")
            rows.append({"file": file, "report": None, "unit": file.unit_name or "—", "kind": "—", "period": "—",
                         "verdict": key, "detail": detail})
            continue
        for report in file.reports:
            detail = report.reason
            if report.action in ("new_version", "conflict") and report.changes:
                shown = "; ".join(c.describe(40) for c in report.changes[:3])
                more = f" (và {len(report.changes) - 3} thay đổi khác)" if len(report.changes) > 3 else ""
                detail = f"{detail} {shown}{more}".strip()
            if file.code == "duplicate":
                detail = file.message
            if file.will_register:
                verb = "Đã đăng ký" if plan.applied else "Sẽ đăng ký"
                detail = f"{verb} đơn vị mới, mã khóa {file.fingerprint}. {detail}".strip()
            rows.append({"file": file, "report": report, "unit": file.unit_name, "kind": report.template_name,
                         "period": report.period_label, "verdict": report.action, "detail": detail})
    return rows


REGISTER_UNIT = "Đăng &ký đơn vị này…"  # the detail panel's button for a file of a unit not registered yet


class ReceiveDialog(MessageBanners, QDialog):
    """Pick a drive, folder or files; verify with progress and cancel; show the dry run; import."""

    work_finished = Signal()

    def __init__(self, workspace, parent: QWidget | None = None, drives_provider=None,
                 paths: list | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.job: Task | None = None
        self.paths: list[Path] = []
        self.plan: ex.ImportPlan | None = None
        self.result: ex.ImportResult | None = None
        self.register_new: set[str] = set()
        self.rows: list[dict] = []
        self.applied = False
        self.setWindowTitle(RECEIVE_TITLE)
        self.resize(1100, 680)
        layout = QVBoxLayout(self)
        layout.addWidget(help_line("Chọn USB hoặc tệp .baocao: chương trình kiểm tra chữ ký và nội dung trước, chưa "
                                   "nhập gì cho đến khi bấm Nhập.", "gui-nhan"))

        source_box = QGroupBox("1. Nơi có tệp báo cáo (.baocao) của các đơn vị")
        source = QVBoxLayout(source_box)
        self.drive_list = DriveList("Chọn thư mục có các tệp .baocao", drives_provider)
        self.drive_list.setFixedHeight(84)
        self.drive_list.folder_chosen.connect(lambda folder: self.start_verify([folder]))
        source.addWidget(self.drive_list)
        row = QHBoxLayout()
        self.refresh_drives_button = QPushButton("&Tìm lại USB")
        self.refresh_drives_button.clicked.connect(self.drive_list.refresh)
        self.files_button = QPushButton("&Chọn từng tệp…")
        self.files_button.clicked.connect(self.choose_files)
        self.source_label = QLabel("Chọn USB hoặc thư mục: chương trình kiểm tra mọi tệp .baocao trong đó "
                                   "(kể cả thư mục con).")
        self.source_label.setWordWrap(True)
        row.addWidget(self.refresh_drives_button)
        row.addWidget(self.files_button)
        row.addWidget(self.source_label, 1)
        source.addLayout(row)
        layout.addWidget(source_box)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setFormat("%v/%m")
        self.cancel_button = QPushButton("&Hủy")
        self.cancel_button.clicked.connect(self.cancel_work)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.status_label = QLabel()
        layout.addWidget(self.status_label)
        layout.addLayout(progress_row)
        self._show_progress(False)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # one line a row; the selected row's full text is shown below the table
        self.table.setWordWrap(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_FILE, 200), (COL_UNIT, 165), (COL_KIND, 105), (COL_PERIOD, 190),
                           (COL_VERDICT, 180)):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._row_selected)
        layout.addWidget(self.table, 1)
        detail_row = QHBoxLayout()
        self.detail_label = QLabel()
        self.detail_label.setObjectName("rowDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setStyleSheet("QLabel#rowDetail { background: #f4f6fa; border: 1px solid #c9d1de;"
                                        " border-radius: 4px; padding: 6px 8px; }")
        self.detail_label.setMinimumHeight(54)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.row_action_button = QPushButton()
        self.row_action_button.clicked.connect(self._row_action)
        detail_row.addWidget(self.detail_label, 1)
        detail_row.addWidget(self.row_action_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(detail_row)
        self._row_selected()
        self.add_message_banners(layout)

        buttons = QHBoxLayout()
        self.conflicts_button = QPushButton()
        self.conflicts_button.clicked.connect(self.open_next_conflict)
        buttons.addWidget(self.conflicts_button)
        buttons.addStretch(1)
        self.import_button = QPushButton("&Nhập")
        self.import_button.setMinimumWidth(120)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton("Đón&g")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.refresh_conflicts()
        if paths:  # a .baocao opened from Explorer / the command line: verify it as soon as we are shown
            QTimer.singleShot(0, lambda: self.start_verify(paths))

    # -- choosing ------------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        start = self.drive_list.selected_folder() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home()
        files, _ = QFileDialog.getOpenFileNames(self, "Chọn tệp báo cáo (.baocao)", str(start),
                                                "Tệp báo cáo BaoCao (*.baocao);;Tất cả các tệp (*)")
        if files:
            self.start_verify([Path(f) for f in files])

    # -- phase 1: verify -----------------------------------------------------------------------------------
    def start_verify(self, paths) -> bool:
        if self.job is not None:
            return False
        self.clear_messages()
        self._drop_plan()
        self.result = None
        self.paths = [Path(p) for p in paths]
        if len(self.paths) == 1 and self.paths[0].is_dir():
            found = ex.find_bundles(self.paths[0])
            if not found:
                self.source_label.setText(f"Nguồn: {self.paths[0]}")
                self.summary_label.setText("")
                self.table.setRowCount(0)
                self.show_error_message(f"Không có tệp .baocao nào trong “{self.paths[0]}” (kể cả thư mục con).")
                return False
            self.source_label.setText(f"Nguồn: {self.paths[0]} — {len(found)} tệp .baocao")
        else:
            self.source_label.setText(f"Đã chọn {len(self.paths)} tệp: " +
                                      ", ".join(p.name for p in self.paths[:3]) + ("…" if len(self.paths) > 3 else ""))
        register = set(self.register_new)
        paths = list(self.paths)
        self._start_job(lambda ws, progress, cancel: ex.prepare_import(ws, paths, register, progress, cancel),
                        self._verified, "Đang chép và kiểm tra các tệp…")
        return True

    def _verified(self, plan: ex.ImportPlan) -> None:
        self.plan = plan
        self.show_rows(plan)
        counts = plan.counts()
        self.summary_label.setText("Kết quả kiểm tra (chưa nhập gì): " + self._counts_text(counts))
        self.import_button.setEnabled(plan.changes_anything)
        if not plan.changes_anything:
            self.import_button.setToolTip("Không có gì mới để nhập")

    @staticmethod
    def _counts_text(counts: dict) -> str:
        ok = counts["files"] - counts["files_refused"]
        parts = [f"{counts['new']} báo cáo mới", f"{counts['new_version']} bản sửa mới",
                 f"{counts['unchanged']} không đổi"]
        for key, label in (("older", "bản cũ hơn"), ("conflict", "xung đột"), ("rejected", "báo cáo bị từ chối")):
            if counts[key]:
                parts.append(f"{counts[key]} {label}")
        return f"{counts['files']} tệp ({ok} hợp lệ, {counts['files_refused']} bị từ chối); " + ", ".join(parts) + "."

    # -- phase 2: import -----------------------------------------------------------------------------------
    def start_import(self) -> bool:
        plan = self.plan
        if plan is None or self.job is not None or not plan.changes_anything:
            return False
        self.clear_messages()
        self._start_job(lambda ws, progress, cancel: ex.apply_import(ws, plan, progress, cancel),
                        self._imported, "Đang nhập…")
        return True

    def _imported(self, result: ex.ImportResult) -> None:
        self._drop_plan()
        self.result = result
        self.show_rows(result.plan)
        counts = result.counts()
        self.summary_label.setText("Đã nhập: " + self._counts_text(counts))
        registered = f" Đã đăng ký {len(result.registered)} đơn vị mới." if result.registered else ""
        conflict = (" Có báo cáo xung đột: chọn dòng đó rồi bấm “So sánh, chọn bản…” để chọn bản dùng."
                    if counts["conflict"] else "")
        self.show_success_message(
            f"Đã nhập xong trong một lần ghi: {counts['new']} báo cáo mới, {counts['new_version']} bản sửa mới "
            f"({len(result.touched_reports)} báo cáo được ghi).{registered}{conflict} Có thể rút USB.")
        self.import_button.setEnabled(False)
        self.refresh_conflicts()  # open windows follow the INBOX/REPORTS change the import announces

    # -- the table -----------------------------------------------------------------------------------------
    def show_rows(self, plan: ex.ImportPlan) -> None:
        self.rows = verdict_rows(plan)
        self.table.clearContents()
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            verdict, colour = VERDICTS[row["verdict"]]
            values = (row["file"].name, row["unit"], row["kind"], row["period"], verdict, row["detail"])
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == COL_VERDICT:
                    item.setForeground(QBrush(QColor(colour)))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if colour in BACKGROUNDS:
                    item.setBackground(QBrush(QColor(BACKGROUNDS[colour])))
                self.table.setItem(r, col, item)
        self.applied = plan.applied
        # show first what needs the user: an unregistered unit, a conflict, a refusal
        order = ({"conflict": 0, "unknown_unit": 1, "rejected": 2} if plan.applied else
                 {"unknown_unit": 0, "conflict": 1, "rejected": 2})
        first = min(range(len(self.rows)), key=lambda r: (order.get(self.rows[r]["verdict"], 9), r), default=None)
        if first is not None:
            self.table.selectRow(first)
        self._row_selected()

    def selected_row(self) -> dict | None:
        row = self.table.currentRow()
        selected = self.table.selectionModel().selectedRows()
        return self.rows[row] if selected and 0 <= row < len(self.rows) else None

    def row_action(self, row: dict | None) -> str:
        """The button the detail panel offers for a row: register its unit, or resolve its conflict."""
        if row is None:
            return ""
        if row["verdict"] == "unknown_unit" and not self.applied:
            return REGISTER_UNIT
        report = row["report"]
        if row["verdict"] == "conflict" and self.applied and report and report.local_report_id:
            return "&So sánh, chọn bản…"
        return ""

    def _row_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            self.detail_label.setText("Chọn một dòng để xem đầy đủ chi tiết." if self.rows else
                                      "Chưa có tệp nào được kiểm tra.")
        else:
            verdict = VERDICTS[row["verdict"]][0]
            what = f"{row['kind']} {row['period']}" if row["report"] is not None else "Cả tệp"
            self.detail_label.setText(f"<b>{html.escape(row['file'].name)}</b><br>{html.escape(what)}: "
                                      f"<b>{html.escape(verdict)}</b>. {html.escape(row['detail'])}")
            fingerprint = row["file"].fingerprint
            if fingerprint and row["verdict"] == "unknown_unit":  # the code read over the phone stands out
                self.detail_label.setText(self.detail_label.text().replace(
                    fingerprint, f"<span style='font-size: 13pt; font-weight: 700;'>{fingerprint}</span>"))
        action = self.row_action(row)
        self.row_action_button.setText(action)
        self.row_action_button.setVisible(bool(action))

    def _row_action(self) -> None:
        row = self.selected_row()
        action = self.row_action(row)
        if action == REGISTER_UNIT:
            self.register_from_file(row["file"])
        elif action:
            self.open_conflict(row["report"].local_report_id)

    def register_from_file(self, file: ex.FilePlan) -> bool:
        """The user read the fingerprint over the phone: register the unit with the key in its file."""
        question = (f"Đăng ký đơn vị “{file.unit_name}” với khóa trong tệp “{file.name}”?\n\n"
                    f"Mã nhận dạng khóa: {file.fingerprint}\n\n"
                    f"Chỉ đồng ý khi đã gọi điện cho đơn vị và mã họ đọc khớp đúng với mã trên.")
        if not ask_yes_no(self, RECEIVE_TITLE, question):
            return False
        # registered at import time, in the same transaction as the unit's reports
        self.register_new.add(file.unit_id)
        return self.start_verify(self.paths)

    # -- conflicts -----------------------------------------------------------------------------------------
    def refresh_conflicts(self) -> None:
        pending = ex.conflicts(self.workspace)
        self.conflicts_button.setText(f"&Xung đột chờ chọn ({len(pending)})…")
        self.conflicts_button.setVisible(bool(pending))

    def open_next_conflict(self) -> None:
        pending = ex.conflicts(self.workspace)
        if pending:
            self.open_conflict(pending[0])

    def open_conflict(self, report_id: str) -> None:
        dialog = ConflictDialog(self.workspace, report_id, self)
        dialog.exec()
        self.after_conflict(dialog)

    def after_conflict(self, dialog: "ConflictDialog") -> None:
        if dialog.chosen is not None:
            self.show_success_message(dialog.outcome)
        self.refresh_conflicts()

    # -- the worker ----------------------------------------------------------------------------------------
    def _start_job(self, work, on_success, status: str) -> None:
        self.status_label.setText(status)
        self.progress.setRange(0, 0)
        self._show_progress(True)
        self._set_busy(True)
        self.job = run_task(exchange_work(self.workspace, work), owner=self, what="nhận báo cáo",
                            on_progress=self._progressed, on_success=lambda value: self._job_done(on_success, value),
                            on_failure=lambda failure: self._job_failed(failure.text, cancelled=False),
                            on_cancelled=lambda error: self._job_failed(str(error), cancelled=True))

    def cancel_work(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Đang dừng…")

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if text:
            self.status_label.setText(text)

    def _end_job(self) -> None:
        self.job = None
        self._show_progress(False)
        self._set_busy(False)

    def _job_done(self, on_success, value) -> None:
        self._end_job()
        on_success(value)
        self.work_finished.emit()

    def _job_failed(self, message: str, cancelled: bool) -> None:
        importing = self.plan is not None
        self._end_job()
        if cancelled:
            message = ("Đã hủy. Chưa nhập gì; dữ liệu không thay đổi." if importing
                       else "Đã hủy kiểm tra. Chưa nhập gì; dữ liệu không thay đổi.")
        self.show_error_message(message)
        if self.plan is not None:  # the dry run stays valid after a failed or cancelled import
            self.import_button.setEnabled(self.plan.changes_anything)
        self.work_finished.emit()

    def _show_progress(self, visible: bool) -> None:
        for widget in (self.progress, self.cancel_button, self.status_label):
            widget.setVisible(visible)
        self.cancel_button.setEnabled(visible)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.drive_list, self.refresh_drives_button, self.files_button, self.table, self.close_button,
                       self.conflicts_button):
            widget.setEnabled(not busy)
        if busy:
            self.import_button.setEnabled(False)

    def _drop_plan(self) -> None:
        if self.plan is not None:
            self.plan.close()
            self.plan = None
        self.import_button.setEnabled(False)

    def done(self, code: int) -> None:
        if self.job is not None:  # closing mid-way: cancel (the import transaction rolls back)
            self.job.cancel()
            self.job.wait()
        self._drop_plan()
        super().done(code)


def open_receive_dialog(main_window, paths: list | None = None) -> None:
    ws = main_window.workspace
    if ws is None:
        return
    dialog = ReceiveDialog(ws, main_window, paths=paths)
    dialog.exec()


# == conflicts ===============================================================================================
class ConflictDialog(MessageBanners, QDialog):
    """Both sides of a conflict, field by field; the user chooses which version the report uses."""

    def __init__(self, workspace, report_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.report_id = workspace, report_id
        self.chosen: str | None = None
        self.outcome = ""
        self.setWindowTitle(CONFLICT_TITLE)
        self.resize(900, 520)
        versions = ex.report_versions(workspace, report_id)
        self.current = next((v for v in versions if v.state == "current"), None)
        waiting = [v for v in versions if v.state == "conflict"]
        self.incoming = waiting[-1] if waiting else None
        report = workspace.report(report_id, with_content=False)
        try:
            kind = workspace.report_template(report).name
        except ServiceError:
            kind = report.template_code
        unit = workspace.unit(report.unit_id).name
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{html.escape(kind)} {html.escape(report.period.label())}</b> — {html.escape(unit)}<br>"
                      "Bản đang dùng đã được sửa tại đây sau lần nhận trước, và đơn vị lại gửi bản mới. Cả hai bản "
                      "đều được lưu; hãy so sánh rồi chọn bản dùng cho báo cáo (bản kia vẫn được giữ lại).")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Nội dung", "Bản đang dùng" + self._side(self.current),
                                              "Bản mới nhận" + self._side(self.incoming)])
        for col, version in ((1, self.current), (2, self.incoming)):
            if version is not None:
                self.table.horizontalHeaderItem(col).setToolTip(version.label)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 300)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.changes = (ex.compare_versions(workspace, self.current.id, self.incoming.id)
                        if self.current and self.incoming else [])
        self.table.setRowCount(len(self.changes))
        for r, change in enumerate(self.changes):
            for col, text in enumerate((change.label, change.old or "(trống)", change.new or "(trống)")):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col and change.kind in ("value", "cell"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, col, item)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        if not self.changes:
            layout.addWidget(QLabel("Hai bản không khác nhau về nội dung."))
        self.add_message_banners(layout)
        row = QHBoxLayout()
        row.addStretch(1)
        self.use_incoming_button = QPushButton("&Dùng bản mới nhận")
        self.use_incoming_button.clicked.connect(lambda: self.choose(self.incoming))
        self.keep_current_button = QPushButton("&Giữ bản đang dùng")
        self.keep_current_button.clicked.connect(lambda: self.choose(self.current))
        later = QPushButton("Để &sau")
        later.clicked.connect(self.reject)
        for button in (self.use_incoming_button, self.keep_current_button, later):
            row.addWidget(button)
        self.use_incoming_button.setEnabled(self.incoming is not None)
        self.keep_current_button.setEnabled(self.current is not None and self.incoming is not None)
        layout.addLayout(row)

    @staticmethod
    def _side(version) -> str:
        """Short header text: where the version comes from and when (the full label is the tooltip)."""
        if version is None:
            return ""
        if version.origin == "local":
            return "\n(sửa tại đây)"
        return f"\n(đơn vị gửi lúc {local_time_text(version.sent_at or version.received_at)})"

    def choose(self, version) -> bool:
        try:
            ex.resolve_conflict(self.workspace, self.report_id, version.id)
        except ServiceError as exc:
            self.show_error_message(str(exc))
            return False
        self.chosen = version.id
        self.outcome = ("Đã dùng bản mới nhận cho báo cáo; bản sửa tại đây vẫn được lưu làm bản cũ."
                        if version is self.incoming else
                        "Đã giữ bản đang dùng; bản mới nhận vẫn được lưu làm bản cũ.")
        self.accept()
        return True
