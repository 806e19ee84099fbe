"""Vietnamese dates and report periods."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .errors import UserError


class DateError(UserError, ValueError):
    """A date or period that cannot be used; the message is Vietnamese and says how to write it."""

PERIOD_KINDS = ("week", "month", "quarter", "half_year", "year", "custom")


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
            raise DateError("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")
        if self.kind == "week" and (self.start.weekday() != 0 or self.end - self.start != dt.timedelta(days=6)):
            raise DateError(
                f"Kỳ báo cáo tuần phải từ thứ Hai đến Chủ nhật; {format_date(self.start)}–"
                f"{format_date(self.end)} không phải là một tuần."
            )

    def label(self) -> str:
        if self.kind == "week":
            iso = self.start.isocalendar()
            return f"Tuần {iso.week} ({format_day_month(self.start)}–{format_date(self.end)})"
        return f"{format_date(self.start)}–{format_date(self.end)}"

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
