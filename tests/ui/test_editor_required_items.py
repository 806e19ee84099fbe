"""Issue 14.2 in the editor and the unit's setup: a missing document item is an error in the findings panel;
clicking it opens “Thông tin văn bản” at its field (a unit item asks for Đơn vị → Thông tin đơn vị…), and
the setup dialog says which of the unit's items signing needs."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from tests.ui.keys import type_text  # noqa: E402
from tests.ui.test_report_editor import WAIT, open_editor  # noqa: E402
from tests.ui.test_report_editor import _close_editors_before_the_database  # noqa: E402,F401


@pytest.fixture
def report(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Lùng Phình",
                        symbol="")
    workspace.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Giàng A Lử"}])
    report = workspace.create_report("bc_tuan", "2026-06-01")
    workspace.set_header(report.id, number="12", signer={"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ",
                                                         "name": ""}, signer_id=None)
    return report


def click_finding(qtbot, editor, code: str):
    qtbot.waitUntil(lambda: editor.finding_item(lambda f: f.code == code) is not None, timeout=WAIT)
    item = editor.finding_item(lambda f: f.code == code)
    tree = editor.checks_tree
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    return item


def test_clicking_a_missing_signer_opens_the_header_page_at_the_name(qtbot, workspace, report):
    editor = open_editor(qtbot, workspace, report.id)
    finding = next(f for f in editor.findings() if f.code == "header.signer_missing")
    assert finding.severity == "error"
    click_finding(qtbot, editor, "header.signer_missing")
    assert editor.pages.currentWidget() is editor.header_page
    page = editor.header_page
    qtbot.waitUntil(page.name_edit.hasFocus, timeout=WAIT)
    type_text(page.name_edit, "Giàng A Lử")
    editor.run_checks()
    qtbot.waitUntil(lambda: not any(f.code == "header.signer_missing" for f in editor.findings()), timeout=WAIT)


def test_a_number_not_in_the_units_form_goes_to_the_number(qtbot, workspace, report):
    from baocao_desktop.store import reports as stored_reports
    workspace.save_unit(symbol="ĐU")
    with workspace.store.transaction():  # as a Word import stores another unit's Số (set_header refuses it)
        stored_reports.update(workspace.store, report.id, {"number": "12-BC/UB"})
    editor = open_editor(qtbot, workspace, report.id)
    click_finding(qtbot, editor, "header.number_form")
    qtbot.waitUntil(editor.number_edit.hasFocus, timeout=WAIT)


def test_a_unit_finding_asks_for_the_unit_settings(qtbot, workspace, report):
    editor = open_editor(qtbot, workspace, report.id)
    with qtbot.waitSignal(editor.unit_settings_requested, timeout=WAIT) as asked:
        click_finding(qtbot, editor, "unit.symbol_missing")
    assert asked.args == ["symbol"]


def test_the_setup_dialog_says_what_signing_still_needs(qtbot, workspace):
    from baocao_desktop.ui.setup_dialog import NEEDED_NOTE, SetupDialog
    dialog = SetupDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.needed_note.text() == NEEDED_NOTE and dialog.needed_note.isVisible()
    assert dialog.missing_label.text() == ("Còn thiếu để ký báo cáo: ký hiệu, địa danh, cơ quan cấp trên, "
                                           "người ký có họ tên.")
    type_text(dialog.symbol_edit, "ĐU")
    type_text(dialog.place_edit, "Lùng Phình")
    type_text(dialog.upper_edit, "Đảng bộ tỉnh Lào Cai")
    assert dialog.missing_label.text() == "Còn thiếu để ký báo cáo: người ký có họ tên."
    row = dialog.add_signer_row()
    dialog.signers_table.item(row, 2).setText("Giàng A Lử")
    assert not dialog.missing_label.isVisible()
    # skippable: a unit with its name only is saved; its reports then say what is missing
    dialog.signers_table.removeRow(row)
    for edit in (dialog.symbol_edit, dialog.place_edit, dialog.upper_edit):
        edit.clear()
    type_text(dialog.name_edit, "Đảng ủy xã Lùng Phình")
    dialog.accept()
    assert workspace.own_unit().name == "Đảng ủy xã Lùng Phình" and workspace.own_unit().symbol == ""
    report = workspace.create_report("bc_tuan", "2026-06-01")
    codes = {f.code for f in workspace.check(report.id, proofread=False) if f.category == "document"}
    assert codes == {"unit.symbol_missing", "unit.upper_body_missing", "header.number_missing",
                     "header.place_missing", "header.signer_missing"}


def test_focus_item_puts_the_cursor_on_the_units_symbol(qtbot, workspace, report):
    from baocao_desktop.ui.setup_dialog import SetupDialog
    dialog = SetupDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    dialog.focus_item("symbol")
    qtbot.waitUntil(dialog.symbol_edit.hasFocus, timeout=WAIT)
