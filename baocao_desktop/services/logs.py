"""The bug log: a rotating file in the data folder (`<data>/logs/baocao.log`) that every unexpected error
is written to with its traceback, so "Lỗi chương trình" can name a file the user sends to support.

`setup_logging()` runs at start-up (the GUI, and whenever a bug is met before that); `log_bug(exc)`
writes one bug and returns the file's path; `install_excepthooks()` sends uncaught exceptions of any
thread (sys.excepthook, threading.excepthook) to the same file. No Qt here: the CLI may use it too.
"""
from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .paths import data_dir

LOG_NAME = "baocao.log"
MAX_BYTES = 1_000_000  # a few hundred tracebacks; three old files are kept beside it
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("baocao_desktop")
_lock = threading.Lock()
_handler: RotatingFileHandler | None = None


def default_log_path() -> Path:
    return data_dir() / "logs" / LOG_NAME


def setup_logging(path: Path | None = None) -> Path:
    """Send warnings and errors of every logger to the rotating file `path` (default: the data folder's);
    called again with another path, the file moves there. Returns the file's path."""
    global _handler
    path = Path(path) if path is not None else default_log_path()
    with _lock:
        if _handler is not None and Path(_handler.baseFilename) == path.resolve():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8",
                                      delay=True)  # the file is opened at the first record, not at start-up
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter(FORMAT))
        root = logging.getLogger()
        if _handler is not None:
            root.removeHandler(_handler)
            _handler.close()
        root.addHandler(handler)
        _handler = handler
    return path


def stop_logging() -> None:
    """Remove the file handler (tests)."""
    global _handler
    with _lock:
        if _handler is not None:
            logging.getLogger().removeHandler(_handler)
            _handler.close()
            _handler = None


def log_path() -> Path:
    """The file bugs are written to (set up on first use)."""
    handler = _handler
    return Path(handler.baseFilename) if handler is not None else setup_logging()


def log_bug(error: BaseException, what: str = "") -> Path:
    """Write `error` with its traceback to the log; returns the log file's path (to show the user)."""
    path = log_path()
    log.error("Lỗi chương trình%s", f" ({what})" if what else "",
              exc_info=(type(error), error, error.__traceback__))
    if _handler is not None:
        _handler.flush()
    return path


def install_excepthooks() -> None:
    """Uncaught exceptions of the main thread and of worker threads are logged (then shown as before)."""
    previous = sys.excepthook

    def excepthook(kind, error, traceback) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            log_bug(error.with_traceback(traceback) if traceback is not None else error, "chưa bắt")
        previous(kind, error, traceback)
    sys.excepthook = excepthook
    previous_thread = threading.excepthook

    def thread_excepthook(args) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            name = args.thread.name if args.thread is not None else "?"
            log_bug(args.exc_value, f"luồng {name}")
        previous_thread(args)
    threading.excepthook = thread_excepthook
