"""Print preview, printing and "Xuất PDF…" for the main window's Tệp menu.

The preview shows the pages of ui/print_document.py (the layout plan the DOCX writer also draws);
its Print button prints the same pages. PDF export goes through LibreOffice when it is installed (the PDF is then the DOCX as
LibreOffice lays it out, with Word's real footnotes), otherwise through Qt's own renderer, and the
completion box says which of the two made the file.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QToolBar, QWidget

from ..document import pdf as pdf_module
from ..domain.errors import UserError
from .common import make_message_box
from .docx_job import export_done_text, write_failure
from .errors import failure_of, show_failure
from .tasks import run_task
from .print_document import PrintDocument, PrintError, write_pdf
from .report_actions import open_written_file, written_file_box

ENGINE_LIBREOFFICE = "libreoffice"
ENGINE_QT = "qt"
ENGINE_TEXT = {
    ENGINE_LIBREOFFICE: "Đã tạo PDF bằng LibreOffice.",
    ENGINE_QT: "Đã tạo PDF bằng bộ dựng trang của chương trình (chưa có LibreOffice).",
}
PREVIEW_TITLE = "Xem trước khi in"
# Qt's own texts on the preview's tool bar (Qt ships no Vietnamese translation)
PREVIEW_ACTIONS = {
    "Fit width": "Vừa chiều ngang",
    "Fit page": "Vừa cả trang",
    "Zoom out": "Thu nhỏ",
    "Zoom in": "Phóng to",
    "First page": "Trang đầu",
    "Previous page": "Trang trước",
    "Next page": "Trang sau",
    "Last page": "Trang cuối",
    "Show single page": "Xem từng trang",
    "Show facing pages": "Xem hai trang cạnh nhau",
    "Show overview of all pages": "Xem toàn bộ các trang",
    "Print": "In…",
}
# The official layout is fixed by the format file: no orientation or paper changes from here.
PREVIEW_HIDDEN = ("Portrait", "Landscape", "Page setup")


# == preview and print ==============================================================================
def localize_preview(dialog: QPrintPreviewDialog) -> None:
    for toolbar in dialog.findChildren(QToolBar):
        for action in toolbar.actions():
            source = action.text()
            if source in PREVIEW_HIDDEN:
                action.setVisible(False)
            elif source in PREVIEW_ACTIONS:
                text = PREVIEW_ACTIONS[source]
                action.setText(text)
                action.setToolTip(text if source != "Print" else "In báo cáo ra máy in (chọn máy in, số bản, trang)")
                action.setStatusTip(action.toolTip())


def make_preview_dialog(document: PrintDocument, parent: QWidget | None = None,
                        title: str = "") -> QPrintPreviewDialog:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    document.configure(printer)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"{PREVIEW_TITLE} — {title}" if title else PREVIEW_TITLE)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog._printer = printer  # the dialog does not own it
    dialog._document = document
    dialog.print_errors = []

    def paint(target: QPrinter) -> None:
        document.configure(target)  # a printer chosen in the print dialog starts with its own paper
        try:
            document.render(target)
        except PrintError as exc:
            dialog.print_errors.append(str(exc))
            show_failure(dialog, "Không in được", exc)

    dialog.paintRequested.connect(paint)
    localize_preview(dialog)
    screen = (parent.screen() if parent is not None else QGuiApplication.primaryScreen())
    if screen is not None:
        area = screen.availableGeometry()
        dialog.resize(min(1100, int(area.width() * 0.9)), int(area.height() * 0.92))
    return dialog


def report_title(window, report_id: str) -> str:
    ws = window.workspace
    report = ws.report(report_id, with_content=False)
    template = ws.report_template(report)
    return f"{template.name} {report.period.label()}"


def preview_report(window, report_id: str | None = None) -> QPrintPreviewDialog | None:
    """Open the print preview of a report (the one in the editor, else the one selected)."""
    report_id = report_id or window.current_report_id()
    if not report_id:
        make_message_box(window, QMessageBox.Icon.Information, PREVIEW_TITLE,
                         "Hãy chọn một báo cáo trong danh sách trước.").exec()
        return None
    window.flush_editor()
    try:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            document = PrintDocument(window.workspace.document_model(report_id))
            title = report_title(window, report_id)
        finally:
            QApplication.restoreOverrideCursor()
    except Exception as exc:  # noqa: BLE001 (a UserError is said as it is; anything else is a logged bug)
        show_failure(window, "Không xem trước được", exc)
        return None
    dialog = make_preview_dialog(document, window, title)
    if getattr(window, "preview_hook", None) is not None:  # tests look at the dialog without blocking
        window.preview_hook(dialog)
        return dialog
    dialog.exec()
    return dialog


# == PDF ===========================================================================================
def libreoffice_pdf_work(model, path: Path):
    """The task: DOCX into a temporary folder, then LibreOffice → PDF at `path`; returns the path."""
    def make_pdf_with_libreoffice(_control) -> str:
        try:
            from ..document.docx_writer import write_docx
            with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as tmp:
                docx = write_docx(model, Path(tmp) / "baocao.docx")
                pdf_module.docx_to_pdf(docx, path)
        except Exception as exc:  # noqa: BLE001 (sorted: the user's to fix, or a bug for the runner)
            reason = write_failure(exc, path, "PDF")
            if reason is None or reason is exc:
                raise
            raise reason from exc
        return str(path)
    return make_pdf_with_libreoffice


class PdfExporter(QObject):
    """Makes the PDF of a report: LibreOffice when found (on the task runner), else Qt. Emits
    finished(path, engine), or failed(Failure) — a UserError's message, or a logged bug."""
    finished = Signal(str, str)
    failed = Signal(object)

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self._task = None
        self._progress: QProgressDialog | None = None

    def start(self, model, path: Path) -> str:
        """Start the export; returns the engine used ("libreoffice" or "qt")."""
        if pdf_module.find_soffice() is not None:
            progress = QProgressDialog(f"Đang tạo “{path.name}” bằng LibreOffice…", "", 0, 0, self.window)
            progress.setWindowTitle("Xuất PDF")
            progress.setCancelButton(None)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(400)
            self._progress = progress
            self._task = run_task(libreoffice_pdf_work(model, path), owner=self, collect_garbage=True,
                                  what="xuất PDF", on_finished=self._end_progress,
                                  on_success=lambda written: self.finished.emit(written, ENGINE_LIBREOFFICE),
                                  on_failure=self.failed.emit)
            return ENGINE_LIBREOFFICE
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = write_pdf(model, path)
        except Exception as exc:  # noqa: BLE001 (sorted like the LibreOffice path's)
            QApplication.restoreOverrideCursor()
            reason = write_failure(exc, path, "PDF")
            self.failed.emit(failure_of(reason if reason is not None else exc, "xuất PDF"))
        else:
            QApplication.restoreOverrideCursor()
            self.finished.emit(str(written), ENGINE_QT)
        return ENGINE_QT

    def _end_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self._task = None


def pdf_done_box(parent: QWidget, path: str, engine: str, notice=None) -> QMessageBox:
    """`notice` (services.signoff.ExportNotice): a draft's pages carry the draft mark; the box says so and
    how many errors are still open, as the DOCX export's box does."""
    box = written_file_box(parent, "Đã xuất PDF", ENGINE_TEXT[engine], export_done_text(path, notice))
    box.engine = engine
    return box


def show_pdf_done(parent: QWidget, path: str, engine: str, notice=None) -> None:
    open_written_file(pdf_done_box(parent, path, engine, notice), path)


def ask_pdf_path(window, suggested_name: str) -> Path | None:
    from .common import ask_save_path
    return ask_save_path(window, window.settings, "Xuất báo cáo ra tệp PDF", suggested_name,
                         "Tệp PDF (*.pdf)", ".pdf")


def exporter_of(window) -> PdfExporter:
    """The window's PDF exporter (one per window), wired to the status bar and the completion box."""
    exporter = getattr(window, "_pdf_exporter", None)
    if exporter is None:
        exporter = PdfExporter(window)

        def done(path: str, engine: str) -> None:
            window.statusBar().showMessage(f"Đã xuất {path}", 10000)
            hook = getattr(window, "pdf_done_hook", None)  # tests: no modal box
            if hook is not None:
                hook(path, engine)
            else:
                show_pdf_done(window, path, engine, getattr(window, "_pdf_notice", None))

        exporter.finished.connect(done)
        exporter.failed.connect(lambda failure: show_failure(window, "Không xuất được PDF", failure))
        window._pdf_exporter = exporter
    return exporter


def export_pdf(window, report_id: str | None = None, path: Path | None = None) -> str | None:
    """Ask where to save (unless `path` is given) and make the PDF; returns the engine or None."""
    report_id = report_id or window.current_report_id()
    if not report_id:
        make_message_box(window, QMessageBox.Icon.Information, "Xuất PDF",
                         "Hãy chọn một báo cáo trong danh sách trước.").exec()
        return None
    window.flush_editor()
    try:
        if path is None:
            suggested = str(Path(window.workspace.suggested_file_name(report_id)).with_suffix(".pdf"))
            path = ask_pdf_path(window, suggested)
            if path is None:
                return None
        model = window.workspace.document_model(report_id)
        window._pdf_notice = window.workspace.export_notice(report_id)
    except UserError as exc:
        show_failure(window, "Không xuất được PDF", exc)
        return None
    return exporter_of(window).start(model, Path(path))
