"""Use case: aggregate one template and period across the units below (issue 7 point 6), and the
summary report built from it. The combining rules are in aggregate/combine.py.

Which reports: those of the template for exactly the chosen period (a weekly report: the Monday–Sunday
week containing START); for custom (thematic) periods, each unit's report overlapping START..END.
Only reports of other units count (the upper level's own reports are not part of its inbox), the
version in use (the current one; a pending conflict is flagged in `units[].conflict`).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from ..aggregate.combine import combine_indicator
from ..aggregate.model import Aggregation, Narrative, UnitEntry
from ..domain.dates import Period, parse_date, week_of
from ..domain.numbers import from_storage
from .errors import ServiceError


def parse_period_arg(text: str) -> tuple[dt.date, dt.date | None]:
    """"2026-06-01" or "01/6/2026", or "START..END"."""
    start, _, end = (text or "").partition("..")
    try:
        return parse_date(start), (parse_date(end) if end else None)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


def _placeholders(items) -> str:
    return ", ".join("?" for _ in items)


def aggregate(ws, template_code: str, start, end=None, units: list[str] | None = None) -> Aggregation:
    template = ws.template(template_code)
    start, end = _as_date(start), _as_date(end)
    conn = ws.store.conn
    if template.period == "week":
        period = week_of(start)
        if end is not None and end != period.end:
            raise ServiceError("Báo cáo tuần: chọn một tuần (ngày bắt đầu là thứ Hai), không chọn khoảng nhiều tuần.")
        start, end = period.start, period.end
    base = ("SELECT r.id, r.unit_id, u.name, r.status, r.period_start, r.period_end FROM reports r "
            "JOIN units u ON u.id = r.unit_id WHERE r.template_code = ? AND r.deleted_at IS NULL AND u.is_self = 0")
    if template.period == "custom" and end is not None:
        rows = conn.execute(base + " AND r.period_start <= ? AND r.period_end >= ?",
                            (template.code, end.isoformat(), start.isoformat())).fetchall()
    elif end is not None:
        rows = conn.execute(base + " AND r.period_start = ? AND r.period_end = ?",
                            (template.code, start.isoformat(), end.isoformat())).fetchall()
    else:
        rows = conn.execute(base + " AND r.period_start = ?", (template.code, start.isoformat())).fetchall()
        ends = {r[5] for r in rows}
        if len(ends) > 1:
            raise ServiceError("Các đơn vị gửi báo cáo cùng ngày bắt đầu nhưng khác ngày kết thúc; hãy ghi rõ kỳ "
                               "START..END.")
        end = dt.date.fromisoformat(ends.pop()) if ends else start
    if units:
        rows = [r for r in rows if r[1] in set(units)]
    # one report per unit: the one covering most of the period
    chosen: dict[str, tuple] = {}
    for row in rows:
        s, e = dt.date.fromisoformat(row[4]), dt.date.fromisoformat(row[5])
        overlap = (min(e, end) - max(s, start)).days
        if row[1] not in chosen or overlap > chosen[row[1]][0]:
            chosen[row[1]] = (overlap, row)
    picked = sorted((r for _, r in chosen.values()), key=lambda r: r[2])
    try:
        period = Period(template.period, start, end)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None
    report_ids = [r[0] for r in picked]
    info = {}
    if report_ids:
        for rid, versions, conflict in conn.execute(
                f"SELECT report_id, COUNT(*), SUM(state = 'conflict') FROM report_versions WHERE report_id IN "
                f"({_placeholders(report_ids)}) AND origin = 'received' GROUP BY report_id", report_ids):
            info[rid] = (versions, bool(conflict))
        errors = dict(conn.execute(f"SELECT report_id, errors FROM check_summaries WHERE report_id IN "
                                   f"({_placeholders(report_ids)})", report_ids).fetchall())
    else:
        errors = {}
    included = [UnitEntry(r[1], r[2], r[0], r[3], Period(template.period, dt.date.fromisoformat(r[4]),
                                                          dt.date.fromisoformat(r[5])),
                          *info.get(r[0], (0, False)), errors.get(r[0])) for r in picked]
    expected = {r[0] for r in conn.execute("SELECT unit_id FROM unit_keys WHERE role = 'member' AND revoked_at IS NULL")}
    expected |= {r[0] for r in conn.execute(
        "SELECT DISTINCT r.unit_id FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.template_code = ? "
        "AND r.deleted_at IS NULL AND u.is_self = 0", (template.code,))}
    if units:
        expected &= set(units)
    names = dict(conn.execute("SELECT id, name FROM units").fetchall())
    missing = sorted((UnitEntry(u, names.get(u, u)) for u in expected - {e.id for e in included}),
                     key=lambda e: e.name)

    by_report = {r[0]: r[1] for r in picked}
    values: dict[str, dict[str, dict[str, Decimal]]] = {}  # code → unit → field → value
    texts: dict[str, list[tuple[str, str]]] = {}
    tables: dict[str, dict[str, dict[str, Decimal]]] = {}
    if report_ids:
        marks = _placeholders(report_ids)
        for rid, code, field, value in conn.execute(
                f"SELECT report_id, indicator_code, field, value FROM indicator_values WHERE report_id IN ({marks})",
                report_ids):
            if value is not None:
                values.setdefault(code, {}).setdefault(by_report[rid], {})[field] = from_storage(value)
        order = {r[0]: i for i, r in enumerate(picked)}
        text_rows = conn.execute(f"SELECT report_id, section_path, markup FROM section_texts WHERE report_id IN "
                                 f"({marks}) AND markup != ''", report_ids).fetchall()
        for rid, path, markup in sorted(text_rows, key=lambda t: order[t[0]]):
            texts.setdefault(path, []).append((by_report[rid], markup))
        for table, row, col, value in conn.execute(
                f"SELECT table_code, row_code, column_code, value FROM table_cells WHERE report_id IN ({marks})",
                report_ids):
            if value is not None:
                cell = tables.setdefault(table, {}).setdefault(row, {})
                cell[col] = cell.get(col, Decimal(0)) + from_storage(value)
    previous = _previous_values(ws, template.code, start, [e.id for e in included])
    short = {e.id: e.short_name for e in included}
    indicators = []
    for ind in template.indicators:
        section = template.section_of_indicator(ind.code)
        unit_values = {e.id: values.get(ind.code, {}).get(e.id, {}) for e in included}
        prev = {u: previous.get(u, {}).get(ind.code, {}) for u in unit_values}
        indicators.append(combine_indicator(ind, section.path if section else "", unit_values, prev, short))
    narratives = [Narrative(s.path, s.heading, texts[s.path]) for s in template.walk() if s.path in texts]
    return Aggregation(template, period, included, missing, indicators, narratives, tables)


def _previous_values(ws, template_code: str, start: dt.date, unit_ids: list[str]) -> dict:
    """unit → indicator → field → value, from each unit's report of the template just before `start`."""
    if not unit_ids:
        return {}
    conn = ws.store.conn
    rows = conn.execute(
        f"SELECT r.id, r.unit_id FROM reports r WHERE r.template_code = ? AND r.deleted_at IS NULL AND r.unit_id IN "
        f"({_placeholders(unit_ids)}) AND r.period_end < ? AND r.period_end = (SELECT MAX(p.period_end) FROM reports p "
        f"WHERE p.unit_id = r.unit_id AND p.template_code = r.template_code AND p.deleted_at IS NULL "
        f"AND p.period_end < ?)", (template_code, *unit_ids, start.isoformat(), start.isoformat())).fetchall()
    result: dict = {}
    if not rows:
        return result
    owner = {rid: unit for rid, unit in rows}
    for rid, code, field, value in conn.execute(
            f"SELECT report_id, indicator_code, field, value FROM indicator_values WHERE report_id IN "
            f"({_placeholders(owner)})", list(owner)):
        if value is not None:
            result.setdefault(owner[rid], {}).setdefault(code, {})[field] = from_storage(value)
    return result


def summary_document(ws, agg: Aggregation, date: dt.date | None = None, number: str = "", charts: bool = False):
    """The upper level's summary report as a DocumentModel, in its own format and with its first signer."""
    from ..aggregate.summary import build_summary_document
    issuer = ws._require_unit()
    signers = ws.signers()
    return build_summary_document(agg, issuer, signers[0] if signers else None, date or dt.date.today(),
                                  number, charts)


def export_summary_docx(ws, agg: Aggregation, out: Path | str, charts: bool = True,
                        date: dt.date | None = None) -> Path:
    from ..document.docx_writer import write_docx
    return write_docx(summary_document(ws, agg, date=date, charts=charts), Path(out))
