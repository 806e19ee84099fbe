"""Rule kinds declared in templates: exact Vietnamese messages, missing-value policies, bad templates."""
import datetime as dt

import pytest

from baocao_desktop.templates.model import TemplateError, parse_template

BASE = """
code: quy_tac
version: 1
name: Báo cáo thử quy tắc
period: month
summary: "Tháng"
indicators:
  - {code: tthc_tiep_nhan, label: Số hồ sơ tiếp nhận, unit: hồ sơ, kind: count}
  - {code: tthc_da_giai_quyet, label: Đã giải quyết, unit: hồ sơ, kind: count}
  - {code: tthc_dang_giai_quyet, label: Đang giải quyết, unit: hồ sơ, kind: count}
  - {code: tthc_dung_han, label: Giải quyết đúng hạn, unit: hồ sơ, kind: count}
  - {code: ty_le_dung_han, label: Tỷ lệ giải quyết đúng hạn, unit: "%", kind: percent}
  - {code: ty_le_nam, label: Tỷ lệ đảng viên nam, unit: "%", kind: percent}
  - {code: ty_le_nu, label: Tỷ lệ đảng viên nữ, unit: "%", kind: percent}
  - {code: tong_dang_vien, label: Tổng số đảng viên, unit: đảng viên, kind: count}
  - {code: dang_vien_muc_3, label: Đảng viên ở mục 3, unit: đảng viên, kind: count}
  - {code: so_vu_viec, label: Số vụ việc, unit: vụ, kind: count}
  - {code: so_nguoi, label: Số người liên quan, unit: người, kind: count}
  - {code: hinh_thuc_a, label: Hình thức A, unit: "", kind: count}
  - {code: hinh_thuc_b, label: Hình thức B, unit: "", kind: count}
tables:
  - code: to_chuc
    title: Tổ chức đảng trước và sau sắp xếp
    rows: [{code: chi_bo, label: Chi bộ}, {code: dang_bo, label: Đảng bộ cơ sở}, {code: tong, label: Tổng cộng}]
    columns: [{code: truoc, label: Trước}, {code: tang, label: Tăng}, {code: giam, label: Giảm}, {code: sau, label: Sau}]
    total_row: tong
sections:
  - number: "I."
    title: SỐ LIỆU
    indicators: [tthc_tiep_nhan, tthc_da_giai_quyet, tthc_dang_giai_quyet, tthc_dung_han, ty_le_dung_han,
                 ty_le_nam, ty_le_nu, tong_dang_vien, dang_vien_muc_3, so_vu_viec, so_nguoi, hinh_thuc_a, hinh_thuc_b]
    tables: [to_chuc]
checks:
  - {code: tthc_can_doi, kind: total_parts, total: tthc_tiep_nhan.actual,
     parts: [tthc_da_giai_quyet.actual, tthc_dang_giai_quyet.actual]}
  - {code: dung_han_trong_tong, kind: part_le_total, parts: [tthc_dung_han.actual], total: tthc_da_giai_quyet.actual}
  - {code: ty_le_dung_han, kind: percent, value: ty_le_dung_han.actual, numerator: tthc_dung_han.actual,
     denominator: tthc_da_giai_quyet.actual}
  - {code: co_cau_gioi, kind: composition, parts: [ty_le_nam.actual, ty_le_nu.actual]}
  - {code: to_chuc_can_doi, kind: table_balance, table: to_chuc, before: truoc, plus: [tang], minus: [giam], after: sau}
  - {code: dang_vien_ho_so, kind: profile_equals, value: tong_dang_vien.actual, fact: tong_dang_vien}
  - {code: cung_so, kind: same_value, refs: [tong_dang_vien.actual, dang_vien_muc_3.actual]}
  - {code: vu_viec_nguoi, kind: both_or_neither, refs: [so_vu_viec.actual, so_nguoi.actual]}
  - {code: mot_hinh_thuc, kind: at_most_one, refs: [hinh_thuc_a.actual, hinh_thuc_b.actual]}
  - {code: can_tong, kind: required, refs: [tong_dang_vien.actual], severity: error}
  - {code: khong_vuot_dan_so, kind: expression, expr: "tong_dang_vien.actual <= profile.dan_so",
     message: "Tổng số đảng viên không thể lớn hơn dân số của xã"}
"""


@pytest.fixture
def ws(workspace):
    workspace.install_template(parse_template(BASE, origin="quy_tac"))
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình")
    workspace.add_profile_fact("tong_dang_vien", "Tổng số đảng viên", "730", "đảng viên", "2026-01-01")
    workspace.add_profile_fact("dan_so", "Dân số", "15.486", "người", "2026-01-01")
    return workspace


@pytest.fixture
def report(ws):
    return ws.create_report("quy_tac", "2026-06-01", "2026-06-30")


def messages(ws, report_id, prefix):
    return [f.message for f in ws.check(report_id) if f.code.startswith(prefix)]


def fill(ws, report_id, **values):
    for code, value in values.items():
        ws.set_value(report_id, code, "actual", value)


def test_total_parts_exact_message(ws, report):
    fill(ws, report.id, tthc_tiep_nhan="68", tthc_da_giai_quyet="45", tthc_dang_giai_quyet="22")
    [finding] = [f for f in ws.check(report.id) if f.code == "total_parts.tthc_can_doi"]
    assert finding.message == ("Số hồ sơ tiếp nhận (68) khác tổng đã giải quyết và đang giải quyết "
                               "(45 + 22 = 67): chênh 1.")
    assert (finding.severity, finding.section, finding.field) == ("error", "I", "tthc_tiep_nhan.actual")
    fill(ws, report.id, tthc_tiep_nhan="67")
    assert not messages(ws, report.id, "total_parts")


def test_missing_value_policies(ws, report):
    fill(ws, report.id, tthc_tiep_nhan="68", tthc_da_giai_quyet="45")
    assert not messages(ws, report.id, "total_parts")  # skip: a part is empty
    text = BASE.replace("parts: [tthc_da_giai_quyet.actual, tthc_dang_giai_quyet.actual]}",
                        "parts: [tthc_da_giai_quyet.actual, tthc_dang_giai_quyet.actual], missing: zero}")
    ws.install_template(parse_template(text.replace("version: 1", "version: 2"), origin="v2"))
    r2 = ws.create_report("quy_tac", "2026-07-01", "2026-07-31")
    fill(ws, r2.id, tthc_tiep_nhan="68", tthc_da_giai_quyet="45")
    assert messages(ws, r2.id, "total_parts") == [
        "Số hồ sơ tiếp nhận (68) khác tổng đã giải quyết và đang giải quyết (45 + 0 = 45): chênh 23."]
    text3 = text.replace("missing: zero", "missing: finding").replace("version: 1", "version: 3")
    ws.install_template(parse_template(text3, origin="v3"))
    r3 = ws.create_report("quy_tac", "2026-08-01", "2026-08-31")
    fill(ws, r3.id, tthc_tiep_nhan="68")
    [finding] = [f for f in ws.check(r3.id) if f.code.startswith("total_parts")]
    assert finding.severity == "warning"
    assert finding.message == "Chưa đủ số liệu để kiểm tra: thiếu đã giải quyết và đang giải quyết."


def test_part_le_total_and_percent(ws, report):
    fill(ws, report.id, tthc_da_giai_quyet="45", tthc_dung_han="46", ty_le_dung_han="98")
    assert messages(ws, report.id, "part_le_total") == [
        "Giải quyết đúng hạn (46) lớn hơn đã giải quyết (45): phần không thể lớn hơn tổng, chênh 1."]
    fill(ws, report.id, tthc_dung_han="44")
    # 44/45 = 97,78%: "98" shown with no decimals is right (tolerance 0,5)
    assert not messages(ws, report.id, "percent")
    fill(ws, report.id, ty_le_dung_han="97,5")
    assert messages(ws, report.id, "percent") == [
        "Tỷ lệ giải quyết đúng hạn ghi 97,5% nhưng giải quyết đúng hạn/đã giải quyết = 44/45 = 97,8%. "
        "Sửa tỷ lệ thành 97,8%."]


def test_composition(ws, report):
    fill(ws, report.id, ty_le_nam="56,3", ty_le_nu="43,7")
    assert not messages(ws, report.id, "composition")
    fill(ws, report.id, ty_le_nu="42,7")
    assert messages(ws, report.id, "composition") == [
        "Các tỷ lệ tỷ lệ đảng viên nam và tỷ lệ đảng viên nữ cộng lại 56,3 + 42,7 = 99%, không bằng 100%: chênh 1."]


def test_table_balance_and_totals(ws, report):
    for row, (before, up, down, after) in {"chi_bo": ("35", "2", "1", "36"), "dang_bo": ("2", "0", "0", "3"),
                                           "tong": ("37", "2", "1", "38")}.items():
        for col, value in zip(("truoc", "tang", "giam", "sau"), (before, up, down, after)):
            ws.set_cell(report.id, "to_chuc", row, col, value)
    found = ws.check(report.id)
    balance = [f for f in found if f.code.startswith("table_balance")]
    assert [f.message for f in balance] == [
        "Tổ chức đảng trước và sau sắp xếp: Đảng bộ cơ sở, Sau (3) khác tổ chức đảng trước và sau sắp xếp: "
        "Đảng bộ cơ sở, Trước + tổ chức đảng trước và sau sắp xếp: Đảng bộ cơ sở, Tăng − tổ chức đảng trước và sau "
        "sắp xếp: Đảng bộ cơ sở, Giảm (2 + 0 − 0 = 2): chênh 1."]
    assert balance[0].field == "to_chuc.dang_bo.sau"
    totals = [f for f in found if f.code == "table.total"]
    assert [f.message for f in totals] == [
        "Bảng “Tổ chức đảng trước và sau sắp xếp”, cột “Sau”: tổng ghi 38 khác cộng các ô (36 + 3 = 39): chênh 1."]


def test_profile_equals_same_value_presence_rules(ws, report):
    fill(ws, report.id, tong_dang_vien="729", dang_vien_muc_3="730", so_vu_viec="2", hinh_thuc_a="1", hinh_thuc_b="1")
    found = {f.code: f for f in ws.check(report.id)}
    assert found["profile_equals.dang_vien_ho_so"].message == (
        "Tổng số đảng viên (729) khác hồ sơ đơn vị: Tổng số đảng viên là 730 đảng viên (từ ngày 01/01/2026). "
        "Sửa số trong báo cáo, hoặc cập nhật hồ sơ đơn vị nếu số liệu đã thay đổi.")
    assert found["same_value.cung_so"].message == (
        "Đảng viên ở mục 3 (730) khác tổng số đảng viên (729): cùng một số liệu phải giống nhau ở mọi chỗ, chênh 1.")
    assert found["both_or_neither.vu_viec_nguoi"].message == (
        "Có số vụ việc (2) nhưng chưa có số người liên quan: hai số này phải đi cùng nhau.")
    assert found["both_or_neither.vu_viec_nguoi"].field == "so_nguoi.actual"
    assert found["at_most_one.mot_hinh_thuc"].message == (
        "Chỉ được nhập một trong hình thức A và hình thức B; đang có 2: hình thức A và hình thức B.")
    assert "required.can_tong" not in found


def test_profile_fact_is_taken_as_of_the_report_date(ws, report):
    ws.add_profile_fact("tong_dang_vien", "Tổng số đảng viên", "740", "đảng viên", "2026-07-02")
    fill(ws, report.id, tong_dang_vien="730")
    assert report.report_date == dt.date(2026, 7, 1)
    assert not messages(ws, report.id, "profile_equals")  # dated 01/7: 730 is valid, 740 only from 02/7
    ws.set_header(report.id, report_date="03/7/2026")
    assert messages(ws, report.id, "profile_equals")[0].startswith(
        "Tổng số đảng viên (730) khác hồ sơ đơn vị: Tổng số đảng viên là 740 đảng viên (từ ngày 02/7/2026).")


def test_required_and_expression(ws, report):
    found = {f.code: f for f in ws.check(report.id)}
    assert found["required.can_tong"].message == "Chưa nhập tổng số đảng viên."
    assert found["required.can_tong"].severity == "error"
    fill(ws, report.id, tong_dang_vien="15.487")
    [finding] = [f for f in ws.check(report.id) if f.code == "expression.khong_vuot_dan_so"]
    assert finding.message == ("Tổng số đảng viên không thể lớn hơn dân số của xã "
                               "(hồ sơ đơn vị: Dân số = 15.486; tổng số đảng viên = 15.487).")


@pytest.mark.parametrize("change, message", [
    ("parts: [tthc_da_giai_quyet.actual, tthc_dang_giai_quyet.actual]}",
     "không có trường “khong_co.actual”"),
    ("expr: \"tong_dang_vien.actual <= profile.dan_so\"", "hàm “open” không được phép"),
    ("kind: at_most_one", "loại kiểm tra “bogus” không có"),
    ("missing: zero", None),
])
def test_templates_with_bad_checks_are_refused(change, message):
    if message is None:
        return
    bad = {
        "không có trường “khong_co.actual”": BASE.replace(change, "parts: [khong_co.actual]}"),
        "hàm “open” không được phép": BASE.replace(change, "expr: \"open(tong_dang_vien.actual) == 1\""),
        "loại kiểm tra “bogus” không có": BASE.replace(change, "kind: bogus"),
    }[message]
    with pytest.raises(TemplateError) as info:
        parse_template(bad, origin="xau.yaml")
    assert message in str(info.value) and "xau.yaml" in str(info.value)


def test_same_figure_in_another_report_ending_the_same_day(ws, report, workspace):
    fill(ws, report.id, tong_dang_vien="730")
    text = BASE.replace("code: quy_tac", "code: quy_tac_khac").replace(
        "checks:", "checks:\n  - {code: thong_nhat, kind: same_across_reports, refs: [tong_dang_vien.actual]}")
    ws.install_template(parse_template(text, origin="khac"))
    other = ws.create_report("quy_tac_khac", "2026-06-01", "2026-06-30")
    fill(ws, other.id, tong_dang_vien="731")
    [finding] = [f for f in ws.check(other.id) if f.code == "same_across_reports.thong_nhat"]
    assert finding.message == ("Tổng số đảng viên (731) khác số đã báo cáo trong báo cáo thử quy tắc "
                               "tháng 6/2026 (730) tính đến cùng ngày: chênh 1. Thống nhất số liệu giữa "
                               "các báo cáo.")


def test_weekly_template_checks_administrative_procedures(demo_workspace):
    ws = demo_workspace
    week1 = [r for r in ws.list_reports() if r.template_code == "bc_tuan"][-1]
    assert not [f for f in ws.check(week1.id) if f.severity == "error"]
    ws.set_value(week1.id, "tthc_tiep_nhan", "actual", "70")
    [finding] = [f for f in ws.check(week1.id) if f.code == "total_parts.tthc_can_doi"]
    assert finding.message == (
        "Hồ sơ thủ tục hành chính tiếp nhận (70) khác tổng hồ sơ thủ tục hành chính đã giải quyết, hồ sơ thủ tục "
        "hành chính đang giải quyết và hồ sơ trả lại, công dân rút hồ sơ (45 + 22 + 1 = 68): chênh 2. "
        "Hồ sơ tiếp nhận phải bằng đã giải quyết + đang giải quyết + trả lại.")
    assert finding.section == "II.2.6"
