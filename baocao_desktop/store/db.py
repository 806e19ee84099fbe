"""The local SQLite file: opening, numbered migrations, transactions, ids, timestamps and the revision log.

All SQL of the app lives in store/: this file and one query module per thing stored (units.py,
reports.py, values.py, texts.py, cells.py, templates.py ...), plain functions taking the Store. The
services open the transactions and call them.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from importlib import resources as importlib_resources
from pathlib import Path
from ..domain.error_text import os_error_text, sqlite_error_text
from ..domain.errors import UserError

MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Consecutive saves of one field by one person within this window are one revision, so that
# typing a paragraph does not log every debounced save.
REVISION_COALESCE_SECONDS = 600


# How long a writer waits for another program's write (a batch import, a second window) before giving
# up with StoreBusy. It tries again meanwhile after a pause growing from 1 ms to RETRY_MAX_PAUSE: short,
# so that it gets in during the brief gap a long writer leaves between two parts (commit_chunk).
# (SQLite's own busy handler polls only every 100 ms after a while and would miss such gaps.)
WRITE_WAIT_SECONDS = 5.0
RETRY_MAX_PAUSE = 0.008
CHUNK_GAP_SECONDS = 0.02  # commit_chunk leaves the lock free this long: longer than RETRY_MAX_PAUSE
BUSY_MESSAGE = "Dữ liệu đang bận (một chương trình khác đang ghi). Hãy thử lại sau ít phút."


def _log_detail(what: str, exc: BaseException) -> None:
    """SQLite's or the system's own (English) text, for the bug log only; the user gets Vietnamese."""
    import logging
    logger = logging.getLogger("baocao_desktop.store")
    if logger.hasHandlers():  # else Python would print it on stderr, in English, to the user
        logger.warning("%s: %r", what, exc)


class StoreError(UserError):
    """The database cannot be used; the message is Vietnamese and says what to do."""


class StoreBusy(StoreError):
    """Another connection held the write lock for longer than this writer waits; nothing was written."""

    def __init__(self, message: str = BUSY_MESSAGE):
        super().__init__(message)


def is_busy(exc: BaseException) -> bool:
    """SQLite said the database is locked by another writer (SQLITE_BUSY / SQLITE_LOCKED)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def new_id() -> str:
    """The id of something people may name by its first characters (a report, a version on the command
    line): random, so that a short prefix picks one."""
    return str(uuid.uuid4())


# Rows written in bulk (a received report's ~120 figures and texts) get time-ordered UUIDs (RFC 9562
# version 7: 48 bits of Unix milliseconds, a 12-bit counter, 62 random bits), increasing one after the
# other, so that a table's id index grows at its end. With random ids every insert lands on a random
# page: importing a year of weekly reports (~600,000 rows) spent half its writing time there. The
# counter keeps ids increasing within this process even for thousands made in one millisecond.
_id_lock = threading.Lock()
_id_clock = 0  # (milliseconds << 12 | counter) of the last id made


def sequential_ids(count: int) -> list[str]:
    global _id_clock
    with _id_lock:
        first = max((time.time_ns() // 1_000_000) << 12, _id_clock + 1)
        _id_clock = first + count - 1
    random_bits = os.urandom(8 * count)
    ids = []
    for n in range(count):
        tick = first + n
        # the two 64-bit halves formatted apart: an import makes ~130 ids a report
        high = ((tick >> 12) << 16) | (0x7 << 12) | (tick & 0xFFF)
        low = (int.from_bytes(random_bits[8 * n:8 * n + 8], "big") & 0x3FFF_FFFF_FFFF_FFFF) | (0b10 << 62)
        h = f"{high:016x}{low:016x}"
        ids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return ids


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every shipped migration, in order."""
    folder = importlib_resources.files(__package__) / "migrations"
    found = []
    for entry in folder.iterdir():
        match = MIGRATION_RE.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (number, name, _) in enumerate(found, start=1):
        if number != expected:
            raise RuntimeError(f"migration numbering has a gap at {name}")
    return found


def latest_schema_version() -> int:
    return migrations()[-1][0]


_schema_memo: dict[int, dict[str, tuple[str, str, str | None]]] = {}


def schema_objects(version: int) -> dict[str, tuple[str, str, str | None]]:
    """name → (type, table, CREATE text) of every object a database has at schema `version`, as the numbered
    migrations make it (built once per version in memory). A file from outside is compared with this
    before any statement of its own schema can run (exchange/bundle.py)."""
    found = _schema_memo.get(version)
    if found is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            for number, _name, sql in migrations():
                if number <= version:
                    conn.executescript(f"BEGIN;\n{sql}\nCOMMIT;")
            found = {name: (kind, table, sql) for kind, name, table, sql in
                     conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")}
        finally:
            conn.close()
        _schema_memo[version] = found
    return found


def sqlite_utils_database(conn):
    """sqlite_utils.Database over `conn`. sqlite-utils imports numpy and pandas when they are installed
    (matplotlib brings numpy) only to map their types, which we never store: hide them during its
    import so the first save does not pay ~100 ms for numpy (and numpy 2 aborts under wine)."""
    import sys
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # makes `import numpy` raise ImportError, as if not installed
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]
    return sqlite_utils.Database(conn)


class Store:
    """One database file. All writes go through `transaction()`."""

    def __init__(self, path: Path | str, upto: int | None = None):
        self.path = Path(path)
        created = False
        if str(path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                _log_detail(f"creating the folder of {self.path}", exc)
                raise StoreError(f"Không mở được cơ sở dữ liệu: {os_error_text(exc, self.path.parent)}") from None
            created = not self.path.exists()
        try:
            conn = sqlite3.connect(str(self.path), timeout=WRITE_WAIT_SECONDS, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if str(path) != ":memory:":
                ok = conn.execute("PRAGMA quick_check").fetchone()[0]
                if ok != "ok":
                    raise sqlite3.DatabaseError(ok)
        except sqlite3.DatabaseError as exc:
            _log_detail(f"opening {self.path}", exc)
            if is_busy(exc):
                raise StoreBusy() from None
            if isinstance(exc, sqlite3.OperationalError) and "unable to open" in str(exc).lower():
                raise StoreError(f"Không mở được cơ sở dữ liệu “{self.path}”: thư mục không có, không có quyền, "
                                 "hoặc tệp đang bị chương trình khác khóa. Tệp (nếu có) được giữ nguyên.") from None
            raise StoreError(
                f"Không mở được cơ sở dữ liệu “{self.path}”: tệp bị hỏng hoặc không phải cơ sở dữ liệu "
                "BaoCao. Tệp được giữ nguyên; hãy chọn tệp khác hoặc khôi phục bản sao lưu."
            ) from None
        latest = latest_schema_version()
        if version > latest:
            conn.close()
            raise StoreError(
                f"Cơ sở dữ liệu “{self.path.name}” được tạo bởi phiên bản BaoCao mới hơn (lược đồ {version}, "
                f"phiên bản này hiểu đến {latest}). Hãy cập nhật chương trình."
            )
        self.conn = conn
        if created:
            self.restrict_to_owner()
        self._db = None
        self._after_commit: list = []
        self.write_wait = WRITE_WAIT_SECONDS
        try:
            if str(path) != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            # up to 64 MB of pages kept (SQLite's default is 2 MB): the upper level's database grows by ~150 KB
            # a received report, and an import writes each report's rows into indexes keyed by the sender's
            # random report ids; with the default cache a year's import re-read most index pages from disk
            # (bench/exchange.py: ~20% of the import's CPU). A commune's small database never fills it.
            conn.execute("PRAGMA cache_size = -65536")
            self._migrate(upto if upto is not None else latest)
        except sqlite3.OperationalError as exc:
            conn.close()
            if is_busy(exc):
                raise StoreBusy() from None
            if not any(word in str(exc).lower() for word in ("readonly", "full", "i/o", "unable to open")):
                raise  # a bug (a migration's SQL): logged and reported as one
            _log_detail(f"preparing {self.path}", exc)
            raise StoreError(f"Không mở được cơ sở dữ liệu “{self.path.name}”: "
                             f"{sqlite_error_text(exc)} Tệp được giữ nguyên.") from None

    def restrict_to_owner(self) -> None:
        """The database file readable and writable by its user only (POSIX: 0600; SQLite gives its -wal and
        -shm files the same mode). Windows: a file under the user's profile is already the user's alone."""
        if os.name == "posix" and str(self.path) != ":memory:":
            try:
                os.chmod(self.path, 0o600)
            except OSError:
                pass  # not the owner (a shared copy): nothing this program may change

    @property
    def db(self):
        """sqlite-utils over the same connection, imported on the first write: it costs ~100 ms of
        start-up (click, pluggy, dateutil) that opening the app read-only does not need."""
        if self._db is None:
            self._db = sqlite_utils_database(self.conn)
        return self._db

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self, target: int) -> None:
        current = self.schema_version
        for number, _name, sql in migrations():
            if current < number <= target:
                # executescript commits on its own; wrap in an explicit transaction for atomicity. Foreign keys
                # are off meanwhile (SQLite's procedure for rebuilding a table that others refer to, e.g. 0008):
                # a migration keeps the ids, so the references hold again when it commits.
                self.conn.execute("PRAGMA foreign_keys = OFF")
                try:
                    self.conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
                finally:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    self.conn.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def waiting_at_most(self, seconds: float):
        """Writes in this block wait at most `seconds` for another writer, then raise StoreBusy. The editor
        saves on the GUI thread: it waits briefly and retries later instead of freezing the window."""
        before = self.write_wait
        self._set_write_wait(seconds)
        try:
            yield
        finally:
            self._set_write_wait(before)

    def _set_write_wait(self, seconds: float) -> None:
        self.write_wait = seconds
        self.conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    @contextmanager
    def transaction(self):
        """One write transaction; inside another, part of it (the outermost commits or rolls back). Waits up
        to `write_wait` seconds for another program's write to end; StoreBusy (nothing written) after that."""
        if self.conn.in_transaction:
            yield self.db
            return
        self._begin()
        try:
            yield self.db
        except BaseException as exc:
            if self.conn.in_transaction:  # commit_chunk may have failed to begin the next part
                self.conn.execute("ROLLBACK")
            self._after_commit.clear()
            if is_busy(exc):
                raise StoreBusy() from None
            raise
        else:
            self.conn.execute("COMMIT")
            callbacks, self._after_commit = self._after_commit, []
            for _key, callback in callbacks:
                callback()

    def commit_chunk(self) -> None:
        """Inside a long transaction (a batch import): commit what is done so far (its after-commit callbacks
        run) and begin the next part, so that another writer (the editor's autosave) waits for one part,
        never for the whole batch. The caller must be between two complete units of work."""
        if not self.conn.in_transaction:
            return
        self.conn.execute("COMMIT")
        callbacks, self._after_commit = self._after_commit, []
        for _key, callback in callbacks:
            callback()
        time.sleep(CHUNK_GAP_SECONDS)  # a writer waiting in _begin gets in now
        self._begin()

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, trying again with a growing pause (up to RETRY_MAX_PAUSE) while another
        connection writes, for at most `write_wait` seconds; then StoreBusy. (Other statements keep SQLite's
        own busy handler with the same limit.)"""
        deadline = time.monotonic() + self.write_wait
        pause = 0.001
        self.conn.execute("PRAGMA busy_timeout = 0")  # the retries below, not SQLite's slower polling
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not is_busy(exc):
                        raise
                if time.monotonic() + pause > deadline:
                    raise StoreBusy() from None
                time.sleep(pause)
                pause = min(pause * 2, RETRY_MAX_PAUSE)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {max(0, int(self.write_wait * 1000))}")

    def after_commit(self, callback, key=None) -> None:
        """Run `callback` once the current transaction commits (at once outside one); never if it rolls
        back. A callback whose `key` is already waiting is dropped. Services announce their changes this
        way, so a failed edit announces nothing."""
        if not self.conn.in_transaction:
            callback()
        elif key is None or key not in {k for k, _ in self._after_commit}:
            self._after_commit.append((key, callback))

    def close(self) -> None:
        self.conn.close()

    # -- settings -------------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db["settings"].upsert({"key": key, "value": value}, pk="key")

    # -- revision log ---------------------------------------------------------------------------
    def log_revision(self, report_id: str | None, entity: str, entity_key: str,
                     old: str | None, new: str | None, author: str, coalesce: bool = True) -> None:
        """Record who changed what, when, old → new; consecutive saves of one field coalesce
        (typing), unless `coalesce` is False (status changes, reasons: every step is kept)."""
        if old == new:
            return
        at = now_iso()
        row = None if not coalesce else self.conn.execute(
            "SELECT id, old, author, at FROM revisions WHERE report_id IS ? AND entity = ? AND entity_key = ? "
            "ORDER BY at DESC, rowid DESC LIMIT 1",
            (report_id, entity, entity_key),
        ).fetchone()
        if row and row[2] == author:
            age = dt.datetime.fromisoformat(at) - dt.datetime.fromisoformat(row[3])
            if age.total_seconds() < REVISION_COALESCE_SECONDS:
                if row[1] == new:  # edited back to where it started: nothing changed after all
                    self.conn.execute("DELETE FROM revisions WHERE id = ?", (row[0],))
                else:
                    self.conn.execute("UPDATE revisions SET new = ?, at = ? WHERE id = ?", (new, at, row[0]))
                return
        self.db["revisions"].insert({
            "id": new_id(), "report_id": report_id, "entity": entity, "entity_key": entity_key,
            "old": old, "new": new, "author": author, "at": at,
        })
