from .conftest import check

CAT = "magnitude_unit"


def test_billions_too_big_for_a_commune():
    (f,) = check("Tiểu thủ công nghiệp: giá trị sản xuất đạt 7.707 tỷ đồng, bằng 73,54% kế hoạch.", category=CAT)
    assert f.severity == "warning" and "7.707 tỷ đồng" in f.message and "7,707" in f.message
    (f,) = check("Tiến độ giải ngân vốn đầu tư công đạt 1.000/21.070 tỷ đồng, tương đương 4,75%.", category=CAT)
    assert "21.070 tỷ đồng" in f.message


def test_plausible_money_is_fine():
    text = ("Thu ngân sách 1.890 triệu đồng; lũy kế 109.013 triệu đồng; doanh số trên 6,6 tỷ đồng; "
            "hỗ trợ 6.491.824.000đ; vốn của tỉnh 21.070 tỷ đồng trong kế hoạch trung hạn của tỉnh.")
    assert check(text, category=CAT) == []


def test_a_rate_over_100_percent():
    (f,) = check("Tỷ lệ hộ dùng nước hợp vệ sinh đạt 105%.", category=CAT)
    assert "105%" in f.message
    assert check("Tỷ lệ thu ngân sách đạt 273,5% kế hoạch; lũy kế 22/20 thửa, đạt 110%.", category=CAT) == []
