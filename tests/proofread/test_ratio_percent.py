import pytest

from .conftest import check, codes

CAT = "ratio_percent"


def test_a_wrong_percentage_of_a_fraction_is_an_error_with_the_arithmetic():
    (f,) = check("Diện tích lúa mùa đạt 549/650 ha, bằng 85,5% kế hoạch.", category=CAT)
    assert f.severity == "error" and f.code == "percent.ratio"
    assert "549/650 = 84,462%" in f.message and "84,5%" in f.message and "85,5%" in f.message
    assert f.values == {"numerator": "549", "denominator": "650", "stated": "85,5", "expected": "84,5"}
    assert f.line == 1 and (f.start, f.end) == (39, 44)


def test_right_percentages_within_the_shown_decimals_are_not_flagged():
    text = ("Tổng đàn gia súc 11.488/15.200 đạt 75,58%; rau 86/132 ha, bằng 65,15% kế hoạch; "
            "lúa 549/650 ha, bằng 84,5% kế hoạch; trồng rừng 10,5/56 ha, bằng 18,75 % kế hoạch; "
            "giải ngân 1.000/21.070 triệu đồng, tương đương 4,75% kế hoạch; lũy kế 22/20 thửa, đạt 110% kế hoạch; "
            "tỷ lệ giải quyết 44/45 hồ sơ (đạt 98%).")
    assert check(text, category=CAT) == []


def test_tolerance_follows_the_decimals_shown():
    assert check("đạt 2/3 kế hoạch, bằng 67% kế hoạch.", category=CAT) == []  # 66,67 → 67
    assert codes(check("đạt 2/3 kế hoạch, bằng 66,6% kế hoạch.", category=CAT)) == ["percent.ratio"]  # 66,7


def test_a_growth_rate_after_a_fraction_is_not_its_ratio():
    assert check("Lúa đạt 549/650 ha, tăng 5% so với cùng kỳ.", category=CAT) == []
    assert check("Lúa đạt 549/650 ha, đạt 84,5% so với cùng kỳ năm trước.", category=CAT) == []


def test_approximate_percentages_are_never_checked():
    assert check("Lúa đạt 549/650 ha, bằng khoảng 80% kế hoạch.", category=CAT) == []


def test_shared_base_finds_the_one_wrong_share():
    text = ("Tổng số cán bộ có 31 người (Nam 17 người, chiếm 54,8%; nữ 14 người, chiếm 45,2%); dân tộc thiểu số "
            "13 người, chiếm 41,9%. Thạc sĩ 05 người, chiếm 16,1%, Đại học 26 người, chiếm 83,9%. Cao cấp 10 người, "
            "chiếm 32,2%; Trung cấp 18 người, chiếm 58,1%.")
    (f,) = check(text, category=CAT)
    assert f.code == "percent.shared_base" and f.severity == "error"
    assert "10/31" in f.message and "32,3%" in f.message and "32,2%" in f.message


def test_shares_of_the_same_total_all_right():
    text = ("Có 34 biên chế (Nam 16 người, chiếm 47,06%, nữ 18 người, chiếm 52,94%); dân tộc thiểu số có 8 người, "
            "chiếm 23,5%. Thạc sĩ 03 người, chiếm 8,82%; Đại học 31 người, chiếm 91,18%.")
    assert check(text, category=CAT) == []


def test_composition_closed_by_con_lai_must_make_100():
    (f,) = check("Dân tộc Mông chiếm 86,6%, còn lại là các dân tộc khác chiếm 12,4%.", category=CAT)
    assert f.code == "percent.composition" and "99%" in f.message
    assert check("Dân tộc Mông chiếm 87,6%, còn lại là các dân tộc khác chiếm 12,4%.", category=CAT) == []
    # no "còn lại/khác": the list may be partial
    assert check("Dân tộc Kinh chiếm 35,08%, dân tộc Thái chiếm 28,86%.", category=CAT) == []


def test_a_share_of_something_else_after_a_fraction_is_not_its_ratio():
    assert check("Lúa đạt 549/650 ha, chiếm 30% diện tích gieo trồng của xã.", category=CAT) == []
    assert [f.code for f in check("Có 20/25 thôn, chiếm 70%.", category=CAT)] == ["percent.ratio"]


@pytest.mark.parametrize("text, expected", [
    ("Có 4 thôn đạt chuẩn, đạt 30% (3/12 thôn).", "25"),
    ("Đạt 30%, tức 3/12 thôn hoàn thành.", "25"),
    ("Tỷ lệ hộ nghèo giảm còn 8,5% (17/200 hộ).", None),
    ("Tăng 30% (3/12 thôn) so với cùng kỳ.", None),
    ("Vượt 25% (12/10 chỉ tiêu).", "20"),
])
def test_percentage_written_before_its_ratio(text, expected):
    found = check(text, category=CAT)
    if expected is None:
        assert found == []
    else:
        (f,) = found
        assert f.code == "percent.ratio" and f.values["expected"] == expected and "không phải" in f.message
