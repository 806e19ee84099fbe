"""A unit's figures for a longer period (quarter, 6 months, 9 months, year) put together from its monthly
reports, for the upper level's summary when a commune sent only its months (issue 17 point 7). Pure: plain
values in, plain values out.

What can be put together, and nothing else (a gap is said, not guessed):
  .actual of a figure the period's template adds up from its months (a `sum_of_months` reference, or an
          indicator that has a lũy kế, so its .actual is the amount of the period) = the sum of the months,
          only when every month of the period gave it;
  .cumulative (lũy kế từ đầu năm) = the last month's, only when the last month gave it;
  .plan   = the latest month's plan (a plan is for the year, the same in every month).
Other figures (a stock such as "tổng đàn gia súc", a count the template does not say adds up) stay empty.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class MonthsUsed:
    """Which monthly reports a unit's figures for the period came from."""
    used: tuple[str, ...]  # month labels in order: "tháng 4/2026"
    lacking: tuple[str, ...] = ()  # months of the period the unit sent no report for
    report_ids: tuple[str, ...] = field(default=(), compare=False)

    def phrase(self) -> str:
        """"tổng hợp từ báo cáo tháng 4, 5, 6/2026" (+ "; thiếu báo cáo tháng 5/2026")."""
        text = f"tổng hợp từ báo cáo {_months_phrase(self.used)}"
        if self.lacking:
            text += (f"; thiếu báo cáo {_months_phrase(self.lacking)} (số cộng theo tháng của đơn vị này "
                     f"để trống)")
        return text


def _months_phrase(labels) -> str:
    """("tháng 4/2026", "tháng 5/2026") → "tháng 4, 5/2026"; across years each keeps its year."""
    pairs = [label.removeprefix("tháng ").split("/") for label in labels]
    years = {year for _, year in pairs}
    if len(years) == 1:
        return f"tháng {', '.join(month for month, _ in pairs)}/{years.pop()}"
    return ", ".join(labels)


def summed_fields(template) -> set[str]:
    """"code.actual" names of the template's figures that are the sum of their months."""
    names = {f"{ind.code}.actual" for ind in template.indicators if ind.cumulative and ind.actual}
    for rule in template.rules:
        if rule.kind == "sum_of_months":
            names |= {ref for ref in rule.params.get("refs", ()) if ref.endswith(".actual")}
    return names


def values_from_months(template, months: list[dict[str, dict[str, Decimal]] | None]
                       ) -> dict[str, dict[str, Decimal]]:
    """`months`: every month of the period in order, each the unit's values (indicator → field → value) or
    None when it sent no report for that month. Returns indicator → field → value for the period."""
    summed = summed_fields(template)
    result: dict[str, dict[str, Decimal]] = {}
    for ind in template.indicators:
        got = [None if m is None else m.get(ind.code, {}) for m in months]
        out: dict[str, Decimal] = {}
        if ind.actual and f"{ind.code}.actual" in summed:
            parts = [m.get("actual") if m is not None else None for m in got]
            if parts and all(p is not None for p in parts):
                out["actual"] = sum(parts, Decimal(0))
        if ind.cumulative and got and got[-1] is not None and got[-1].get("cumulative") is not None:
            out["cumulative"] = got[-1]["cumulative"]
        if ind.plan:
            plans = [m["plan"] for m in got if m is not None and m.get("plan") is not None]
            if plans:
                out["plan"] = plans[-1]
        if out:
            result[ind.code] = out
    return result
