"""What the structured checks know beyond the report itself (CheckContext, built by the services from the
database) and the one reading of "previous cumulative" that the cumulative check and the rules share."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.model import Report


@dataclass
class CheckContext:
    """What the checks know beyond the report itself."""
    # indicator code → cumulative of the previous report of the same template and unit
    previous_cumulative: dict[str, Decimal] = field(default_factory=dict)
    previous_report_label: str = ""  # "Tuần 22 (25/5–31/5/2026)", for messages
    unit_founded_on: dt.date | None = None
    # profile fact code → the fact valid on the report's date
    profile: dict = field(default_factory=dict)
    # profile fact code → the earliest fact of a code that has facts, none of them valid yet on the report's
    # date (the checks against it cannot run: checks/report_checks.py says so)
    profile_later: dict = field(default_factory=dict)
    # "<indicator>.<field>" → [(label of another report of the unit ending the same day, value)]
    same_date_values: dict = field(default_factory=dict)
    # for `sum_of_months`: every calendar month of a longer period, in order, as ("tháng 4/2026",
    # {"<indicator>.<field>": value} from the unit's monthly reports of that month, {} when there is none)
    months: list = field(default_factory=list)
    # the header items the document needs before signing (checks/document_items.py); None: not checked
    # (a received report: its unit's office checked them before signing it)
    document_items: object | None = None


def previous_value(report: Report, code: str, context: CheckContext) -> Decimal | None:
    """The previous cumulative: from last period's report when there is one, else typed by hand."""
    if code in context.previous_cumulative:
        return context.previous_cumulative[code]
    return report.value(code, "previous")
