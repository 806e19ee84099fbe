"""Queries of what an import writes in the live tables: received reports (with their figures, texts, table
cells and reasons), their units' signers and profile facts, and the stored check summary of each received
report (what the inbox and aggregation show). The templates they came with are installed by templates.py.

Plain functions over a Store; the caller (services/exchange) owns the transaction.
"""
from __future__ import annotations

import json

from ..domain import table_rows
from .db import Store, now_iso, sequential_ids

REPORT_CONTENT_TABLES = ("indicator_values", "section_texts", "table_cells")


def write_report(store: Store, report_id: str, content: dict, template_id: str, insert: bool) -> None:
    """Write a version's content into the live tables (reports, figures, texts, cells, justifications),
    replacing what the report held. The version itself stays in report_versions: these rows are derived."""
    now = now_iso()
    header = content["header"]
    fields = {
        "unit_id": content["unit_id"], "template_id": template_id, "template_code": content["template"]["code"],
        "template_version": content["template"]["version"], "period_kind": content["period"]["kind"],
        "period_start": content["period"]["start"], "period_end": content["period"]["end"],
        "number": header["number"], "report_date": header["report_date"], "place": header["place"],
        "basis": header["basis"], "signer_id": header["signer_id"],
        "recipients": json.dumps(header["recipients"], ensure_ascii=False), "status": content["status"],
        "subject": header.get("subject"), "closing": header.get("closing"),
        **dict(zip(("signer_on_behalf", "signer_title", "signer_name"), header.get("signed_by") or (None,) * 3)),
        "table_rows": table_rows.encode(content.get("table_rows") or {}),
        "content_hash": content.get("content_hash"), "signature": content.get("signature"),
        "signature_key": content.get("signature_key"), "signed_at": content.get("signed_at"), "updated_at": now,
    }
    if insert:
        fields.update(id=report_id, created_at=content.get("created_at") or now)
        store.conn.execute(f"INSERT INTO reports ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
                     tuple(fields.values()))
    else:
        store.conn.execute(f"UPDATE reports SET {', '.join(f'{k} = ?' for k in fields)}, deleted_at = NULL WHERE id = ?",
                     (*fields.values(), report_id))
        for table in REPORT_CONTENT_TABLES:
            store.conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        store.conn.execute("UPDATE justifications SET deleted_at = ?, updated_at = ? WHERE report_id = ? "
                     "AND deleted_at IS NULL", (now, now, report_id))
    values = [(report_id, code, name, value, now) for code, fields in content["values"].items()
              for name, value in fields.items()]
    texts = [(report_id, path, text, now) for path, text in content["texts"].items()]
    cells = [(report_id, t, r, c, v, now) for t, rows in content["tables"].items()
             for r, cols in rows.items() for c, v in cols.items()]
    justs = [(report_id, key, j["reason"], j.get("author") or "", j.get("created_at") or now, now)
             for key, j in content.get("justifications", {}).items()]
    ids = iter(sequential_ids(len(values) + len(texts) + len(cells) + len(justs)))
    store.conn.executemany(
        "INSERT INTO indicator_values (id, report_id, indicator_code, field, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(next(ids), *row) for row in values])
    store.conn.executemany(
        "INSERT INTO section_texts (id, report_id, section_path, markup, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(next(ids), *row) for row in texts])
    store.conn.executemany(
        "INSERT INTO table_cells (id, report_id, table_code, row_code, column_code, value, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(next(ids), *row) for row in cells])
    store.conn.executemany(
        "INSERT INTO justifications (id, report_id, finding_key, reason, author, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(next(ids), *row) for row in justs])


def save_check_summary(store: Store, report_id: str, content_hash: str, summary: dict,
                       findings: list[dict]) -> None:
    """The stored result of checking a received report (counts, and the findings shown in the inbox)."""
    store.conn.execute(
        "INSERT INTO check_summaries (report_id, content_hash, errors, warnings, kept_warnings, findings, checked_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(report_id) DO UPDATE SET content_hash = excluded.content_hash, "
        "errors = excluded.errors, warnings = excluded.warnings, kept_warnings = excluded.kept_warnings, "
        "findings = excluded.findings, checked_at = excluded.checked_at",
        (report_id, content_hash, summary["errors"], summary["warnings"], summary["kept_warnings"],
         json.dumps(findings, ensure_ascii=False), now_iso()))


def error_counts(store: Store, report_ids: list[str]) -> dict[str, int]:
    """Report id → the errors its checks found when last run (check_summaries)."""
    if not report_ids:
        return {}
    return dict(store.conn.execute(f"SELECT report_id, errors FROM check_summaries WHERE report_id IN "
                                   f"({', '.join('?' for _ in report_ids)})", report_ids).fetchall())


# -- the sending unit's signers and profile facts, as received ----------------------------------------------
UPSERTED_TABLES = ("signers", "profile_facts")
_columns_cache: dict[tuple[int, str], list[str]] = {}


def _table_columns(store: Store, table: str) -> list[str]:
    key = (id(store.conn), table)
    if key not in _columns_cache:
        _columns_cache[key] = [c[1] for c in store.conn.execute(f"PRAGMA table_info({table})")]
    return _columns_cache[key]


def upsert_newer(store: Store, table: str, row: dict) -> None:
    """Insert a row received in a transfer file (signers, profile_facts), or update the stored one when the
    received row is newer (updated_at); columns this schema does not have are left out."""
    if table not in UPSERTED_TABLES:
        raise ValueError(f"not a table of received rows: {table}")
    columns = _table_columns(store, table)
    data = {k: v for k, v in row.items() if k in columns}
    existing = store.conn.execute(f"SELECT updated_at, unit_id FROM {table} WHERE id = ?", (row["id"],)).fetchone()
    if existing is not None and existing[1] != row.get("unit_id"):
        # rows belong to their sender: classify refuses such a file; never move another unit's row
        raise ValueError(f"{table} {row['id']} belongs to another unit")
    if existing is None:
        store.conn.execute(f"INSERT INTO {table} ({', '.join(data)}) VALUES ({', '.join('?' for _ in data)})",
                     tuple(data.values()))
    elif (row.get("updated_at") or "") > (existing[0] or ""):
        sets = [k for k in data if k != "id"]
        store.conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ? AND unit_id = ?",
                     (*[data[k] for k in sets], row["id"], row["unit_id"]))
