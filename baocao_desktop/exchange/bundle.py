"""The transfer file (.baocao, DESIGN §10): one SQLite file with the chosen reports, their templates,
the unit and its profile, plus a manifest signed with the unit's Ed25519 key.

Writing: a consistent snapshot of the live database (VACUUM INTO, store/bundles.py), everything not sent is
dropped or deleted, then VACUUM again so that nothing deleted (other reports, the revision log, the private key)
survives in free pages; journal_mode=DELETE (one file), integrity_check.

What the signature covers (the design choice asked for in issue 7):
  signature = Ed25519(PURPOSE_BUNDLE + manifest text), and the manifest holds `payload_sha256`, a
  SHA-256 over the *logical content*: every row of every payload table, each row as canonical JSON
  with its column names, rows sorted, tables in manifest order.
Why logical and not the raw file bytes:
  * what is verified is exactly what is imported: the reader hashes the very rows it hands to the
    importer, so a file that verifies can only import the content the commune signed. A changed byte
    in a place SQLite never reads as data (unused space inside a page, some header fields) leaves the
    content, and so the hash, unchanged: such a file verifies and imports the identical content,
    which is harmless (tests/exchange/test_faults.py checks this for every accepted flip);
  * the manifest and signature can live inside the same SQLite file (no trailer outside SQLite's
    format, no "hash of the file except these bytes" bookkeeping), and a copy or VACUUM of the file
    keeps it valid;
  * every other byte change is caught by one of: the header/size check (truncation), SQLite's
    integrity_check (structure), the payload hash (rows), the signature (manifest).
A raw-file hash would refuse more flips but guarantee nothing more about what gets imported.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import keys
from .content import (SharedEncoding, canonical_json, content_from_rows, digest, digest_of, report_from_content,
                      signed_content)
from ..domain import untrusted
from ..domain.untrusted import Expected, UntrustedFileError

FORMAT = "baocao-bundle"
FORMAT_VERSION = 1
SUFFIX = ".baocao"
APPLICATION_ID = 0x42434231  # "BCB1" in the SQLite header: a transfer file, not a working database
MANIFEST_TABLE = "baocao_bundle"
MANIFEST_SQL = f"CREATE TABLE {MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
# Tables whose rows travel, in hashing order. Everything else is dropped from the file.
PAYLOAD_TABLES = ("units", "signers", "profile_facts", "templates", "reports", "section_texts",
                  "indicator_values", "table_cells", "justifications")
REPORT_CHILD_TABLES = ("section_texts", "indicator_values", "table_cells", "justifications")
PAGE_SIZE = 1024
MAX_BYTES = 256 * 1024 * 1024


class BundleError(UntrustedFileError):
    """A transfer file refused; `code` is stable for programs, the message is Vietnamese for people."""

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __reduce__(self):  # raised in a verifying worker process, re-raised in the importing one
        return _bundle_error, (self.code, self.message, self.details)

    @classmethod
    def refusal(cls, code: str, message: str) -> "BundleError":
        """A refusal of domain.untrusted, under this format's codes."""
        return cls(_UNTRUSTED_CODES.get(code, code), message)


_UNTRUSTED_CODES = {"missing": "unreadable", "not_a_file": "unreadable", "empty": "not_bundle",
                    "too_large": "not_bundle", "wrong_type": "not_bundle"}
# a transfer file is opened as domain.untrusted says; the file name is shown beside the message
EXPECTED = Expected("tệp gửi báo cáo BaoCao", "nhận báo cáo", MAX_BYTES, "Hãy xin đơn vị gửi lại.", BundleError,
                    named=False)


def _bundle_error(code: str, message: str, details: dict) -> BundleError:
    return BundleError(code, message, **details)


def read_rows(conn: sqlite3.Connection, table: str) -> list[dict]:
    cursor = conn.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


# Every file of a batch carries the same template rows (~100 KB of YAML each): their canonical JSON and
# source hashes are kept by value, so the 5,000th file costs a comparison, not an encode. The bytes hashed
# are the same; only the work of producing them again is saved. Compared with the few kept, not looked up
# in a dict: hashing the text for a look-up costs more than comparing it (a copy of the same YAML compares
# at memory speed); and compared with each value's type, so that 3 and 3.0 (equal, encoded differently)
# are never taken for each other.
_RECENT = 8
_recent_templates: list[tuple[list[dict], bytes]] = []
_recent_sources: list[tuple[str, str]] = []


def _same_rows(rows: list[dict], known: list[dict]) -> bool:
    return len(rows) == len(known) and all(
        row.keys() == other.keys() and all(type(v) is type(other[k]) and v == other[k] for k, v in row.items())
        for row, other in zip(rows, known))


def _canonical_templates(rows: list[dict]) -> bytes:
    global _recent_templates
    recent = _recent_templates
    for known, found in recent:
        if _same_rows(rows, known):
            return found
    found = canonical_json(rows).encode("utf-8")
    # a copy: the caller's rows may change later, what was encoded must not
    _recent_templates = [([dict(r) for r in rows], found)] + recent[:_RECENT - 1]
    return found


def source_sha256(source: str) -> str:
    global _recent_sources
    recent = _recent_sources
    for known, found in recent:
        if type(source) is str and source == known:
            return found
    found = hashlib.sha256(source.encode("utf-8")).hexdigest()
    _recent_sources = [(source, found)] + recent[:_RECENT - 1]
    return found


def payload_sha256(tables: list[str] | tuple[str, ...], rows: dict[str, list[dict]]) -> str:
    """SHA-256 over the logical content: per table, its rows (with column names) sorted by id, as canonical
    JSON. A BLOB value (never written by BaoCao) cannot be encoded and makes the file unreadable."""
    h = hashlib.sha256()
    for table in tables:
        h.update(f"\x00table {table}\n".encode("utf-8"))
        ordered = sorted(rows[table], key=lambda r: str(r.get("id")))
        if table == "templates":
            h.update(_canonical_templates(ordered))
        else:
            h.update(canonical_json(ordered).encode("utf-8"))
    return h.hexdigest()


@dataclass
class BundleContents:
    """A verified transfer file, read into memory (it is small: one unit's reports)."""
    manifest: dict
    manifest_text: str
    signature: str
    rows: dict[str, list[dict]]
    schema_version: int
    payload_sha256: str
    size: int
    file_sha256: str = ""
    _contents: list[dict] | None = field(default=None, repr=False)

    def without_report_rows(self) -> "BundleContents":
        """A copy holding each report once, as contents (report_contents), without the rows of
        REPORT_CHILD_TABLES they were made from: what a verifying worker process sends back (the texts
        and figures are the bulk of a file and need not cross the process boundary twice). Importing
        reads reports only through report_contents; the rows themselves were hashed before."""
        contents = self.report_contents()
        rows = {t: r for t, r in self.rows.items() if t not in REPORT_CHILD_TABLES}
        return dataclasses.replace(self, rows=rows, _contents=contents)

    @property
    def unit(self) -> dict:
        return self.rows["units"][0]

    @property
    def unit_id(self) -> str:
        return self.manifest["unit"]["id"]

    @property
    def public_key(self) -> str:
        return self.manifest["key"]["public_key"]

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.public_key)

    @property
    def bundle_id(self) -> str:
        return self.manifest["bundle_id"]

    @property
    def created_at(self) -> str:
        """When the sender wrote the file, as UTC ISO text (comparable as a string)."""
        return utc_iso(self.manifest["created_at"])

    def template_row(self, template_id: str) -> dict | None:
        return next((t for t in self.rows["templates"] if t["id"] == template_id), None)

    def report_contents(self) -> list[dict]:
        """Each report as a content dict (exchange.content), in manifest order."""
        if self._contents is None:
            by_report: dict[str, dict[str, list]] = {}
            for table in REPORT_CHILD_TABLES:
                for row in self.rows.get(table, []):
                    by_report.setdefault(row["report_id"], {}).setdefault(table, []).append(row)
            signers = {s["id"]: s for s in self.rows.get("signers", [])}
            reports = {r["id"]: r for r in self.rows["reports"]}
            contents = []
            for entry in self.manifest["reports"]:
                row = reports[entry["id"]]
                children = by_report.get(row["id"], {})
                template = self.template_row(row["template_id"]) or {}
                contents.append(content_from_rows(
                    row, children.get("indicator_values", []), children.get("section_texts", []),
                    children.get("table_cells", []), children.get("justifications", []),
                    signers.get(row.get("signer_id")), template.get("sha256", "")))
            self._contents = contents
        return self._contents


# == writing =================================================================================================
def write_bundle(dest: Path, *, unit_id: str, report_ids: list[str], key_pair: keys.KeyPair, created_by: str,
                 app_version: str, bundle_id: str, created_at: str, report_extras: dict[str, dict] | None = None,
                 mark_sent: bool = True) -> BundleContents:
    """Turn `dest` (a local temporary path holding a snapshot of the working database, made by
    store.bundles.snapshot_into) into the transfer file, and return it as read back."""
    dest = Path(dest)
    conn = sqlite3.connect(str(dest), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA foreign_keys = OFF")
        schema_version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("BEGIN")
        # views, triggers and explicit indexes are not content (constraint indexes cannot be dropped)
        for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger') "
                                       "OR (type = 'index' AND sql IS NOT NULL)").fetchall():
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%'").fetchall():
            if name not in PAYLOAD_TABLES:
                conn.execute(f'DROP TABLE "{name}"')
        conn.execute("CREATE TEMP TABLE keep_reports (id TEXT PRIMARY KEY)")
        conn.executemany("INSERT OR IGNORE INTO keep_reports VALUES (?)", [(i,) for i in report_ids])
        conn.execute("DELETE FROM reports WHERE id NOT IN (SELECT id FROM keep_reports)")
        for table in REPORT_CHILD_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE report_id NOT IN (SELECT id FROM keep_reports)")
        conn.execute("DELETE FROM justifications WHERE deleted_at IS NOT NULL")
        conn.execute("DELETE FROM templates WHERE id NOT IN (SELECT template_id FROM reports)")
        conn.execute("DELETE FROM units WHERE id != ?", (unit_id,))
        conn.execute("DELETE FROM signers WHERE unit_id != ?", (unit_id,))
        conn.execute("DELETE FROM profile_facts WHERE unit_id != ?", (unit_id,))
        if mark_sent:
            conn.execute("UPDATE reports SET status = 'sent' WHERE status = 'signed'")
        conn.execute(MANIFEST_SQL)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
        conn.execute("DROP TABLE temp.keep_reports")

        rows = {t: read_rows(conn, t) for t in PAYLOAD_TABLES}
        payload_hash = payload_sha256(PAYLOAD_TABLES, rows)
        unit = next(u for u in rows["units"] if u["id"] == unit_id)
        templates = {t["id"]: t for t in rows["templates"]}
        order = {rid: i for i, rid in enumerate(report_ids)}
        manifest_reports = []
        extras = report_extras or {}
        for row in sorted(rows["reports"], key=lambda r: order.get(r["id"], 0)):
            template = templates[row["template_id"]]
            manifest_reports.append({
                "id": row["id"], "template": row["template_code"], "template_version": row["template_version"],
                "template_name": template["name"], "template_sha256": template["sha256"],
                "period": {"kind": row["period_kind"], "start": row["period_start"], "end": row["period_end"]},
                "number": row["number"], "date": row["report_date"], "status": row["status"],
                "signed_at": row.get("signed_at"), "content_hash": None, **extras.get(row["id"], {}),
            })
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": schema_version,
            "app_version": app_version, "bundle_id": bundle_id, "created_at": created_at, "created_by": created_by,
            "unit": {k: unit.get(k) for k in ("id", "name", "level", "upper_body", "place_name", "symbol")},
            "key": {"algorithm": keys.ALGORITHM, "public_key": key_pair.public_key,
                    "fingerprint": key_pair.fingerprint},
            "tables": list(PAYLOAD_TABLES),
            "row_counts": {t: len(rows[t]) for t in PAYLOAD_TABLES},
            "payload_sha256": payload_hash,
            "reports": manifest_reports,
        }
        partial = BundleContents(manifest, "", "", rows, schema_version, payload_hash, 0)
        for entry, content in zip(manifest_reports, partial.report_contents()):
            entry["content_hash"] = digest(content)
        manifest_text = canonical_json(manifest)
        signature = keys.sign(key_pair.private_key, keys.PURPOSE_BUNDLE, manifest_text.encode("utf-8"))
        conn.execute(f"INSERT INTO {MANIFEST_TABLE} (key, value) VALUES ('manifest', ?), ('signature', ?)",
                     (manifest_text, signature))
        # small pages: a transfer file holds ~25 tiny tables and indexes, each at least one page; at 4 KiB
        # most of the file would be empty page space (harmless, but 3× the size)
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("VACUUM")
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise BundleError("corrupt", "Tệp gửi vừa tạo không qua được kiểm tra toàn vẹn; hãy thử lại.")
    finally:
        conn.close()
    return read_bundle(dest)


# == reading =================================================================================================
def _refuse(code: str, message: str, **details):
    raise BundleError(code, message, **details)


def check_source(path: Path) -> int:
    """A transfer file where the user picked it (a USB stick): it exists, is a file, not empty, not too
    large (domain.untrusted.check_path). Returns the size."""
    return untrusted.check_path(path, EXPECTED)


def check_header(path: Path) -> int:
    """Cheap checks before SQLite opens the file (domain.untrusted.check_sqlite): size, magic, page size,
    and that the file is as long as its header says (a copy cut short on the stick). Returns the size."""
    return untrusted.check_sqlite(path, EXPECTED)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            h.update(chunk)
    return h.hexdigest()


def read_bundle(path: Path, latest_schema: int | None = None, sha256: str | None = None,
                sender=None) -> BundleContents:
    """Verify and read a transfer file that is already on a local disk (never on the stick itself:
    the caller copies it first). Raises BundleError with a Vietnamese reason; never anything else.
    Cheap refusals first: the header, the schema (sqlite_master only), the integrity, the signed manifest,
    then `sender(manifest)` (who may send here: it raises BundleError to refuse), and only then the rows."""
    path = Path(path)
    size = check_header(path)
    try:
        return _read(path, size, latest_schema, sha256, sender)
    except BundleError:
        raise
    except Exception as exc:  # SQLite, UTF-8, JSON, missing keys: all mean a damaged or forged file
        raise BundleError("corrupt", "Tệp bị hỏng hoặc đã bị sửa, không đọc được nội dung "
                                     f"({type(exc).__name__}). Hãy xin đơn vị gửi lại.") from None


def reread(path: Path, sha256: str, payload_hash: str) -> BundleContents:
    """Read again a local copy that read_bundle verified earlier. The bytes are checked to be the same
    (SHA-256 of the file), so SQLite's integrity check, the signature and the payload hash need not be
    computed again (a batch of thousands of files cannot all stay in memory between the steps)."""
    path = Path(path)
    try:
        if file_sha256(path) != sha256:
            raise BundleError("tampered", "Bản sao tạm của tệp đã thay đổi sau khi kiểm tra; hãy nhập lại.")
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            stored = dict(conn.execute(f"SELECT key, value FROM {MANIFEST_TABLE}").fetchall())
            manifest = json.loads(stored["manifest"])
            schema = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = {t: read_rows(conn, t) for t in manifest["tables"]}
        finally:
            conn.close()
    except BundleError:
        raise
    except Exception as exc:
        raise BundleError("corrupt", f"Không đọc lại được bản sao tạm của tệp ({type(exc).__name__}).") from None
    for table in PAYLOAD_TABLES:
        rows.setdefault(table, [])
    return BundleContents(manifest, stored["manifest"], stored["signature"], rows, schema, payload_hash,
                          path.stat().st_size, sha256)


def _read(path: Path, size: int, latest_schema: int | None, sha256: str | None, sender=None) -> BundleContents:
    if latest_schema is None:
        from ..store.db import latest_schema_version
        latest_schema = latest_schema_version()
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            schema = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:
            _refuse("corrupt", "Tệp bị hỏng, SQLite không mở được. Hãy xin đơn vị gửi lại.")
        if app_id != APPLICATION_ID:
            _refuse("not_bundle", "Tệp là cơ sở dữ liệu SQLite nhưng không phải tệp gửi báo cáo BaoCao "
                                  "(có thể là tệp dữ liệu của chương trình, không phải tệp xuất “Gửi cấp trên”).")
        if schema > latest_schema:
            _refuse("newer_schema", f"Tệp được tạo bởi phiên bản BaoCao mới hơn (lược đồ {schema}, phiên bản này "
                                    f"hiểu đến {latest_schema}). Hãy cập nhật chương trình rồi nhập lại.",
                    schema=schema)
        if schema < 1:
            _refuse("not_bundle", "Tệp không có phiên bản lược đồ: không phải tệp gửi báo cáo BaoCao.")
        # before anything runs a statement of the file's own schema (integrity_check evaluates CHECK
        # constraints and index expressions; reading a row computes generated columns)
        kinds = check_schema(conn, schema)
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)").fetchall()]
        if problems != ["ok"]:
            _refuse("corrupt", "Tệp bị hỏng (kiểm tra toàn vẹn SQLite không đạt: "
                               f"{problems[0][:80]}). Hãy xin đơn vị gửi lại.")
        if kinds.get(MANIFEST_TABLE) != "table":
            _refuse("not_bundle", "Tệp không có bản kê khai (manifest): không phải tệp gửi báo cáo BaoCao.")
        stored = dict(conn.execute(f"SELECT key, value FROM {MANIFEST_TABLE}").fetchall())
        manifest_text, signature = stored.get("manifest"), stored.get("signature")
        if not isinstance(manifest_text, str) or not isinstance(signature, str):
            _refuse("tampered", "Tệp thiếu bản kê khai hoặc chữ ký: đã bị sửa hoặc hỏng. Hãy xin đơn vị gửi lại.")
        manifest = json.loads(manifest_text)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            _refuse("not_bundle", "Bản kê khai không đúng định dạng tệp gửi BaoCao.")
        if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
            _refuse("newer_schema", "Tệp được tạo bởi phiên bản BaoCao mới hơn (định dạng tệp gửi "
                                    f"{manifest.get('format_version')}). Hãy cập nhật chương trình rồi nhập lại.")
        public_key = manifest["key"]["public_key"]
        if not keys.verify(public_key, keys.PURPOSE_BUNDLE, manifest_text.encode("utf-8"), signature):
            _refuse("bad_signature", "Chữ ký số của tệp không hợp lệ: tệp đã bị sửa sau khi đơn vị ký gửi, "
                                     "hoặc bị hỏng. Không nhập tệp này; hãy xin đơn vị gửi lại.")
        if manifest.get("schema_version") != schema:
            _refuse("tampered", "Phiên bản lược đồ trong tệp không khớp với bản kê khai đã ký: tệp đã bị sửa.")
        if sender is not None:
            sender(manifest)
        tables = manifest.get("tables")
        if not isinstance(tables, list) or not set(tables) <= set(PAYLOAD_TABLES) or "reports" not in tables:
            _refuse("tampered", "Bản kê khai liệt kê bảng dữ liệu không hợp lệ.")
        for table in tables:
            if kinds.get(table) != "table":
                _refuse("tampered", f"Tệp thiếu bảng dữ liệu “{table}”: đã bị sửa hoặc hỏng.")
        rows = {t: read_rows(conn, t) for t in tables}
    finally:
        conn.close()
    for table in PAYLOAD_TABLES:
        rows.setdefault(table, [])
    actual = payload_sha256(tables, rows)
    if actual != manifest.get("payload_sha256"):
        _refuse("tampered", "Nội dung tệp không khớp với mã kiểm tra đã ký: tệp đã bị sửa hoặc hỏng sau khi "
                            "đơn vị ký gửi. Không nhập tệp này; hãy xin đơn vị gửi lại.")
    contents = BundleContents(manifest, manifest_text, signature, rows, schema, actual, size,
                              sha256 or file_sha256(path))
    _check_consistency(contents)
    return contents


# tables SQLite itself may leave in a copy of a working database (AUTOINCREMENT counters, ANALYZE results):
# plain rows, no SQL of their own
_SQLITE_TABLES = ("sqlite_sequence", "sqlite_stat1", "sqlite_stat4")


def check_schema(conn: sqlite3.Connection, schema: int) -> dict[str, str]:
    """Refuse a file whose schema is not exactly what BaoCao writes at that schema version: only the
    payload tables (their CREATE text as the migrations make it) and the manifest table, only SQLite's
    own indexes of their keys; no view, trigger, other index, generated column or unknown table. Only
    sqlite_master is read (with trusted_schema OFF), so nothing the file defines runs before this says
    yes. Returns name → type of the objects."""
    from ..store.db import schema_objects
    expected = schema_objects(schema)
    found = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in found:
        if kind == "table" and name == MANIFEST_TABLE:
            ok = sql == MANIFEST_SQL
        elif kind == "table" and name in PAYLOAD_TABLES:
            ok = expected.get(name) == ("table", name, sql)
        elif kind == "table":
            ok = name in _SQLITE_TABLES
        elif kind == "index":
            # a PRIMARY KEY / UNIQUE index: SQLite's, without SQL of its own
            ok = (sql is None and isinstance(name, str) and name.startswith(f"sqlite_autoindex_{table}_")
                  and (table in PAYLOAD_TABLES or table == MANIFEST_TABLE))
        else:
            ok = False
        if not ok:
            what = {"view": "khung nhìn (view)", "trigger": "trigger", "index": "chỉ mục",
                    "table": "bảng"}.get(kind, "thành phần")
            hint = " có cột tự tính (generated column)" if sql and "generated" in str(sql).lower() else ""
            _refuse("tampered", f"Tệp có {what} “{str(name)[:60]}”{hint} không thuộc cấu trúc tệp gửi BaoCao: tệp đã "
                                f"bị sửa hoặc do chương trình khác tạo. Không mở nội dung tệp này; hãy xin đơn vị "
                                f"gửi lại.")
    return {name: kind for kind, name, _table, _sql in found}


def peek_created_at(path: Path) -> str:
    """The manifest's created_at, unverified, only to put files in order before each is verified; a file
    that cannot say sorts first and is refused by its verification."""
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            # not verified yet, but nothing of its own runs: the manifest must be a plain table, like the rest
            check_schema(conn, conn.execute("PRAGMA user_version").fetchone()[0])
            row = conn.execute(f"SELECT value FROM {MANIFEST_TABLE} WHERE key = 'manifest'").fetchone()
        finally:
            conn.close()
        return utc_iso(json.loads(row[0])["created_at"])
    except Exception:
        return ""


def utc_iso(timestamp: str) -> str:
    moment = dt.datetime.fromisoformat(timestamp)
    if moment.tzinfo is None:
        raise ValueError("timestamp without time zone")
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")


def _check_consistency(contents: BundleContents) -> None:
    """The signed manifest and the signed rows must tell the same story (both come from the signer,
    so a mismatch means a faulty or forged writer, not a transport error)."""
    manifest, rows = contents.manifest, contents.rows
    try:
        utc_iso(manifest["created_at"])
    except (ValueError, TypeError, KeyError):
        _refuse("tampered", "Tệp không nhất quán: thời điểm tạo tệp trong bản kê khai không hợp lệ.")
    units = rows["units"]
    if len(units) != 1 or units[0]["id"] != manifest["unit"]["id"]:
        _refuse("tampered", "Tệp không nhất quán: thông tin đơn vị khác với bản kê khai.")
    listed = [r["id"] for r in manifest["reports"]]
    if sorted(listed) != sorted(r["id"] for r in rows["reports"]) or len(set(listed)) != len(listed):
        _refuse("tampered", "Tệp không nhất quán: danh sách báo cáo khác với bản kê khai.")
    templates = {t["id"]: t for t in rows["templates"]}
    for report in rows["reports"]:
        template = templates.get(report["template_id"])
        if report["unit_id"] != units[0]["id"] or template is None:
            _refuse("tampered", "Tệp không nhất quán: báo cáo thiếu mẫu hoặc thuộc đơn vị khác.")
        if source_sha256(template["source"]) != template["sha256"]:
            _refuse("tampered", f"Mẫu “{template['name']}” trong tệp không khớp mã kiểm tra của nó.")
    for entry, content in zip(manifest["reports"], contents.report_contents()):
        report = report_from_content(content)  # parsed once for both checks
        shared = SharedEncoding()  # and its figures, texts and tables encoded once for both
        if digest_of(report, shared) != entry.get("content_hash"):
            _refuse("tampered", "Tệp không nhất quán: nội dung báo cáo khác mã kiểm tra trong bản kê khai.")
        _check_report_seal(content, manifest["key"]["public_key"], contents.schema_version, report, shared)


def _check_report_seal(content: dict, public_key: str, schema_version: int, report=None,
                       shared: SharedEncoding | None = None) -> None:
    """A signed report carries the seal made at Ký (services/signoff.py) by the sender's key, which the
    importer then checks against its registry: a report changed after signing (even with its hashes
    recomputed, even in a file signed with the genuine key) is refused. From schema 6 on every signed
    report has one; an older sender's file has none (its reports were signed the old way)."""
    if content.get("status") not in ("signed", "sent"):
        return
    label = f"{content['template']['code']} kỳ {content['period']['start']}–{content['period']['end']}"
    signature = content.get("signature")
    if not signature:
        if schema_version >= 6:
            _refuse("tampered", f"Báo cáo {label} ghi “Đã ký” nhưng không có chữ ký số của đơn vị; không nhập. "
                                f"Đề nghị đơn vị ký lại và gửi lại.")
        return
    if not keys.verify(public_key, keys.PURPOSE_REPORT, signed_content(content, report, shared), signature):
        _refuse("tampered", f"Báo cáo {label} đã bị thay đổi sau khi ký: chữ ký số của báo cáo không khớp nội "
                            f"dung. Không nhập tệp này; đề nghị đơn vị kiểm tra, ký lại và gửi lại.")
