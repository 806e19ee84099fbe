"""Template editor GUI: the tables of a section (add, edit rows and columns, remove) and the general
information form (name and document header), driven through the real widgets offscreen."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit  # noqa: E402

from baocao_desktop.services import template_editing as te  # noqa: E402
from baocao_desktop.ui import template_editor as editor_module  # noqa: E402
from baocao_desktop.ui import template_fields, template_section_tables, template_sections  # noqa: E402
from baocao_desktop.ui import template_table_editor as table_module  # noqa: E402
from baocao_desktop.ui.template_editor import TemplateEditorDialog  # noqa: E402
from baocao_desktop.ui.template_table_editor import TableDialog  # noqa: E402


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """Message boxes would block: record them instead (questions answer yes)."""
    shown = []
    # the editor's modules (ui/template_editor.py and its parts) and the table form
    for module in (editor_module, template_sections, template_fields, template_section_tables, table_module):
        monkeypatch.setattr(module, "ask_yes_no", lambda *a, **k: shown.append(("ask", a[1:])) or True,
                            raising=False)
    for module in (editor_module, template_sections, template_fields):
        monkeypatch.setattr(module, "show_info", lambda *a, **k: shown.append(("info", a[1:])), raising=False)
        monkeypatch.setattr(module, "show_error", lambda *a, **k: shown.append(("error", a[1:])), raising=False)
    return shown


@pytest.fixture
def unit_ws(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Lùng Phình",
                        symbol="ĐU", founded_on="2025-07-01")
    return workspace


def make_editor(qtbot, ws, code):
    dialog = TemplateEditorDialog(ws, te.edit_copy(ws.template(code)))
    qtbot.addWidget(dialog)
    dialog.resize(1200, 720)
    dialog.show()
    return dialog


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def table_form(editor) -> TableDialog:
    forms = [d for d in editor.findChildren(TableDialog) if d.isVisible()]
    assert len(forms) == 1
    return forms[0]


def type_new_line(qtbot, form, key, label, unit=""):
    """Click “Thêm dòng/cột”, type the name into the cell editor it opens, fill the unit."""
    click(qtbot, form.line_buttons[key]["add"])
    widget = form.line_tables[key]
    editors = [e for e in widget.findChildren(QLineEdit) if e.isVisible()]  # the one being typed in
    assert len(editors) == 1
    cell_editor = editors[0]
    cell_editor.selectAll()
    cell_editor.setText(label)  # QTest cannot type Vietnamese letters
    row = widget.currentRow()
    if unit:
        widget.item(row, table_module.UNIT).setText(unit)
    return row


def ok_button(form):
    return form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def section_with_table(editor, code):
    section = editor.editable.section_of_table(code)
    editor.select_section(section)
    editor.select_table(code)
    return section


# == adding ================================================================================================
def test_add_a_table_through_the_form_codes_from_labels(qtbot, workspace):
    editor = make_editor(qtbot, workspace, "bc_chuyen_de")
    section = editor.editable.sections[0]
    editor.select_section(section)
    assert editor.tables_list.rowCount() == len(section.tables)
    assert not editor.edit_table_button.isEnabled() and not editor.remove_table_button.isEnabled()
    click(qtbot, editor.add_table_button)
    form = table_form(editor)
    assert ok_button(form).text() == "Thêm bảng"
    form.title_edit.setText("Hộ nghèo theo thôn")
    for label in ("Thôn Pả Chư Tỷ", "Thôn Lùng Phình", "Tổng số"):
        type_new_line(qtbot, form, "rows", label)
    assert form.line_codes("rows") == [table_module.NEW_CODE_TEXT] * 3
    form.line_tables["rows"].item(2, table_module.TOTAL).setCheckState(Qt.CheckState.Checked)
    type_new_line(qtbot, form, "columns", "Số hộ", "hộ")
    type_new_line(qtbot, form, "columns", "Số khẩu", "người")
    click(qtbot, ok_button(form))
    assert not form.isVisible(), form.error_label.text()
    table = editor.editable.table("ho_ngheo_theo_thon")
    assert [r["code"] for r in table["rows"]] == ["thon_pa_chu_ty", "thon_lung_phinh", "tong_so"]
    assert table["total_row"] == "tong_so"
    assert table["columns"] == [{"code": "so_ho", "label": "Số hộ", "unit": "hộ"},
                                {"code": "so_khau", "label": "Số khẩu", "unit": "người"}]
    assert section.tables[-1] == "ho_ngheo_theo_thon"
    assert editor.table_titles()[-1] == "Hộ nghèo theo thôn (3 × 2)"
    assert editor.selected_table() == "ho_ngheo_theo_thon" and editor.dirty
    # saved as version 2 with the table in its section
    saved = editor.save()
    assert saved is not None, editor.error_label.text()
    assert saved.version == 2 and saved.table("ho_ngheo_theo_thon").total_row == "tong_so"
    assert saved.section_of_table("ho_ngheo_theo_thon").title == section.title


def test_a_bad_table_shows_the_problems_in_the_form_and_adds_nothing(qtbot, workspace):
    editor = make_editor(qtbot, workspace, "bc_chuyen_de")
    editor.select_section(editor.editable.sections[0])
    count = len(editor.editable.tables)
    click(qtbot, editor.add_table_button)
    form = table_form(editor)
    type_new_line(qtbot, form, "columns", "Số hộ")
    type_new_line(qtbot, form, "columns", "số hộ")
    click(qtbot, ok_button(form))
    assert form.isVisible()
    text = form.error_label.text()
    assert form.error_label.isVisible()
    assert "Bảng (chưa có tên): hãy đặt tên bảng." in text
    assert "chưa có dòng nào: hãy thêm ít nhất một dòng." in text
    assert "có hai cột cùng tên “Số hộ”" in text
    assert len(editor.editable.tables) == count
    form.reject()


# == editing ================================================================================================
def test_edit_rename_remove_reorder_lines_then_save_announces_filled_row(qtbot, unit_ws, no_modal_boxes):
    ws = unit_ws
    report = ws.create_report("bc_giam_sat", "2025-07-01", "2025-09-10")
    ws.set_cell(report.id, "to_chuc_dang", "dang_bo_co_so", "dau_ky", "2")
    ws.set_cell(report.id, "to_chuc_dang", "chi_bo_thon", "hien_nay", "20")
    before = ws.report(report.id).tables

    editor = make_editor(qtbot, ws, "bc_giam_sat")
    section_with_table(editor, "to_chuc_dang")
    assert editor.edit_table_button.isEnabled()
    click(qtbot, editor.edit_table_button)
    form = table_form(editor)
    assert form.windowTitle() == "Sửa bảng: Tổ chức đảng trực thuộc Đảng ủy xã"
    rows = form.line_tables["rows"]
    assert form.line_codes("rows") == ["dang_bo_co_so", "chi_bo_co_so", "chi_bo_thon", "chi_bo_co_quan", "tong"]
    assert rows.item(4, table_module.TOTAL).checkState() == Qt.CheckState.Checked
    # rename the first row: its code stays
    rows.item(0, table_module.LABEL).setText("Đảng bộ cơ sở trực thuộc")
    # remove “Chi bộ thôn, bản”
    rows.setCurrentCell(2, 0)
    click(qtbot, form.line_buttons["rows"]["remove"])
    # move “Chi bộ cơ sở” to the top
    rows.setCurrentCell(1, 0)
    click(qtbot, form.line_buttons["rows"]["up"])
    assert form.line_codes("rows") == ["chi_bo_co_so", "dang_bo_co_so", "chi_bo_co_quan", "tong"]
    # a new column at the end
    type_new_line(qtbot, form, "columns", "Sáp nhập", "tổ chức")
    click(qtbot, ok_button(form))
    assert not form.isVisible(), form.error_label.text()
    table = editor.editable.table("to_chuc_dang")
    assert [(r["code"], r["label"]) for r in table["rows"]][:2] == [
        ("chi_bo_co_so", "Chi bộ cơ sở"), ("dang_bo_co_so", "Đảng bộ cơ sở trực thuộc")]
    assert [c["code"] for c in table["columns"]][-1] == "sap_nhap" and table["total_row"] == "tong"
    assert editor.table_titles()[0] == "Tổ chức đảng trực thuộc Đảng ủy xã (4 × 5)"

    # saving announces the removed row that a report filled, then makes version 2
    saved = editor.save()
    assert saved is not None and saved.version == 2, editor.error_label.text()
    kind, (title, text) = no_modal_boxes[0][0], no_modal_boxes[0][1][:2]
    assert kind == "ask" and title == "Xóa chỗ đã có số liệu"
    assert "• Bảng “Tổ chức đảng trực thuộc Đảng ủy xã”: dòng “Chi bộ thôn, bản” bị xóa, 1 báo cáo" in text
    assert "vẫn giữ phiên bản mẫu cũ" in text
    after = ws.report(report.id)
    assert after.template_version == 1 and after.tables == before


def test_save_can_be_cancelled_at_the_announcement(qtbot, unit_ws, monkeypatch):
    ws = unit_ws
    report = ws.create_report("bc_giam_sat", "2025-07-01", "2025-09-10")
    ws.set_cell(report.id, "tthc_linh_vuc", "ho_tich", "huy", "1")
    editor = make_editor(qtbot, ws, "bc_giam_sat")
    tthc = editor.editable.table("tthc_linh_vuc")
    editor.editable.update_table("tthc_linh_vuc", tthc["title"], tthc["rows"],
                                 [c for c in tthc["columns"] if c["code"] != "huy"])
    monkeypatch.setattr(editor_module, "ask_yes_no", lambda *a, **k: False)
    assert editor.save() is None
    assert ws.template("bc_giam_sat").version == 1 and editor.isVisible()


def test_total_box_is_one_per_table_and_a_removed_column_in_a_check_is_asked(qtbot, workspace, no_modal_boxes):
    editor = make_editor(qtbot, workspace, "bc_giam_sat")
    section_with_table(editor, "to_chuc_dang")
    form = editor.edit_selected_table()
    rows = form.line_tables["rows"]
    rows.item(0, table_module.TOTAL).setCheckState(Qt.CheckState.Checked)
    assert [line["total"] for line in form.lines("rows")] == [True, False, False, False, False]
    rows.item(4, table_module.TOTAL).setCheckState(Qt.CheckState.Checked)
    columns = form.line_tables["columns"]
    columns.setCurrentCell(2, 0)  # giai_the, used by the balance check
    click(qtbot, form.line_buttons["columns"]["remove"])
    assert form.accept_table()
    kind, (title, text) = no_modal_boxes[-1][0], no_modal_boxes[-1][1][:2]
    assert kind == "ask" and "to_chuc_dang_bien_dong" in text and "xóa luôn các kiểm tra này" in text
    assert "to_chuc_dang_bien_dong" not in [c["code"] for c in editor.editable.checks]
    assert editor.tabs.tabText(1) == f"Kiểm tra số liệu ({len(editor.editable.checks)})"


# == removing ===============================================================================================
def test_remove_table_says_which_checks_use_it(qtbot, workspace, no_modal_boxes):
    editor = make_editor(qtbot, workspace, "bc_giam_sat")
    section = section_with_table(editor, "to_chuc_dang")
    checks = len(editor.editable.checks)
    click(qtbot, editor.remove_table_button)
    kind, (title, text) = no_modal_boxes[-1][0], no_modal_boxes[-1][1][:2]
    assert kind == "ask" and title == "Xóa bảng"
    assert "Xóa bảng “Tổ chức đảng trực thuộc Đảng ủy xã”" in text
    assert "to_chuc_dang_bien_dong, to_chuc_dang_theo_ho_so, giam_sat_to_chuc_trong_tong, can_tong_dang_vien" in text
    assert "to_chuc_dang" not in section.tables and editor.editable.table("to_chuc_dang") is None
    assert editor.tables_list.rowCount() == len(section.tables)
    assert editor.tabs.tabText(1) == f"Kiểm tra số liệu ({checks - 4})"
    assert te.problems(editor.editable, workspace) == []


# == general information ====================================================================================
def test_header_form_edits_name_and_header_and_saves_them(qtbot, workspace):
    editor = make_editor(qtbot, workspace, "bc_tuan")
    pane = editor.info_pane
    assert editor.tabs.tabText(2) == "Thông tin chung của mẫu"
    editor.tabs.setCurrentWidget(pane)
    assert pane.edits["signer_on_behalf"].text() == "T/M BAN THƯỜNG VỤ"
    assert pane.edits["recipients"].toPlainText().splitlines() == list(workspace.template("bc_tuan").recipients)
    # the name is the same in both places
    pane.name_edit.setText("Báo cáo tuần của Đảng ủy")
    assert editor.name_edit.text() == "Báo cáo tuần của Đảng ủy" == editor.editable.name
    editor.name_edit.setText("Báo cáo nhanh hằng tuần")
    assert pane.name_edit.text() == "Báo cáo nhanh hằng tuần"
    pane.set_text("title", "BÁO CÁO NHANH")
    pane.set_text("summary", "Tình hình tuần từ ngày {start_dm} đến ngày {end}")
    pane.set_text("doc_type", "bc")
    pane.set_text("signer_on_behalf", "T/M ĐẢNG ỦY")
    pane.set_text("recipients", "- Ban Thường vụ Huyện ủy (b/c),\n- Lưu Văn phòng.\n")
    assert editor.dirty
    saved = editor.save()
    assert saved is not None, editor.error_label.text()
    installed = workspace.template("bc_tuan")
    assert installed.version == 2 and installed.name == "Báo cáo nhanh hằng tuần"
    assert (installed.title, installed.summary, installed.doc_type, installed.signer_on_behalf) == (
        "BÁO CÁO NHANH", "Tình hình tuần từ ngày {start_dm} đến ngày {end}", "BC", "T/M ĐẢNG ỦY")
    assert installed.recipients == ("- Ban Thường vụ Huyện ủy (b/c),", "- Lưu Văn phòng.")


def test_header_form_errors_are_listed_at_save(qtbot, workspace):
    editor = make_editor(qtbot, workspace, "bc_tuan")
    editor.info_pane.set_text("closing", "Trên đây là báo cáo của {don_vi}./.")
    editor.info_pane.name_edit.clear()
    assert editor.save() is None
    text = editor.error_label.text()
    assert "Chưa có tên mẫu báo cáo." in text
    assert "Câu kết dùng chỗ trống “{don_vi}” không có" in text
    assert editor.error_scroll.isVisibleTo(editor)
    assert workspace.template("bc_tuan").version == 1
    editor.dirty = False
