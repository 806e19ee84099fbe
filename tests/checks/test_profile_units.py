"""A profile fact kept in km² against a field in ha: profile_equals and plausible compare in the field's
unit (23,5 km² = 2.350 ha), and their messages show both."""
import pytest

from baocao_desktop.domain.numbers import in_unit, parse_number
from baocao_desktop.templates.model import parse_template

TEMPLATE = """
code: dien_tich
version: 1
name: Báo cáo đất đai
period: month
summary: "Tháng"
indicators:
  - {code: dien_tich_tu_nhien, label: Diện tích tự nhiên, unit: ha, kind: area, profile_fact: dien_tich_tu_nhien}
  - {code: dien_tich_lua, label: Diện tích lúa, unit: ha, kind: area}
  - {code: so_ho, label: Số hộ, unit: hộ, kind: count}
sections:
  - number: "I."
    title: ĐẤT ĐAI
    indicators: [dien_tich_tu_nhien, dien_tich_lua, so_ho]
checks:
  - {code: dien_tich_theo_ho_so, kind: profile_equals, value: dien_tich_tu_nhien.actual, fact: dien_tich_tu_nhien}
  - {code: lua_trong_dien_tich, kind: plausible, value: dien_tich_lua.actual, max: profile.dien_tich_tu_nhien}
  - {code: ho_theo_ho_so, kind: profile_equals, value: so_ho.actual, fact: dan_so}
"""


@pytest.fixture
def ws(workspace):
    workspace.install_template(parse_template(TEMPLATE, origin="dien_tich"))
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình")
    workspace.add_profile_fact("dien_tich_tu_nhien", "Diện tích tự nhiên", "23,5", "km²", "2026-01-01")
    workspace.add_profile_fact("dan_so", "Dân số", "15.486", "người", "2026-01-01")
    return workspace


def findings(ws, report_id):
    return {f.code: f.message for f in ws.check(report_id, proofread=False)
            if f.code.startswith(("profile_equals", "plausible"))}


def test_area_in_km2_is_compared_in_ha(ws):
    report = ws.create_report("dien_tich", "2026-06-01", "2026-06-30")
    assert str(ws.report(report.id).values["dien_tich_tu_nhien"]["actual"]) == "2350"  # filled in ha
    ws.set_value(report.id, "dien_tich_lua", "actual", "800")
    assert findings(ws, report.id) == {}  # 2.350 ha is the profile's 23,5 km²; 800 ha fits inside it

    ws.set_value(report.id, "dien_tich_tu_nhien", "actual", "2.340")
    ws.set_value(report.id, "dien_tich_lua", "actual", "2.400")
    found = findings(ws, report.id)
    assert found["profile_equals.dien_tich_theo_ho_so"] == (
        "Diện tích tự nhiên (2.340) khác hồ sơ đơn vị: Diện tích tự nhiên là 23,5 km² (= 2.350 ha) "
        "(từ ngày 01/01/2026). Sửa số trong báo cáo, hoặc cập nhật hồ sơ đơn vị nếu số liệu đã thay đổi.")
    assert found["plausible.lua_trong_dien_tich"] == (
        "Diện tích lúa (2.400) lớn hơn diện tích tự nhiên theo hồ sơ đơn vị (23,5 km² = 2.350 ha, từ ngày "
        "01/01/2026): chênh 50. Số này không hợp lý: kiểm tra lại số hoặc đơn vị.")


def test_units_that_do_not_convert_compare_as_written(ws):
    report = ws.create_report("dien_tich", "2026-06-01", "2026-06-30")
    ws.set_value(report.id, "so_ho", "actual", "15.486")
    assert "profile_equals.ho_theo_ho_so" not in findings(ws, report.id)
    ws.set_value(report.id, "so_ho", "actual", "3.200")
    assert findings(ws, report.id)["profile_equals.ho_theo_ho_so"].startswith(
        "Số hộ (3.200) khác hồ sơ đơn vị: Dân số là 15.486 người (từ ngày 01/01/2026).")


def test_in_unit():
    area = parse_number("23,5")
    assert in_unit(area, "km²", "ha") == parse_number("2.350")
    assert in_unit(area, "km2", "ha") == parse_number("2.350")
    assert in_unit(parse_number("2.350"), "ha", "km²") == area
    assert in_unit(area, "", "ha") == area and in_unit(area, "ha", "ha") == area
    assert in_unit(area, "người", "hộ") is None
