"""Queries of the import log (`received_bundles`: every transfer file imported, with its signed manifest)
and the consistent snapshot a transfer file is made from.

Plain functions over a Store; the caller (services/exchange) owns the transaction.
"""
from __future__ import annotations

from pathlib import Path

from .db import Store


def snapshot_into(store: Store, dest: Path) -> None:
    """A consistent copy of the whole database at `dest` (VACUUM INTO), which exchange/bundle.py then
    turns into a transfer file. Outside a transaction: VACUUM cannot run inside one."""
    dest = Path(dest)
    if dest.exists():
        dest.unlink()
    if store.conn.in_transaction:
        raise RuntimeError("snapshot_into needs the connection outside a transaction")
    store.conn.execute("VACUUM INTO ?", (str(dest),))


def imported_at(store: Store, bundle_id: str) -> str | None:
    """When that transfer file was imported here, or None."""
    row = store.conn.execute("SELECT imported_at FROM received_bundles WHERE id = ?", (bundle_id,)).fetchone()
    return row[0] if row else None


def sender_of(store: Store, bundle_id: str) -> str | None:
    """The unit that sent the imported transfer file with that id, None when none was imported."""
    row = store.conn.execute("SELECT unit_id FROM received_bundles WHERE id = ?", (bundle_id,)).fetchone()
    return row[0] if row else None


def newest_created_at(store: Store, unit_id: str) -> str | None:
    """created_at of the newest file imported from that unit (an index look-up, received_bundles_by_unit)."""
    return store.conn.execute("SELECT MAX(created_at) FROM received_bundles WHERE unit_id = ?", (unit_id,)).fetchone()[0]


def add_received_bundle(store: Store, *, bundle_id: str, unit_id: str, file_name: str,
                        file_sha256: str, payload_sha256: str, manifest: str, signature: str, key_fingerprint: str,
                        created_at: str, imported_at: str, imported_by: str) -> None:
    store.conn.execute(
        "INSERT INTO received_bundles (id, unit_id, file_name, file_sha256, payload_sha256, manifest, signature, "
        "key_fingerprint, created_at, imported_at, imported_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (bundle_id, unit_id, file_name, file_sha256, payload_sha256, manifest, signature, key_fingerprint, created_at,
         imported_at, imported_by, imported_at))
