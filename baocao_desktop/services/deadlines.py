"""What the commune has to send soon and what is late: for every template that says when its report is due
(`due`, templates/model.due_date — the same rule the upper level's inbox uses for "late"), the current and
the previous period of its kind, with the unit's own report for it if there is one.

A report counts as done once signed (Đã ký) or sent (Đã gửi); a draft or one awaiting signature is still
owed. A template that declares a format other than the unit's (a UBND template in a Đảng ủy's workspace) is
not the unit's to send. A period that began before the unit was founded is not asked for (the unit cannot report all of it),
and a report more than LATE_WINDOW_DAYS overdue is history, not a reminder."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.dates import CALENDAR_MONTHS, Period, calendar_period, format_date, week_of
from ..domain.model import STATUS_LABELS
from ..templates.model import due_date

SOON_DAYS = 10  # a report due within this many days is listed as "sắp đến hạn"
LATE_WINDOW_DAYS = 60  # a report overdue by more than this is no longer listed as "quá hạn"
DONE_STATUSES = ("signed", "sent")


@dataclass(frozen=True)
class Deadline:
    template_code: str
    template_name: str
    period: Period
    due: dt.date
    state: str  # "late" | "soon"
    report_id: str | None = None  # the unit's report for this period, if started
    status: str = ""  # its status

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days

    def text(self, today: dt.date) -> str:
        """One line for the main window: "Báo cáo tháng của Đảng ủy xã – Tháng 6/2026: hạn 25/6/2026 (còn 3 ngày)"."""
        days = self.days_left(today)
        when = ("hôm nay" if days == 0 else f"còn {days} ngày" if days > 0 else f"quá {-days} ngày")
        started = f", {STATUS_LABELS.get(self.status, self.status).lower()}" if self.status else ", chưa tạo"
        return f"{self.template_name} – {self.period.label()}: hạn {format_date(self.due)} ({when}{started})"


def _periods_around(kind: str, today: dt.date) -> list[Period]:
    """The period of `kind` that contains today and the one before it (and, for a kind whose current period
    is not the calendar's — the first nine months after September — the last one that ended)."""
    if kind == "week":
        current = week_of(today)
        return [week_of(current.start - dt.timedelta(days=7)), current]
    if kind not in CALENDAR_MONTHS:
        return []
    current = calendar_period(kind, today)
    before = calendar_period(kind, current.start - dt.timedelta(days=1))
    return [before, current] if before != current else [current]


def deadlines(ws, today: dt.date, soon_days: int = SOON_DAYS) -> list[Deadline]:
    """Late reports first (the most recently due first), then those due within `soon_days`, soonest first."""
    unit = ws.own_unit()
    if unit is None:  # no commune set up yet: nothing is owed
        return []
    founded = unit.founded_on
    own = {}
    for report in ws.list_reports():
        own.setdefault((report.template_code, report.period.start, report.period.end), report)
    found = []
    for template in ws.templates():
        if template.due_rule is None:
            continue
        if template.format and template.format != (unit.format or "party"):
            continue  # a UBND (State) template is not the Đảng ủy's to send, nor the other way round
        for period in _periods_around(template.period, today):
            if founded and period.start < founded:
                continue
            due = due_date(template, period)
            report = own.get((template.code, period.start, period.end))
            if report is not None and report.status in DONE_STATUSES:
                continue
            if due < today:
                if (today - due).days > LATE_WINDOW_DAYS:
                    continue
                state = "late"
            elif (due - today).days <= soon_days:
                state = "soon"
            else:
                continue
            found.append(Deadline(template.code, template.name, period, due, state,
                                  report.id if report else None, report.status if report else ""))
    late = sorted((d for d in found if d.state == "late"), key=lambda d: (-d.due.toordinal(), d.template_name))
    soon = sorted((d for d in found if d.state == "soon"), key=lambda d: (d.due, d.template_name))
    return late + soon
