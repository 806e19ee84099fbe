"""Proofreading off the UI thread: what makes “Đang soát lỗi…” appear in the checks panel while the user
goes on typing.

The mechanism (a QRunnable on the global thread pool and one signal carrier for every job's result) is
kept as it was, behind `Proofreader` (start / cancel / running / `finished`), so that it can move onto the
general task runner (ui/tasks.py) without touching the editor.
"""
from __future__ import annotations

import gc
import itertools
import sys

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

# While the proofreader holds the GIL, every Python slot a keystroke calls (several per key) waits for it:
# up to Python's switch interval (5 ms) each, plus the OS handing over the core. A shorter interval while
# a job runs keeps keys at about a millisecond (bench/editor_typing.py); it costs nothing when the UI thread
# is idle, as nobody then asks for the GIL.
WORKER_SWITCH_INTERVAL = 0.0005  # seconds; None leaves Python's default


class _ProofreadSignals(QObject):
    done = Signal(object, object)  # token, list[Finding] (or the exception the proofreader raised)


_proofread_signals: _ProofreadSignals | None = None
_tokens = itertools.count(1)


def proofread_signals() -> _ProofreadSignals:
    """One carrier for every job's result, made on the UI thread and never deleted: a job holds no QObject
    that its worker thread could end up destroying."""
    global _proofread_signals
    if _proofread_signals is None:
        _proofread_signals = _ProofreadSignals()
    return _proofread_signals


class _ProofreadRunnable(QRunnable):
    """Runs a services.proofread_job.ProofreadJob (plain data, no database) on the thread pool."""

    def __init__(self, token: int, job, scans: dict):
        super().__init__()
        self.token, self.job, self.scans = token, job, scans

    def run(self) -> None:
        # Automatic cyclic garbage collection is paused (for the whole process) while the job runs: the
        # job allocates a lot, so a collection would likely start on this thread and could free a forgotten
        # Qt widget's wrapper here, and Qt widgets may only be destroyed on the UI thread.
        collecting = gc.isenabled()
        gc.disable()
        interval = sys.getswitchinterval()
        if WORKER_SWITCH_INTERVAL:
            sys.setswitchinterval(min(interval, WORKER_SWITCH_INTERVAL))
        try:
            result = self.job.run(self.scans)
        except Exception as exc:  # shown as a notice; a fault in one check must not lose the figures' checks
            result = exc
        finally:
            sys.setswitchinterval(interval)
            if collecting:
                gc.enable()
        proofread_signals().done.emit(self.token, result)


class Proofreader(QObject):
    """Runs one proofreading job at a time for one editor; `finished` carries the job's result (a list of
    findings, or the exception the proofreader raised) on the UI thread. A cancelled job's result is
    ignored. `scans` (paragraph readings kept between jobs) is touched by one job at a time."""

    finished = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._token = 0  # the job whose result is awaited (0: none)
        self.scans: dict = {}
        proofread_signals().done.connect(self._on_done)

    @property
    def running(self) -> bool:
        return bool(self._token)

    def start(self, job) -> None:
        self._token = next(_tokens)
        QThreadPool.globalInstance().start(_ProofreadRunnable(self._token, job, self.scans))

    def run_now(self, job):
        """Run a job on this thread (a running job's result will be dropped); raises what the job raises."""
        self.cancel()
        try:
            return job.run()
        except Exception:
            self.scans = {}
            raise

    def cancel(self) -> None:
        self._token = 0
        self.scans = {}  # a job still running keeps the old dict to itself

    def _on_done(self, token: int, result) -> None:
        if token != self._token:
            return  # another editor's job, or one cancelled
        self._token = 0
        if isinstance(result, Exception):
            self.scans = {}
        self.finished.emit(result)
