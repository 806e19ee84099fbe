"""Live checks in the report editor: the proofreader runs on a worker thread while the user types, and its
findings are underlined in the narrative (pytest-qt, offscreen)."""
from __future__ import annotations

import gc
import threading
import unicodedata

import pytest

pytest.importorskip("pytestqt")

import shiboken6  # noqa: E402
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor, QTextDocument  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402

import baocao_desktop.checks.proofread as proofread_module  # noqa: E402
from baocao_desktop.checks.proofread import document as proofread_document  # noqa: E402
from baocao_desktop.domain import richtext  # noqa: E402
from baocao_desktop.services.proofread_job import report_proofreader  # noqa: E402
from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402
from baocao_desktop.ui.editor.narrative_edit import MARK_COLORS  # noqa: E402
from baocao_desktop.ui.editor.rich_document import (document_paragraphs, insert_paragraphs,  # noqa: E402
                                                    plain_paragraphs, text_range, text_spans)
from tests.ui.keys import type_text  # noqa: E402
from tests.ui.editor_window import show_editor  # noqa: E402

SECTION = "II.1.1.a"
WAIT = 15000  # ms; only reached when something is wrong, or on a loaded machine (a run beside other work timed out at 5 s)
PERCENT_SLIP = ("Diện tích lúa mùa thực hiện đạt 590/650 ha, bằng 92,8% kế hoạch; diện tích ngô duy trì 1.110 ha, "
                "đạt 100% kế hoạch.")
TOTAL_SLIP = "Trồng rau vụ đông: tổng số hộ tham gia 120 hộ, gồm thôn Lùng Phình 70 hộ và thôn Pả Chư Tỷ 45 hộ."
PERCENT_MESSAGE = ("“590/650 … 92,8%”: 590/650 = 90,769%, làm tròn 1 chữ số thập phân là 90,8%, không phải 92,8%. "
                   "Sửa tỷ lệ hoặc số liệu.")
TOTAL_MESSAGE = ("Tổng 120 hộ khác tổng các phần liệt kê (70 + 45 = 115): chênh 5. Kiểm tra lại tổng hoặc từng "
                 "phần.")

_open: list = []


@pytest.fixture(autouse=True)
def _close_editors_before_the_database(workspace):
    """As in test_report_editor: editors are closed and destroyed on the GUI thread while the database is
    open."""
    yield
    while _open:
        editor = _open.pop()
        if shiboken6.isValid(editor):
            editor.close()
            shiboken6.delete(editor)
    gc.collect()


def week2(workspace) -> str:
    reports = sorted((r for r in workspace.list_reports() if r.template_code == "bc_tuan"),
                     key=lambda r: r.period.start)
    return reports[1].id


@pytest.fixture
def slipped(demo_workspace):
    """The demo's second weekly report with two slips in the narrative of II.1.1.a."""
    report_id = week2(demo_workspace)
    demo_workspace.set_section_text(report_id, SECTION, PERCENT_SLIP + "\n" + TOTAL_SLIP)
    return demo_workspace, report_id


def open_editor(qtbot, workspace, report_id, section: str | None = SECTION) -> ReportEditor:
    editor = show_editor(qtbot, workspace, report_id)
    _open.append(editor)
    if section:
        editor.select_section(section)
    qtbot.waitUntil(lambda: not editor.proofreading, timeout=WAIT)
    return editor




def codes(editor) -> set[str]:
    return {f.code for f in editor.findings()}


# == the workspace side: one proofreading, whichever thread runs it ===============================
def test_check_is_the_figures_merged_with_the_proofreading_job(slipped):
    ws, report_id = slipped
    job = ws.proofread_job(report_id)
    merged = ws.merge_findings(report_id, ws.check(report_id, proofread=False), job.run())
    assert merged == ws.check(report_id)
    found = [f for f in merged if f.section == SECTION]
    assert [(f.code, f.severity, f.paragraph, f.start, f.end, f.message) for f in found] == [
        ("percent.ratio", "error", 0, 49, 54, PERCENT_MESSAGE),
        ("total.parts", "warning", 1, 39, 42, TOTAL_MESSAGE)]
    # the offsets point at the faulty text in the paragraph the proofreader read
    assert PERCENT_SLIP[49:54] == "92,8%" and TOTAL_SLIP[39:42] == "120"


def test_unchanged_paragraphs_are_not_read_again(slipped, monkeypatch):
    ws, report_id = slipped
    proofreader = report_proofreader()
    first = ws.proofread_job(report_id).run(proofreader)
    read = []
    original = proofread_document.scan
    monkeypatch.setattr(proofread_document, "scan", lambda text: read.append(text) or original(text))
    assert ws.proofread_job(report_id).run(proofreader) == first
    assert read == []
    fixed = PERCENT_SLIP.replace("92,8%", "90,8%")
    ws.set_section_text(report_id, SECTION, fixed + "\n" + TOTAL_SLIP)
    second = ws.proofread_job(report_id).run(proofreader)
    assert read == [fixed]  # only the edited paragraph is read again
    assert [f.code for f in second if f.section == SECTION] == ["total.parts"]
    assert second == ws.proofread_job(report_id).run()  # what a fresh run finds


# == offsets → positions in the editor's document =================================================
def test_offsets_map_past_footnote_markers_line_breaks_and_decomposed_letters():
    doc = QTextDocument()
    nfd = unicodedata.normalize("NFD", "Tổng số 120 hộ")
    footnote = richtext.Footnote(((richtext.Run("chú thích"),),))
    paragraphs = [(richtext.Run("Mở đầu"), footnote, richtext.Run(" đạt 92,8%")), (richtext.Run(nfd),)]
    cursor = QTextCursor(doc)
    insert_paragraphs(cursor, paragraphs)
    # a footnote marker sits in the document text but not in the text the proofreader reads
    plain = plain_paragraphs(document_paragraphs(doc))
    assert plain == ("Mở đầu đạt 92,8%", "Tổng số 120 hộ")
    spans = text_spans(doc)
    start, end = text_range(spans[0], plain[0].index("92,8%"), plain[0].index("92,8%") + 5)
    assert doc.toPlainText()[start:end] == "92,8%"
    # decomposed text (typed with some keyboards): offsets are in the NFC text, positions in the document
    offset = plain[1].index("120")
    start, end = text_range(spans[1], offset, offset + 3)
    assert doc.toPlainText()[start:end] == "120"
    start, end = text_range(spans[1], 0, 4)
    assert unicodedata.normalize("NFC", doc.toPlainText()[start:end]) == "Tổng"
    # a Shift+Enter line break starts a new paragraph, as in the stored markup
    doc2 = QTextDocument()
    QTextCursor(doc2).insertText("Một hai\u2028ba 45%")
    spans = text_spans(doc2, {1})
    assert list(spans) == [1]
    start, end = text_range(spans[1], 3, 6)
    assert doc2.toPlainText()[start:end] == "45%"


# == marks in the editor ==========================================================================
def test_faults_are_underlined_with_the_message_on_hover(qtbot, slipped):
    ws, report_id = slipped
    editor = open_editor(qtbot, ws, report_id)
    marks = editor.text_marks()
    assert [(m.severity, m.cursor.selectedText(), m.message) for m in marks] == [
        ("error", "92,8%", PERCENT_MESSAGE), ("warning", "120", TOTAL_MESSAGE)]
    # wavy underlines: red for the error, amber for the warning
    extra = editor.narrative.extraSelections()
    selections = {s.cursor.selectedText(): QTextCharFormat(s.format) for s in extra}
    assert set(selections) == {"92,8%", "120"}
    for text, colour in (("92,8%", MARK_COLORS["error"]), ("120", MARK_COLORS["warning"])):
        assert selections[text].underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
        assert selections[text].underlineColor().name() == colour
    # hovering the underlined figure shows the message
    narrative = editor.narrative
    rect = narrative.cursorRect(_cursor_at(narrative, marks[0].start + 2))
    point = rect.center()
    tip = ("Lỗi: “590/650 … 92,8%”: 590/650 = 90,769%, làm tròn 1 chữ số thập phân\n"
           "là 90,8%, không phải 92,8%. Sửa tỷ lệ hoặc số liệu.")
    assert narrative.mark_tooltip(narrative.cursorForPosition(point).position()) == tip
    QApplication.sendEvent(narrative.viewport(), QHelpEvent(QEvent.Type.ToolTip, point,
                                                            narrative.viewport().mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=WAIT)
    assert QToolTip.text() == tip
    QToolTip.hideText()
    # plain text has no tooltip
    assert narrative.mark_tooltip(3) == ""


def _cursor_at(edit, position: int) -> QTextCursor:
    cursor = QTextCursor(edit.document())
    cursor.setPosition(position)
    return cursor


def test_clicking_a_finding_selects_exactly_its_text(qtbot, slipped):
    ws, report_id = slipped
    editor = open_editor(qtbot, ws, report_id, section="I.1")
    tree = editor.checks_tree
    for code, text in (("total.parts", "120"), ("percent.ratio", "92,8%")):
        item = editor.finding_item(lambda f, c=code: f.code == c)
        assert item is not None and item.parent().text(0) == "a) Sản xuất nông nghiệp"
        tree.scrollToItem(item)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
        assert editor.current_section_path() == SECTION
        assert editor.narrative.textCursor().selectedText() == text
        qtbot.waitUntil(editor.narrative.hasFocus, timeout=WAIT)


def test_marks_follow_typing_and_go_when_the_fault_is_fixed(qtbot, slipped):
    ws, report_id = slipped
    editor = open_editor(qtbot, ws, report_id)
    narrative = editor.narrative
    narrative.setFocus()
    narrative.moveCursor(QTextCursor.MoveOperation.Start)
    type_text(narrative, "Trong tuần, ")
    # the underline moved with the text before the results of the new text are in
    assert [m.cursor.selectedText() for m in editor.text_marks()] == ["92,8%", "120"]
    qtbot.waitUntil(lambda: not editor.has_pending_changes() and not editor.proofreading
                    and not editor._check_timer.isActive(), timeout=WAIT)
    assert [m.cursor.selectedText() for m in editor.text_marks()] == ["92,8%", "120"]
    # fix the percentage: select it as the panel does, type the right one
    editor.go_to_finding(next(f for f in editor.findings() if f.code == "percent.ratio"))
    type_text(narrative, "90,8%")
    qtbot.waitUntil(lambda: "percent.ratio" not in codes(editor) and not editor.proofreading, timeout=WAIT)
    assert [(m.severity, m.cursor.selectedText()) for m in editor.text_marks()] == [("warning", "120")]
    assert ws.report(report_id).texts[SECTION].startswith("Trong tuần, Diện tích lúa mùa")


def test_a_warning_kept_with_a_reason_is_no_longer_underlined(qtbot, slipped):
    ws, report_id = slipped
    editor = open_editor(qtbot, ws, report_id)
    warning = next(f for f in editor.findings() if f.code == "total.parts")
    assert editor.justify(warning, "Có 5 hộ ở thôn khác cùng tham gia.")
    kept = next(f for f in editor.findings() if f.code == "total.parts")
    assert kept.justification == "Có 5 hộ ở thôn khác cùng tham gia."
    assert [m.cursor.selectedText() for m in editor.text_marks()] == ["92,8%"]


def test_signing_proofreads_the_latest_text_before_deciding(qtbot, demo_workspace):
    report_id = week2(demo_workspace)
    editor = open_editor(qtbot, demo_workspace, report_id)
    assert editor.findings() == []
    editor.narrative.setFocus()
    editor.narrative.moveCursor(QTextCursor.MoveOperation.End)
    type_text(editor.narrative, " " + TOTAL_SLIP)
    # at once, before any timer: the check behind the button saves and proofreads the new text
    editor.request_sign()
    dialog = editor.blocked_dialog
    assert dialog is not None
    assert dialog.item_for(lambda f: f.code == "total.parts") is not None


# == typing never waits for the proofreader =======================================================
def test_typing_goes_on_while_the_worker_proofreads_and_the_ui_thread_never_does(qtbot, slipped, monkeypatch):
    ws, report_id = slipped
    editor = open_editor(qtbot, ws, report_id)
    ui_thread = threading.get_ident()
    threads, started, release = [], threading.Event(), threading.Event()
    original = proofread_module.proofread_report

    def recording(*args, **kwargs):
        threads.append(threading.get_ident())
        started.set()
        release.wait(30)  # held until the test has typed: the job is certainly running meanwhile
        return original(*args, **kwargs)

    monkeypatch.setattr(proofread_module, "proofread_report", recording)
    narrative = editor.narrative
    narrative.setFocus()
    narrative.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(narrative, " Them")
    qtbot.waitUntil(started.is_set, timeout=WAIT)  # saved, checked, and the proofreader is busy on a worker
    assert editor.proofreading
    qtbot.waitUntil(editor.busy_label.isVisible, timeout=WAIT)
    assert editor.busy_label.text() == "Đang soát lỗi…"
    # keystrokes while the proofreader works are applied at once
    qtbot.keyClicks(narrative, " 12 ho moi")
    assert narrative.toPlainText().endswith("45 hộ. Them 12 ho moi")
    assert editor.proofreading
    release.set()
    # the result about the older text is dropped; the new text is proofread in turn
    qtbot.waitUntil(lambda: len(threads) >= 2 and not editor.proofreading and not editor.has_pending_changes(),
                    timeout=WAIT)
    assert not editor.busy_label.isVisible()
    assert ws.report(report_id).texts[SECTION].endswith("45 hộ. Them 12 ho moi")
    assert ui_thread not in threads
    assert [m.cursor.selectedText() for m in editor.text_marks()] == ["92,8%", "120"]


def _replace_in_narrative(editor, old: str, new: str) -> None:
    cursor = editor.narrative.document().find(old)
    assert cursor.hasSelection(), old
    editor.narrative.setFocus()
    editor.narrative.setTextCursor(cursor)
    type_text(editor.narrative, new)


def test_a_result_about_older_text_is_dropped(qtbot, demo_workspace, monkeypatch):
    report_id = week2(demo_workspace)
    editor = open_editor(qtbot, demo_workspace, report_id)
    assert "90,8%" in editor.narrative.toPlainText() and editor.findings() == []
    started, release = threading.Event(), threading.Event()
    original = proofread_module.proofread_report

    def held(*args, **kwargs):
        started.set()
        release.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(proofread_module, "proofread_report", held)
    _replace_in_narrative(editor, "90,8%", "92,8%")  # a slip…
    qtbot.waitUntil(started.is_set, timeout=WAIT)  # …that a job is proofreading
    monkeypatch.setattr(proofread_module, "proofread_report", original)
    _replace_in_narrative(editor, "92,8%", "90,8%")  # corrected while the job runs
    shown_at_finish = []
    editor.proofread_finished.connect(lambda: shown_at_finish.append(codes(editor)))
    release.set()
    qtbot.waitUntil(lambda: bool(shown_at_finish), timeout=WAIT)
    assert "percent.ratio" not in shown_at_finish[0]  # the job's finding was about text no longer there
    qtbot.waitUntil(lambda: not editor.proofreading and not editor.has_pending_changes()
                    and not editor._check_timer.isActive(), timeout=WAIT)
    assert len(shown_at_finish) >= 2  # the corrected text was proofread in turn
    assert editor.findings() == [] and editor.text_marks() == []


def test_a_fault_inside_a_footnote_marks_the_footnote_marker(qtbot, demo_workspace):
    report_id = week2(demo_workspace)
    demo_workspace.set_section_text(report_id, SECTION, "Sản xuất nông nghiệp ổn định.[^Lúa mùa đạt 590/650 ha, "
                                                        "bằng 92,8% kế hoạch.] Chăm sóc ngô.")
    editor = open_editor(qtbot, demo_workspace, report_id)
    found = [f for f in editor.findings() if f.code == "percent.ratio"]
    assert [(f.footnote, f.paragraph) for f in found] == [(1, None)]
    assert [(m.severity, m.cursor.selectedText()) for m in editor.text_marks()] == [("error", "[1]")]
    editor.select_section("I.1")
    editor.go_to_finding(found[0])
    assert editor.narrative.textCursor().selectedText() == "[1]"


def test_a_failing_proofreader_is_reported_and_the_figures_are_still_checked(qtbot, demo_workspace, monkeypatch,
                                                                            tmp_path):
    from baocao_desktop.services import logs
    log_file = logs.setup_logging(tmp_path / "logs" / "baocao.log")
    report_id = week2(demo_workspace)
    demo_workspace.set_value(report_id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise ValueError("hỏng")

    monkeypatch.setattr(proofread_module, "proofread_report", broken)
    editor = open_editor(qtbot, demo_workspace, report_id)
    assert editor.notice_label.isVisible()
    # a bug in the proofreader: said as such with the log that holds its traceback, never its own text
    assert editor.notice_label.text() == ("Không soát được lỗi nội dung. Các kiểm tra số liệu vẫn chạy; "
                                          "hãy báo lỗi này cho người quản trị. "
                                          f"Chi tiết lỗi đã được ghi vào tệp nhật ký: {log_file}.")
    logged = log_file.read_text(encoding="utf-8")
    logs.stop_logging()
    assert "ValueError: hỏng" in logged and "Traceback" in logged
    assert "cumulative.mismatch" in codes(editor)
    editor.run_checks()  # the same text is not proofread again and again
    assert not editor.proofreading and calls == [1]
