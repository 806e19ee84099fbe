"""The people who sign the unit's reports, in the order the header offers them; removed ones are tombstones."""
from __future__ import annotations

from ..domain.model import Signer
from .db import Store, new_id, now_iso


def live(store: Store, unit_id: str) -> list[Signer]:
    rows = store.conn.execute(
        "SELECT id, on_behalf, title, name FROM signers WHERE unit_id = ? AND deleted_at IS NULL "
        "ORDER BY position", (unit_id,)).fetchall()
    return [Signer(*row) for row in rows]


def unit_of(store: Store, signer_id: str) -> str | None:
    """The unit of the signer with that id (removed ones included), None when the id is free."""
    row = store.conn.execute("SELECT unit_id FROM signers WHERE id = ?", (signer_id,)).fetchone()
    return row[0] if row else None


def insert(store: Store, unit_id: str, fields: dict) -> str:
    signer_id = new_id()
    store.db["signers"].insert({"id": signer_id, "unit_id": unit_id, **fields,
                                "created_at": now_iso(), "updated_at": now_iso()})
    return signer_id


def update(store: Store, signer_id: str, fields: dict) -> None:
    store.db["signers"].update(signer_id, {**fields, "updated_at": now_iso()})


def remove(store: Store, signer_id: str) -> None:
    store.db["signers"].update(signer_id, {"deleted_at": now_iso(), "updated_at": now_iso()})
