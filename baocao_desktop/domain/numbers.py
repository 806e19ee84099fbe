"""Vietnamese numbers: parse what a user types, format what we show (Babel, locale vi)."""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import NumberFormatError as _BabelNumberFormatError
from babel.numbers import format_decimal, parse_decimal
from .errors import UserError

LOCALE = "vi"


class NumberFormatError(UserError, ValueError):
    """A figure that does not parse; the message is Vietnamese and quotes the input."""

    def __init__(self, text: str, message: str):
        super().__init__(message)
        self.text = text
        self.message = message


def parse_number(text: str | int | float | Decimal | None) -> Decimal | None:
    """Parse a figure written the Vietnamese way ("1.009", "84,5", "03"); empty gives None.

    JSON numbers (int/float) are accepted as they print, never through binary rounding.
    Ambiguous text such as "1.5" is refused rather than guessed.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberFormatError(str(text), f"“{text}” không phải là số.")
    if isinstance(text, Decimal):
        return text
    if isinstance(text, (int, float)):
        return Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
    raw = str(text)
    cleaned = raw.strip(" \t\u00a0\u202f")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].rstrip()
    if cleaned == "":
        return None
    try:
        value = parse_decimal(cleaned, locale=LOCALE, strict=True)
    except _BabelNumberFormatError as exc:
        suggestions = [s for s in (getattr(exc, "suggestions", None) or []) if s]
        hint = ""
        if suggestions:
            hint = " Có phải ý bạn là " + " hoặc ".join(f"“{s}”" for s in suggestions) + "?"
        raise NumberFormatError(
            raw,
            f"Số “{raw}” không hợp lệ: viết theo kiểu Việt Nam, dấu chấm ngăn cách hàng nghìn, "
            f"dấu phẩy trước phần thập phân (ví dụ 1.009 hoặc 84,5).{hint}",
        ) from None
    except (InvalidOperation, ValueError):
        raise NumberFormatError(raw, f"Số “{raw}” không hợp lệ.") from None
    if not value.is_finite():
        raise NumberFormatError(raw, f"Số “{raw}” không hợp lệ.")
    return value


def number_or_none(text: str | None) -> Decimal | None:
    """The number a text is (as parse_number reads it), or None when it is empty or no number (a cell of a
    free table may hold words)."""
    try:
        return parse_number(text)
    except NumberFormatError:
        return None


def to_storage(value: Decimal | None) -> str | None:
    """Exact decimal text for the database ("64.5", "1009"); never a binary float."""
    if value is None:
        return None
    normal = value.normalize()
    text = format(normal, "f")
    return "0" if text in ("-0", "0") else text


def from_storage(text: str | None) -> Decimal | None:
    if text is None or text == "":
        return None
    return Decimal(text)


def format_number(value: Decimal | int | None, decimals: int | None = None) -> str:
    """Vietnamese format: 11.488 / 84,5. With `decimals`, round half up and drop trailing zeros."""
    if value is None:
        return ""
    value = Decimal(value)
    if decimals is not None:
        value = round_half_up(value, decimals)
    digits = max(0, -value.normalize().as_tuple().exponent) if value != 0 else 0
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent(numerator: Decimal | None, denominator: Decimal | None, decimals: int = 1) -> Decimal | None:
    """100·a/b rounded half up; None when either side is missing or b is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round_half_up(Decimal(100) * numerator / denominator, decimals)


# Area units a figure may be kept in: the unit profile is often in km² (as the setup dialog suggests),
# templates ask for ha. "km2" is how km² is typed without the superscript.
UNIT_FACTORS = {("km²", "ha"): Decimal(100), ("ha", "km²"): Decimal("0.01"), ("km2", "ha"): Decimal(100),
                ("ha", "km2"): Decimal("0.01"), ("km2", "km²"): Decimal(1), ("km²", "km2"): Decimal(1)}


def in_unit(value: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    """`value` given in `from_unit` expressed in `to_unit`: the same value when either unit is empty or
    both are the same, None when they cannot be converted (people and households)."""
    a, b = (from_unit or "").strip(), (to_unit or "").strip()
    if not a or not b or a == b:
        return value
    factor = UNIT_FACTORS.get((a, b))
    return value * factor if factor is not None else None


def size_text(n: int | None, round_up: bool | None = None) -> str:
    """Bytes as "3,7 GB" / "512 KB" / "20,5 KB" (Vietnamese decimal comma). `round_up` True or False
    rounds the decimal up or down, for a size needed and a free space (never "cần 98 KB, còn 98 KB");
    None rounds half up."""
    if n is None:
        return ""
    rounding = ROUND_HALF_UP if round_up is None else (ROUND_CEILING if round_up else ROUND_FLOOR)
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= scale:
            return f"{format_number((Decimal(n) / scale).quantize(Decimal('0.1'), rounding=rounding))} {unit}"
    return f"{n} byte"
