from .conftest import check

CAT = "repeated_figure_conflict"


def test_the_same_total_with_two_values():
    text = """Đến thời điểm báo cáo, tổng số thủ tục hành chính thuộc thẩm quyền giải quyết của cấp xã là 394 thủ tục hành chính.
Kết quả khác.
+ Tổng số TTHC: 399 thủ tục; trực tuyến toàn trình: 43 thủ tục."""
    (f,) = check(text, category=CAT)
    assert f.line == 3 and f.severity == "warning"
    assert "394 và 399" in f.message and "dòng 1" in f.message


def test_same_value_restated_is_fine():
    text = """Tổng số đảng viên là 691 đồng chí.
Tổng số đảng viên: 691 đồng chí, sinh hoạt tại 37 chi bộ."""
    assert check(text, category=CAT) == []


def test_different_labels_times_and_approximate_figures_are_not_compared():
    text = """Tổng số cán bộ, công chức xã hiện nay là 73 người.
Tổng số cán bộ, công chức được hưởng chế độ thôi việc: 15 người.
Năm 2025, tổng số hồ sơ là 120 hồ sơ; năm 2026, tổng số hồ sơ là 80 hồ sơ.
Tổng số hộ dân khoảng 3.000 hộ. Tổng số hộ dân là 2.950 hộ."""
    assert check(text, category=CAT) == []


def test_one_rate_said_two_ways():
    (f,) = check("Tỷ lệ hộ dùng nước sạch trên 90%.\nCuối kỳ, tỷ lệ hộ dùng nước sạch đạt 90%.",
                 category="repeated_figure_conflict")
    assert (f.code, f.line) == ("repeat.rate", 2) and "trên 90%" in f.message
    assert check("Tỷ lệ hộ dùng nước sạch đạt 90%.\nTỷ lệ hộ dùng nước sạch đạt 90%, tăng 2%.\n"
                 "Tỷ lệ hộ nghèo năm 2025 là 8%; tỷ lệ hộ nghèo năm 2026 là 6%.", category="repeated_figure_conflict") == []
