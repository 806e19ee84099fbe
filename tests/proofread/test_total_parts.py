from .conftest import check, codes

CAT = "total_parts"


def test_parts_by_old_commune_exceed_the_total():
    text = ("Tổng số cán bộ, công chức được hưởng chế độ thôi việc: 15 người, trong đó: Tại xã Lùng Thẩn (cũ): "
            "08 người, xã Tả Van Chư (cũ): 05 người và xã Lùng Phình (cũ): 06 người.")
    (f,) = check(text, category=CAT)
    assert f.severity == "error" and f.code == "total.parts"
    assert f.message.startswith("Tổng 15 người khác tổng các phần liệt kê (8 + 5 + 6 = 19): chênh 4.")


def test_trong_do_subsets_are_not_parts():
    text = ("Đảng bộ có tổng số 892 đảng viên (nữ 390; dân tộc thiểu số 293; dự bị 31). "
            "Tổng số đại biểu HĐND là 58 đại biểu, trong đó: số đại biểu tham gia cấp ủy 11 đại biểu, "
            "số đại biểu chuyển tiếp 49 đại biểu, số đại biểu chỉ định 04 đại biểu.")
    assert check(text, category=CAT) == []


def test_right_totals_are_not_flagged():
    text = ("Đảng bộ xã có 55 tổ chức đảng trực thuộc (03 đảng bộ cơ sở với 17 chi bộ trực thuộc; 08 chi bộ cơ sở; "
            "44 chi bộ trực thuộc Đảng ủy xã (gồm 35 chi bộ bản, 08 chi bộ trường học, 01 Chi bộ Trạm y tế)). "
            "Tiếp nhận, giải quyết tổng số 52 đơn (đề nghị, kiến nghị, phản ánh 45 đơn; khiếu nại 05 đơn; tố cáo 02 đơn). "
            "Tổng số tiền đã chi trả là 6.491.824.000đ (khối chính quyền 06 người: 5.575.813.000 đồng; "
            "khối đoàn thể 01 người: 916.011.000 đồng). Trạm có 09 biên chế (01 Giám đốc, 01 Phó giám đốc và "
            "07 viên chức, lao động hợp đồng 01).")
    assert check(text, category=CAT) == []


def test_a_bracket_listing_the_rest_is_not_a_breakdown():
    text = ("Lĩnh vực đất đai: 43 hồ sơ trong đó đã giải quyết 18 hồ sơ (12 hồ sơ trong hạn; 01 hồ sơ quá hạn; "
            "05 hồ sơ tạm dừng; 05 hồ sơ trả lại; 02 hồ sơ hủy).")
    assert check(text, category=CAT) == []


def test_parenthesised_parts_that_exceed_the_total():
    (f,) = check("Văn phòng có 13 người (lãnh đạo UBND 03 người, lãnh đạo HĐND 03 người, văn phòng 08 người).",
                 category=CAT)
    assert f.severity == "error" and "3 + 3 + 8 = 14" in f.message


def test_approximate_total_and_open_list_are_skipped():
    text = ("Đảng ủy ban hành trên 1.850 văn bản (07 nghị quyết, 261 quyết định, 10 quy chế, ...). "
            "Có 40 hộ, gồm 12 hộ nghèo, 10 hộ cận nghèo và các hộ khác.")
    assert check(text, category=CAT) == []


def test_total_at_the_end_of_the_previous_sentence():
    right = ("Tổng số thủ tục hành chính của cấp xã là 394 thủ tục. Trong đó: 43 thủ tục toàn trình; "
             "một phần, trực tiếp: 351 thủ tục.")
    assert check(right, category=CAT) == []
    # "Trong đó" of unnamed parts may be partial or overlapping: not flagged
    assert check(right.replace("351", "350"), category=CAT) == []
    named = "Số người nghỉ là 15 người. Trong đó: xã Lùng Thẩn (cũ) 08 người; xã Lùng Phình (cũ) 09 người."
    (f,) = check(named, category=CAT)
    assert "8 + 9 = 17" in f.message and f.severity == "error"


def test_gom_with_missing_parts_is_a_warning():
    (f,) = check("Xã có 394 thủ tục, gồm: 43 thủ tục toàn trình; 350 thủ tục một phần.", category=CAT)
    assert f.severity == "warning" and "43 + 350 = 393" in f.message and "chênh 1" in f.message


def test_files_received_against_settled_and_in_progress():
    text = ("Trong tuần tiếp nhận 68 hồ sơ thủ tục hành chính; đã giải quyết 45 hồ sơ, trong đó 44 hồ sơ giải quyết "
            "đúng và trước hạn (đạt 98%), 01 hồ sơ quá hạn. Hiện còn 22 hồ sơ đang giải quyết, trong đó 20 hồ sơ trong "
            "hạn, 02 hồ sơ quá hạn.")
    (f,) = check(text, category=CAT)
    assert f.code == "total.files_flow" and f.severity == "warning"
    assert f.message.startswith("Tổng số hồ sơ tiếp nhận (68) khác tổng đã giải quyết và đang giải quyết "
                                "(45 + 22 = 67): chênh 1.")
    ok = text.replace("22 hồ sơ đang", "23 hồ sơ đang").replace("20 hồ sơ trong", "21 hồ sơ trong")
    assert check(ok, category=CAT) == []


def test_files_flow_with_returned_files_adds_up():
    text = ("Đã tiếp nhận 384 hồ sơ, giải quyết xong 380 hồ sơ; 03 hồ sơ bị trả lại do không đủ điều kiện, "
            "còn 01 hồ sơ đang trong hạn giải quyết.")
    assert check(text, category=CAT) == []


def test_list_on_following_lines_checked_column_by_column():
    text = """Đã tiếp nhận 747 hồ sơ, giải quyết xong 696 hồ sơ. Trong đó:
+ Hộ tịch: 271 hồ sơ: đã giải quyết 270 hồ sơ; trong hạn chưa giải quyết 1 hồ sơ
+ Chứng thực: 384 hồ sơ trong đó đã giải quyết 380 hồ sơ
+ Đất đai: 43 hồ sơ trong đó đã giải quyết 18 hồ sơ
+ Đăng ký kinh doanh: 20 hồ sơ trong đó đã giải quyết 12 hồ sơ
+ Bảo trợ xã hội: 29 hồ sơ trong đó đã giải quyết 19 hồ sơ"""
    (f,) = check(text, category=CAT)
    assert f.code == "total.list_column" and f.severity == "error" and f.line == 1
    assert "270 + 380 + 18 + 12 + 19 = 699" in f.message and "(696)" in f.message
    assert "tiếp nhận" in f.message  # the other column proves the list complete
    assert check(text.replace("696", "699"), category=CAT) == []


def test_list_by_department_with_a_closed_lead_in():
    text = """UBND xã có 45 người, được giao về các phòng như sau:
+ Văn phòng HĐND và UBND xã 13 người.
+ Phòng Kinh tế 14 người.
+ Phòng Văn hóa - Xã hội 09 người.
+ Trung tâm Phục vụ hành chính công 06 người.
+ Ban Chỉ huy quân sự xã 04 người."""
    (f,) = check(text, category=CAT)
    assert f.severity == "error" and "= 46" in f.message
    assert check(text.replace("04 người", "03 người"), category=CAT) == []


def test_a_part_named_without_a_figure_counts_so_a_smaller_sum_is_no_fault():
    text = "Đảng bộ có 214 đảng viên ở 13 chi bộ gồm 9 chi bộ thôn, Chi bộ Quân sự và 3 chi bộ trường học."
    assert check(text, category=CAT) == []
    (f,) = check(text.replace("Chi bộ Quân sự và ", ""), category=CAT)  # every part has a figure: 9 + 3 ≠ 13
    assert "(9 + 3 = 12)" in f.message
