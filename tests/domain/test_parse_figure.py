"""One parse-and-validate function for every typed figure (issue 18 point 2): parse_figure."""
from __future__ import annotations

from decimal import Decimal

import pytest

from baocao_desktop.domain.numbers import FigureRule, NumberFormatError, implausible, parse_figure, parse_number

COUNT = FigureRule("count", Decimal(0), unit="con")


def refused(text, rule=None) -> str:
    with pytest.raises(NumberFormatError) as info:
        parse_figure(text, rule)
    assert info.value.text == text
    return str(info.value)


def test_a_count_refuses_decimals_and_suggests_thousands():
    message = refused("12,345", COUNT)
    assert "Có phải ý bạn là 12.345?" in message and "số nguyên" in message
    message = refused("1,234,567", COUNT)
    assert "Có phải ý bạn là 1.234.567?" in message
    message = refused("12,5", COUNT)
    assert "số nguyên" in message and "Có phải" not in message  # not a thousands group: no guess
    assert parse_figure("12.345", COUNT) == Decimal(12345)
    assert parse_figure("12,0", COUNT) == Decimal(12)  # a whole number written with a zero decimal
    assert parse_figure("", COUNT) is None


def test_a_decimal_kind_keeps_the_vietnamese_decimal_comma():
    assert parse_figure("12,345", FigureRule("area", Decimal(0))) == Decimal("12.345")


def test_negatives_refused_where_meaningless_only():
    assert "không thể âm" in refused("-3", COUNT)
    assert "không thể âm" in refused("-0,5", FigureRule("money", Decimal(0)))
    assert parse_figure("-3", FigureRule("number")) == Decimal(-3)
    assert parse_figure("-3") == Decimal(-3)  # no rule: only parsing


def test_exponent_forms_are_refused_by_the_parser_itself():
    for text in ("1e5", "1E5", "2,5e3", " 3e-2 "):
        with pytest.raises(NumberFormatError) as info:
            parse_number(text)
        assert "lũy thừa" in str(info.value)


def test_impossible_refused_implausible_only_flagged():
    rule = FigureRule("percent", Decimal(0), Decimal(100), (Decimal(10), Decimal(90)), "%")
    assert "lớn nhất là 100 %" in refused("120", rule)
    assert parse_figure("95", rule) == Decimal(95)
    assert implausible(Decimal(95), rule) and not implausible(Decimal(50), rule)
    assert not implausible(None, rule) and not implausible(Decimal(5), None)


def test_the_widest_allowed_value_sizes_the_field():
    assert FigureRule("count", Decimal(0)).widest_text() == "9.999.999"
    assert FigureRule("percent", Decimal(0), Decimal(100)).widest_text().startswith("100")
    assert FigureRule("number").widest_text().startswith("-")
