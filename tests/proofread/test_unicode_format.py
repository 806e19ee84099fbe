import unicodedata

from .conftest import check, codes

CAT = "unicode_format"


def test_decomposed_letters():
    nfd = unicodedata.normalize("NFD", "Lồng ghép triển khai tại các hội nghị của xã.")
    (f,) = check(["Đoạn chuẩn.", nfd], category=CAT)
    assert f.code == "unicode.nfd" and f.line == 2 and "NFD" in f.message and "“Lồng”" in f.message


def test_missing_thousands_dot_and_english_numbers():
    found = check("Tiếp nhận 4754 hồ sơ, giải quyết 4583 hồ sơ; diện tích 1.5 ha; thu 10,100.78 triệu đồng.",
                  category=CAT)
    assert codes(found) == ["unicode.no_thousands_dot", "unicode.english_number", "unicode.english_number"]
    assert "4.754" in found[0].message and "1,5" in found[1].message and "10.100,78" in found[2].message


def test_years_codes_and_vietnamese_numbers_are_fine():
    text = ("Năm 2025 tiếp nhận 10.223 hồ sơ; Cơ sở dữ liệu 4.0; phiếu CT10; mạng 4G; số 0912345678; "
            "3 công văn và 5 quyết định. Có 03 báo cáo, 07 kế hoạch.")
    assert check(text, category=CAT) == []


def test_mixed_ways_of_writing():
    found = check("Đạt 84,5% kế hoạch.\nĐạt 18,75 % kế hoạch. Xây dựng 3 công văn, 07 quyết định.\nTừ 01/7/ 2025.",
                  category=CAT)
    assert codes(found) == ["unicode.percent_space", "unicode.mixed_padding", "unicode.date_space"]
    assert all(f.severity == "info" for f in found)


def test_a_lost_space_between_words():
    (f,) = check("Tại hội nghị giao banThường trực Đảng ủy cho ý kiến; kênh TikTok và VNeID.", category=CAT)
    assert "“banThường”" in f.message


def test_a_year_run_together_with_the_next_figure():
    (f,) = check("Hộ nghèo năm 2020230 hộ, tỷ lệ 6,64%.", category="unicode_format")
    assert f.code == "unicode.glued_year" and "năm 2020 và số 230" in f.message
