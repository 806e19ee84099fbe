"""Proofreading off the UI thread: what makes “Đang soát lỗi…” appear in the checks panel while the user
goes on typing.

One editor's jobs run on the application's task runner (ui/tasks.py) under one key, so a newer job
cancels the older one and a stale result is dropped (latest wins). `Proofreader` keeps the editor's side
small: start / run_now / cancel / running, and `finished` with the findings or the `Failure` (a bug in
the proofreader is logged like any other, and the figures' checks go on).
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ...services.proofread_job import report_proofreader
from ..tasks import runner

# While the proofreader holds the GIL, every Python slot a keystroke calls (several per key) waits for it:
# up to Python's switch interval (5 ms) each, plus the OS handing over the core. A shorter interval while
# a job runs keeps keys at about a millisecond (bench/editor_typing.py); it costs nothing when the UI thread
# is idle, as nobody then asks for the GIL.
WORKER_SWITCH_INTERVAL = 0.0005  # seconds; None leaves Python's default


class Proofreader(QObject):
    """Runs one proofreading job at a time for one editor; `finished` carries the job's findings, or the
    `Failure` that says why it failed, on the UI thread. A cancelled job's result is ignored. `memory` (the
    report's incremental proofreader, which keeps what each paragraph gave between jobs) is used by one job
    at a time: a cancelled job that may still run keeps the old one, and the next job starts afresh."""

    finished = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._key = f"proofread:{id(self)}"
        self._task = None
        self.memory = report_proofreader()

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self, job) -> None:
        memory = self.memory

        def work(_control):
            interval = sys.getswitchinterval()
            if WORKER_SWITCH_INTERVAL:
                sys.setswitchinterval(min(interval, WORKER_SWITCH_INTERVAL))
            try:
                return job.run(memory)
            finally:
                sys.setswitchinterval(interval)

        # pause_gc: the job allocates a lot, so a collection would likely start on the worker and could free
        # a forgotten widget's wrapper there; Qt widgets may only be destroyed on the UI thread.
        self._task = runner().run(work, key=self._key, owner=self, pause_gc=True, what="soát lỗi nội dung",
                                  on_success=self._done, on_failure=self._failed)

    def run_now(self, job):
        """Run a job on this thread (a running job's result will be dropped); raises what the job raises."""
        self.cancel()
        try:
            return job.run(self.memory)
        except Exception:
            self.memory = report_proofreader()
            raise

    def cancel(self) -> None:
        if self._task is not None:
            runner().drop(self._key)
            self._task = None
            self.memory = report_proofreader()  # a job still running keeps the old one to itself

    def _done(self, findings) -> None:
        self._task = None
        self.finished.emit(findings)

    def _failed(self, failure) -> None:
        self._task = None
        self.memory = report_proofreader()
        self.finished.emit(failure)
