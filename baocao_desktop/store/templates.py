"""Installed template versions: their YAML source, hash, origin, and which versions reports use; the templates
that came with received transfer files are installed here too (`ensure`), as `received` versions.

Template authority (issue 19.2): a `received` version is only the version a commune's reports pin. It is
never a code's current (latest) version here, so new reports, the template list and `template export --sign`
never use it. Received versions are kept by content (schema 8): two communes sending the same code and version
with different content each keep theirs, and a report is read with the version it pins (`pinned`); lookups of
one (code, version) find this installation's own version first."""
from __future__ import annotations

from typing import NamedTuple

from .db import Store, new_id, now_iso


ORIGINS = ("shipped", "upper", "local", "received", "")
ORIGIN_LABELS = {"shipped": "mẫu có sẵn", "upper": "mẫu của cấp trên (đã ký)", "local": "mẫu tự tạo",
                 "received": "mẫu của đơn vị cấp dưới", "": ""}
# versions that may be a code's current version (every query of "latest" filters on this)
_CURRENT = "origin <> 'received'"
# of several versions with one (code, version): this installation's own first, then the latest received
_OWN_FIRST = "ORDER BY origin = 'received', installed_at DESC, rowid DESC"


class Installed(NamedTuple):
    id: str
    sha256: str
    name: str
    origin: str = ""


def hashes(store: Store) -> set[str]:
    return {row[0] for row in store.conn.execute("SELECT sha256 FROM templates")}


def find(store: Store, code: str, version: int) -> Installed | None:
    """(id, sha256, name, origin) of one installed version: this installation's own, else the latest received
    one (a code only the communes have; each commune's reports pin their own, see `pinned`)."""
    row = store.conn.execute(f"SELECT id, sha256, name, origin FROM templates WHERE code = ? AND version = ? "
                             f"{_OWN_FIRST} LIMIT 1", (code, version)).fetchone()
    return Installed(*row) if row else None


def find_content(store: Store, code: str, version: int, sha256: str) -> Installed | None:
    """The installed version with this code, version and content (own first), if any."""
    row = store.conn.execute(f"SELECT id, sha256, name, origin FROM templates WHERE code = ? AND version = ? "
                             f"AND sha256 = ? {_OWN_FIRST} LIMIT 1", (code, version, sha256)).fetchone()
    return Installed(*row) if row else None


def pinned(store: Store, report_id: str) -> Installed | None:
    """The version a report pins (a received report: the version its commune sent, which may differ from
    another commune's version with the same code and number)."""
    row = store.conn.execute("SELECT t.id, t.sha256, t.name, t.origin FROM reports r JOIN templates t "
                             "ON t.id = r.template_id WHERE r.id = ?", (report_id,)).fetchone()
    return Installed(*row) if row else None


def source_of(store: Store, template_id: str) -> str | None:
    row = store.conn.execute("SELECT source FROM templates WHERE id = ?", (template_id,)).fetchone()
    return row[0] if row else None


def used_by_reports(store: Store, template_id: str) -> bool:
    """Whether any report (even deleted) pins this version: then it must never change."""
    return store.conn.execute("SELECT 1 FROM reports WHERE template_id = ? LIMIT 1", (template_id,)).fetchone() \
        is not None


INSERTED_COLUMNS = ("code", "version", "name", "period", "source", "sha256")


def insert(store: Store, fields: dict, template_id: str | None = None, origin: str = "",
           origin_unit_id: str | None = None) -> str:
    """Install a version (`fields`: INSERTED_COLUMNS; other keys are ignored) under `template_id`, or a new id."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown template origin {origin!r}")
    template_id = template_id or new_id()
    now = now_iso()
    store.conn.execute(
        f"INSERT INTO templates (id, {', '.join(INSERTED_COLUMNS)}, origin, origin_unit_id, installed_at, "
        f"updated_at) VALUES (?, {', '.join('?' for _ in INSERTED_COLUMNS)}, ?, ?, ?, ?)",
        (template_id, *(fields[k] for k in INSERTED_COLUMNS), origin, origin_unit_id, now, now))
    return template_id


def ensure(store: Store, row: dict, sender_id: str) -> str:
    """The id of the installed version with the row's code, version and content (its sha256, checked against
    its source when the transfer file was read); installed from the row (a transfer file's template, from unit
    `sender_id`) when missing, as a `received` version (never current here), under the row's id unless
    another template has it. Another version with the same code and number stays as it is."""
    found = find_content(store, row["code"], row["version"], row["sha256"])
    if found:
        return found.id
    taken = store.conn.execute("SELECT 1 FROM templates WHERE id = ?", (row["id"],)).fetchone()
    return insert(store, row, None if taken else row["id"], origin="received", origin_unit_id=sender_id)


def set_origin(store: Store, template_id: str, origin: str) -> None:
    if origin not in ORIGINS:
        raise ValueError(f"unknown template origin {origin!r}")
    store.conn.execute("UPDATE templates SET origin = ?, origin_unit_id = NULL WHERE id = ?", (origin, template_id))


def mark_shipped(store: Store, hashes: set[str]) -> None:
    """Versions with the content of a template shipped with the program are `shipped`, wherever they came
    from (databases made before schema 7 did not record origins)."""
    # (a received copy of a shipped template stays received where this installation has that number already)
    where = (f"origin <> 'shipped' AND sha256 IN ({', '.join('?' for _ in hashes)}) AND NOT EXISTS (SELECT 1 FROM "
             f"templates own WHERE own.code = templates.code AND own.version = templates.version "
             f"AND own.id <> templates.id AND own.origin <> 'received')")
    # looked at first: starting the program must not write when nothing changes
    if hashes and store.conn.execute(f"SELECT 1 FROM templates WHERE {where} LIMIT 1", tuple(hashes)).fetchone():
        store.conn.execute(f"UPDATE templates SET origin = 'shipped', origin_unit_id = NULL WHERE {where}",
                           tuple(hashes))


def code_origins(store: Store, code: str) -> set[str]:
    """The origins of every installed version of a code (empty: the code is free)."""
    return {row[0] for row in store.conn.execute("SELECT DISTINCT origin FROM templates WHERE code = ?", (code,))}


def code_taken(store: Store, code: str) -> bool:
    return store.conn.execute("SELECT 1 FROM templates WHERE code = ? LIMIT 1", (code,)).fetchone() is not None


def origins(store: Store) -> dict[tuple[str, int], str]:
    """(code, version) → origin, of every installed version (this installation's own when received ones share
    the number)."""
    return {(code, version): origin for code, version, origin in
            store.conn.execute("SELECT code, version, origin FROM templates ORDER BY origin <> 'received'")}


def own(store: Store, code: str, version: int) -> Installed | None:
    """This installation's own version with this code and number (never a received one)."""
    row = store.conn.execute(f"SELECT id, sha256, name, origin FROM templates WHERE code = ? AND version = ? "
                             f"AND {_CURRENT}", (code, version)).fetchone()
    return Installed(*row) if row else None


def update(store: Store, template_id: str, fields: dict) -> None:
    store.db["templates"].update(template_id, {**fields, "updated_at": now_iso()})


def latest_version(store: Store, code: str) -> int | None:
    """The code's current version: the highest one that did not come in another unit's transfer file."""
    row = store.conn.execute(f"SELECT MAX(version) FROM templates WHERE code = ? AND {_CURRENT}", (code,)).fetchone()
    return row[0] if row and row[0] is not None else None


def highest_version(store: Store, code: str) -> int | None:
    """The highest version number in use for the code, received ones included (a new version goes above)."""
    row = store.conn.execute("SELECT MAX(version) FROM templates WHERE code = ?", (code,)).fetchone()
    return row[0] if row and row[0] is not None else None


def source(store: Store, code: str, version: int) -> str | None:
    """The source of the version `find` gives."""
    row = store.conn.execute(f"SELECT source FROM templates WHERE code = ? AND version = ? {_OWN_FIRST} LIMIT 1",
                             (code, version)).fetchone()
    return row[0] if row else None


def latest_versions(store: Store, received_too: bool = False) -> list[tuple[str, int]]:
    """(code, current version) of every template, the most frequent kinds first (weekly, monthly … then
    one-off reports), then by name. `received_too`: also the codes that only came in the units' transfer
    files, with their latest version (what the upper level's inbox and aggregation read them with)."""
    where = _CURRENT if not received_too else \
        f"({_CURRENT} OR code NOT IN (SELECT code FROM templates WHERE {_CURRENT}))"
    return store.conn.execute(
        f"SELECT code, MAX(version) FROM templates WHERE {where} GROUP BY code ORDER BY CASE period "
        "WHEN 'week' THEN 0 WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half_year' THEN 3 "
        "WHEN 'nine_months' THEN 4 WHEN 'year' THEN 5 ELSE 6 END, name"
    ).fetchall()


def latest_names(store: Store) -> dict[str, tuple[str, str]]:
    """Code → (name, period kind) of each template's current version; of its latest received version when
    the code only came in transfer files (a commune's own template, named in the inbox)."""
    names: dict[str, tuple[str, str]] = {}
    for code, name, period in store.conn.execute(
            "SELECT code, name, period FROM templates ORDER BY origin = 'received', version DESC"):
        names.setdefault(code, (name, period))
    return names


def version_counts(store: Store) -> dict[str, int]:
    """Code → how many versions are installed (received ones left out: they are other units')."""
    return dict(store.conn.execute(f"SELECT code, COUNT(*) FROM templates WHERE {_CURRENT} GROUP BY code").fetchall())
