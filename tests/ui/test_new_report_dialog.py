"""New-report dialog: start from last period's report, intro figures from the unit's profile (issue 3)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QDate, QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QDialog, QDialogButtonBox  # noqa: E402

from baocao_desktop.services import report_migration as rm  # noqa: E402
from baocao_desktop.ui.new_report_dialog import NewReportDialog  # noqa: E402


def ok(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


@pytest.fixture
def dialog_on(qtbot):
    def make(ws, today):
        dialog = NewReportDialog(ws, today=today)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog
    return make


def test_start_from_previous_week_figures_kept_for_comparison(qtbot, demo_workspace, dialog_on):
    ws = demo_workspace
    week24 = next(r for r in ws.list_reports() if r.period.start == dt.date(2026, 6, 8))
    dialog = dialog_on(ws, dt.date(2026, 6, 24))  # default week 25 (15/6–21/6)
    assert dialog.use_previous.isEnabled()
    assert dialog.previous_label.text() == "Chép từ báo cáo Tuần 24 (08/6–14/6/2026) (Dự thảo)"
    assert not dialog.figures_keep.isEnabled()  # choices only matter once the box is ticked
    qtbot.mouseClick(dialog.use_previous, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, dialog.use_previous.height() // 2))
    assert dialog.use_previous.isChecked() and dialog.figures_keep.isEnabled()
    dialog.figures_keep.setChecked(True)
    ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    report = ws.report(dialog.report.id)
    assert (report.period.start, report.status) == (dt.date(2026, 6, 15), "draft")
    source = ws.report(week24.id)
    assert report.texts == source.texts  # text and structure copied
    assert report.value("kham_chua_benh", "actual") is None  # this week's figures start empty
    assert report.value("kham_chua_benh", "previous") == source.value("kham_chua_benh", "cumulative")
    assert rm.comparison_figures(ws, report.id)["values"] == source.values


def test_start_from_previous_with_figures_cleared(qtbot, demo_workspace, dialog_on):
    ws = demo_workspace
    dialog = dialog_on(ws, dt.date(2026, 6, 24))
    dialog.use_previous.setChecked(True)
    assert dialog.figures_clear.isChecked()  # the safe default: no stale figure
    ok(qtbot, dialog)
    report = ws.report(dialog.report.id)
    assert report.texts and report.value("kham_chua_benh", "previous") is None
    assert rm.comparison_figures(ws, report.id) == {}


def test_without_previous_report_the_option_is_off_and_explained(qtbot, workspace, dialog_on):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình", symbol="ĐU")
    dialog = dialog_on(workspace, dt.date(2026, 6, 10))
    assert not dialog.use_previous.isEnabled() and not dialog.use_previous.isChecked()
    assert dialog.previous_label.text() == "Chưa có báo cáo kỳ trước của mẫu này: báo cáo mới để trống."
    ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.report.texts == {}


def test_intro_figures_shown_with_the_profile_date_and_prefilled(qtbot, demo_workspace, dialog_on):
    ws = demo_workspace
    dialog = dialog_on(ws, dt.date(2026, 8, 3))
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("bc_chuyen_de"))
    dialog.start_edit.setDate(QDate(2026, 7, 1))
    dialog.end_edit.setDate(QDate(2026, 7, 31))
    text = dialog.profile_label.text()
    assert "có hiệu lực ngày 01/8/2026" in text
    assert "• Dân số: 15.486 người (hồ sơ đơn vị ngày 31/12/2025)" in text
    assert "• Tổng số đảng viên: 730 đảng viên (hồ sơ đơn vị ngày 01/6/2026)" in text
    # an earlier report date gives the figures valid then
    dialog.report_date_edit.setDate(QDate(2025, 9, 11))
    assert "• Tổng số đảng viên: 691 đảng viên (hồ sơ đơn vị ngày 01/7/2025)" in dialog.profile_label.text()
    dialog.report_date_edit.setDate(QDate(2026, 8, 1))
    ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.report.value("dan_so", "actual") == Decimal(15486)


def test_missing_profile_facts_are_named(qtbot, demo_workspace, dialog_on):
    dialog = dialog_on(demo_workspace, dt.date(2026, 8, 3))
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("bc_giam_sat"))
    assert "Chưa có trong hồ sơ" in dialog.profile_label.text()
    assert "Tổng số cán bộ, công chức xã" in dialog.profile_label.text()


def _install_kind(ws, kind: str) -> str:
    """The shipped thematic template as a template of `kind` (bc_<kind>)."""
    from baocao_desktop.resources import resource_path
    source = resource_path("templates", "bc_chuyen_de.yaml").read_text(encoding="utf-8")
    yaml_text = source.replace("code: bc_chuyen_de", f"code: bc_{kind}").replace("period: custom", f"period: {kind}")
    from baocao_desktop.templates.model import parse_template
    ws.install_template(parse_template(yaml_text))
    return f"bc_{kind}"


@pytest.mark.parametrize("kind, today, shown, chosen_year, chosen_index, start, end", [
    ("month", dt.date(2026, 7, 3), "Tháng 6/2026", 2025, 11, dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
    ("quarter", dt.date(2026, 7, 3), "Quý II/2026", 2026, 0, dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("half_year", dt.date(2026, 7, 3), "6 tháng đầu năm 2026", 2025, 0, dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
    ("nine_months", dt.date(2026, 7, 3), "9 tháng đầu năm 2025", 2026, 0, dt.date(2026, 1, 1), dt.date(2026, 9, 30)),
    ("year", dt.date(2026, 7, 3), "Năm 2025", 2024, 0, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
])
def test_calendar_period_pickers(qtbot, demo_workspace, dialog_on, kind, today, shown, chosen_year, chosen_index,
                                 start, end):
    code = _install_kind(demo_workspace, kind)
    dialog = dialog_on(demo_workspace, today)
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData(code))
    assert dialog.period_stack.currentWidget().isVisible() and not dialog.calendar.isEnabled()
    assert dialog.calendar_combo.currentText().startswith(shown)  # the last finished period by default
    assert dialog.report_date() == dialog.period().end + dt.timedelta(days=1)
    dialog.calendar_year_spin.setValue(chosen_year)
    dialog.calendar_combo.setCurrentIndex(chosen_index)
    assert dialog.report_date() == end + dt.timedelta(days=1)
    # the calendar shows the chosen period's last month with every day of the period marked, no day beyond
    from baocao_desktop.ui.new_report_dialog import WEEK_BRUSH
    from baocao_desktop.ui.common import to_qdate

    def marked(day):
        return dialog.calendar.dateTextFormat(to_qdate(day)).background() == WEEK_BRUSH
    page = (dialog.calendar.yearShown(), dialog.calendar.monthShown())
    assert page == (end.year, end.month)
    assert marked(start) and marked(end) and marked(end - dt.timedelta(days=20))
    assert not marked(start - dt.timedelta(days=1)) and not marked(end + dt.timedelta(days=1))
    ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.report.period.kind, dialog.report.period.start, dialog.report.period.end) == (kind, start, end)


def test_a_free_range_ending_before_it_starts_is_refused_not_shortened(qtbot, demo_workspace, dialog_on):
    dialog = dialog_on(demo_workspace, dt.date(2026, 8, 3))
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("bc_chuyen_de"))
    dialog.start_edit.setDate(QDate(2026, 7, 20))
    dialog.end_edit.setDate(QDate(2026, 7, 1))
    assert "phải sau ngày bắt đầu" in dialog.error_label.text() and dialog.error_label.isVisible()
    ok(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.report is None
