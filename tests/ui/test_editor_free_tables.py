"""Free tables and footnotes in the narrative (issue 15, points 2 and 3), through the real editor widgets:
Word's clipboard HTML (tests/fixtures/clipboard/, written in the shape Word writes it) pasted as a table and
as real footnotes, a table typed with “Chèn bảng”, and what is saved."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from baocao_desktop.domain import richtext  # noqa: E402
from baocao_desktop.ui.editor.narrative_edit import TableDialog  # noqa: E402
from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402
from tests.ui.editor_window import show_editor  # noqa: E402

CLIPBOARD = Path(__file__).resolve().parents[1] / "fixtures" / "clipboard"
WAIT = 15000  # ms, an upper bound only


@pytest.fixture
def empty_report(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    return workspace.create_report("bc_tuan", "2026-06-01")


def open_editor(qtbot, workspace, report_id, section="I.1") -> ReportEditor:
    editor = show_editor(qtbot, workspace, report_id)
    editor.select_section(section)
    return editor


def paste_word(editor, name: str) -> None:
    html = (CLIPBOARD / name).read_text(encoding="utf-8")
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText("[1] văn bản thô không được dùng")
    editor.narrative.setFocus()
    editor.narrative.insertFromMimeData(mime)


def saved(workspace, report_id, section="I.1") -> str:
    return workspace.report(report_id).texts.get(section) or ""


def test_a_table_pasted_from_word_is_a_table_in_the_text(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    paste_word(editor, "word_table.html")
    doc = editor.narrative.document()
    assert len(doc.rootFrame().childFrames()) == 1  # a grid in the editor, not one-word paragraphs
    markup = editor.narrative.markup()
    paragraphs = richtext.parse(markup)
    assert [richtext.table_of(p) is not None for p in paragraphs] == [False, True, False]
    table = richtext.table_of(paragraphs[1])
    assert table.header  # Word's bold first row
    assert table.cell_texts() == [["Nguồn thu", "Kế hoạch", "Thực hiện"], ["Thuế", "1.200", "1.150"],
                                  ["Phí, lệ phí", "300", "320"], ["Tổng cộng", "1.500", "1.480"]]
    assert "\nThuế\n" not in richtext.plain_text(markup)
    editor.flush()
    assert richtext.parse(saved(workspace, empty_report.id)) == paragraphs
    # shown again from what was saved: the same grid, the same markup
    editor.close()
    again = open_editor(qtbot, workspace, empty_report.id)
    assert again.narrative.markup() == markup
    assert again.narrative.document().rootFrame().childFrames()[0].format().toTableFormat().headerRowCount() == 1


def test_word_footnotes_pasted_become_real_footnotes(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    paste_word(editor, "word_footnotes.html")
    markup = editor.narrative.markup()
    assert markup == (
        "Đảng ủy đã ban hành Kế hoạch thực hiện Nghị quyết[^Kế hoạch số 15-KH/ĐU ngày 10/01/2026 của Đảng ủy xã.\n"
        "Kèm theo danh sách chi bộ.] và tổ chức quán triệt đến **100%** chi bộ.\n"
        "Công tác kiểm tra, giám sát được thực hiện theo chương trình"
        "[^Chương trình kiểm tra, giám sát năm 2026 của Ủy ban Kiểm tra.].")
    # the markers are ours ([1], [2], renumbered, editable), the footnote list is not body text
    assert editor.narrative.toPlainText().count("[1]") == 1 and editor.narrative.toPlainText().count("[2]") == 1
    assert [text for _pos, text in editor.narrative.footnotes()] == [
        "Kế hoạch số 15-KH/ĐU ngày 10/01/2026 của Đảng ủy xã.\nKèm theo danh sách chi bộ.",
        "Chương trình kiểm tra, giám sát năm 2026 của Ủy ban Kiểm tra."]
    plain = richtext.plain_text(markup)
    assert "[1]" not in plain and "Kế hoạch số 15-KH" not in plain
    editor.flush()
    assert saved(workspace, empty_report.id) == markup


def test_a_footnote_in_a_pasted_table_cell_and_its_total_is_checked(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    paste_word(editor, "word_table_footnote.html")
    table = richtext.tables(editor.narrative.markup())[0]
    cell = table.rows[1][2]
    assert [type(x).__name__ for x in cell] == ["Run", "Footnote"]
    assert cell[1].plain_text() == "Ước thực hiện đến 30/6."
    assert editor.narrative.toPlainText().count("[1]") == 1
    editor.flush()
    found = [f for f in workspace.check(empty_report.id, proofread=False) if f.code == "text_table.total"]
    assert len(found) == 1 and found[0].section == "I.1" and "1.150 + 320 = 1.470" in found[0].message


def test_a_table_typed_by_the_clerk(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    narrative = editor.narrative
    narrative.setFocus()
    type_text(narrative, "Kết quả:")

    def fill_dialog():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TableDialog) and w.isVisible())
        dialog.rows.setValue(2)
        dialog.columns.setValue(2)
        dialog.accept()

    QTimer.singleShot(0, fill_dialog)
    panel = narrative.parent()
    while not hasattr(panel, "table_tool"):
        panel = panel.parent()
    panel.table_tool.click()
    assert narrative.current_table() is not None
    for text in ("Chỉ tiêu", "Số", "Lúa", "549"):
        type_text(narrative, text)
        qtbot.keyClick(narrative, Qt.Key.Key_Tab)  # the next cell (a new row after the last)
    assert narrative.current_table().rows() == 3
    type_text(narrative, "Cộng")
    qtbot.keyClick(narrative, Qt.Key.Key_Tab)
    type_text(narrative, "550")
    assert narrative.markup() == ("Kết quả:\n[table header]\n| Chỉ tiêu | Số |\n| Lúa | 549 |\n| Cộng | 550 |\n"
                                  "[/table]")
    assert narrative.table_edit("column_right")
    assert richtext.tables(narrative.markup())[0].columns == 3
    assert narrative.table_edit("remove_column")
    assert narrative.table_edit("header")  # switched off
    assert narrative.markup().startswith("Kết quả:\n[table]\n")
    qtbot.waitUntil(lambda: saved(workspace, empty_report.id) == narrative.markup(), timeout=WAIT)
    qtbot.waitUntil(lambda: any(f.code == "text_table.total" for f in editor.findings()), timeout=WAIT)
    assert narrative.table_edit("remove_table")
    assert narrative.markup() == "Kết quả:"
