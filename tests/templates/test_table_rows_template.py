"""Tables whose rows a report names, adds or leaves out (issue 14.5): the template keys row_labels,
rows_editable and max_rows are checked with Vietnamese messages, and Table.for_report keeps codes as the key."""
import pytest

from baocao_desktop.templates.model import TemplateError, parse_template

TEMPLATE = """
code: bang_thu
version: 1
name: Báo cáo thử bảng
period: week
sections:
  - {{number: "I.", title: Cán bộ, tables: [xa_cu]}}
tables:
  - code: xa_cu
    title: Cán bộ thôi việc theo xã cũ
    rows:
      - {{code: xa_cu_1, label: Xã (cũ) thứ nhất}}
      - {{code: xa_cu_2, label: Xã (cũ) thứ hai}}
      - {{code: xa_cu_3, label: Xã (cũ) thứ ba}}
      - {{code: tong, label: Tổng số}}
    columns:
      - {{code: so_nguoi, label: Số người, unit: người}}
    total_row: tong
{extra}
"""


def table_of(extra: str):
    return parse_template(TEMPLATE.format(extra=extra), origin="thử").table("xa_cu")


def test_the_keys_are_read():
    table = table_of("    row_labels: profile:xa_cu\n    rows_editable: true\n    max_rows: 5")
    assert (table.profile_fact, table.rows_editable, table.max_rows, table.rows_vary) == ("xa_cu", True, 5, True)
    plain = table_of("")
    assert not plain.rows_vary and plain.profile_fact == "" and plain.for_report({"xa_cu_1": "X"}) is plain
    # editable without max_rows: as many rows as the template has
    assert table_of("    rows_editable: true").max_rows == 3


@pytest.mark.parametrize("extra, message", [
    ("    row_labels: xa_cu", "row_labels phải có dạng “profile:<mã dữ kiện hồ sơ>”"),
    ("    row_labels: profile:Xã Cũ", "row_labels phải có dạng"),
    ("    row_labels: [a, b]", "row_labels phải có dạng"),
    ("    rows_editable: có", "rows_editable chỉ nhận true hoặc false"),
    ("    max_rows: 5", "max_rows chỉ dùng khi rows_editable: true"),
    ("    rows_editable: true\n    max_rows: 2", "max_rows phải là số nguyên từ 3"),
    ("    rows_editable: true\n    max_rows: 500", "đến 100"),
    ("    rows_editable: true\n    max_rows: năm", "max_rows phải là số nguyên"),
])
def test_a_bad_value_is_refused_in_vietnamese(extra, message):
    with pytest.raises(TemplateError) as caught:
        table_of(extra)
    assert message in str(caught.value) and "bảng “xa_cu”" in str(caught.value)


def test_a_pack_may_carry_the_keys():
    from baocao_desktop.templates.packs import TABLE_KEYS
    assert {"row_labels", "rows_editable", "max_rows"} <= TABLE_KEYS


def test_for_report_renames_leaves_out_and_adds_before_the_total():
    table = table_of("    rows_editable: true\n    max_rows: 5")
    shown = table.for_report({"xa_cu_1": "Xã Lùng Phình (cũ)", "xa_cu_3": None, "them_2": "Xã B", "them_1": "Xã A"})
    assert [(r.code, r.label) for r in shown.rows] == [
        ("xa_cu_1", "Xã Lùng Phình (cũ)"), ("xa_cu_2", "Xã (cũ) thứ hai"), ("them_1", "Xã A"), ("them_2", "Xã B"),
        ("tong", "Tổng số")]
    assert shown.total_row == "tong" and shown.code == "xa_cu"
    # a template row left out comes back first, so that its code (its place) is the same in every unit
    assert table.next_added_code({"xa_cu_3": None}) == "xa_cu_3"
    assert table.next_added_code({"them_1": "A", "them_9": "B"}) == "them_10"
    assert table.for_report(None) is table and table.for_report({}) is table


def test_the_templates_report_tables_follow_the_report():
    template = parse_template(TEMPLATE.format(extra="    rows_editable: true"), origin="thử")
    mine = template.for_report({"xa_cu": {"xa_cu_2": None}})
    assert [r.code for r in mine.table("xa_cu").rows] == ["xa_cu_1", "xa_cu_3", "tong"]
    assert [r.code for r in template.table("xa_cu").rows] == ["xa_cu_1", "xa_cu_2", "xa_cu_3", "tong"]


def test_the_shipped_old_communes_table_is_named_after_the_profile():
    from baocao_desktop.resources import resource_path
    from baocao_desktop.templates.model import load_template_file
    table = load_template_file(resource_path("templates", "bc_giam_sat.yaml")).table("thoi_viec_xa_cu")
    assert table.profile_fact == "xa_cu" and table.rows_editable and table.max_rows >= 4
