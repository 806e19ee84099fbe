"""Use cases of the USB exchange (DESIGN §2 steps 6–7, §10; issue 7): keys, sending a transfer file,
verifying and importing many files at the level above, versions and conflicts.

Every function takes a Workspace. Long ones take `progress` (called with a Progress) and `cancel`
(a callable returning True, or a threading.Event) so that the GUI can run them off the UI thread with
a progress bar and a Cancel button. Run them in a worker thread with its *own* Workspace opened on
the same file (`Workspace(ws.path)`): one SQLite connection must not be shared by two threads at once.

Import is two-phase so that the GUI can show a dry-run summary and the stick can be removed in
between:  plan = prepare_import(ws, paths)  (copies every file to a local temporary folder and
verifies it; writes nothing) → show plan.summary_text()/plan.to_json() → apply_import(ws, plan)
(one transaction; re-verifies the local copies) → plan.close().
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import unicodedata
import uuid
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..checks.findings import Finding, sort_key
from ..checks.report_checks import check_report
from ..domain.dates import format_date
from ..domain.numbers import size_text
from ..domain.model import STATUS_LABELS, Report
from ..exchange import keys
from ..exchange.bundle import (SUFFIX, BundleContents, BundleError, check_source, read_bundle, reread, utc_iso,
                               write_bundle)
from ..exchange.content import Change, content_from_report, diff, digest
from ..store.db import latest_schema_version, new_id, now_iso, sequential_ids
from ..templates.dictionary import check_against_dictionary
from ..templates.model import TemplateError, parse_template
from .errors import ServiceError
from .signoff import INTEGRITY_CODE


# == progress and cancel =====================================================================================
@dataclass(frozen=True)
class Progress:
    stage: str  # export: snapshot | write | readback;  import: copy | verify | plan | import | check
    done: int
    total: int
    file: str = ""
    message: str = ""  # Vietnamese, for a status line

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


ProgressFn = Callable[[Progress], None]


class KeyClash(ServiceError):
    """Registering a key where another one is registered: refused until the user confirms the new
    fingerprint (`register_unit(..., replace=True)`; on the command line `--replace`)."""

    def __init__(self, message: str, registered_fingerprint: str, new_fingerprint: str):
        super().__init__(message)
        self.registered_fingerprint = registered_fingerprint
        self.new_fingerprint = new_fingerprint


class Cancelled(ServiceError):
    """The user pressed Cancel: nothing was changed."""


def _cancelled(cancel) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def _check_cancel(cancel) -> None:
    if _cancelled(cancel):
        raise Cancelled("Đã hủy theo yêu cầu; dữ liệu không thay đổi.")


def _report(progress: ProgressFn | None, *args, **kwargs) -> None:
    if progress is not None:
        progress(Progress(*args, **kwargs))


# Copying a file from the stick is I/O, which runs without the GIL: a few threads copy the next files while
# the calling thread goes on. Results come back in order; at most READ_AHEAD files are in flight.
READ_THREADS = 2
READ_AHEAD = 8
# Verifying a file is half Python (canonical JSON, rows as dicts), so threads would only fight over the
# GIL with the thread writing the database: from this many files on, other processes verify them
# (100 units × 52 weekly files: 39 s → 27 s on two cores, bench/exchange.py). Below it, starting the
# processes (~0.3 s) would cost more than it saves.
PROCESS_MIN_FILES = 24
PROCESS_WORKERS = 2


def _read_ahead(items: list, start: Callable[[object], Future], ahead: int = READ_AHEAD):
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


def _done(fn, *args) -> Future:
    """Run `fn` here and now, as a finished future (what `start` returns when no pool is used)."""
    future: Future = Future()
    try:
        future.set_result(fn(*args))
    except BaseException as exc:  # re-raised by future.result(), where a pool's error would be
        future.set_exception(exc)
    return future


class _Verifier:
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
                _pool_failed(exc)

    def submit(self, fn, *args):
        """A future-like object for fn(*args): run by a worker, or here when there is no pool."""
        with self._lock:
            pool = self.pool
        if pool is not None:
            try:
                return _Fallback(pool.submit(fn, *args), fn, args)
            except (BrokenProcessPool, RuntimeError, OSError) as exc:
                _pool_failed(exc)
                self.close()
        return _done(fn, *args)

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
            _pool_failed(exc)
            return self.fn(*self.args)


def _pool_failed(exc: BaseException) -> None:
    if os.environ.get("BAOCAO_IMPORT_PROCESSES") == "require":
        raise ServiceError(f"Không chạy được tiến trình phụ để kiểm tra tệp ({type(exc).__name__}: {exc}).")
    logging.getLogger(__name__).warning("import: verifying in worker processes failed (%s: %s); verifying "
                                        "in the importing process", type(exc).__name__, exc)


def _read_verified(path: Path, latest: int, sha256: str) -> BundleContents:
    """read_bundle as a worker runs it: the result travels back with each report once, as contents."""
    return read_bundle(path, latest, sha256).without_report_rows()


def _reread_verified(path: Path, sha256: str, payload_hash: str) -> BundleContents:
    return reread(path, sha256, payload_hash).without_report_rows()


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


def app_version() -> str:
    try:
        from importlib.metadata import version
        return version("baocao-desktop")
    except Exception:
        return "0"


# == keys ====================================================================================================
@dataclass(frozen=True)
class KeyInfo:
    unit_id: str
    unit_name: str
    role: str  # self | member | upper
    public_key: str
    fingerprint: str
    created_at: str
    source: str = ""

    def to_json(self) -> dict:
        return {"unit_id": self.unit_id, "unit": self.unit_name, "role": self.role, "fingerprint": self.fingerprint,
                "public_key": self.public_key, "registered_at": self.created_at, "source": self.source}


_KEY_COLUMNS = "k.unit_id, u.name, k.role, k.public_key, k.fingerprint, k.created_at, k.source"


def _key_rows(ws, where: str, params: tuple) -> list[KeyInfo]:
    rows = ws.store.conn.execute(
        f"SELECT {_KEY_COLUMNS} FROM unit_keys k JOIN units u ON u.id = k.unit_id "
        f"WHERE k.revoked_at IS NULL AND {where} ORDER BY u.name", params).fetchall()
    return [KeyInfo(*row) for row in rows]


def own_key(ws) -> KeyInfo | None:
    unit = ws.own_unit()
    if unit is None:
        return None
    found = _key_rows(ws, "k.role = 'self' AND k.unit_id = ?", (unit.id,))
    return found[0] if found else None


def ensure_own_key(ws) -> KeyInfo:
    """The unit's signing key, made on first need (at setup or at the first export)."""
    unit = ws._require_unit()
    existing = own_key(ws)
    if existing:
        return existing
    pair = keys.generate_key_pair()
    with ws.store.transaction():
        # a key made for an earlier own unit (renamed database?) is revoked, not deleted
        ws.store.conn.execute("UPDATE unit_keys SET revoked_at = ?, updated_at = ? WHERE role = 'self' "
                              "AND revoked_at IS NULL", (now_iso(), now_iso()))
        ws.store.conn.execute(
            "INSERT INTO unit_keys (id, unit_id, role, algorithm, public_key, private_key, fingerprint, source, "
            "created_at, updated_at) VALUES (?, ?, 'self', ?, ?, ?, ?, 'generated', ?, ?)",
            (new_id(), unit.id, keys.ALGORITHM, pair.public_key, pair.private_key, pair.fingerprint,
             now_iso(), now_iso()))
        ws.store.log_revision(None, "key", "self", None, pair.fingerprint, ws.author, coalesce=False)
    return own_key(ws)


def _own_key_pair(ws) -> keys.KeyPair:
    info = ensure_own_key(ws)
    row = ws.store.conn.execute("SELECT private_key FROM unit_keys WHERE role = 'self' AND revoked_at IS NULL "
                                "AND unit_id = ?", (info.unit_id,)).fetchone()
    return keys.KeyPair(row[0], info.public_key)


def export_public_key(ws, out: Path | str) -> Path:
    """Write the unit's public key file (`unit key export OUT`); OUT may be a folder."""
    info = ensure_own_key(ws)
    unit = ws.own_unit()
    out = Path(out)
    if out.is_dir():
        out = out / safe_file_name(f"Khóa {unit.name}{keys.KEY_FILE_SUFFIX}")
    key = keys.PublicKeyFile(unit.id, unit.name, unit.level, unit.upper_body, info.public_key, info.created_at)
    try:
        return keys.write_key_file(key, _own_key_pair(ws).private_key, out)
    except OSError as exc:
        raise ServiceError(f"Không ghi được tệp khóa “{out}” ({exc.strerror or exc}).") from None


def registered_units(ws, role: str | None = "member") -> list[KeyInfo]:
    if role is None:
        return _key_rows(ws, "k.role != 'self'", ())
    return _key_rows(ws, "k.role = ?", (role,))


def upper_level_key(ws) -> KeyInfo | None:
    found = registered_units(ws, "upper")
    return found[0] if found else None


@dataclass(frozen=True)
class Registration:
    unit_id: str
    unit_name: str
    role: str
    fingerprint: str
    outcome: str  # registered | unchanged | replaced
    previous_fingerprint: str = ""

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    def message(self) -> str:
        who = "cấp trên" if self.role == "upper" else "đơn vị"
        if self.outcome == "unchanged":
            return f"{self.unit_name} đã được đăng ký với khóa này ({self.fingerprint}); không thay đổi."
        if self.outcome == "replaced":
            return (f"Đã thay khóa của {who} {self.unit_name}: {self.previous_fingerprint} → {self.fingerprint} "
                    f"(khóa cũ vẫn được lưu, đánh dấu thu hồi).")
        return f"Đã đăng ký {who} {self.unit_name}, mã nhận dạng khóa {self.fingerprint}."


def register_unit(ws, source, role: str = "member", replace: bool = False) -> Registration:
    """Register a unit's public key from its key file (`unit register KEYFILE`); role "upper" keeps the
    level above's key (to verify templates it sends down). A different key for an already registered unit
    is refused unless `replace` (after confirming the new fingerprint by phone)."""
    if role not in ("member", "upper"):
        raise ServiceError("Vai trò đăng ký phải là “member” (đơn vị cấp dưới) hoặc “upper” (cấp trên).")
    if not isinstance(source, keys.PublicKeyFile):
        try:
            source = keys.read_key_file(Path(source))
        except keys.KeyFileError as exc:
            raise ServiceError(str(exc)) from None
    unit_fields = {"id": source.unit_id, "name": source.name, "level": source.level or "xã",
                   "upper_body": source.upper_body}
    with ws.store.transaction():
        return _register(ws, unit_fields, source.public_key, role, replace, f"tệp khóa {source.name}")


def _register(ws, unit_fields: dict, public_key: str, role: str, replace: bool, source: str) -> Registration:
    conn = ws.store.conn
    fingerprint = keys.fingerprint(public_key)
    own = ws.own_unit()
    if own and own.id == unit_fields["id"]:
        raise ServiceError("Đây là khóa của chính đơn vị này, không cần đăng ký.")
    _upsert_foreign_unit(ws, unit_fields)
    name = conn.execute("SELECT name FROM units WHERE id = ?", (unit_fields["id"],)).fetchone()[0]
    current = conn.execute("SELECT id, public_key, fingerprint FROM unit_keys WHERE unit_id = ? AND role = ? "
                           "AND revoked_at IS NULL", (unit_fields["id"], role)).fetchone()
    if current and current[1] == public_key:
        return Registration(unit_fields["id"], name, role, fingerprint, "unchanged")
    previous = ""
    if role == "upper":
        other = conn.execute("SELECT k.id, u.name, k.fingerprint FROM unit_keys k JOIN units u ON u.id = k.unit_id "
                             "WHERE k.role = 'upper' AND k.revoked_at IS NULL").fetchone()
        if other and not current:
            if not replace:
                raise KeyClash(f"Đã đăng ký cấp trên là {other[1]} (khóa {other[2]}). Muốn thay, hãy đăng ký "
                               f"lại và xác nhận thay khóa.", other[2], fingerprint)
            conn.execute("UPDATE unit_keys SET revoked_at = ?, updated_at = ? WHERE id = ?",
                         (now_iso(), now_iso(), other[0]))
            previous = other[2]
    if current:
        if not replace:
            raise KeyClash(
                f"{name} đã đăng ký khóa khác ({current[2]}); khóa mới có mã {fingerprint}. Có thể đơn vị đã cài "
                f"lại máy, hoặc tệp giả mạo. Hãy gọi điện đối chiếu mã nhận dạng, rồi đăng ký lại và xác nhận thay "
                f"khóa.", current[2], fingerprint)
        conn.execute("UPDATE unit_keys SET revoked_at = ?, updated_at = ? WHERE id = ?",
                     (now_iso(), now_iso(), current[0]))
        previous = current[2]
    conn.execute(
        "INSERT INTO unit_keys (id, unit_id, role, algorithm, public_key, fingerprint, source, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (new_id(), unit_fields["id"], role, keys.ALGORITHM, public_key, fingerprint, source, now_iso(), now_iso()))
    ws.store.log_revision(None, "key", f"{role}:{unit_fields['id']}", previous or None, fingerprint, ws.author,
                          coalesce=False)
    return Registration(unit_fields["id"], name, role, fingerprint, "replaced" if previous else "registered",
                        previous)


_UNIT_COLUMNS = ("name", "level", "upper_body", "place_name", "symbol", "format", "founded_on")


def _upsert_foreign_unit(ws, fields: dict) -> bool:
    """Insert or refresh a unit that is not this installation's own (is_self stays 0). Returns whether
    anything changed."""
    conn = ws.store.conn
    row = conn.execute("SELECT is_self, " + ", ".join(_UNIT_COLUMNS) + " FROM units WHERE id = ?",
                       (fields["id"],)).fetchone()
    clean = {k: fields[k] for k in _UNIT_COLUMNS if k in fields and fields[k] is not None}
    if row is None:
        clean.setdefault("level", "xã")
        conn.execute(f"INSERT INTO units (id, {', '.join(clean)}, is_self, created_at, updated_at) "
                     f"VALUES (?, {', '.join('?' for _ in clean)}, 0, ?, ?)",
                     (fields["id"], *clean.values(), now_iso(), now_iso()))
        return True
    if row[0] == 1:
        raise ServiceError("Tệp hoặc khóa này mang mã của chính đơn vị này; không nhập.")
    current = dict(zip(_UNIT_COLUMNS, row[1:]))
    changed = {k: v for k, v in clean.items() if current.get(k) != v}
    if not changed:
        return False
    conn.execute(f"UPDATE units SET {', '.join(f'{k} = ?' for k in changed)}, updated_at = ? WHERE id = ?",
                 (*changed.values(), now_iso(), fields["id"]))
    return True


# == file names and writing to the stick =====================================================================
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str, limit: int = 150) -> str:
    """Vietnamese letters kept (NFC); characters Windows/FAT refuse replaced; no trailing dot or space."""
    name = unicodedata.normalize("NFC", name)
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    stem = _UNSAFE.sub("-", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .") or "baocao"
    if stem.upper() in _RESERVED:
        stem = f"_{stem}"
    stem = stem[:limit].rstrip(" .")
    return f"{stem}{dot}{suffix}" if dot else stem


def _short_date(day: dt.date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def suggested_bundle_name(ws, report_ids: list[str]) -> str:
    """"Đảng ủy xã Lùng Phình - Báo cáo tuần 01-06-2026 đến 07-06-2026.baocao"; several kinds or periods
    are summed up ("3 báo cáo", the whole date range)."""
    unit = ws._require_unit()
    reports = [ws.report(i, with_content=False) for i in report_ids]
    names = {ws.template(r.template_code, r.template_version).name for r in reports}
    start = min(r.period.start for r in reports)
    end = max(r.period.end for r in reports)
    kind = names.pop() if len(names) == 1 else f"{len(reports)} báo cáo"
    if len(reports) > 1 and len({r.template_code for r in reports}) == 1:
        kind = f"{kind} ({len(reports)} kỳ)"
    return safe_file_name(f"{unit.name} - {kind} {_short_date(start)} đến {_short_date(end)}{SUFFIX}")


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; the file's own flush is what counts
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_atomically(source: Path, final: Path) -> None:
    """Copy to a temporary name beside the target, flush to the device, then rename over the target."""
    temp = final.with_name(f".{final.stem[:40]}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(source, "rb") as reader, open(temp, "xb") as writer:
            shutil.copyfileobj(reader, writer, 1024 * 1024)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temp, final)
        _fsync_dir(final.parent)
    except BaseException:
        try:
            temp.unlink()
        except OSError:
            pass
        raise


ROOM_MARGIN = 64 * 1024  # the directory entry, the file system's own bookkeeping


def _require_room(folder: Path, size: int) -> None:
    """Refuse before writing when the stick is too full: a half-written file is removed anyway, but the
    user should hear "đầy" in plain words, with how much to free."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # cannot tell: the write itself will say
    if free < size + ROOM_MARGIN:
        need, have = size_text(size + ROOM_MARGIN, round_up=True), size_text(free, round_up=False)
        raise ServiceError(f"“{folder}” không đủ chỗ trống: tệp gửi cần {need}, ổ chỉ còn {have}. Hãy xóa bớt tệp "
                           f"trên USB hoặc dùng USB khác; chưa có gì thay đổi.")


def _copy_local(source: Path, dest: Path) -> str:
    """Copy a file (from the stick) to a local path, reading it once; returns its SHA-256."""
    h = hashlib.sha256()
    with open(source, "rb") as reader, open(dest, "wb") as writer:
        for chunk in iter(lambda: reader.read(1024 * 1024), b""):
            h.update(chunk)
            writer.write(chunk)
    return h.hexdigest()


# == export ==================================================================================================
@dataclass
class ExportResult:
    path: Path
    size: int
    file_sha256: str
    bundle_id: str
    fingerprint: str
    reports: list[dict]  # the manifest entries: id, template, period, status, content_hash, findings
    marked_sent: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.path.name

    def to_json(self) -> dict:
        return {"path": str(self.path), "file_name": self.file_name, "size": self.size, "sha256": self.file_sha256,
                "bundle_id": self.bundle_id, "fingerprint": self.fingerprint, "reports": self.reports,
                "marked_sent": self.marked_sent}

    def message(self) -> str:
        return (f"Đã ghi và kiểm tra lại tệp “{self.path}” ({len(self.reports)} báo cáo, {self.size // 1024 + 1} KB). "
                f"Mã nhận dạng khóa của đơn vị: {self.fingerprint}.")


def exportable_reports(ws) -> list[Report]:
    """This unit's reports that are normally sent: Đã ký and Đã gửi."""
    unit = ws.own_unit()
    if unit is None:
        return []
    return [r for r in ws.list_reports() if r.unit_id == unit.id and r.status in ("signed", "sent")]


def export_bundle(ws, out: Path | str, report_ids: list[str] | None = None, mark_sent: bool = True,
                  progress: ProgressFn | None = None, cancel=None) -> ExportResult:
    """Write a signed transfer file with the chosen reports (default: every Đã ký/Đã gửi report).

    `out` is a file path or a folder (the name is then made from unit, report kind and period). The
    file is made locally, copied under a temporary name, flushed, renamed, then read back and verified;
    only then are signed reports marked Đã gửi (unless mark_sent is False)."""
    unit = ws._require_unit()
    if report_ids is None:
        report_ids = [r.id for r in exportable_reports(ws)]
        if not report_ids:
            raise ServiceError("Chưa có báo cáo “Đã ký” để gửi. Hãy ký báo cáo trước, hoặc chọn báo cáo cụ thể.")
    report_ids = list(dict.fromkeys(report_ids))
    reports = [ws.report(i, with_content=False) for i in report_ids]
    for report in reports:
        if report.unit_id != unit.id:
            raise ServiceError("Chỉ gửi được báo cáo của chính đơn vị; báo cáo đã nhận từ đơn vị khác không gửi lại.")
        if not ws.verify_signed(report.id):
            raise ServiceError(ws._integrity_findings(ws.report(report.id))[0].message)
    _check_cancel(cancel)
    pair = _own_key_pair(ws)
    out = Path(out)
    if out.is_dir() or str(out).endswith(("/", os.sep)):
        folder = out
        name = suggested_bundle_name(ws, report_ids)
        final = folder / name
        n = 2
        while final.exists():
            final = folder / name.replace(SUFFIX, f" ({n}){SUFFIX}")
            n += 1
    else:
        final = out if out.suffix.lower() == SUFFIX else out.with_name(out.name + SUFFIX)
        folder = final.parent
    if not folder.is_dir():
        raise ServiceError(f"Không có thư mục “{folder}” (USB đã rút ra?).")
    extras = {}
    for i, report in enumerate(reports):
        _report(progress, "snapshot", i, len(reports) + 3, message=f"Kiểm tra {report.period.label()}")
        findings = ws.check(report.id)
        extras[report.id] = {"findings": {
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" and not f.justification for f in findings),
            "kept_warnings": sum(f.severity == "warning" and bool(f.justification) for f in findings)}}
    total = len(reports) + 3
    with tempfile.TemporaryDirectory(prefix="baocao-gui-") as tmp:
        local = Path(tmp) / "bundle.baocao"
        _report(progress, "snapshot", len(reports), total, message="Tạo bản sao nhất quán")
        try:
            written = write_bundle(ws.store.conn, local, unit_id=unit.id, report_ids=report_ids, key_pair=pair,
                                   created_by=ws.author, app_version=app_version(), bundle_id=new_id(),
                                   created_at=now_iso(), report_extras=extras, mark_sent=mark_sent)
        except BundleError as exc:
            raise ServiceError(exc.message) from None
        _check_cancel(cancel)
        _require_room(folder, written.size)
        _report(progress, "write", len(reports) + 1, total, str(final), "Ghi ra USB")
        try:
            _write_atomically(local, final)
        except OSError as exc:
            raise ServiceError(f"Không ghi được tệp vào “{folder}” ({exc.strerror or exc}). USB có thể đã đầy, bị khóa "
                               f"ghi hoặc đã rút ra; chưa có gì thay đổi.") from None
        _report(progress, "readback", len(reports) + 2, total, str(final), "Đọc lại và kiểm tra tệp đã ghi")
        back = Path(tmp) / "readback.baocao"
        try:
            sha = _copy_local(final, back)
            again = read_bundle(back, sha256=sha)
            if sha != written.file_sha256 or again.payload_sha256 != written.payload_sha256:
                raise BundleError("mismatch", "tệp đọc lại khác tệp đã ghi")
        except (OSError, BundleError) as exc:
            try:
                final.unlink()
            except OSError:
                pass
            reason = exc.message if isinstance(exc, BundleError) else (exc.strerror or str(exc))
            raise ServiceError(f"Đọc lại tệp vừa ghi trên “{folder}” không khớp ({reason}). Tệp lỗi đã bị xóa; "
                               f"hãy thử lại hoặc dùng USB khác.") from None
    marked = []
    if mark_sent:
        with ws.store.transaction():
            for report in reports:
                if report.status == "signed":
                    ws.mark_sent(report.id)
                    marked.append(report.id)
    _report(progress, "readback", total, total, str(final), "Xong")
    return ExportResult(final, again.size, sha, again.bundle_id, pair.fingerprint, again.manifest["reports"], marked)


# == verify and import =======================================================================================
ACTION_LABELS = {
    "new": "Báo cáo mới",
    "new_version": "Bản sửa mới của báo cáo đã nhận",
    "unchanged": "Không đổi (đã nhận trước đây)",
    "older": "Bản cũ hơn bản đang dùng (vẫn lưu lại)",
    "conflict": "Xung đột với bản đã sửa tại đây (giữ cả hai, cần chọn)",
    "rejected": "Bị từ chối",
}


@dataclass
class ReportPlan:
    action: str  # new | new_version | unchanged | older | conflict | rejected
    report_id: str  # the id minted by the sender
    unit_id: str
    unit_name: str
    template_code: str
    template_name: str
    template_version: int
    period_kind: str
    period_start: str
    period_end: str
    status: str
    content_hash: str
    reason: str = ""
    local_report_id: str | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        from ..domain.dates import Period
        return Period(self.period_kind, dt.date.fromisoformat(self.period_start),
                      dt.date.fromisoformat(self.period_end)).label()

    def to_json(self) -> dict:
        return {"action": self.action, "action_label": ACTION_LABELS[self.action], "report_id": self.report_id,
                "local_report_id": self.local_report_id, "unit_id": self.unit_id, "unit": self.unit_name,
                "template": self.template_code, "template_name": self.template_name,
                "template_version": self.template_version,
                "period": {"kind": self.period_kind, "start": self.period_start, "end": self.period_end,
                           "label": self.period_label},
                "status": self.status, "content_hash": self.content_hash, "reason": self.reason,
                "changes": [c.to_json() for c in self.changes]}


@dataclass
class FilePlan:
    path: Path
    ok: bool
    code: str  # ok | duplicate | <BundleError code> | unknown_unit | wrong_key | own_unit
    message: str = ""
    unit_id: str = ""
    unit_name: str = ""
    fingerprint: str = ""
    bundle_id: str = ""
    created_at: str = ""
    needs_registration: bool = False
    will_register: bool = False
    reports: list[ReportPlan] = field(default_factory=list)
    local_copy: Path | None = None
    file_sha256: str = ""
    payload_sha256: str = ""
    _contents: BundleContents | None = field(default=None, repr=False)  # kept in memory while small
    _verified: bool = field(default=True, repr=False)  # False: copied only, apply_import verifies it

    @property
    def name(self) -> str:
        return self.path.name

    def to_json(self) -> dict:
        return {"file": str(self.path), "name": self.name, "ok": self.ok, "code": self.code, "message": self.message,
                "unit_id": self.unit_id, "unit": self.unit_name, "fingerprint": self.fingerprint,
                "bundle_id": self.bundle_id, "created_at": self.created_at,
                "needs_registration": self.needs_registration, "will_register": self.will_register,
                "sha256": self.file_sha256, "reports": [r.to_json() for r in self.reports]}


# Verified files up to this size in total stay in memory between prepare_import and apply_import; beyond
# it, apply_import reads (and verifies) the local copies again.
CACHE_BYTES = 48 * 1024 * 1024
COUNT_KEYS = ("new", "new_version", "unchanged", "older", "conflict", "rejected")


@dataclass
class ImportPlan:
    files: list[FilePlan]
    register_new: "bool | set[str]" = False
    applied: bool = False  # True for the plan an ImportResult carries: this is what was done
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def accepted(self) -> list[FilePlan]:
        return [f for f in self.files if f.ok]

    @property
    def refused(self) -> list[FilePlan]:
        return [f for f in self.files if not f.ok]

    @property
    def reports(self) -> list[ReportPlan]:
        return [r for f in self.files for r in f.reports]

    def counts(self) -> dict:
        counts = {k: 0 for k in COUNT_KEYS}
        for report in self.reports:
            counts[report.action] += 1
        return {"files": len(self.files), "files_refused": len(self.refused), **counts}

    @property
    def changes_anything(self) -> bool:
        return any(r.action in ("new", "new_version", "older", "conflict") for r in self.reports) or \
            any(f.will_register for f in self.accepted)

    def to_json(self) -> dict:
        return {"counts": self.counts(), "files": [f.to_json() for f in self.files]}

    def summary_text(self, details: bool = True) -> str:
        c = self.counts()
        lines = [f"{c['files']} tệp: {c['files'] - c['files_refused']} hợp lệ, {c['files_refused']} bị từ chối. "
                 f"Báo cáo: {c['new']} mới, {c['new_version']} bản sửa mới, {c['unchanged']} không đổi, "
                 f"{c['older']} bản cũ hơn, {c['conflict']} xung đột, {c['rejected']} bị từ chối."]
        for f in self.files:
            if not f.ok:
                lines.append(f"✗ {f.name}: {f.message}")
                continue
            note = " (đã nhập trước đây)" if f.code == "duplicate" else ""
            verb = "đã đăng ký" if self.applied else "sẽ đăng ký"
            reg = f" — {verb} đơn vị mới, mã khóa {f.fingerprint}" if f.will_register else ""
            lines.append(f"✓ {f.name}: {f.unit_name}{note}{reg}")
            if details:
                for r in f.reports:
                    line = f"    {r.template_name} {r.period_label}: {ACTION_LABELS[r.action]}"
                    if r.reason:
                        line += f" — {r.reason}"
                    lines.append(line)
                    for change in r.changes[:10]:
                        lines.append(f"        {change.describe()}")
                    if len(r.changes) > 10:
                        lines.append(f"        … và {len(r.changes) - 10} thay đổi khác")
        return "\n".join(lines)

    def close(self) -> None:
        for file in self.files:
            file._contents = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass
class ImportResult:
    plan: ImportPlan  # as applied (classification redone inside the import transaction)
    dry_run: bool
    touched_reports: list[str] = field(default_factory=list)  # local report ids written
    registered: list[str] = field(default_factory=list)  # unit ids registered from files

    def counts(self) -> dict:
        return self.plan.counts()

    def to_json(self) -> dict:
        return {"dry_run": self.dry_run, **self.plan.to_json(), "touched_reports": self.touched_reports,
                "registered_units": self.registered}

    def summary_text(self) -> str:
        if self.dry_run:
            head = "Chạy thử (chưa nhập gì):"
        else:
            head = "Đã nhập:" if self.plan.changes_anything else "Không có gì mới để nhập:"
        return f"{head} {self.plan.summary_text()}"


def find_bundles(folder: Path) -> list[Path]:
    """Every .baocao file in a folder or drive (sub-folders included), oldest name first; temporary
    files of an interrupted export (".…tmp") are skipped."""
    found = [p for p in Path(folder).rglob(f"*{SUFFIX}") if p.is_file() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: str(p).lower())


def _expand(paths) -> list[Path]:
    result = []
    for p in paths:
        p = Path(p)
        result.extend(find_bundles(p) if p.is_dir() else [p])
    return result


def verify_file(ws, path: Path | str) -> FilePlan:
    """`bundle verify FILE`: integrity, signature and sender (registered? right key?) of one file, without
    changing anything. `ok` False carries the Vietnamese reason in `message`."""
    plan = prepare_import(ws, [path])
    try:
        return plan.files[0]
    finally:
        plan.close()


class _Overlay:
    """What the files earlier in the same batch will have done, so that a plan reads like the import."""

    def __init__(self):
        self.bundles: set[str] = set()
        self.units: dict[str, str] = {}  # unit id → public key to be registered
        self.reports: dict[tuple, dict] = {}  # logical key → {"hashes", "current" (a loader), "sent_at", "conflict"}
        self.templates: dict[tuple, str] = {}  # (code, version) → sha256


def prepare_import(ws, paths, register_new: "bool | set[str]" = False, progress: ProgressFn | None = None,
                   cancel=None) -> ImportPlan:
    """Copy every file (or every .baocao in a folder) to a local temporary folder, verify it and classify
    its reports against this database. Writes nothing. Close the plan (or use it as a context manager)."""
    return _prepare(ws, paths, register_new, progress, cancel, classify=True)


def _prepare(ws, paths, register_new, progress, cancel, classify: bool) -> ImportPlan:
    """prepare_import; with classify False only copy each file locally and put them in order
    (import_bundles without a dry run): apply_import then verifies and classifies each file once, inside
    its transaction. A verification and classification here would read every file twice more."""
    files = _expand(paths)
    latest = latest_schema_version()
    tmp = tempfile.TemporaryDirectory(prefix="baocao-nhan-")
    plan = ImportPlan([], register_new, _tmp=tmp)
    read: list[FilePlan] = []
    budget = CACHE_BYTES

    def fetch(numbered: tuple[int, Path]) -> tuple[Path, str, "BundleContents | str"]:
        """Copy one file locally, then verify it (classify) or only peek at its date (import_bundles:
        verified once, inside the import, so no second read)."""
        i, path = numbered
        local = Path(tmp.name) / f"{i:05d}{SUFFIX}"
        try:
            check_source(path)
            try:
                sha = _copy_local(path, local)
            except OSError as exc:
                raise BundleError("unreadable", f"Không đọc được tệp từ ổ đĩa ({exc.strerror or exc}). "
                                                f"USB có thể bị lỗi hoặc đã rút ra.") from None
            if not classify:
                return local, sha, _peek_created_at(local)
            return local, sha, verifier.submit(_read_verified, local, latest, sha).result()
        except BundleError:
            try:
                local.unlink(missing_ok=True)
            except OSError:  # Windows: still open somewhere; the temporary folder goes with the plan
                pass
            raise

    copiers = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="baocao-copy")
    verifier = _Verifier(len(files) if classify else 0)
    try:
        for (i, path), fetched in _read_ahead(list(enumerate(files)), lambda item: copiers.submit(fetch, item)):
            _check_cancel(cancel)
            _report(progress, "copy", i, len(files), str(path), f"Chép và kiểm tra {path.name}")
            file_plan = FilePlan(path, False, "unreadable")
            plan.files.append(file_plan)
            try:
                local, sha, found = fetched.result()
            except BundleError as exc:
                file_plan.code, file_plan.message = exc.code, exc.message
                continue
            file_plan.local_copy, file_plan.file_sha256 = local, sha
            if not classify:
                file_plan._verified, file_plan.created_at = False, found
                read.append(file_plan)
                continue
            contents = found
            file_plan.payload_sha256 = contents.payload_sha256
            file_plan.created_at = contents.created_at
            if contents.size <= budget:  # small batches stay in memory: no second read
                file_plan._contents = contents
                budget -= contents.size
            read.append(file_plan)
        verifier.close()  # every file is read: no idle workers during the classification
        _report(progress, "plan", len(files), len(files), message="Đối chiếu với dữ liệu đã nhận")
        overlay = _Overlay()
        # classify (and later import) oldest file first, so that versions follow the order they were made
        read.sort(key=lambda f: f.created_at)
        for file_plan in read if not classify else ():
            file_plan.ok, file_plan.code = True, "ok"  # copied; apply_import verifies and decides
        for file_plan in read if classify else ():
            _check_cancel(cancel)
            contents = file_plan._contents or reread(file_plan.local_copy, file_plan.file_sha256,
                                                     file_plan.payload_sha256)
            _classify(ws, file_plan, contents, register_new, overlay)
            if not file_plan.ok and file_plan.local_copy:
                file_plan.local_copy.unlink(missing_ok=True)
                file_plan.local_copy = None
                file_plan._contents = None
        order = {id(f): n for n, f in enumerate(read)}
        plan.files.sort(key=lambda f: order.get(id(f), len(order)))  # refused files last
    except BaseException:
        copiers.shutdown(wait=True, cancel_futures=True)  # before the folder they write into goes
        plan.close()
        raise
    finally:
        copiers.shutdown(wait=True)
        verifier.close()
    return plan


def _peek_created_at(path: Path) -> str:
    """The manifest's created_at, unverified, only to put files in order before each is verified; a file
    that cannot say sorts first and is refused by its verification."""
    import sqlite3
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            row = conn.execute("SELECT value FROM baocao_bundle WHERE key = 'manifest'").fetchone()
        finally:
            conn.close()
        return utc_iso(json.loads(row[0])["created_at"])
    except Exception:
        return ""


def _classify(ws, file_plan: FilePlan, contents: BundleContents, register_new,
              overlay: _Overlay | None) -> None:
    """Decide what importing this file would do; fills file_plan (ok, code, message, reports)."""
    conn = ws.store.conn
    manifest = contents.manifest
    unit = contents.unit
    file_plan.unit_id, file_plan.unit_name = contents.unit_id, unit["name"]
    file_plan.fingerprint, file_plan.bundle_id = contents.fingerprint, contents.bundle_id
    file_plan.created_at = contents.created_at
    file_plan.ok, file_plan.code, file_plan.message = True, "ok", ""
    own = ws.own_unit()
    if own and own.id == contents.unit_id:
        file_plan.ok, file_plan.code = False, "own_unit"
        file_plan.message = "Tệp này do chính đơn vị này gửi đi; không nhập lại."
        return
    self_row = conn.execute("SELECT is_self FROM units WHERE id = ?", (contents.unit_id,)).fetchone()
    if self_row and self_row[0] == 1:
        file_plan.ok, file_plan.code = False, "own_unit"
        file_plan.message = "Tệp mang mã của chính đơn vị này; không nhập."
        return
    registered = conn.execute("SELECT public_key, fingerprint FROM unit_keys WHERE unit_id = ? AND role = 'member' "
                              "AND revoked_at IS NULL", (contents.unit_id,)).fetchone()
    pending = overlay.units.get(contents.unit_id) if overlay else None
    if registered is None and pending is None:
        if not _may_register(register_new, contents):
            file_plan.ok, file_plan.code, file_plan.needs_registration = False, "unknown_unit", True
            file_plan.message = (
                f"Đơn vị “{unit['name']}” chưa được đăng ký ở đây. Mã nhận dạng khóa trong tệp: "
                f"{contents.fingerprint}. Hãy gọi điện cho đơn vị để đối chiếu mã này; nếu khớp, nhập lại và chọn "
                f"đăng ký đơn vị mới, hoặc đăng ký bằng tệp khóa của đơn vị.")
            return
        file_plan.will_register = True
        if overlay is not None:
            overlay.units[contents.unit_id] = contents.public_key
    else:
        expected = registered[0] if registered else pending
        if expected != contents.public_key:
            known = registered[1] if registered else keys.fingerprint(pending)
            file_plan.ok, file_plan.code = False, "wrong_key"
            file_plan.message = (
                f"Tệp mang tên “{unit['name']}” nhưng được ký bằng khóa khác (mã {contents.fingerprint}) với khóa đã "
                f"đăng ký của đơn vị (mã {known}). Có thể tệp giả mạo, hoặc đơn vị đã cài lại máy. Không nhập; hãy "
                f"gọi điện xác nhận, nếu đúng là khóa mới thì đăng ký lại khóa của đơn vị và xác nhận thay khóa.")
            return
    duplicate = conn.execute("SELECT imported_at FROM received_bundles WHERE id = ?", (contents.bundle_id,)).fetchone()
    if duplicate or (overlay is not None and contents.bundle_id in overlay.bundles):
        file_plan.code = "duplicate"
        when = f" ngày {format_date(dt.date.fromisoformat(duplicate[0][:10]))}" if duplicate else " (trùng trong lần này)"
        file_plan.message = f"Tệp này đã được nhập{when}; không có gì thay đổi."
    if overlay is not None:
        overlay.bundles.add(contents.bundle_id)
    for index, (entry, content) in enumerate(zip(manifest["reports"], contents.report_contents())):
        plan = _classify_report(ws, contents, entry, content, overlay, _content_loader(file_plan, index))
        if file_plan.code == "duplicate" and plan.action != "rejected":
            plan.action, plan.reason, plan.changes = "unchanged", "", []
        file_plan.reports.append(plan)


def _may_register(register_new, contents: BundleContents) -> bool:
    """register_new: True (any unknown unit, after the fingerprints were confirmed), or a collection of
    unit ids and/or fingerprints the user confirmed one by one."""
    if isinstance(register_new, bool) or register_new is None:
        return bool(register_new)
    return contents.unit_id in register_new or contents.fingerprint in register_new


def _template_name(ws, code: str, version: int, fallback: str) -> str:
    row = ws.store.conn.execute("SELECT name FROM templates WHERE code = ? AND version = ?", (code, version)).fetchone()
    return row[0] if row else fallback


def _logical_report(ws, unit_id: str, code: str, start: str, end: str) -> str | None:
    row = ws.store.conn.execute(
        "SELECT id FROM reports WHERE unit_id = ? AND template_code = ? AND period_start = ? AND period_end = ? "
        "AND deleted_at IS NULL", (unit_id, code, start, end)).fetchone()
    return row[0] if row else None


def _live_content(ws, report_id: str) -> dict:
    report = ws.report(report_id)
    justs = {k: {"reason": v} for k, v in ws.justifications(report_id).items()}
    return content_from_report(report, justs)


def _content_loader(file_plan: FilePlan, index: int) -> Callable[[], dict]:
    """The index-th report of a file, read again when a later file of the batch needs it (a new version
    sent in the same batch): a plan must not hold every report's content (5,200 weekly files: 600 MB)."""
    def load() -> dict:
        contents = file_plan._contents or reread(file_plan.local_copy, file_plan.file_sha256,
                                                 file_plan.payload_sha256)
        return contents.report_contents()[index]
    return load


def _classify_report(ws, contents: BundleContents, entry: dict, content: dict, overlay: _Overlay | None,
                     load: Callable[[], dict]) -> ReportPlan:
    conn = ws.store.conn
    template = content["template"]
    period = content["period"]
    row = next(r for r in contents.rows["reports"] if r["id"] == entry["id"])
    incoming_hash = entry["content_hash"]
    incoming_key = (incoming_hash, row["status"])
    plan = ReportPlan("new", entry["id"], contents.unit_id, contents.unit["name"], template["code"],
                      _template_name(ws, template["code"], template["version"], entry.get("template_name", "")),
                      template["version"], period["kind"], period["start"], period["end"], row["status"],
                      incoming_hash)

    def reject(reason: str) -> ReportPlan:
        plan.action, plan.reason = "rejected", reason
        return plan

    # the template: same code and version must mean the same template here
    local = conn.execute("SELECT sha256 FROM templates WHERE code = ? AND version = ?",
                         (template["code"], template["version"])).fetchone()
    local_sha = local[0] if local else (overlay.templates.get((template["code"], template["version"]))
                                        if overlay else None)
    if local_sha is None:
        source = (contents.template_row(row["template_id"]) or {}).get("source", "")
        try:
            parsed = parse_template(source, origin=f"{template['code']} v{template['version']}")
            check_against_dictionary(parsed)
        except TemplateError as exc:
            return reject(f"Mẫu trong tệp không dùng được: {exc}")
        plan.template_name = parsed.name
        if overlay is not None:
            overlay.templates[(template["code"], template["version"])] = template["sha256"]
    elif local_sha != template["sha256"]:
        return reject(f"Mẫu “{template['code']}” phiên bản {template['version']} của đơn vị khác với mẫu cùng mã, "
                      f"cùng phiên bản ở đây. Hãy thống nhất mẫu (cấp trên gửi mẫu xuống) rồi xin gửi lại.")
    if row["status"] in ("signed", "sent") and row.get("content_hash") != incoming_hash:
        return reject("Nội dung báo cáo đã bị thay đổi sau khi ký (mã kiểm tra không khớp) tại đơn vị gửi. "
                      "Hãy đề nghị đơn vị mở khóa, kiểm tra, ký lại rồi gửi lại.")
    if row.get("signer_id") and not any(s["id"] == row["signer_id"] and s["unit_id"] == contents.unit_id
                                        for s in contents.rows["signers"]):
        return reject("Báo cáo ghi người ký không có trong tệp.")
    for signer in contents.rows["signers"]:
        other = conn.execute("SELECT unit_id FROM signers WHERE id = ?", (signer["id"],)).fetchone()
        if other and other[0] != contents.unit_id:
            return reject("Mã người ký trong tệp trùng với người ký của đơn vị khác; không nhập.")
    key = (contents.unit_id, template["code"], period["start"], period["end"])
    local_id = _logical_report(ws, *key)
    clash = conn.execute("SELECT unit_id FROM reports WHERE id = ?", (entry["id"],)).fetchone()
    if local_id is None and clash and clash[0] != contents.unit_id:
        return reject("Mã báo cáo trong tệp trùng với báo cáo của đơn vị khác; không nhập.")
    plan.local_report_id = local_id
    state = overlay.reports.get(key) if overlay else None
    if local_id is None and state is None:
        plan.action = "new"
        _remember(overlay, key, incoming_key, load, contents.created_at, make_current=True)
        return plan
    versions = conn.execute(
        "SELECT content_hash, state, sent_at, content, origin, status FROM report_versions WHERE report_id = ?",
        (local_id,)).fetchall() if local_id else []
    # a version is its content and its status: a draft sent for comment, then signed and sent again
    # with the same content, is a new version (the status moved on)
    hashes = {(v[0], v[5]) for v in versions if v[4] == "received"} | (state["hashes"] if state else set())
    if incoming_key in hashes:
        plan.action = "unchanged"
        return plan
    current = next((v for v in versions if v[1] == "current"), None)
    has_conflict = any(v[1] == "conflict" for v in versions) or bool(state and state["conflict"])
    if state and state.get("current") is not None:
        current_content, current_hash, current_sent = state["current"](), state["current_hash"], state["sent_at"]
    elif current:
        current_content, current_hash, current_sent = json.loads(current[3]), current[0], current[2]
    else:  # a report made here, not received (the upper level's own report with the same key): keep both
        current_content, current_hash, current_sent = None, None, None
    locally_edited = False
    live = None
    if local_id and not (state and state.get("current") is not None):
        live = _live_content(ws, local_id)
        locally_edited = current_hash is None or digest(live) != current_hash
    template_obj = _template_or_none(ws, template["code"], template["version"])
    if locally_edited or has_conflict:
        plan.action = "conflict"
        plan.reason = ("Bản ở đây đã được sửa sau lần nhận trước; bản mới được lưu bên cạnh, chưa thay bản đang dùng. "
                       "Hãy so sánh và chọn bản dùng." if locally_edited else
                       "Báo cáo đang có xung đột chưa giải quyết; bản mới được lưu bên cạnh.")
        plan.changes = diff(live or current_content, content, template_obj)
        _remember(overlay, key, incoming_key, load, contents.created_at, make_current=False, conflict=True)
        return plan
    plan.changes = diff(current_content, content, template_obj)
    if current_sent and contents.created_at < current_sent:
        plan.action = "older"
        plan.reason = "Đơn vị gửi tệp này trước bản đang dùng; lưu làm bản cũ."
        _remember(overlay, key, incoming_key, load, contents.created_at, make_current=False)
        return plan
    plan.action = "new_version"
    _remember(overlay, key, incoming_key, load, contents.created_at, make_current=True)
    return plan


def _template_or_none(ws, code: str, version: int):
    try:
        return ws.template(code, version)
    except ServiceError:
        return None


def _remember(overlay: _Overlay | None, key: tuple, version_key: tuple, load: Callable[[], dict], sent_at: str,
              make_current: bool, conflict: bool = False) -> None:
    if overlay is None:
        return
    state = overlay.reports.setdefault(key, {"hashes": set(), "current": None, "current_hash": None,
                                             "sent_at": None, "conflict": False})
    state["hashes"].add(version_key)
    state["conflict"] = state["conflict"] or conflict
    if make_current:
        state.update(current=load, current_hash=version_key[0], sent_at=sent_at)


def import_bundles(ws, paths, dry_run: bool = False, register_new: "bool | set[str]" = False,
                   progress: ProgressFn | None = None, cancel=None) -> ImportResult:
    """`bundle import FILE… [--dry-run] [--register-new]` in one call."""
    plan = _prepare(ws, paths, register_new, progress, cancel, classify=dry_run)
    try:
        if dry_run:
            return ImportResult(plan, True)
        return apply_import(ws, plan, progress, cancel)
    finally:
        plan.close()


def apply_import(ws, plan: ImportPlan, progress: ProgressFn | None = None, cancel=None) -> ImportResult:
    """Import the accepted files of a plan in ONE transaction (cancel → nothing written). Every file is
    re-read from the local copy (verified here for the first time when import_bundles only copied it)
    and re-classified against the database as it is now; the returned result (its `plan`) says what was
    really done."""
    accepted = [f for f in plan.files if f.ok and f.local_copy is not None]
    latest = latest_schema_version()
    applied = ImportPlan([], plan.register_new, applied=True)
    result = ImportResult(applied, False)
    touched: list[str] = []
    verified: dict[str, str] = {}
    newest_sent: dict[str, str] = {}

    def start(old: FilePlan) -> Future:
        if old._contents is not None:
            return _done(lambda: old._contents)
        if old._verified:  # by prepare_import, but too many to keep in memory
            return verifier.submit(_reread_verified, old.local_copy, old.file_sha256, old.payload_sha256)
        # copied by import_bundles, verified here: header, integrity, signature, payload
        return verifier.submit(_read_verified, old.local_copy, latest, old.file_sha256)

    with _Verifier(sum(1 for f in accepted if f._contents is None)) as verifier, ws.store.transaction():
        # without workers, reading ahead would only delay the first progress report and Cancel
        ahead = READ_AHEAD if verifier.pool is not None else 1
        for i, (old, reading) in enumerate(_read_ahead(accepted, start, ahead)):
            _check_cancel(cancel)
            _report(progress, "import", i, len(accepted), str(old.path), f"Nhập {old.name}")
            file_plan = FilePlan(old.path, False, "unreadable", local_copy=old.local_copy)
            try:
                contents = reading.result()
            except BundleError as exc:
                file_plan.code, file_plan.message = exc.code, exc.message
                applied.files.append(file_plan)
                continue
            file_plan.file_sha256, file_plan.payload_sha256 = old.file_sha256, contents.payload_sha256
            _classify(ws, file_plan, contents, plan.register_new, None)
            applied.files.append(file_plan)
            if file_plan.ok and file_plan.code != "duplicate":
                written = _write_file(ws, file_plan, contents, newest_sent)
                touched += written
                # content just written from rows whose hash was verified against the signed manifest
                verified.update((r.local_report_id, r.content_hash) for r in file_plan.reports
                                if r.local_report_id in written and r.action in ("new", "new_version"))
                if file_plan.will_register:
                    result.registered.append(file_plan.unit_id)
        applied.files += [f for f in plan.files if not f.ok]
        _check_cancel(cancel)
        refresh = _with_following(ws, touched)
        for j, report_id in enumerate(refresh):
            _report(progress, "check", j, len(refresh), message="Kiểm tra số liệu báo cáo đã nhận")
            _store_check_summary(ws, report_id, verified.get(report_id))
    result.touched_reports = list(dict.fromkeys(touched))
    _report(progress, "check", 1, 1, message="Xong")
    return result


# -- writing one file -----------------------------------------------------------------------------------------
def _write_file(ws, file_plan: FilePlan, contents: BundleContents, newest_sent: dict | None = None) -> list[str]:
    """Write one accepted file. `newest_sent` (unit id → newest created_at imported) spares apply_import a
    look-up per file in received_bundles, which has no index on unit_id and grows with every file."""
    conn = ws.store.conn
    unit = contents.unit
    now = now_iso()
    writes = [r for r in file_plan.reports if r.action in ("new", "new_version", "older", "conflict")]
    if not writes:  # nothing of this file is taken: not even its unit's details or its registration
        file_plan.will_register = False
        return []
    unit_fields = {"id": unit["id"], **{k: unit.get(k) for k in _UNIT_COLUMNS}}
    if newest_sent is not None and unit["id"] in newest_sent:
        newest = newest_sent[unit["id"]]
    else:
        newest = conn.execute("SELECT MAX(created_at) FROM received_bundles WHERE unit_id = ?",
                              (unit["id"],)).fetchone()[0]
    if newest is None or contents.created_at >= newest:  # name, place… as the unit's newest file says
        _upsert_foreign_unit(ws, unit_fields)
    if newest_sent is not None:
        newest_sent[unit["id"]] = max(newest or "", contents.created_at)
    if file_plan.will_register:
        _register(ws, unit_fields, contents.public_key, "member", False, f"tệp {file_plan.name}")
    for table in ("signers", "profile_facts"):
        for row in contents.rows[table]:
            if row.get("unit_id") == unit["id"]:
                _upsert_row(conn, table, row)
    conn.execute(
        "INSERT INTO received_bundles (id, unit_id, file_name, file_sha256, payload_sha256, manifest, signature, "
        "key_fingerprint, created_at, imported_at, imported_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (contents.bundle_id, unit["id"], file_plan.name, file_plan.file_sha256, contents.payload_sha256,
         contents.manifest_text, contents.signature, contents.fingerprint, contents.created_at, now, ws.author, now))
    by_id = {c["report_id"]: c for c in contents.report_contents()}
    touched = []
    for plan in writes:
        content = by_id[plan.report_id]
        template_row = contents.template_row(
            next(r for r in contents.rows["reports"] if r["id"] == plan.report_id)["template_id"])
        template_id = _ensure_template(ws, template_row)
        local_id = plan.local_report_id
        if plan.action == "new":
            taken = conn.execute("SELECT 1 FROM reports WHERE id = ?", (plan.report_id,)).fetchone()
            local_id = new_id() if taken else plan.report_id
            _materialise(ws, local_id, content, template_id, insert=True)
            _add_version(ws, local_id, content, plan, contents, "current")
        elif plan.action == "new_version":
            old_hash = conn.execute("SELECT content_hash FROM report_versions WHERE report_id = ? AND state = 'current'",
                                    (local_id,)).fetchone()
            conn.execute("UPDATE report_versions SET state = 'superseded', updated_at = ? WHERE report_id = ? "
                         "AND state = 'current'", (now, local_id))
            _materialise(ws, local_id, content, template_id, insert=False)
            _add_version(ws, local_id, content, plan, contents, "current")
            ws.store.log_revision(local_id, "exchange", "version", old_hash[0] if old_hash else None,
                                  plan.content_hash, ws.author, coalesce=False)
        elif plan.action == "older":
            _add_version(ws, local_id, content, plan, contents, "superseded")
        elif plan.action == "conflict":
            _keep_local_edits(ws, local_id)
            _add_version(ws, local_id, content, plan, contents, "conflict")
            ws.store.log_revision(local_id, "exchange", "conflict", None, plan.content_hash, ws.author, coalesce=False)
        plan.local_report_id = local_id
        touched.append(local_id)
    return touched


_COLUMNS_CACHE: dict[tuple[int, str], list[str]] = {}


def _table_columns(conn, table: str) -> list[str]:
    key = (id(conn), table)
    if key not in _COLUMNS_CACHE:
        _COLUMNS_CACHE[key] = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
    return _COLUMNS_CACHE[key]


def _upsert_row(conn, table: str, row: dict) -> None:
    columns = _table_columns(conn, table)
    data = {k: v for k, v in row.items() if k in columns}
    existing = conn.execute(f"SELECT updated_at FROM {table} WHERE id = ?", (row["id"],)).fetchone()
    if existing is None:
        conn.execute(f"INSERT INTO {table} ({', '.join(data)}) VALUES ({', '.join('?' for _ in data)})",
                     tuple(data.values()))
    elif (row.get("updated_at") or "") > (existing[0] or ""):
        sets = [k for k in data if k != "id"]
        conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                     (*[data[k] for k in sets], row["id"]))


def _ensure_template(ws, row: dict) -> str:
    conn = ws.store.conn
    found = conn.execute("SELECT id FROM templates WHERE code = ? AND version = ?",
                         (row["code"], row["version"])).fetchone()
    if found:
        return found[0]
    taken = conn.execute("SELECT 1 FROM templates WHERE id = ?", (row["id"],)).fetchone()
    template_id = new_id() if taken else row["id"]
    conn.execute("INSERT INTO templates (id, code, version, name, period, source, sha256, installed_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (template_id, row["code"], row["version"], row["name"], row["period"], row["source"], row["sha256"],
                  now_iso(), now_iso()))
    return template_id


def _materialise(ws, report_id: str, content: dict, template_id: str, insert: bool) -> None:
    """Write a version's content into the live tables (reports, figures, texts, cells, justifications).
    The version itself stays in report_versions: these rows are derived and may be replaced."""
    conn = ws.store.conn
    now = now_iso()
    header = content["header"]
    fields = {
        "unit_id": content["unit_id"], "template_id": template_id, "template_code": content["template"]["code"],
        "template_version": content["template"]["version"], "period_kind": content["period"]["kind"],
        "period_start": content["period"]["start"], "period_end": content["period"]["end"],
        "number": header["number"], "report_date": header["report_date"], "place": header["place"],
        "basis": header["basis"], "signer_id": header["signer_id"],
        "recipients": json.dumps(header["recipients"], ensure_ascii=False), "status": content["status"],
        "content_hash": content.get("content_hash"), "signed_at": content.get("signed_at"), "updated_at": now,
    }
    if insert:
        fields.update(id=report_id, created_at=content.get("created_at") or now)
        conn.execute(f"INSERT INTO reports ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
                     tuple(fields.values()))
    else:
        conn.execute(f"UPDATE reports SET {', '.join(f'{k} = ?' for k in fields)}, deleted_at = NULL WHERE id = ?",
                     (*fields.values(), report_id))
        for table in ("indicator_values", "section_texts", "table_cells"):
            conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        conn.execute("UPDATE justifications SET deleted_at = ?, updated_at = ? WHERE report_id = ? "
                     "AND deleted_at IS NULL", (now, now, report_id))
    values = [(report_id, code, name, value, now) for code, fields in content["values"].items()
              for name, value in fields.items()]
    texts = [(report_id, path, text, now) for path, text in content["texts"].items()]
    cells = [(report_id, t, r, c, v, now) for t, rows in content["tables"].items()
             for r, cols in rows.items() for c, v in cols.items()]
    justs = [(report_id, key, j["reason"], j.get("author") or "", j.get("created_at") or now, now)
             for key, j in content.get("justifications", {}).items()]
    ids = iter(sequential_ids(len(values) + len(texts) + len(cells) + len(justs)))
    conn.executemany(
        "INSERT INTO indicator_values (id, report_id, indicator_code, field, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(next(ids), *row) for row in values])
    conn.executemany(
        "INSERT INTO section_texts (id, report_id, section_path, markup, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(next(ids), *row) for row in texts])
    conn.executemany(
        "INSERT INTO table_cells (id, report_id, table_code, row_code, column_code, value, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(next(ids), *row) for row in cells])
    conn.executemany(
        "INSERT INTO justifications (id, report_id, finding_key, reason, author, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(next(ids), *row) for row in justs])


def _add_version(ws, report_id: str, content: dict, plan: ReportPlan, contents: BundleContents | None,
                 state: str, origin: str = "received") -> str:
    version_id = new_id()
    now = now_iso()
    ws.store.conn.execute(
        "INSERT INTO report_versions (id, report_id, origin, state, source_report_id, bundle_id, unit_id, "
        "template_code, template_version, period_start, period_end, status, content_hash, content, sent_at, "
        "received_at, author, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (version_id, report_id, origin, state, content["report_id"], contents.bundle_id if contents else None,
         content["unit_id"], content["template"]["code"], content["template"]["version"], content["period"]["start"],
         content["period"]["end"], content["status"], plan.content_hash if plan else digest(content),
         json.dumps(content, ensure_ascii=False, sort_keys=True), contents.created_at if contents else None,
         now, ws.author, now))
    return version_id


def _keep_local_edits(ws, report_id: str) -> None:
    """Before anything else happens to a report edited here, keep its live content as a local version."""
    conn = ws.store.conn
    live = _live_content(ws, report_id)
    live_hash = digest(live)
    known = conn.execute("SELECT id, state FROM report_versions WHERE report_id = ? AND content_hash = ?",
                         (report_id, live_hash)).fetchone()
    if known:
        if known[1] != "current":
            conn.execute("UPDATE report_versions SET state = 'superseded', updated_at = ? WHERE report_id = ? "
                         "AND state = 'current'", (now_iso(), report_id))
            conn.execute("UPDATE report_versions SET state = 'current', updated_at = ? WHERE id = ?",
                         (now_iso(), known[0]))
        return
    conn.execute("UPDATE report_versions SET state = 'superseded', updated_at = ? WHERE report_id = ? "
                 "AND state = 'current'", (now_iso(), report_id))
    ws.store.conn.execute(
        "INSERT INTO report_versions (id, report_id, origin, state, source_report_id, bundle_id, unit_id, "
        "template_code, template_version, period_start, period_end, status, content_hash, content, sent_at, "
        "received_at, author, updated_at) VALUES (?, ?, 'local', 'current', ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
        (new_id(), report_id, report_id, live["unit_id"], live["template"]["code"], live["template"]["version"],
         live["period"]["start"], live["period"]["end"], live["status"], live_hash,
         json.dumps(live, ensure_ascii=False, sort_keys=True), now_iso(), ws.author, now_iso()))


# == checks of received reports ==============================================================================
def check_received(ws, report_id: str) -> list[Finding]:
    """Structured checks of any report, with *its* unit's profile (Workspace.check only knows the own
    unit's). The proofreader is not run here: it takes ~0.1 s a report, too slow for 5,000 files."""
    return _check_loaded(ws, ws.report(report_id))


def _check_loaded(ws, report: Report, verified_hash: str | None = None) -> list[Finding]:
    """check_received on a loaded report. `verified_hash`: the report was written in this import from
    content whose digest was verified equal to it, so when the stored hash is that one the signed-content
    check (a digest of the whole report) is already done."""
    report_id = report.id
    template = ws.template(report.template_code, report.template_version)
    context = ws.check_context(report)
    own = ws.own_unit()
    if not own or own.id != report.unit_id:
        conn = ws.store.conn
        founded = conn.execute("SELECT founded_on FROM units WHERE id = ?", (report.unit_id,)).fetchone()
        context.unit_founded_on = dt.date.fromisoformat(founded[0]) if founded and founded[0] else None
        day = (report.report_date or report.period.end).isoformat()
        from decimal import Decimal
        from ..domain.model import ProfileFact
        for fid, code, label, value, unit, as_of, note in conn.execute(
                "SELECT id, code, label, value, unit, as_of, note FROM profile_facts WHERE unit_id = ? "
                "AND deleted_at IS NULL AND as_of <= ? ORDER BY as_of", (report.unit_id, day)):
            context.profile[code] = ProfileFact(fid, code, label, Decimal(value), unit, dt.date.fromisoformat(as_of), note)
    done = verified_hash is not None and report.content_hash == verified_hash
    findings = ([] if done else ws._integrity_findings(report)) + check_report(template, report, context)
    return ws._with_justifications(report_id, sorted(findings, key=sort_key))


def store_check_summary(ws, report_id: str) -> dict:
    return _store_check_summary(ws, report_id)


def _store_check_summary(ws, report_id: str, verified_hash: str | None = None) -> dict:
    report = ws.report(report_id)
    findings = _check_loaded(ws, report, verified_hash)
    summary = {
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" and not f.justification for f in findings),
        "kept_warnings": sum(f.severity == "warning" and bool(f.justification) for f in findings),
    }
    if report.status in ("signed", "sent") and not any(f.code == INTEGRITY_CODE for f in findings):
        content_hash = report.content_hash  # the integrity check just found it equal to the digest
    else:
        content_hash = report.content_digest()
    ws.store.conn.execute(
        "INSERT INTO check_summaries (report_id, content_hash, errors, warnings, kept_warnings, findings, checked_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(report_id) DO UPDATE SET content_hash = excluded.content_hash, "
        "errors = excluded.errors, warnings = excluded.warnings, kept_warnings = excluded.kept_warnings, "
        "findings = excluded.findings, checked_at = excluded.checked_at",
        (report_id, content_hash, summary["errors"], summary["warnings"], summary["kept_warnings"],
         json.dumps([f.to_json() for f in findings if f.severity != "info"], ensure_ascii=False), now_iso()))
    return summary


def _with_following(ws, report_ids: list[str]) -> list[str]:
    """The reports written plus, for each, the unit's next report of the same template: its cumulative
    checks compare with the one just written."""
    result = list(dict.fromkeys(report_ids))
    seen = set(result)
    for report_id in list(result):
        row = ws.store.conn.execute(
            "SELECT n.id FROM reports r JOIN reports n ON n.unit_id = r.unit_id AND n.template_code = r.template_code "
            "AND n.period_start > r.period_end AND n.deleted_at IS NULL WHERE r.id = ? ORDER BY n.period_start LIMIT 1",
            (report_id,)).fetchone()
        if row and row[0] not in seen:
            seen.add(row[0])
            result.append(row[0])
    return result


# == versions and conflicts ==================================================================================
@dataclass(frozen=True)
class VersionInfo:
    id: str
    report_id: str
    origin: str  # received | local
    state: str  # current | superseded | conflict
    status: str
    content_hash: str
    sent_at: str | None
    received_at: str
    file_name: str | None
    author: str

    @property
    def label(self) -> str:
        who = "Sửa tại đây" if self.origin == "local" else f"Nhận từ tệp {self.file_name or ''}".strip()
        state = {"current": "đang dùng", "superseded": "bản cũ", "conflict": "xung đột, chờ chọn"}[self.state]
        return f"{who} ({state}, {STATUS_LABELS.get(self.status, self.status)})"

    def to_json(self) -> dict:
        return {**dataclasses.asdict(self), "label": self.label}


def report_versions(ws, report_id: str) -> list[VersionInfo]:
    rows = ws.store.conn.execute(
        "SELECT v.id, v.report_id, v.origin, v.state, v.status, v.content_hash, v.sent_at, v.received_at, "
        "b.file_name, v.author FROM report_versions v LEFT JOIN received_bundles b ON b.id = v.bundle_id "
        "WHERE v.report_id = ? ORDER BY COALESCE(v.sent_at, v.received_at), v.received_at", (report_id,)).fetchall()
    return [VersionInfo(*row) for row in rows]


def version_content(ws, version_id: str) -> dict:
    row = ws.store.conn.execute("SELECT content FROM report_versions WHERE id = ?", (version_id,)).fetchone()
    if not row:
        raise ServiceError(f"Không có phiên bản “{version_id}”.")
    return json.loads(row[0])


def compare_versions(ws, old_version_id: str, new_version_id: str) -> list[Change]:
    """Both sides of a conflict (or any two versions), field by field."""
    old, new = version_content(ws, old_version_id), version_content(ws, new_version_id)
    return diff(old, new, _template_or_none(ws, new["template"]["code"], new["template"]["version"]))


def resolve_conflict(ws, report_id: str, version_id: str) -> None:
    """Use one version (received or local) as the report's content. Every other version stays stored;
    edits made here since the last import are first kept as a local version, so nothing is lost."""
    conn = ws.store.conn
    row = conn.execute("SELECT content, content_hash FROM report_versions WHERE id = ? AND report_id = ?",
                       (version_id, report_id)).fetchone()
    if not row:
        raise ServiceError("Phiên bản không thuộc báo cáo này.")
    content = json.loads(row[0])
    with ws.store.transaction():
        _keep_local_edits(ws, report_id)
        template_id = conn.execute("SELECT id FROM templates WHERE code = ? AND version = ?",
                                   (content["template"]["code"], content["template"]["version"])).fetchone()[0]
        old = conn.execute("SELECT content_hash FROM report_versions WHERE report_id = ? AND state = 'current'",
                           (report_id,)).fetchone()
        conn.execute("UPDATE report_versions SET state = 'superseded', updated_at = ? WHERE report_id = ? "
                     "AND state IN ('current', 'conflict')", (now_iso(), report_id))
        conn.execute("UPDATE report_versions SET state = 'current', updated_at = ? WHERE id = ?", (now_iso(), version_id))
        content = {**content, "report_id": report_id}
        _materialise(ws, report_id, content, template_id, insert=False)
        ws.store.log_revision(report_id, "exchange", "resolve", old[0] if old else None, row[1], ws.author,
                              coalesce=False)
        for rid in _with_following(ws, [report_id]):
            store_check_summary(ws, rid)


def conflicts(ws) -> list[str]:
    """Ids of reports with a version waiting for a choice."""
    return [r[0] for r in ws.store.conn.execute(
        "SELECT DISTINCT report_id FROM report_versions WHERE state = 'conflict' ORDER BY report_id")]
