"""Backups of the database file: rolling copies the app keeps by itself (on close and once a day, the last
KEEP in `<folder of the database>/backups/`), a copy written where the user asks (a USB stick), and
restoring one (the current file is kept aside, renamed with the date, never deleted).

A backup is the database file copied with SQLite's online backup API (consistent even while the app
writes) and checked with `PRAGMA integrity_check`. It holds exactly what the database holds; the unit's
private key is not copied separately (issue 19 keeps it out of the database in clear).
No Qt here: the GUI (ui/backup_dialog.py) and the command line (`baocao backup …`) use these.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..domain.dates import format_date
from ..domain.error_text import os_error_text
from ..domain.errors import UserError
from ..store import backups as stored_backups
from ..store.db import latest_schema_version
from .paths import unused_path

KEEP = 10  # rolling backups kept beside the database
DAILY = dt.timedelta(hours=24)
FOLDER_NAME = "backups"
STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
SUFFIX = ".sqlite3"
_STAMP_RE = re.compile(r"-(\d{4}-\d{2}-\d{2}_\d{6})(?:-\d+)?\.sqlite3$")


class BackupError(UserError):
    """A backup cannot be made, read or restored; the message is Vietnamese and nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, read without opening it as the app's database."""
    path: Path
    made_at: dt.datetime | None
    unit: str | None
    reports: int
    newest_report: dt.date | None
    schema_version: int
    size: int

    def lines(self) -> list[str]:
        """What it holds, for a person (the restore dialog, `backup list`)."""
        made = self.made_at.strftime("%H:%M ngày %d/%m/%Y") if self.made_at else "không rõ"
        newest = format_date(self.newest_report) if self.newest_report else "chưa có báo cáo"
        return [f"Đơn vị: {self.unit or 'chưa thiết lập'}",
                f"Số báo cáo: {self.reports}",
                f"Báo cáo mới nhất: {newest}",
                f"Sao lưu lúc: {made}",
                f"Dung lượng: {self.size / 1_048_576:.1f} MB".replace(".", ",")]

    def as_json(self) -> dict:
        return {"file": str(self.path), "made_at": self.made_at.isoformat() if self.made_at else None,
                "unit": self.unit, "reports": self.reports,
                "newest_report": self.newest_report.isoformat() if self.newest_report else None,
                "schema_version": self.schema_version, "size": self.size}


def backup_folder(db_path: Path | str) -> Path:
    """Where the rolling backups of `db_path` are kept: `backups/` beside it (in the data folder)."""
    return Path(db_path).parent / FOLDER_NAME


def _stamp(now: dt.datetime) -> str:
    return now.strftime(STAMP_FORMAT)


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def create_backup(db_path: Path | str, out_dir: Path | str | None = None, progress=None,
                  now: dt.datetime | None = None) -> Path:
    """Copy the database into `out_dir` (default: its backups folder) as `<name>-<date_time>.sqlite3`, checked
    with integrity_check. `progress(done, total)` as pages are copied. BackupError (nothing left behind)
    when it cannot be made."""
    db_path = Path(db_path)
    now = now or _now()
    if not db_path.is_file():
        raise BackupError(f"Không có tệp dữ liệu “{db_path}” để sao lưu.")
    folder = Path(out_dir) if out_dir is not None else backup_folder(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(os_error_text(exc, folder)) from None
    if not folder.is_dir():
        raise BackupError(f"“{folder}” không phải là thư mục. Hãy chọn một thư mục để ghi bản sao lưu.")
    target = unused_path(folder, f"{db_path.stem}-{_stamp(now)}", SUFFIX)
    part = target.with_name(target.name + ".dang-ghi")
    try:
        stored_backups.copy_database(db_path, part, made_at=now.isoformat(timespec="seconds"), progress=progress)
        problem = stored_backups.integrity_problem(part)
        if problem is not None:
            _log(f"backup of {db_path} failed integrity_check: {problem}")
            raise BackupError(f"Bản sao lưu vừa ghi vào “{folder}” không đọc lại được (ổ đĩa hoặc USB có thể bị "
                              "lỗi). Hãy thử lại hoặc chọn nơi khác; dữ liệu đang dùng không thay đổi.")
        os.replace(part, target)
    except OSError as exc:
        _discard(part)
        raise BackupError(os_error_text(exc, folder) + " Chưa có bản sao lưu nào được ghi.") from None
    except sqlite3.Error as exc:
        _discard(part)
        _log(f"backup of {db_path} to {folder}: {exc!r}")
        if "full" in str(exc).lower():
            raise BackupError(f"Ổ đĩa đã đầy: không ghi được bản sao lưu vào “{folder}”. Hãy xóa bớt tệp hoặc "
                              "chọn nơi khác; dữ liệu đang dùng không thay đổi.") from None
        raise BackupError(f"Không sao lưu được tệp dữ liệu “{db_path.name}”: tệp đang bị hỏng hoặc không đọc "
                          "được. Dữ liệu đang dùng không thay đổi.") from None
    except BaseException:
        _discard(part)
        raise
    return target


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _log(text: str) -> None:
    """Technical detail for the bug log only, never for the user."""
    from . import logs
    try:
        logs.setup_logging()
        logs.log.warning(text)
    except OSError:
        pass


def list_backups(db_path: Path | str) -> list[Path]:
    """The rolling backups of `db_path`, newest first."""
    folder = backup_folder(db_path)
    stem = Path(db_path).stem
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{stem}-*{SUFFIX}") if _STAMP_RE.search(p.name)
             and p.name[:-len(_STAMP_RE.search(p.name).group(0))] == stem]
    return sorted(found, key=lambda p: (_STAMP_RE.search(p.name).group(1), p.stat().st_mtime), reverse=True)


def rolling_backup(db_path: Path | str, keep: int = KEEP, now: dt.datetime | None = None) -> Path:
    """One more rolling backup; only the newest `keep` are kept."""
    made = create_backup(db_path, now=now)
    for old in list_backups(db_path)[keep:]:
        _discard(old)
    return made


def backup_due(db_path: Path | str, now: dt.datetime | None = None) -> bool:
    """No rolling backup yet, or the newest is a day old."""
    existing = list_backups(db_path)
    if not existing:
        return True
    made = made_time(existing[0])
    return made is None or (now or _now()).replace(tzinfo=None) - made >= DAILY


def made_time(path: Path) -> dt.datetime | None:
    """When a rolling backup was made, read from its name (None for another name)."""
    match = _STAMP_RE.search(path.name)
    try:
        return dt.datetime.strptime(match.group(1), STAMP_FORMAT) if match else None
    except ValueError:
        return None


def _header_problem(path: Path) -> str | None:
    """A cheap look at the first 100 bytes: not SQLite at all, or cut short (copy interrupted)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return os_error_text(exc, path)
    if len(header) < 100 or not header.startswith(stored_backups.SQLITE_HEADER):
        return f"Tệp “{path.name}” không phải bản sao lưu BaoCao (không phải tệp dữ liệu SQLite)."
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if pages and size < page_size * pages:
        return (f"Tệp “{path.name}” bị cắt cụt (chỉ có {size:,} trên {page_size * pages:,} byte; có thể việc chép "
                "ra USB chưa xong).").replace(",", ".")
    return None


def inspect_backup(path: Path | str) -> BackupInfo:
    """What a backup holds, after checking it is a sound BaoCao database this version understands;
    BackupError saying what is wrong otherwise."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu “{path}”.")
    problem = _header_problem(path)
    if problem:
        raise BackupError(problem)
    try:
        integrity = stored_backups.integrity_problem(path)
        if integrity is not None:
            _log(f"backup {path}: integrity_check: {integrity}")
            raise BackupError(f"Tệp sao lưu “{path.name}” bị hỏng (kiểm tra tính toàn vẹn không đạt). "
                              "Hãy chọn bản sao lưu khác.")
        found = stored_backups.summary(path)
    except sqlite3.Error as exc:
        _log(f"backup {path}: {exc!r}")
        raise BackupError(f"Tệp “{path.name}” bị hỏng hoặc không phải bản sao lưu BaoCao. "
                          "Hãy chọn bản sao lưu khác.") from None
    if not {"units", "reports", "settings"} <= found["tables"]:
        raise BackupError(f"Tệp “{path.name}” là tệp SQLite nhưng không phải dữ liệu BaoCao.")
    latest = latest_schema_version()
    if found["schema_version"] > latest:
        raise BackupError(f"Tệp “{path.name}” được tạo bởi phiên bản BaoCao mới hơn (lược đồ "
                          f"{found['schema_version']}, phiên bản này hiểu đến {latest}). Hãy cập nhật chương trình "
                          "trước khi khôi phục.")
    made = None
    if found["made_at"]:
        try:
            made = dt.datetime.fromisoformat(found["made_at"])
        except ValueError:
            made = None
    if made is None:
        made = made_time(path) or dt.datetime.fromtimestamp(path.stat().st_mtime)
    newest = found["newest_report_date"] or found["newest_period_end"]
    try:
        newest_day = dt.date.fromisoformat(newest[:10]) if newest else None
    except ValueError:
        newest_day = None
    return BackupInfo(path, made, found["unit"], found["reports"], newest_day, found["schema_version"],
                      path.stat().st_size)


def newest_good_backup(db_path: Path | str) -> BackupInfo | None:
    """The newest rolling backup of `db_path` that passes inspect_backup, None when there is none."""
    for path in list_backups(db_path):
        try:
            return inspect_backup(path)
        except BackupError:
            continue
    return None


def aside_name(db_path: Path, now: dt.datetime) -> Path:
    """Where restoring puts the current file: beside it, `<name>.truoc-khoi-phuc-<date_time>.sqlite3`."""
    candidate = db_path.with_name(f"{db_path.stem}.truoc-khoi-phuc-{_stamp(now)}{db_path.suffix or SUFFIX}")
    number = 2
    while candidate.exists():
        candidate = db_path.with_name(
            f"{db_path.stem}.truoc-khoi-phuc-{_stamp(now)}-{number}{db_path.suffix or SUFFIX}")
        number += 1
    return candidate


def restore_backup(backup: Path | str, db_path: Path | str, now: dt.datetime | None = None,
                   progress=None) -> Path | None:
    """Make `backup` the database at `db_path` (which must not be open). The current file (and its -wal/-shm)
    is renamed aside with the date, never deleted; returns that new name (None when there was no file).
    BackupError, with nothing changed, for a bad backup or a file that cannot be moved."""
    backup, db_path = Path(backup), Path(db_path)
    now = now or _now()
    inspect_backup(backup)
    if backup.resolve() == db_path.resolve():
        raise BackupError("Tệp sao lưu chính là tệp dữ liệu đang dùng; hãy chọn một bản sao lưu khác.")
    incoming = db_path.with_name(db_path.name + ".dang-khoi-phuc")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        _discard(incoming)
        stored_backups.copy_database(backup, incoming, progress=progress)
        problem = stored_backups.integrity_problem(incoming)
        if problem is not None:
            _log(f"restore copy of {backup}: integrity_check: {problem}")
            raise BackupError("Bản chép của tệp sao lưu không đọc lại được (ổ đĩa có thể bị lỗi). "
                              "Dữ liệu đang dùng không thay đổi.")
    except OSError as exc:
        _discard(incoming)
        raise BackupError(os_error_text(exc, db_path.parent) + " Dữ liệu đang dùng không thay đổi.") from None
    except sqlite3.Error as exc:
        _discard(incoming)
        _log(f"restore {backup} → {db_path}: {exc!r}")
        raise BackupError("Không chép được tệp sao lưu vào thư mục dữ liệu (ổ đĩa đầy hoặc không có quyền ghi). "
                          "Dữ liệu đang dùng không thay đổi.") from None
    except BaseException:
        _discard(incoming)
        raise
    aside = aside_name(db_path, now) if db_path.exists() else None
    moved: list[tuple[Path, Path]] = []
    try:
        if aside is not None:
            for extra in ("", "-wal", "-shm"):
                source = Path(f"{db_path}{extra}")
                if source.exists():
                    os.replace(source, Path(f"{aside}{extra}"))
                    moved.append((source, Path(f"{aside}{extra}")))
        os.replace(incoming, db_path)
    except OSError as exc:
        for source, target in reversed(moved):  # put the current file back as it was
            try:
                os.replace(target, source)
            except OSError:
                pass
        _discard(incoming)
        raise BackupError(os_error_text(exc, db_path) + " Dữ liệu đang dùng không thay đổi.") from None
    return aside
