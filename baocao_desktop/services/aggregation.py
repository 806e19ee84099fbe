"""Use case: aggregate one template and period across the units below (issue 7 point 6), and the
summary report built from it. The combining rules are in aggregate/combine.py.

Which reports: those of the template for exactly the chosen period (a weekly report: the Monday–Sunday
week containing START); for custom (thematic) periods, each unit's report overlapping START..END.
Only reports of other units count (the upper level's own reports are not part of its inbox), the
version in use (the current one; a pending conflict is flagged in `units[].conflict`).

A quarter, 6 months, 9 months or year (issue 17 point 7): a unit that sent no report of the kind for the
period but sent monthly reports inside it (of a template in the same document format, the one sharing most
indicators when there are several) is included with its figures put together from those months
(aggregate/from_months.py: sums where the template adds up its months, the last month's lũy kế); its entry
says which months were used and which lack (`units[].months`), and so does the summary.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from ..aggregate.combine import combine_indicator
from ..aggregate.from_months import MonthsUsed, values_from_months
from ..aggregate.model import Aggregation, Narrative, UnitEntry
from ..domain.dates import Period, parse_date, parse_period, periods_of_year, week_of
from ..store import cells as stored_cells
from ..store import received as stored_received
from ..store import registry as stored_registry
from ..store import reports as stored_reports
from ..store import texts as stored_texts
from ..store import units as stored_units
from ..store import values as stored_values
from ..store import versions as stored_versions
from .errors import ServiceError
from .workspace import as_date


MULTI_MONTH = ("quarter", "half_year", "nine_months", "year")  # the kinds a unit's months can make up


def parse_period_arg(text: str) -> tuple[dt.date, dt.date | None]:
    """"2026-06-01" or "01/6/2026", "START..END", or a calendar period as `report new` writes it: "2026-06",
    "2026-Q2", "2026-H1", "2026-9M", "2026"."""
    start, _, end = (text or "").partition("..")
    try:
        return parse_date(start), (parse_date(end) if end else None)
    except ValueError as exc:
        if not end:
            try:
                period = parse_period(start)
                return period.start, period.end
            except ValueError:
                pass
        raise ServiceError(str(exc)) from None


def _as_date(value) -> dt.date | None:
    return None if value is None else as_date(value)


def aggregate(ws, template_code: str, start, end=None, units: list[str] | None = None) -> Aggregation:
    template = ws.template(template_code, received_too=True)
    start, end = _as_date(start), _as_date(end)
    store = ws.store
    if template.period == "week":
        period = week_of(start)
        if end is not None and end != period.end:
            raise ServiceError("Báo cáo tuần: chọn một tuần (ngày bắt đầu là thứ Hai), không chọn khoảng nhiều tuần.")
        start, end = period.start, period.end
    if template.period == "custom" and end is not None:
        rows = stored_reports.received_for_period(store, template.code, start, end, overlapping=True)
    elif end is not None:
        rows = stored_reports.received_for_period(store, template.code, start, end)
    else:
        rows = stored_reports.received_for_period(store, template.code, start, None)
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
    info = stored_versions.received_version_info(store, report_ids)
    errors = stored_received.error_counts(store, report_ids)
    included = [UnitEntry(r[1], r[2], r[0], r[3], Period(template.period, dt.date.fromisoformat(r[4]),
                                                          dt.date.fromisoformat(r[5])),
                          *info.get(r[0], (0, False)), errors.get(r[0])) for r in picked]
    expected = stored_registry.member_unit_ids(store) | stored_reports.sending_unit_ids(store, template.code)
    if units:
        expected &= set(units)
    names = stored_units.names(store)
    missing = sorted((UnitEntry(u, names.get(u, u)) for u in expected - {e.id for e in included}),
                     key=lambda e: e.name)

    values: dict[str, dict[str, dict[str, Decimal]]] = {}  # code → unit → field → value
    if template.period in MULTI_MONTH:
        # a commune that sent only its months for this quarter (6 months, …): its figures from them
        from_months = _units_from_months(ws, template, start, end, {e.id for e in included}, units, values)
        if from_months:
            included = sorted(included + from_months, key=lambda e: e.name)
            missing = [e for e in missing if e.id not in {u.id for u in from_months}]
    by_report = {r[0]: r[1] for r in picked}
    texts: dict[str, list[tuple[str, str]]] = {}
    tables: dict[str, dict[str, dict[str, Decimal]]] = {}
    for rid, code, field, value in stored_values.of_reports(store, report_ids):
        values.setdefault(code, {}).setdefault(by_report[rid], {})[field] = value
    order = {r[0]: i for i, r in enumerate(picked)}
    for rid, path, markup in sorted(stored_texts.of_reports(store, report_ids), key=lambda t: order[t[0]]):
        texts.setdefault(path, []).append((by_report[rid], markup))
    for table, row, col, value in stored_cells.of_reports(store, report_ids):
        cell = tables.setdefault(table, {}).setdefault(row, {})
        cell[col] = cell.get(col, Decimal(0)) + value
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


def _units_from_months(ws, template, start: dt.date, end: dt.date, sent: set[str], units: list[str] | None,
                       values: dict) -> list[UnitEntry]:
    """The units below without a report of `template` for start..end that sent monthly reports (of a template
    in the same document format) inside it: their entries, with their figures put together from the months
    (aggregate/from_months.py) added to `values` (code → unit → field → value)."""
    months = [p for year in range(start.year, end.year + 1) for p in periods_of_year("month", year)
              if p.start >= start and p.end <= end]
    if len(months) < 2:
        return []
    shared = {}  # monthly template code → indicators it shares with the longer template (the closest wins)
    codes = {i.code for i in template.indicators}
    for other in ws.templates(received_too=True):
        if other.period == "month" and other.format == template.format:
            shared[other.code] = len(codes & {i.code for i in other.indicators})
    by_unit: dict[str, dict[dt.date, tuple]] = {}  # unit → month start → (shared, report id, unit name)
    for code, overlap in shared.items():
        for rid, unit_id, name, _status, ps, pe in stored_reports.received_for_period(
                ws.store, code, start, end, overlapping=True):
            if unit_id in sent or (units and unit_id not in units):
                continue
            month = next((m for m in months if m.start.isoformat() == ps and m.end.isoformat() == pe), None)
            if month is None:
                continue
            known = by_unit.setdefault(unit_id, {}).get(month.start)
            if known is None or overlap > known[0]:
                by_unit[unit_id][month.start] = (overlap, rid, name)
    entries = []
    for unit_id, found in by_unit.items():
        ids = [found[m.start][1] for m in months if m.start in found]
        month_values: dict[str, dict] = {rid: {} for rid in ids}
        for rid, code, field, value in stored_values.of_reports(ws.store, ids):
            month_values[rid].setdefault(code, {})[field] = value
        per_month = [month_values[found[m.start][1]] if m.start in found else None for m in months]
        for code, fields in values_from_months(template, per_month).items():
            values.setdefault(code, {})[unit_id] = fields
        labels = [f"tháng {m.start.month}/{m.start.year}" for m in months]
        used = MonthsUsed(tuple(label for label, m in zip(labels, months) if m.start in found),
                          tuple(label for label, m in zip(labels, months) if m.start not in found), tuple(ids))
        name = next(iter(found.values()))[2]
        entries.append(UnitEntry(unit_id, name, period=Period(template.period, start, end), months=used))
    return entries


def _previous_values(ws, template_code: str, start: dt.date, unit_ids: list[str]) -> dict:
    """unit → indicator → field → value, from each unit's report of the template just before `start`."""
    owner = stored_reports.previous_ids_per_unit(ws.store, template_code, start, unit_ids)
    result: dict = {}
    for rid, code, field, value in stored_values.of_reports(ws.store, owner):
        result.setdefault(owner[rid], {}).setdefault(code, {})[field] = value
    return result


def summary_document(ws, agg: Aggregation, date: dt.date | None = None, number: str = "", charts: bool = False):
    """The upper level's summary report as a DocumentModel, in its own format and with its first signer."""
    from ..aggregate.summary import build_summary_document
    issuer = ws.require_unit()
    signers = ws.signers()
    return build_summary_document(agg, issuer, signers[0] if signers else None, date or dt.date.today(),
                                  number, charts)


def export_summary_docx(ws, agg: Aggregation, out: Path | str, charts: bool = True,
                        date: dt.date | None = None) -> Path:
    from ..document.docx_writer import write_docx
    return write_docx(summary_document(ws, agg, date=date, charts=charts), Path(out))
