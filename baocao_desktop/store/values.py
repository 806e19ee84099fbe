"""Indicator figures of reports (actual, plan, cumulative, previous), stored as exact decimal text."""
from __future__ import annotations

from decimal import Decimal

from ..domain.numbers import from_storage
from .db import Store, new_id, now_iso


def _marks(items) -> str:
    return ", ".join("?" for _ in items)


def of_report(store: Store, report_id: str) -> dict[str, dict[str, Decimal]]:
    """Indicator code → field → value (empty figures left out)."""
    found: dict[str, dict[str, Decimal]] = {}
    for _report, code, name, value in of_reports(store, [report_id]):
        found.setdefault(code, {})[name] = value
    return found


def of_reports(store: Store, report_ids) -> list[tuple[str, str, str, Decimal]]:
    """(report id, indicator code, field, value) of several reports (empty figures left out)."""
    report_ids = list(report_ids)
    if not report_ids:
        return []
    return [(rid, code, name, from_storage(value)) for rid, code, name, value in store.conn.execute(
        f"SELECT report_id, indicator_code, field, value FROM indicator_values WHERE report_id IN "
        f"({_marks(report_ids)})", report_ids) if value is not None]


def is_filled(store: Store, report_id: str, code: str, field_name: str) -> bool:
    return store.conn.execute(
        "SELECT 1 FROM indicator_values WHERE report_id = ? AND indicator_code = ? AND field = ? "
        "AND value IS NOT NULL", (report_id, code, field_name)).fetchone() is not None


def put(store: Store, report_id: str, code: str, field_name: str, stored: str | None) -> tuple[bool, str | None]:
    """Write one figure (storage text); returns (changed, the stored text before)."""
    row = store.conn.execute(
        "SELECT id, value FROM indicator_values WHERE report_id = ? AND indicator_code = ? AND field = ?",
        (report_id, code, field_name)).fetchone()
    old = row[1] if row else None
    if old == stored:
        return False, old
    if row:
        store.db["indicator_values"].update(row[0], {"value": stored, "updated_at": now_iso()})
    else:
        store.db["indicator_values"].insert({"id": new_id(), "report_id": report_id, "indicator_code": code,
                                             "field": field_name, "value": stored, "updated_at": now_iso()})
    return True, old


def delete(store: Store, report_id: str, code: str, field_name: str) -> None:
    store.conn.execute("DELETE FROM indicator_values WHERE report_id = ? AND indicator_code = ? AND field = ?",
                       (report_id, code, field_name))


def reports_filling(store: Store, template_code: str, codes) -> dict[str, int]:
    """Indicator code → how many live reports of the template hold a figure for it (among `codes`)."""
    codes = list(codes)
    if not codes:
        return {}
    return dict(store.conn.execute(
        f"SELECT v.indicator_code, COUNT(DISTINCT v.report_id) FROM indicator_values v "
        f"JOIN reports r ON r.id = v.report_id WHERE r.template_code = ? AND r.deleted_at IS NULL "
        f"AND v.value IS NOT NULL AND v.value != '' AND v.indicator_code IN ({_marks(codes)}) "
        f"GROUP BY v.indicator_code", (template_code, *codes)).fetchall())
