"""Gửi cấp trên… (write signed reports to a USB stick; issue 7). The unit's key screen, Khóa chữ ký số
của đơn vị…, is in ui/key_dialogs.py.

Also the pieces the receive dialog shares: the list of removable drives (services/drives.py finds which
mounts are removable, QStorageInfo gives their name, free space and read-only state) and
`exchange_work`, which makes a long exchange use case a task of the runner (ui/tasks.py) on its *own*
Workspace: one SQLite connection must never be used by two threads, and the dialogs are modal, so the
UI thread's connection stays idle meanwhile.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QStorageInfo, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import UserError
from ..domain.numbers import size_text
from ..services import exchange as ex
from ..services.errors import ServiceError
from .common import MessageBanners, ask_yes_no
from .help_window import link_help
from .tasks import Task, in_own_workspace, run_task
from ..domain.error_text import os_error_reason

SEND_TITLE = "Gửi báo cáo cấp trên"
OTHER_FOLDER = "Chọn thư mục khác…"
READABLE_SETTING = "send/readable_copies"  # the user's choice, kept with the app's settings, not in a report
READABLE_LABEL = "Kèm bản Word/PDF để đọc"
READABLE_NOTE = ("mỗi báo cáo thêm một tệp Word (và PDF nếu máy có LibreOffice hoặc Word) đặt cạnh tệp .baocao, "
                 "để nơi nhận chưa có BaoCao vẫn mở đọc được")


# == drives ==================================================================================================
@dataclass(frozen=True)
class DriveChoice:
    path: Path
    title: str
    free_bytes: int | None
    read_only: bool = False

    def describe(self) -> str:
        free = f"còn trống {size_text(self.free_bytes)}" if self.free_bytes is not None else "không rõ dung lượng"
        lock = " — chỉ đọc (bị khóa ghi)" if self.read_only else ""
        return f"{self.title}   ({free}){lock}   {self.path}"


def list_drives() -> list[DriveChoice]:
    """USB sticks plugged in now: which mounts are removable comes from services/drives.py; the name,
    free space and read-only state from QStorageInfo (what the system itself reports)."""
    from ..services.drives import removable_drives
    found = []
    for drive in removable_drives():
        info = QStorageInfo(str(drive.path))
        if not info.isValid() or not info.isReady():
            continue
        name = info.displayName() or drive.title
        title = name if name != str(drive.path) else drive.title
        found.append(DriveChoice(drive.path, title, int(info.bytesAvailable()), info.isReadOnly()))
    return found


def drive_of(path: Path, drives: list[DriveChoice]) -> DriveChoice | None:
    """The drive a folder lies on, if it is one of the removable drives."""
    path = Path(path)
    for drive in drives:
        if path == drive.path or drive.path in path.parents:
            return drive
    return None


class DriveList(QListWidget):
    """Removable drives, one line each, plus a last line "Chọn thư mục khác…" that opens a folder dialog."""

    folder_chosen = Signal(object)  # Path

    def __init__(self, dialog_title: str, drives_provider=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.dialog_title = dialog_title
        self.drives_provider = drives_provider or list_drives
        self.drives: list[DriveChoice] = []
        self.extra_folder: Path | None = None
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setSpacing(2)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_folder()
        self.clear()
        self.drives = self.drives_provider()
        for drive in self.drives:
            item = QListWidgetItem(self._icon("SP_DriveHDIcon"), drive.describe())
            item.setData(Qt.ItemDataRole.UserRole, str(drive.path))
            self.addItem(item)
        if not self.drives:
            item = QListWidgetItem("Chưa thấy USB nào. Cắm USB rồi bấm “Tìm lại USB”, hoặc chọn thư mục khác.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
        if self.extra_folder is not None:
            item = QListWidgetItem(self._icon("SP_DirIcon"), str(self.extra_folder))
            item.setData(Qt.ItemDataRole.UserRole, str(self.extra_folder))
            self.addItem(item)
        other = QListWidgetItem(self._icon("SP_DirOpenIcon"), OTHER_FOLDER)
        other.setData(Qt.ItemDataRole.UserRole, OTHER_FOLDER)
        self.addItem(other)
        if selected is not None:
            self.select_folder(selected, announce=False)
        elif len(self.drives) == 1:  # one stick plugged in: that is where it goes
            self.select_folder(self.drives[0].path)

    def _icon(self, name: str):
        return self.style().standardIcon(getattr(QStyle.StandardPixmap, name))

    def select_folder(self, folder: Path, announce: bool = True) -> None:
        folder = Path(folder)
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == str(folder):
                self.setCurrentRow(row)
                break
        else:
            self.extra_folder = folder
            self.refresh()
            self.select_folder(folder, announce)  # now listed
            return
        if announce:
            self.folder_chosen.emit(folder)

    def selected_folder(self) -> Path | None:
        item = self.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return Path(data) if data and data != OTHER_FOLDER else None

    def selected_drive(self) -> DriveChoice | None:
        folder = self.selected_folder()
        return next((d for d in self.drives if d.path == folder), None) if folder else None

    def _activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data == OTHER_FOLDER:
            start = str(self.extra_folder or QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
            chosen = QFileDialog.getExistingDirectory(self, self.dialog_title, start)
            if chosen:
                self.select_folder(Path(chosen))
            return
        if data:
            self.folder_chosen.emit(Path(data))


# == running a use case off the UI thread ====================================================================
def exchange_work(workspace, use_case):
    """`use_case(ws, progress, cancel)` as a task on a Workspace of its own: the exchange's Progress goes to
    the runner's progress, the task's control is the cancel, and a read/write failure (a stick pulled
    out, a full disk) becomes the user's message."""
    def work(ws, control):
        try:
            return use_case(ws, lambda p: control.report(p.done, p.total, p.message), control)
        except OSError as exc:
            raise UserError(f"Lỗi đọc/ghi tệp: {os_error_reason(exc)}. Chưa có gì thay đổi.") from exc
    work.__name__ = getattr(use_case, "__name__", "exchange")
    return in_own_workspace(workspace, work)


def where_text(folder: Path, drive: DriveChoice | None) -> str:
    return f"trên USB “{drive.title}”" if drive is not None else f"trong thư mục “{folder}”"


def check_writable_folder(folder: Path | None, drive: DriveChoice | None) -> str:
    """'' when a file can be written into `folder`, else the Vietnamese reason."""
    if folder is None:
        return "Hãy chọn nơi ghi tệp: một USB trong danh sách, hoặc “Chọn thư mục khác…”."
    if not folder.is_dir():
        return (f"Không thấy “{folder}”. USB đã bị rút ra? Hãy cắm lại USB, bấm “Tìm lại USB” rồi chọn lại."
                if drive is not None else f"Không có thư mục “{folder}”.")
    if (drive is not None and drive.read_only) or not os.access(folder, os.W_OK):
        return (f"Không ghi được vào “{folder}”: ổ đĩa hoặc thư mục chỉ cho phép đọc (USB bị gạt khóa ghi, hoặc "
                f"không có quyền ghi). Hãy mở khóa ghi trên USB hoặc chọn nơi khác.")
    return ""


# == Gửi cấp trên… ===========================================================================================
COLUMNS = ("Gửi", "Báo cáo", "Kỳ báo cáo", "Số", "Trạng thái", "Ghi chú")


class SendDialog(MessageBanners, QDialog):
    """Choose reports and a drive; the transfer file is written, read back and verified in a worker."""

    work_finished = Signal()

    def __init__(self, workspace, parent: QWidget | None = None, drives_provider=None,
                 settings: QSettings | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings if settings is not None else (getattr(parent, "settings", None) or QSettings())
        self.job: Task | None = None
        self.result = None
        self.name_edited = False
        self.setWindowTitle(SEND_TITLE)
        self.resize(1000, 660)
        layout = QVBoxLayout(self)
        intro = QLabel("Chọn các báo cáo đã ký cần gửi và USB để ghi. Chương trình ghi một tệp .baocao có chữ ký số "
                       "của đơn vị, đọc lại để kiểm tra, rồi chuyển các báo cáo sang trạng thái “Đã gửi”.")
        intro.setWordWrap(True)
        layout.addWidget(link_help(intro, "gui-nhan"))

        reports_box = QGroupBox("1. Báo cáo sẽ gửi")
        reports_layout = QVBoxLayout(reports_box)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._selection_changed)
        reports_layout.addWidget(self.table)
        self.count_label = QLabel()
        reports_layout.addWidget(self.count_label)
        layout.addWidget(reports_box, 1)

        target_box = QGroupBox("2. Nơi ghi tệp")
        target_layout = QVBoxLayout(target_box)
        self.drive_list = DriveList("Chọn thư mục để ghi tệp gửi cấp trên", drives_provider)
        self.drive_list.setFixedHeight(92)
        self.drive_list.folder_chosen.connect(lambda _folder: self.clear_messages())
        target_layout.addWidget(self.drive_list)
        row = QHBoxLayout()
        self.refresh_drives_button = QPushButton("&Tìm lại USB")
        self.refresh_drives_button.clicked.connect(self.drive_list.refresh)
        row.addWidget(self.refresh_drives_button)
        row.addSpacing(16)
        row.addWidget(QLabel("Tên tệp:"))
        self.name_edit = QLineEdit()
        self.name_edit.textEdited.connect(self._name_edited)
        row.addWidget(self.name_edit, 1)
        target_layout.addLayout(row)
        readable_row = QHBoxLayout()
        self.readable_check = QCheckBox(READABLE_LABEL)
        self.readable_check.setToolTip(READABLE_NOTE[0].upper() + READABLE_NOTE[1:] + ".")
        self.readable_check.setChecked(self._readable_setting())
        self.readable_check.toggled.connect(lambda on: self.settings.setValue(READABLE_SETTING, on))
        readable_row.addWidget(self.readable_check)
        readable_note = QLabel(f"({READABLE_NOTE})")
        readable_note.setWordWrap(True)
        readable_note.setStyleSheet("color: #555;")
        readable_row.addWidget(readable_note, 1)
        target_layout.addLayout(readable_row)
        layout.addWidget(target_box)

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status_label = QLabel()
        self.status_label.hide()
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress)
        self.add_message_banners(layout)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.send_button = QPushButton("Ghi ra &USB")
        self.send_button.setDefault(True)
        self.send_button.setMinimumWidth(140)
        self.send_button.clicked.connect(self.start_export)
        self.close_button = QPushButton("Đón&g")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.load_reports()

    # -- the report list ---------------------------------------------------------------------------------
    def load_reports(self) -> None:
        ws = self.workspace
        reports = ws.list_reports()
        # what is sent most often first: signed, then already sent, then the rest
        order = {"signed": 0, "sent": 1, "for_signature": 2, "draft": 3}
        reports.sort(key=lambda r: (order.get(r.status, 9), -r.period.start.toordinal()))
        self.table.blockSignals(True)
        self.table.setRowCount(len(reports))
        for row, report in enumerate(reports):
            try:
                name = ws.report_template(report).name
            except ServiceError:
                name = report.template_code
            check = QTableWidgetItem()
            check.setData(Qt.ItemDataRole.UserRole, report.id)
            if report.status in ("signed", "sent"):
                check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled |
                               Qt.ItemFlag.ItemIsSelectable)
                check.setCheckState(Qt.CheckState.Checked if report.status == "signed" else Qt.CheckState.Unchecked)
                note = ("Đã ký, sẵn sàng gửi" if report.status == "signed"
                        else "Đã gửi trước đây; đánh dấu nếu cần gửi lại")
            else:
                check.setFlags(Qt.ItemFlag.ItemIsEnabled)  # shown, explained, not choosable
                note = ("Chưa ký: trình ký và ký báo cáo trước khi gửi" if report.status == "for_signature"
                        else "Dự thảo: hoàn thành, trình ký và ký trước khi gửi")
            cells = [check, QTableWidgetItem(name), QTableWidgetItem(report.period.label()),
                     QTableWidgetItem(report.number), QTableWidgetItem(report.status_label), QTableWidgetItem(note)]
            for col, item in enumerate(cells):
                if col:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    if report.status not in ("signed", "sent"):
                        item.setForeground(QBrush(QColor("#777777")))
                self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        self._selection_changed()

    def checked_report_ids(self) -> list[str]:
        ids = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and item.checkState() == Qt.CheckState.Checked:
                ids.append(item.data(Qt.ItemDataRole.UserRole))
        return ids

    def set_checked(self, report_ids: list[str]) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                wanted = item.data(Qt.ItemDataRole.UserRole) in report_ids
                item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def _selection_changed(self, *_args) -> None:
        ids = self.checked_report_ids()
        choosable = sum(1 for r in range(self.table.rowCount())
                        if self.table.item(r, 0).flags() & Qt.ItemFlag.ItemIsUserCheckable)
        if not self.table.rowCount():
            self.count_label.setText("Đơn vị chưa có báo cáo nào.")
        elif not choosable:
            self.count_label.setText("Chưa có báo cáo nào đã ký. Chỉ gửi được báo cáo đã ký (“Đã ký”).")
        else:
            self.count_label.setText(f"Đã chọn {len(ids)} báo cáo để gửi.")
        if not self.name_edited:
            self.name_edit.setText(ex.suggested_bundle_name(self.workspace, ids) if ids else "")
        self.send_button.setEnabled(bool(ids) and self.job is None)

    def _name_edited(self, text: str) -> None:
        self.name_edited = bool(text.strip())

    def _readable_setting(self) -> bool:
        value = self.settings.value(READABLE_SETTING, ex.READABLE_BY_DEFAULT)
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")  # ini files keep text

    # -- writing -------------------------------------------------------------------------------------------
    def target_path(self) -> Path | None:
        folder = self.drive_list.selected_folder()
        name = self.name_edit.text().strip()
        if folder is None or not name:
            return None
        name = ex.safe_file_name(name if name.lower().endswith(".baocao") else f"{name}.baocao")
        return folder / name

    def start_export(self) -> bool:
        """Validate, then start the worker. Returns whether writing started."""
        self.clear_messages()
        ids = self.checked_report_ids()
        if not ids:
            self.show_error_message("Hãy đánh dấu ít nhất một báo cáo để gửi.")
            return False
        folder, drive = self.drive_list.selected_folder(), self.drive_list.selected_drive()
        problem = check_writable_folder(folder, drive)
        if not problem and not self.name_edit.text().strip():
            problem = "Hãy nhập tên tệp."
        if problem:
            self.show_error_message(problem)
            return False
        target = self.target_path()
        if target.exists() and not ask_yes_no(
                self, SEND_TITLE, f"Đã có tệp “{target.name}” {where_text(folder, drive)}. Ghi đè bằng tệp mới?"):
            return False
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status_label.setText(f"Đang ghi {len(ids)} báo cáo {where_text(folder, drive)}…")
        self.status_label.show()
        self._set_busy(True)
        readable = self.readable_check.isChecked()
        def export(ws, progress, cancel):
            return ex.export_bundle(ws, target, ids, progress=progress, cancel=cancel, readable=readable)
        self.job = run_task(exchange_work(self.workspace, export), owner=self, what="gửi cấp trên",
                            on_progress=self._progressed, on_success=lambda result: self._done(result, folder, drive),
                            on_failure=lambda failure: self._failed(failure.text),
                            on_cancelled=lambda error: self._failed(str(error)))
        return True

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.send_button, self.table, self.drive_list, self.refresh_drives_button, self.name_edit,
                       self.readable_check, self.close_button):
            widget.setEnabled(not busy)

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if text:
            self.status_label.setText(f"{text}…")

    def _finish_job(self) -> None:
        self.job = None
        self.progress.hide()
        self.status_label.hide()
        self._set_busy(False)

    def _done(self, result, folder: Path, drive: DriveChoice | None) -> None:
        self._finish_job()
        self.result = result
        self.name_edited = False
        self.load_reports()  # the reports just sent now read "Đã gửi" and are no longer pre-checked
        self.set_checked([])
        tail = "; có thể rút USB." if drive is not None else "."
        self.show_success_message(
            f"Đã ghi và kiểm tra lại tệp “{result.file_name}” {where_text(folder, drive)} "
            f"({len(result.reports)} báo cáo, {size_text(result.size)}){tail}\n"
            f"Mã nhận dạng khóa của đơn vị: {result.fingerprint}." +
            (f"\n{result.readable_text()}" if result.readable_text() else ""))
        self.work_finished.emit()  # the main window's list follows the REPORTS change the export announces

    def _failed(self, message: str) -> None:
        self._finish_job()
        self._selection_changed()
        self.show_error_message(message)
        self.work_finished.emit()

    def reject(self) -> None:
        if self.job is not None:  # closing mid-write: stop at the next step (nothing is marked sent)
            self.job.cancel()
            self.job.wait()
        super().reject()


def open_send_dialog(main_window) -> None:
    ws = main_window.workspace
    if ws is None:
        return
    dialog = SendDialog(ws, main_window)
    dialog.exec()
