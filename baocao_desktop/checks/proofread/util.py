"""Small helpers shared by the checks."""
from __future__ import annotations

from decimal import Decimal

from ...domain.dates import format_date
from ...domain.numbers import format_number


def n(value: Decimal | int) -> str:
    """A figure in Vietnamese format: 1.009, 84,5."""
    return format_number(Decimal(value))


def d(day) -> str:
    return format_date(day) if day else ""


def tolerance(decimals: int) -> Decimal:
    """Half a unit of the last decimal shown: 84,5% covers 84,45..84,55."""
    return Decimal(5) / (Decimal(10) ** (decimals + 1)) + Decimal("1e-9")


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def split_top(text: str, seps: str) -> list[tuple[int, int]]:
    """Split at separator characters that are not inside brackets; returns spans."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def check_whole(doc, local, cross) -> list:
    """A check split into `local(doc, para)` and `cross(doc)`, run on a whole document at once."""
    return [f for para in doc.paras for f in local(doc, para)] + cross(doc)


def no_cross(doc) -> list:
    """The `cross` of a check whose findings each come from one paragraph alone."""
    return []


def no_local(doc, para) -> list:
    """The `local` of a check that only compares paragraphs."""
    return []
