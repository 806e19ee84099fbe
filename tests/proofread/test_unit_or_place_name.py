from baocao_desktop.checks.proofread import ProofreadContext

from .conftest import check, codes

CAT = "unit_or_place_name"
LUNG_PHINH = ProofreadContext(unit_name="Đảng ủy xã Lùng Phình", level="xã",
                              old_units=("Lùng Phình", "Tả Van Chư", "Lùng Thẩn"),
                              villages=("Tả Chải", "Pả Chư Tỷ", "Lử Chồ"))


def test_ward_in_a_commune_report():
    text = "Ban Thường vụ Đảng uỷ xã gồm 11 đồng chí, Thường trực Đảng ủy phường gồm 03 đồng chí."
    (f,) = check(text, LUNG_PHINH, category=CAT)
    assert f.severity == "error" and "Đảng ủy phường" in f.message and "“xã”" in f.message


def test_ward_in_a_list_of_unit_kinds_or_a_named_neighbour_is_fine():
    text = ("Nghị định quy định tổ chức các cơ quan chuyên môn thuộc Ủy ban nhân dân xã, phường, đặc khu. "
            "Xã tiếp giáp phường Sa Pa, tỉnh Lào Cai. Xây dựng mô hình xã, phường xã hội chủ nghĩa.")
    assert check(text, LUNG_PHINH, category=CAT) == []


def test_the_level_is_read_from_the_header_without_context():
    text = "ĐẢNG ỦY XÃ LÙNG PHÌNH\nBÁO CÁO\nTrên địa bàn phường không xảy ra vụ việc phức tạp."
    (f,) = check(text, category=CAT)
    assert f.severity == "warning" and f.line == 3  # inferred, so a person judges


def test_own_names_misspelt_with_context():
    text = ("Xã được thành lập từ Lùng Phình, Tả Van Chư và Lùng Thẩn. Tại xã Tả Văn Chư (cũ): 05 người. "
            "Trạm Y tế xã Tả văn Chư. Xưởng chế biến tại thôn Tà Chải. Thôn Tả Chải, thôn Pả Chư Tỷ.")
    found = check(text, LUNG_PHINH, category=CAT)
    assert [f.values["written"] for f in found] == ["Tả Văn Chư", "Tả văn Chư", "Tà Chải"]
    assert all(f.code == "unit.misspelt" for f in found)


def test_own_name_inferred_from_the_text_and_its_variants():
    text = """Bình Lư, ngày 24 tháng 5 năm 2026
Ban Thường vụ Đảng ủy xã Bình Lư báo cáo kết quả thực hiện như sau:
Trung tâm Dịch vụ tổng hợp xã Bình Lưu; số hóa tại xã Bình Lu; hiệu quả ở Bình Lục.
Nhóm “Bình Lư Digital” và kênh “Bình Lư 360” của xã Bình Lư; xã Sơn Bình và bản Tân Bình."""
    found = check(text, category=CAT)
    assert [f.values["written"] for f in found] == ["Bình Lưu", "Bình Lu", "Bình Lục"]


def test_one_place_spelt_two_ways_without_context():
    text = "Hợp nhất 03 xã: Lùng Phình, Tả Van Chư và Lùng Thẩn.\nTại xã Tả Văn Chư (cũ): 05 người."
    (f,) = check(text, category=CAT)
    assert f.code == "unit.spelt_two_ways" and f.line == 2
    assert "“Tả Van Chư” (dòng 1)" in f.message and "“Tả Văn Chư” (dòng 2)" in f.message


def test_another_units_name_where_the_report_speaks_of_itself():
    text = "Ban Thường vụ Đảng ủy xã Lùng Phình báo cáo.\nBan Thường vụ Đảng ủy xã Bản Hồ kính báo cáo Tỉnh ủy."
    assert codes(check(text, LUNG_PHINH, category=CAT)) == ["unit.other_name"]
    ok = ("Đồng chí Trần Xuân Huy chuyển công tác đến UBND xã Si Ma Cai. Xã tiếp giáp xã Bắc Hà. "
          "Đảng bộ xã Lùng Thẩn (cũ) đã bàn giao hồ sơ.")
    assert check(ok, LUNG_PHINH, category=CAT) == []


def test_a_place_in_capitals_in_a_heading_is_the_same_spelling():
    text = ("ĐẢNG ỦY XÃ ĐÔN PHONG SƠ KẾT CÔNG TÁC 6 THÁNG\nĐảng ủy xã Đôn Phong tổ chức hội nghị.\n"
            "Nhân dân xã Đôn Phong tích cực lao động.")
    assert [f for f in check(text, category="unit_or_place_name") if f.code == "unit.spelt_two_ways"] == []
    (f,) = [f for f in check(text + "\nXã Đôn Phông đạt chuẩn.", category="unit_or_place_name")
            if f.code == "unit.spelt_two_ways"]
    assert "Đôn Phông" in f.message
