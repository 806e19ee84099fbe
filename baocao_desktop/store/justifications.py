"""Kept warnings: the written reason (giải trình) given for a warning of a report; withdrawn ones stay."""
from __future__ import annotations

from .db import Store, new_id, now_iso


def live(store: Store, report_id: str) -> dict[str, str]:
    """Finding key → reason."""
    return dict(store.conn.execute(
        "SELECT finding_key, reason FROM justifications WHERE report_id = ? AND deleted_at IS NULL",
        (report_id,)).fetchall())


def withdraw(store: Store, report_id: str, finding_key: str) -> None:
    store.conn.execute("UPDATE justifications SET deleted_at = ?, updated_at = ? WHERE report_id = ? "
                       "AND finding_key = ? AND deleted_at IS NULL", (now_iso(), now_iso(), report_id, finding_key))


def insert(store: Store, report_id: str, finding_key: str, reason: str, author: str) -> None:
    store.db["justifications"].insert({"id": new_id(), "report_id": report_id, "finding_key": finding_key,
                                       "reason": reason, "author": author, "created_at": now_iso(),
                                       "updated_at": now_iso()})
