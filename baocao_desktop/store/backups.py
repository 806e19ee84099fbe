"""The SQL of backups: copying a database file with SQLite's online backup API, checking a copy
(`PRAGMA integrity_check`) and reading what a backup holds. services/backup.py decides when and where."""
from __future__ import annotations

import sqlite3
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
MADE_AT_KEY = "backup.made_at"  # stored in the copy: when it was made (a USB copy keeps no file time)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                           check_same_thread=False)


def copy_database(source: Path, target: Path, made_at: str | None = None, progress=None) -> None:
    """A consistent copy of the database `source` (open elsewhere or not) into the new file `target`,
    with `made_at` stored in the copy. `progress(done_pages, total_pages)` is called as it goes."""
    src = _read_only(source)
    try:
        dst = sqlite3.connect(str(target), isolation_level=None)
        try:
            def step(_status, remaining, total):
                if progress is not None:
                    progress(total - remaining, total)
            src.backup(dst, pages=256, progress=step)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            if made_at is not None:
                has_settings = dst.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").fetchone()
                if has_settings:
                    dst.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (MADE_AT_KEY, made_at))
        finally:
            dst.close()
    finally:
        src.close()


def integrity_problem(path: Path) -> str | None:
    """None when `PRAGMA integrity_check` finds the file sound, else SQLite's (technical) first complaint."""
    conn = _read_only(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return None if result == "ok" else str(result)


def summary(path: Path) -> dict:
    """What a BaoCao database holds: schema version, tables present, the own unit's name, the number of
    (not deleted) own reports, the newest report's period end and report date, when the backup was made.
    Raises sqlite3.DatabaseError for a file SQLite cannot read."""
    conn = _read_only(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        found = {"schema_version": version, "tables": tables, "unit": None, "reports": 0,
                 "newest_period_end": None, "newest_report_date": None, "made_at": None}
        if {"units", "reports"} <= tables:
            row = conn.execute("SELECT id, name FROM units WHERE is_self = 1 AND deleted_at IS NULL").fetchone()
            if row:
                found["unit"] = row[1]
                count, newest_end, newest_date = conn.execute(
                    "SELECT COUNT(*), MAX(period_end), MAX(report_date) FROM reports "
                    "WHERE unit_id = ? AND deleted_at IS NULL", (row[0],)).fetchone()
                found.update(reports=count, newest_period_end=newest_end, newest_report_date=newest_date)
        if "settings" in tables:
            made = conn.execute("SELECT value FROM settings WHERE key = ?", (MADE_AT_KEY,)).fetchone()
            found["made_at"] = made[0] if made else None
        return found
    finally:
        conn.close()
