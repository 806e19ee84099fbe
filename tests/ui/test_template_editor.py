"""Issue 3 GUI: the template manager, the template editor (section tree, fields, checks, save as a new
version) and the outline import, driven through real widgets offscreen."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from baocao_desktop.services import template_editing as te  # noqa: E402
from baocao_desktop.templates.dictionary import load_dictionary  # noqa: E402
from baocao_desktop.ui import template_editor as editor_module  # noqa: E402
from baocao_desktop.ui import template_fields, template_section_tables, template_sections  # noqa: E402
from baocao_desktop.ui import template_manager as manager_module  # noqa: E402
from baocao_desktop.ui.template_editor import (  # noqa: E402
    CheckDialog,
    DictionaryPickerDialog,
    NewFieldDialog,
    TemplateEditorDialog,
    import_outline,
)
from baocao_desktop.ui.template_manager import TemplateManagerDialog  # noqa: E402

OUTLINE = """ĐỀ CƯƠNG BÁO CÁO
Sơ kết 03 năm thực hiện Nghị quyết về xây dựng nông thôn mới
(Kèm theo Kế hoạch số 62-KH/TU)

Phần thứ nhất
KẾT QUẢ THỰC HIỆN
I. ĐẶC ĐIỂM TÌNH HÌNH
Khái quát đặc điểm tự nhiên, kinh tế - xã hội của địa phương.
II. KẾT QUẢ ĐẠT ĐƯỢC
1. Công tác lãnh đạo, chỉ đạo
Nêu việc ban hành văn bản, tổ chức quán triệt, tuyên truyền.
2. Kết quả thực hiện các tiêu chí
2.1. Về kinh tế
a) Tổng số hộ nghèo đầu năm, số hộ thoát nghèo trong năm.
b) Tỷ lệ lao động qua đào tạo đạt bao nhiêu %.
2.2. Về văn hóa, xã hội
- Số thôn đạt chuẩn văn hóa.
Phần thứ hai
PHƯƠNG HƯỚNG, NHIỆM VỤ
I. MỤC TIÊU
II. NHIỆM VỤ, GIẢI PHÁP
"""


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """Message boxes would block: record them instead (questions answer yes)."""
    shown = []
    # the editor's modules (ui/template_editor.py and its parts) and the manager
    for module in (editor_module, template_sections, template_fields, template_section_tables, manager_module):
        monkeypatch.setattr(module, "show_info", lambda *a, **k: shown.append(("info", a[1:])), raising=False)
        monkeypatch.setattr(module, "show_error", lambda *a, **k: shown.append(("error", a[1:])), raising=False)
        monkeypatch.setattr(module, "ask_yes_no", lambda *a, **k: shown.append(("ask", a[1:])) or True,
                            raising=False)
    return shown


def make_editor(qtbot, ws, code):
    dialog = TemplateEditorDialog(ws, te.edit_copy(ws.template(code)))
    qtbot.addWidget(dialog)
    dialog.resize(1200, 720)
    return dialog


def top_texts(dialog):
    return [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]


def child_texts(item):
    return [item.child(i).text(0) for i in range(item.childCount())]


def section_titled(dialog, title):
    return next(s for s in dialog.editable.walk() if s.title == title)


def field_rows(dialog):
    table = dialog.fields_table
    return [(table.item(r, 0).text(), table.item(r, 1).text(), table.item(r, 5).text())
            for r in range(table.rowCount())]


# == outline import =====================================================================================
def test_outline_import_opens_review_with_nesting_and_marked_suggestions(qtbot, workspace, tmp_path):
    path = tmp_path / "de_cuong.txt"
    path.write_text(OUTLINE, encoding="utf-8")
    dialog = import_outline(None, workspace, path)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.editable.is_new and not dialog.code_edit.isReadOnly()
    # Phần thứ nhất/hai at the top, I./II. under them, 1./2. under II., 2.1. under 2., a) b) under 2.1.
    assert len(top_texts(dialog)) == 2
    part_one = dialog.tree.topLevelItem(0)
    assert child_texts(part_one) == ["I. ĐẶC ĐIỂM TÌNH HÌNH", "II. KẾT QUẢ ĐẠT ĐƯỢC"]
    ket_qua = part_one.child(1)
    assert child_texts(ket_qua) == ["1. Công tác lãnh đạo, chỉ đạo", "2. Kết quả thực hiện các tiêu chí"]
    tieu_chi = ket_qua.child(1)
    assert child_texts(tieu_chi) == ["2.1. Về kinh tế", "2.2. Về văn hóa, xã hội"]
    assert [t.split(" ")[0] for t in child_texts(tieu_chi.child(0))] == ["a)", "b)"]
    assert child_texts(dialog.tree.topLevelItem(1)) == ["I. MỤC TIÊU", "II. NHIỆM VỤ, GIẢI PHÁP"]
    # the text under a heading is its guidance
    dialog.select_section(section_titled(dialog, "Công tác lãnh đạo, chỉ đạo"))
    assert "ban hành văn bản" in dialog.guidance_edit.toPlainText()
    # suggested fields: marked in the table (text and yellow background) and in the tree
    assert dialog.suggestion_label.isVisible()
    assert dialog.editable.suggested
    section = next(s for s in dialog.editable.walk() if s.indicators)
    dialog.select_section(section)
    label_item = dialog.fields_table.item(0, 0)
    assert label_item.text().endswith("[Gợi ý]")
    assert label_item.background().color().name() == editor_module.SUGGESTION_BACKGROUND.name()
    assert dialog.section_item(section).background(1).color().name() == editor_module.SUGGESTION_BACKGROUND.name()
    # reviewing one suggestion clears its mark
    dialog.fields_table.setCurrentCell(0, 0)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert not dialog.fields_table.item(0, 0).text().endswith("[Gợi ý]")

    # name + code, save → version 1 of a new template, as reviewed
    dialog.name_edit.setText("Báo cáo sơ kết nông thôn mới")  # QTest cannot type Vietnamese letters
    dialog.code_edit.clear()
    qtbot.keyClicks(dialog.code_edit, "so_ket_ntm")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_template is not None, dialog.error_label.text()
    installed = workspace.template("so_ket_ntm")
    assert (installed.version, installed.name) == (1, "Báo cáo sơ kết nông thôn mới")
    assert [s.heading for s in installed.sections] == [s.heading for s in dialog.editable.sections]
    assert {i.code for i in installed.indicators} == dialog.editable.indicator_codes()


def test_outline_docx_with_heading_styles(qtbot, workspace, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("ĐỀ CƯƠNG BÁO CÁO TỔNG KẾT CÔNG TÁC DÂN VẬN")
    document.add_heading("I. KẾT QUẢ THỰC HIỆN", level=1)
    document.add_heading("1. Công tác tuyên truyền", level=2)
    document.add_paragraph("Nêu số buổi tuyên truyền, số lượt người tham dự.")
    document.add_heading("2. Công tác xây dựng tổ chức", level=2)
    document.add_heading("II. PHƯƠNG HƯỚNG", level=1)
    path = tmp_path / "de_cuong.docx"
    document.save(str(path))
    dialog = import_outline(None, workspace, path)
    qtbot.addWidget(dialog)
    assert top_texts(dialog) == ["I. KẾT QUẢ THỰC HIỆN", "II. PHƯƠNG HƯỚNG"]
    assert child_texts(dialog.tree.topLevelItem(0)) == ["1. Công tác tuyên truyền", "2. Công tác xây dựng tổ chức"]


def test_outline_that_is_not_an_outline_gets_a_message(qtbot, workspace, tmp_path, no_modal_boxes):
    path = tmp_path / "thu.txt"
    path.write_text("Kính gửi các đồng chí.\nĐề nghị báo cáo đúng hạn.\n", encoding="utf-8")
    assert import_outline(None, workspace, path) is None
    kind, (title, message) = no_modal_boxes[-1][0], no_modal_boxes[-1][1][:2]
    assert kind == "error" and "không phải đề cương" in message


# == section tree ========================================================================================
def test_rename_move_add_indent_remove_sections_renumbers(qtbot, workspace):
    dialog = make_editor(qtbot, workspace, "bc_chuyen_de")
    tops = top_texts(dialog)
    assert [t.split(" ")[0] for t in tops] == ["I.", "II.", "III.", "IV.", "V.", "VI."][:len(tops)]
    first, second = dialog.editable.sections[0], dialog.editable.sections[1]
    # rename through the title box: the tree follows
    dialog.select_section(first)
    dialog.title_edit.setText("TÌNH HÌNH CHUNG")
    assert top_texts(dialog)[0] == "I. TÌNH HÌNH CHUNG"
    # move down: numbers recomputed, the moved section stays selected
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    assert top_texts(dialog)[:2] == [f"I. {second.title}", "II. TÌNH HÌNH CHUNG"]
    assert dialog.current_section() is first
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    assert top_texts(dialog)[0] == "I. TÌNH HÌNH CHUNG"
    # add a sibling after I., then indent it under I. as its last child
    count_before = len(first.children)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    added = dialog.current_section()
    assert top_texts(dialog)[1] == "II. Mục mới" and top_texts(dialog)[2].startswith("III. ")
    dialog.title_edit.insert("Đánh giá chung")  # the new title is selected: typing replaces it
    qtbot.mouseClick(dialog.indent_button, Qt.MouseButton.LeftButton)
    assert added in first.children and len(first.children) == count_before + 1
    assert child_texts(dialog.section_item(first))[-1] == f"{count_before + 1}. Đánh giá chung"
    # a child of a "1." is a "1.1."
    qtbot.mouseClick(dialog.add_child_button, Qt.MouseButton.LeftButton)
    grandchild = dialog.current_section()
    assert grandchild.number == f"{count_before + 1}.1."
    # outdent: back to the top level, numbered as a roman section after I.
    dialog.select_section(added)
    qtbot.mouseClick(dialog.outdent_button, Qt.MouseButton.LeftButton)
    assert top_texts(dialog)[1] == "II. Đánh giá chung"
    assert child_texts(dialog.section_item(added)) == ["1. Mục mới"]
    # remove (the question is answered yes): the rest is renumbered
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert top_texts(dialog)[1] == f"II. {second.title}"
    assert added not in list(dialog.editable.walk())


def test_depth_limit_refused_with_message(workspace):
    editable = te.edit_copy(workspace.template("bc_chuyen_de"))
    chain = [editable.sections[0]]
    for _ in range(te.MAX_DEPTH - 1):
        chain.append(editable.add_section(child_of=chain[-1]))
    n = len(editable.sections[0].children)
    assert [s.number for s in chain] == ["I.", f"{n}.", f"{n}.1.", "a)", "1)"]
    with pytest.raises(te.ServiceError, match="tối đa 5 cấp"):
        editable.add_section(child_of=chain[-1])


# == fields ==============================================================================================
def test_add_fields_from_dictionary_and_new_then_remove(qtbot, workspace):
    dialog = make_editor(qtbot, workspace, "bc_chuyen_de")
    section = dialog.editable.sections[0]
    dialog.select_section(section)
    before = field_rows(dialog)
    # the dictionary picker finds by label without accents
    picker = DictionaryPickerDialog(dialog.editable.indicator_codes())
    qtbot.addWidget(picker)
    qtbot.keyClicks(picker.search, "dien tich lua mua")
    assert picker.results.count() >= 1
    picker.accept_choice()
    assert picker.chosen.code == "lua_mua_dien_tich"
    assert dialog.add_dictionary_field(picker.chosen)
    assert ("Diện tích lúa mùa", "ha", "lua_mua_dien_tich") in field_rows(dialog)
    # a new field from the form
    form = NewFieldDialog()
    qtbot.addWidget(form)
    form.label_edit.setText("Số hộ được hỗ trợ nhà ở")
    form.unit_edit.setText("hộ")
    values = form.values()
    assert values["kind"] == "count"
    code = dialog.add_new_field(**values)
    assert code == "so_ho_duoc_ho_tro_nha_o"
    assert ("Số hộ được hỗ trợ nhà ở", "hộ", code) in field_rows(dialog)
    assert dialog.section_item(section).text(1) == str(len(before) + 2)
    # the same dictionary field twice is refused with a message
    assert not dialog.add_dictionary_field(load_dictionary()["lua_mua_dien_tich"])
    # remove the new field
    row = [r[2] for r in field_rows(dialog)].index(code)
    dialog.fields_table.setCurrentCell(row, 0)
    qtbot.mouseClick(dialog.remove_field_button, Qt.MouseButton.LeftButton)
    assert code not in [r[2] for r in field_rows(dialog)]
    assert dialog.editable.indicator(code) is None


def test_new_field_form_refuses_empty_label(qtbot):
    form = NewFieldDialog()
    qtbot.addWidget(form)
    form.try_accept()
    assert form.error_label.isVisibleTo(form) and "tên chỉ tiêu" in form.error_label.text()
    assert form.result() == 0


def test_removing_a_field_used_by_a_check_removes_the_check(qtbot, workspace):
    dialog = make_editor(qtbot, workspace, "bc_tuan")
    section = next(s for s in dialog.editable.walk() if "tthc_tiep_nhan" in s.indicators)
    dialog.select_section(section)
    row = [r[2] for r in field_rows(dialog)].index("tthc_tiep_nhan")
    dialog.fields_table.setCurrentCell(row, 0)
    assert dialog.remove_selected_field()
    assert "tthc_can_doi" not in [c["code"] for c in dialog.editable.checks]
    assert dialog.tabs.tabText(1) == f"Kiểm tra số liệu ({len(dialog.editable.checks)})"


# == checks ==============================================================================================
def test_invalid_check_refused_with_validator_message_valid_one_added(qtbot, workspace):
    dialog = make_editor(qtbot, workspace, "bc_tuan")
    count = len(dialog.editable.checks)
    check = CheckDialog(dialog.editable, dialog)
    qtbot.addWidget(check)
    check.set_kind("total_parts")
    check.param_edits["total"].setText("khong_co_chi_tieu.actual")
    check.param_edits["parts"].setText("lua_mua_dien_tich.actual, ngo_dien_tich.actual")
    assert not check.accept_check()
    assert "không có trường “khong_co_chi_tieu.actual” trong mẫu" in check.error_label.text()
    assert len(dialog.editable.checks) == count
    # a hostile expression is refused by the safe evaluator
    check.set_kind("expression")
    check.param_edits["expr"].setText("__import__('os').system('x')")
    check.param_edits["message"].setText("Sai")
    assert not check.accept_check()
    assert "Chưa thêm được kiểm tra" in check.error_label.text()
    # a valid one, with a field inserted from the list by double-click
    check.set_kind("part_le_total")
    check.param_edits["parts"].setFocus()
    check.param_edits["parts"].setText("rau_dien_tich.actual")
    check.param_edits["total"].setText("")
    check._last_edit = check.param_edits["total"]
    check.field_search.setText("lua_mua_dien_tich.actual")
    assert check.field_list.count() == 1
    check._insert_field(check.field_list.item(0))
    assert check.param_edits["total"].text() == "lua_mua_dien_tich.actual"
    assert check.accept_check()
    assert len(dialog.editable.checks) == count + 1
    dialog.refresh_checks()
    assert dialog.checks_table.rowCount() == count + 1
    assert dialog.checks_table.item(count, 1).text() == "Phần không vượt quá tổng"
    # remove it again from the table
    dialog.checks_table.setCurrentCell(count, 0)
    assert dialog.remove_selected_check()
    assert len(dialog.editable.checks) == count


# == saving ==============================================================================================
def test_save_makes_version_two_and_old_report_keeps_version_one(qtbot, demo_workspace):
    ws = demo_workspace
    report = next(r for r in ws.list_reports() if r.template_code == "bc_tuan")
    before = ws.report(report.id)
    old_source = ws.template("bc_tuan", 1).source
    assert before.template_version == 1 and before.values

    dialog = make_editor(qtbot, ws, "bc_tuan")
    assert "phiên bản 2" in dialog.version_label.text()
    first = dialog.editable.sections[0]
    dialog.select_section(first)
    dialog.title_edit.setText("LÃNH ĐẠO, CHỈ ĐẠO")
    section = next(s for s in dialog.editable.walk() if "lua_mua_dien_tich" in s.indicators)
    dialog.select_section(section)
    row = [r[2] for r in field_rows(dialog)].index("lua_mua_dien_tich")
    dialog.fields_table.setCurrentCell(row, 0)
    assert dialog.remove_selected_field()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_template is not None, dialog.error_label.text()

    new = ws.template("bc_tuan")
    assert new.version == 2
    assert new.sections[0].title == "LÃNH ĐẠO, CHỈ ĐẠO"
    assert new.indicator("lua_mua_dien_tich") is None
    # the old version and the report made with it are untouched
    assert ws.template("bc_tuan", 1).source == old_source
    after = ws.report(report.id)
    assert after.template_version == 1
    assert after.values == before.values and after.texts == before.texts and after.tables == before.tables
    assert ws.template("bc_tuan", 1).indicator("lua_mua_dien_tich") is not None
    # a new report uses version 2
    assert te.template_rows(ws)[0].version == 2


def test_save_refused_lists_every_error_and_installs_nothing(qtbot, workspace):
    dialog = make_editor(qtbot, workspace, "bc_chuyen_de")
    dialog.name_edit.clear()
    dialog.select_section(dialog.editable.sections[1])
    dialog.title_edit.clear()
    dialog.editable.sections[0].title = ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_template is None
    text = dialog.error_label.text()
    assert "Chưa có tên mẫu báo cáo." in text
    assert "Mục I. chưa có tên." in text and "Mục II. chưa có tên." in text
    assert dialog.error_scroll.isVisibleTo(dialog)
    assert workspace.template("bc_chuyen_de").version == 1


def test_new_template_code_already_used_is_refused(workspace):
    from baocao_desktop.templates.outline import outline_from_text
    editable = te.from_outline(outline_from_text(OUTLINE))
    editable.code = "bc_tuan"
    with pytest.raises(te.TemplateInvalid) as info:
        te.save_new_version(workspace, editable)
    assert any("đã dùng cho mẫu “Báo cáo tuần”" in p for p in info.value.problems)


def test_dictionary_unit_mismatch_is_reported(workspace):
    editable = te.edit_copy(workspace.template("bc_tuan"))
    editable.indicator("lua_mua_dien_tich")["unit"] = "m2"
    found = te.problems(editable, workspace)
    assert any("“lua_mua_dien_tich” có đơn vị “m2” nhưng từ điển chỉ tiêu ghi “ha”" in p for p in found)


# == manager ============================================================================================
def test_manager_lists_templates_with_report_counts_and_opens_editor(qtbot, demo_workspace):
    manager = TemplateManagerDialog(demo_workspace)
    qtbot.addWidget(manager)
    names = [manager.table.item(r, 0).text() for r in range(manager.table.rowCount())]
    assert "Báo cáo tuần" in names
    row = names.index("Báo cáo tuần")
    assert manager.table.item(row, 1).text() == "bc_tuan"
    assert manager.table.item(row, 2).text() == "1"
    assert manager.table.item(row, 3).text() == "Tuần"
    weekly = sum(1 for r in demo_workspace.list_reports() if r.template_code == "bc_tuan")
    assert manager.table.item(row, 4).text() == str(weekly)
    manager.select_code("bc_tuan")
    editor = manager.edit_selected()
    qtbot.addWidget(editor)
    assert editor.editable.code == "bc_tuan" and editor.code_edit.isReadOnly()
    editor.save()
    row = [manager.rows[r].code for r in range(len(manager.rows))].index("bc_tuan")
    assert manager.table.item(row, 2).text() == "2 (có 2 phiên bản)"
    assert manager.table.item(row, 4).text() == f"{weekly} (0 theo bản mới nhất)"


def test_manager_exports_signed_pack_and_imports_it_and_a_yaml(qtbot, workspace, tmp_path, no_modal_boxes):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", level="xã", upper_body="Đảng bộ tỉnh Lào Cai",
                        place_name="Lùng Phình", symbol="ĐU", founded_on="2025-07-01")
    manager = TemplateManagerDialog(workspace)
    qtbot.addWidget(manager)
    manager.select_code("bc_chuyen_de")
    out = manager.export_pack(tmp_path / "mau.mau.zip")
    assert out is not None and out.exists(), no_modal_boxes
    # the unit's own signed pack is accepted back (an office moving templates between its machines)
    result = manager.import_pack(out)
    assert list(result) == [("bc_chuyen_de", 1, "unchanged")], no_modal_boxes
    assert no_modal_boxes[-1][0] == "info"
    # a template saved here as .yaml installs in another database
    from baocao_desktop.services.workspace import Workspace
    from baocao_desktop.templates.outline import outline_from_text
    yaml_file = tmp_path / "so_ket.yaml"
    yaml_file.write_text(te.from_outline(outline_from_text(OUTLINE)).to_yaml(1), encoding="utf-8")
    other = Workspace(tmp_path / "khac.sqlite3", author="tester")
    try:
        other_manager = TemplateManagerDialog(other)
        qtbot.addWidget(other_manager)
        code = te.from_outline(outline_from_text(OUTLINE)).code
        assert list(other_manager.import_pack(yaml_file)) == [(code, 1, "installed")], no_modal_boxes
        assert code in [r.code for r in other_manager.rows]
        # a broken file: a Vietnamese message, nothing imported
        broken = tmp_path / "hong.mau.zip"
        broken.write_bytes(b"PK\x03\x04 not a zip")
        assert other_manager.import_pack(broken) is None
        assert no_modal_boxes[-1][0] == "error"
    finally:
        other.close()


# == from the main window's Mẫu menu ======================================================================
def test_menu_actions_open_manager_and_outline_review(qtbot, demo_workspace, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from baocao_desktop.ui.main_window import MainWindow
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    window.act_templates.trigger()
    assert window.template_manager.isVisible()
    assert "bc_tuan" in [r.code for r in window.template_manager.rows]
    outline = tmp_path / "de_cuong.txt"
    outline.write_text(OUTLINE, encoding="utf-8")
    monkeypatch.setattr(editor_module, "choose_outline_file", lambda parent: str(outline))
    opened = []
    real_open = editor_module.open_editor
    monkeypatch.setattr(editor_module, "open_editor", lambda *a, **k: opened.append(real_open(*a, **k)) or opened[-1])
    window.act_outline.trigger()
    assert opened and opened[0].editable.is_new and opened[0].isVisible()
    opened[0].dirty = False


# == the service alone ======================================================================================
@pytest.mark.parametrize("code", ["bc_tuan", "bc_giam_sat", "bc_so_ket_mot_nam", "bc_chuyen_de"])
def test_unedited_copy_of_each_shipped_template_round_trips(workspace, code):
    import yaml
    template = workspace.template(code)
    editable = te.edit_copy(template)
    assert editable.to_data(template.version) == yaml.safe_load(template.source)
    assert te.problems(editable, workspace) == []
