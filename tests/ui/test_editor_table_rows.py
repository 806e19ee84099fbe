"""The editor's tables whose rows a report names (issue 14.5): the "Tên dòng" column renames a row, "Thêm
dòng" adds one, "Xóa dòng" leaves an empty row out (a filled one is refused with a message); the sums follow
and the DOCX prints the report's rows."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pytestqt")

import docx  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from baocao_desktop.templates.model import parse_template  # noqa: E402
from tests.services.test_table_rows import OLD, TEMPLATE  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402
from tests.ui.test_signoff_ui import WAIT, commit_cell, open_editor, type_in_cell  # noqa: E402


@pytest.fixture
def rows_report(workspace):
    ws = workspace
    ws.install_template(parse_template(TEMPLATE, origin="thử"))
    ws.save_unit(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Lùng Phình",
                 symbol="ĐU", founded_on="2025-07-01")
    ws.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Giàng A Lử"}])
    ws.add_profile_fact("xa_cu", "Số xã (cũ) hợp nhất", "3", "xã", "2025-07-01", names=OLD)
    return ws, ws.create_report("bang_xa_cu", "2026-06-01", number="7")


def rename(qtbot, view, row: str, text: str) -> None:
    item = view.name_item(row)
    view.grid.setCurrentItem(item)
    view.grid.setFocus()
    qtbot.waitUntil(view.grid.hasFocus, timeout=WAIT)
    type_text(view.grid, text[:1])
    editor = QApplication.focusWidget()
    assert editor is not view.grid and editor.objectName() == "rowName"
    type_text(editor, text[1:])
    commit_cell(view)


def test_rename_add_and_remove_rows_through_the_widgets(qtbot, rows_report, tmp_path):
    ws, report = rows_report
    editor = open_editor(qtbot, ws, report.id)
    view = editor.table_view("xa_cu")
    # named after the profile: three old communes, no empty fourth row; the fixed table has no name column
    assert [view.name_item(r).text() for r in ("xa_cu_1", "xa_cu_2", "xa_cu_3")] == OLD
    assert view.name_item("xa_cu_4") is None and view.grid.rowCount() == 4
    assert view.add_row_button.isVisible() and view.remove_row_button.isVisible()
    fixed = editor.table_view("loai")
    assert not fixed.row_buttons.isVisible() and fixed.name_item("nghi_huu") is None

    rename(qtbot, view, "xa_cu_2", "Xã Tả Văn Chư (cũ)")
    qtbot.waitUntil(lambda: ws.report(report.id).table_rows["xa_cu"].get("xa_cu_2") == "Xã Tả Văn Chư (cũ)",
                    timeout=WAIT)
    qtbot.waitUntil(lambda: editor.table_view("xa_cu") is not view, timeout=WAIT)
    view = editor.table_view("xa_cu")
    assert view.name_item("xa_cu_2").text() == "Xã Tả Văn Chư (cũ)"

    view.add_row_button.click()
    qtbot.waitUntil(lambda: editor.table_view("xa_cu") is not view, timeout=WAIT)
    view = editor.table_view("xa_cu")
    assert view.grid.rowCount() == 5 and view.current_row() == "xa_cu_4"
    rename(qtbot, view, "xa_cu_4", "Thôn Na Hối")
    qtbot.waitUntil(lambda: ws.report(report.id).table_rows["xa_cu"].get("xa_cu_4") == "Thôn Na Hối",
                    timeout=WAIT)
    qtbot.waitUntil(lambda: editor.table_view("xa_cu") is not view, timeout=WAIT)
    view = editor.table_view("xa_cu")

    # figures: the total's Σ hint counts the added row
    for row, value in (("xa_cu_1", "6"), ("xa_cu_4", "2")):
        type_in_cell(qtbot, view, row, "so_nguoi", value)
        commit_cell(view)
    qtbot.waitUntil(lambda: ws.report(report.id).cell("xa_cu", "xa_cu_4", "so_nguoi") == Decimal(2), timeout=WAIT)
    assert view.sum_hints[("tong", "so_nguoi")] == (Decimal(8), False)

    # a filled row is not removed: the message says why, nothing changes
    view.select_row("xa_cu_4")
    view.remove_row_button.click()
    assert view.row_message.isVisible() and "còn số liệu" in view.row_message.text()
    assert "xa_cu_4" in ws.report(report.id).table_rows["xa_cu"]
    # an empty row is
    view.select_row("xa_cu_3")
    view.remove_row_button.click()
    qtbot.waitUntil(lambda: ws.report(report.id).table_rows["xa_cu"].get("xa_cu_3", "") is None, timeout=WAIT)
    qtbot.waitUntil(lambda: editor.table_view("xa_cu") is not view, timeout=WAIT)
    view = editor.table_view("xa_cu")
    assert [view.name_item(r).text() for r in ("xa_cu_1", "xa_cu_2", "xa_cu_4")] == [
        OLD[0], "Xã Tả Văn Chư (cũ)", "Thôn Na Hối"]
    assert view.name_item("xa_cu_3") is None and view.grid.rowCount() == 4
    # the total row's name is the template's, not editable
    assert view.name_item("tong").text() == "Tổng số"
    assert not view.name_item("tong").flags() & Qt.ItemFlag.ItemIsEditable

    type_in_cell(qtbot, view, "tong", "so_nguoi", "8")
    commit_cell(view)
    qtbot.waitUntil(lambda: ws.report(report.id).cell("xa_cu", "tong", "so_nguoi") == Decimal(8), timeout=WAIT)
    editor.close()
    out = ws.export_docx(report.id, tmp_path / "rows.docx")
    table = next(t for t in docx.Document(str(out)).tables if t.rows[0].cells[0].text == "Nội dung")
    assert [(r.cells[0].text, r.cells[1].text) for r in table.rows] == [
        ("Nội dung", "Số người (người)"), (OLD[0], "6"), ("Xã Tả Văn Chư (cũ)", ""), ("Thôn Na Hối", "2"),
        ("Tổng số", "8")]


def test_a_signed_report_has_no_row_buttons_enabled(qtbot, rows_report):
    ws, report = rows_report
    ws.sign(report.id)
    editor = open_editor(qtbot, ws, report.id)
    view = editor.table_view("xa_cu")
    assert not view.row_buttons.isEnabled()


def test_the_setup_dialog_keeps_the_names_a_fact_counts(qtbot, workspace):
    from PySide6.QtWidgets import QDialogButtonBox

    from baocao_desktop.ui.setup_dialog import SetupDialog
    from tests.ui.test_shell import add_fact, fill_unit_fields
    dialog = SetupDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    fill_unit_fields(qtbot, dialog)
    row = add_fact(qtbot, dialog, "Số xã (cũ) hợp nhất", "3", "xã", "01/7/2025")
    dialog.facts_table.item(row, dialog.COL_NAMES).setText("Xã Lùng Phình (cũ); Xã Tả Van Chư (cũ)")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    # three counted, two names: refused with the reason, nothing saved
    assert not dialog.error_label.isHidden() and "ghi 3 nhưng có 2 tên" in dialog.error_label.text()
    assert workspace.own_unit() is None
    dialog.facts_table.item(row, dialog.COL_NAMES).setText(
        "Xã Lùng Phình (cũ); Xã Tả Van Chư (cũ);  Xã Lùng Thẩn (cũ) ")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    fact = next(f for f in workspace.profile_facts() if f.code == "xa_cu")
    assert fact.names == tuple(OLD)
    again = SetupDialog(workspace)
    qtbot.addWidget(again)
    assert again.facts_table.item(0, again.COL_NAMES).text() == "; ".join(OLD)
