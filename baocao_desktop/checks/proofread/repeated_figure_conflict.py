"""repeated_figure_conflict: the same quantity given two values ("tổng số thủ tục hành chính … là 394" and
"Tổng số TTHC: 399 thủ tục"). Only totals stated as such ("tổng số …") with the same label, the same unit
and the same time words are compared; approximate figures never are."""
from __future__ import annotations

import re

from .util import check_whole, n, no_local

CATEGORY = "repeated_figure_conflict"
ABBREVIATIONS = {"tthc": "thủ tục hành chính", "cbcc": "cán bộ công chức", "cbccvc": "cán bộ công chức viên chức",
                 "đv": "đảng viên", "hs": "hồ sơ", "dtts": "dân tộc thiểu số", "htx": "hợp tác xã",
                 "gcn": "giấy chứng nhận", "qsdđ": "quyền sử dụng đất", "ubnd": "ủy ban nhân dân",
                 "hđnd": "hội đồng nhân dân", "mttq": "mặt trận tổ quốc", "tcđ": "tổ chức đảng"}
SCOPE = re.compile(r"\b(?:thuộc thẩm quyền(?: giải quyết)?(?: của)?(?: cấp)? xã|trên địa bàn(?: xã)?|toàn xã|của xã|"
                   r"hiện nay|hiện có|hiện tại|đến nay|tính đến thời điểm hiện tại|đến thời điểm báo cáo|"
                   r"tính đến nay|của đơn vị|xã|là|có|gồm)\b")
TIME = re.compile(r"\b(?:năm\s+[0-9]{4}|quý\s+[IV]+|tháng\s+[0-9]{1,2}|tuần|kỳ trước|cùng kỳ|lũy kế|trước|sau|"
                  r"[0-9]{1,2}/[0-9]{4}|đầu năm|cuối năm|6 tháng|nhiệm kỳ)\b", re.IGNORECASE)
_TOTAL = re.compile(r"[Tt]ổng số\s+")


def _label(text: str) -> str:
    t = text.lower()
    t = re.sub(r"[^\w\s]", " ", t)
    words = [ABBREVIATIONS.get(w, w) for w in t.split()]
    t = " ".join(words)
    t = SCOPE.sub(" ", t)
    return " ".join(t.split())


_RATE = re.compile(r"\b[Tt]ỷ lệ\s+(?P<label>[^\d;:.()%]{3,80}?)\s*(?:(?:ước\s+)?đạt|là|bằng|:)?\s*"
                   r"(?P<approx>(?:đạt\s+)?(?:trên|hơn|gần|khoảng|xấp xỉ|dưới|gần|ước)\s+)?(?P<v>[0-9]{1,3}(?:,[0-9]+)?)\s?%")
_RATE_TAIL = re.compile(r"\s+(?:ước|đạt|là|bằng|trên|hơn|gần|khoảng|dưới)$")


def _rates_stated(para):
    """(key, how it is said, match) of each "tỷ lệ … đạt 90%" of a paragraph."""
    out = []
    text = para.text
    for m in _RATE.finditer(text):
        label = m.group("label")
        while _RATE_TAIL.search(label):
            label = _RATE_TAIL.sub("", label)
        label = _label(label)
        if len(label.split()) < 2:
            continue
        s, e = para.sentence_of(m.start())
        time = tuple(sorted({t.lower() for t in TIME.findall(text[s:e])}))
        approx = " ".join((m.group("approx") or "").split()).replace("đạt ", "")
        out.append(((label, time), (approx, m.group("v")), m))
    return out


def _rates(doc):
    """"tỷ lệ hộ dùng nước sạch đạt 90%" and "tỷ lệ hộ dùng nước sạch trên 90%": one rate, said two ways."""
    seen: dict[tuple, tuple] = {}
    out = []
    for para, (key, said, m) in doc.gather("rates", _rates_stated):
        approx = said[0]
        first = seen.get(key)
        if first is None:
            seen[key] = (para, said, m.group())
            continue
        if first[1] == said or first[1][0] and approx:
            continue  # the same, or two approximations ("trên 90%", "gần 91%") that may both hold
        out.append(doc.finding(
            para, "repeat.rate", CATEGORY, "warning",
            f"“{' '.join(m.group().split())}” khác cách nêu ở {first[0].where() or 'trên'} "
            f"(“{' '.join(first[2].split())}”): cùng một tỷ lệ mà hai cách ghi. Thống nhất lại.",
            m.start(), m.end(), {"first": " ".join(first[2].split()), "second": " ".join(m.group().split())}))
        seen[key] = (para, said, m.group())
    return out


def check(doc):
    return check_whole(doc, local, cross)


local = no_local


def _totals_stated(para):
    """(key, figure, phrase) of each "tổng số … là 394" of a paragraph."""
    out = []
    text = para.text
    figs = [f for f in para.scan.figures if f.kind == "number"]
    if not figs:
        return out
    for m in _TOTAL.finditer(text):
        fig = next((f for f in figs if f.start >= m.end()), None)
        if fig is None or fig.start - m.end() > 90 or not fig.exact:
            continue
        between = text[m.end():fig.start]
        if re.search(r"[;.()]|\btrong đó\b", between):
            continue
        label = _label(between) or _label(" ".join(fig.unit.split()[:3]))
        if not label:
            continue
        unit = fig.unit.split()[0] if fig.unit else ""
        s, e = para.sentence_of(m.start())
        cs = max(text.rfind(";", s, m.start()) + 1, s)
        ce = text.find(";", m.start(), e)
        clause = text[cs:ce if ce != -1 else e]
        found = TIME.findall(clause) or TIME.findall(text[s:e])
        time = tuple(sorted({t.lower() for t in found}))
        key = (label, ABBREVIATIONS.get(unit, unit).split()[0] if unit else "", time)
        out.append((key, fig, text[m.start():fig.end]))
    return out


def cross(doc):
    out = _rates(doc)
    facts: dict[tuple, list] = {}
    for para, (key, fig, phrase) in doc.gather("totals", _totals_stated):
        facts.setdefault(key, []).append((para, fig, phrase))
    for key, items in facts.items():
        values = {f.value for _, f, _ in items}
        if len(values) < 2:
            continue
        first_para, first_fig, first_text = items[0]
        for para, fig, phrase in items[1:]:
            if fig.value == first_fig.value:
                continue
            out.append(doc.finding(
                para, "repeat.total", CATEGORY, "warning",
                f"“{' '.join(phrase.split())}” khác số đã nêu ở {first_para.where() or 'trên'} "
                f"(“{' '.join(first_text.split())}”): cùng một số liệu mà hai giá trị ({n(first_fig.value)} và "
                f"{n(fig.value)}). Thống nhất lại.", fig.start, fig.end,
                {"first": n(first_fig.value), "second": n(fig.value)}))
            break
    return out
