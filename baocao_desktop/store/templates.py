"""Installed template versions: their YAML source, hash, and which versions reports use; the templates that
came with received transfer files are installed here too (`ensure`)."""
from __future__ import annotations

from typing import NamedTuple

from .db import Store, new_id, now_iso


class Installed(NamedTuple):
    id: str
    sha256: str
    name: str


def hashes(store: Store) -> set[str]:
    return {row[0] for row in store.conn.execute("SELECT sha256 FROM templates")}


def find(store: Store, code: str, version: int) -> Installed | None:
    """(id, sha256, name) of one installed version."""
    row = store.conn.execute("SELECT id, sha256, name FROM templates WHERE code = ? AND version = ?",
                             (code, version)).fetchone()
    return Installed(*row) if row else None


def used_by_reports(store: Store, template_id: str) -> bool:
    """Whether any report (even deleted) pins this version: then it must never change."""
    return store.conn.execute("SELECT 1 FROM reports WHERE template_id = ? LIMIT 1", (template_id,)).fetchone() \
        is not None


INSERTED_COLUMNS = ("code", "version", "name", "period", "source", "sha256")


def insert(store: Store, fields: dict, template_id: str | None = None) -> str:
    """Install a version (`fields`: INSERTED_COLUMNS; other keys are ignored) under `template_id`, or a new id."""
    template_id = template_id or new_id()
    now = now_iso()
    store.conn.execute(
        f"INSERT INTO templates (id, {', '.join(INSERTED_COLUMNS)}, installed_at, updated_at) "
        f"VALUES (?, {', '.join('?' for _ in INSERTED_COLUMNS)}, ?, ?)",
        (template_id, *(fields[k] for k in INSERTED_COLUMNS), now, now))
    return template_id


def ensure(store: Store, row: dict) -> str:
    """The id of the installed version with the row's code and version; installed from the row (a transfer
    file's template) when missing, under the row's id unless another template has it."""
    found = find(store, row["code"], row["version"])
    if found:
        return found.id
    taken = store.conn.execute("SELECT 1 FROM templates WHERE id = ?", (row["id"],)).fetchone()
    return insert(store, row, None if taken else row["id"])


def update(store: Store, template_id: str, fields: dict) -> None:
    store.db["templates"].update(template_id, {**fields, "updated_at": now_iso()})


def latest_version(store: Store, code: str) -> int | None:
    row = store.conn.execute("SELECT MAX(version) FROM templates WHERE code = ?", (code,)).fetchone()
    return row[0] if row and row[0] is not None else None


def source(store: Store, code: str, version: int) -> str | None:
    row = store.conn.execute("SELECT source FROM templates WHERE code = ? AND version = ?",
                             (code, version)).fetchone()
    return row[0] if row else None


def latest_versions(store: Store) -> list[tuple[str, int]]:
    """(code, latest version) of every template, the most frequent kinds first (weekly, monthly … then
    one-off reports), then by name."""
    return store.conn.execute(
        "SELECT code, MAX(version) FROM templates GROUP BY code ORDER BY CASE period WHEN 'week' THEN 0 "
        "WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half_year' THEN 3 WHEN 'nine_months' THEN 4 "
        "WHEN 'year' THEN 5 ELSE 6 END, name"
    ).fetchall()


def latest_names(store: Store) -> dict[str, tuple[str, str]]:
    """Code → (name, period kind) of each template's latest version."""
    return {code: (name, period) for code, name, period in store.conn.execute(
        "SELECT code, name, period FROM templates t WHERE version = (SELECT MAX(version) FROM templates "
        "WHERE code = t.code)")}


def version_counts(store: Store) -> dict[str, int]:
    """Code → how many versions are installed."""
    return dict(store.conn.execute("SELECT code, COUNT(*) FROM templates GROUP BY code").fetchall())
