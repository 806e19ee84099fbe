"""Generated sentences are written into the section's text in the editor, where the clerk sees and edits
them; the text follows the figures only while it is still exactly what was generated (issue 14.4)."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from baocao_desktop.checks.report_checks import FIGURES_ONLY  # noqa: E402
from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402
from tests.ui.editor_window import show_editor  # noqa: E402

SECTION = "II.1.1.a"
LUA = "lua_mua_dien_tich"
SENTENCE = "Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch."
WAIT = 15000  # ms, an upper bound only


@pytest.fixture
def empty_report(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    return workspace.create_report("bc_tuan", "2026-06-01")


def open_editor(qtbot, workspace, report_id) -> ReportEditor:
    editor = show_editor(qtbot, workspace, report_id)
    return editor


def type_figure(editor, code: str, name: str, text: str) -> None:
    field = editor.field_widget(code, name)
    field.setFocus()
    field.selectAll()
    type_text(field, text)


def saved_text(workspace, report_id) -> str:
    return workspace.report(report_id).texts.get(SECTION) or ""


def test_typed_figures_write_their_sentence_into_the_empty_text(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    assert editor.narrative.toPlainText() == ""
    type_figure(editor, LUA, "actual", "549")
    assert editor.narrative.toPlainText() == ""  # no plan yet: nothing to say
    type_figure(editor, LUA, "plan", "650")
    assert editor.narrative.toPlainText() == SENTENCE  # shown at once, before any save
    qtbot.waitUntil(lambda: saved_text(workspace, empty_report.id) == SENTENCE, timeout=WAIT)
    # still the generated text: a figure change rewrites it
    type_figure(editor, LUA, "actual", "590")
    assert editor.narrative.toPlainText() == "Diện tích lúa mùa thực hiện đạt 590/650 ha, bằng 90,8% kế hoạch."
    # the clerk edits it: from now on it is their text
    editor.narrative.setFocus()
    editor.narrative.moveCursor(editor.narrative.textCursor().MoveOperation.End)
    type_text(editor.narrative, " Vượt tiến độ.")
    type_figure(editor, LUA, "actual", "600")
    mine = "Diện tích lúa mùa thực hiện đạt 590/650 ha, bằng 90,8% kế hoạch. Vượt tiến độ."
    assert editor.narrative.toPlainText() == mine
    qtbot.waitUntil(lambda: saved_text(workspace, empty_report.id) == mine, timeout=WAIT)
    assert not any(f.code == FIGURES_ONLY for f in editor.findings())


def test_the_written_sentence_is_one_undo_step(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    type_figure(editor, LUA, "plan", "650")
    type_figure(editor, LUA, "actual", "549")
    assert editor.narrative.toPlainText() == SENTENCE
    editor.narrative.undo()
    assert editor.narrative.toPlainText() == "Diện tích lúa mùa thực hiện đạt 54/650 ha, bằng 8,3% kế hoạch."


def test_a_section_with_figures_and_no_text_is_a_finding_that_offers_the_sentence(qtbot, workspace, empty_report):
    # figures stored without the editor and without a sentence (a script setting values one by one)
    workspace.set_value(empty_report.id, LUA, "actual", "549")
    workspace.set_value(empty_report.id, LUA, "plan", "650")
    editor = open_editor(qtbot, workspace, empty_report.id)
    found = [f for f in editor.findings() if f.code == FIGURES_ONLY]
    assert len(found) == 1 and found[0].section == SECTION and found[0].severity == "warning"
    assert "chỉ có số liệu, chưa có nội dung" in found[0].message
    assert editor.section_state(SECTION) == "partial"
    assert any(f.code == FIGURES_ONLY for f in editor.session.blocking())  # blocks Ký until written
    # the row goes to the section's text …
    editor.findings_panel.activate(editor.finding_item(lambda f: f.code == FIGURES_ONLY))
    assert editor.current_section_path() == SECTION
    qtbot.waitUntil(lambda: editor.narrative.hasFocus(), timeout=WAIT)
    # … and its menu writes the sentence there, as text the clerk can edit
    item = editor.finding_item(lambda f: f.code == FIGURES_ONLY)
    editor.findings_panel.show_menu(editor.checks_tree.visualItemRect(item).center())
    menu = editor.checks_menu
    action = next(a for a in menu.actions() if a.text() == "Chèn câu từ số liệu")
    menu.close()
    action.trigger()
    assert editor.narrative.toPlainText() == SENTENCE
    qtbot.waitUntil(lambda: saved_text(workspace, empty_report.id) == SENTENCE, timeout=WAIT)
    qtbot.waitUntil(lambda: not any(f.code == FIGURES_ONLY for f in editor.findings()), timeout=WAIT)
    assert editor.section_state(SECTION) == "filled"
    assert not editor.narrative.isReadOnly()


def test_deleting_the_sentence_brings_the_finding_back_and_no_sentence_prints(qtbot, workspace, empty_report,
                                                                                 tmp_path):
    import docx
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    type_figure(editor, LUA, "actual", "549")
    type_figure(editor, LUA, "plan", "650")
    assert editor.narrative.toPlainText() == SENTENCE
    editor.narrative.setFocus()
    editor.narrative.selectAll()
    qtbot.keyClick(editor.narrative, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: saved_text(workspace, empty_report.id) == "", timeout=WAIT)
    qtbot.waitUntil(lambda: any(f.code == FIGURES_ONLY for f in editor.findings()), timeout=WAIT)
    path = workspace.export_docx(empty_report.id, tmp_path / "r.docx")
    printed = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "549/650" not in printed and "84,5%" not in printed
