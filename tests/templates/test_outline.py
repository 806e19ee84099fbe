"""Template from an outline (đề cương): the heading tree, guidance placement and suggested indicators,
on outlines written in several styles (tests/templates/outlines/*.txt and .docx built here)."""
from pathlib import Path

import docx
import pytest

from baocao_desktop.templates.model import parse_template
from baocao_desktop.templates.outline import (OutlineError, outline_from_file, outline_from_text, slugify,
                                              suggest_indicators)

OUTLINES = Path(__file__).parent / "outlines"


def tree(sections):
    return [(s.number, s.title, tree(s.children)) if s.children else (s.number, s.title) for s in sections]


def find(outline, title):
    return next(s for s in outline.walk() if s.title == title)


def indicators(section):
    return [(i.label, i.unit, i.kind) for i in section.indicators]


def load(name):
    outline = outline_from_file(OUTLINES / name)
    template = parse_template(outline.to_yaml(), origin=name)  # the YAML always round-trips
    return outline, template


# == text outlines ================================================================================
def test_party_style_roman_arabic_letters_and_bullets():
    outline, template = load("party_style.txt")
    assert outline.name == "Báo cáo sơ kết 05 năm thực hiện Nghị quyết số 26-NQ/TW về công tác cán bộ"
    assert tree(outline.sections) == [
        ("I.", "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", [
            ("1.", "Công tác quán triệt, tuyên truyền"),
            ("2.", "Công tác cụ thể hóa, ban hành văn bản")]),
        ("II.", "KẾT QUẢ THỰC HIỆN", [
            ("1.", "Kết quả thực hiện các mục tiêu, chỉ tiêu", [
                ("1.1.", "Về kinh tế", [("a)", "Sản xuất nông nghiệp"), ("b)", "Thu ngân sách")]),
                ("1.2.", "Về văn hóa - xã hội")]),
            ("2.", "Công tác xây dựng Đảng", [
                ("-", "Công tác phát triển đảng viên"), ("-", "Công tác kiểm tra, giám sát")])]),
        ("III.", "HẠN CHẾ, NGUYÊN NHÂN", [("1.", "Hạn chế"), ("2.", "Nguyên nhân")]),
        ("IV.", "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"),
        ("V.", "ĐỀ XUẤT, KIẾN NGHỊ"),
    ]
    # bulleted list items ending with ";" and "." stay guidance of their heading
    assert find(outline, "Công tác cụ thể hóa, ban hành văn bản").guidance == (
        "- Việc ban hành nghị quyết, kế hoạch, chương trình hành động;\n- Việc kiểm tra, giám sát.")
    assert find(outline, "Công tác cụ thể hóa, ban hành văn bản").children == []
    # text after "- heading:" is that bullet's guidance
    assert find(outline, "Công tác phát triển đảng viên").guidance == (
        "Tổng số đảng viên mới kết nạp (…… đảng viên).")
    assert indicators(find(outline, "Sản xuất nông nghiệp")) == [
        ("Diện tích gieo trồng", "ha", "area"), ("Sản lượng lương thực", "tấn", "weight"),
        ("Tổng đàn gia súc", "con", "count")]
    budget = find(outline, "Thu ngân sách").indicators
    assert [(i.label, i.unit, i.kind, i.plan) for i in budget] == [("Thu ngân sách", "triệu đồng", "money", True)]
    assert indicators(find(outline, "Về văn hóa - xã hội")) == [
        ("Tỷ lệ hộ nghèo", "%", "percent"), ("Số người được giải quyết việc làm", "người", "count")]
    # the dictionary's stable code is reused when a label matches it
    assert [i.code for i in find(outline, "Sản xuất nông nghiệp").indicators] == [
        "dien_tich_gieo_trong", "san_luong_luong_thuc", "tong_dan_gia_suc"]
    # in the template, bullet headings fold into their numbered parent, with their fields
    party = template.section("II.2")
    assert party.title == "Công tác xây dựng Đảng" and party.children == ()
    assert party.guidance == ("- Công tác phát triển đảng viên: tổng số đảng viên mới kết nạp (…… đảng viên).\n"
                              "- Công tác kiểm tra, giám sát")
    assert party.indicators == ("tong_so_dang_vien_moi_ket_nap",)
    assert template.indicator("tong_so_dang_vien_moi_ket_nap").unit == "đảng viên"
    assert template.section("II.1.1.b").indicators == ("thu_ngan_sach",)
    assert template.period == "custom" and template.version == 1


def test_state_style_parts_and_chapters():
    outline, template = load("state_style.txt")
    assert outline.name == "Báo cáo tổng kết công tác cải cách hành chính năm 2026"
    assert tree(outline.sections) == [
        ("Phần I", "KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", [
            ("Chương 1", "Công tác chỉ đạo, điều hành", [
                ("1.", "Kế hoạch cải cách hành chính năm 2026"),
                ("2.", "Công tác kiểm tra, tuyên truyền")]),
            ("Chương 2", "Kết quả trên các lĩnh vực", [
                ("1.", "Cải cách thể chế"),
                ("2.", "Cải cách thủ tục hành chính", [
                    ("a)", "Kết quả giải quyết hồ sơ"), ("b)", "Dịch vụ công trực tuyến")])])]),
        ("Phần II", "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027", [("1.", "Mục tiêu"), ("2.", "Nhiệm vụ, giải pháp")]),
        ("Phần III", "KIẾN NGHỊ, ĐỀ XUẤT"),
    ]
    # "Nơi nhận:" ends the outline: its list is not guidance
    assert find(outline, "KIẾN NGHỊ, ĐỀ XUẤT").guidance == ""
    files = find(outline, "Kết quả giải quyết hồ sơ")
    assert files.guidance == ("Tổng số hồ sơ tiếp nhận, số hồ sơ giải quyết đúng hạn, tỷ lệ hồ sơ giải quyết "
                              "đúng hạn.")
    assert sorted(indicators(files)) == [("Số hồ sơ giải quyết đúng hạn", "hồ sơ", "count"),
                                         ("Tổng số hồ sơ tiếp nhận", "hồ sơ", "count"),
                                         ("Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "percent")]
    assert indicators(find(outline, "Công tác kiểm tra, tuyên truyền")) == [
        ("Số cuộc kiểm tra đã thực hiện", "cuộc", "count"),
        ("Số lượt người được tuyên truyền", "lượt người", "count")]
    assert template.section("Phần I.Chương 2.2.a").title == "Kết quả giải quyết hồ sơ"


def test_outline_whose_top_level_is_arabic():
    outline, template = load("top_level_arabic.txt")
    assert outline.name == "Báo cáo kết quả thực hiện chương trình giảm nghèo bền vững"
    assert tree(outline.sections) == [
        ("1.", "Tình hình chung"),
        ("2.", "Kết quả thực hiện", [
            ("2.1.", "Công tác chỉ đạo, điều hành"),
            ("2.2.", "Kết quả giải ngân"),
            ("2.3.", "Kết quả giảm nghèo", [("a)", "Hộ nghèo"), ("b)", "Hộ cận nghèo")])]),
        ("3.", "Khó khăn, vướng mắc"),
        ("4.", "Đề xuất, kiến nghị"),
    ]
    assert [s.path for s in template.walk()] == ["1", "2", "2.1", "2.2", "2.3", "2.3.a", "2.3.b", "3", "4"]
    assert [s.level for s in template.walk()][:6] == [1, 1, 2, 2, 2, 3]
    poor = find(outline, "Hộ nghèo")
    assert poor.guidance == "Số hộ nghèo đầu kỳ, cuối kỳ; tỷ lệ hộ nghèo giảm bao nhiêu % so với cùng kỳ."
    assert ("Tỷ lệ hộ nghèo", "%", "percent") in indicators(poor)
    money = {i.label: i for i in find(outline, "Kết quả giải ngân").indicators}
    assert money["Số vốn đã giải ngân"].unit == "triệu đồng" and money["Số vốn đã giải ngân"].kind == "money"
    assert money["Tỷ lệ giải ngân"].kind == "percent"


def test_three_levels_letters_above_romans():
    outline, _ = load("three_levels.txt")
    assert tree(outline.sections) == [
        ("A.", "ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2020 - 2025", [
            ("I.", "KẾT QUẢ ĐẠT ĐƯỢC", [
                ("1.", "Về phát triển kinh tế"), ("2.", "Về văn hóa - xã hội"), ("3.", "Về quốc phòng, an ninh")]),
            ("II.", "HẠN CHẾ, YẾU KÉM VÀ NGUYÊN NHÂN", [("1.", "Hạn chế, yếu kém"), ("2.", "Nguyên nhân")]),
            ("III.", "BÀI HỌC KINH NGHIỆM")]),
        ("B.", "PHƯƠNG HƯỚNG, MỤC TIÊU, NHIỆM VỤ NHIỆM KỲ 2025 - 2030", [
            ("I.", "MỤC TIÊU TỔNG QUÁT"), ("II.", "CÁC CHỈ TIÊU CHỦ YẾU"), ("III.", "NHIỆM VỤ, GIẢI PHÁP")]),
    ]
    economy = find(outline, "Về phát triển kinh tế")
    assert indicators(economy) == [("Tốc độ tăng trưởng bình quân", "%", "percent"),
                                   ("Thu nhập bình quân đầu người", "triệu đồng", "money")]
    targets = find(outline, "CÁC CHỈ TIÊU CHỦ YẾU")
    assert indicators(targets) == [("Tỷ lệ hộ nghèo", "%", "percent"), ("Tỷ lệ che phủ rừng", "%", "percent"),
                                   ("Số đảng viên kết nạp mới", "đảng viên", "count")]
    # "Tỷ lệ hộ nghèo" asked twice in one outline: two fields, two distinct codes
    codes = [i.code for s in outline.walk() for i in s.indicators]
    assert len(codes) == len(set(codes))


def test_numbered_list_items_inside_prose_are_not_sections():
    outline, template = load("list_items_in_prose.txt")
    assert tree(outline.sections) == [
        ("I.", "TÌNH HÌNH TRIỂN KHAI", [("1.", "Công tác quán triệt"), ("2.", "Xây dựng kế hoạch thực hiện")]),
        ("II.", "KẾT QUẢ THỰC HIỆN", [("1.", "Kết quả nổi bật"), ("2.", "Hạn chế")]),
        ("III.", "NHIỆM VỤ THỜI GIAN TỚI"),
    ]
    assert find(outline, "Công tác quán triệt").guidance == (
        "Báo cáo cần làm rõ các nội dung sau:\n1. Số hội nghị đã tổ chức;\n2. Số cán bộ, đảng viên tham gia;\n"
        "3. Những cách làm hay.")
    assert find(outline, "Xây dựng kế hoạch thực hiện").guidance.splitlines() == [
        "Kế hoạch phải bảo đảm các yêu cầu sau, trong đó lưu ý:",
        "a) đúng thời gian quy định;",
        "b) có phân công trách nhiệm rõ ràng.",
        "- Kế hoạch do Ban Thường vụ ban hành, gửi các chi bộ trước ngày 15/7/2026;",
        "- Các chi bộ xây dựng kế hoạch của mình."]
    assert find(outline, "Kết quả nổi bật").guidance.startswith("Nêu những kết quả chính, gồm:\n1) Việc học tập")
    assert indicators(find(outline, "Công tác quán triệt")) == [
        ("Số hội nghị đã tổ chức", "hội nghị", "count"), ("Số cán bộ, đảng viên tham gia", "người", "count")]
    assert len(list(template.walk())) == 7


def test_vietnamese_letter_sequence_with_d_stroke_and_e():
    outline, template = load("vietnamese_letters.txt")
    letters = [s.number for s in outline.sections[0].children]
    assert letters == ["a)", "b)", "c)", "d)", "đ)", "e)", "g)"]
    assert tree(outline.sections)[1] == ("II.", "TỒN TẠI, HẠN CHẾ")
    assert [s.path for s in template.section("I").children] == ["I.a", "I.b", "I.c", "I.d", "I.đ", "I.e", "I.g"]
    assert indicators(find(outline, "Nông nghiệp")) == [("Diện tích gieo trồng", "ha", "area"),
                                                       ("Sản lượng lương thực", "tấn", "weight")]
    forest = find(outline, "Lâm nghiệp").indicators
    assert [(i.label, i.unit, i.plan) for i in forest] == [("Diện tích trồng rừng mới", "ha", True)]
    assert indicators(find(outline, "Thu, chi ngân sách")) == [
        ("Tổng thu ngân sách trên địa bàn", "triệu đồng", "money"), ("Chi ngân sách địa phương", "triệu đồng", "money")]


def test_pasted_text_variants_part_ordinals_roman_dash_and_slash_numbers():
    text = """ĐỀ CƯƠNG
báo cáo tổng kết 10 năm thực hiện Chỉ thị số 05-CT/TW
(Kèm theo Kế hoạch số 85-KH/TU ngày 22/5/2026)
-----
PHẦN THỨ NHẤT
KẾT QUẢ 10 NĂM THỰC HIỆN CHỈ THỊ
I- CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO
1/ Việc quán triệt, triển khai thực hiện Chỉ thị (số hội nghị, số lượt cán bộ, đảng viên tham gia)
2/ Việc cụ thể hóa thành các chương trình, kế hoạch
II- KẾT QUẢ THỰC HIỆN
1/ Về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh
* Đối với cán bộ, đảng viên:
+ Việc xây dựng kế hoạch làm theo của cá nhân;
+ Việc nêu gương của người đứng đầu.
* Đối với nhân dân
PHẦN THỨ HAI
PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI
I- MỤC TIÊU
II- NHIỆM VỤ, GIẢI PHÁP
Ghi chú: Báo cáo gửi về Ban Tuyên giáo Tỉnh ủy trước ngày 15/6/2026.
"""
    outline = outline_from_text(text)
    assert outline.name == "Báo cáo tổng kết 10 năm thực hiện Chỉ thị số 05-CT/TW"
    assert tree(outline.sections) == [
        ("PHẦN THỨ NHẤT", "KẾT QUẢ 10 NĂM THỰC HIỆN CHỈ THỊ", [
            ("I-", "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", [
                ("1/", "Việc quán triệt, triển khai thực hiện Chỉ thị"),
                ("2/", "Việc cụ thể hóa thành các chương trình, kế hoạch")]),
            ("II-", "KẾT QUẢ THỰC HIỆN", [
                ("1/", "Về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", [
                    ("*", "Đối với cán bộ, đảng viên"), ("*", "Đối với nhân dân")])])]),
        ("PHẦN THỨ HAI", "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", [
            ("I-", "MỤC TIÊU"), ("II-", "NHIỆM VỤ, GIẢI PHÁP")]),
    ]
    # a parenthesis on the heading line is guidance; the closing note belongs to the whole outline
    study = find(outline, "Việc quán triệt, triển khai thực hiện Chỉ thị")
    assert study.guidance == "Số hội nghị, số lượt cán bộ, đảng viên tham gia"
    assert [i.label for i in study.indicators] == ["Số hội nghị", "Số lượt cán bộ, đảng viên tham gia"]
    assert find(outline, "NHIỆM VỤ, GIẢI PHÁP").guidance == ""
    assert "Ghi chú" in outline.intro
    assert find(outline, "Đối với cán bộ, đảng viên").guidance == (
        "+ Việc xây dựng kế hoạch làm theo của cá nhân;\n+ Việc nêu gương của người đứng đầu.")
    template = outline.template()
    # "I-" and "1/" print in the official style in the template
    assert [(s.number, s.path) for s in template.section("PHẦN THỨ NHẤT").children] == [
        ("I.", "PHẦN THỨ NHẤT.I"), ("II.", "PHẦN THỨ NHẤT.II")]
    assert template.section("PHẦN THỨ NHẤT.II.1").guidance.startswith("* Đối với cán bộ, đảng viên")


def test_fill_in_blanks_and_questions_become_fields_not_sections():
    text = """Đề cương báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW
1. Đánh giá thực trạng
- Thực trạng hạ tầng số của địa phương
- Đã có bao nhiêu thôn có sóng 4G? Tỷ lệ hộ gia đình có kết nối Internet cáp quang?
- Nguồn nhân lực công nghệ thông tin
2. Kết quả triển khai
2.1 Phát triển chính quyền số
- Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng: ……%
- Số dịch vụ công trực tuyến toàn trình: …… dịch vụ
2.2 Phát triển kinh tế số
3. Khó khăn, vướng mắc, đề xuất
"""
    outline = outline_from_text(text)
    assert tree(outline.sections) == [
        ("1.", "Đánh giá thực trạng", [("-", "Thực trạng hạ tầng số của địa phương"),
                                      ("-", "Nguồn nhân lực công nghệ thông tin")]),
        ("2.", "Kết quả triển khai", [("2.1", "Phát triển chính quyền số"), ("2.2", "Phát triển kinh tế số")]),
        ("3.", "Khó khăn, vướng mắc, đề xuất"),
    ]
    assert indicators(find(outline, "Phát triển chính quyền số")) == [
        ("Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng", "%", "percent"),
        ("Số dịch vụ công trực tuyến toàn trình", "dịch vụ", "count")]
    assert indicators(find(outline, "Thực trạng hạ tầng số của địa phương")) == [
        ("Số thôn có sóng 4G", "thôn", "count"),
        ("Tỷ lệ hộ gia đình có kết nối Internet cáp quang", "%", "percent")]
    template = outline.template(code="nq57", name="Báo cáo Nghị quyết 57")
    assert template.code == "nq57" and template.name == "Báo cáo Nghị quyết 57"
    assert template.section("1").indicators == ("so_thon_co_song_4g", "ty_le_ho_gia_dinh_co_ket_noi_internet_cap_quang")


def test_outline_attached_to_a_plan_and_roman_arabic_numbers():
    """The whole plan was pasted: parsing starts at the "ĐỀ CƯƠNG" title, not at the plan's own I., II."""
    text = """TỈNH ỦY SƠN LA
KẾ HOẠCH
Tổng kết 20 năm thực hiện Nghị quyết số 26-NQ/TW
I. MỤC ĐÍCH, YÊU CẦU
1. Đánh giá toàn diện kết quả thực hiện.
II. TỔ CHỨC THỰC HIỆN
Đề cương báo cáo kèm theo Kế hoạch này.
ĐỀ CƯƠNG
báo cáo tổng kết 20 năm thực hiện Nghị quyết số 26-NQ/TW
I. TÌNH HÌNH
I.1. Đặc điểm chung
I.2. Thuận lợi, khó khăn
II. KẾT QUẢ THỰC HIỆN
II.1. Công tác lãnh đạo
1. Địa phương đã ban hành bao nhiêu văn bản chỉ đạo?
2. Có bao nhiêu cán bộ được đào tạo?
II.2. Kết quả thực hiện các mục tiêu
III. KIẾN NGHỊ
"""
    outline = outline_from_text(text)
    assert outline.name == "Báo cáo tổng kết 20 năm thực hiện Nghị quyết số 26-NQ/TW"
    assert tree(outline.sections) == [
        ("I.", "TÌNH HÌNH", [("I.1.", "Đặc điểm chung"), ("I.2.", "Thuận lợi, khó khăn")]),
        ("II.", "KẾT QUẢ THỰC HIỆN", [
            ("II.1.", "Công tác lãnh đạo", [
                ("1.", "Địa phương đã ban hành bao nhiêu văn bản chỉ đạo?"),
                ("2.", "Có bao nhiêu cán bộ được đào tạo?")]),
            ("II.2.", "Kết quả thực hiện các mục tiêu")]),
        ("III.", "KIẾN NGHỊ"),
    ]
    assert indicators(find(outline, "Có bao nhiêu cán bộ được đào tạo?")) == [
        ("Số cán bộ được đào tạo", "người", "count")]
    assert outline.template().section("II.1.2").title == "Có bao nhiêu cán bộ được đào tạo?"


def test_list_restarting_inside_text_and_real_heading_later():
    """ "1. 2. 3." inside a section whose own "3." comes later: the inner list stays text."""
    text = """I. KẾT QUẢ
1. Kinh tế
2. Văn hóa, thông tin, thể thao
Trong tháng đã tổ chức các hoạt động:
1. Hội diễn văn nghệ quần chúng
2. Giải bóng chuyền hơi
3. Công tác thông tin, tuyên truyền
3. Quốc phòng, an ninh
II. PHƯƠNG HƯỚNG
"""
    outline = outline_from_text(text)
    assert tree(outline.sections) == [
        ("I.", "KẾT QUẢ", [("1.", "Kinh tế"), ("2.", "Văn hóa, thông tin, thể thao"), ("3.", "Quốc phòng, an ninh")]),
        ("II.", "PHƯƠNG HƯỚNG"),
    ]
    assert find(outline, "Văn hóa, thông tin, thể thao").guidance.splitlines()[1:] == [
        "1. Hội diễn văn nghệ quần chúng", "2. Giải bóng chuyền hơi", "3. Công tác thông tin, tuyên truyền"]


def test_numbering_continued_across_parents_and_unnumbered_capitals():
    text = """I. KẾT QUẢ ĐẠT ĐƯỢC
1. Kinh tế
2. Xã hội
II. HẠN CHẾ
3. Hạn chế về kinh tế
4. Hạn chế về xã hội
KIẾN NGHỊ VỚI CẤP TRÊN
Nêu các kiến nghị cụ thể.
"""
    outline = outline_from_text(text)
    assert tree(outline.sections) == [
        ("I.", "KẾT QUẢ ĐẠT ĐƯỢC", [("1.", "Kinh tế"), ("2.", "Xã hội")]),
        ("II.", "HẠN CHẾ", [("3.", "Hạn chế về kinh tế"), ("4.", "Hạn chế về xã hội")]),
        ("", "KIẾN NGHỊ VỚI CẤP TRÊN"),
    ]
    template = outline.template()
    # an unnumbered heading gets the next number of its level in the template
    assert [(s.number, s.title) for s in template.sections] == [
        ("I.", "KẾT QUẢ ĐẠT ĐƯỢC"), ("II.", "HẠN CHẾ"), ("III.", "KIẾN NGHỊ VỚI CẤP TRÊN")]
    assert template.section("III").guidance == "Nêu các kiến nghị cụ thể."


def test_duplicate_numbers_are_renumbered_in_the_template_only():
    outline = outline_from_text("I. KẾT QUẢ\n1. Kinh tế\n2. Xã hội\n2. Quốc phòng\nII. KIẾN NGHỊ\n")
    assert [s.number for s in outline.sections[0].children] == ["1.", "2.", "2."]
    template = outline.template()
    assert [(s.number, s.path) for s in template.section("I").children] == [
        ("1.", "I.1"), ("2.", "I.2"), ("3.", "I.3")]


def test_nfd_text_bookmarks_and_glued_footnote_marks_are_cleaned():
    import unicodedata
    text = unicodedata.normalize("NFD", "I. KẾT QUẢ\n[bookmark: _Hlk1]1. Công tác lãnh đạo¹²\n2. Đánh giá\n")
    outline = outline_from_text(text)
    assert tree(outline.sections) == [("I.", "KẾT QUẢ", [("1.", "Công tác lãnh đạo"), ("2.", "Đánh giá")])]


# == .docx outlines ===============================================================================
def test_docx_with_heading_styles_and_word_list_numbering(tmp_path):
    d = docx.Document()
    d.add_paragraph("ĐỀ CƯƠNG BÁO CÁO")
    d.add_paragraph("Sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2026")
    d.add_heading("I. KẾT QUẢ ĐẠT ĐƯỢC", level=1)
    d.add_heading("1. Công tác chính trị, tư tưởng", level=2)
    d.add_paragraph("Nêu số buổi sinh hoạt chính trị; tỷ lệ đảng viên tham gia học tập nghị quyết.")
    d.add_heading("2. Công tác tổ chức, cán bộ", level=2)
    d.add_heading("Công tác phát triển đảng viên", level=3)  # a heading without a typed number
    d.add_paragraph("Tổng số đảng viên mới kết nạp; so với cùng kỳ.")
    d.add_paragraph("Kết quả gồm:")
    d.add_paragraph("Số chi bộ đạt trong sạch, vững mạnh;", style="List Number")  # Word numbers these
    d.add_paragraph("Số đảng viên hoàn thành tốt nhiệm vụ.", style="List Number")
    d.add_heading("II. HẠN CHẾ VÀ NHIỆM VỤ", level=1)
    d.add_paragraph("Nêu ngắn gọn, không quá 2 trang.")
    path = tmp_path / "de_cuong.docx"
    d.save(str(path))
    outline = outline_from_file(path)
    assert outline.name == "Báo cáo sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2026"
    assert tree(outline.sections) == [
        ("I.", "KẾT QUẢ ĐẠT ĐƯỢC", [
            ("1.", "Công tác chính trị, tư tưởng"),
            ("2.", "Công tác tổ chức, cán bộ", [("", "Công tác phát triển đảng viên")])]),
        ("II.", "HẠN CHẾ VÀ NHIỆM VỤ"),
    ]
    recruit = find(outline, "Công tác phát triển đảng viên")
    assert recruit.guidance.splitlines() == [
        "Tổng số đảng viên mới kết nạp; so với cùng kỳ.", "Kết quả gồm:",
        "1. Số chi bộ đạt trong sạch, vững mạnh;", "2. Số đảng viên hoàn thành tốt nhiệm vụ."]
    assert [i.label for i in recruit.indicators] == [
        "Tổng số đảng viên mới kết nạp", "Số chi bộ đạt trong sạch, vững mạnh", "Số đảng viên hoàn thành tốt nhiệm vụ"]
    assert find(outline, "HẠN CHẾ VÀ NHIỆM VỤ").guidance == "Nêu ngắn gọn, không quá 2 trang."
    template = outline.template()
    assert template.section("I.2.a").title == "Công tác phát triển đảng viên"


def test_docx_with_only_bold_numbered_paragraphs(tmp_path):
    d = docx.Document()
    d.add_paragraph().add_run("ĐỀ CƯƠNG").bold = True
    d.add_paragraph("Báo cáo kết quả công tác dân vận năm 2026")

    def bold(text):
        d.add_paragraph().add_run(text).bold = True
    bold("1. Đánh giá tình hình")
    d.add_paragraph("Khái quát tình hình nhân dân trên địa bàn.")
    bold("2. Kết quả thực hiện")
    bold("a) Công tác dân vận của chính quyền")
    d.add_paragraph("Cần nêu rõ các nội dung sau:")
    d.add_paragraph("a) Số cuộc đối thoại với nhân dân")  # not bold: a list inside the guidance
    d.add_paragraph("b) Số ý kiến, kiến nghị đã giải quyết")
    bold("b) Phong trào thi đua “Dân vận khéo”")
    d.add_paragraph("Số mô hình dân vận khéo được công nhận.")
    bold("3. Phương hướng năm 2027")
    path = tmp_path / "dan_van.docx"
    d.save(str(path))
    outline = outline_from_file(path)
    assert tree(outline.sections) == [
        ("1.", "Đánh giá tình hình"),
        ("2.", "Kết quả thực hiện", [("a)", "Công tác dân vận của chính quyền"),
                                     ("b)", "Phong trào thi đua “Dân vận khéo”")]),
        ("3.", "Phương hướng năm 2027"),
    ]
    government = find(outline, "Công tác dân vận của chính quyền")
    assert government.guidance.splitlines() == [
        "Cần nêu rõ các nội dung sau:", "a) Số cuộc đối thoại với nhân dân", "b) Số ý kiến, kiến nghị đã giải quyết"]
    assert indicators(government)[0] == ("Số cuộc đối thoại với nhân dân", "cuộc", "count")
    assert indicators(find(outline, "Phong trào thi đua “Dân vận khéo”")) == [
        ("Số mô hình dân vận khéo được công nhận", "mô hình", "count")]
    parse_template(outline.to_yaml())


# == bad input ====================================================================================
@pytest.mark.parametrize("content, message", [
    (b"", "rỗng"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Word cũ"),
    (b"%PDF-1.4 ...", "PDF"),
    ("Một đoạn văn bình thường, không có đề mục nào.\nThêm một dòng.".encode(), "không phải đề cương"),
])
def test_bad_files_are_refused_in_vietnamese(tmp_path, content, message):
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(OutlineError) as err:
        outline_from_file(path)
    assert message in str(err.value)


def test_binary_renamed_docx_and_broken_zip(tmp_path):
    fake = tmp_path / "de_cuong.docx"
    fake.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(OutlineError, match="không phải tệp Word"):
        outline_from_file(fake)
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(OutlineError, match="bị hỏng"):
        outline_from_file(broken)


def _cp1258(text: str) -> bytes:
    """Windows-1258 has some precomposed letters and writes the others as letter + tone mark."""
    import unicodedata
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            for mark in [*marks, ""]:  # compose the base with one mark (ô, ê, ơ...), write the other (tone)
                rest = "".join(m for m in marks if m != mark)
                try:
                    out += unicodedata.normalize("NFC", base + mark).encode("cp1258") + rest.encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            else:
                raise AssertionError(f"cannot write {ch!r} in Windows-1258")
    return out


def test_windows_1258_text_is_read(tmp_path):
    path = tmp_path / "de_cuong.txt"
    path.write_bytes(_cp1258("I. KẾT QUẢ\n1. Kinh tế\n2. Xã hội\n"))
    assert tree(outline_from_file(path).sections) == [("I.", "KẾT QUẢ", [("1.", "Kinh tế"), ("2.", "Xã hội")])]


# == helpers ======================================================================================
def test_slugify_is_ascii_and_codes_are_unique():
    assert slugify("Đảng viên được kết nạp mới") == "dang_vien_duoc_ket_nap_moi"
    assert slugify("Tỷ lệ % hộ nghèo (đa chiều)") == "ty_le_ho_ngheo_da_chieu"
    assert slugify("2026 kế hoạch") == "so_2026_ke_hoach"
    used = set()
    first = suggest_indicators("Hộ nghèo", "Số hộ nghèo.", used)
    second = suggest_indicators("Hộ nghèo", "Số hộ nghèo.", used)
    assert first[0].code == "so_ho_ngheo" and second[0].code == "so_ho_ngheo_2"


def test_a_shared_dictionary_code_is_never_reused_for_another_quantity(workspace):
    from baocao_desktop.templates.dictionary import load_dictionary
    assert load_dictionary()["thu_ngan_sach_tren_dia_ban"].unit == "triệu đồng"
    outline = outline_from_text("I. NGÂN SÁCH\n1. Thu ngân sách\nThu ngân sách trên địa bàn: …… tỷ đồng.\n"
                                "2. Giáo dục\nSố học sinh bỏ học.\n")
    field = find(outline, "Thu ngân sách").indicators[0]
    assert (field.label, field.unit, field.kind) == ("Thu ngân sách trên địa bàn", "tỷ đồng", "money")
    assert field.code == "thu_ngan_sach_tren_dia_ban_2"
    workspace.install_template(outline.template(code="ngan_sach"))  # the dictionary check passes
    assert workspace.template("ngan_sach").indicator("thu_ngan_sach_tren_dia_ban_2").unit == "tỷ đồng"


def test_phrases_without_figures_suggest_nothing():
    assert suggest_indicators("Công tác tuyên truyền", "Đánh giá những mặt được, chưa được; nguyên nhân.") == []
    assert suggest_indicators("Kết luận", "Chuyển đổi số là nhiệm vụ trọng tâm; một số nơi còn chậm.") == []
