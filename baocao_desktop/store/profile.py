"""The unit's dated profile facts (hồ sơ đơn vị: area, population...); removed ones are tombstones."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from ..domain.model import ProfileFact
from .db import Store, new_id, now_iso


def facts(store: Store, unit_id: str, until: dt.date | None = None) -> list[ProfileFact]:
    """The unit's live facts by code, oldest first; `until`: only those known on that day."""
    known = "" if until is None else " AND as_of <= ?"
    rows = store.conn.execute(
        "SELECT id, code, label, value, unit, as_of, note, names FROM profile_facts "
        f"WHERE unit_id = ? AND deleted_at IS NULL{known} ORDER BY code, as_of",
        (unit_id,) if until is None else (unit_id, until.isoformat())).fetchall()
    return [ProfileFact(r[0], r[1], r[2], Decimal(r[3]), r[4], dt.date.fromisoformat(r[5]), r[6], _names(r[7]))
            for r in rows]


def _names(text: str | None) -> tuple[str, ...]:
    try:
        names = json.loads(text) if text else []
    except ValueError:
        return ()
    return tuple(n for n in names if isinstance(n, str) and n) if isinstance(names, list) else ()


def encode_names(names) -> str:
    """The names a fact counts → the stored text ('' when none)."""
    names = [str(n).strip() for n in names or () if str(n).strip()]
    return json.dumps(names, ensure_ascii=False) if names else ""


def valid_on(store: Store, unit_id: str, day: dt.date) -> dict[str, ProfileFact]:
    """Code → the fact valid on `day` (the latest dated on or before it): what a report of that day checks."""
    return {fact.code: fact for fact in facts(store, unit_id, until=day)}


def unit_of(store: Store, fact_id: str) -> str | None:
    """The unit of the fact with that id (removed ones included), None when the id is free."""
    row = store.conn.execute("SELECT unit_id FROM profile_facts WHERE id = ?", (fact_id,)).fetchone()
    return row[0] if row else None


def insert(store: Store, unit_id: str, fields: dict) -> str:
    """`fields`: code, label, value (storage text), unit, as_of (ISO date), optionally names (encode_names)."""
    fact_id = new_id()
    store.db["profile_facts"].insert({"id": fact_id, "unit_id": unit_id, **fields,
                                      "created_at": now_iso(), "updated_at": now_iso()})
    return fact_id


def remove(store: Store, fact_id: str) -> None:
    store.db["profile_facts"].update(fact_id, {"deleted_at": now_iso(), "updated_at": now_iso()})
