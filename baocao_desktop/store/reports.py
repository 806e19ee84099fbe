"""Reports: the header row (unit, template version, period, number, date, signer, status) and the
queries that pick reports by unit, template and period. Figures, texts and cells are in values.py,
texts.py and cells.py."""
from __future__ import annotations

import datetime as dt
import json

from ..domain.dates import Period
from ..domain.model import Report, SignerLines
from ..domain.table_rows import decode as decode_table_rows
from .db import Store, now_iso

_LIVE = "deleted_at IS NULL"


def header(store: Store, report_id: str) -> Report | None:
    """A live report without its content (values, texts, tables empty)."""
    cursor = store.conn.execute(f"SELECT * FROM reports WHERE id = ? AND {_LIVE}", (report_id,))
    row = cursor.fetchone()
    if not row:
        return None
    data = dict(zip([d[0] for d in cursor.description], row))
    return Report(
        id=data["id"], unit_id=data["unit_id"], template_code=data["template_code"],
        template_version=data["template_version"],
        period=Period(data["period_kind"], dt.date.fromisoformat(data["period_start"]),
                      dt.date.fromisoformat(data["period_end"])),
        number=data["number"], report_date=dt.date.fromisoformat(data["report_date"]) if data["report_date"] else None,
        place=data["place"], basis=data["basis"], signer_id=data["signer_id"],
        recipients=json.loads(data["recipients"] or "[]"), status=data["status"], updated_at=data["updated_at"],
        content_hash=data["content_hash"], subject=data.get("subject"), closing=data.get("closing"),
        signer=signer_lines(data), table_rows=decode_table_rows(data.get("table_rows")),
        signature=data.get("signature"), signature_key=data.get("signature_key"),
    )


SIGNER_COLUMNS = ("signer_on_behalf", "signer_title", "signer_name")


def signer_lines(row: dict) -> SignerLines | None:
    """The signature block stored in a report row; None when nothing is stored (NULL columns)."""
    values = [row.get(column) for column in SIGNER_COLUMNS]
    if all(v is None for v in values):
        return None
    return SignerLines(*(v or "" for v in values))


def signer_columns(signer: SignerLines | None) -> dict:
    """The columns that store a signature block (all NULL for None)."""
    if signer is None:
        return dict.fromkeys(SIGNER_COLUMNS)
    return dict(zip(SIGNER_COLUMNS, (signer.on_behalf, signer.title, signer.name)))


def header_fields(store: Store, report_id: str, columns) -> tuple:
    """The stored values of some header columns (names from the service's fixed list), in that order."""
    columns = list(columns)
    if not columns:
        return ()
    return store.conn.execute(f"SELECT {', '.join(columns)} FROM reports WHERE id = ?", (report_id,)).fetchone()


def insert(store: Store, fields: dict) -> None:
    store.db["reports"].insert({**fields, "created_at": now_iso(), "updated_at": now_iso()})


def update(store: Store, report_id: str, fields: dict | None = None) -> None:
    """Change header columns; without `fields` only the time of the last change (any edit of the content)."""
    store.db["reports"].update(report_id, {**(fields or {}), "updated_at": now_iso()})


def mark_deleted(store: Store, report_id: str) -> None:
    store.db["reports"].update(report_id, {"deleted_at": now_iso(), "updated_at": now_iso()})


def ids(store: Store, own_only: bool = True) -> list[str]:
    """Newest period first; `own_only`: only this installation's own unit's reports."""
    own = " AND unit_id IN (SELECT id FROM units WHERE is_self = 1 AND deleted_at IS NULL)" if own_only else ""
    return [r[0] for r in store.conn.execute(
        f"SELECT id FROM reports WHERE {_LIVE}{own} ORDER BY period_start DESC, created_at DESC")]


def find_same_period(store: Store, unit_id: str, template_code: str, start: dt.date, end: dt.date) -> str | None:
    row = store.conn.execute(
        f"SELECT id FROM reports WHERE unit_id = ? AND template_code = ? AND period_start = ? AND period_end = ? "
        f"AND {_LIVE}", (unit_id, template_code, start.isoformat(), end.isoformat())).fetchone()
    return row[0] if row else None


def unit_id_of(store: Store, report_id: str) -> str | None:
    """The unit of the report with that id (deleted ones included), None when the id is free."""
    row = store.conn.execute("SELECT unit_id FROM reports WHERE id = ?", (report_id,)).fetchone()
    return row[0] if row else None


def next_id(store: Store, report_id: str) -> str | None:
    """The same unit's next report of the same template (whose cumulative checks compare with this one)."""
    row = store.conn.execute(
        "SELECT n.id FROM reports r JOIN reports n ON n.unit_id = r.unit_id AND n.template_code = r.template_code "
        "AND n.period_start > r.period_end AND n.deleted_at IS NULL WHERE r.id = ? ORDER BY n.period_start LIMIT 1",
        (report_id,)).fetchone()
    return row[0] if row else None


def earlier_ids(store: Store, unit_id: str, template_code: str, before: dt.date, limit: int = 1) -> list[str]:
    """The unit's reports of this template that ended before `before`, the latest first."""
    return [r[0] for r in store.conn.execute(
        f"SELECT id FROM reports WHERE unit_id = ? AND template_code = ? AND period_end < ? AND {_LIVE} "
        f"ORDER BY period_end DESC LIMIT ?", (unit_id, template_code, before.isoformat(), limit))]


def ids_ending_on(store: Store, unit_id: str, end: dt.date, except_id: str) -> list[str]:
    """The unit's other reports (any template) whose period ends on `end`."""
    return [r[0] for r in store.conn.execute(
        f"SELECT id FROM reports WHERE unit_id = ? AND period_end = ? AND id != ? AND {_LIVE}",
        (unit_id, end.isoformat(), except_id))]


def monthly_ids(store: Store, unit_id: str, start: dt.date, end: dt.date, except_id: str) -> list[str]:
    """The unit's monthly reports (any template) for exactly this month, the last changed last."""
    return [r[0] for r in store.conn.execute(
        f"SELECT id FROM reports WHERE unit_id = ? AND period_kind = 'month' AND period_start = ? "
        f"AND period_end = ? AND id != ? AND {_LIVE} ORDER BY updated_at",
        (unit_id, start.isoformat(), end.isoformat(), except_id))]


def counts_by_template_version(store: Store) -> dict[tuple[str, int], int]:
    """(template code, version) → how many live reports use it."""
    return {(code, version): n for code, version, n in store.conn.execute(
        f"SELECT template_code, template_version, COUNT(*) FROM reports WHERE {_LIVE} "
        f"GROUP BY template_code, template_version")}


# -- reports received from the units below ------------------------------------------------------------
def _marks(items) -> str:
    return ", ".join("?" for _ in items)


def received_for_period(store: Store, template_code: str, start: dt.date, end: dt.date | None,
                        overlapping: bool = False) -> list[tuple]:
    """(id, unit_id, unit name, status, period_start, period_end) of the other units' reports of the template:
    `overlapping` those that overlap start..end, else those for exactly that period (any end when `end` is None)."""
    base = ("SELECT r.id, r.unit_id, u.name, r.status, r.period_start, r.period_end FROM reports r "
            "JOIN units u ON u.id = r.unit_id WHERE r.template_code = ? AND r.deleted_at IS NULL AND u.is_self = 0")
    if overlapping:
        return store.conn.execute(base + " AND r.period_start <= ? AND r.period_end >= ?",
                                  (template_code, end.isoformat(), start.isoformat())).fetchall()
    if end is not None:
        return store.conn.execute(base + " AND r.period_start = ? AND r.period_end = ?",
                                  (template_code, start.isoformat(), end.isoformat())).fetchall()
    return store.conn.execute(base + " AND r.period_start = ?", (template_code, start.isoformat())).fetchall()


def sending_unit_ids(store: Store, template_code: str) -> set[str]:
    """The other units that ever sent a report of this template."""
    return {r[0] for r in store.conn.execute(
        "SELECT DISTINCT r.unit_id FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.template_code = ? "
        "AND r.deleted_at IS NULL AND u.is_self = 0", (template_code,))}


def received_with_checks(store: Store, template_code: str | None = None) -> list[tuple]:
    """Each received report of the other units (optionally of one template): (id, unit_id, template_code,
    period_kind, period_start, period_end, status, first sent/received time, first received time, received
    versions, conflicts, errors, warnings, kept warnings)."""
    params: list = []
    where = ""
    if template_code:
        where = " AND r.template_code = ?"
        params.append(template_code)
    return store.conn.execute(
        "SELECT r.id, r.unit_id, r.template_code, r.period_kind, r.period_start, r.period_end, r.status, "
        "MIN(COALESCE(v.sent_at, v.received_at)), MIN(v.received_at), COUNT(v.id), "
        "SUM(v.state = 'conflict'), c.errors, c.warnings, c.kept_warnings "
        "FROM reports r JOIN units u ON u.id = r.unit_id "
        "JOIN report_versions v ON v.report_id = r.id AND v.origin = 'received' "
        "LEFT JOIN check_summaries c ON c.report_id = r.id "
        f"WHERE r.deleted_at IS NULL AND u.is_self = 0{where} GROUP BY r.id", params).fetchall()


def previous_ids_per_unit(store: Store, template_code: str, before: dt.date, unit_ids: list[str]) -> dict[str, str]:
    """Report id → unit id: each unit's report of the template that ended last before `before`."""
    if not unit_ids:
        return {}
    return dict(store.conn.execute(
        f"SELECT r.id, r.unit_id FROM reports r WHERE r.template_code = ? AND r.deleted_at IS NULL AND r.unit_id IN "
        f"({_marks(unit_ids)}) AND r.period_end < ? AND r.period_end = (SELECT MAX(p.period_end) FROM reports p "
        f"WHERE p.unit_id = r.unit_id AND p.template_code = r.template_code AND p.deleted_at IS NULL "
        f"AND p.period_end < ?)", (template_code, *unit_ids, before.isoformat(), before.isoformat())).fetchall())


def of_unit_within(store: Store, unit_id: str, start: dt.date, end: dt.date, except_id: str = "") -> list[tuple]:
    """(id, template_code, period_kind, period_start, period_end) of the unit's other live reports whose period
    lies wholly inside start..end (dates as ISO text), the last changed last."""
    return store.conn.execute(
        f"SELECT id, template_code, period_kind, period_start, period_end FROM reports WHERE unit_id = ? "
        f"AND period_start >= ? AND period_end <= ? AND id != ? AND {_LIVE} ORDER BY updated_at, created_at, id",
        (unit_id, start.isoformat(), end.isoformat(), except_id)).fetchall()
