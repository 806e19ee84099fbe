"""Sign-off in the editor (Trình ký / Ký / Đã gửi / Mở khóa), giải trình in the checks panel, and tables in
the section form, driven through real widgets (pytest-qt, offscreen)."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pytestqt")

import shiboken6  # noqa: E402
from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from baocao_desktop.templates.model import parse_template  # noqa: E402
from baocao_desktop.services.editing import ERROR_NOT_JUSTIFIABLE  # noqa: E402
from baocao_desktop.ui.editor.icons import severity_icon  # noqa: E402
from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402
from tests.ui.editor_window import show_editor  # noqa: E402

WAIT = 15000  # ms, an upper bound only: autosave is 500 ms, checks 600 ms after a save; loaded CI machines are slower
REASON = "Tuần này Thường trực chưa xây dựng phương hướng, sẽ bổ sung ở báo cáo tháng."
UNLOCK_REASON = "Sửa số trích lục theo ý kiến đồng chí Bí thư"

TABLE_TEMPLATE = """
code: sap_xep_to_chuc
version: 1
name: Báo cáo sắp xếp tổ chức đảng
period: month
title: BÁO CÁO
summary: "Kết quả sắp xếp tổ chức đảng tháng {start_dm}"
indicators:
  - {code: dang_vien_moi, label: Số đảng viên mới kết nạp, unit: đảng viên, kind: count}
tables:
  - code: to_chuc
    title: Tổ chức cơ sở đảng trước và sau sắp xếp
    rows:
      - {code: chi_bo, label: Chi bộ trực thuộc}
      - {code: dang_bo, label: Đảng bộ bộ phận}
      - {code: tong, label: Tổng cộng}
    columns:
      - {code: truoc, label: Trước sắp xếp}
      - {code: tang, label: Tăng}
      - {code: giam, label: Giảm}
      - {code: sau, label: Sau sắp xếp}
    total_row: tong
sections:
  - number: "I."
    title: KẾT QUẢ SẮP XẾP
    guidance: Ghi số tổ chức đảng trước sắp xếp, tăng, giảm và sau sắp xếp.
    indicators: [dang_vien_moi]
    tables: [to_chuc]
  - number: "II."
    title: PHƯƠNG HƯỚNG
checks:
  - {code: can_doi_to_chuc, kind: table_balance, table: to_chuc, before: truoc, plus: [tang], minus: [giam],
     after: sau, missing: zero}
"""


# == helpers ======================================================================================


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_item(qtbot, tree, item) -> None:
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())


_open: list = []


def open_editor(qtbot, workspace, report_id) -> ReportEditor:
    editor = show_editor(qtbot, workspace, report_id)
    _open.append(editor)
    editor.activateWindow()
    return editor


@pytest.fixture(autouse=True)
def _close_editors_before_the_database(workspace):
    yield
    while _open:
        editor = _open.pop()
        if shiboken6.isValid(editor):
            editor.close()


@pytest.fixture
def week1(demo_workspace):
    """The demo's weekly report of 01/6–07/6/2026 (no findings)."""
    report = next(r for r in demo_workspace.list_reports()
                  if r.template_code == "bc_tuan" and r.period.start.isoformat() == "2026-06-01")
    return demo_workspace, report


@pytest.fixture
def table_report(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm", symbol="ĐU",
                        upper_body="Đảng bộ tỉnh Lào Cai")
    workspace.install_template(parse_template(TABLE_TEMPLATE, origin="test"))
    report = workspace.create_report("sap_xep_to_chuc", "2026-06-01", "2026-06-30")
    # complete as a document (issue 14.2: what signing needs), so only the table decides
    workspace.set_header(report.id, number="15", recipients=["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu."],
                         signer={"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Lò Văn Pó"})
    return workspace.report(report.id)


def type_in_cell(qtbot, view, row: str, column: str, text: str) -> None:
    """Select the cell and type like a user: the first key opens the cell's editor."""
    assert view.focus_cell(row, column)
    qtbot.waitUntil(view.grid.hasFocus, timeout=WAIT)
    type_text(view.grid, text[:1])
    editor = QApplication.focusWidget()
    assert editor is not view.grid, "typing did not open the cell editor"
    type_text(editor, text[1:])


def commit_cell(view) -> None:
    QApplication.sendEvent(QApplication.focusWidget(),
                           QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))


# == sign-off =====================================================================================
def test_buttons_follow_the_status(qtbot, week1):
    ws, report = week1
    editor = open_editor(qtbot, ws, report.id)
    # the texts as seen (the “&” marks the Alt+ letter, shown underlined)
    shown = lambda: [b.text().replace("&", "") for b in (editor.submit_button, editor.return_button, editor.sign_button,  # noqa: E731
                                        editor.sent_button, editor.unlock_button) if b.isVisible()]
    assert shown() == ["Trình ký", "Ký (hoàn tất)"]
    assert not editor.lock_banner.isVisible()
    click(qtbot, editor.submit_button)
    assert ws.report(report.id).status == "for_signature"
    assert editor.status_label.text() == "Trình ký"
    assert shown() == ["Trả về dự thảo", "Ký (hoàn tất)"]
    click(qtbot, editor.return_button)
    assert ws.report(report.id).status == "draft" and shown() == ["Trình ký", "Ký (hoàn tất)"]
    ws.sign(report.id)
    editor.close()
    editor = open_editor(qtbot, ws, report.id)
    assert shown() == ["Đánh dấu đã gửi", "Mở khóa…"]
    click(qtbot, editor.sent_button)
    assert ws.report(report.id).status == "sent" and editor.status_label.text() == "Đã gửi"
    assert shown() == ["Mở khóa…"]
    assert editor.lock_banner.text() == "Báo cáo đã gửi — nội dung bị khóa. Mở khóa cần ghi lý do."


def test_signing_blocked_by_an_error_lists_it_and_the_report_stays_draft(qtbot, week1):
    ws, report = week1
    ws.set_value(report.id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")
    editor = open_editor(qtbot, ws, report.id)
    editor.select_section("I.1")
    statuses = []
    editor.status_changed.connect(statuses.append)
    click(qtbot, editor.sign_button)
    dialog = editor.blocked_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Chưa thể ký"
    assert dialog.lead.text() == "Chưa thể ký: còn 1 lỗi phải sửa."
    item = dialog.item_for(lambda f: f.code == "cumulative.mismatch")
    assert item.parent().text(0) == "Lỗi phải sửa (1)"
    assert "9.999" in item.text(0)
    assert ws.report(report.id).status == "draft" and editor.status_label.text() == "Dự thảo"
    assert statuses == [] and not editor.narrative.isReadOnly()
    # a click on the finding closes the list and puts the cursor in the field
    click_item(qtbot, dialog.tree, item)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: editor.field_widget("thu_ngan_sach_tren_dia_ban", "cumulative") is not None,
                    timeout=WAIT)
    cell = editor.field_widget("thu_ngan_sach_tren_dia_ban", "cumulative")
    qtbot.waitUntil(cell.hasFocus, timeout=WAIT)
    assert cell.selectedText() == "9.999"
    # "Trình ký" is gated the same way
    click(qtbot, editor.submit_button)
    assert editor.blocked_dialog.windowTitle() == "Chưa thể trình ký"
    assert ws.report(report.id).status == "draft"


def test_a_warning_kept_with_a_reason_no_longer_blocks_signing(qtbot, week1):
    ws, report = week1
    ws.set_section_text(report.id, "IV", "")  # a required section left empty → a warning
    editor = open_editor(qtbot, ws, report.id)
    click(qtbot, editor.sign_button)
    dialog = editor.blocked_dialog
    assert dialog.lead.text() == "Chưa thể ký: còn 1 cảnh báo chưa có giải trình."
    item = dialog.item_for(lambda f: f.code == "required.empty")
    assert item.parent().text(0) == "Cảnh báo cần giải trình (1)"
    click_item(qtbot, dialog.tree, item)
    # the jump selects the section and the warning in the checks panel, ready for "Giải trình…"
    qtbot.waitUntil(lambda: editor.current_section_path() == "IV", timeout=WAIT)
    assert editor.selected_finding().code == "required.empty"
    assert editor.justify_button.isEnabled() and editor.justify_button.text() == "Giả&i trình…"
    click(qtbot, editor.justify_button)
    reason = editor.reason_dialog
    assert reason.windowTitle() == "Giải trình cảnh báo" and not reason.ok_button.isEnabled()
    reason.edit.setFocus()
    type_text(reason.edit, REASON)
    assert reason.ok_button.text() == "Lưu giải trình"
    click(qtbot, reason.ok_button)
    assert list(ws.justifications(report.id).values()) == [REASON]
    kept = editor.finding_item(lambda f: f.code == "required.empty")
    assert editor.findings()[0].justification == REASON
    under = kept.child(0)
    assert under.text(0) == f"Giải trình: {REASON}" and under.font(0).italic()
    assert kept.icon(0).cacheKey() == severity_icon("kept").cacheKey() != severity_icon("warning").cacheKey()
    assert editor.checks_summary.text() == "0 lỗi · 0 cảnh báo · 1 đã giải trình"
    editor.set_filter("kept")
    assert editor.finding_item(lambda f: f.code == "required.empty") is not None
    assert editor.findings_panel.filter_buttons["kept"].text() == "Đã giải trình 1"
    editor.set_filter("info")
    assert editor.finding_item(lambda f: f.code == "required.empty") is None
    editor.set_filter("all")
    # now signing asks for confirmation, then locks
    statuses = []
    editor.status_changed.connect(statuses.append)
    click(qtbot, editor.sign_button)
    box = editor.message_box
    assert box is not None and editor.blocked_dialog is None
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes.text() == "Ký và khóa nội dung"
    click(qtbot, yes)
    assert ws.report(report.id).status == "signed" and statuses == ["signed"]
    assert editor.status_label.text() == "Đã ký"
    # the reason stays visible on the signed report, but can no longer be changed
    editor.checks_tree.setCurrentItem(editor.finding_item(lambda f: f.code == "required.empty"))
    assert not editor.justify_button.isEnabled() and not editor.unjustify_button.isEnabled()


def test_errors_cannot_be_justified_and_a_reason_can_be_removed(qtbot, week1):
    ws, report = week1
    ws.set_value(report.id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")
    ws.set_section_text(report.id, "IV", "")
    editor = open_editor(qtbot, ws, report.id)
    error = editor.finding_item(lambda f: f.severity == "error")
    editor.checks_tree.setCurrentItem(error)
    assert not editor.justify_button.isEnabled()
    assert editor.justify_button.toolTip() == ERROR_NOT_JUSTIFIABLE
    assert editor.request_justify() is None
    # the context menu says why, too
    tree = editor.checks_tree
    editor.findings_panel.show_menu(tree.visualItemRect(error).center())
    actions = {a.text(): a for a in editor.checks_menu.actions()}
    assert not actions["Giữ lại và giải trình…"].isEnabled()
    assert actions["Giữ lại và giải trình…"].toolTip() == ERROR_NOT_JUSTIFIABLE
    editor.checks_menu.close()
    warning = editor.finding_item(lambda f: f.code == "required.empty")
    editor.findings_panel.show_menu(tree.visualItemRect(warning).center())
    keep = {a.text(): a for a in editor.checks_menu.actions()}["Giữ lại và giải trình…"]
    assert keep.isEnabled()
    editor.checks_menu.close()
    keep.trigger()
    assert editor.reason_dialog is not None and editor.reason_dialog.isVisible()
    editor.reason_dialog.reject()
    editor.checks_tree.setCurrentItem(warning)
    assert editor.justify(editor.selected_finding(), "Sẽ bổ sung ở báo cáo tháng.")
    assert editor.selected_finding().justification == "Sẽ bổ sung ở báo cáo tháng."
    assert editor.unjustify_button.isEnabled() and editor.justify_button.text() == "Sửa giả&i trình…"
    # editing shows the current reason and offers to remove it
    click(qtbot, editor.justify_button)
    dialog = editor.reason_dialog
    assert dialog.edit.toPlainText() == "Sẽ bổ sung ở báo cáo tháng."
    click(qtbot, dialog.remove_button)
    assert ws.justifications(report.id) == {}
    assert editor.finding_item(lambda f: f.code == "required.empty").childCount() == 0
    assert editor.checks_summary.text() == "1 lỗi · 1 cảnh báo"


def test_signed_report_is_read_only_until_unlocked_with_a_reason(qtbot, week1):
    ws, report = week1
    editor = open_editor(qtbot, ws, report.id)
    assert editor.sign()
    assert ws.report(report.id).status == "signed"
    assert editor.lock_banner.isVisible()
    assert editor.lock_banner.text() == "Báo cáo đã ký — nội dung bị khóa. Mở khóa cần ghi lý do."
    before = ws.report(report.id)
    editor.select_section("II.1.1.a")
    field = editor.field_widget("lua_mua_dien_tich", "actual")
    assert field.isReadOnly() and editor.narrative.isReadOnly() and editor.number_edit.isReadOnly()
    assert not editor.bold_action.isEnabled() and not editor.footnote_action.isEnabled()
    assert not editor.sentence_button("lua_mua_dien_tich").isEnabled()
    field.setFocus()
    field.selectAll()
    type_text(field, "700")
    editor.narrative.setFocus()
    type_text(editor.narrative, "sửa sau khi ký")
    qtbot.wait(700)
    editor.flush()
    after = ws.report(report.id)
    assert field.text() == "549" and "sửa sau khi ký" not in editor.narrative.toPlainText()
    assert after.content_digest() == before.content_digest() == after.content_hash
    # unlocking needs a reason of a few words
    click(qtbot, editor.unlock_button)
    dialog = editor.reason_dialog
    assert dialog.windowTitle() == "Mở khóa báo cáo đã ký"
    assert not dialog.ok_button.isEnabled()
    dialog.edit.setFocus()
    type_text(dialog.edit, "abc")
    assert not dialog.ok_button.isEnabled() and "ít nhất 5 ký tự" in dialog.hint.text()
    dialog.edit.selectAll()
    type_text(dialog.edit, UNLOCK_REASON)
    click(qtbot, dialog.ok_button)
    assert ws.report(report.id).status == "draft"
    assert editor.status_label.text() == "Dự thảo" and not editor.lock_banner.isVisible()
    log = [r["new"] for r in ws.revisions(report.id) if r["entity"] == "status"]
    assert log[-1] == f"Dự thảo — mở khóa: {UNLOCK_REASON}"
    # editable again: typing saves
    assert not field.isReadOnly() and not editor.narrative.isReadOnly() and editor.bold_action.isEnabled()
    field.setFocus()
    field.selectAll()
    type_text(field, "550")
    qtbot.waitUntil(lambda: ws.report(report.id).value("lua_mua_dien_tich", "actual") == Decimal(550),
                    timeout=WAIT)


def test_tampered_signed_report_shows_the_integrity_error(qtbot, week1):
    ws, report = week1
    ws.sign(report.id)
    ws.store.conn.execute("UPDATE indicator_values SET value = '600' WHERE report_id = ? "
                          "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report.id,))
    editor = open_editor(qtbot, ws, report.id)
    item = editor.finding_item(lambda f: f.code == "integrity.changed_after_signing")
    assert item is not None and "thay đổi ngoài chương trình" in item.text(0)
    assert item.parent().text(0) == "Thông tin chung (số, ngày, kỳ báo cáo)"
    assert editor.lock_banner.isVisible() and editor.lock_banner.property("alarm") is True
    assert "thay đổi ngoài chương trình" in editor.lock_banner.text()
    assert not editor.sent_button.isEnabled()
    assert editor.finding_counts()[0] == 1


def test_invalid_figure_blocks_signing_as_unsaved_input(qtbot, week1):
    ws, report = week1
    editor = open_editor(qtbot, ws, report.id)
    editor.select_section("II.1.1.a")
    field = editor.field_widget("lua_mua_dien_tich", "actual")
    field.setFocus()
    field.selectAll()
    type_text(field, "5,4.9")
    editor.flush()
    click(qtbot, editor.sign_button)
    item = editor.blocked_dialog.item_for(lambda f: f.code == "input.invalid")
    assert "Diện tích lúa mùa – Thực hiện" in item.text(0) and "chưa được lưu" in item.text(0)
    assert ws.report(report.id).status == "draft"


def test_main_window_list_follows_the_editor_status(qtbot, week1, tmp_path, changes_arrived):
    from baocao_desktop.ui.main_window import MainWindow
    ws, report = week1
    window = MainWindow(ws, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.open_report(report.id)
    assert window.editor.sign()
    changes_arrived()  # the signing's REPORTS change marks the list stale; it is read on the way back
    window.show_list()
    row = next(r for r in range(window.table.rowCount()) if window._row_report_id(r) == report.id)
    assert window.table.item(row, 4).text() == "Đã ký"
    window.close_editor()
    window.close()


def test_typing_in_the_narrative_runs_checks_once_per_burst(qtbot, week1, monkeypatch):
    ws, report = week1
    editor = open_editor(qtbot, ws, report.id)
    editor.select_section("IV")
    calls = []
    original = ws.check
    monkeypatch.setattr(ws, "check", lambda rid, **kw: calls.append(rid) or original(rid, **kw))
    editor.narrative.setFocus()
    for word in ("Tiếp ", "tục ", "chỉ ", "đạo ", "thu ", "hoạch."):
        type_text(editor.narrative, word)
        qtbot.wait(120)  # a typist's pace: never 600 ms idle
    assert calls == []
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=WAIT)
    qtbot.wait(900)
    assert len(calls) == 1


# == tables =======================================================================================
def test_table_cells_autosave_and_a_wrong_total_is_marked(qtbot, workspace, table_report):
    ws = workspace
    editor = open_editor(qtbot, ws, table_report.id)
    assert editor.current_section_path() == "I"
    view = editor.table_view("to_chuc")
    assert view is not None and view.title_label.text() == "Tổ chức cơ sở đảng trước và sau sắp xếp"
    assert view.grid.verticalHeaderItem(2).text() == "Tổng cộng" and view.grid.verticalHeaderItem(2).font().bold()
    assert view.item("tong", "truoc").font().bold()
    assert view.item("tong", "truoc").background().color().name() != view.item("chi_bo", "truoc").background(
        ).color().name()
    type_in_cell(qtbot, view, "chi_bo", "truoc", "1009")
    qtbot.waitUntil(lambda: ws.report(table_report.id).cell("to_chuc", "chi_bo", "truoc") == Decimal(1009),
                    timeout=WAIT)
    commit_cell(view)
    qtbot.waitUntil(lambda: view.text("chi_bo", "truoc") == "1.009", timeout=WAIT)
    for row, column, value in (("dang_bo", "truoc", "5"), ("chi_bo", "sau", "1.009"), ("dang_bo", "sau", "5")):
        ws.set_cell(table_report.id, "to_chuc", row, column, value)
    editor.close()
    editor = open_editor(qtbot, ws, table_report.id)
    view = editor.table_view("to_chuc")
    assert view.text("dang_bo", "truoc") == "5"
    # the empty total shows the sum it should have; a wrong typed total shows both
    assert view.sum_hints[("tong", "truoc")] == (Decimal(1014), False)
    type_in_cell(qtbot, view, "tong", "truoc", "1015")
    commit_cell(view)

    def total_error():
        return editor.finding_item(lambda f: f.code == "table.total" and f.field == "to_chuc.tong.truoc")

    qtbot.waitUntil(lambda: total_error() is not None, timeout=WAIT)
    assert "1.009 + 5 = 1.014" in total_error().text(0) and "chênh 1" in total_error().text(0)
    assert view.cell_state("tong", "truoc") == "error"
    assert view.sum_hints[("tong", "truoc")] == (Decimal(1014), True)
    assert view.hint_label.isVisible()
    assert "tổng ghi <b>1.015</b>, cộng các dòng được <b>1.014</b>" in view.hint_label.text()
    # before + tăng − giảm = after, per row
    type_in_cell(qtbot, view, "dang_bo", "giam", "2")
    commit_cell(view)

    def balance():
        return editor.finding_item(lambda f: f.code.startswith("table_balance") and f.field == "to_chuc.dang_bo.sau")

    qtbot.waitUntil(lambda: balance() is not None, timeout=WAIT)
    assert "5 + 0 − 2 = 3" in balance().text(0)
    assert view.cell_state("dang_bo", "sau") == "error"
    # a click on the finding selects the cell (from another section)
    editor.select_section("II")
    assert editor.table_view("to_chuc") is None
    click_item(qtbot, editor.checks_tree, balance())
    assert editor.current_section_path() == "I"
    view = editor.table_view("to_chuc")
    assert view.current_cell() == ("dang_bo", "sau")
    qtbot.waitUntil(view.grid.hasFocus, timeout=WAIT)
    # fixing the total clears its mark
    type_in_cell(qtbot, view, "tong", "truoc", "1014")
    commit_cell(view)
    qtbot.waitUntil(lambda: total_error() is None, timeout=WAIT)
    assert view.cell_state("tong", "truoc") == ""
    assert ("tong", "truoc") not in view.sum_hints
    # Delete clears the selected cell
    view.focus_cell("dang_bo", "giam")
    QApplication.sendEvent(view.grid, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Delete,
                                                Qt.KeyboardModifier.NoModifier))
    assert view.text("dang_bo", "giam") == ""
    qtbot.waitUntil(lambda: ws.report(table_report.id).cell("to_chuc", "dang_bo", "giam") is None, timeout=WAIT)


def test_bad_cell_input_is_refused_with_the_message_and_kept(qtbot, workspace, table_report):
    ws = workspace
    editor = open_editor(qtbot, ws, table_report.id)
    view = editor.table_view("to_chuc")
    type_in_cell(qtbot, view, "chi_bo", "tang", "1,2.5")
    commit_cell(view)
    qtbot.waitUntil(lambda: view.cell_state("chi_bo", "tang") == "invalid", timeout=WAIT)
    assert view.text("chi_bo", "tang") == "1,2.5"
    assert ws.report(table_report.id).cell("to_chuc", "chi_bo", "tang") is None
    message = editor.field_message.text()
    assert editor.field_message.isVisible()
    assert "Tổ chức cơ sở đảng trước và sau sắp xếp: Chi bộ trực thuộc – Tăng" in message
    assert "1,2.5" in message and "chưa được lưu" in message
    assert "1,2.5" in view.item("chi_bo", "tang").toolTip()
    # correcting it saves and clears the message
    type_in_cell(qtbot, view, "chi_bo", "tang", "3")
    commit_cell(view)
    qtbot.waitUntil(lambda: ws.report(table_report.id).cell("to_chuc", "chi_bo", "tang") == Decimal(3),
                    timeout=WAIT)
    assert view.cell_state("chi_bo", "tang") == "" and not editor.field_message.isVisible()


def test_signed_report_table_is_read_only(qtbot, workspace, table_report):
    ws = workspace
    ws.set_cell(table_report.id, "to_chuc", "chi_bo", "truoc", "4")
    ws.set_cell(table_report.id, "to_chuc", "chi_bo", "sau", "4")
    ws.set_section_text(table_report.id, "II", "Tiếp tục kiện toàn.")
    ws.sign(table_report.id)
    editor = open_editor(qtbot, ws, table_report.id)
    view = editor.table_view("to_chuc")
    assert view.locked
    view.focus_cell("chi_bo", "truoc")
    type_text(view.grid, "9")
    QApplication.sendEvent(view.grid, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Delete,
                                                Qt.KeyboardModifier.NoModifier))
    editor.flush()
    assert view.text("chi_bo", "truoc") == "4"
    assert ws.report(table_report.id).cell("to_chuc", "chi_bo", "truoc") == Decimal(4)
    assert ws.verify_signed(table_report.id)


def test_a_report_signed_the_old_way_says_so_when_it_opens(qtbot, week1):
    """Signed before schema 6 (no digital signature): the banner says how to send it (issue 19 point 7)."""
    ws, report = week1
    ws.sign(report.id)
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE reports SET signature = NULL, signature_key = NULL WHERE id = ?", (report.id,))
    editor = open_editor(qtbot, ws, report.id)
    assert "đã ký theo cách cũ (chưa có chữ ký số; muốn gửi cấp trên: mở khóa và ký lại)" in editor.lock_banner.text()
    assert not editor.lock_banner.property("alarm")
