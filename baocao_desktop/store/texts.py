"""The narrative of reports: one rich-text markup per section path."""
from __future__ import annotations

from .db import Store, new_id, now_iso


def of_report(store: Store, report_id: str) -> dict[str, str]:
    """Section path → markup."""
    return dict(store.conn.execute("SELECT section_path, markup FROM section_texts WHERE report_id = ?",
                                   (report_id,)).fetchall())


def of_reports(store: Store, report_ids) -> list[tuple[str, str, str]]:
    """(report id, section path, markup) of the non-empty texts of several reports."""
    report_ids = list(report_ids)
    if not report_ids:
        return []
    return store.conn.execute(
        f"SELECT report_id, section_path, markup FROM section_texts WHERE report_id IN "
        f"({', '.join('?' for _ in report_ids)}) AND markup != ''", report_ids).fetchall()


def markup(store: Store, report_id: str, path: str) -> str | None:
    """One section's stored markup; None when it was never written."""
    row = store.conn.execute("SELECT markup FROM section_texts WHERE report_id = ? AND section_path = ?",
                             (report_id, path)).fetchone()
    return row[0] if row else None


def put(store: Store, report_id: str, path: str, markup_text: str) -> None:
    row = store.conn.execute("SELECT id FROM section_texts WHERE report_id = ? AND section_path = ?",
                             (report_id, path)).fetchone()
    if row:
        store.db["section_texts"].update(row[0], {"markup": markup_text, "updated_at": now_iso()})
    else:
        store.db["section_texts"].insert({"id": new_id(), "report_id": report_id, "section_path": path,
                                          "markup": markup_text, "updated_at": now_iso()})


def delete(store: Store, report_id: str, path: str) -> None:
    store.conn.execute("DELETE FROM section_texts WHERE report_id = ? AND section_path = ?", (report_id, path))
