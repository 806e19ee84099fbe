"""Every rule kind that reads figures honours its `missing` policy: skip (default), zero, finding."""
import pytest

from baocao_desktop.templates.model import TemplateError, parse_template

TEMPLATE = """
code: chinh_sach
version: {version}
name: Báo cáo thử ô trống
period: month
summary: "Tháng"
indicators:
  - {{code: a, label: Số A, unit: người, kind: count}}
  - {{code: b, label: Số B, unit: người, kind: count}}
  - {{code: c, label: Số C, unit: người, kind: count}}
  - {{code: d, label: Số D, unit: người, kind: count}}
  - {{code: pa, label: Tỷ lệ A, unit: "%", kind: percent}}
  - {{code: pb, label: Tỷ lệ B, unit: "%", kind: percent}}
tables:
  - code: t
    title: Bảng T
    rows: [{{code: r1, label: Dòng 1}}, {{code: r2, label: Dòng 2}}]
    columns: [{{code: truoc, label: Trước}}, {{code: tang, label: Tăng}}, {{code: giam, label: Giảm}}, {{code: sau, label: Sau}}]
sections:
  - number: "I."
    title: SỐ LIỆU
    indicators: [a, b, c, d, pa, pb]
    tables: [t]
checks:
  - {rule}
"""

# kind → (rule without `missing`, message with missing: zero (None: zero makes it agree), the empty field(s))
CASES = {
    "total_parts": ("{code: k, kind: total_parts, total: a.actual, parts: [b.actual, c.actual]",
                    "Số A (10) khác tổng số B và số C (4 + 0 = 4): chênh 6.", "số C"),
    "part_le_total": ("{code: k, kind: part_le_total, parts: [b.actual], total: c.actual",
                      "Số B (4) lớn hơn số C (0): phần không thể lớn hơn tổng, chênh 4.", "số C"),
    "percent": ("{code: k, kind: percent, value: pa.actual, numerator: c.actual, denominator: a.actual",
                "Tỷ lệ A ghi 40% nhưng số C/số A = 0/10 = 0%. Sửa tỷ lệ thành 0%.", "số C"),
    "composition": ("{code: k, kind: composition, parts: [pa.actual, pb.actual]",
                    "Các tỷ lệ tỷ lệ A và tỷ lệ B cộng lại 40 + 0 = 40%, không bằng 100%: chênh 60.", "tỷ lệ B"),
    "balance": ("{code: k, kind: balance, before: a.actual, plus: [b.actual], minus: [c.actual], after: d.actual",
                "Số D (13) khác số A + số B − số C (10 + 4 − 0 = 14): chênh 1.", "số C"),
    "table_balance": ("{code: k, kind: table_balance, table: t, before: truoc, plus: [tang], minus: [giam], after: sau",
                      "Bảng T: Dòng 1, Sau (13) khác bảng T: Dòng 1, Trước + bảng T: Dòng 1, Tăng − bảng T: Dòng 1, "
                      "Giảm (10 + 4 − 0 = 14): chênh 1.", "bảng T: Dòng 1, Giảm"),
    "profile_equals": ("{code: k, kind: profile_equals, value: c.actual, fact: so_c",
                       "Số C (0) khác hồ sơ đơn vị: Số C là 7 người (từ ngày 01/01/2026). Sửa số trong báo cáo, hoặc "
                       "cập nhật hồ sơ đơn vị nếu số liệu đã thay đổi.", "số C"),
    "same_value": ("{code: k, kind: same_value, refs: [a.actual, c.actual]",
                   "Số C (0) khác số A (10): cùng một số liệu phải giống nhau ở mọi chỗ, chênh 10.", "số C"),
    "expression": ("{code: k, kind: expression, expr: \"c.actual >= b.actual\", message: \"Số C không thể ít hơn số B\"",
                   "Số C không thể ít hơn số B (số B = 4; số C = 0).", "số C"),
    "narrative_figure": ("{code: k, kind: narrative_figure, value: c.actual, phrases: [\"số C là {n}\"]",
                         "Mục I, đoạn 1: lời văn ghi “Số C là 5” nhưng số liệu số C là 0: chênh 5. Sửa lời văn hoặc "
                         "số liệu cho khớp.", "số C"),
    "plausible": ("{code: k, kind: plausible, value: c.actual, min: b.actual",
                  "Số C (0) nhỏ hơn số B (4): chênh 4. Số này không hợp lý: kiểm tra lại số hoặc đơn vị.", "số C"),
}


def make_report(ws, kind, policy, version):
    rule, _, _ = CASES[kind]
    rule += "}" if policy is None else f", missing: {policy}}}"
    ws.install_template(parse_template(TEMPLATE.format(version=version, rule=rule), origin="chinh_sach"))
    report = ws.create_report("chinh_sach", f"2026-{version:02d}-01")  # the calendar month
    for code, value in {"a": "10", "b": "4", "d": "13", "pa": "40"}.items():
        ws.set_value(report.id, code, "actual", value)
    for column, value in {"truoc": "10", "tang": "4", "sau": "13"}.items():
        ws.set_cell(report.id, "t", "r1", column, value)  # row 2 stays empty: not a row with a gap
    ws.set_section_text(report.id, "I", "Số C là 5 người.")
    return [f for f in ws.check(report.id, proofread=False) if f.code.startswith(f"{kind}.k")]


@pytest.fixture
def ws(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình")
    workspace.add_profile_fact("so_c", "Số C", "7", "người", "2026-01-01")
    return workspace


@pytest.mark.parametrize("kind", sorted(CASES))
def test_every_kind_honours_its_missing_policy(ws, kind):
    _, zero_message, absent = CASES[kind]
    assert make_report(ws, kind, None, 1) == []  # skip is the default
    assert make_report(ws, kind, "skip", 2) == []
    zero = make_report(ws, kind, "zero", 3)
    assert [f.message for f in zero] == [zero_message]
    [finding] = make_report(ws, kind, "finding", 4)
    assert (finding.severity, finding.message) == ("warning", f"Chưa đủ số liệu để kiểm tra: thiếu {absent}.")
    assert finding.code == f"{kind}.k.missing" and finding.section == "I"


@pytest.mark.parametrize("rule", [
    "{code: k, kind: required, refs: [a.actual], missing: zero}",
    "{code: k, kind: both_or_neither, refs: [a.actual, b.actual], missing: finding}",
    "{code: k, kind: at_most_one, refs: [a.actual, b.actual], missing: skip}",
    "{code: k, kind: report_date, after: period_start, missing: zero}",
])
def test_presence_kinds_refuse_a_missing_policy(rule):
    with pytest.raises(TemplateError) as info:
        parse_template(TEMPLATE.format(version=1, rule=rule), origin="xau.yaml")
    assert "loại này tự xét ô trống" in str(info.value)
