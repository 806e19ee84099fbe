"""Writing a DOCX as a task of the runner (ui/tasks.py), for the report export and the summary export.

The model is read from the database on the UI thread before: the worker only lays out and writes (charts
drawn there too). What the user can fix (the file open in Word, a missing folder, a full disk, a missing
library) becomes a UserError with the Vietnamese reason; anything else is a bug for the runner.
"""
from __future__ import annotations

from pathlib import Path

from ..domain.errors import UserError
from ..domain.error_text import os_error_reason


def write_failure(error: BaseException, path: Path, what: str = "DOCX") -> UserError | None:
    """The Vietnamese reason writing `path` failed, when the user can fix it; None for a bug."""
    if isinstance(error, UserError):
        return error
    if isinstance(error, ModuleNotFoundError):
        return UserError(f"Thiếu thư viện “{error.name}” để xuất {what}. Hãy cài lại chương trình.")
    if isinstance(error, PermissionError):
        return UserError(f"Không ghi được tệp “{path}”: tệp đang mở trong Word hoặc thư mục không cho ghi. "
                         "Hãy đóng tệp trong Word hoặc chọn thư mục khác.")
    if isinstance(error, OSError):
        return UserError(f"Không ghi được tệp “{path}”: {os_error_reason(error)}.")
    return None


def docx_work(model, path: Path, what: str = "DOCX"):
    """The task: write `model` to `path`; returns the path written, as text."""
    path = Path(path)

    def write_docx_file(_control) -> str:
        try:
            from ..document.docx_writer import write_docx
            written = write_docx(model, path)
        except Exception as exc:  # noqa: BLE001 (sorted here: the user's to fix, or a bug for the runner)
            reason = write_failure(exc, path, what)
            if reason is None or reason is exc:
                raise
            raise reason from exc
        return str(written or path)
    return write_docx_file


def export_done_text(path: str, notice=None) -> str:
    """What the export's completion box says under "Đã xuất báo cáo ra tệp Word:": the file written, then for
    a draft (services.signoff.ExportNotice) that its pages carry the draft mark and how many errors are open."""
    extra = notice.text() if notice is not None else ""
    return f"{path}\n\n{extra}" if extra else str(path)
