"""Template editor service: tables (add, edit rows/columns, remove) and the document header fields,
validated by the template parser, saved as a new version that leaves existing reports' cells alone."""
from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from baocao_desktop.services import report_migration as rm
from baocao_desktop.services import template_editing as te
from baocao_desktop.services.errors import ServiceError


def giam_sat(ws) -> te.EditableTemplate:
    return te.edit_copy(ws.template("bc_giam_sat"))


def lines(table: dict, key: str) -> list[tuple[str, str]]:
    return [(line["code"], line["label"]) for line in table[key]]


@pytest.fixture
def unit_ws(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Lùng Phình",
                        symbol="ĐU", founded_on="2025-07-01")
    return workspace


# == adding a table =====================================================================================
def test_add_table_makes_codes_from_labels_and_the_parser_accepts_it(workspace):
    editable = giam_sat(workspace)
    section = editable.sections[0]
    code = editable.add_table(section, "Hộ nghèo theo thôn",
                              ["Thôn Pả Chư Tỷ", "Thôn Lùng Phình", {"label": "Tổng số", "total": True}],
                              [{"label": "Số hộ", "unit": "hộ"}, {"label": "Số khẩu", "unit": "người"}])
    assert code == "ho_ngheo_theo_thon"
    assert section.tables[-1] == code
    table = editable.table(code)
    assert lines(table, "rows") == [("thon_pa_chu_ty", "Thôn Pả Chư Tỷ"), ("thon_lung_phinh", "Thôn Lùng Phình"),
                                    ("tong_so", "Tổng số")]
    assert table["total_row"] == "tong_so" and "total_column" not in table
    assert table["columns"][0] == {"code": "so_ho", "label": "Số hộ", "unit": "hộ"}
    built = editable.build()
    parsed = built.table(code)
    assert [r.code for r in parsed.rows] == ["thon_pa_chu_ty", "thon_lung_phinh", "tong_so"]
    assert parsed.total_row == "tong_so" and parsed.column("so_khau").unit == "người"
    assert built.section_of_table(code).path == built.sections[0].path
    assert ("ho_ngheo_theo_thon.tong_so.so_ho", "Hộ nghèo theo thôn: Tổng số – Số hộ") in editable.field_choices()
    assert te.problems(editable, workspace) == []
    # the same title again: another code, never a clash with the first table
    again = editable.add_table(editable.sections[1], "Hộ nghèo theo thôn", ["Thôn A"], ["Số hộ"])
    assert again == "ho_ngheo_theo_thon_2"


def test_table_code_never_takes_an_indicator_code(workspace):
    editable = giam_sat(workspace)
    code = editable.add_table(editable.sections[0], "Dân số", ["Nam", "Nữ"], ["Số người"])
    assert code == "dan_so_2"  # dan_so is an indicator of this template (and of the shared dictionary)


def test_bad_new_table_is_refused_with_every_problem_and_nothing_added(workspace):
    editable = giam_sat(workspace)
    section = editable.sections[0]
    before = (len(editable.tables), list(section.tables))
    with pytest.raises(ServiceError) as info:
        editable.add_table(section, "  ", [], ["Số hộ", "số hộ"])
    text = str(info.value)
    assert "Bảng (chưa có tên): hãy đặt tên bảng." in text
    assert "chưa có dòng nào: hãy thêm ít nhất một dòng." in text
    assert "có hai cột cùng tên “Số hộ”" in text
    assert (len(editable.tables), list(section.tables)) == before


# == editing a table ====================================================================================
def test_edit_table_renames_adds_removes_and_reorders_keeping_codes(workspace):
    editable = giam_sat(workspace)
    table = editable.table("to_chuc_dang")
    rows = [dict(r) for r in table["rows"]]  # dang_bo_co_so, chi_bo_co_so, chi_bo_thon, chi_bo_co_quan, tong
    rows[0]["label"] = "Đảng bộ cơ sở trực thuộc"  # renamed: same code
    new_rows = [rows[1], rows[0], rows[3], {"label": "Chi bộ quân sự"}, {"label": "Tổng", "total": True}]
    columns = [dict(c) for c in table["columns"]] + [{"label": "Ghi chú số", "unit": "tổ chức"}]
    removed = editable.update_table("to_chuc_dang", "Tổ chức đảng trực thuộc", new_rows, columns)
    # the checks that read the removed total row "tong"
    assert removed == ["to_chuc_dang_theo_ho_so", "giam_sat_to_chuc_trong_tong", "can_tong_dang_vien"]
    table = editable.table("to_chuc_dang")
    assert lines(table, "rows") == [
        ("chi_bo_co_so", "Chi bộ cơ sở"), ("dang_bo_co_so", "Đảng bộ cơ sở trực thuộc"),
        ("chi_bo_co_quan", "Chi bộ cơ quan, trường học, đơn vị, lực lượng vũ trang"),
        ("chi_bo_quan_su", "Chi bộ quân sự"),
        ("tong_2", "Tổng"),  # "tong" belonged to the removed total row: never given to another row
    ]
    assert table["total_row"] == "tong_2"
    assert [c["code"] for c in table["columns"]] == ["dau_ky", "thanh_lap", "giai_the", "hien_nay", "ghi_chu_so"]
    assert table["title"] == "Tổ chức đảng trực thuộc"
    assert te.problems(editable, workspace) == []
    assert editable.build().table("to_chuc_dang").total_row == "tong_2"


def test_removing_a_column_a_check_uses_is_previewed_then_removes_the_check(workspace):
    editable = giam_sat(workspace)
    table = editable.table("to_chuc_dang")
    columns = [c for c in table["columns"] if c["code"] != "giai_the"]
    checks_before = [c["code"] for c in editable.checks]
    preview, broken = editable.preview_table("to_chuc_dang", table["title"], table["rows"], columns)
    assert broken == ["to_chuc_dang_bien_dong"]  # table_balance: minus: [giai_the]
    assert [c["code"] for c in preview["columns"]] == ["dau_ky", "thanh_lap", "hien_nay"]
    assert [c["code"] for c in editable.checks] == checks_before  # the preview changes nothing
    assert editable.update_table("to_chuc_dang", table["title"], table["rows"], columns) == ["to_chuc_dang_bien_dong"]
    assert "to_chuc_dang_bien_dong" not in [c["code"] for c in editable.checks]
    assert te.problems(editable, workspace) == []


def test_edit_refused_when_the_table_would_be_invalid(workspace):
    editable = giam_sat(workspace)
    original = yaml.safe_dump(editable.table("can_bo_ubnd"), allow_unicode=True)
    with pytest.raises(ServiceError) as info:
        editable.update_table("can_bo_ubnd", "Cán bộ", [], [{"code": "so_nguoi", "label": ""}])
    text = str(info.value)
    assert "Bảng “Cán bộ” chưa có dòng nào" in text and "cột thứ 1 chưa có tên" in text
    assert yaml.safe_dump(editable.table("can_bo_ubnd"), allow_unicode=True) == original


# == removing a table ===================================================================================
def test_remove_table_removes_it_with_the_checks_that_use_it(workspace):
    editable = giam_sat(workspace)
    section = editable.section_of_table("to_chuc_dang")
    using = [c["code"] for c in editable.checks_using(["to_chuc_dang"])]
    assert using == ["to_chuc_dang_bien_dong", "to_chuc_dang_theo_ho_so", "giam_sat_to_chuc_trong_tong",
                     "can_tong_dang_vien"]
    assert editable.remove_table(section, "to_chuc_dang") == using
    assert editable.table("to_chuc_dang") is None and "to_chuc_dang" not in section.tables
    assert not editable.checks_using(["to_chuc_dang"])
    assert te.problems(editable, workspace) == []
    assert editable.build().table("to_chuc_dang") is None


# == validation =========================================================================================
def test_a_broken_table_gives_the_list_of_vietnamese_problems_not_a_traceback(workspace):
    editable = giam_sat(workspace)
    tables = {t["code"]: t for t in editable.tables}
    tables["to_chuc_dang"]["rows"] = []
    tables["can_bo_ubnd"]["rows"].append({"code": "van_phong", "label": "Văn phòng khác"})
    tables["thoi_viec_xa_cu"]["total_row"] = "khong_co"
    tables["van_ban_tham_muu"]["columns"][0]["code"] = "Số văn bản"
    found = te.problems(editable, workspace)
    assert "Bảng “Tổ chức đảng trực thuộc Đảng ủy xã” chưa có dòng nào: hãy thêm ít nhất một dòng." in found
    assert "Bảng “Cán bộ, công chức UBND xã theo cơ quan, đơn vị”: mã dòng bị trùng: van_phong." in found
    assert any("dòng tổng “khong_co” không phải một dòng của bảng" in p for p in found)
    assert any("mã cột “Số văn bản” chỉ gồm chữ thường không dấu" in p for p in found)
    with pytest.raises(te.TemplateInvalid) as info:
        te.save_new_version(workspace, editable)
    assert info.value.problems == found
    assert workspace.template("bc_giam_sat").version == 1


# == header ==============================================================================================
def test_header_fields_round_trip_through_yaml_build_and_save(workspace):
    editable = te.edit_copy(workspace.template("bc_tuan"))
    editable.name = "Báo cáo tuần (mới)"
    editable.set_header("title", "BÁO CÁO NHANH")
    editable.set_header("summary", "Tình hình từ ngày {start_dm} đến ngày {end}")
    editable.set_header("closing", "Trên đây là báo cáo nhanh của {unit_name}./.")
    editable.set_header("doc_type", "bc")
    editable.set_header("signer_on_behalf", "T/M ĐẢNG ỦY")
    editable.set_header("recipients", "- Ban Thường vụ Huyện ủy (b/c),\n\n  - Lưu Văn phòng.  \n")
    assert editable.header_text("recipients") == "- Ban Thường vụ Huyện ủy (b/c),\n- Lưu Văn phòng."
    data = yaml.safe_load(editable.to_yaml(2))
    assert data["name"] == "Báo cáo tuần (mới)" and data["title"] == "BÁO CÁO NHANH"
    assert data["doc_type"] == "BC" and data["recipients"] == ["- Ban Thường vụ Huyện ủy (b/c),", "- Lưu Văn phòng."]
    built = editable.build(2)
    assert (built.title, built.summary, built.closing, built.doc_type, built.signer_on_behalf) == (
        "BÁO CÁO NHANH", "Tình hình từ ngày {start_dm} đến ngày {end}", "Trên đây là báo cáo nhanh của {unit_name}./.",
        "BC", "T/M ĐẢNG ỦY")
    assert built.recipients == ("- Ban Thường vụ Huyện ủy (b/c),", "- Lưu Văn phòng.")
    saved = te.save_new_version(workspace, editable)
    assert workspace.template("bc_tuan").version == 2 == saved.version
    assert workspace.template("bc_tuan").recipients == built.recipients
    again = te.edit_copy(workspace.template("bc_tuan"))
    assert again.header_text("signer_on_behalf") == "T/M ĐẢNG ỦY" and again.name == "Báo cáo tuần (mới)"
    # an emptied box: the key goes, the document uses the usual default
    again.set_header("title", "  ")
    again.set_header("recipients", "")
    assert "title" not in again.to_data() and "recipients" not in again.to_data()
    assert again.build().title == te.HEADER_DEFAULTS["title"] and again.build().recipients == ()


def test_header_problems_are_vietnamese(workspace):
    editable = te.edit_copy(workspace.template("bc_tuan"))
    editable.set_header("summary", "Từ ngày {ngay_dau} đến ngày {end}")
    editable.set_header("closing", "Kính báo cáo {unit_name./.")
    editable.set_header("doc_type", "B/C 1")
    found = te.problems(editable, workspace)
    assert any(p.startswith("Trích yếu dùng chỗ trống “{ngay_dau}” không có: chỉ dùng được {start}") for p in found)
    assert any(p.startswith("Câu kết có dấu ngoặc nhọn { } không khớp") for p in found)
    assert any(p.startswith("Loại văn bản “B/C 1” phải là chữ viết tắt in hoa") for p in found)
    with pytest.raises(ServiceError):
        editable.set_header("author", "x")


# == saving with reports ==================================================================================
def test_new_version_leaves_reports_on_the_old_one_with_their_cells(unit_ws):
    ws = unit_ws
    report = ws.create_report("bc_giam_sat", "2025-07-01", "2025-09-10")
    for row, column, value in (("dang_bo_co_so", "dau_ky", "2"), ("chi_bo_thon", "hien_nay", "20"),
                               ("tong", "hien_nay", "31")):
        ws.set_cell(report.id, "to_chuc_dang", row, column, value)
    ws.set_cell(report.id, "tthc_linh_vuc", "ho_tich", "huy", "3")
    ws.set_cell(report.id, "can_bo_ubnd", "van_phong", "so_nguoi", "12")
    before = ws.report(report.id)

    editable = giam_sat(ws)
    table = editable.table("to_chuc_dang")
    rows = [dict(r) for r in table["rows"] if r["code"] != "chi_bo_thon"]
    rows[0]["label"] = "Đảng bộ cơ sở trực thuộc"
    editable.update_table("to_chuc_dang", table["title"], rows + [{"label": "Chi bộ mới thành lập"}],
                          table["columns"])
    tthc = editable.table("tthc_linh_vuc")
    editable.update_table("tthc_linh_vuc", tthc["title"], tthc["rows"], [c for c in tthc["columns"]
                                                                           if c["code"] != "huy"])
    editable.remove_table(editable.section_of_table("can_bo_ubnd"), "can_bo_ubnd")
    editable.remove_table(editable.section_of_table("thoi_viec_xa_cu"), "thoi_viec_xa_cu")  # no figures in it
    assert te.removed_filled_lines(ws, editable) == [
        "Bảng “Tổ chức đảng trực thuộc Đảng ủy xã”: dòng “Chi bộ thôn, bản” bị xóa, 1 báo cáo đã nhập số vào "
        "dòng này.",
        "Bảng “Cán bộ, công chức UBND xã theo cơ quan, đơn vị” bị xóa: 1 báo cáo đã nhập số liệu vào bảng này.",
        "Bảng “Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính theo lĩnh vực”: cột “Hủy” bị xóa, 1 báo "
        "cáo đã nhập số vào cột này.",
    ]
    saved = te.save_new_version(ws, editable)
    assert saved.version == 2 and ws.template("bc_giam_sat").version == 2
    assert saved.table("to_chuc_dang").row("dang_bo_co_so").label == "Đảng bộ cơ sở trực thuộc"

    after = ws.report(report.id)
    assert after.template_version == 1 and after.tables == before.tables
    assert after.tables["to_chuc_dang"]["chi_bo_thon"]["hien_nay"] == Decimal("20")
    # the report can still be edited on version 1, including the row version 2 removed
    ws.set_cell(report.id, "to_chuc_dang", "chi_bo_thon", "hien_nay", "21")
    # moved to version 2: cells whose row and column codes remain keep their figures
    plan = rm.migration_plan(ws, report.id)
    assert plan.tables["to_chuc_dang"]["dang_bo_co_so"]["dau_ky"] == Decimal("2")
    assert plan.tables["to_chuc_dang"]["tong"]["hien_nay"] == Decimal("31")
    unplaced = {item.key for item in plan.items if item.status == rm.UNPLACED}
    assert unplaced == {"to_chuc_dang.chi_bo_thon.hien_nay", "tthc_linh_vuc.ho_tich.huy",
                        "can_bo_ubnd.van_phong.so_nguoi"}
    # an edit of version 2 has nothing more to announce about version 1's rows
    assert te.removed_filled_lines(ws, giam_sat(ws)) == []


def test_new_template_or_untouched_tables_announce_nothing(unit_ws):
    ws = unit_ws
    report = ws.create_report("bc_giam_sat", "2025-07-01", "2025-09-10")
    ws.set_cell(report.id, "to_chuc_dang", "tong", "hien_nay", "31")
    editable = giam_sat(ws)
    table = editable.table("to_chuc_dang")
    editable.update_table("to_chuc_dang", "Tên khác", [dict(r, label=r["label"] + " (sửa)") for r in table["rows"]],
                          table["columns"])
    assert te.removed_filled_lines(ws, editable) == []


def test_removing_a_field_that_reports_filled_is_announced_too(unit_ws):
    ws = unit_ws
    report = ws.create_report("bc_giam_sat", "2025-07-01", "2025-09-10")
    ws.set_value(report.id, "tong_dang_vien", "actual", "730")
    editable = giam_sat(ws)
    filled_label = editable.indicator("tong_dang_vien")["label"]
    empty = next(i["code"] for i in editable.indicators
                 if i["code"] not in ws.report(report.id).values and i["code"] != "tong_dang_vien")
    for code in ("tong_dang_vien", empty):
        editable.remove_field(next(s for s in editable.walk() if code in s.indicators), code)
    assert te.removed_filled_lines(ws, editable) == [
        f"Chỉ tiêu “{filled_label}” bị xóa: 1 báo cáo đã nhập số liệu cho chỉ tiêu này."]
    te.save_new_version(ws, editable)
    assert ws.report(report.id).values["tong_dang_vien"]["actual"] == Decimal("730")  # kept on version 1
