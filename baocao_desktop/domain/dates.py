"""Vietnamese dates and report periods."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .errors import UserError


class DateError(UserError, ValueError):
    """A date or period that cannot be used; the message is Vietnamese and says how to write it."""

PERIOD_KINDS = ("week", "month", "quarter", "half_year", "nine_months", "year", "custom")
# Calendar periods: how many months each spans, and the months it may start in (1-based).
CALENDAR_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "nine_months": 9, "year": 12}
# A 6-month report is the sơ kết of the first half (its last part is "nhiệm vụ 6 tháng cuối năm"); the second half
# is reported by the annual tổng kết, so no commune writes a "6 tháng cuối năm" report.
_CALENDAR_STARTS = {"month": range(1, 13), "quarter": (1, 4, 7, 10), "half_year": (1,), "nine_months": (1,),
                    "year": (1,)}
PERIOD_NAMES = {"week": "tuần", "month": "tháng", "quarter": "quý", "half_year": "6 tháng", "nine_months": "9 tháng",
                "year": "năm", "custom": "tùy chọn"}
_ROMAN = ("I", "II", "III", "IV")


def format_date(day: dt.date) -> str:
    """In-text date: "01/6/2026", "05/02/2026" (leading zero for day 1-9 and months 1-2)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def format_day_month(day: dt.date) -> str:
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}"


def format_date_line(place: str, day: dt.date) -> str:
    """Date line of an official document: "Lùng Phình, ngày 08 tháng 6 năm 2026"."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


_DATE_LINE_RE = re.compile(
    r"^\s*(?P<place>[^,\d]{2,60}?)\s*,\s*ngày\s+(?P<day>\d{1,2})?[\s.…_]*tháng\s+(?P<month>\d{1,2})?[\s.…_]*"
    r"năm\s+(?P<year>\d{4})?[\s.…_\d]*$", re.IGNORECASE)


def parse_date_line(text: str) -> tuple[str, dt.date | None] | None:
    """The place and date of a date line written as `format_date_line` writes it ("Lùng Phình, ngày 08 tháng 6
    năm 2026"); the date is None when the line leaves it blank ("Lùng Phình, ngày    tháng 6 năm 2026").
    None when the text is not a date line."""
    match = _DATE_LINE_RE.match(" ".join((text or "").split()))
    if match is None:
        return None
    day, month, year = match.group("day", "month", "year")
    try:
        date = dt.date(int(year), int(month), int(day)) if day and month and year else None
    except ValueError:
        date = None
    return match.group("place").strip(), date


def parse_date(text: str) -> dt.date:
    """ISO "2026-06-01" or Vietnamese "01/6/2026"; raises DateError (a ValueError) with a Vietnamese message."""
    raw = (text or "").strip()
    try:
        if "-" in raw:
            return dt.date.fromisoformat(raw)
        day, month, year = (int(p) for p in raw.split("/"))
        return dt.date(year, month, day)
    except (ValueError, TypeError):
        raise DateError(f"Ngày “{text}” không hợp lệ (viết dd/mm/yyyy, ví dụ 01/6/2026).") from None


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.kind not in PERIOD_KINDS:
            raise DateError(f"Loại kỳ báo cáo “{self.kind}” không có.")
        if self.end < self.start:
            raise DateError(f"Ngày kết thúc kỳ báo cáo ({format_date(self.end)}) phải sau ngày bắt đầu "
                            f"({format_date(self.start)}).")
        if self.kind == "week" and (self.start.weekday() != 0 or self.end - self.start != dt.timedelta(days=6)):
            raise DateError(
                f"Kỳ báo cáo tuần phải từ thứ Hai đến Chủ nhật; {format_date(self.start)}–"
                f"{format_date(self.end)} không phải là một tuần."
            )

    def is_calendar(self) -> bool:
        """A month, quarter, half year, first nine months or year as the calendar has it (a stored period of
        those kinds made by an older version may not be)."""
        return self.kind in CALENDAR_MONTHS and (self.start, self.end) == _calendar_bounds(self.kind, self.start)

    def require_calendar(self) -> "Period":
        """This period, if a new report may have it: a month, quarter… must be the calendar's."""
        if self.kind in CALENDAR_MONTHS and not self.is_calendar():
            start, end = _calendar_bounds(self.kind, self.start)
            right = Period(self.kind, start, end).label()
            raise DateError(
                f"Kỳ {PERIOD_NAMES[self.kind]} {format_date(self.start)}–{format_date(self.end)} không đúng "
                f"lịch: {right[0].lower() + right[1:]} là {format_date(start)}–{format_date(end)}.")
        return self

    def label(self) -> str:
        if self.kind == "week":
            iso = self.start.isocalendar()
            return f"Tuần {iso.week} ({format_day_month(self.start)}–{format_date(self.end)})"
        year = self.start.year
        if self.kind in CALENDAR_MONTHS and not self.is_calendar():
            return f"{format_date(self.start)}–{format_date(self.end)}"
        if self.kind == "month":
            return f"Tháng {self.start.month}/{year}"
        if self.kind == "quarter":
            return f"Quý {_ROMAN[(self.start.month - 1) // 3]}/{year}"
        if self.kind == "half_year":
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {year}"
        if self.kind == "nine_months":
            return f"9 tháng đầu năm {year}"
        if self.kind == "year":
            return f"Năm {year}"
        return f"{format_date(self.start)}–{format_date(self.end)}"

    def code(self) -> str:
        """The period as the command line writes it: 2026-06, 2026-Q2, 2026-H1, 2026-9M, 2026, a week's
        Monday (2026-06-01), or START..END."""
        year = self.start.year
        if self.kind in CALENDAR_MONTHS and not self.is_calendar():
            return f"{self.start.isoformat()}..{self.end.isoformat()}"
        if self.kind == "month":
            return f"{year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half_year":
            return f"{year}-H{1 if self.start.month == 1 else 2}"
        if self.kind == "nine_months":
            return f"{year}-9M"
        if self.kind == "year":
            return str(year)
        if self.kind == "week":
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def week_of(day: dt.date) -> Period:
    """The Monday–Sunday week that contains `day`."""
    start = day - dt.timedelta(days=day.weekday())
    return Period("week", start, start + dt.timedelta(days=6))


def weeks_of_year(year: int) -> list[Period]:
    """Every ISO week whose Monday falls in `year`, for the week picker."""
    day = dt.date(year, 1, 1)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    weeks = []
    while day.year == year:
        weeks.append(week_of(day))
        day += dt.timedelta(days=7)
    return weeks


def first_of_month(year: int, month: int) -> dt.date:
    """The first day of `month` counted from January of `year` (month 13 is January of the next year)."""
    index = year * 12 + month - 1
    return dt.date(index // 12, index % 12 + 1, 1)


def _calendar_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    start_month = max(m for m in _CALENDAR_STARTS[kind] if m <= day.month)
    return (dt.date(day.year, start_month, 1),
            first_of_month(day.year, start_month + CALENDAR_MONTHS[kind]) - dt.timedelta(days=1))


def calendar_period(kind: str, day: dt.date) -> Period:
    """The month, quarter, first six or nine months or year that contains `day` (half_year and nine_months:
    those of `day`'s year, whatever the day)."""
    return Period(kind, *_calendar_bounds(kind, day))


def periods_of_year(kind: str, year: int) -> list[Period]:
    """Every calendar period of `kind` in `year`, in order (the period pickers)."""
    if kind == "week":
        return weeks_of_year(year)
    return [calendar_period(kind, dt.date(year, month, 1)) for month in _CALENDAR_STARTS[kind]]


_SPEC = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])|[Hh](?P<half>[12])|(?P<nine>9[Mm])))?$")


def parse_period(text: str, kind: str | None = None) -> Period:
    """A period as the command line writes it: 2026-06 (month), 2026-Q1, 2026-H1, 2026-9M, 2026 (year),
    START..END (a free range), or the first day (ISO or dd/mm/yyyy) of a period of `kind` (a week: its
    Monday). DateError with a Vietnamese message otherwise, or when the written kind is not `kind`."""
    raw = (text or "").strip()
    if ".." in raw:
        start_text, _, end_text = raw.partition("..")
        found = Period(kind or "custom", parse_date(start_text), parse_date(end_text)).require_calendar()
    else:
        match = _SPEC.match(raw)
        if match:
            year = int(match.group("year"))
            if match.group("month"):
                month = int(match.group("month"))
                if not 1 <= month <= 12:
                    raise DateError(f"Tháng “{month}” không có (viết 2026-06 cho tháng 6/2026).")
                found = calendar_period("month", dt.date(year, month, 1))
            elif match.group("quarter"):
                found = calendar_period("quarter", dt.date(year, 3 * int(match.group("quarter")) - 2, 1))
            elif match.group("half"):
                if match.group("half") == "2":
                    raise DateError(f"Báo cáo 6 tháng là báo cáo 6 tháng đầu năm ({year}-H1); 6 tháng cuối năm được "
                                    f"báo cáo trong báo cáo năm ({year}).")
                found = calendar_period("half_year", dt.date(year, 1, 1))
            elif match.group("nine"):
                found = calendar_period("nine_months", dt.date(year, 1, 1))
            else:
                found = calendar_period("year", dt.date(year, 1, 1))
        else:
            day = parse_date(raw)
            if kind in CALENDAR_MONTHS:
                found = calendar_period(kind, day)
                if found.start != day:
                    raise DateError(f"Kỳ {PERIOD_NAMES[kind]} bắt đầu từ {format_date(found.start)}, không phải "
                                    f"{format_date(day)}; viết {found.code()}.")
            elif kind == "custom":
                raise DateError(f"Kỳ tùy chọn cần ngày đầu và ngày cuối: viết {raw}..NGÀY-CUỐI.")
            else:
                found = Period("week", day, day + dt.timedelta(days=6))
    if kind is not None and found.kind != kind:
        raise DateError(f"Mẫu này báo cáo theo {PERIOD_NAMES[kind]}; “{raw}” là kỳ {PERIOD_NAMES[found.kind]}. "
                        f"Ví dụ: {_EXAMPLES[kind]}.")
    return found


_EXAMPLES = {"week": "2026-06-01 (thứ Hai đầu tuần)", "month": "2026-06", "quarter": "2026-Q2",
             "half_year": "2026-H1", "nine_months": "2026-9M", "year": "2026", "custom": "2026-06-01..2026-06-30"}


# == when a report is due ==========================================================================
_DUE_DAY_RE = re.compile(r"^ngày\s+(\d{1,2})$", re.IGNORECASE)
_DUE_FIXED_RE = re.compile(r"^(\d{1,2})\s*/\s*(\d{1,2})$")
DUE_FORMS = ("số ngày tính từ ngày kết thúc kỳ (số âm: trước khi kỳ kết thúc, ví dụ -5), “ngày 25” (ngày 25 của "
             "tháng cuối kỳ) hoặc “15/11” (một ngày cố định trong năm)")


@dataclass(frozen=True)
class DueRule:
    """When a template's report is due, as the template says it: `offset` days from the period's end
    (negative: before it ends), or `day` of the period's last month ("ngày 25"), or a fixed `day`/`month`
    ("15/11": the first such date from the middle of the period on, so an annual report due 15/01 is due the
    January after its year)."""
    offset: int | None = None
    day: int | None = None
    month: int | None = None

    def text(self) -> str:
        """The rule as the template writes it."""
        if self.offset is not None:
            return str(self.offset)
        if self.month is None:
            return f"ngày {self.day}"
        return f"{self.day}/{self.month}"

    def date_for(self, period: Period) -> dt.date:
        if self.offset is not None:
            return period.end + dt.timedelta(days=self.offset)
        if self.month is None:
            last = calendar.monthrange(period.end.year, period.end.month)[1]
            return period.end.replace(day=min(self.day, last))
        middle = period.start + (period.end - period.start) / 2
        for year in (middle.year, middle.year + 1):
            last = calendar.monthrange(year, self.month)[1]
            day = dt.date(year, self.month, min(self.day, last))
            if day >= middle:
                return day
        return day  # not reached: a date a year after the middle is always later


def parse_due(value) -> DueRule | None:
    """The template's `due` (YAML value) as a rule; None when absent. Raises DateError (Vietnamese) for
    anything else than the forms in DUE_FORMS."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > 366:
            raise DateError(f"“due” là {DUE_FORMS}; {value} ngày là quá xa.")
        return DueRule(offset=value)
    text = " ".join(str(value).split()) if isinstance(value, str) else ""
    found = _DUE_DAY_RE.match(text)
    if found and 1 <= int(found.group(1)) <= 31:
        return DueRule(day=int(found.group(1)))
    found = _DUE_FIXED_RE.match(text)
    if found:
        day, month = int(found.group(1)), int(found.group(2))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]:
            return DueRule(day=day, month=month)
    raise DateError(f"“due” là {DUE_FORMS}, không phải “{value}”.")
