"""What the structured checks know beyond the report itself (CheckContext, built by the services from the
database), the figures of other periods as sums of their sources (PartSum, from services/period_figures.py),
and the one reading of "previous cumulative" that the cumulative check and the rules share."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.model import Report
from ..domain.numbers import format_number


@dataclass(frozen=True)
class SourcePart:
    """One figure taken from another report: the period's own figure ("tháng 1/2026": 120), or a lũy kế up to
    the end of that report's period (`cumulative`: "lũy kế tuần 23 (01/6–07/6/2026)": 1.561)."""
    label: str
    value: Decimal
    report_id: str = ""
    cumulative: bool = False


@dataclass(frozen=True)
class PartSum:
    """A figure as the sum of other reports' figures, with where each part came from and the stretches of
    time no report gives (`gaps`, "tháng 2/2026"): a sum with a gap has no total, it is never guessed."""
    parts: tuple[SourcePart, ...] = ()
    gaps: tuple[str, ...] = ()
    start_label: str = ""  # what an empty sum starts from: "đầu năm", "ngày thành lập 01/7/2025"

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def total(self) -> Decimal | None:
        if self.gaps:
            return None
        return sum((p.value for p in self.parts), Decimal(0))

    def arithmetic(self) -> str:
        """"tháng 1/2026: 120 + tháng 2/2026: 95" ("" when there is no part)."""
        return " + ".join(f"{p.label}: {format_number(p.value)}" for p in self.parts)

    def gap_text(self) -> str:
        """"chưa có số liệu tháng 2/2026 và tháng 5/2026" ("" when complete)."""
        if not self.gaps:
            return ""
        gaps = list(self.gaps)
        joined = gaps[0] if len(gaps) == 1 else ", ".join(gaps[:-1]) + " và " + gaps[-1]
        return f"chưa có số liệu {joined}"


@dataclass
class CheckContext:
    """What the checks know beyond the report itself."""
    # indicator code → cumulative of the previous report of the same template and unit
    previous_cumulative: dict[str, Decimal] = field(default_factory=dict)
    previous_report_label: str = ""  # "Tuần 22 (25/5–31/5/2026)", for messages
    # indicator code → how the lũy kế up to the end of the previous period was made (earlier reports of the
    # same year: their own figures, or a lũy kế they state), including the gaps when it could not be
    previous_sources: dict[str, PartSum] = field(default_factory=dict)
    # "<indicator>.<field>" → the figure of a longer period (quarter, 6 or 9 months, year) as the sum of the
    # unit's reports inside it (months first, else quarters…; for .cumulative the last part's lũy kế)
    period_sums: dict[str, PartSum] = field(default_factory=dict)
    # indicator code → report id → why that report inside the period disagrees with itself (its lũy kế is not
    # the part before's lũy kế plus its own figure): names the month that is wrong
    period_steps: dict[str, dict[str, str]] = field(default_factory=dict)
    # indicator code → field → (value, where from) of the same period last year ("cùng kỳ năm trước")
    last_year: dict[str, dict[str, tuple[Decimal, str]]] = field(default_factory=dict)
    unit_founded_on: dt.date | None = None
    # profile fact code → the fact valid on the report's date
    profile: dict = field(default_factory=dict)
    # profile fact code → the earliest fact of a code that has facts, none of them valid yet on the report's
    # date (the checks against it cannot run: checks/report_checks.py says so)
    profile_later: dict = field(default_factory=dict)
    # "<indicator>.<field>" → [(label of another report of the unit ending the same day, value)]
    same_date_values: dict = field(default_factory=dict)
    # the header items the document needs before signing (checks/document_items.py); None: not checked
    # (a received report: its unit's office checked them before signing it)
    document_items: object | None = None


def previous_value(report: Report, code: str, context: CheckContext) -> Decimal | None:
    """The previous cumulative: from last period's report when there is one, else typed by hand."""
    if code in context.previous_cumulative:
        return context.previous_cumulative[code]
    return report.value(code, "previous")


def previous_source_text(context: CheckContext, code: str) -> str:
    """Where lũy kế kỳ trước came from, for messages: "lũy kế tuần 23 (01/6–07/6/2026)", "lũy kế các kỳ trước
    (tháng 1/2026: 120 + tháng 2/2026: 95)", "lũy kế trước kỳ (kỳ bắt đầu từ đầu năm: 0)"; "lũy kế kỳ trước"
    when it was typed by hand."""
    found = context.previous_sources.get(code)
    if code not in context.previous_cumulative or found is None:
        return "lũy kế kỳ trước"
    if not found.parts:
        return f"lũy kế trước kỳ (kỳ bắt đầu từ {found.start_label}: 0)"
    if len(found.parts) == 1 and found.parts[0].cumulative:
        return found.parts[0].label
    return f"lũy kế các kỳ trước ({found.arithmetic()})"
