"""Report periods: week, month, quarter, 6 months, 9 months, year and a free range (issue 17 point 2)."""
import datetime as dt

import pytest

from baocao_desktop.domain.dates import (PERIOD_KINDS, DateError, Period, calendar_period, parse_period,
                                         periods_of_year)

D = dt.date


@pytest.mark.parametrize("kind, day, start, end, label", [
    ("month", D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29), "Tháng 2/2024"),  # leap year
    ("month", D(2026, 2, 28), D(2026, 2, 1), D(2026, 2, 28), "Tháng 2/2026"),
    ("month", D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31), "Tháng 12/2026"),
    ("quarter", D(2026, 5, 15), D(2026, 4, 1), D(2026, 6, 30), "Quý II/2026"),
    ("quarter", D(2026, 12, 1), D(2026, 10, 1), D(2026, 12, 31), "Quý IV/2026"),
    ("half_year", D(2026, 6, 30), D(2026, 1, 1), D(2026, 6, 30), "6 tháng đầu năm 2026"),
    ("half_year", D(2026, 7, 1), D(2026, 1, 1), D(2026, 6, 30), "6 tháng đầu năm 2026"),  # the year's only one
    ("nine_months", D(2026, 3, 3), D(2026, 1, 1), D(2026, 9, 30), "9 tháng đầu năm 2026"),
    ("year", D(2028, 2, 29), D(2028, 1, 1), D(2028, 12, 31), "Năm 2028"),
])
def test_calendar_periods_and_their_labels(kind, day, start, end, label):
    period = calendar_period(kind, day)
    assert (period.kind, period.start, period.end, period.label()) == (kind, start, end, label)
    assert period.is_calendar() and parse_period(period.code(), kind) == period


@pytest.mark.parametrize("text, kind, start, end", [
    ("2026-06", "month", D(2026, 6, 1), D(2026, 6, 30)),
    ("2026-Q1", "quarter", D(2026, 1, 1), D(2026, 3, 31)),
    ("2026-q3", "quarter", D(2026, 7, 1), D(2026, 9, 30)),
    ("2026-H1", "half_year", D(2026, 1, 1), D(2026, 6, 30)),
    ("2026-9M", "nine_months", D(2026, 1, 1), D(2026, 9, 30)),
    ("2026", "year", D(2026, 1, 1), D(2026, 12, 31)),
    ("2026-06-29", "week", D(2026, 6, 29), D(2026, 7, 5)),  # a week straddling two months
    ("2026-06-01..2026-06-20", "custom", D(2026, 6, 1), D(2026, 6, 20)),
])
def test_the_command_line_forms(text, kind, start, end):
    period = parse_period(text, kind)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert parse_period(period.code(), kind) == period


@pytest.mark.parametrize("text, kind, message", [
    ("2026-Q1", "month", "báo cáo theo tháng; “2026-Q1” là kỳ quý"),
    ("2026-13", "month", "Tháng “13” không có"),
    ("2026-05-15", "quarter", "bắt đầu từ 01/4/2026"),
    ("2026-06-03", "week", "thứ Hai đến Chủ nhật"),
    ("2026-06-10", "custom", "cần ngày đầu và ngày cuối"),
    ("2026-06-30..2026-06-01", "custom", "phải sau ngày bắt đầu"),
    ("2026-02-01..2026-04-30", "quarter", "quý I/2026 là 01/01/2026–31/3/2026"),
    ("tháng sáu", "month", "không hợp lệ"),
    ("2026-H2", "half_year", "6 tháng cuối năm được báo cáo trong báo cáo năm (2026)"),
])
def test_wrong_periods_are_refused_in_vietnamese(text, kind, message):
    with pytest.raises(DateError) as caught:
        parse_period(text, kind)
    assert message in str(caught.value)


def test_periods_of_a_year_cover_it_without_gaps():
    for kind in ("month", "quarter", "year"):
        periods = periods_of_year(kind, 2028)
        assert periods[0].start == D(2028, 1, 1) and periods[-1].end == D(2028, 12, 31)
        assert all(b.start - a.end == dt.timedelta(days=1) for a, b in zip(periods, periods[1:]))
    assert [p.label() for p in periods_of_year("nine_months", 2026)] == ["9 tháng đầu năm 2026"]
    assert [p.label() for p in periods_of_year("half_year", 2026)] == ["6 tháng đầu năm 2026"]
    assert len(periods_of_year("week", 2026)) == 52 and "nine_months" in PERIOD_KINDS


def test_a_stored_period_off_the_calendar_still_loads_and_says_its_dates():
    # made by an older version (any start and end for a "month" template): read, shown, never refused
    old = Period("month", D(2026, 6, 5), D(2026, 7, 4))
    assert not old.is_calendar() and old.label() == "05/6/2026–04/7/2026"
    with pytest.raises(DateError):
        old.require_calendar()
