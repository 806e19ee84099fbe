"""How the interface says that something failed (DESIGN §4, issue 13 point 5).

A `UserError` is shown as it is: its Vietnamese message and hint. Anything else is a bug: logged with
its traceback to the bug log (services/logs.py) and shown as "Lỗi chương trình" with the log's path,
never as the exception's own text. `failure_of(exc)` decides (and logs); `show_failure(...)` is the one
dialog for it; `install_gui_excepthook()` does the same for exceptions nobody caught on the UI thread.
"""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import UserError

# services.logs (logging.handlers, the data folder) loads when a bug is met: the main window imports this
# module, and start-up stays lean.

BUG_TITLE = "Lỗi chương trình"
BUG_MESSAGE = "Lỗi chương trình: việc vừa làm chưa xong. Dữ liệu đã lưu trước đó không bị ảnh hưởng."


def bug_hint(log_path: Path) -> str:
    return (f"Chi tiết lỗi đã được ghi vào tệp nhật ký:\n{log_path}\n"
            "Hãy gửi tệp này cho người hỗ trợ kỹ thuật.")


@dataclass(frozen=True)
class Failure:
    """What to tell the user about one exception: `message` (Vietnamese) and `hint`; `bug` when it was
    not a UserError (then `log_path` names the file its traceback went to)."""
    message: str
    hint: str = ""
    bug: bool = False
    log_path: Path | None = None
    error: BaseException | None = None

    @property
    def text(self) -> str:
        """Message and hint as one paragraph, for a banner."""
        return f"{self.message}\n{self.hint}" if self.hint else self.message


def failure_of(error: BaseException, what: str = "") -> Failure:
    """A UserError as it is; anything else logged (with `what` it was doing) and worded as a bug."""
    if isinstance(error, UserError):
        return Failure(str(error), error.hint, error=error)
    from ..services import logs
    from ..domain.error_text import environment_error_text
    path = logs.log_bug(error, what)
    machine = environment_error_text(error)  # disk full, no permission…: said in Vietnamese, detail in the log
    if machine is not None:
        return Failure(machine, bug_hint(path), error=error, log_path=path)
    return Failure(BUG_MESSAGE, bug_hint(path), bug=True, log_path=path, error=error)


def show_failure(parent: QWidget | None, title: str, failure: "Failure | BaseException",
                 wait: bool = True) -> QMessageBox:
    """The error dialog of the whole interface. `title` names what failed ("Không xuất được"); a bug is
    titled "Lỗi chương trình" whatever was being done. `wait=False` opens it without blocking."""
    from .common import make_message_box
    if not isinstance(failure, Failure):
        failure = failure_of(failure, title)
    box = make_message_box(parent, QMessageBox.Icon.Critical, BUG_TITLE if failure.bug else title,
                           failure.message, informative=failure.hint)
    box.failure = failure
    if wait:
        box.exec()
    else:
        box.open()
    return box


def install_gui_excepthook() -> None:
    """Start-up: the bug log in the data folder, and the hooks. An exception no slot caught on the UI
    thread is logged, then "Lỗi chương trình" is shown (once at a time: a failing dialog must not open
    dialogs forever); one on a worker thread is logged."""
    from ..services import logs
    logs.log_path()  # the data folder's log, unless one is set up already
    logs.install_excepthooks()
    logged = sys.excepthook
    showing = []

    def excepthook(kind, error, traceback) -> None:
        logged(kind, error, traceback)
        from PySide6.QtWidgets import QApplication
        if (showing or QApplication.instance() is None or threading.current_thread() is not threading.main_thread()
                or issubclass(kind, KeyboardInterrupt)):
            return
        showing.append(1)
        try:
            path = logs.log_path()
            show_failure(QApplication.activeWindow(), BUG_TITLE,
                         Failure(BUG_MESSAGE, bug_hint(path), bug=True, log_path=path, error=error))
        finally:
            showing.clear()
    sys.excepthook = excepthook
