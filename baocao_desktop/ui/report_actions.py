"""What the main window does to report files: Báo cáo mới, Nhập từ tệp Word, Nạp dữ liệu mẫu, Xóa báo
cáo and Xuất DOCX (written on the task runner, ui/tasks.py, behind a busy dialog, then "Đã xuất báo cáo"
offering to open the file or its folder). PDF and print preview are in ui/print_preview.py.

Each function takes the main window (its workspace, settings, status bar and `open_report`); the window's
methods of the same names call them. Imported after the first paint, when the user first acts.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QProgressDialog

from ..domain.errors import UserError
from ..services.errors import ServiceError
from .common import ask_yes_no, make_message_box, show_info
from .errors import show_failure

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from .main_window import MainWindow


def ensure_unit(window: MainWindow) -> bool:
    """A unit is needed before creating reports: ask for it when missing."""
    if window.workspace.own_unit() is not None:
        return True
    from .setup_dialog import SetupDialog
    dialog = SetupDialog(window.workspace, window, first_run=True)
    dialog.exec()
    return window.workspace.own_unit() is not None


def new_report(window: MainWindow) -> None:
    if not ensure_unit(window):
        return
    from .new_report_dialog import NewReportDialog
    dialog = NewReportDialog(window.workspace, window)
    if dialog.exec() and dialog.report is not None:
        window.open_report(dialog.report.id)


def import_docx(window: MainWindow, path: str | None = None) -> None:
    """Nhập từ tệp Word: choose a .docx, then the template and period; opens the new report."""
    if not ensure_unit(window):
        return
    if path is None:
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QFileDialog
        folder = window.settings.value("import/dir") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(window, "Nhập báo cáo từ tệp Word", str(folder),
                                              "Văn bản Word (*.docx);;Tất cả các tệp (*)")
        if not path:
            return
        window.settings.setValue("import/dir", str(Path(path).parent))
    from .import_docx_dialog import ImportDocxDialog
    dialog = ImportDocxDialog(window.workspace, path, window)
    if dialog.exec() and dialog.report is not None:
        window.open_report(dialog.report.id)
        if dialog.result is not None:  # None: the period had its report, which the user chose to open
            window.statusBar().showMessage(f"Đã nhập “{Path(path).name}”: {dialog.result.summary()}", 15000)


def load_demo(window: MainWindow) -> None:
    from ..services.demo import load_demo as load
    try:
        ids = load(window.workspace)
    except UserError as exc:
        show_failure(window, "Không nạp được dữ liệu mẫu", exc)
        return
    window.statusBar().showMessage(f"Đã nạp dữ liệu mẫu: {len(ids)} báo cáo.", 8000)


def delete_report(window: MainWindow, report_id: str) -> None:
    report = window.workspace.report(report_id, with_content=False)
    if not ask_yes_no(window, "Xóa báo cáo",
                      f"Xóa báo cáo kỳ {report.period.label()}?\nBáo cáo được đánh dấu đã xóa, "
                      "không còn trong danh sách."):
        return
    try:
        window.workspace.delete_report(report_id)
    except ServiceError as exc:
        show_failure(window, "Không xóa được", exc)


# == Xuất DOCX ======================================================================================
def ask_docx_path(window: MainWindow, suggested_name: str) -> Path | None:
    from .common import ask_save_path
    return ask_save_path(window, window.settings, "Xuất báo cáo ra tệp Word", suggested_name,
                         "Văn bản Word (*.docx)", ".docx")


def export_docx(window: MainWindow, report_id: str | None = None) -> None:
    """Ask where (`window.ask_export_path`), then write: the report given, else the current one."""
    report_id = report_id or window.current_report_id()
    if not report_id:
        show_info(window, "Xuất DOCX", "Hãy chọn một báo cáo trong danh sách trước.")
        return
    window.flush_editor()
    try:
        suggested = window.workspace.suggested_file_name(report_id)
    except ServiceError as exc:
        show_failure(window, "Không xuất được", exc)
        return
    path = window.ask_export_path(suggested)
    if path is not None:
        window.start_export(report_id, path)


class DocxExport:
    """The window's DOCX export while one runs: the task and its busy dialog. Ends with the window's
    `export_finished(path)` (and a status-bar message) or `export_failed(text)` (and the message box)."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.job = None  # the export Task while one runs
        self.progress: QProgressDialog | None = None
        self.notice = None  # services.signoff.ExportNotice of the last export: a draft and its open errors

    def start(self, report_id: str, path: Path) -> None:
        """Write the DOCX as a task; a modal busy dialog keeps the window responsive but idle."""
        window = self.window
        try:
            model = window.workspace.document_model(report_id)
            self.notice = window.workspace.export_notice(report_id)
        except ServiceError as exc:
            show_failure(window, "Không xuất được", exc)
            return
        from .docx_job import docx_work
        from .tasks import run_task
        self.job = run_task(docx_work(model, path), on_success=self._ended, on_failure=self._ended_with_error,
                            owner=window, what="xuất DOCX", collect_garbage=True)
        progress = QProgressDialog(f"Đang xuất “{path.name}”…", "", 0, 0, window)
        progress.setWindowTitle("Xuất DOCX")
        progress.setCancelButton(None)
        from PySide6.QtCore import Qt
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        self.progress = progress

    def _end_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.job = None

    def _ended(self, path: str) -> None:
        self._end_progress()
        self.window.statusBar().showMessage(f"Đã xuất {path}", 10000)
        self.window.export_finished.emit(path)

    def _ended_with_error(self, failure) -> None:
        self._end_progress()
        self.window.export_failed.emit(failure.text)
        show_failure(self.window, "Không xuất được", failure)


def export_done_box(parent: QWidget, path: str, notice=None) -> QMessageBox:
    """Under the file written, a draft (`notice`: services.signoff.ExportNotice) says it carries the draft
    mark and how many errors are still open."""
    from .docx_job import export_done_text
    return written_file_box(parent, "Đã xuất báo cáo", "Đã xuất báo cáo ra tệp Word:",
                            export_done_text(path, notice))


def written_file_box(parent: QWidget, title: str, text: str, path: str) -> QMessageBox:
    """"Đã xuất …" with Mở tệp (the default), Mở thư mục and Đóng; `open_written_file` shows it. The PDF
    export's box is one too (ui/print_preview.py)."""
    box = make_message_box(parent, QMessageBox.Icon.Information, title, text, informative=path)
    box.open_file_button = box.addButton("Mở tệp", QMessageBox.ButtonRole.AcceptRole)
    box.open_folder_button = box.addButton("Mở thư mục", QMessageBox.ButtonRole.ActionRole)
    close = box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
    box.removeButton(box.button(QMessageBox.StandardButton.Ok))
    box.setDefaultButton(box.open_file_button)
    box.setEscapeButton(close)
    return box


def open_written_file(box: QMessageBox, path: str) -> None:
    """Show a `written_file_box` and open the file or its folder as the user picks."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    box.exec()
    clicked = box.clickedButton()
    if clicked is box.open_file_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
    elif clicked is box.open_folder_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
