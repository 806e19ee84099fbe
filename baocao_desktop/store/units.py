"""Units: this installation's own unit (is_self) and the units whose reports or keys it received (their
rows come from transfer and key files, is_self 0)."""
from __future__ import annotations

import datetime as dt

from ..domain.model import Unit
from .db import Store, new_id, now_iso

# the columns a transfer file or key file may set for a unit that is not the own unit
UNIT_COLUMNS = ("name", "level", "upper_body", "place_name", "symbol", "format", "founded_on")
_COLUMNS = "id, " + ", ".join(UNIT_COLUMNS)


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


def _insert(store: Store, unit_id: str, fields: dict, own: bool) -> None:
    at = now_iso()
    store.conn.execute(f"INSERT INTO units (id, {', '.join(fields)}, is_self, created_at, updated_at) "
                       f"VALUES (?, {', '.join('?' for _ in fields)}, ?, ?, ?)",
                       (unit_id, *fields.values(), int(own), at, at))


def insert_own_unit(store: Store, fields: dict) -> str:
    unit_id = new_id()
    _insert(store, unit_id, fields, own=True)
    return unit_id


def update_unit(store: Store, unit_id: str, fields: dict) -> None:
    store.conn.execute(f"UPDATE units SET {', '.join(f'{k} = ?' for k in fields)}, updated_at = ? WHERE id = ?",
                       (*fields.values(), now_iso(), unit_id))


def unit_fields(store: Store, unit_id: str) -> tuple[bool, dict] | None:
    """(is the own unit, {UNIT_COLUMNS: stored text}) of a stored unit, None when there is none."""
    row = store.conn.execute(f"SELECT is_self, {', '.join(UNIT_COLUMNS)} FROM units WHERE id = ?",
                             (unit_id,)).fetchone()
    if row is None:
        return None
    return row[0] == 1, dict(zip(UNIT_COLUMNS, row[1:]))


def add_foreign_unit(store: Store, unit_id: str, fields: dict) -> None:
    """A unit that is not this installation's own (`fields`: some of UNIT_COLUMNS)."""
    _insert(store, unit_id, fields, own=False)


def names(store: Store, others_only: bool = False) -> dict[str, str]:
    """Unit id → name; `others_only`: the units below (not this installation's own)."""
    where = " WHERE is_self = 0" if others_only else ""
    return dict(store.conn.execute(f"SELECT id, name FROM units{where}").fetchall())
