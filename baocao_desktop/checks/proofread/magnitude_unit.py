"""magnitude_unit: figures too big for a commune in the unit written ("7.707 tỷ đồng" of handicraft output,
"21.070 tỷ đồng" of public investment: tỷ for triệu, or "7,707" typed "7.707"), rates over 100%."""
from __future__ import annotations

import re
from decimal import Decimal

from .util import check_whole, n, no_cross

CATEGORY = "magnitude_unit"
MONEY_LIMIT = Decimal(10) ** 12  # 1.000 tỷ đồng: more than a commune handles in a year
_WIDER = re.compile(r"\b(?:tỉnh|cả nước|toàn quốc|trung ương|quốc gia|chính phủ|GRDP|vùng)\b", re.IGNORECASE)
_RATE = re.compile(r"\btỷ lệ\b", re.IGNORECASE)
_OF_PLAN = re.compile(r"kế hoạch|\bKH\b|chỉ tiêu|dự toán|so với|cùng kỳ|tăng|giảm|vượt|gấp", re.IGNORECASE)


def check(doc):
    return check_whole(doc, local, cross)


cross = no_cross


def local(doc, para):
    out = []
    level = doc.facts.level
    for f in para.scan.figures:
        if f.unit_class == "money" and f.kind in ("number", "fraction"):
            out += _money(doc, para, f, level)
        elif f.kind == "percent" and f.value > 100 and f.exact:
            out += _rate(doc, para, f)
    return out


def _money(doc, para, f, level):
    values = [f.value * f.scale] + ([f.den * f.scale] if f.den is not None else [])
    biggest = max(values)
    if biggest <= MONEY_LIMIT:
        return []
    s, e = para.sentence_of(f.start)
    if _WIDER.search(para.text[s:e]) and level not in ("xã", "phường", "đặc khu"):
        return []
    if _WIDER.search(para.text[s:e]) and re.search(r"\b(?:của|toàn) tỉnh\b", para.text[s:e]):
        return []
    unit_word = f.unit.split()[0] if f.unit else "đồng"
    raw = f.text.split("/")[-1] if f.den is not None and f.den * f.scale == biggest else f.text.split("/")[0]
    hint = ""
    if re.fullmatch(r"[0-9]{1,3}\.[0-9]{3}", raw.strip()):
        hint = f" Nếu ý là {raw.strip().replace('.', ',')} {unit_word} thì dấu thập phân là dấu phẩy."
    return [doc.finding(
        para, "magnitude.money", CATEGORY, "warning",
        f"“{f.text} {f.unit}”: {n(biggest / Decimal(10) ** 9)} tỷ đồng là quá lớn cho một "
        f"{level or 'xã'} (hơn 1.000 tỷ đồng). Có thể nhầm “tỷ” với “triệu”.{hint} Kiểm tra lại số và đơn vị.",
        f.start, f.end, {"value": f.text, "unit": f.unit})]


def _rate(doc, para, f):
    text = para.text
    s, e = para.sentence_of(f.start)
    clause_start = max(text.rfind(";", s, f.start), text.rfind(",", s, f.start), s)
    clause = text[clause_start:f.end + 25]
    if not _RATE.search(text[max(s, f.start - 120):f.start]) or _OF_PLAN.search(clause):
        return []
    if not _RATE.search(clause):
        return []
    return [doc.finding(
        para, "magnitude.rate", CATEGORY, "warning",
        f"Tỷ lệ {f.text} lớn hơn 100%: một tỷ lệ phần trăm của tổng thể không vượt quá 100% "
        f"(nếu là so với kế hoạch thì ghi rõ “kế hoạch”). Kiểm tra lại.", f.start, f.end)]
