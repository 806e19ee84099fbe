"""The table rows a report has as its own (renamed, added, left out), kept with the report as JSON
(reports.table_rows; read with the report's header, store/reports.py) so that they travel, are versioned
and are signed with the rest of its content."""
from __future__ import annotations

from ..domain.table_rows import decode, encode
from .db import Store

__all__ = ["decode", "encode", "put"]


def put(store: Store, report_id: str, table_rows: dict[str, dict[str, str | None]]) -> None:
    """Replace the report's own rows (the caller's transaction; the caller touches the report)."""
    store.conn.execute("UPDATE reports SET table_rows = ? WHERE id = ?", (encode(table_rows), report_id))
