"""Writing a DOCX off the UI thread, with the failure said in Vietnamese (report export, summary export)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from ..services.errors import ServiceError


class DocxJobSignals(QObject):
    finished = Signal(str)  # the path written
    failed = Signal(str)  # a Vietnamese message


class DocxWriteJob(QRunnable):
    """Lays out and writes a DocumentModel (charts drawn here too). The model is read from the database
    on the UI thread before: the SQLite connection is never shared; the worker only lays out and writes.
    `what` names the document in the message about a bug ("DOCX", "báo cáo tổng hợp")."""

    def __init__(self, model, path: Path, what: str = "DOCX"):
        super().__init__()
        self.model, self.path, self.what = model, path, what
        self.signals = DocxJobSignals()

    def run(self) -> None:
        try:
            from ..document.docx_writer import write_docx
            written = write_docx(self.model, self.path)
        except ModuleNotFoundError as exc:
            self.signals.failed.emit(f"Thiếu thư viện “{exc.name}” để xuất {self.what}. Hãy cài lại chương trình.")
        except Exception as exc:  # noqa: BLE001 (every failure becomes a message; bugs keep their details)
            self.signals.failed.emit(self.failure_message(exc))
        else:
            self.signals.finished.emit(str(written or self.path))

    def failure_message(self, exc: Exception) -> str:
        from ..document.docx_writer import DocumentWriteError
        if isinstance(exc, (DocumentWriteError, ServiceError, ValueError)):  # already said in Vietnamese
            return str(exc)
        if isinstance(exc, PermissionError):
            return (f"Không ghi được tệp “{self.path}”: tệp đang mở trong Word hoặc thư mục không cho ghi. "
                    "Hãy đóng tệp trong Word hoặc chọn thư mục khác.")
        if isinstance(exc, OSError):
            return f"Không ghi được tệp “{self.path}”: {exc.strerror or exc}."
        import traceback
        return f"Xuất {self.what} gặp lỗi chương trình:\n" + "".join(
            traceback.format_exception(exc, limit=3))
