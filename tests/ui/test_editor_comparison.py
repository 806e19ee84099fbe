"""The editor shows last period's figures next to the fields when a report was started from it with
figures kept (issue 3, point 6), and says where prefilled intro figures come from (point 7)."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QLabel, QLineEdit  # noqa: E402

from baocao_desktop.domain.numbers import format_number  # noqa: E402
from baocao_desktop.services import report_migration as rm  # noqa: E402
from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402


def grid_labels(editor, name):
    """The current section's grid widgets (the previous section's are hidden, then deleted later)."""
    return [w for w in editor.findChildren(QLabel, name) if w.isVisibleTo(editor)]


def test_last_period_column_when_figures_were_kept(qtbot, demo_workspace):
    ws = demo_workspace
    last = max((r for r in ws.list_reports() if r.template_code == "bc_tuan"), key=lambda r: r.period.start)
    last_values = ws.report(last.id).values
    new = rm.create_from_previous(ws, "bc_tuan", last.period.end.fromordinal(last.period.end.toordinal() + 1),
                                  figures=rm.FIGURES_PREVIOUS)
    editor = ReportEditor(ws, new.id)
    qtbot.addWidget(editor)
    editor.show()
    section = ws.template("bc_tuan").section_of_indicator("lua_mua_dien_tich")
    editor.select_section(section.path)
    qtbot.waitUntil(lambda: bool(grid_labels(editor, "gridHeader")))  # new grid widgets are shown by a queued call
    headers = [w.text() for w in grid_labels(editor, "gridHeader")]
    assert "Kỳ trước" in headers
    shown = [w.text() for w in grid_labels(editor, "compareLabel")]
    expected = format_number(last_values["lua_mua_dien_tich"]["actual"])
    assert expected in shown
    # this period's field starts empty: the old figure is only there to compare
    assert editor.page.figures.fields[("lua_mua_dien_tich", "actual")].text() == ""


def test_no_last_period_column_when_figures_were_cleared(qtbot, demo_workspace):
    ws = demo_workspace
    last = max((r for r in ws.list_reports() if r.template_code == "bc_tuan"), key=lambda r: r.period.start)
    new = rm.create_from_previous(ws, "bc_tuan", last.period.end.fromordinal(last.period.end.toordinal() + 1),
                                  figures=rm.FIGURES_CLEAR)
    editor = ReportEditor(ws, new.id)
    qtbot.addWidget(editor)
    editor.show()
    editor.select_section(ws.template("bc_tuan").section_of_indicator("lua_mua_dien_tich").path)
    qtbot.waitUntil(lambda: bool(grid_labels(editor, "gridHeader")))
    assert "Kỳ trước" not in [w.text() for w in grid_labels(editor, "gridHeader")]
    assert grid_labels(editor, "compareLabel") == []


def test_prefilled_intro_figure_says_which_profile_fact(qtbot, demo_workspace):
    ws = demo_workspace
    report = next(r for r in ws.list_reports() if r.template_code == "bc_so_ket_mot_nam")
    editor = ReportEditor(ws, report.id)
    qtbot.addWidget(editor)
    editor.show()
    template = ws.template(report.template_code, report.template_version)
    code = next(i.code for i in template.indicators if i.profile_fact == "dan_so")
    editor.select_section(template.section_of_indicator(code).path)
    fact, _ = editor.profile_figures[code]
    tip = editor.page.figures.fields[(code, "actual")].toolTip()
    assert f"Hồ sơ đơn vị ngày {fact.as_of.day:02d}/" in tip and format_number(fact.value) in tip
    assert isinstance(editor.page.figures.fields[(code, "actual")], QLineEdit)
