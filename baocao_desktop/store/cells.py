"""Figures in the table cells of reports (table, row, column), stored as exact decimal text."""
from __future__ import annotations

from decimal import Decimal

from ..domain.numbers import from_storage
from .db import Store, new_id, now_iso


def of_report(store: Store, report_id: str) -> dict[str, dict[str, dict[str, Decimal]]]:
    """Table code → row code → column code → value (empty cells left out)."""
    found: dict = {}
    for table, row, column, value in of_reports(store, [report_id]):
        found.setdefault(table, {}).setdefault(row, {})[column] = value
    return found


def of_reports(store: Store, report_ids) -> list[tuple[str, str, str, Decimal]]:
    """(table, row, column, value) of every filled cell of several reports."""
    report_ids = list(report_ids)
    if not report_ids:
        return []
    return [(table, row, column, from_storage(value)) for table, row, column, value in store.conn.execute(
        f"SELECT table_code, row_code, column_code, value FROM table_cells WHERE report_id IN "
        f"({', '.join('?' for _ in report_ids)})", report_ids) if value is not None]


def put(store: Store, report_id: str, table: str, row: str, column: str,
        stored: str | None) -> tuple[bool, str | None]:
    """Write one cell (storage text); returns (changed, the stored text before)."""
    existing = store.conn.execute(
        "SELECT id, value FROM table_cells WHERE report_id = ? AND table_code = ? AND row_code = ? "
        "AND column_code = ?", (report_id, table, row, column)).fetchone()
    old = existing[1] if existing else None
    if old == stored:
        return False, old
    if existing:
        store.db["table_cells"].update(existing[0], {"value": stored, "updated_at": now_iso()})
    else:
        store.db["table_cells"].insert({"id": new_id(), "report_id": report_id, "table_code": table,
                                        "row_code": row, "column_code": column, "value": stored,
                                        "updated_at": now_iso()})
    return True, old


def delete(store: Store, report_id: str, table: str, row: str, column: str) -> None:
    store.conn.execute("DELETE FROM table_cells WHERE report_id = ? AND table_code = ? AND row_code = ? "
                       "AND column_code = ?", (report_id, table, row, column))


def filled_by_template(store: Store, template_code: str) -> list[tuple[str, str, str, str]]:
    """(table, row, column, report id) of every filled cell in the live reports of a template."""
    return store.conn.execute(
        "SELECT c.table_code, c.row_code, c.column_code, c.report_id FROM table_cells c "
        "JOIN reports r ON r.id = c.report_id WHERE r.template_code = ? AND r.deleted_at IS NULL "
        "AND c.value IS NOT NULL AND c.value != ''", (template_code,)).fetchall()
