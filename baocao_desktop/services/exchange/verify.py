"""Verifying transfer files off the importing thread: local copies are read and verified in worker
processes (spawned, safe from a GUI thread) for large batches, here for small ones, with the same verdict
either way. Also the read-ahead that keeps a few files in flight while the calling thread goes on."""
from __future__ import annotations

import collections
import logging
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from ...exchange.bundle import BundleContents, BundleError, read_bundle, reread
from ..errors import ServiceError

# Copying a file from the stick is I/O, which runs without the GIL: a few threads copy the next files while
# the calling thread goes on. Results come back in order; at most READ_AHEAD files are in flight.
READ_THREADS = 2
READ_AHEAD = 8
# An import hands files to the worker processes this many at a time: each hand-over costs the importing
# process ~0.3 ms of queue traffic whatever the file, so one per file added ~1.5 s to 5,200 files.
FILES_PER_TASK = 4
# ... and keeps this many files verified ahead of the one it writes (~3 MB of contents): the importing thread
# pauses every half second to check and commit a part (~0.1 s), and with only a few files ahead the worker
# then idled, which left a third of the second core unused (bench/exchange.py).
VERIFY_AHEAD = 32
# Verifying a file is half Python (canonical JSON, rows as dicts), so threads would only fight over the
# GIL with the thread writing the database: from this many files on, other processes verify them
# (100 units × 52 weekly files: 39 s → 27 s on two cores, bench/exchange.py). Below it, starting the
# processes (~0.3 s) would cost more than it saves.
PROCESS_MIN_FILES = 24
PROCESS_WORKERS = 2


def read_ahead(items: list, start: Callable[[object], Future], ahead: int = READ_AHEAD):
    """Yield (item, future) in order, calling `start(item)` (which submits the work and returns its
    future) up to `ahead` items ahead. Leaving the loop early (cancel, error) drops nothing already
    started: the caller's pool waits for the few running."""
    pending: collections.deque = collections.deque()
    upcoming = iter(items)
    for item in upcoming:
        pending.append((item, start(item)))
        if len(pending) >= ahead:
            break
    while pending:
        item, future = pending.popleft()
        following = next(upcoming, _NOTHING)
        if following is not _NOTHING:
            pending.append((following, start(following)))
        yield item, future


_NOTHING = object()


def done_future(fn, *args) -> Future:
    """Run `fn` here and now, as a finished future (what `start` returns when no pool is used)."""
    future: Future = Future()
    try:
        future.set_result(fn(*args))
    except BaseException as exc:  # re-raised by future.result(), where a pool's error would be
        future.set_exception(exc)
    return future


class Verifier:
    """Reads and verifies local copies of transfer files in worker processes (spawned, see spawn_context:
    safe from a GUI thread), or here for small batches. Only the reading moves: each result is checked
    the same way, and a refusal comes back as the same BundleError. A pool that cannot start or fails
    leaves the rest to this process: slower, never a different verdict."""

    def __init__(self, count: int):
        self.pool = None
        self._lock = threading.Lock()  # the copy threads of prepare_import submit concurrently
        # BAOCAO_IMPORT_PROCESSES: "0" never (diagnosis); "always" from the first file; "require" from the
        # first file and a failed pool is an error, not a fallback (the installer's smoke test: workers
        # must start under the Windows launcher)
        mode = os.environ.get("BAOCAO_IMPORT_PROCESSES", "")
        minimum = 1 if mode in ("always", "require") else PROCESS_MIN_FILES
        cores = os.cpu_count() or 1
        if count >= minimum and mode != "0" and (cores >= 2 or minimum == 1):
            try:
                self.pool = ProcessPoolExecutor(max_workers=min(PROCESS_WORKERS, max(1, cores - 1)),
                                                mp_context=spawn_context())
            except (OSError, ValueError, RuntimeError, NotImplementedError) as exc:
                pool_failed(exc)

    def submit(self, fn, *args):
        """A future-like object for fn(*args): run by a worker, or here when there is no pool."""
        with self._lock:
            pool = self.pool
        if pool is not None:
            try:
                return _Fallback(pool.submit(fn, *args), fn, args)
            except (BrokenProcessPool, RuntimeError, OSError) as exc:
                pool_failed(exc)
                self.close()
        return done_future(fn, *args)

    def close(self) -> None:
        with self._lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Fallback:
    """A pool's future whose work is done here if the pool failed it (a worker killed, spawn refused)."""

    def __init__(self, future: Future, fn, args):
        self.future, self.fn, self.args = future, fn, args

    def result(self):
        try:
            return self.future.result()
        except BundleError:
            raise
        except Exception as exc:  # BrokenProcessPool, or anything the worker could not send back
            pool_failed(exc)
            return self.fn(*self.args)


def pool_failed(exc: BaseException) -> None:
    """The worker processes could not start or answer: logged, and the importing process verifies the
    rest; an error instead under BAOCAO_IMPORT_PROCESSES=require."""
    if os.environ.get("BAOCAO_IMPORT_PROCESSES") == "require":
        raise ServiceError(f"Không chạy được tiến trình phụ để kiểm tra tệp ({type(exc).__name__}: {exc}).")
    logging.getLogger(__name__).warning("import: verifying in worker processes failed (%s: %s); verifying "
                                        "in the importing process", type(exc).__name__, exc)


def read_verified(path: Path, latest: int, sha256: str, sender=None) -> BundleContents:
    """read_bundle as a worker runs it: the result travels back with each report once, as contents.
    `sender` (classify.SenderGate) refuses a sender not accepted here before any row is read."""
    return read_bundle(path, latest, sha256, sender).without_report_rows()


def reread_verified(path: Path, sha256: str, payload_hash: str) -> BundleContents:
    return reread(path, sha256, payload_hash).without_report_rows()


def verify_each(calls: list[tuple]) -> list:
    """Several (read_verified or reread_verified, args) in one task, in order: each file's contents, or the
    BundleError that refuses it (returned, not raised: the other files of the task are still verified)."""
    results = []
    for fn, args in calls:
        try:
            results.append(fn(*args))
        except BundleError as exc:
            results.append(exc)
    return results


def spawn_context():
    """multiprocessing's spawn context with the interpreter a worker must run. Installed on Windows,
    sys.executable is the launcher (BaoCao.exe runs the embedded CPython with `-m baocao_desktop`), which
    would start the app again instead of a worker; the embedded pythonw.exe beside it is the interpreter
    (same python311._pth, so the same packages, and no console window)."""
    context = multiprocessing.get_context("spawn")
    launcher = Path(sys.executable)
    if os.name == "nt" and launcher.stem.lower() in ("baocao", "baocao-cmd"):
        interpreter = launcher.with_name("pythonw.exe")
        if interpreter.is_file():
            context.set_executable(str(interpreter))
    return context
