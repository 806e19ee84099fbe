"""Findings that read well and sign-off buttons that follow the workflow (issue 18, points 3 and 9): errors
before warnings, one count everywhere, no “chưa có nội dung” on an untouched report until Trình ký, the
reason of a marked field shown beside it, a duplicate period one click from the existing report, and
Trình ký as the highlighted step of a Dự thảo. Real widgets, offscreen."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox  # noqa: E402

from baocao_desktop.checks.findings import finding_counts  # noqa: E402
from baocao_desktop.services.editing import EditSession  # noqa: E402
from baocao_desktop.ui.editor.signoff_bar import SKIPPED_SUBMIT  # noqa: E402
from baocao_desktop.ui.new_report_dialog import NewReportDialog  # noqa: E402
# the editor as the sign-off tests open it, closed before the database
from tests.ui.test_signoff_ui import _close_editors_before_the_database, click, open_editor  # noqa: E402,F401

WAIT = 15000


def week(ws, start: str):
    return next(r for r in ws.list_reports() if r.template_code == "bc_tuan" and r.period.start.isoformat() == start)


def fresh_week(ws):
    """A new weekly report, as “Tạo báo cáo” leaves it: plans carried over, nothing written."""
    return ws.create_report("bc_tuan", "2026-07-06", "2026-07-12")


def empty_section_findings(findings):
    return [f for f in findings if "chưa có nội dung" in f.message and f.code == "required.empty"]


# == “chưa có nội dung” ============================================================================
def test_an_untouched_report_lists_no_empty_sections_but_they_still_block(demo_workspace):
    report = fresh_week(demo_workspace)
    session = EditSession(demo_workspace, report.id)
    session.check_figures()
    assert empty_section_findings(session.findings) == []
    blocking = session.blocking()
    assert len(empty_section_findings(blocking)) > 10  # the sign-off rule still sees every one
    # once a section is written in, the others' emptiness is worth saying
    session.text_edited("I.1")
    session.check_figures()
    assert len(empty_section_findings(session.findings)) == len(empty_section_findings(blocking))


def test_a_report_with_text_lists_its_empty_sections_when_opened(demo_workspace):
    report = week(demo_workspace, "2026-06-01")
    demo_workspace.set_section_text(report.id, "IV", "")
    session = EditSession(demo_workspace, report.id)
    session.check_figures()
    assert [f.section for f in empty_section_findings(session.findings)] == ["IV"]


def test_trinh_ky_on_an_untouched_report_shows_what_blocks_it_in_the_panel(qtbot, demo_workspace):
    report = fresh_week(demo_workspace)
    editor = open_editor(qtbot, demo_workspace, report.id)
    editor.run_checks()
    assert editor.finding_item(lambda f: f.code == "required.empty") is None
    warnings_before = editor.findings_panel.filter_buttons["warning"].text()
    click(qtbot, editor.submit_button)
    dialog = editor.blocked_dialog
    assert dialog is not None and dialog.windowTitle() == "Chưa thể trình ký"
    assert dialog.item_for(lambda f: f.code == "required.empty") is not None
    assert editor.finding_item(lambda f: f.code == "required.empty") is not None
    assert editor.findings_panel.filter_buttons["warning"].text() != warnings_before
    assert demo_workspace.report(report.id).status == "draft"


# == order and counts =============================================================================
def test_errors_come_before_warnings_whatever_the_section_order(qtbot, demo_workspace):
    ws = demo_workspace
    report = week(ws, "2026-06-01")
    ws.set_section_text(report.id, "I.1", "")  # a warning in the first section
    ws.set_value(report.id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")  # an error in II.1.2.đ
    editor = open_editor(qtbot, ws, report.id)
    tree = editor.checks_tree
    rows = []
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        rows += [editor.findings_panel.finding_of(group.child(c)) for c in range(group.childCount())]
    severities = [f.severity for f in rows]
    assert severities == sorted(severities, key=("error", "warning", "info").index)
    assert rows[0].code == "cumulative.mismatch" and "required.empty" in [f.code for f in rows]


def test_one_count_beside_a_kept_warning(qtbot, demo_workspace):
    ws = demo_workspace
    report = week(ws, "2026-06-01")
    ws.set_section_text(report.id, "IV", "")
    editor = open_editor(qtbot, ws, report.id)
    warning = next(f for f in editor.findings() if f.code == "required.empty")
    assert editor.justify(warning, "Sẽ bổ sung ở báo cáo tháng.")
    panel = editor.findings_panel
    counts = finding_counts(editor.findings())
    assert (counts.errors, counts.warnings, counts.kept) == (0, 0, 1)
    assert panel.filter_buttons["warning"].text() == "Cảnh báo 0"  # never “Cảnh báo 1” beside “0 cảnh báo”
    assert panel.summary.text() == "0 lỗi · 0 cảnh báo · 1 đã giải trình"
    assert editor.finding_counts() == (0, 0)
    panel.set_filter("warning")
    assert editor.finding_item(lambda f: f.code == "required.empty") is None
    panel.set_filter("kept")
    assert editor.finding_item(lambda f: f.code == "required.empty") is not None
    emitted = []
    editor.findings_changed.connect(lambda e, w: emitted.append((e, w)))
    editor.run_checks()
    assert emitted[-1] == (0, 0)


# == a marked field explains itself ===============================================================
def test_a_marked_figure_shows_its_reason_under_it(qtbot, demo_workspace):
    ws = demo_workspace
    report = week(ws, "2026-06-01")
    ws.set_value(report.id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")
    editor = open_editor(qtbot, ws, report.id)
    editor.select_section("II.1.2.đ")
    qtbot.waitUntil(lambda: "thu_ngan_sach_tren_dia_ban" in editor.page.figures.notes, timeout=WAIT)
    note = editor.page.figures.notes["thu_ngan_sach_tren_dia_ban"]
    finding = next(f for f in editor.findings() if f.code == "cumulative.mismatch")
    assert note.isVisible() and finding.message in note.text()
    assert note.property("severity") == "error"
    others = [n for code, n in editor.page.figures.notes.items() if code != "thu_ngan_sach_tren_dia_ban"]
    assert others and not any(n.isVisible() for n in others)
    # typed input that cannot be read says why right there too, and the note goes when it is fixed
    field = editor.field_widget("thu_ngan_sach_tren_dia_ban", "actual")
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "abc")
    editor.flush()
    editor.page.show_input_states()
    assert "Thực hiện:" in note.text() and note.isVisible()


# == duplicate period =============================================================================
def test_a_duplicate_period_opens_the_existing_report(qtbot, demo_workspace):
    ws = demo_workspace
    existing = week(ws, "2026-06-08")
    dialog = NewReportDialog(ws, today=dt.date(2026, 6, 17))  # default: the week of 08/6, which exists
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.open_existing_button.isVisible()
    count = len(ws.list_reports())
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert "Hãy mở báo cáo đó" in dialog.error_label.text()
    assert dialog.open_existing_button.isVisible() and len(ws.list_reports()) == count
    qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.report.id == existing.id
    assert len(ws.list_reports()) == count


def test_another_error_offers_no_report_to_open(qtbot, workspace):
    dialog = NewReportDialog(workspace, today=dt.date(2026, 6, 17))  # no template installed
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisible() and not dialog.open_existing_button.isVisible()


# == sign-off buttons follow the workflow =========================================================
def test_in_a_draft_trinh_ky_is_the_highlighted_step(qtbot, demo_workspace):
    ws = demo_workspace
    report = week(ws, "2026-06-01")
    editor = open_editor(qtbot, ws, report.id)
    assert editor.submit_button.property("primary") is True and editor.submit_button.isDefault()
    assert editor.sign_button.property("primary") is False and not editor.sign_button.isDefault()
    click(qtbot, editor.submit_button)
    assert ws.report(report.id).status == "for_signature"
    assert editor.sign_button.property("primary") is True and editor.sign_button.isDefault()
    assert editor.return_button.property("primary") is False


def test_signing_a_draft_directly_names_the_skipped_step(qtbot, demo_workspace):
    ws = demo_workspace
    report = week(ws, "2026-06-01")
    editor = open_editor(qtbot, ws, report.id)
    click(qtbot, editor.sign_button)
    box = editor.message_box
    assert box.text() == SKIPPED_SUBMIT == "Báo cáo chưa qua bước Trình ký. Ký luôn?"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    click(qtbot, box.button(QMessageBox.StandardButton.No))
    assert ws.report(report.id).status == "draft"
    click(qtbot, editor.sign_button)
    click(qtbot, editor.message_box.button(QMessageBox.StandardButton.Yes))
    assert ws.report(report.id).status == "signed"


def test_signing_after_trinh_ky_asks_without_a_warning_about_steps(qtbot, demo_workspace):
    ws = demo_workspace
    report = week(ws, "2026-06-01")
    editor = open_editor(qtbot, ws, report.id)
    click(qtbot, editor.submit_button)
    click(qtbot, editor.sign_button)
    assert editor.message_box.text() != SKIPPED_SUBMIT and editor.message_box.text().startswith("Ký (hoàn tất)")
