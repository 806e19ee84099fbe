from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao_desktop.domain.numbers import (NumberFormatError, format_number, from_storage, parse_number, percent,
                                           to_storage)


@pytest.mark.parametrize("text, expected", [
    ("1.009", Decimal("1009")), ("84,5", Decimal("84.5")), ("10.100,78", Decimal("10100.78")),
    ("03", Decimal("3")), ("11.488", Decimal("11488")), ("64,5", Decimal("64.5")), ("0", Decimal("0")),
    (" 549 ", Decimal("549")), ("18,75 %", Decimal("18.75")), ("1\u00a0009", None), ("", None), (None, None),
    (549, Decimal("549")), (64.5, Decimal("64.5")),
])
def test_parse_vietnamese_numbers(text, expected):
    if text == "1\u00a0009":  # a no-break space inside a number is not a separator we accept silently
        with pytest.raises(NumberFormatError):
            parse_number(text)
        return
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["12a", "1.5", "10,100.78", "1.0000", "abc", "1,2,3"])
def test_bad_numbers_are_refused_with_a_message_quoting_them(text):
    with pytest.raises(NumberFormatError) as info:
        parse_number(text)
    assert f"“{text}”" in info.value.message
    assert "không hợp lệ" in info.value.message


def test_ambiguous_dot_suggests_the_vietnamese_decimal_comma():
    with pytest.raises(NumberFormatError) as info:
        parse_number("1.5")
    assert "“1,5”" in info.value.message


@pytest.mark.parametrize("value, decimals, text", [
    (Decimal("11488"), None, "11.488"), (Decimal("84.4615"), 1, "84,5"), (Decimal("65.1515"), 2, "65,15"),
    (Decimal("100.0"), 1, "100"), (Decimal("64.5"), None, "64,5"), (Decimal("109013"), None, "109.013"),
    (Decimal("18.75"), 2, "18,75"), (Decimal("0.05"), 1, "0,1"),
])
def test_format_vietnamese(value, decimals, text):
    assert format_number(value, decimals) == text


def test_percent_rounds_half_up_and_handles_missing_or_zero():
    assert percent(Decimal(549), Decimal(650), 1) == Decimal("84.5")
    assert percent(Decimal(11488), Decimal(15200), 2) == Decimal("75.58")
    assert percent(Decimal(1), Decimal(8), 1) == Decimal("12.5")
    assert percent(Decimal(1), Decimal(0)) is None
    assert percent(None, Decimal(5)) is None


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**12, max_value=10**12))
def test_storage_is_exact(value):
    assert from_storage(to_storage(value)) == value
    assert "e" not in to_storage(value).lower()


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0, max_value=10**9))
def test_format_then_parse_round_trips(value):
    assert parse_number(format_number(value)) == value


def test_size_text_rounds_as_asked():
    from baocao_desktop.domain.numbers import size_text
    assert size_text(3_912_000_000) == "3,6 GB" and size_text(512 * 1024) == "512 KB" and size_text(900) == "900 byte"
    assert size_text(21_500) == "21 KB"  # 20,996 half up
    assert size_text(21_500, round_up=False) == "20,9 KB" and size_text(20_582, round_up=True) == "20,1 KB"
    assert size_text(None) == ""
