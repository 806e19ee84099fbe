"""Queries of the stored versions of received reports (`report_versions`): every version received, and
local edits kept as versions, one of them `current`, others `superseded` or in `conflict`.

Plain functions over a Store; the caller (services/exchange) owns the transaction.
"""
from __future__ import annotations

import json

from .db import Store, new_id, now_iso


def versions_to_compare(store: Store, report_id: str) -> list[tuple]:
    """(content_hash, state, sent_at, content, origin, status) of every version of a report."""
    return store.conn.execute("SELECT content_hash, state, sent_at, content, origin, status FROM report_versions "
                        "WHERE report_id = ?", (report_id,)).fetchall()


def current_hash(store: Store, report_id: str) -> str | None:
    row = store.conn.execute("SELECT content_hash FROM report_versions WHERE report_id = ? AND state = 'current'",
                       (report_id,)).fetchone()
    return row[0] if row else None


def version_with_hash(store: Store, report_id: str, content_hash: str) -> tuple | None:
    """(version id, state) of a version of the report with that content, if any."""
    return store.conn.execute("SELECT id, state FROM report_versions WHERE report_id = ? AND content_hash = ?",
                        (report_id, content_hash)).fetchone()


def supersede_current(store: Store, report_id: str, also_conflicts: bool = False,
                      at: str | None = None) -> None:
    """The report's current version (and, with also_conflicts, those waiting for a choice) become superseded."""
    states = "('current', 'conflict')" if also_conflicts else "('current')"
    store.conn.execute(f"UPDATE report_versions SET state = 'superseded', updated_at = ? WHERE report_id = ? "
                 f"AND state IN {states}", (at or now_iso(), report_id))


def make_current(store: Store, version_id: str) -> None:
    store.conn.execute("UPDATE report_versions SET state = 'current', updated_at = ? WHERE id = ?", (now_iso(), version_id))


def received_version_info(store: Store, report_ids: list[str]) -> dict[str, tuple[int, bool]]:
    """Report id → (how many versions were received, whether one is in conflict with local edits)."""
    if not report_ids:
        return {}
    return {rid: (versions, bool(conflict)) for rid, versions, conflict in store.conn.execute(
        f"SELECT report_id, COUNT(*), SUM(state = 'conflict') FROM report_versions WHERE report_id IN "
        f"({', '.join('?' for _ in report_ids)}) AND origin = 'received' GROUP BY report_id", report_ids)}


def add_version(store: Store, report_id: str, content: dict, *, origin: str, state: str,
                content_hash: str, source_report_id: str, bundle_id: str | None, sent_at: str | None,
                author: str) -> str:
    """Store one version of a report (its content as canonical JSON); returns the version id."""
    version_id = new_id()
    now = now_iso()
    store.conn.execute(
        "INSERT INTO report_versions (id, report_id, origin, state, source_report_id, bundle_id, unit_id, "
        "template_code, template_version, period_start, period_end, status, content_hash, content, sent_at, "
        "received_at, author, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (version_id, report_id, origin, state, source_report_id, bundle_id, content["unit_id"],
         content["template"]["code"], content["template"]["version"], content["period"]["start"],
         content["period"]["end"], content["status"], content_hash,
         json.dumps(content, ensure_ascii=False, sort_keys=True), sent_at, now, author, now))
    return version_id


def list_versions(store: Store, report_id: str) -> list[tuple]:
    """(id, report_id, origin, state, status, content_hash, sent_at, received_at, file name, author) of a
    report's versions, in the order they were made."""
    return store.conn.execute(
        "SELECT v.id, v.report_id, v.origin, v.state, v.status, v.content_hash, v.sent_at, v.received_at, "
        "b.file_name, v.author FROM report_versions v LEFT JOIN received_bundles b ON b.id = v.bundle_id "
        "WHERE v.report_id = ? ORDER BY COALESCE(v.sent_at, v.received_at), v.received_at", (report_id,)).fetchall()


def version_content(store: Store, version_id: str, report_id: str | None = None) -> tuple | None:
    """(content JSON, content_hash) of a version (of that report, when given)."""
    if report_id is None:
        return store.conn.execute("SELECT content, content_hash FROM report_versions WHERE id = ?",
                            (version_id,)).fetchone()
    return store.conn.execute("SELECT content, content_hash FROM report_versions WHERE id = ? AND report_id = ?",
                        (version_id, report_id)).fetchone()


def reports_in_conflict(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute(
        "SELECT DISTINCT report_id FROM report_versions WHERE state = 'conflict' ORDER BY report_id")]
