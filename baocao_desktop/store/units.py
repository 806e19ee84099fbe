"""Units: this installation's own unit (is_self) and the units whose reports it received."""
from __future__ import annotations

import datetime as dt

from ..domain.model import Unit
from .db import Store, new_id, now_iso

_COLUMNS = "id, name, level, upper_body, place_name, symbol, format, founded_on"


def _unit(row) -> Unit:
    unit_id, name, level, upper_body, place_name, symbol, format_, founded_on = row
    return Unit(id=unit_id, name=name, level=level, upper_body=upper_body, place_name=place_name, symbol=symbol,
                format=format_, founded_on=dt.date.fromisoformat(founded_on) if founded_on else None)


def own_unit(store: Store) -> Unit | None:
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM units WHERE is_self = 1 AND deleted_at IS NULL LIMIT 1").fetchone()
    return _unit(row) if row else None


def unit(store: Store, unit_id: str) -> Unit | None:
    """Any unit by id, deleted or not (a received report names its sender)."""
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM units WHERE id = ?", (unit_id,)).fetchone()
    return _unit(row) if row else None


def insert_own_unit(store: Store, fields: dict) -> str:
    unit_id = new_id()
    store.db["units"].insert({"id": unit_id, **fields, "is_self": 1, "created_at": now_iso(), "updated_at": now_iso()})
    return unit_id


def update_unit(store: Store, unit_id: str, fields: dict) -> None:
    store.db["units"].update(unit_id, {**fields, "updated_at": now_iso()})


def names(store: Store, others_only: bool = False) -> dict[str, str]:
    """Unit id → name; `others_only`: the units below (not this installation's own)."""
    where = " WHERE is_self = 0" if others_only else ""
    return dict(store.conn.execute(f"SELECT id, name FROM units{where}").fetchall())


def member_unit_ids(store: Store) -> set[str]:
    """The units registered below this one (a live member key): expected to send their reports."""
    return {r[0] for r in store.conn.execute(
        "SELECT unit_id FROM unit_keys WHERE role = 'member' AND revoked_at IS NULL")}
