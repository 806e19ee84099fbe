"""Holding a database's write lock from another process (`BEGIN IMMEDIATE` in a child Python), as a batch
import or a second copy of the program does, for the tests of what writers do meanwhile."""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
print("released", flush=True)
"""


class WriteLock:
    def __init__(self, path: Path):
        self.process = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if line != "held":
            self.process.kill()
            raise RuntimeError(f"the lock holder did not start: {line!r}")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            assert self.process.stdout.readline().strip() == "released"
            self.process.wait(timeout=30)


@contextmanager
def write_lock_held(path: Path):
    """The write lock of the SQLite file at `path` is held by another process until the block ends (or
    `release()` is called on what it yields)."""
    lock = WriteLock(path)
    try:
        yield lock
    finally:
        lock.release()
