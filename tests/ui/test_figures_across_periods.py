"""The editor shows where computed figures come from and the prefilled sums as “tự tính” until confirmed; the
new-report dialog starts a 6-month report from the months' reports (issue 17 points 3 and 4)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

pytest.importorskip("pytestqt")

import shiboken6  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtWidgets import QDialog, QDialogButtonBox  # noqa: E402

from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402
from baocao_desktop.ui.new_report_dialog import NewReportDialog  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402
from tests.ui.editor_window import show_editor  # noqa: E402

CODE = "thu_ngan_sach_tren_dia_ban"
MONTHS = {1: ("120", "120"), 2: ("95", "215"), 3: ("80", "295"), 4: ("70", "365"), 5: ("60", "425"),
          6: ("50", "475")}


@pytest.fixture
def party(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình", symbol="ĐU")
    for number, (actual, cumulative) in MONTHS.items():
        report = workspace.create_report("bc_dang_uy_thang", f"2026-{number:02d}-01")
        workspace.set_value(report.id, CODE, "actual", actual)
        workspace.set_value(report.id, CODE, "cumulative", cumulative)
        workspace.set_section_text(report.id, "I.2.2", f"Thu ngân sách tháng {number} đạt tiến độ.")
    return workspace


_open: list = []


@pytest.fixture(autouse=True)
def _close_editors_before_the_database(workspace):
    yield
    while _open:
        editor = _open.pop()
        if shiboken6.isValid(editor):
            editor.close()
            editor.deleteLater()


def open_editor(qtbot, workspace, report_id) -> ReportEditor:
    editor = show_editor(qtbot, workspace, report_id)
    _open.append(editor)
    return editor


def test_a_month_shows_its_lũy_kế_made_of_the_earlier_months(qtbot, party):
    march = next(r for r in party.list_reports() if r.period.start == dt.date(2026, 3, 1))
    editor = open_editor(qtbot, party, march.id)
    editor.select_section("I.2.2")
    grid = editor.page.figures
    previous = editor.field_widget(CODE, "previous")
    assert previous.isReadOnly() and previous.text() == "215"
    note = grid.sources[CODE]
    assert note.isVisible()
    assert note.text() == "Lũy kế = tháng 1/2026: 120 + tháng 2/2026: 95 + tháng 3/2026 (báo cáo này): 80 = 295"
    assert "tháng 1/2026: 120 + tháng 2/2026: 95" in previous.toolTip()
    # the line follows what is typed
    editor.field_widget(CODE, "actual").setFocus()
    editor.field_widget(CODE, "actual").selectAll()
    type_text(editor.field_widget(CODE, "actual"), "85")
    assert note.text().endswith("tháng 3/2026 (báo cáo này): 85 = 300")
    assert not grid.confirm_buttons[CODE].isVisible()  # nothing here is “tự tính”


def test_a_six_month_report_prefilled_shows_tự_tính_until_confirmed(qtbot, party):
    half = party.create_report("bc_dang_uy_6_thang", "2026-01-01")
    editor = open_editor(qtbot, party, half.id)
    editor.select_section("I.2.2")
    grid = editor.page.figures
    actual = editor.field_widget(CODE, "actual")
    assert actual.text() == "475" and actual.property("auto") is True
    note = grid.sources[CODE]
    assert note.isVisible()
    assert note.text().startswith(
        "Thực hiện tự tính (chưa xác nhận): Tổng các báo cáo trong kỳ = tháng 1/2026: 120 + tháng 2/2026: 95 + "
        "tháng 3/2026: 80 + tháng 4/2026: 70 + tháng 5/2026: 60 + tháng 6/2026: 50 = 475")
    button = grid.confirm_buttons[CODE]
    assert button.isVisible() and button.text().replace("&", "") == "Xác nhận"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert actual.property("auto") is False and not button.isVisible()
    assert "tự tính (chưa xác nhận)" not in note.text()
    assert (CODE, "actual") not in party.auto_figures(half.id)
    # the clerk's own figure: the sum is checked against it, the months named
    actual.setFocus()
    actual.selectAll()
    type_text(actual, "480")
    editor.flush()
    assert party.report(half.id).value(CODE, "actual") == Decimal(480)
    qtbot.waitUntil(lambda: editor.finding_item(lambda f: f.code.startswith("sum_of_months")
                                                and f.field == f"{CODE}.actual") is not None, timeout=15000)


def test_the_dialog_starts_a_six_month_report_from_the_months(qtbot, party):
    dialog = NewReportDialog(party, today=dt.date(2026, 7, 3))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("bc_dang_uy_6_thang"))
    assert dialog.period().label() == "6 tháng đầu năm 2026"
    assert dialog.use_parts.isVisible() and dialog.use_parts.isEnabled()
    assert dialog.parts_label.text().startswith("Có 6 báo cáo: tháng 1/2026, tháng 2/2026")
    qtbot.mouseClick(dialog.use_parts, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.use_parts.height() // 2))
    assert dialog.use_parts.isChecked() and not dialog.use_previous.isChecked()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    report = party.report(dialog.report.id)
    assert report.value(CODE, "actual") == Decimal(475)
    assert "*Tháng 6/2026:*\nThu ngân sách tháng 6 đạt tiến độ." in report.texts["I.2.2"]
    # a weekly or monthly template has no “reports inside” to start from
    dialog = NewReportDialog(party, today=dt.date(2026, 7, 3))
    qtbot.addWidget(dialog)
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("bc_dang_uy_thang"))
    assert not dialog.use_parts.isEnabled() and dialog.parts_box.isHidden()


def test_the_same_month_last_year_shows_beside_the_figure(qtbot, party):
    last = party.create_report("bc_dang_uy_thang", "2025-03-01")
    party.set_value(last.id, CODE, "actual", "64")
    march = next(r for r in party.list_reports() if r.period.start == dt.date(2026, 3, 1))
    editor = open_editor(qtbot, party, march.id)
    editor.select_section("I.2.2")
    labels = [w for w in editor.page.figures.findChildren(type(editor.page.figures.sources[CODE]))
              if w.objectName() == "lastYearLabel"]
    [shown] = labels
    assert shown.text() == "64"
    qtbot.waitUntil(shown.isVisible, timeout=5000)  # a widget added to a shown card appears on the next event
    assert "cùng kỳ năm trước (tháng 3/2025): 64 triệu đồng" in shown.toolTip()
    headers = [w.text() for w in editor.page.figures.findChildren(type(shown)) if w.objectName() == "gridHeader"]
    assert "Cùng kỳ năm trước" in headers
