"""The main window's report list says what is late and what is due soon (issue 17 point 5)."""
from __future__ import annotations

import datetime as dt

from baocao_desktop.ui.report_list import ReportListPage


def test_the_line_above_the_list_names_late_and_soon_reports(qtbot, demo_workspace):
    page = ReportListPage()
    qtbot.addWidget(page)
    page.build_data_views()
    page.fill(demo_workspace)
    page.fill_deadlines(demo_workspace, today=dt.date(2026, 6, 20))
    text = page.due_line.text()
    assert not page.due_line.isHidden()
    assert "Quá hạn:" in text and "Báo cáo tháng của Đảng ủy xã – Tháng 5/2026: hạn 25/5/2026 (quá 26 ngày, dự thảo)" in text  # the demo's May draft
    assert "Sắp đến hạn:" in text and "Quý II/2026: hạn 25/6/2026 (còn 5 ngày, dự thảo)" in text
    assert "Báo cáo tuần" not in text
    page.fill_deadlines(demo_workspace, today=dt.date(2026, 8, 20))  # July: no report written yet
    assert "Báo cáo tháng của Đảng ủy xã – Tháng 7/2026: hạn 25/7/2026 (quá 26 ngày, chưa tạo)" in page.due_line.text()


def test_the_line_is_hidden_when_nothing_is_due(qtbot, workspace):
    page = ReportListPage()
    qtbot.addWidget(page)
    page.build_data_views()
    page.fill(workspace)
    assert page.due_line.isHidden() and page.due_line.text() == ""
