"""The one task runner for slow work (export, PDF, send, receive, proofreading…), after Anki's taskman.

`run_task(work, ...)` runs the plain-Python function `work(control)` on a worker thread and calls back on
the UI thread: `on_success(result)`, `on_failure(Failure)` (default: the error dialog of ui/errors.py;
a UserError shows its message, a bug is logged and shown as "Lỗi chương trình"), `on_progress(done,
total, text)` (coalesced: a burst of reports shows the latest), `on_cancelled(error)`, then `on_finished()`.

`control` (a TaskControl) is how the work reports progress and learns it was cancelled: `report(...)`,
`cancelled`, `check()` (raises Cancelled); it is also Event-like (`is_set()`), so it can be passed as the
`cancel` argument of the services. A `key` makes runs "latest wins": starting a run cancels the earlier
run of the same key and drops its result when it comes, and `drop(key)` drops the running one without
a successor (the editor's proofreading); `task.token` numbers runs. Callbacks are dropped when their
`owner` widget has been deleted.

Qt objects may only be destroyed on the UI thread, and a garbage collection that starts on a worker
could free a forgotten widget's wrapper there: work that allocates much asks for `collect_garbage`
(collect on the UI thread first) or `pause_gc` (no automatic collection while it runs; for short work).

The work must not touch widgets nor the UI thread's SQLite connection: `in_own_workspace(...)` wraps a
function of a Workspace of its own, opened on the same file for the time of the work.
"""
from __future__ import annotations

import gc
import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from ..domain.errors import UserError
from .errors import Failure, failure_of, show_failure

MAX_WORKERS = 4


class Cancelled(UserError):
    """Raised by `TaskControl.check()` once the user cancelled."""

    def __init__(self, message: str = "Đã hủy theo yêu cầu; dữ liệu không thay đổi.", *args, hint: str = ""):
        super().__init__(message, *args, hint=hint)


class TaskControl:
    """Given to the work function: progress reports out, the cancel request in."""

    def __init__(self, task: "Task"):
        self._task = task
        self._cancel = threading.Event()

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        self._task._progressed(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_set(self) -> bool:  # Event-like: services take `cancel=control`
        return self._cancel.is_set()

    def set(self) -> None:
        """Event-like: cancelling from the work's side is the same as Task.cancel()."""
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class Task:
    """One run: cancel it, wait for its work to return; `token` grows with every run."""

    def __init__(self, runner: "TaskRunner", work, key: str | None, token: int, owner, callbacks: dict):
        self.runner, self.work, self.key, self.token, self.owner = runner, work, key, token, owner
        self.callbacks = callbacks
        self.control = TaskControl(self)
        self.state = "running"  # → done | failed | cancelled | dropped (stale or owner gone)
        self._returned = threading.Event()
        self._progress_lock = threading.Lock()
        self._progress: tuple | None = None  # the latest report not yet shown

    def cancel(self) -> None:
        self.control._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self.control.cancelled

    @property
    def running(self) -> bool:
        return self.state == "running"

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work function has returned (its result may still be on its way to the UI)."""
        return self._returned.wait(timeout)

    def _progressed(self, done: int, total: int, text: str) -> None:
        with self._progress_lock:
            pending = self._progress is not None
            self._progress = (done, total, text)
        if not pending:
            self.runner._post(self._show_progress)

    def _show_progress(self) -> None:
        with self._progress_lock:
            report, self._progress = self._progress, None
        callback = self.callbacks.get("on_progress")
        if report is not None and callback is not None and self.running and self.runner._wanted(self):
            callback(*report)


_gc_lock = threading.Lock()
_gc_pauses = 0  # runs that asked for no automatic collection; the collector restarts when none is left
_gc_was_enabled = True


def _pause_gc() -> None:
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1


def _resume_gc() -> None:
    global _gc_pauses
    with _gc_lock:
        _gc_pauses -= 1
        if _gc_pauses == 0 and _gc_was_enabled:
            gc.enable()


class TaskRunner(QObject):
    """Lives on the UI thread; workers hand it closures to run there (a queued signal)."""

    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None, max_workers: int = MAX_WORKERS):
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers, thread_name_prefix="baocao-task")
        self._tokens = itertools.count(1)
        self._latest: dict[str, Task] = {}
        self._deliver.connect(self._call, Qt.ConnectionType.QueuedConnection)

    def run(self, work: Callable[[TaskControl], Any], *, on_success=None, on_failure=None, on_progress=None,
            on_cancelled=None, on_finished=None, owner: QObject | None = None, key: str | None = None,
            title: str = "Không thực hiện được", what: str = "", collect_garbage: bool = False,
            pause_gc: bool = False) -> Task:
        """Start `work(control)` on a worker. `title` heads the default error dialog; `what` names the work
        in the bug log. `collect_garbage` runs Python's collector here first; `pause_gc` stops automatic
        collection while the work runs (see the module docstring)."""
        if collect_garbage:
            gc.collect()
        callbacks = {"on_success": on_success, "on_failure": on_failure, "on_progress": on_progress,
                     "on_cancelled": on_cancelled, "on_finished": on_finished, "title": title, "what": what,
                     "pause_gc": pause_gc}
        task = Task(self, work, key, next(self._tokens), owner, callbacks)
        if key is not None:
            previous = self._latest.get(key)
            if previous is not None:
                previous.cancel()
            self._latest[key] = task
        self._executor.submit(self._execute, task)
        return task

    def is_latest(self, task: Task) -> bool:
        return task.key is None or self._latest.get(task.key) is task

    def drop(self, key: str) -> None:
        """Cancel the run of `key` and drop its result when it comes (nothing is called back)."""
        task = self._latest.pop(key, None)
        if task is not None:
            task.cancel()

    # -- worker side --------------------------------------------------------------------------------------
    def _execute(self, task: Task) -> None:
        paused = task.callbacks["pause_gc"]
        if paused:
            _pause_gc()
        try:
            result = task.work(task.control)
        except Cancelled as exc:
            outcome = ("cancelled", exc)
        except UserError as exc:
            # a service's own "cancelled" refusal (exchange.Cancelled) after the user asked for it
            outcome = ("cancelled", exc) if task.cancelled else ("failed", failure_of(exc))
        except Exception as exc:  # noqa: BLE001 (a bug: logged here, with its traceback, and said as such)
            outcome = ("failed", failure_of(exc, task.callbacks["what"] or getattr(task.work, "__name__", "")))
        else:
            outcome = ("done", result)
        finally:
            if paused:
                _resume_gc()
            task._returned.set()
        self._post(lambda: self._finish(task, *outcome))

    def _post(self, closure: Callable[[], None]) -> None:
        self._deliver.emit(closure)

    # -- UI side ------------------------------------------------------------------------------------------
    @staticmethod
    def _call(closure) -> None:
        closure()

    def _wanted(self, task: Task) -> bool:
        """Stale runs of a key and runs whose owner was deleted call nothing back."""
        if not self.is_latest(task):
            return False
        if task.owner is not None:
            from shiboken6 import isValid
            return isValid(task.owner)
        return True

    def _finish(self, task: Task, state: str, value) -> None:
        wanted = self._wanted(task)
        if task.key is not None and self._latest.get(task.key) is task:
            del self._latest[task.key]
        if not wanted:
            task.state = "dropped"
            return
        task._show_progress()  # a last report still queued comes before the result
        task.state = state
        callbacks = task.callbacks
        try:
            if state == "done":
                if callbacks["on_success"] is not None:
                    callbacks["on_success"](value)
            elif state == "cancelled":
                if callbacks["on_cancelled"] is not None:
                    callbacks["on_cancelled"](value)
            elif callbacks["on_failure"] is not None:
                callbacks["on_failure"](value)
            else:
                parent = task.owner if task.owner is not None and task.owner.isWidgetType() else None
                show_failure(parent, callbacks["title"], value, wait=False)
        finally:
            if callbacks["on_finished"] is not None:
                callbacks["on_finished"]()

    def shutdown(self) -> None:
        """Cancel every run and wait for the workers (application exit)."""
        for task in list(self._latest.values()):
            task.cancel()
        self._executor.shutdown(wait=True, cancel_futures=True)


_runner: TaskRunner | None = None


def runner() -> TaskRunner:
    """The application's runner (created on first use, on the UI thread; owned by the application)."""
    global _runner
    from shiboken6 import isValid
    app = QCoreApplication.instance()
    if _runner is None or not isValid(_runner) or _runner.parent() is not app:
        _runner = TaskRunner(app)
    return _runner


def run_task(work: Callable[[TaskControl], Any], **options) -> Task:
    """`runner().run(...)`: see TaskRunner.run."""
    return runner().run(work, **options)


def in_own_workspace(workspace, work: Callable[[Any, TaskControl], Any]) -> Callable[[TaskControl], Any]:
    """`work(ws, control)` on a Workspace of its own, opened on `workspace`'s file: one SQLite connection
    must never be used by two threads, so the worker opens its own and closes it when done."""
    path, author = workspace.path, workspace.author

    def run(control: TaskControl):
        from ..services.workspace import Workspace
        own = Workspace(path, author=author)
        try:
            return work(own, control)
        finally:
            own.close()
    run.__name__ = getattr(work, "__name__", "work")
    return run


__all__ = ["Cancelled", "Failure", "Task", "TaskControl", "TaskRunner", "in_own_workspace", "run_task", "runner"]
