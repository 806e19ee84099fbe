"""The report's date against when its template says it is due (`due`, days from the period's end): a report
legitimately due before its period closes is not an error; without a declared due day, an early date near the
period's end is only a warning."""
import pytest

from baocao_desktop.templates.model import TemplateError, parse_template

from tests.checks.test_rule_kinds import INDICATORS

YEARLY = """
code: bc_nam
version: 1
name: Báo cáo năm
period: year
summary: "Năm"
{due}
""" + INDICATORS


def _found(workspace, due_line, start, end, day):
    workspace.install_template(parse_template(YEARLY.replace("{due}", due_line), origin="nam"))
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình")
    report = workspace.create_report("bc_nam", start, end, report_date=day)
    return [f for f in workspace.check(report.id, proofread=False) if f.code.startswith("date.")]


def test_an_annual_report_due_in_november_is_in_time(workspace):
    assert _found(workspace, "due: -36", "2026-01-01", "2026-12-31", "20/11/2026") == []


def test_a_report_after_its_due_day_is_late(workspace):
    [late] = _found(workspace, "due: -36", "2026-01-01", "2026-12-31", "05/12/2026")
    assert (late.code, late.severity) == ("date.late", "warning") and "25/11/2026" in late.message


def test_far_too_early_even_with_a_due_day(workspace):
    [early] = _found(workspace, "due: -36", "2026-01-01", "2026-12-31", "15/6/2026")
    assert (early.code, early.severity) == ("date.before_period_end", "error")


def test_without_a_due_day_an_early_date_near_the_end_is_a_warning(workspace):
    [near] = _found(workspace, "", "2026-01-01", "2026-12-31", "20/11/2026")
    assert (near.code, near.severity) == ("date.before_period_end", "warning")


def test_without_a_due_day_a_date_far_before_the_end_is_an_error(workspace):
    [far] = _found(workspace, "", "2026-01-01", "2026-12-31", "15/6/2026")
    assert (far.code, far.severity) == ("date.before_period_end", "error")


def test_due_must_be_a_number_of_days():
    with pytest.raises(TemplateError) as info:
        parse_template(YEARLY.replace("{due}", "due: tháng 11"), origin="nam.yaml")
    assert "“due” là số ngày" in str(info.value)
