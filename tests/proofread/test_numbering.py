from .conftest import check, codes

CAT = "numbering"


def test_letters_skip_d_with_stroke():
    text = "a) Kiểm tra\nb) Giám sát\nc) Kỷ luật\nd) Đơn thư\ne) Chuyển đổi số"
    (f,) = check(text, category=CAT)
    assert f.line == 5 and "đ)" in f.message


def test_full_vietnamese_letter_sequence_is_fine():
    assert check("a) Một\nb) Hai\nc) Ba\nd) Bốn\nđ) Năm\ne) Sáu\ng) Bảy", category=CAT) == []


def test_decimal_without_its_first_sibling_and_under_the_wrong_parent():
    text = "4. Hoạt động\na) HĐND\nb) UBND\n4.2. Mặt trận\n4.3. Chi bộ\n5. Xây dựng Đảng\n5.1. Chính trị\n6.2. Tổ chức"
    found = check(text, category=CAT)
    assert codes(found) == ["numbering.skipped", "numbering.wrong_parent"]
    assert found[0].line == 4 and "4.1" in found[0].message
    assert found[1].line == 8 and "5.2" in found[1].message


def test_roman_and_arabic_sequences():
    text = "I. Một\n1. A\n2. B\n2. C\nII. Hai\n1. D\n3. E\nIV. Bốn\nV ĐÁNH GIÁ"
    found = check(text, category=CAT)
    assert codes(found) == ["numbering.repeated", "numbering.skipped", "numbering.skipped", "numbering.roman_dot"]
    assert [f.line for f in found] == [4, 7, 8, 9]


def test_arabic_restart_under_each_roman_and_decimal_restart_under_each_arabic_are_fine():
    text = "I. Một\n1. A\n1.1. a\n1.2. b\n2. B\n2.1. c\nII. Hai\n1. C\n1.1. d\n2. D\nIII. Ba\n1) ý một\n2) ý hai"
    assert check(text, category=CAT) == []


def test_a_sub_list_numbered_like_its_parents():
    text = "2. Văn hóa\n2.1. Giáo dục\n2.2. Y tế\n2.3. Lao động\n2.4. Văn hóa, thể thao:\n1. Công tác văn hóa\n2. Thể thao\n3. Thông tin\n2.5. Cải cách\n3. Quốc phòng"
    (f,) = check(text, category=CAT)
    assert f.code == "numbering.nested_arabic" and f.line == 6 and "2.4" in f.message


def test_footnote_lines_and_appendices():
    text = ("1. Mục một\n² (1) khu vườn ươm; (2) trạm\n2. Mục hai\n(Phụ lục số 1B kèm theo)\n3. Mục ba\n"
            "(Phụ lục số 2B kèm theo)\n(Phụ lục số 3B, 4B kèm theo)\n(Phụ lục số 1B kèm theo)\n(Phụ lục số 11A kèm theo)")
    found = check(text, category=CAT)
    assert codes(found) == ["numbering.appendix_twice", "numbering.appendix_series"]


def test_a_list_numbered_from_1_inside_a_section_does_not_break_the_headings():
    text = "I. A\n1. Một\n2. Hai\nDanh sách:\n1. x\n2. y\n3. z\n4. t\n3. Ba\n3.1. con"
    assert check(text, category=CAT) == []
