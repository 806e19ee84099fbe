"""Figures across periods (issue 17 point 3): lũy kế from the year's earlier reports with its sources, a longer
period prefilled as the sum of the reports inside it and checked against it, cùng kỳ năm trước, gaps said."""
import datetime as dt
from decimal import Decimal

import pytest

from baocao_desktop.domain.dates import Period, calendar_period, week_of
from baocao_desktop.services import period_figures as pf
from baocao_desktop.services.period_figures import Source, cumulative_before, last_year_of, period_sum, tile

D = dt.date


def month(year, number, actual=None, cumulative=None, template="bc_thang", rid=None):
    period = calendar_period("month", D(year, number, 1))
    values = {k: v for k, v in (("actual", actual), ("cumulative", cumulative)) if v is not None}
    return Source(rid or f"m{year}-{number}", template, period,
                  {"thu": {k: Decimal(v) for k, v in values.items()}} if values else {})


def week(day, actual, cumulative=None):
    period = week_of(day)
    values = {"actual": Decimal(actual)} | ({"cumulative": Decimal(cumulative)} if cumulative else {})
    return Source(f"w{period.start}", "bc_tuan", period, {"thu": values})


# == the arithmetic ================================================================================
def test_lũy_kế_is_the_sum_of_the_earlier_months_with_their_sources():
    found = cumulative_before([month(2026, 1, 120), month(2026, 2, 95)], "thu",
                              calendar_period("month", D(2026, 3, 1)))
    assert found.complete and found.total == Decimal(215)
    assert found.arithmetic() == "tháng 1/2026: 120 + tháng 2/2026: 95"
    assert pf.explain_cumulative(found, "tháng 3/2026", Decimal(80)) == (
        "Lũy kế = tháng 1/2026: 120 + tháng 2/2026: 95 + tháng 3/2026 (báo cáo này): 80 = 295")


def test_a_missing_month_is_a_gap_never_a_guess():
    found = cumulative_before([month(2026, 1, 120), month(2026, 3, 80)], "thu",
                              calendar_period("month", D(2026, 4, 1)))
    assert not found.complete and found.total is None
    assert found.gaps == ("tháng 2/2026",)
    assert pf.explain_previous(found) == ("Chưa tính được lũy kế kỳ trước: chưa có số liệu tháng 2/2026 "
                                          "(có: tháng 1/2026: 120 + tháng 3/2026: 80). Nhập tay nếu có số.")
    # a month whose report exists without the figure is a gap too
    assert cumulative_before([month(2026, 1, 120), month(2026, 2)], "thu",
                             calendar_period("month", D(2026, 3, 1))).gaps == ("tháng 2/2026",)


def test_a_wrong_month_with_a_right_lũy_kế_stays_that_months_finding():
    # March's figure is a slip (170 for 80) but its lũy kế is right: April reads on from March's lũy kế
    found = cumulative_before([month(2026, 1, 120, 120), month(2026, 2, 95, 215), month(2026, 3, 170, 295)],
                              "thu", calendar_period("month", D(2026, 4, 1)))
    assert found.total == Decimal(295) and found.arithmetic() == "lũy kế tháng 3/2026: 295"
    # when the months add up to the stated lũy kế, the months are shown one by one
    found = cumulative_before([month(2026, 1, 120, 120), month(2026, 2, 95, 215), month(2026, 3, 80, 295)],
                              "thu", calendar_period("month", D(2026, 4, 1)))
    assert found.arithmetic() == "tháng 1/2026: 120 + tháng 2/2026: 95 + tháng 3/2026: 80"


def test_a_stated_lũy_kế_bridges_what_the_months_cannot():
    # only February is known, but it states the lũy kế from 1 January
    found = cumulative_before([month(2026, 2, 95, 215)], "thu", calendar_period("month", D(2026, 3, 1)))
    assert found.total == Decimal(215)
    assert found.parts[0].cumulative and found.arithmetic() == "lũy kế tháng 2/2026: 215"


def test_quarters_and_months_mix_months_first():
    q1 = Source("q1", "bc_quy", calendar_period("quarter", D(2026, 1, 1)), {"thu": {"actual": Decimal(295)}})
    found = cumulative_before([q1, month(2026, 1, 120), month(2026, 2, 95), month(2026, 3, 80), month(2026, 4, 70)],
                              "thu", calendar_period("month", D(2026, 5, 1)))
    assert [p.label for p in found.parts] == ["tháng 1/2026", "tháng 2/2026", "tháng 3/2026", "tháng 4/2026"]
    # without February's report, the quarter covers January–March instead of leaving a gap
    found = cumulative_before([q1, month(2026, 1, 120), month(2026, 3, 80), month(2026, 4, 70)], "thu",
                              calendar_period("month", D(2026, 5, 1)))
    assert found.complete and found.arithmetic() == "quý I/2026: 295 + tháng 4/2026: 70"
    assert found.total == Decimal(365)


def test_weeks_straddling_months_count_only_inside_the_span():
    # 2024 starts on a Monday: weeks tile January from its first day; the week of 29/01–04/02 is inside Q1
    weeks = [week(D(2024, 1, 1) + dt.timedelta(days=7 * i), 10) for i in range(6)]
    quarter = calendar_period("quarter", D(2024, 1, 1))
    found = period_sum(weeks, "thu", "actual", quarter)
    assert [p.label for p in found.parts][:2] == ["tuần 1 (01/01–07/01/2024)", "tuần 2 (08/01–14/01/2024)"]
    assert found.gaps == ("12/02–31/3/2024",)
    # 2026 starts on a Thursday: the week of 29/12/2025–04/01/2026 is not inside the year, its days are a gap
    weeks = [week(D(2026, 1, 5) + dt.timedelta(days=7 * i), 10) for i in range(4)]
    found = cumulative_before(weeks, "thu", week_of(D(2026, 2, 2)))
    assert found.gaps == ("01/01–04/01/2026",)
    assert [p.label for p in found.parts][-1] == "tuần 5 (26/01–01/02/2026)"


def test_a_week_with_its_stated_lũy_kế_is_the_base_as_before():
    found = cumulative_before([week(D(2026, 6, 1), 13, 1561)], "thu", week_of(D(2026, 6, 8)))
    assert found.total == Decimal(1561) and found.arithmetic() == "lũy kế tuần 23 (01/6–07/6/2026): 1.561"


def test_a_week_reads_on_from_last_weeks_report_even_where_the_months_cover_the_year():
    months = [month(2026, n, actual, cumulative) for n, actual, cumulative in
              ((1, 410, 410), (2, 285, 695), (3, 278, 973), (4, 306, 1279), (5, 282, 1561))]
    first_week = week(D(2026, 6, 1), 13, 1574)
    # the week after: last week's lũy kế, not "tháng 1 + … + tháng 5 + tuần 23" (which adds up to the same)
    found = cumulative_before(months + [first_week], "thu", week_of(D(2026, 6, 8)), template_code="bc_tuan")
    assert found.total == Decimal(1574) and found.arithmetic() == "lũy kế tuần 23 (01/6–07/6/2026): 1.574"
    # the first week of June has no week before it: the months are its base
    found = cumulative_before(months, "thu", week_of(D(2026, 6, 1)), template_code="bc_tuan")
    assert found.total == Decimal(1561) and [p.label for p in found.parts][-1] == "tháng 5/2026"
    # a week after a missing one is not contiguous: read from the months and the weeks there are
    found = cumulative_before(months + [first_week], "thu", week_of(D(2026, 6, 15)), template_code="bc_tuan")
    assert not found.complete and found.gaps == ("08/6–14/6/2026",)


def test_the_first_period_of_the_year_starts_from_zero_and_a_unit_founded_mid_year_from_its_month():
    found = cumulative_before([month(2025, 12, 50, 600)], "thu", calendar_period("half_year", D(2026, 1, 1)))
    assert found.complete and found.total == 0 and found.start_label == "đầu năm"
    founded = D(2025, 7, 1)  # the communes merged on 01/7/2025
    found = cumulative_before([], "thu", calendar_period("quarter", D(2025, 7, 1)), founded)
    assert found.total == 0 and found.start_label == "ngày thành lập đơn vị (01/7/2025)"
    found = cumulative_before([month(2025, 7, 40), month(2025, 8, 30)], "thu",
                              calendar_period("month", D(2025, 9, 1)), founded)
    assert found.total == Decimal(70)  # nothing asked of January–June, before the unit existed
    # founded mid-month: its first month's report counts whole
    found = cumulative_before([month(2025, 7, 40)], "thu", calendar_period("month", D(2025, 8, 1)), D(2025, 7, 15))
    assert found.total == Decimal(40)


def test_the_same_period_last_year_leap_years_and_weeks():
    assert last_year_of(calendar_period("month", D(2025, 2, 1))) == (D(2024, 2, 1), D(2024, 2, 29))
    assert last_year_of(calendar_period("month", D(2024, 2, 1))) == (D(2023, 2, 1), D(2023, 2, 28))
    assert last_year_of(calendar_period("half_year", D(2026, 1, 1))) == (D(2025, 1, 1), D(2025, 6, 30))
    assert last_year_of(week_of(D(2026, 6, 8))) == (D(2025, 6, 9), D(2025, 6, 15))  # ISO week 24 both years
    assert last_year_of(week_of(D(2026, 12, 21))) == (D(2025, 12, 22), D(2025, 12, 28))  # week 52
    assert last_year_of(week_of(D(2026, 12, 28))) is None  # week 53 of 2026: 2025 had none
    assert last_year_of(week_of(D(2020, 12, 28))) is None  # week 53 of 2020: 2019 had none
    assert last_year_of(Period("custom", D(2026, 3, 5), D(2026, 4, 9))) is None


def test_a_leap_february_is_one_month_in_the_sum():
    found = period_sum([month(2024, 1, 10), month(2024, 2, 20), month(2024, 3, 30)], "thu", "actual",
                       calendar_period("quarter", D(2024, 1, 1)))
    assert found.total == Decimal(60) and not found.gaps


def test_tile_skips_the_period_itself():
    whole = calendar_period("quarter", D(2026, 4, 1))
    other = Source("ubnd", "bc_ubnd_quy", whole, {"thu": {"actual": Decimal(9)}})
    found = tile([other], "thu", "actual", whole.start, whole.end, (whole.start, whole.end))
    assert not found.parts and found.gaps == ("tháng 4–6/2026",)


# == with a database ===============================================================================
@pytest.fixture
def party(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình")
    return workspace


def monthly(ws, number, actual, cumulative=None, code="thu_ngan_sach_tren_dia_ban", year=2026):
    report = ws.create_report("bc_dang_uy_thang", f"{year}-{number:02d}-01")
    ws.set_value(report.id, code, "actual", actual)
    if cumulative is not None:
        ws.set_value(report.id, code, "cumulative", cumulative)
    return report


def test_a_month_report_shows_its_lũy_kế_from_the_earlier_months(party):
    monthly(party, 1, "120", "120")
    monthly(party, 2, "95", "215")
    march = monthly(party, 3, "80", "300")
    context = party.check_context(party.report(march.id))
    assert context.previous_cumulative["thu_ngan_sach_tren_dia_ban"] == Decimal(215)
    [finding] = [f for f in party.check(march.id, proofread=False) if f.code == "cumulative.mismatch"]
    assert finding.message == (
        "Lũy kế thu ngân sách nhà nước trên địa bàn (300 triệu đồng) khác lũy kế các kỳ trước (tháng 1/2026: 120 + "
        "tháng 2/2026: 95) cộng trong kỳ (215 + 80 = 295): chênh 5. Sửa lũy kế thành 295 hoặc kiểm tra lại số "
        "trong kỳ.")
    shown = party.report_json(march.id)["indicators"]["thu_ngan_sach_tren_dia_ban"]
    assert shown["previous"] == "215"
    assert shown["sources"]["cumulative"]["text"] == (
        "Lũy kế = tháng 1/2026: 120 + tháng 2/2026: 95 + tháng 3/2026 (báo cáo này): 80 = 295")
    assert shown["sources"]["cumulative"]["value"] == "295"
    assert [p["label"] for p in shown["sources"]["previous"]["parts"]] == ["tháng 1/2026", "tháng 2/2026"]
    # a report show --json can be filled back: the sources are read-only and ignored
    party.fill_report(march.id, {"indicators": {"thu_ngan_sach_tren_dia_ban": shown}})


def test_a_count_on_a_day_in_another_template_is_no_part_of_a_lũy_kế(party):
    # the monthly report counts the people on the rolls (no lũy kế); the weekly one counts those added in the
    # week with a lũy kế: the months' 1.118 + 1.121 + … are not what the weeks add up from
    for number, on_rolls in ((1, "1.118"), (2, "1.121"), (3, "1.125"), (4, "1.127"), (5, "1.130")):
        monthly(party, number, on_rolls, code="doi_tuong_tro_cap_xa_hoi")
    report = party.create_report("bc_tuan", "2026-06-01")  # a Monday: January–May are the months
    party.set_value(report.id, "doi_tuong_tro_cap_xa_hoi", "actual", "17")
    party.set_value(report.id, "doi_tuong_tro_cap_xa_hoi", "cumulative", "328")
    party.set_value(report.id, "doi_tuong_tro_cap_xa_hoi", "previous", "311")
    context = party.check_context(party.report(report.id))
    assert "doi_tuong_tro_cap_xa_hoi" not in context.previous_cumulative
    assert not [f for f in party.check(report.id, proofread=False) if f.field.startswith("doi_tuong_tro_cap_xa_hoi")]
    party.set_value(report.id, "doi_tuong_tro_cap_xa_hoi", "cumulative", "330")  # 311 + 17 = 328: still checked
    [finding] = [f for f in party.check(report.id, proofread=False) if f.code == "cumulative.mismatch"]
    assert finding.values["expected"] == "328"


def test_a_missing_month_is_said_in_the_lũy_kế(party):
    monthly(party, 1, "120", "120")
    april = monthly(party, 4, "70", "400")
    context = party.check_context(party.report(april.id))
    assert "thu_ngan_sach_tren_dia_ban" not in context.previous_cumulative
    assert context.previous_sources["thu_ngan_sach_tren_dia_ban"].gaps == ("tháng 2–3/2026",)
    [finding] = [f for f in party.check(april.id, proofread=False) if f.code == "cumulative.no_previous"]
    assert "(chưa có số liệu tháng 2–3/2026)" in finding.message
    shown = party.report_json(april.id)["indicators"]["thu_ngan_sach_tren_dia_ban"]["sources"]["previous"]
    assert shown["value"] is None and shown["gaps"] == ["tháng 2–3/2026"]


def test_a_six_month_report_is_prefilled_as_the_sum_of_its_months_and_checked(party):
    figures = {1: ("120", "120"), 2: ("95", "215"), 3: ("80", "295"), 4: ("70", "365"), 5: ("60", "425"),
               6: ("50", "475")}
    reports = {n: monthly(party, n, a, c) for n, (a, c) in figures.items()}
    half = party.create_report("bc_dang_uy_6_thang", "2026-01-01")
    stored = party.report(half.id).values["thu_ngan_sach_tren_dia_ban"]
    assert stored == {"actual": Decimal(475), "cumulative": Decimal(475)}  # 0 before 1 January + 475
    assert ("thu_ngan_sach_tren_dia_ban", "actual") in party.auto_figures(half.id)
    assert not [f for f in party.check(half.id, proofread=False) if f.code.startswith("sum_of_months")
                and f.severity != "info"]
    # the sentence written from the prefilled figures starts the section's text
    assert "475" in party.report(half.id).texts["I.2.2"]
    # a month changes later: the unconfirmed sum follows when the report is opened again
    party.set_value(reports[6].id, "thu_ngan_sach_tren_dia_ban", "actual", "55")
    party.prefill_period_sums(half.id)
    assert party.report(half.id).value("thu_ngan_sach_tren_dia_ban", "actual") == Decimal(480)
    # confirmed, it stays the clerk's: a later change of a month is a finding naming the months
    assert party.confirm_figure(half.id, "thu_ngan_sach_tren_dia_ban", "actual")
    assert ("thu_ngan_sach_tren_dia_ban", "actual") not in party.auto_figures(half.id)
    party.set_value(reports[6].id, "thu_ngan_sach_tren_dia_ban", "actual", "50")
    party.prefill_period_sums(half.id)
    assert party.report(half.id).value("thu_ngan_sach_tren_dia_ban", "actual") == Decimal(480)
    [finding] = [f for f in party.check(half.id, proofread=False)
                 if f.code.startswith("sum_of_months") and f.field == "thu_ngan_sach_tren_dia_ban.actual"]
    assert finding.message.startswith(
        "Thu ngân sách nhà nước trên địa bàn 6 tháng đầu năm 2026 (480) nhưng tổng tháng 1/2026 + tháng 2/2026 + "
        "tháng 3/2026 + tháng 4/2026 + tháng 5/2026 + tháng 6/2026 = 120 + 95 + 80 + 70 + 60 + 50 = 475: chênh 5.")
    # June's own lũy kế (475) is 425 + 50: no month disagrees with itself
    assert "tự mâu thuẫn" not in finding.message


def test_the_month_that_disagrees_with_itself_is_named(party):
    monthly(party, 1, "120", "120")
    monthly(party, 2, "90", "215")  # 120 + 90 is not 215: February is wrong
    monthly(party, 3, "80", "295")
    quarter = party.create_report("bc_dang_uy_quy", "2026-01-01")
    party.set_value(quarter.id, "thu_ngan_sach_tren_dia_ban", "actual", "295")
    [finding] = [f for f in party.check(quarter.id, proofread=False)
                 if f.code.startswith("sum_of_months") and f.field == "thu_ngan_sach_tren_dia_ban.actual"]
    assert "quý I/2026 (295) nhưng tổng tháng 1/2026 + tháng 2/2026 + tháng 3/2026 = 120 + 90 + 80 = 290" \
        in finding.message
    assert "Báo cáo tháng 2/2026 tự mâu thuẫn: lũy kế 215 khác 120 + 90 = 210." in finding.message


def test_a_typed_figure_is_never_overwritten_by_the_sum(party):
    quarter = party.create_report("bc_dang_uy_quy", "2026-01-01")
    party.set_value(quarter.id, "thu_ngan_sach_tren_dia_ban", "actual", "300")
    for n, a in ((1, "120"), (2, "95"), (3, "80")):
        monthly(party, n, a)
    assert party.prefill_period_sums(quarter.id) == []
    assert party.report(quarter.id).value("thu_ngan_sach_tren_dia_ban", "actual") == Decimal(300)
    # a prefilled figure emptied on purpose stays empty
    later = party.create_report("bc_dang_uy_quy", "2026-04-01")
    for n, a in ((4, "70"), (5, "60"), (6, "50")):
        monthly(party, n, a)
    assert party.prefill_period_sums(later.id) == [("thu_ngan_sach_tren_dia_ban", "actual"),
                                                   ("thu_ngan_sach_tren_dia_ban", "cumulative")]
    assert party.report(later.id).value("thu_ngan_sach_tren_dia_ban", "cumulative") == Decimal(475)
    party.set_value(later.id, "thu_ngan_sach_tren_dia_ban", "actual", "")
    assert party.prefill_period_sums(later.id) == []
    assert party.report(later.id).value("thu_ngan_sach_tren_dia_ban", "actual") is None


def test_the_same_period_last_year_comes_from_last_years_report(party):
    monthly(party, 6, "50", year=2025)
    june = monthly(party, 6, "55")
    context = party.check_context(party.report(june.id))
    assert context.last_year["thu_ngan_sach_tren_dia_ban"]["actual"] == (Decimal(50), "tháng 6/2025")
    shown = party.report_json(june.id)["indicators"]["thu_ngan_sach_tren_dia_ban"]["sources"]["last_year"]
    assert shown == {"actual": {"value": "50", "from": "tháng 6/2025"}}
    # another template with the same indicator counts when this one has no report last year
    other = party.create_report("bc_ubnd_thang", "2025-05-01")
    party.set_value(other.id, "thu_ngan_sach_tren_dia_ban", "actual", "44")
    may = monthly(party, 5, "46")
    assert party.check_context(party.report(may.id)).last_year["thu_ngan_sach_tren_dia_ban"]["actual"] == (
        Decimal(44), "tháng 5/2025")


# == start from the reports inside the period (point 4) ===========================================
def test_a_six_month_report_starts_from_the_months_reports(party):
    from baocao_desktop.services import report_migration as rm
    for n, (a, c) in {1: ("120", "120"), 2: ("95", "215"), 3: ("80", "295"), 4: ("70", "365"),
                      6: ("50", "475")}.items():
        report = monthly(party, n, a, c)
        party.set_section_text(report.id, "I.2.2", f"Thu ngân sách tháng {n} đạt tiến độ.")
    half, gaps = rm.create_from_parts(party, "bc_dang_uy_6_thang", "2026-01-01")
    assert gaps == ["tháng 5/2026"]
    text = party.report(half.id).texts["I.2.2"]
    assert "*Tháng 1/2026:*\nThu ngân sách tháng 1 đạt tiến độ." in text
    assert text.index("Tháng 1/2026") < text.index("Tháng 6/2026") and "Tháng 5/2026" not in text
    # May is missing: the figure is not summed (never guessed), the check says which month is missing
    assert party.report(half.id).value("thu_ngan_sach_tren_dia_ban", "actual") is None
    assert rm.parts_available(party, "bc_dang_uy_6_thang", half.period) == (
        ["tháng 1/2026", "tháng 2/2026", "tháng 3/2026", "tháng 4/2026", "tháng 6/2026"], ["tháng 5/2026"])
    party.set_value(half.id, "thu_ngan_sach_tren_dia_ban", "actual", "480")
    [finding] = [f for f in party.check(half.id, proofread=False)
                 if f.code.startswith("sum_of_months") and f.field == "thu_ngan_sach_tren_dia_ban.actual"]
    assert "chưa có số liệu tháng 5/2026" in finding.message


def test_without_reports_inside_nothing_is_created(party):
    from baocao_desktop.services import report_migration as rm
    from baocao_desktop.services.errors import ServiceError
    with pytest.raises(ServiceError, match="Chưa có báo cáo nào của đơn vị trong Quý I/2026"):
        rm.create_from_parts(party, "bc_dang_uy_quy", "2026-01-01")
    assert party.list_reports() == []


@pytest.mark.parametrize("code, first, second", [
    ("bc_dang_uy_thang", "2026-05-01", "2026-06-01"), ("bc_ubnd_quy", "2026-01-01", "2026-04-01"),
    ("bc_dang_uy_6_thang", "2025-01-01", "2026-01-01"), ("bc_ubnd_9_thang", "2025-01-01", "2026-01-01"),
    ("bc_dang_uy_nam", "2025-01-01", "2026-01-01")])
def test_every_kind_starts_from_its_previous_period(party, code, first, second):
    from baocao_desktop.services import report_migration as rm
    before = party.create_report(code, first)
    path = party.template(code).sections[0].path
    party.set_section_text(before.id, path, "Lời văn kỳ trước.")
    party.set_value(before.id, "thu_ngan_sach_tren_dia_ban", "actual", "120")
    new = rm.create_from_previous(party, code, second, figures=rm.FIGURES_PREVIOUS)
    assert new.texts[path] == "Lời văn kỳ trước."
    assert new.value("thu_ngan_sach_tren_dia_ban", "actual") is None  # cleared, kept for comparison only
    assert rm.comparison_figures(party, new.id)["values"]["thu_ngan_sach_tren_dia_ban"]["actual"] == Decimal(120)
