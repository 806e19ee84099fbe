"""The report editor, driven through real widgets (pytest-qt, offscreen)."""
from __future__ import annotations

import gc
import sys
import unicodedata
from decimal import Decimal

import pytest

pytest.importorskip("pytestqt")

import shiboken6  # noqa: E402
from PySide6.QtCore import QMimeData, Qt  # noqa: E402
from PySide6.QtGui import QTextFormat  # noqa: E402

from baocao_desktop.domain import richtext  # noqa: E402
from baocao_desktop.domain.richtext import Footnote, Run  # noqa: E402
from baocao_desktop.ui.editor.rich_document import FOOTNOTE_PROPERTY, is_bold  # noqa: E402
from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402
from tests.ui.editor_window import show_editor  # noqa: E402



def test_pyside_is_not_the_release_that_aborts_on_python_311():
    """shiboken6 6.12.0 drops a reference to None on every void call and to True on every signal sent to
    a Python slot; Python < 3.12 has no immortal singletons, so the app aborts mid-session
    (none_dealloc / bool_dealloc). pyproject pins PySide6-Essentials < 6.12; keep it that way."""
    if sys.version_info < (3, 12):
        assert not shiboken6.__version__.startswith("6.12."), shiboken6.__version__

SECTION = "II.1.1.a"
LUA = "lua_mua_dien_tich"
SENTENCE = "Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch"
WAIT = 15000  # ms, an upper bound only: autosave is 500 ms, checks 600 ms after a save; loaded CI machines are slower




def replace_text(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    type_text(edit, text)


@pytest.fixture
def empty_report(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    return workspace.create_report("bc_tuan", "2026-06-01")


_open: list = []


def open_editor(qtbot, workspace, report_id) -> ReportEditor:
    editor = show_editor(qtbot, workspace, report_id)
    _open.append(editor)
    editor.activateWindow()
    return editor


@pytest.fixture(autouse=True)
def _close_editors_before_the_database(workspace):
    """Editors close (and flush) while the test's database is still open, and are destroyed here on the
    GUI thread: left to the cyclic garbage collector, a parentless widget could be freed later from
    whatever thread happens to trigger a collection (another test's worker thread), which crashes Qt."""
    yield
    while _open:
        editor = _open.pop()
        if shiboken6.isValid(editor):
            editor.close()
            shiboken6.delete(editor)
    gc.collect()


def demo_reports(workspace):
    reports = sorted((r for r in workspace.list_reports() if r.template_code == "bc_tuan"),
                     key=lambda r: r.period.start)
    assert [r.period.start.isoformat() for r in reports] == ["2026-06-01", "2026-06-08"]
    return reports


def stored(workspace, report_id, code, field):
    return workspace.report(report_id).values.get(code, {}).get(field)


# == figures =====================================================================================
def test_typed_figures_autosave_and_percent_is_computed(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    assert editor.current_section_path() == SECTION
    assert editor.percent_label(LUA).text() == "—"

    saved = []
    editor.saved.connect(saved.append)
    replace_text(qtbot, editor.field_widget(LUA, "actual"), "549")
    replace_text(qtbot, editor.field_widget(LUA, "plan"), "650")
    # the percentage is shown at once, computed, in the Vietnamese format
    assert editor.percent_label(LUA).text() == "84,5%"
    # and both figures are stored within the debounce, without any Save button
    qtbot.waitUntil(lambda: stored(workspace, empty_report.id, LUA, "plan") == Decimal("650"), timeout=WAIT)
    assert stored(workspace, empty_report.id, LUA, "actual") == Decimal("549")
    assert saved and len(saved[-1]) == 8 and saved[-1][2] == ":"  # "HH:MM:SS"
    assert "Đã lưu lúc" in editor.saved_label.text()


def test_vietnamese_thousands_are_accepted(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section("II.1.1.b")
    replace_text(qtbot, editor.field_widget("tong_dan_gia_suc", "actual"), "11.488")
    replace_text(qtbot, editor.field_widget("tong_dan_gia_suc", "plan"), "15.200")
    editor.flush()
    assert stored(workspace, empty_report.id, "tong_dan_gia_suc", "actual") == Decimal("11488")
    assert editor.percent_label("tong_dan_gia_suc").text() == "75,58%"


def test_bad_number_is_shown_kept_and_not_saved(qtbot, workspace, empty_report):
    workspace.set_value(empty_report.id, LUA, "actual", "500")
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    field = editor.field_widget(LUA, "actual")
    assert field.text() == "500"
    replace_text(qtbot, field, "12a")
    qtbot.waitUntil(lambda: editor.field_message.isVisible(), timeout=WAIT)
    assert "12a" in editor.field_message.text()
    assert field.text() == "12a"
    assert field.property("invalid") is True
    assert stored(workspace, empty_report.id, LUA, "actual") == Decimal("500")
    # leaving the section and coming back keeps what was typed, still marked
    editor.select_section("I.1")
    editor.select_section(SECTION)
    field = editor.field_widget(LUA, "actual")
    assert field.text() == "12a" and field.property("invalid") is True
    # correcting it clears the message and saves
    replace_text(qtbot, field, "549")
    qtbot.waitUntil(lambda: stored(workspace, empty_report.id, LUA, "actual") == Decimal("549"), timeout=WAIT)
    assert not editor.field_message.isVisible()
    assert field.property("invalid") is False


def test_insert_sentence_writes_the_generated_text_and_saves_it(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    type_text(editor.narrative, "Sản xuất nông nghiệp bảo đảm khung thời vụ. ")
    replace_text(qtbot, editor.field_widget(LUA, "actual"), "549")
    replace_text(qtbot, editor.field_widget(LUA, "plan"), "650")
    qtbot.mouseClick(editor.sentence_button(LUA), Qt.MouseButton.LeftButton)
    assert SENTENCE in editor.narrative.toPlainText()
    qtbot.waitUntil(lambda: SENTENCE in (workspace.report(empty_report.id).texts.get(SECTION) or ""),
                    timeout=WAIT)
    assert workspace.report(empty_report.id).texts[SECTION] == \
        "Sản xuất nông nghiệp bảo đảm khung thời vụ. " + SENTENCE


def test_insert_sentence_without_figures_says_what_is_missing(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    qtbot.mouseClick(editor.sentence_button(LUA), Qt.MouseButton.LeftButton)
    assert editor.narrative.toPlainText() == ""
    assert editor.notice_label.isVisible()
    assert "Diện tích lúa mùa" in editor.notice_label.text() and "thiếu" in editor.notice_label.text()


# == narrative ===================================================================================
def test_bold_and_footnote_round_trip_through_markup_and_reopen(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section("I.1")
    narrative = editor.narrative
    narrative.setFocus()
    type_text(narrative, "Trong tuần tổ chức ")
    qtbot.keyClick(narrative, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert editor.bold_action.isChecked()
    type_text(narrative, "02 hội nghị")
    qtbot.keyClick(narrative, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert narrative.insert_footnote("Hội nghị giao ban Thường trực Đảng ủy, HĐND, UBND xã")
    type_text(narrative, " quan trọng")  # typed after the marker: plain text, not part of the footnote
    assert "[1]" in narrative.toPlainText()
    note = "Hội nghị giao ban Thường trực Đảng ủy, HĐND, UBND xã"
    paragraphs = [(Run("Trong tuần tổ chức "), Run("02 hội nghị", bold=True), Footnote(((Run(note),),)),
                   Run(" quan trọng"))]
    expected = richtext.serialize(paragraphs)
    assert "**02 hội nghị" in expected and f"[^{note}]" in expected
    assert narrative.markup() == expected
    assert richtext.parse(narrative.markup()) == paragraphs
    # closed mid-sentence: no wait for the autosave, the close saves
    editor.close()
    assert workspace.report(empty_report.id).texts["I.1"] == expected

    reopened = open_editor(qtbot, workspace, empty_report.id)
    reopened.select_section("I.1")
    assert reopened.narrative.markup() == expected
    doc = reopened.narrative.document()
    fragments = [it.fragment() for block in [doc.begin()] for it in block]
    bold = [f.text() for f in fragments
            if is_bold(f.charFormat()) and not f.charFormat().hasProperty(FOOTNOTE_PROPERTY)]
    assert bold == ["02 hội nghị"]
    markers = [f for f in fragments if f.charFormat().hasProperty(FOOTNOTE_PROPERTY)]
    assert [m.text() for m in markers] == ["[1]"]
    assert markers[0].charFormat().verticalAlignment() == markers[0].charFormat().VerticalAlignment.AlignSuperScript


def test_editing_a_footnote_keeps_its_place(qtbot, workspace, empty_report):
    workspace.set_section_text(empty_report.id, "I.2", "Đã triển khai[^Nghị quyết 57] và[^Kết luận 21].")
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section("I.2")
    assert editor.narrative.toPlainText() == "Đã triển khai[1] và[2]."
    position = editor.narrative.toPlainText().index("[2]")
    assert editor.narrative.set_footnote_text(position, "Kết luận số 21-KL/TW\nngày 25/10/2021")
    editor.flush()
    assert workspace.report(empty_report.id).texts["I.2"] == \
        "Đã triển khai[^Nghị quyết 57] và[^Kết luận số 21-KL/TW\nngày 25/10/2021]."


def test_paste_from_word_keeps_only_words_paragraphs_and_bold(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section("I.1")
    nfd = unicodedata.normalize("NFD", "Tiếng Việt")
    html = (
        "<html><head><style>p.MsoNormal{font-family:'Times New Roman'}</style></head><body>"
        "<p class=MsoNormal style='color:#C00000;font-size:20pt;font-family:Arial'>"
        "Xin&nbsp;<b>chào</b>&nbsp;&nbsp; bạn<a href='#_ftn1'><span><sup>[1]</sup></span></a></p>"
        "<table border=1><tr><td style='background:yellow'>Ô một</td><td><i>Ô hai</i></td></tr></table>"
        f"<p><span style='font-family:Wingdings;color:blue'>{nfd}</span><img src='x.png'></p>"
        "</body></html>"
    )
    mime = QMimeData()
    mime.setHtml(html)
    mime.setText("Xin chào bạn")
    editor.narrative.insertFromMimeData(mime)
    # the table stays a table (issue 15.2), without its colours
    assert editor.narrative.markup() == "Xin **chào** bạn\n[table]\n| Ô một | *Ô hai* |\n[/table]\nTiếng Việt"
    doc = editor.narrative.document()
    assert len(doc.rootFrame().childFrames()) == 1
    block = doc.begin()
    while block.isValid():
        for it in block:
            fmt = it.fragment().charFormat()
            assert not fmt.hasProperty(QTextFormat.Property.ForegroundBrush.value)
            assert not fmt.hasProperty(QTextFormat.Property.FontFamilies.value)
            assert not fmt.hasProperty(QTextFormat.Property.FontPointSize.value)
        block = block.next()
    editor.flush()
    assert workspace.report(empty_report.id).texts["I.1"] == \
        "Xin **chào** bạn\n[table]\n| Ô một | *Ô hai* |\n[/table]\nTiếng Việt"


def test_copy_paste_inside_the_editor_keeps_footnotes(qtbot, workspace, empty_report):
    workspace.set_section_text(empty_report.id, "I.2", "Văn bản[^Nghị quyết 57].")
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section("I.2")
    editor.narrative.selectAll()
    mime = editor.narrative.createMimeDataFromSelection()
    cursor = editor.narrative.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.narrative.setTextCursor(cursor)
    editor.narrative.insertFromMimeData(mime)
    assert editor.narrative.markup() == "Văn bản[^Nghị quyết 57].Văn bản[^Nghị quyết 57]."
    assert editor.narrative.toPlainText() == "Văn bản[1].Văn bản[2]."


def test_undo_after_typing_restores_the_previous_text(qtbot, workspace, empty_report):
    workspace.set_section_text(empty_report.id, "I.1", "Văn bản **cũ**.")
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section("I.1")
    narrative = editor.narrative
    narrative.setFocus()
    narrative.moveCursor(narrative.textCursor().MoveOperation.End)
    type_text(narrative, " Thêm một câu mới.")
    qtbot.waitUntil(lambda: workspace.report(empty_report.id).texts["I.1"].endswith("Thêm một câu mới."),
                    timeout=WAIT)
    assert editor.undo_action.isEnabled()
    qtbot.keyClick(narrative, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert narrative.markup() == "Văn bản **cũ**."
    qtbot.waitUntil(lambda: workspace.report(empty_report.id).texts["I.1"] == "Văn bản **cũ**.", timeout=WAIT)
    editor.redo_action.trigger()
    assert narrative.markup() == "Văn bản **cũ**. Thêm một câu mới."


# == cumulative figures and the checks panel =====================================================
def test_week_two_previous_cumulative_comes_from_week_one(qtbot, demo_workspace):
    week1, week2 = demo_reports(demo_workspace)
    week1_cumulative = week1 and demo_workspace.report(week1.id).values["trich_luc_ban_do"]["cumulative"]
    editor = open_editor(qtbot, demo_workspace, week2.id)
    editor.select_section("II.1.2.b")
    previous = editor.field_widget("trich_luc_ban_do", "previous")
    assert previous.isReadOnly()
    assert previous.text() == "24" == str(week1_cumulative)
    # typing the week's figure fills Lũy kế = previous + actual while Lũy kế was the automatic one
    assert editor.field_widget("trich_luc_ban_do", "cumulative").text() == "26"  # 24 + 2
    replace_text(qtbot, editor.field_widget("trich_luc_ban_do", "actual"), "5")
    assert editor.field_widget("trich_luc_ban_do", "cumulative").text() == "29"
    qtbot.waitUntil(lambda: stored(demo_workspace, week2.id, "trich_luc_ban_do", "cumulative") == Decimal("29"),
                    timeout=WAIT)


def test_first_report_takes_a_typed_previous_cumulative(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section("II.1.2.b")
    previous = editor.field_widget("trich_luc_ban_do", "previous")
    assert not previous.isReadOnly()  # no report before this one: typed by hand
    replace_text(qtbot, previous, "24")
    replace_text(qtbot, editor.field_widget("trich_luc_ban_do", "actual"), "2")
    assert editor.field_widget("trich_luc_ban_do", "cumulative").text() == "26"
    replace_text(qtbot, editor.field_widget("trich_luc_ban_do", "plan"), "30")
    assert editor.percent_label("trich_luc_ban_do").text() == "86,7%"  # on the cumulative
    # a lũy kế typed by the user is never overwritten
    replace_text(qtbot, editor.field_widget("trich_luc_ban_do", "cumulative"), "1.025")
    replace_text(qtbot, editor.field_widget("trich_luc_ban_do", "actual"), "3")
    assert editor.field_widget("trich_luc_ban_do", "cumulative").text() == "1.025"
    editor.flush()
    values = workspace.report(empty_report.id).values["trich_luc_ban_do"]
    assert values == {"previous": Decimal(24), "actual": Decimal(3), "cumulative": Decimal(1025),
                      "plan": Decimal(30)}


def test_wrong_cumulative_gives_an_error_that_jumps_to_the_cell(qtbot, demo_workspace):
    _, week2 = demo_reports(demo_workspace)
    editor = open_editor(qtbot, demo_workspace, week2.id)
    counts = []
    editor.findings_changed.connect(lambda e, w: counts.append((e, w)))
    editor.select_section("II.1.2.b")
    replace_text(qtbot, editor.field_widget("trich_luc_ban_do", "cumulative"), "30")

    def mismatch():
        return editor.finding_item(lambda f: f.code == "cumulative.mismatch"
                                   and f.field == "trich_luc_ban_do.cumulative")

    qtbot.waitUntil(lambda: mismatch() is not None, timeout=WAIT)
    item = mismatch()
    assert "24 + 2 = 26" in item.text(0)
    assert counts and counts[-1][0] >= 1
    assert item.parent().text(0).startswith("b) Công tác quản lý đất đai")
    # the navigator shows an error badge on the section
    nav_item = editor.navigator_panel.items["II.1.2.b"]
    assert nav_item.data(1, Qt.ItemDataRole.UserRole)[0] >= 1
    # the field itself is outlined
    assert editor.field_widget("trich_luc_ban_do", "cumulative").property("finding") == "error"
    # filter: errors only still shows it, "Gợi ý" does not
    editor.set_filter("info")
    assert mismatch() is None
    editor.set_filter("error")
    assert mismatch() is not None

    editor.select_section("I.1")
    item = mismatch()
    tree = editor.checks_tree
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    assert editor.current_section_path() == "II.1.2.b"
    cell = editor.field_widget("trich_luc_ban_do", "cumulative")
    qtbot.waitUntil(cell.hasFocus, timeout=WAIT)
    assert cell.selectedText() == "30"


def test_checks_do_not_run_on_every_keystroke(qtbot, workspace, empty_report, monkeypatch):
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    calls = []
    original = workspace.check
    monkeypatch.setattr(workspace, "check", lambda rid, **kw: calls.append(rid) or original(rid, **kw))
    field = editor.field_widget(LUA, "actual")
    field.setFocus()
    type_text(field, "5")
    type_text(field, "4")
    type_text(field, "9")
    assert calls == []
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=WAIT)
    qtbot.wait(800)
    assert len(calls) == 1


def test_header_number_and_date_autosave(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    assert editor.title_label.text() == "Báo cáo tuần — Tuần 23 (01/6–07/6/2026)"
    replace_text(qtbot, editor.number_edit, "430")
    from PySide6.QtCore import QDate
    editor.date_edit.setDate(QDate(2026, 6, 5))  # before the week ends: an error finding
    qtbot.waitUntil(lambda: workspace.report(empty_report.id).number == "430", timeout=WAIT)
    import datetime as dt
    assert workspace.report(empty_report.id).report_date == dt.date(2026, 6, 5)
    qtbot.waitUntil(lambda: editor.finding_item(lambda f: f.field == "header.date") is not None, timeout=WAIT)
    editor.findings_panel.activate(editor.finding_item(lambda f: f.field == "header.date"))
    qtbot.waitUntil(lambda: editor.date_edit.hasFocus(), timeout=WAIT)


def test_navigator_marks_required_empty_and_filled_sections(qtbot, workspace, empty_report):
    editor = open_editor(qtbot, workspace, empty_report.id)
    assert editor.section_state("I.1") == "required"
    assert editor.section_state("II.1.1.d") == "empty"
    editor.select_section("I.1")
    type_text(editor.narrative, "Nội dung")
    editor.flush()
    assert editor.section_state("I.1") == "filled"
    assert editor.navigator_panel.items["I.1"].data(0, Qt.ItemDataRole.UserRole + 1) == "filled"
    assert editor.section_state("I") == "partial"  # I.2 is required and still empty


def test_signed_report_opens_read_only(qtbot, workspace, empty_report):
    workspace.set_section_text(empty_report.id, "I.1", "Đã ký.")
    with workspace.store.transaction() as db:  # no service for signing yet
        db["reports"].update(empty_report.id, {"status": "signed"})
    editor = open_editor(qtbot, workspace, empty_report.id)
    editor.select_section(SECTION)
    assert editor.field_widget(LUA, "actual").isReadOnly()
    assert editor.narrative.isReadOnly() and editor.number_edit.isReadOnly()
    assert not editor.sentence_button(LUA).isEnabled()
    assert editor.status_label.text() == "Đã ký"
    editor.select_section("I.1")
    assert editor.narrative.toPlainText() == "Đã ký."
    editor.flush()
    assert workspace.report(empty_report.id).texts["I.1"] == "Đã ký."
