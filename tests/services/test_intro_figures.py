"""Intro figures from the unit's profile, valid on the report date (issue 3, point 7)."""
import datetime as dt
from decimal import Decimal

import pytest

from baocao_desktop.templates.model import TemplateError, parse_template

from template_v2_fixture import MINI_V2, install_v2


@pytest.fixture
def v2(mini):
    install_v2(mini)
    mini.add_profile_fact("dan_so", "Dân số", "11.866", "người", "2025-07-01")
    mini.add_profile_fact("dan_so", "Dân số", "15.486", "người", "2026-07-01")  # changed on 1/7
    return mini


def test_june_report_gets_the_old_value_july_report_the_new(v2):
    june = v2.create_report("mini_tuan", "2026-06-22")  # report date 29/6
    july = v2.create_report("mini_tuan", "2026-07-06")
    assert june.value("dan_so", "actual") == Decimal(11866)
    assert july.value("dan_so", "actual") == Decimal(15486)
    assert v2.fact_as_of("dan_so", dt.date(2026, 6, 30)).value == Decimal(11866)


def test_the_report_date_decides_not_the_period(v2):
    # week 22–28/6 reported on 02/7: the profile valid on 02/7
    report = v2.create_report("mini_tuan", "2026-06-22", report_date="2026-07-02")
    assert report.value("dan_so", "actual") == Decimal(15486)


def test_profile_figures_name_the_fact_and_its_date(v2):
    figures = v2.profile_figures(v2.template("mini_tuan"), dt.date(2026, 6, 29))
    fact, value = figures["dan_so"]
    assert value == Decimal(11866) and fact.as_of == dt.date(2025, 7, 1) and fact.label == "Dân số"
    assert "dien_tich_tu_nhien" not in figures  # no such fact: left empty, never invented


def test_area_in_km2_is_converted_to_the_template_unit(v2):
    v2.add_profile_fact("dien_tich_tu_nhien", "Diện tích tự nhiên", "101,0078", "km²", "2025-07-01")
    report = v2.create_report("mini_tuan", "2026-06-22")
    assert report.value("dien_tich_tu_nhien", "actual") == Decimal("10100.78")


def test_incompatible_units_are_not_prefilled(v2):
    v2.add_profile_fact("dien_tich_tu_nhien", "Diện tích tự nhiên", "10", "mẫu", "2025-07-01")
    report = v2.create_report("mini_tuan", "2026-06-22")
    assert report.value("dien_tich_tu_nhien", "actual") is None


def test_profile_fact_code_is_validated():
    with pytest.raises(TemplateError, match="mã dữ kiện hồ sơ"):
        parse_template(MINI_V2.replace("profile_fact: dan_so", "profile_fact: Dân số"))


def test_shipped_templates_fill_intro_figures_and_profile_check_stays_quiet(demo_workspace):
    ws = demo_workspace
    review = ws.template("bc_chuyen_de")
    assert {i.code: i.profile_fact for i in review.indicators if i.profile_fact} == {
        "dan_so": "dan_so", "so_thon": "so_thon", "tong_dang_vien": "tong_dang_vien"}
    report = ws.create_report("bc_chuyen_de", "2026-07-01", "2026-07-31")
    assert report.value("tong_dang_vien", "actual") == Decimal(730)
    assert report.value("dan_so", "actual") == Decimal(15486)
    assert report.value("so_thon", "actual") == Decimal(20)
    codes = {f.code for f in ws.check(report.id, proofread=False)}
    assert not codes & {"dang_vien_theo_ho_so", "dan_so_theo_ho_so", "so_thon_theo_ho_so"}
    # supervision briefing dated 10/9/2025: the profile when the commune was formed
    brief = ws.create_report("bc_giam_sat", "2025-07-01", "2025-09-09")
    assert brief.value("tong_dang_vien", "actual") == Decimal(691)
    assert brief.value("dien_tich_tu_nhien", "actual") == Decimal("10100.78")
    assert brief.value("so_dan_toc", "actual") == Decimal(12)
    assert brief.value("hdnd_dai_bieu", "actual") == Decimal(58)


def test_profile_fact_and_section_code_are_allowed_in_template_packs():
    from baocao_desktop.templates.packs import unknown_fields
    import yaml
    assert unknown_fields(yaml.safe_load(MINI_V2)) == []  # MINI_V2 uses both
