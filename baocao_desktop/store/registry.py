"""Queries of the key registry: the signing keys (`unit_keys`: the own unit's key pair, the public keys of
the units below and of the level above). The units they belong to are stored by units.py.

Plain functions over a Store; the caller (services/exchange) owns the transaction. A revoked key
is never deleted: it keeps `revoked_at`, so that what was verified with it can still be told.
"""
from __future__ import annotations

from .db import Store, new_id, now_iso

KEY_COLUMNS = "k.unit_id, u.name, k.role, k.public_key, k.fingerprint, k.created_at, k.source"


def active_keys(store: Store, *, role: str | None = None, unit_id: str | None = None,
                foreign_only: bool = False) -> list[tuple]:
    """Rows (unit_id, unit name, role, public_key, fingerprint, created_at, source) of keys not revoked,
    by unit name; `role` one of self | member | upper, `foreign_only` every role but self."""
    where, params = ["k.revoked_at IS NULL"], []
    if role is not None:
        where.append("k.role = ?")
        params.append(role)
    if foreign_only:
        where.append("k.role != 'self'")
    if unit_id is not None:
        where.append("k.unit_id = ?")
        params.append(unit_id)
    return store.conn.execute(f"SELECT {KEY_COLUMNS} FROM unit_keys k JOIN units u ON u.id = k.unit_id "
                        f"WHERE {' AND '.join(where)} ORDER BY u.name", params).fetchall()


def active_key(store: Store, unit_id: str, role: str) -> tuple | None:
    """(key id, public_key, fingerprint) of the unit's key in that role, if one is registered."""
    return store.conn.execute("SELECT id, public_key, fingerprint FROM unit_keys WHERE unit_id = ? AND role = ? "
                        "AND revoked_at IS NULL", (unit_id, role)).fetchone()


def active_upper_key(store: Store) -> tuple | None:
    """(key id, unit name, fingerprint) of the level above's key, if one is registered."""
    return store.conn.execute("SELECT k.id, u.name, k.fingerprint FROM unit_keys k JOIN units u ON u.id = k.unit_id "
                        "WHERE k.role = 'upper' AND k.revoked_at IS NULL").fetchone()


def own_private_key(store: Store, unit_id: str) -> str | None:
    """What the database keeps of the own unit's private key: a reference to its protected storage
    (exchange/key_protection.py), or the clear key of a database older than schema 6."""
    row = store.conn.execute("SELECT private_key FROM unit_keys WHERE role = 'self' AND revoked_at IS NULL "
                       "AND unit_id = ?", (unit_id,)).fetchone()
    return row[0] if row else None


def own_private_keys(store: Store) -> list[tuple]:
    """(key id, private_key as stored, fingerprint, revoked_at) of every own key that has a private part."""
    return store.conn.execute("SELECT id, private_key, fingerprint, revoked_at FROM unit_keys WHERE role = 'self' "
                              "AND private_key IS NOT NULL").fetchall()


def set_private_key(store: Store, key_id: str, private_key: str | None) -> None:
    store.conn.execute("UPDATE unit_keys SET private_key = ?, updated_at = ? WHERE id = ?",
                       (private_key, now_iso(), key_id))


def wipe_freed_pages(store: Store) -> None:
    """Overwrite what the last writes freed (a clear private key replaced by a reference): zero the free
    pages (secure_delete applies from now on; VACUUM rewrites the file) and empty the write-ahead log."""
    store.conn.execute("PRAGMA secure_delete = ON")
    store.conn.execute("VACUUM")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def public_key_of(store: Store, unit_id: str, fingerprint: str) -> str | None:
    """The public key with that fingerprint registered for the unit, or one of this installation's own keys
    (a received report signed again here), revoked or not (a report signed before a key change still
    verifies with the key that signed it)."""
    row = store.conn.execute("SELECT public_key FROM unit_keys WHERE fingerprint = ? AND (unit_id = ? OR "
                             "role = 'self') ORDER BY revoked_at IS NOT NULL LIMIT 1",
                             (fingerprint, unit_id)).fetchone()
    return row[0] if row else None


def revoke_own_keys(store: Store) -> None:
    """Every own key not revoked yet is revoked (a new one is about to be made)."""
    at = now_iso()
    store.conn.execute("UPDATE unit_keys SET revoked_at = ?, updated_at = ? WHERE role = 'self' AND revoked_at IS NULL",
                 (at, at))


def revoke_key(store: Store, key_id: str) -> None:
    at = now_iso()
    store.conn.execute("UPDATE unit_keys SET revoked_at = ?, updated_at = ? WHERE id = ?", (at, at, key_id))


def add_key(store: Store, unit_id: str, role: str, algorithm: str, public_key: str, fingerprint: str,
            source: str, private_key: str | None = None) -> None:
    at = now_iso()
    store.conn.execute(
        "INSERT INTO unit_keys (id, unit_id, role, algorithm, public_key, private_key, fingerprint, source, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (new_id(), unit_id, role, algorithm, public_key, private_key, fingerprint, source, at, at))


def member_unit_ids(store: Store) -> set[str]:
    """The units registered below this one (a live member key): expected to send their reports."""
    return {r[0] for r in store.conn.execute(
        "SELECT unit_id FROM unit_keys WHERE role = 'member' AND revoked_at IS NULL")}
