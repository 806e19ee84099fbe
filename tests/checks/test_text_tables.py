"""A free table's total row or column that does not add up is a finding (issue 15.2)."""
from __future__ import annotations

from baocao_desktop.checks.text_tables import table_problems
from baocao_desktop.domain import richtext


def table(markup: str):
    return richtext.tables(markup)[0]


def test_a_total_row_that_does_not_add_up_is_a_finding_in_the_report(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    report = workspace.create_report("bc_tuan", "2026-06-01")
    workspace.set_section_text(report.id, "I.1", (
        "Thu ngân sách:\n[table header]\n| Nguồn thu | Kế hoạch | Thực hiện |\n| Thuế | 1.200 | 1.150 |\n"
        "| Phí | 300 | 320 |\n| Tổng cộng | 1.500 | 1.480 |\n[/table]"))
    found = [f for f in workspace.check(report.id, proofread=False) if f.code == "text_table.total"]
    assert len(found) == 1
    finding = found[0]
    assert finding.section == "I.1" and finding.paragraph == 1 and finding.severity == "warning"
    assert "“Thực hiện”" in finding.message and "1.150 + 320 = 1.470" in finding.message
    assert "Kế hoạch" not in finding.message  # 1.200 + 300 = 1.500 adds up


def test_a_table_that_adds_up_gives_no_finding(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    report = workspace.create_report("bc_tuan", "2026-06-01")
    workspace.set_section_text(report.id, "I.1", (
        "[table header]\n| Nguồn thu | Kế hoạch | Thực hiện |\n| Thuế | 1.200 | 1.150 |\n"
        "| Phí | 300 | 320 |\n| Tổng cộng | 1.500 | 1.470 |\n[/table]"))
    assert not [f for f in workspace.check(report.id, proofread=False) if f.code == "text_table.total"]


def test_a_total_column_and_rate_columns():
    problems = table_problems(table(
        "[table header]\n| Xã | Nam | Nữ | Tỷ lệ nữ (%) | Tổng số |\n| Thôn 1 | 10 | 12 | 54,5 | 22 |\n"
        "| Thôn 2 | 8 | 9 | 52,9 | 18 |\n[/table]"))
    assert len(problems) == 1
    assert problems[0].startswith("Cột “Tổng số”, dòng “Thôn 2”") and "8 + 9 = 17" in problems[0]


def test_rows_named_like_a_total_but_longer_are_no_total_and_words_are_no_numbers():
    assert table_problems(table(
        "[table header]\n| Chỉ tiêu | Số |\n| Đảng viên mới | 5 |\n| Tổng số đảng viên | 892 |\n[/table]")) == []
    assert table_problems(table(
        "[table]\n| Việc | Kết quả |\n| Họp | Đạt |\n| Cộng | Tốt |\n[/table]")) == []


def test_each_total_row_sums_the_rows_since_the_previous_total():
    assert table_problems(table(
        "[table]\n| a | 1 |\n| b | 2 |\n| Cộng | 3 |\n| c | 4 |\n| Cộng | 4 |\n[/table]")) == []
