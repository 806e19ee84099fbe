import datetime as dt

import pytest

from baocao_desktop.domain.dates import (Period, format_date, format_date_line, parse_date, week_of,
                                         weeks_of_year)


def test_vietnamese_date_formats():
    assert format_date(dt.date(2026, 6, 1)) == "01/6/2026"
    assert format_date(dt.date(2026, 2, 5)) == "05/02/2026"
    assert format_date_line("Lùng Phình", dt.date(2026, 6, 8)) == "Lùng Phình, ngày 08 tháng 6 năm 2026"
    assert format_date_line("Lùng Phình", dt.date(2026, 1, 15)) == "Lùng Phình, ngày 15 tháng 01 năm 2026"
    assert parse_date("01/6/2026") == parse_date("2026-06-01") == dt.date(2026, 6, 1)
    with pytest.raises(ValueError, match="không hợp lệ"):
        parse_date("31/2/2026")


def test_week_is_monday_to_sunday():
    week = week_of(dt.date(2026, 6, 3))  # a Wednesday
    assert (week.start, week.end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    assert week.label() == "Tuần 23 (01/6–07/6/2026)"
    with pytest.raises(ValueError, match="thứ Hai đến Chủ nhật"):
        Period("week", dt.date(2026, 6, 2), dt.date(2026, 6, 8))


def test_weeks_of_year_are_all_mondays():
    weeks = weeks_of_year(2026)
    assert len(weeks) == 52
    assert all(w.start.weekday() == 0 and (w.end - w.start).days == 6 for w in weeks)
    assert weeks[0].start == dt.date(2026, 1, 5)
