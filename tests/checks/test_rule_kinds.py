"""Rule kinds added for issue 4: the figure in the narrative, quarter = its months, plausibility against the
profile, the report date against the template's rule and the basis document; missing values in every kind."""
import pytest

from baocao_desktop.templates.model import TemplateError, parse_template

INDICATORS = """
indicators:
  - {code: thu_ns, label: Thu ngân sách trên địa bàn, unit: triệu đồng, kind: money, cumulative: true}
  - {code: tong_dang_vien, label: Tổng số đảng viên, unit: đảng viên, kind: count}
  - {code: dang_vien_moi, label: Kết nạp đảng viên mới, unit: đảng viên, kind: count}
  - {code: nguoi_tham_gia, label: Số người tham gia bảo hiểm y tế, unit: người, kind: count}
  - {code: chi_thuong_xuyen, label: Chi thường xuyên, unit: triệu đồng, kind: money}
tables:
  - code: dang_vien
    title: Đảng viên theo chi bộ
    rows: [{code: thon, label: Chi bộ thôn}, {code: co_quan, label: Chi bộ cơ quan}, {code: tong, label: Tổng cộng}]
    columns: [{code: so_luong, label: Số đảng viên}]
    total_row: tong
sections:
  - number: "I."
    title: TÌNH HÌNH CHUNG
    indicators: [tong_dang_vien, dang_vien_moi, nguoi_tham_gia]
    tables: [dang_vien]
    children:
      - {number: "1.", title: Công tác đảng viên}
  - number: "II."
    title: KINH TẾ
    indicators: [thu_ns, chi_thuong_xuyen]
"""

MONTHLY = """
code: bc_thang
version: 1
name: Báo cáo tháng
period: month
summary: "Tháng"
""" + INDICATORS

QUARTERLY = """
code: bc_quy
version: 1
name: Báo cáo quý
period: quarter
summary: "Quý"
""" + INDICATORS + """
checks:
  - {code: thu_theo_thang, kind: sum_of_months, refs: [thu_ns.actual, thu_ns.cumulative]}
  - {code: dang_vien_loi_van, kind: narrative_figure, value: tong_dang_vien.actual}
  - code: bang_loi_van
    kind: narrative_figure
    value: dang_vien.tong.so_luong
    phrases: ["Đảng bộ có {n} đảng viên", "tổng số đảng viên là {n}"]
    sections: [I]
  - {code: bhyt_khong_qua_dan_so, kind: plausible, value: nguoi_tham_gia.actual, max: profile.dan_so}
  - {code: chi_hop_ly, kind: plausible, value: chi_thuong_xuyen.actual, min: 100, max: "20.000"}
  - {code: ngay_bao_cao, kind: report_date, after: period_start, within_days: 10}
"""


@pytest.fixture
def ws(workspace):
    workspace.install_template(parse_template(MONTHLY, origin="thang"))
    workspace.install_template(parse_template(QUARTERLY, origin="quy"))
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình")
    workspace.add_profile_fact("dan_so", "Dân số", "15.486", "người", "2026-01-01")
    return workspace


@pytest.fixture
def quarter(ws):
    return ws.create_report("bc_quy", "2026-04-01", "2026-06-30", report_date="05/7/2026")


def found(ws, report_id, prefix):
    return [f for f in ws.check(report_id, proofread=False) if f.code.startswith(prefix)]


def months(ws, figures):
    """Monthly reports of April, May, June with thu_ns (actual, cumulative); None: no report that month."""
    ends = {4: "2026-04-30", 5: "2026-05-31", 6: "2026-06-30"}
    for month, pair in figures.items():
        if pair is None:
            continue
        report = ws.create_report("bc_thang", f"2026-0{month}-01", ends[month])
        actual, cumulative = pair
        if actual is not None:
            ws.set_value(report.id, "thu_ns", "actual", actual)
        if cumulative is not None:
            ws.set_value(report.id, "thu_ns", "cumulative", cumulative)


# == the same figure in the narrative ==========================================================
def test_narrative_figure_against_the_indicator(ws, quarter):
    ws.set_value(quarter.id, "tong_dang_vien", "actual", "892")
    ws.set_section_text(quarter.id, "I.1", "Đảng bộ xã hiện có 35 chi bộ.\n"
                                           "Đến nay, tổng số 891 đảng viên, trong đó 310 đảng viên nữ.")
    [finding] = found(ws, quarter.id, "narrative_figure.dang_vien_loi_van")
    assert finding.message == ("Mục I.1, đoạn 2: lời văn ghi “tổng số 891 đảng viên” nhưng số liệu tổng số đảng "
                               "viên (mục I) là 892: chênh 1. Sửa lời văn hoặc số liệu cho khớp.")
    assert finding.severity == "warning"
    # the jump target is the number in the narrative: section, paragraph (0-based) and offsets
    text = "Đến nay, tổng số 891 đảng viên, trong đó 310 đảng viên nữ."
    assert (finding.section, finding.field, finding.paragraph) == ("I.1", "", 1)
    assert text[finding.start:finding.end] == "891"
    assert finding.values == {"text": "891", "value": "892", "field": "tong_dang_vien.actual", "difference": "-1"}
    assert finding.to_json()["location"] == {"section": "I.1", "paragraph": 1, "start": 17, "end": 20}
    ws.set_section_text(quarter.id, "I.1", "Đến nay, tổng số 892 đảng viên, trong đó 310 đảng viên nữ.")
    assert not found(ws, quarter.id, "narrative_figure.dang_vien_loi_van")


@pytest.mark.parametrize("text", [
    "Có 310 đảng viên nữ và 25 đảng viên dự bị.",  # subsets named after the unit
    "Trong đó tổng số 310 đảng viên là người dân tộc thiểu số.",  # "trong đó": a subset
    "Tổng số đảng viên là khoảng 900 người.",  # approximate: nothing to compare
    "Thực hiện Kế hoạch số 85-KH/TU, ngày 22/5/2026 của Ban Thường vụ Tỉnh ủy.",
    "Tổng số đảng viên: 892.",
])
def test_narrative_figure_does_not_cry_wolf(ws, quarter, text):
    ws.set_value(quarter.id, "tong_dang_vien", "actual", "892")
    ws.set_section_text(quarter.id, "I", text)
    assert not found(ws, quarter.id, "narrative_figure")


def test_narrative_figure_against_a_table_cell_with_declared_phrases(ws, quarter):
    ws.set_cell(quarter.id, "dang_vien", "tong", "so_luong", "892")
    ws.set_section_text(quarter.id, "I", "Đảng bộ có 829 đảng viên sinh hoạt tại 35 chi bộ.")
    [finding] = found(ws, quarter.id, "narrative_figure.bang_loi_van")
    assert finding.message == ("Mục I, đoạn 1: lời văn ghi “Đảng bộ có 829 đảng viên” nhưng số liệu đảng viên "
                               "theo chi bộ: Tổng cộng, Số đảng viên là 892: chênh 63. Sửa lời văn hoặc số liệu "
                               "cho khớp.")
    # a narrative outside the declared sections is not read
    ws.set_section_text(quarter.id, "I", "")
    ws.set_section_text(quarter.id, "II", "Đảng bộ có 829 đảng viên.")
    assert not found(ws, quarter.id, "narrative_figure.bang_loi_van")


def test_narrative_figure_missing_value_policies(ws):
    text = QUARTERLY.replace("value: tong_dang_vien.actual}", "value: tong_dang_vien.actual, missing: finding}")
    ws.install_template(parse_template(text.replace("version: 1", "version: 2"), origin="quy2"))
    report = ws.create_report("bc_quy", "2026-04-01", "2026-06-30")
    ws.set_section_text(report.id, "I", "Tổng số 892 đảng viên.")
    [finding] = found(ws, report.id, "narrative_figure.dang_vien_loi_van")
    assert finding.message == "Chưa đủ số liệu để kiểm tra: thiếu tổng số đảng viên."
    assert finding.field == "tong_dang_vien.actual"


# == quarter = its months ======================================================================
def test_quarter_equals_the_sum_of_its_months(ws, quarter):
    months(ws, {4: ("1.500", "5.500"), 5: ("1.600", "7.100"), 6: ("1.550", "8.650")})
    ws.set_value(quarter.id, "thu_ns", "actual", "4.700")
    ws.set_value(quarter.id, "thu_ns", "cumulative", "8.600")
    by_field = {f.field: f for f in found(ws, quarter.id, "sum_of_months")}
    assert by_field["thu_ns.actual"].message == (
        "Thu ngân sách trên địa bàn quý II/2026 (4.700) nhưng tổng tháng 4/2026 + tháng 5/2026 + tháng 6/2026 "
        "= 1.500 + 1.600 + 1.550 = 4.650: chênh 50. Sửa số của kỳ, hoặc sửa báo cáo trong kỳ có số sai.")
    assert by_field["thu_ns.actual"].section == "II"
    assert by_field["thu_ns.actual"].values["months"] == {"tháng 4/2026": "1.500", "tháng 5/2026": "1.600",
                                                          "tháng 6/2026": "1.550"}
    assert by_field["thu_ns.cumulative"].message == (
        "Lũy kế thu ngân sách trên địa bàn quý II/2026 (8.600) khác lũy kế tháng 6/2026, cuối kỳ (8.650): "
        "chênh 50. Sửa lũy kế của kỳ hoặc của báo cáo cuối kỳ cho khớp.")
    ws.set_value(quarter.id, "thu_ns", "actual", "4.650")
    ws.set_value(quarter.id, "thu_ns", "cumulative", "8.650")
    assert not found(ws, quarter.id, "sum_of_months")


def test_quarter_with_a_month_missing_is_said_not_guessed(ws, quarter):
    months(ws, {4: ("1.500", None), 5: None, 6: ("1.550", None)})
    ws.set_value(quarter.id, "thu_ns", "actual", "4.700")
    [finding] = found(ws, quarter.id, "sum_of_months")  # May has no report: said, not counted as 0
    assert (finding.severity, finding.message) == (
        "info", "Chưa đối chiếu được thu ngân sách trên địa bàn quý II/2026 (4.700) với các báo cáo trong kỳ: "
                "chưa có số liệu tháng 5/2026 (có: tháng 4/2026: 1.500 + tháng 6/2026: 1.550). Không tự cộng khi "
                "thiếu số.")
    assert finding.values["missing"] == ["tháng 5/2026"]


def test_sum_of_months_policies_zero_and_finding(ws):
    months(ws, {4: ("1.500", None), 5: None, 6: ("1.550", None)})
    text = QUARTERLY.replace("thu_ns.cumulative]}", "thu_ns.cumulative], missing: zero}")
    ws.install_template(parse_template(text.replace("version: 1", "version: 2"), origin="quy"))
    zero = ws.create_report("bc_quy", "2026-04-01", "2026-06-30")
    ws.set_value(zero.id, "thu_ns", "actual", "4.700")
    [finding] = found(ws, zero.id, "sum_of_months")
    assert finding.message == (
        "Thu ngân sách trên địa bàn quý II/2026 (4.700) nhưng tổng tháng 4/2026 + tháng 6/2026 + tháng 5/2026 "
        "(chưa có: 0) = 1.500 + 1.550 + 0 = 3.050: chênh 1.650. Sửa số của kỳ, hoặc sửa báo cáo trong kỳ có số sai.")
    text = QUARTERLY.replace("thu_ns.cumulative]}", "thu_ns.cumulative], missing: finding}")
    ws.install_template(parse_template(text.replace("version: 1", "version: 3"), origin="quy"))
    ws.delete_report(zero.id)
    report = ws.create_report("bc_quy", "2026-04-01", "2026-06-30")
    ws.set_value(report.id, "thu_ns", "actual", "4.700")
    [finding] = found(ws, report.id, "sum_of_months")
    assert (finding.severity, finding.message) == (
        "warning", "Chưa đối chiếu được thu ngân sách trên địa bàn quý II/2026 (4.700) với các báo cáo trong kỳ: "
                   "chưa có số liệu tháng 5/2026 (có: tháng 4/2026: 1.500 + tháng 6/2026: 1.550). Không tự cộng "
                   "khi thiếu số.")
    # no monthly report at all: nothing to compare, whatever the policy
    other = ws.create_report("bc_quy", "2026-07-01", "2026-09-30")
    ws.set_value(other.id, "thu_ns", "actual", "4.700")
    assert not found(ws, other.id, "sum_of_months")


def test_sum_of_months_is_refused_for_a_plan_or_a_table_cell():
    bad = QUARTERLY.replace("refs: [thu_ns.actual, thu_ns.cumulative]", "refs: [dang_vien.tong.so_luong]")
    with pytest.raises(TemplateError) as info:
        parse_template(bad, origin="xau.yaml")
    assert "“sum_of_months” chỉ dùng cho số thực hiện (.actual) hoặc lũy kế (.cumulative)" in str(info.value)


# == plausible range and magnitude =============================================================
def test_plausible_against_the_population_and_numbers(ws, quarter):
    ws.set_value(quarter.id, "nguoi_tham_gia", "actual", "15.600")
    ws.set_value(quarter.id, "chi_thuong_xuyen", "actual", "12.500.000")
    by_code = {f.code: f for f in found(ws, quarter.id, "plausible")}
    assert by_code["plausible.bhyt_khong_qua_dan_so"].message == (
        "Số người tham gia bảo hiểm y tế (15.600) lớn hơn dân số theo hồ sơ đơn vị (15.486 người, từ ngày "
        "01/01/2026): chênh 114. Số này không hợp lý: kiểm tra lại số hoặc đơn vị.")
    assert by_code["plausible.bhyt_khong_qua_dan_so"].field == "nguoi_tham_gia.actual"
    assert by_code["plausible.chi_hop_ly"].message == (
        "Chi thường xuyên (12.500.000) lớn hơn mức hợp lý (20.000): chênh 12.480.000. Số này không hợp lý: "
        "kiểm tra lại số hoặc đơn vị. Có thể nhầm đơn vị (tỷ đồng / triệu đồng).")
    ws.set_value(quarter.id, "chi_thuong_xuyen", "actual", "12,5")
    [low] = found(ws, quarter.id, "plausible.chi_hop_ly")
    assert low.message == ("Chi thường xuyên (12,5) nhỏ hơn mức hợp lý (100): chênh 87,5. Số này không hợp lý: "
                           "kiểm tra lại số hoặc đơn vị.")
    ws.set_value(quarter.id, "chi_thuong_xuyen", "actual", "12.500")
    ws.set_value(quarter.id, "nguoi_tham_gia", "actual", "15.486")
    assert not found(ws, quarter.id, "plausible")


def test_plausible_needs_a_bound_and_a_known_field():
    with pytest.raises(TemplateError) as info:
        parse_template(QUARTERLY.replace("min: 100, max: \"20.000\"", ""), origin="xau.yaml")
    assert "“plausible” cần “min” hoặc “max”" in str(info.value)
    with pytest.raises(TemplateError) as info:
        parse_template(QUARTERLY.replace("max: profile.dan_so", "max: dan_so.actual"), origin="xau.yaml")
    assert "không có trường “dan_so.actual”" in str(info.value)


# == dates =====================================================================================
def test_report_date_rule_of_the_template(ws, quarter):
    # this template allows a report written during the quarter (after: period_start) …
    ws.set_header(quarter.id, report_date="20/6/2026")
    assert not found(ws, quarter.id, "date.")
    ws.set_header(quarter.id, report_date="25/3/2026")
    [early] = found(ws, quarter.id, "date.")
    assert (early.code, early.severity, early.field) == ("date.before_period_start", "error", "header.date")
    assert early.message == ("Ngày báo cáo (25/3/2026) trước ngày bắt đầu kỳ báo cáo (01/4/2026): chưa đến kỳ thì "
                             "chưa thể báo cáo. Sửa ngày báo cáo hoặc kỳ báo cáo.")
    # … and at most 10 days after it ends
    ws.set_header(quarter.id, report_date="15/7/2026")
    [late] = found(ws, quarter.id, "date.")
    assert (late.code, late.severity) == ("date.late", "warning")
    assert late.message == ("Ngày báo cáo (15/7/2026) muộn 5 ngày so với hạn của mẫu (10 ngày sau khi kỳ kết thúc, "
                            "tức 10/7/2026). Kiểm tra lại ngày báo cáo.")


def test_default_report_date_rule_and_basis_document(ws):
    report = ws.create_report("bc_thang", "2026-06-01", "2026-06-30")
    ws.set_header(report.id, report_date="29/6/2026")
    [finding] = found(ws, report.id, "date.")
    assert finding.message == ("Ngày báo cáo (29/6/2026) trước ngày kết thúc kỳ báo cáo (30/6/2026): báo cáo chỉ "
                               "ký sau khi kỳ đã kết thúc. Sửa ngày báo cáo hoặc kỳ báo cáo.")
    ws.set_header(report.id, report_date="02/7/2026",
                  basis="Kế hoạch số 90-KH/TU, ngày 03/7/2026 của Ban Thường vụ Tỉnh ủy về sơ kết")
    [finding] = found(ws, report.id, "date.")
    assert (finding.code, finding.severity, finding.field) == ("date.before_basis", "error", "header.date")
    assert finding.message == ("Ngày báo cáo (02/7/2026) trước ngày 03/7/2026 của văn bản căn cứ “Kế hoạch số "
                               "90-KH/TU, ngày 03/7/2026”: báo cáo thực hiện văn bản nào thì phải ký sau văn bản đó. "
                               "Sửa ngày báo cáo hoặc văn bản căn cứ.")
    ws.set_header(report.id, report_date="03/7/2026")  # the same day is possible
    assert not found(ws, report.id, "date.")


def test_nothing_before_the_unit_existed(ws):
    ws.save_unit(founded_on="2025-07-01")
    report = ws.create_report("bc_thang", "2025-06-01", "2025-06-30")
    [finding] = found(ws, report.id, "date.before_unit_founded")
    assert (finding.severity, finding.field) == ("warning", "header.period")
    assert finding.message == ("Kỳ báo cáo bắt đầu (01/6/2025) trước ngày thành lập đơn vị (01/7/2025). Kiểm tra "
                               "lại kỳ báo cáo hoặc ngày thành lập trong hồ sơ đơn vị.")


def test_report_date_rule_is_validated():
    with pytest.raises(TemplateError) as info:
        parse_template(QUARTERLY.replace("after: period_start", "after: period_middle"), origin="xau.yaml")
    assert "“after” phải là period_end hoặc period_start" in str(info.value)
    with pytest.raises(TemplateError) as info:
        parse_template(QUARTERLY.replace("within_days: 10", "within_days: mười"), origin="xau.yaml")
    assert "“within_days” phải là số ngày (0–366)" in str(info.value)


def test_shipped_one_year_review_compares_its_narrative(demo_workspace):
    ws = demo_workspace
    [review] = [r for r in ws.list_reports() if r.template_code == "bc_so_ket_mot_nam"]
    assert not found(ws, review.id, "narrative_figure")
    ws.set_value(review.id, "tong_dang_vien", "actual", "731")
    [finding] = found(ws, review.id, "narrative_figure")
    assert finding.message == ("Mục I.1, đoạn 2: lời văn ghi “tổng số 730 đảng viên” nhưng số liệu tổng số đảng "
                               "viên là 731: chênh 1. Sửa lời văn hoặc số liệu cho khớp.")
    assert (finding.section, finding.paragraph) == ("I.1", 1)


def test_new_kinds_can_be_typed_into_the_template_editor_form():
    from baocao_desktop.templates.rule_specs import build_rule
    from baocao_desktop.services import template_editing as te
    template = parse_template(QUARTERLY, origin="quy")
    data = te.check_from_form("narrative_figure", "loi_van", {
        "value": "tong_dang_vien.actual", "phrases": "tổng số {n} đảng viên; {n} thôn, dân số", "sections": "I, II"})
    rule = build_rule(data, template, "Mẫu thử")
    assert rule.params["phrases"] == ("tổng số {n} đảng viên", "{n} thôn, dân số")
    assert rule.params["sections"] == ("I", "II")
    rule = build_rule(te.check_from_form("report_date", "ngay", {"after": "period_start", "within_days": "10"}),
                      template, "Mẫu thử")
    assert (rule.params["after"], rule.params["within_days"]) == ("period_start", 10)
    rule = build_rule(te.check_from_form("plausible", "hop_ly", {"value": "chi_thuong_xuyen.actual",
                                                                  "max": "20.000"}), template, "Mẫu thử")
    assert str(rule.params["max"]) == "20000" and rule.params["min"] is None
    with pytest.raises(TemplateError) as info:
        te.check_from_form("sum_of_months", "thang", {})
    assert "hãy điền “Các trường”" in str(info.value)
