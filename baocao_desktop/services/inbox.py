"""The level above's inbox (issue 7 point 5): unit × period × report kind, received on time / late /
missing / not yet due, with open errors and kept warnings, and a printable list of who is missing.

Due dates: a template that says when its report is due (`due`: "ngày 25", "15/11", days from the period's
end) is read by that rule, the same one the commune's main window uses (templates/model.due_date).
Otherwise (DUE_AFTER_DAYS): a weekly report is due on the Monday after its week (DESIGN §1: "a weekly
summary every Monday"). For the other kinds no rule is written down yet, so this one is used and said
in the output: month +5 days, quarter +10, half-year +15, year +20, custom (thematic) +7 days after the
period ends. "On time" compares the due date with the day (Vietnam time, UTC+7) the unit *wrote* its
first transfer file of that report (the signed created_at in the manifest), not the day the stick
reached the upper level; a later corrected re-send does not make a report late.

Expected periods: every period of the template's kind between the first and the last period received
(or the chosen range); weeks and calendar months/quarters/half-years/years are generated, so a week
nobody sent still shows up as missing. Custom periods (thematic reports, each commune picks its own
dates) are the periods seen, overlapping ones merged into one round. Expected units: every registered
unit below plus every unit that has sent anything.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from ..domain.dates import CALENDAR_MONTHS, Period, format_date, periods_of_year
from ..domain.model import STATUS_LABELS
from ..store import registry as stored_registry
from ..store import reports as stored_reports
from ..store import templates as stored_templates
from ..store import units as stored_units
from ..templates.model import Template, TemplateError
from ..templates.model import due_date as template_due_date
from .errors import ServiceError
from .workspace import as_date

VN_TZ = dt.timezone(dt.timedelta(hours=7))
DUE_AFTER_DAYS = {"week": 1, "month": 5, "quarter": 10, "half_year": 15, "nine_months": 15, "year": 20, "custom": 7}
STATE_LABELS = {"on_time": "Đúng hạn", "late": "Muộn", "missing": "Chưa nhận (quá hạn)",
                "pending": "Chưa đến hạn"}
STATES = tuple(STATE_LABELS)


def due_date(period: Period, template: Template | None = None) -> dt.date:
    """When a report for `period` is due: by the template's own rule when it declares one, else by
    DUE_AFTER_DAYS."""
    declared = template_due_date(template, period) if template is not None else None
    return declared or period.end + dt.timedelta(days=DUE_AFTER_DAYS.get(period.kind, 7))


def local_day(timestamp: str | None) -> dt.date | None:
    if not timestamp:
        return None
    moment = dt.datetime.fromisoformat(timestamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(VN_TZ).date()


def today_vn() -> dt.date:
    return dt.datetime.now(VN_TZ).date()


def _template_or_none(ws, code: str) -> Template | None:
    """The template read for its due rule (also one only the units below have); None when unreadable."""
    try:
        return ws.template(code, received_too=True)
    except (ServiceError, TemplateError):
        return None


# -- expected periods ---------------------------------------------------------------------------------------
def expected_periods(kind: str, seen: list[Period], start: dt.date | None = None,
                     end: dt.date | None = None) -> list[Period]:
    """Periods a unit should have sent, oldest first (see the module notes)."""
    if not seen and (start is None or end is None):
        return []
    first = start or min(p.start for p in seen)
    last = end or max(p.end for p in seen)
    if kind == "week":
        monday = first - dt.timedelta(days=first.weekday())
        periods = []
        while monday <= last:
            periods.append(Period("week", monday, monday + dt.timedelta(days=6)))
            monday += dt.timedelta(days=7)
        return periods
    if kind in CALENDAR_MONTHS and all(p.is_calendar() for p in seen):
        return [period for year in range(first.year, last.year + 1) for period in periods_of_year(kind, year)
                if period.end >= first and period.start <= last]
    return [rep for rep, _members in _rounds(seen) if rep.end >= first and rep.start <= last]


def _rounds(seen: list[Period]) -> list[tuple[Period, set[Period]]]:
    """Overlapping periods merged into rounds; each round is shown as its most common period."""
    rounds: list[list[Period]] = []
    for period in sorted(set(seen), key=lambda p: (p.start, p.end)):
        if rounds and period.start <= max(p.end for p in rounds[-1]):
            rounds[-1].append(period)
        else:
            rounds.append([period])
    result = []
    for members in rounds:
        counts = Counter(p for p in seen if p in members)
        representative = max(members, key=lambda p: (counts[p], p.end))
        result.append((representative, set(members)))
    return result


# -- the inbox ----------------------------------------------------------------------------------------------
@dataclass
class InboxCell:
    unit_id: str
    unit_name: str
    template_code: str
    template_name: str
    period: Period
    due: dt.date
    state: str  # on_time | late | missing | pending
    report_id: str | None = None
    report_period: Period | None = None  # the unit's own dates (custom periods may differ from the round)
    status: str | None = None
    sent_on: dt.date | None = None  # the day the unit wrote its first file of this report (VN time)
    received_at: str | None = None
    versions: int = 0
    conflict: bool = False
    errors: int | None = None  # None: not checked here
    warnings: int | None = None
    kept_warnings: int | None = None

    @property
    def received(self) -> bool:
        return self.report_id is not None

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def days_late(self) -> int:
        if self.state == "late" and self.sent_on:
            return (self.sent_on - self.due).days
        return 0

    def to_json(self) -> dict:
        return {
            "unit_id": self.unit_id, "unit": self.unit_name, "template": self.template_code,
            "template_name": self.template_name,
            "period": {"kind": self.period.kind, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat(), "label": self.period.label()},
            "due": self.due.isoformat(), "state": self.state, "state_label": STATE_LABELS[self.state],
            "received": self.received, "on_time": self.state == "on_time" if self.received else None,
            "days_late": self.days_late, "report_id": self.report_id,
            "report_period": ({"start": self.report_period.start.isoformat(), "end": self.report_period.end.isoformat()}
                              if self.report_period else None),
            "status": self.status, "status_label": STATUS_LABELS.get(self.status) if self.status else None,
            "sent_on": self.sent_on.isoformat() if self.sent_on else None, "received_at": self.received_at,
            "versions": self.versions, "conflict": self.conflict, "has_errors": self.has_errors,
            "errors": self.errors, "warnings": self.warnings, "kept_warnings": self.kept_warnings,
        }


@dataclass
class Inbox:
    cells: list[InboxCell]
    units: list[tuple[str, str]]  # (id, name), sorted by name
    templates: list[tuple[str, str, str]]  # (code, name, period kind)
    today: dt.date
    periods: dict[str, list[Period]] = field(default_factory=dict)  # template code → expected periods

    def counts(self) -> dict:
        counts = Counter(c.state for c in self.cells)
        return {"cells": len(self.cells), **{s: counts.get(s, 0) for s in STATES},
                "received": sum(c.received for c in self.cells),
                "with_errors": sum(c.has_errors for c in self.cells),
                "with_kept_warnings": sum(bool(c.kept_warnings) for c in self.cells),
                "conflicts": sum(c.conflict for c in self.cells)}

    def missing(self) -> list[InboxCell]:
        return [c for c in self.cells if c.state == "missing"]

    def filter(self, states=None, units=None, template: str | None = None, with_errors: bool = False) -> "Inbox":
        cells = [c for c in self.cells
                 if (not states or c.state in states) and (not units or c.unit_id in units)
                 and (template is None or c.template_code == template) and (not with_errors or c.has_errors)]
        return Inbox(cells, self.units, self.templates, self.today, self.periods)

    def to_json(self) -> dict:
        return {"today": self.today.isoformat(), "due_rule_days": DUE_AFTER_DAYS, "counts": self.counts(),
                "units": [{"id": i, "name": n} for i, n in self.units],
                "templates": [{"code": c, "name": n, "period": k} for c, n, k in self.templates],
                "cells": [c.to_json() for c in self.cells]}

    def _groups(self, cells):
        groups: dict[tuple, list[InboxCell]] = {}
        for cell in cells:
            groups.setdefault((cell.template_name, cell.period.start, cell.period.end), []).append(cell)
        return groups

    def text(self) -> str:
        """Per template and period: a count line, then one line per unit."""
        if not self.cells:
            return "Hộp thư trống: chưa nhận báo cáo nào và chưa đăng ký đơn vị nào."
        lines = []
        for (name, _s, _e), cells in sorted(self._groups(self.cells).items(), key=lambda kv: (kv[0][0], kv[0][1])):
            first = cells[0]
            got = sum(c.received for c in cells)
            late = sum(c.state == "late" for c in cells)
            missing = sum(c.state == "missing" for c in cells)
            lines.append(f"{name} — {first.period.label()}, hạn {format_date(first.due)}: nhận {got}/{len(cells)}"
                         f" (muộn {late}), thiếu {missing}")
            for c in sorted(cells, key=lambda c: c.unit_name):
                extra = []
                if c.received:
                    extra.append(STATUS_LABELS.get(c.status, c.status or ""))
                    if c.state == "late":
                        extra.append(f"gửi {format_date(c.sent_on)}, muộn {c.days_late} ngày")
                    if c.versions > 1:
                        extra.append(f"{c.versions} bản")
                    if c.conflict:
                        extra.append("XUNG ĐỘT chờ chọn bản")
                    if c.errors:
                        extra.append(f"{c.errors} lỗi")
                    if c.warnings:
                        extra.append(f"{c.warnings} cảnh báo")
                    if c.kept_warnings:
                        extra.append(f"{c.kept_warnings} cảnh báo có giải trình")
                lines.append(f"  {STATE_LABELS[c.state]:<20} {c.unit_name}" + (f" ({'; '.join(extra)})" if extra else ""))
        c = self.counts()
        lines.append(f"Tổng: {c['cells']} ô; đúng hạn {c['on_time']}, muộn {c['late']}, thiếu {c['missing']}, "
                     f"chưa đến hạn {c['pending']}; có lỗi {c['with_errors']}; xung đột {c['conflicts']}.")
        return "\n".join(lines)

    def missing_text(self) -> str:
        """The printable list of who has not sent what (text, one numbered list per report and period)."""
        lines = ["DANH SÁCH ĐƠN VỊ CHƯA GỬI BÁO CÁO", f"(tính đến ngày {format_date(self.today)})", ""]
        groups = self._groups(self.missing())
        if not groups:
            lines.append("Tất cả đơn vị đã gửi đủ các báo cáo đã đến hạn.")
        for (name, _s, _e), cells in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            first = cells[0]
            lines.append(f"{name} — {first.period.label()}, hạn {format_date(first.due)}: {len(cells)} đơn vị")
            for n, cell in enumerate(sorted(cells, key=lambda c: c.unit_name), start=1):
                lines.append(f"  {n}. {cell.unit_name}")
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def inbox(ws, template: str | None = None, start=None, end=None, units: list[str] | None = None,
          today: dt.date | None = None) -> Inbox:
    """Build the inbox from what was received (one query) and the registry of units."""
    today = today or today_vn()
    start = as_date(start) if start else None
    end = as_date(end) if end else None
    rows = stored_reports.received_with_checks(ws.store, template)
    names = stored_units.names(ws.store, others_only=True)
    unit_ids = stored_registry.member_unit_ids(ws.store) | {r[1] for r in rows}
    if units:
        unit_ids &= set(units)
    unit_list = sorted(((i, names.get(i, i)) for i in unit_ids), key=lambda u: u[1])
    template_names = stored_templates.latest_names(ws.store)
    by_template: dict[str, list] = {}
    for row in rows:
        by_template.setdefault(row[2], []).append(row)
    cells: list[InboxCell] = []
    periods_by_template: dict[str, list[Period]] = {}
    templates = []
    codes = set(by_template)
    if template and start and end and template in template_names:
        codes.add(template)  # a chosen template and range: show it even if nothing came in yet
    for code in sorted(codes, key=lambda c: template_names.get(c, (c,))[0]):
        # (not .get with a default: the default would be built, and fail, for a chosen template nobody sent)
        name, kind = template_names[code] if code in template_names else (code, by_template[code][0][3])
        templates.append((code, name, kind))
        received: dict[tuple[str, Period], tuple] = {}  # (unit, period) → its first report's row
        seen = []
        for row in by_template.get(code, []):
            period = Period(row[3], dt.date.fromisoformat(row[4]), dt.date.fromisoformat(row[5]))
            seen.append(period)
            received.setdefault((row[1], period), row)
        expected = expected_periods(kind, seen, start, end)
        periods_by_template[code] = expected
        declared = _template_or_none(ws, code)
        rounds = {rep: members for rep, members in _rounds(seen)} if kind not in ("week",) else {}
        for period in expected:
            members = rounds.get(period, {period})
            due = due_date(period, declared)
            # the report for this very period first, else one for another period of the same round
            others = sorted((p for p in members if p != period), key=lambda p: (p.start, p.end))
            for unit_id, unit_name in unit_list:
                match = next(((p, received[(unit_id, p)]) for p in (period, *others)
                              if (unit_id, p) in received), None)
                if match is None:
                    cells.append(InboxCell(unit_id, unit_name, code, name, period, due,
                                           "missing" if today > due else "pending"))
                    continue
                own_period, row = match
                sent_on = local_day(row[7])
                cells.append(InboxCell(
                    unit_id, unit_name, code, name, period, due,
                    "on_time" if sent_on and sent_on <= due else "late", report_id=row[0],
                    report_period=own_period, status=row[6], sent_on=sent_on, received_at=row[8],
                    versions=row[9], conflict=bool(row[10]), errors=row[11], warnings=row[12],
                    kept_warnings=row[13]))
    return Inbox(cells, unit_list, templates, today, periods_by_template)
