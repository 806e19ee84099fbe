"""One BaoCao window per database file (single-instance guard; no Qt here).

Two windows on the same database would each save every edit within a second and overwrite each
other's work (SQLite keeps the file intact, not the user's intent). The GUI takes an exclusive OS
lock on `<database>.lock` beside the file and holds it while it runs; a second window on the same
file is refused with a clear Vietnamese message (ui/instance_guard.py). The command line does not
take the lock: batch work beside an open window stays possible, as before.

The lock is an OS file lock (msvcrt.locking on Windows, fcntl.flock elsewhere), released by the OS
when the process ends, even after a crash or power cut: no stale lock ever blocks the user.
Where no lock file can be made (read-only folder, e.g. a write-protected USB stick), there is
no guard rather than a refusal.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


class DatabaseLock:
    """Held while the GUI has `db_path` open; `release()` (or process exit) frees it."""

    def __init__(self, db_path: Path, fd: int | None):
        self.db_path = Path(db_path)
        self.lock_path = lock_path(db_path)
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if sys.platform == "win32":
                import msvcrt
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            else:
                import fcntl
                fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:
            pass
        finally:
            os.close(fd)

    def __enter__(self) -> "DatabaseLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def lock_path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


def acquire(db_path: Path | str) -> DatabaseLock | None:
    """The lock for `db_path`, or None when another BaoCao window already holds it.
    A lock that cannot be made at all (read-only folder) is returned as an unheld DatabaseLock."""
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(str(path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return DatabaseLock(Path(db_path), None)
    try:
        if sys.platform == "win32":
            import msvcrt
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    try:  # for a person looking at the folder: who holds it
        os.ftruncate(fd, 0)
        os.write(fd, f"BaoCao pid {os.getpid()}\n".encode("ascii"))
    except OSError:
        pass
    return DatabaseLock(Path(db_path), fd)
