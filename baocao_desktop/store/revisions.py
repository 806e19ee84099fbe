"""Reading the revision log (who changed what, when, old → new); `Store.log_revision` writes it."""
from __future__ import annotations

from .db import Store


def of_report(store: Store, report_id: str) -> list[dict]:
    """Every change of a report, oldest first: entity, entity_key, old, new, author, at."""
    cursor = store.conn.execute(
        "SELECT entity, entity_key, old, new, author, at FROM revisions WHERE report_id = ? ORDER BY at",
        (report_id,))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def of_entity(store: Store, report_id: str, entity: str) -> list[tuple[str, str, str, str]]:
    """(old, new, author, at) of one kind of change of a report, oldest first."""
    return store.conn.execute(
        "SELECT old, new, author, at FROM revisions WHERE report_id = ? AND entity = ? ORDER BY at, rowid",
        (report_id, entity)).fetchall()


def latest_new(store: Store, report_id: str, entity: str, entity_key: str) -> str | None:
    """The newest value logged for one field of a report."""
    row = store.conn.execute(
        "SELECT new FROM revisions WHERE report_id = ? AND entity = ? AND entity_key = ? "
        "ORDER BY at DESC LIMIT 1", (report_id, entity, entity_key)).fetchone()
    return row[0] if row else None


def latest_authors(store: Store, report_id: str, entity: str) -> dict[str, tuple[str, str | None]]:
    """entity_key → (author, old) of the newest change of each field of one kind (the program's own writes
    are told apart by their author)."""
    found: dict[str, tuple[str, str | None]] = {}
    for key, author, old in store.conn.execute(
            "SELECT entity_key, author, old FROM revisions WHERE report_id = ? AND entity = ? ORDER BY at, rowid",
            (report_id, entity)):
        found[key] = (author, old)
    return found
