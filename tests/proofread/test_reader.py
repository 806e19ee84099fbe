"""Reading Vietnamese figures: what is a quantity, what is a date, a document symbol or a code."""
from decimal import Decimal

import pytest

from baocao_desktop.checks.proofread.reader import parse_heading, scan


def figures(text):
    return [(f.text, f.value, f.kind) for f in scan(text).figures]


@pytest.mark.parametrize("text, value", [
    ("diện tích 10.100,78 ha", Decimal("10100.78")),
    ("có 1.000 người", Decimal("1000")),
    ("tổ chức 03 hội nghị", Decimal("3")),
    ("sản lượng 2.469,64 tấn", Decimal("2469.64")),
    ("tổng số 6.491.824.000đ", Decimal("6491824000")),
])
def test_numbers_in_vietnamese_format(text, value):
    (fig,) = scan(text).figures
    assert fig.value == value and fig.kind == "number"


def test_leading_zero_is_a_padded_count():
    (fig,) = scan("tổ chức 03 hội nghị").figures
    assert fig.padded and fig.unit == "hội nghị" and fig.unit_class == "count"


@pytest.mark.parametrize("text, value, decimals, spaced", [
    ("đạt 84,5% kế hoạch", Decimal("84.5"), 1, False),
    ("bằng 18,75 % kế hoạch", Decimal("18.75"), 2, True),
    ("đạt 100%", Decimal("100"), 0, False),
])
def test_percentages(text, value, decimals, spaced):
    (fig,) = scan(text).figures
    assert (fig.kind, fig.value, fig.decimals, fig.pct_space) == ("percent", value, decimals, spaced)


def test_fraction_done_over_plan():
    (fig,) = scan("diện tích lúa đạt 549/650 ha").figures
    assert (fig.kind, fig.value, fig.den, fig.unit_class) == ("fraction", 549, 650, "area")
    (fig,) = scan("tổng đàn 11.488/15.200 con").figures
    assert (fig.value, fig.den) == (11488, 15200)


@pytest.mark.parametrize("text", ["dân số trên 11.866 người", "gần 1.000 lượt người", "khoảng 2 tấn",
                                  "hơn 20 nhà bán hàng", "ước đạt 748 tấn", "từ 60 tuổi trở lên"])
def test_approximate_words_mark_the_figure(text):
    fig = [f for f in scan(text).figures][0]
    assert fig.approx and not fig.exact


def test_ranges_are_approximate():
    figs = scan("mỗi phòng có từ 5 - 7 biên chế, chọn 1-2 cá nhân").figures
    assert all(f.in_range for f in figs) and len(figs) == 4


@pytest.mark.parametrize("text", [
    "Nghị quyết số 57-NQ/TW của Bộ Chính trị", "Văn bản số 717/UBND-HCC", "Nghị định 178/2024/NĐ-CP",
    "ngày 01/7/2025", "Lùng Phình, ngày 11 tháng 9 năm 2025", "nhiệm kỳ 2025-2030", "giai đoạn 2021 - 2025",
    "tháng 6/2026", "quý I/2026", "gửi phiếu xác minh CT10", "Cơ sở dữ liệu đảng viên 4.0", "phủ sóng 4G",
    "Đại hội toàn quốc lần thứ XIV", "Quốc hội khóa XVI", "Đề án 06 của Chính phủ", "Quyết định số 168",
    "kỳ họp thứ 2", "cơn bão số 3", "bản Chu Va 6, Chu Va 8", "từ năm 2015", "(Phụ lục số 1B kèm theo)",
])
def test_not_figures(text):
    assert scan(text).figures == []


def test_document_symbols_are_read():
    sc = scan("Nghị quyết số 03-QĐ/ĐU ngày 01/9/2025; Thông báo số 55/TB-UBND; Văn bản số 254/UBND-KT")
    party, state_tb, state_cv = sc.symbols
    assert (party.style, party.type_code, party.issuer, party.number) == ("party", "QĐ", "ĐU", 3)
    assert (state_tb.type_code, state_tb.issuer) == ("TB", "UBND")
    assert (state_cv.type_code, state_cv.issuer) == (None, "UBND-KT")
    assert sc.symbols[0].malformed is False
    assert scan("Nghị quyết 09 -NQ/TW").symbols[0].malformed


def test_dates_are_read_and_checked():
    sc = scan("ngày 05/02/2026 và ngày 31/6/2026")
    good, bad = sc.dates
    assert good.date.isoformat() == "2026-02-05" and bad.date is None and "không có trên lịch" in bad.problem
    assert scan("từ ngày 01/6 đến 07/6/2026").figures == []
    assert scan("07/6/ 2026").dates[0].stray_space


def test_money_and_units():
    fig = scan("giá trị 7.707 tỷ đồng").figures[0]
    assert fig.unit_class == "money" and fig.scaled == Decimal("7707e9")
    assert scan("03 đồng chí").figures[0].unit_class == "count"
    assert scan("năng suất 54,5 tạ/ha").figures[0].unit_class == "yield"


def test_a_number_without_the_thousands_dot():
    fig = scan("tiếp nhận 4754 hồ sơ").figures[0]
    assert fig.value == 4754 and fig.no_grouping


def test_headings():
    assert parse_heading("II. KẾT QUẢ").parts == (2,)
    assert parse_heading("IV NHIỆM VỤ").dot is False
    h = parse_heading("4.2.Tình hình")
    assert (h.kind, h.parts, h.space_after) == ("decimal", (4, 2), False)
    assert parse_heading("đ) Công tác").label == "đ"
    assert parse_heading("(3) Việc giải quyết").kind == "paren"
    assert parse_heading("1.000 người tham gia") is None
    assert parse_heading("10 dân tộc") is None
