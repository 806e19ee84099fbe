"""The inbox: unit × period × report kind, on time / late / missing / not yet due, errors, kept warnings."""
import datetime as dt
import json

import pytest

from baocao_desktop.domain.dates import Period
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import send as sending
from baocao_desktop.services.inbox import due_date, expected_periods, inbox, local_day
from tests.conftest import run_cli
from tests.exchange.conftest import WEEK1, WEEK2, WEEK3, register, week_values


def send_at(commune, stick, monkeypatch, when: str, reports=None):
    """Export as if on `when` (UTC ISO): the manifest's created_at is the sending time."""
    monkeypatch.setattr(sending, "now_iso", lambda: when)
    try:
        return commune.send(stick, reports).path
    finally:
        monkeypatch.undo()


@pytest.fixture
def round_of_weeks(make_commune, upper, stick, tmp_path, monkeypatch):
    """A sends weeks 1–3 on the Monday after each; B sends week 1 on the Tuesday (late) and week 2 with an
    error; C is registered and sends nothing."""
    a = make_commune("Đảng ủy xã An Bình", "An Bình")
    b = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    c = make_commune("Đảng ủy xã Cốc Ly", "Cốc Ly")
    for commune in (a, b, c):
        register(upper, commune, tmp_path)
    files = []
    for week in (WEEK1, WEEK2, WEEK3):
        report = a.weekly(week)
        monday = week + dt.timedelta(days=7)
        files.append(send_at(a, stick / f"a-{week}.baocao", monkeypatch, f"{monday}T09:30:00.000+07:00", [report]))
    report = b.weekly(WEEK1)
    files.append(send_at(b, stick / "b1.baocao", monkeypatch, "2026-06-09T01:00:00.000+00:00", [report]))
    bad = b.weekly(WEEK2, week_values(kham_cum="999", kham_prev="500"), sign=False)
    files.append(send_at(b, stick / "b2.baocao", monkeypatch, "2026-06-15T01:00:00.000+00:00", [bad]))
    ex.import_bundles(upper, files)
    return a, b, c


def test_due_dates_and_local_days():
    week = Period("week", WEEK1, WEEK1 + dt.timedelta(days=6))
    assert due_date(week) == dt.date(2026, 6, 8) and due_date(week).weekday() == 0
    assert due_date(Period("month", dt.date(2026, 6, 1), dt.date(2026, 6, 30))) == dt.date(2026, 7, 5)
    # 23:30 UTC on Sunday is already Monday in Vietnam
    assert local_day("2026-06-07T23:30:00+00:00") == dt.date(2026, 6, 8)


def test_expected_periods():
    seen = [Period("week", WEEK1, WEEK1 + dt.timedelta(days=6)), Period("week", WEEK3, WEEK3 + dt.timedelta(days=6))]
    assert [p.start for p in expected_periods("week", seen)] == [WEEK1, WEEK2, WEEK3]
    months = [Period("month", dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
              Period("month", dt.date(2026, 4, 1), dt.date(2026, 4, 30))]
    assert [p.start.month for p in expected_periods("month", months)] == [1, 2, 3, 4]
    assert expected_periods("month", months)[1].end == dt.date(2026, 2, 28)
    quarters = [Period("quarter", dt.date(2026, 4, 1), dt.date(2026, 6, 30))]
    assert [p.start for p in expected_periods("quarter", quarters, dt.date(2026, 1, 1), dt.date(2026, 12, 31))] == [
        dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 7, 1), dt.date(2026, 10, 1)]
    custom = [Period("custom", dt.date(2025, 7, 1), dt.date(2025, 9, 11)),
              Period("custom", dt.date(2025, 7, 1), dt.date(2025, 9, 11)),
              Period("custom", dt.date(2025, 7, 5), dt.date(2025, 9, 10)),
              Period("custom", dt.date(2026, 1, 1), dt.date(2026, 3, 31))]
    rounds = expected_periods("custom", custom)
    assert [(p.start, p.end) for p in rounds] == [(dt.date(2025, 7, 1), dt.date(2025, 9, 11)),
                                                  (dt.date(2026, 1, 1), dt.date(2026, 3, 31))]


def test_inbox_states_errors_and_missing(round_of_weeks, upper):
    a, b, c = round_of_weeks
    box = inbox(upper, today=dt.date(2026, 6, 23))
    cells = {(cell.unit_name, cell.period.start): cell for cell in box.cells}
    assert len(cells) == 9  # 3 units × 3 weeks
    assert all(cells[("Đảng ủy xã An Bình", w)].state == "on_time" for w in (WEEK1, WEEK2, WEEK3))
    late = cells[("Đảng ủy xã Bản Phố", WEEK1)]
    assert late.state == "late" and late.days_late == 1 and late.sent_on == dt.date(2026, 6, 9)
    with_error = cells[("Đảng ủy xã Bản Phố", WEEK2)]
    assert with_error.state == "on_time" and with_error.has_errors and with_error.status == "draft"
    assert cells[("Đảng ủy xã Bản Phố", WEEK3)].state == "missing"
    assert [cells[("Đảng ủy xã Cốc Ly", w)].state for w in (WEEK1, WEEK2, WEEK3)] == ["missing"] * 3
    assert box.counts() == {"cells": 9, "on_time": 4, "late": 1, "missing": 4, "pending": 0, "received": 5,
                            "with_errors": 1, "with_kept_warnings": 0, "conflicts": 0}
    # on the Monday the third week is due, nobody is late yet for it
    early = inbox(upper, today=dt.date(2026, 6, 22))
    assert {c.state for c in early.cells if c.period.start == WEEK3 and not c.received} == {"pending"}
    text = box.missing_text()
    assert text.startswith("DANH SÁCH ĐƠN VỊ CHƯA GỬI BÁO CÁO\n(tính đến ngày 23/6/2026)")
    assert "Báo cáo tuần — Tuần 23 (01/6–07/6/2026), hạn 08/6/2026: 1 đơn vị\n  1. Đảng ủy xã Cốc Ly" in text
    assert "Tuần 25 (15/6–21/6/2026), hạn 22/6/2026: 2 đơn vị\n  1. Đảng ủy xã Bản Phố\n  2. Đảng ủy xã Cốc Ly" in text
    assert "An Bình" not in text


def test_inbox_filters_range_and_json(round_of_weeks, upper):
    a, b, c = round_of_weeks
    box = inbox(upper, template="bc_tuan", start=WEEK2, end=WEEK2 + dt.timedelta(days=6), today=dt.date(2026, 6, 30))
    assert {cell.period.start for cell in box.cells} == {WEEK2}
    assert [cell.unit_name for cell in box.filter(states=["missing"]).cells] == ["Đảng ủy xã Cốc Ly"]
    assert [cell.unit_name for cell in box.filter(with_errors=True).cells] == ["Đảng ủy xã Bản Phố"]
    data = json.loads(json.dumps(box.to_json()))
    assert data["due_rule_days"]["week"] == 1
    cell = next(c for c in data["cells"] if c["unit"] == "Đảng ủy xã An Bình")
    assert cell["state"] == "on_time" and cell["due"] == "2026-06-15" and cell["received"] and cell["versions"] == 1
    # a chosen range before anything was received still lists who is expected
    future = inbox(upper, template="bc_tuan", start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 12),
                   today=dt.date(2026, 7, 20))
    assert len(future.cells) == 3 and {c.state for c in future.cells} == {"missing"}
    # a template nobody has sent yet, chosen with a range: everyone is expected, nothing fails
    quarter = inbox(upper, template="bc_dang_uy_quy", start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30),
                    today=dt.date(2026, 7, 20))
    assert len(quarter.cells) == 3 and {c.state for c in quarter.cells} == {"missing"}


def test_versions_and_conflicts_show_in_the_inbox(round_of_weeks, upper, stick):
    a, _, _ = round_of_weeks
    report = next(r for r in a.ws.list_reports() if r.period.start == WEEK1)
    a.ws.unlock(report.id, "Sửa số liệu lúa")
    a.ws.set_value(report.id, "lua_mua_dien_tich", "actual", "310")
    a.ws.sign(report.id)
    ex.import_bundles(upper, [a.send(stick / "sua.baocao", [report.id]).path])
    cell = next(c for c in inbox(upper, today=dt.date(2026, 6, 22)).cells
                if c.unit_name == "Đảng ủy xã An Bình" and c.period.start == WEEK1)
    assert cell.versions == 2 and cell.state == "on_time"  # the correction does not make it late


def test_inbox_cli(round_of_weeks, upper):
    code, out, err = run_cli("inbox", "--db", str(upper.path), "--today", "2026-06-23")
    assert code == 0, err
    assert "Báo cáo tuần — Tuần 23 (01/6–07/6/2026), hạn 08/6/2026: nhận 2/3 (muộn 1), thiếu 1" in out
    assert "Muộn" in out and "gửi 09/6/2026, muộn 1 ngày" in out and "1 lỗi" in out
    code, out, _ = run_cli("inbox", "--missing", "--db", str(upper.path), "--today", "2026-06-23")
    assert out.startswith("DANH SÁCH ĐƠN VỊ CHƯA GỬI BÁO CÁO")
    code, out, _ = run_cli("inbox", "--json", "--state", "late", "--db", str(upper.path), "--today", "2026-06-22")
    cells = json.loads(out)["cells"]
    assert [(c["unit"], c["state"]) for c in cells] == [("Đảng ủy xã Bản Phố", "late")]


def test_an_empty_inbox(upper):
    box = inbox(upper)
    assert box.cells == [] and "Hộp thư trống" in box.text()
