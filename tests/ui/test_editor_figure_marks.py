"""A figure finding about a number in the narrative (narrative_figure) underlines that number in the text,
like the proofreader's findings, and clicking it in the panel selects it."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402


def test_narrative_figure_finding_marks_the_number(qtbot, demo_workspace):
    ws = demo_workspace
    report = next(r for r in ws.list_reports() if r.template_code == "bc_so_ket_mot_nam")
    ws.set_value(report.id, "tong_dang_vien", "actual", "731")  # the text says "tổng số 730 đảng viên"
    editor = ReportEditor(ws, report.id)
    qtbot.addWidget(editor)
    editor.show()
    finding = next(f for f in editor.session.findings if f.code.startswith("narrative_figure"))
    editor.select_section(finding.section)
    marks = [m for m in editor.text_marks() if m.key == finding.key]
    assert len(marks) == 1
    assert "730" in marks[0].cursor.selectedText() and marks[0].severity == "warning"
    assert "731" in marks[0].message
    # the finding is fixed by correcting the field: the underline goes at the next check
    ws.set_value(report.id, "tong_dang_vien", "actual", "730")
    editor.report = ws.report(report.id)
    editor.run_checks()
    assert [m for m in editor.text_marks() if m.key == finding.key] == []
