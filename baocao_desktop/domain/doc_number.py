"""The Số of a document in the unit's numbering form: the number alone ("108"), or written out with its
symbol as the format prints it ("108-BC/ĐU" in a Party unit, "108/BC-UBND" in a State one)."""
from __future__ import annotations

import re
import unicodedata

NUMBER_FIELD = "{number}"


def symbol_suffix(pattern: str, doc_type: str, issuer_symbol: str) -> str:
    """What the format's number pattern writes after the number: "-BC/ĐU" for "Số {number}-{doc_type}/
    {issuer_symbol}"; "" when the pattern has no number field."""
    if NUMBER_FIELD not in pattern:
        return ""
    tail = pattern.split(NUMBER_FIELD, 1)[1]
    try:
        return tail.format(doc_type=doc_type.strip(), issuer_symbol=issuer_symbol.strip())
    except (KeyError, IndexError, ValueError):
        return ""


def number_part(number: str, suffix: str) -> str | None:
    """The plain number of a Số typed in the unit's numbering form (`suffix` from `symbol_suffix`), or None
    when it is not in that form ("abc", "108-BC/UB" in a unit whose symbol is ĐU)."""
    text = " ".join(unicodedata.normalize("NFC", number or "").split())
    if re.fullmatch(r"\d+", text):
        return text
    suffix = unicodedata.normalize("NFC", suffix or "")
    if suffix and "".join(text.split()).casefold().endswith("".join(suffix.split()).casefold()):
        head = "".join(text.split())[:-len("".join(suffix.split()))]
        if re.fullmatch(r"\d+", head):
            return head
    return None


def number_form_problem(number: str, suffix: str, has_symbol: bool) -> str | None:
    """Why a Số typed is not in the unit's numbering form (Vietnamese), or None when it is (or is empty)."""
    text = (number or "").strip()
    if not text or number_part(text, suffix) is not None:
        return None
    example = f"108{suffix}" if has_symbol else "108"
    return (f"Số “{text}” không đúng cách đánh số của đơn vị: chỉ ghi số (ví dụ 108) hoặc ghi đủ "
            f"“{example}”; ký hiệu do chương trình thêm khi xuất.")
