"""ratio_percent: a stated percentage that does not follow from its own figures.

  - "a/b …, đạt p%" and "đạt p% (a/b …)": p must be 100·a/b rounded to the decimals shown (84,5% covers
    84,45–84,55);
  - a run of "n người, chiếm p%" sharing one total: the total is the base that explains the others, and a
    percentage that fits no base is wrong ("10 người, chiếm 32,2%" of 31 is 32,3%);
  - shares that must make 100% ("… còn lại chiếm …", "các dân tộc khác chiếm …").
Approximate figures ("khoảng", "trên") are never checked."""
from __future__ import annotations

import re
from decimal import Decimal

from ...domain.numbers import percent, round_half_up
from .util import check_whole, n, no_cross, tolerance

CATEGORY = "ratio_percent"
_LINK = re.compile(r"^\s*(?:[^\W\d_]+(?:/[^\W\d_]+)?\s*){0,3}[,(]?\s*(?:đạt|bằng|chiếm|tương đương|=|là)?\s*\(?\s*$",
                   re.IGNORECASE)
# "a/b thôn được kiểm tra, đạt p%": a longer noun phrase, then a comma and a linking verb
_LINK_VERB = re.compile(r"^\s*(?:[^\W\d_]+(?:/[^\W\d_]+)?\s*){1,8},\s*(?:đạt|bằng|chiếm|tương đương)\s*(?:tỷ lệ\s*)?$",
                        re.IGNORECASE)
_SURPASS = re.compile(r"\bvượt(?:\s+(?:mức|kế hoạch|chỉ tiêu|KH))*\s*[,(]?\s*$", re.IGNORECASE)  # "a/b, vượt p%"
_EXPLAINS = re.compile(r"^\s*[(,:–-]?\s*(?:tức là|tức|tương đương|bằng|là|=|gồm|với)?\s*\(?\s*$", re.IGNORECASE)
_NOT_SHARE = re.compile(r"tăng|giảm|so với|cùng kỳ|năm trước|kỳ trước", re.IGNORECASE)


def check(doc):
    return check_whole(doc, local, cross)


cross = no_cross


def local(doc, para):
    out = []
    figs = para.scan.figures
    if any(f.kind == "percent" for f in figs):
        out += _fractions(doc, para, figs)
        out += _shared_base(doc, para, figs)
        out += _composition(doc, para, figs)
    return out


def _fractions(doc, para, figs):
    """A fraction and the percentage that says it, in either order: "3/12 thôn, đạt 25%" and
    "đạt 25% (3/12 thôn)"."""
    out = []
    text = para.text
    for i, f in enumerate(figs):
        if f.kind != "fraction" or not f.exact or f.den == 0:
            continue
        nxt = figs[i + 1] if i + 1 < len(figs) else None
        prev = figs[i - 1] if i > 0 else None
        if nxt is not None and nxt.kind == "percent" and nxt.exact and _says_after(text, f, nxt):
            finding = _ratio_finding(doc, para, f, nxt, surpass=bool(_SURPASS.search(text[f.end:nxt.start])))
        elif prev is not None and prev.kind == "percent" and prev.exact and _says_before(text, prev, f):
            finding = _ratio_finding(doc, para, f, prev,
                                     surpass="vượt" in text[max(0, prev.start - 12):prev.start].lower())
        else:
            continue
        if finding is not None:
            out.append(finding)
    return out


def _says_after(text: str, fraction, pct) -> bool:
    """"a/b …, đạt p%": the percentage right after the fraction is its ratio."""
    gap = text[fraction.end:pct.start]
    if len(gap) > 70 or ";" in gap or re.search(r"[.!?]\s", gap) or not (
            _LINK.match(gap) or _LINK_VERB.match(gap)):
        return False
    after = text[pct.end:pct.end + 25]
    if _NOT_SHARE.search(gap) or re.match(r"\s*(?:so với|cùng kỳ)", after):
        return False
    # "549/650 ha, chiếm 30% diện tích gieo trồng": a share of something else
    return not ("chiếm" in gap.lower() and not re.match(r"\s*(?:kế hoạch|KH|chỉ tiêu|[).,;]|$)", after))


def _says_before(text: str, pct, fraction) -> bool:
    """"đạt p% (a/b …)", "p%, tức a/b …": the fraction right after the percentage explains it."""
    gap = text[pct.end:fraction.start]
    return bool(_EXPLAINS.match(gap)) and not _NOT_SHARE.search(text[max(0, pct.start - 25):pct.start])


def _ratio_finding(doc, para, f, pct, surpass: bool):
    stated = pct.value
    exact = Decimal(100) * f.value / f.den
    if surpass:
        exact -= 100
    if abs(exact - stated) <= tolerance(pct.decimals):
        return None
    right = round_half_up(exact, pct.decimals)
    quoted = f"{f.text} … {pct.text}" if f.start < pct.start else para.text[pct.start:f.end]
    return doc.finding(
        para, "percent.ratio", CATEGORY, "error",
        f"“{quoted}”: {n(f.value)}/{n(f.den)} = {n(round_half_up(exact, pct.decimals + 2))}%, "
        f"làm tròn {pct.decimals} chữ số thập phân là {n(right)}%, không phải {n(stated)}%. Sửa tỷ lệ hoặc số liệu.",
        pct.start, pct.end,
        {"numerator": n(f.value), "denominator": n(f.den), "stated": n(stated), "expected": n(right)})


def _pairs(para, figs):
    """(count, percent) written "n người, chiếm p%" / "n (p%)"."""
    text = para.text
    pairs = []
    for a, b in zip(figs, figs[1:]):
        if a.kind != "number" or b.kind != "percent" or not a.exact or not b.exact or a.unit_class not in ("count", "money", "area", "mass"):
            continue
        gap = text[a.end:b.start]
        if len(gap) > 40 or re.search(r"[0-9;]", gap):
            continue
        if re.search(r"chiếm|\(\s*$|bằng\s*$|,\s*$|đạt\s*$", gap) and not _NOT_SHARE.search(gap):
            pairs.append((a, b))
    return pairs


def _shared_base(doc, para, figs):
    out = []
    pairs = _pairs(para, figs)
    if len(pairs) < 3:
        return out
    counts = {id(a) for a, _ in pairs}
    first_pair = pairs[0][0].start
    candidates = [f for f in figs if f.kind == "number" and f.exact and id(f) not in counts and f.start < first_pair + 400]
    best, best_hits = None, 0
    for base in candidates:
        if base.value <= 0:
            continue
        hits = sum(1 for a, p in pairs if a.value <= base.value and
                   abs(Decimal(100) * a.value / base.value - p.value) <= tolerance(p.decimals))
        if hits > best_hits:
            best, best_hits = base, hits
    if best is None or best_hits < 2 or best_hits < 0.6 * len(pairs):
        return out
    for a, p in pairs:
        if a.value > best.value:
            continue
        exact = Decimal(100) * a.value / best.value
        if abs(exact - p.value) <= tolerance(p.decimals):
            continue
        # does another figure explain it? then it was a different base, not a mistake
        if any(c.value > 0 and abs(Decimal(100) * a.value / c.value - p.value) <= tolerance(p.decimals)
               for c in candidates if c is not best):
            continue
        right = percent(a.value, best.value, p.decimals)
        out.append(doc.finding(
            para, "percent.shared_base", CATEGORY, "error" if best_hits >= 3 else "warning",
            f"“{a.text} {a.unit.split()[0] if a.unit else ''}, … {p.text}”: các tỷ lệ khác trong đoạn tính trên "
            f"{n(best.value)} ({best_hits} tỷ lệ khớp), mà {n(a.value)}/{n(best.value)} = "
            f"{n(round_half_up(exact, p.decimals + 2))}%, làm tròn là {n(right)}%, không phải {n(p.value)}%.",
            p.start, p.end, {"part": n(a.value), "base": n(best.value), "stated": n(p.value), "expected": n(right)}))
    return out


def _composition(doc, para, figs):
    """Shares that must add up to 100%: a list closed by "còn lại" / "các … khác"."""
    out = []
    text = para.text
    for s, e in para.sentences:
        sentence = text[s:e]
        if not re.search(r"còn lại|(?:các|những)\s+[^\d,;]{0,25}\s+khác\s+(?:chiếm|là|đạt)", sentence, re.IGNORECASE):
            continue
        shares = [f for f in figs if s <= f.start < e and f.kind == "percent"]
        if len(shares) < 2 or not all(f.exact for f in shares):
            continue
        if not all(re.search(r"chiếm\s*$|,\s*$|\(\s*$|:\s*$|[^\W\d_]\s*$", text[max(s, f.start - 12):f.start])
                   for f in shares):
            continue
        total = sum((f.value for f in shares), Decimal(0))
        slack = sum((tolerance(f.decimals) for f in shares), Decimal(0))
        if abs(total - 100) <= slack:
            continue
        out.append(doc.finding(
            para, "percent.composition", CATEGORY, "warning",
            f"Các tỷ lệ thành phần ({' + '.join(n(f.value) for f in shares)} = {n(total)}%) phải cộng lại bằng 100% "
            f"(câu có “còn lại”/“khác”): chênh {n(abs(total - 100))} điểm phần trăm.",
            shares[0].start, shares[-1].end, {"sum": n(total)}))
    return out
