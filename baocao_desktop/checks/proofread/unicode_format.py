"""unicode_format: decomposed (NFD) letters, numbers without the thousands dot or written the English way,
mixed ways of writing "%" and counts under ten, stray spaces inside dates."""
from __future__ import annotations

import re
import unicodedata

from .util import check_whole, n, quote

CATEGORY = "unicode_format"
_ENGLISH = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$|^[0-9]+\.[0-9]{1,2}$")
_MEASURE = ("ha", "tấn", "tạ", "kg", "tỷ", "tỉ", "triệu", "nghìn", "%", "người", "km", "m", "đồng", "lít", "hộ")


def check(doc):
    return check_whole(doc, local, cross)


def local(doc, para):
    out = []
    text = para.text
    raw = para.raw
    if raw and raw != text:
        words_nfd = [w for w in re.findall(r"\S+", raw) if unicodedata.normalize("NFC", w) != w]
        if words_nfd:
            first = unicodedata.normalize("NFC", words_nfd[0])
            pos = text.find(first)
            examples = ", ".join(f"“{unicodedata.normalize('NFC', w).strip('.,;:()')}”" for w in words_nfd[:3])
            out.append(doc.finding(
                para, "unicode.nfd", CATEGORY, "warning",
                f"Có {len(words_nfd)} chữ gõ ở dạng Unicode tổ hợp (NFD), ví dụ {examples}: nhìn giống nhưng "
                f"tìm kiếm và so khớp không nhận ra. Chuyển đoạn này sang Unicode dựng sẵn (NFC), ví dụ bằng "
                f"công cụ chuyển mã của Unikey.",
                pos if pos >= 0 else None, pos + len(first) if pos >= 0 else None,
                {"count": len(words_nfd)}))
    sc = para.scan
    missing = [f for f in sc.figures if f.no_grouping and f.kind == "number" and not f.text.startswith("0")]
    glued = [f for f in missing if re.fullmatch(r"(?:19|20)[0-9]{2}[0-9]{1,4}", f.text)
             and re.search(r"\bnăm\s*$", text[max(0, f.start - 8):f.start])]
    for f in glued:  # "năm 2020230 hộ": a year and the next figure run together
        out.append(doc.finding(
            para, "unicode.glued_year", CATEGORY, "warning",
            f"“năm {f.text}”: năm {f.text[:4]} và số {f.text[4:]} bị viết liền nhau; thêm dấu cách hoặc dấu phẩy "
            f"(“năm {f.text[:4]}, {f.text[4:]} …”).", f.start, f.end, {"figure": f.text}))
    missing = [f for f in missing if f not in glued]
    if missing:
        f = missing[0]
        shown = ", ".join(f"“{x.text}” → {n(x.value)}" for x in missing[:3])
        out.append(doc.finding(
            para, "unicode.no_thousands_dot", CATEGORY, "info",
            f"Số thiếu dấu chấm phân cách hàng nghìn: {shown}. Văn bản hành chính viết 1.000, 10.223.",
            f.start, f.end, {"figures": [x.text for x in missing]}))
    for start, end, code in sc.codes:
        if not _ENGLISH.match(code):
            continue
        after = text[end:end + 8].strip().lower()
        if "," in code or any(after.startswith(u) for u in _MEASURE):
            vn = code.replace(",", "\0").replace(".", ",").replace("\0", ".")
            out.append(doc.finding(
                para, "unicode.english_number", CATEGORY, "warning",
                f"Số “{code}” viết theo kiểu Anh (dấu chấm thập phân hoặc dấu phẩy hàng nghìn). "
                f"Viết theo kiểu Việt Nam: {vn}.", start, end, {"text": code}))
    for date in sc.dates:
        if date.stray_space:
            out.append(doc.finding(
                para, "unicode.date_space", CATEGORY, "info",
                f"Ngày “{date.text}” có dấu cách thừa: viết liền “{date.text.replace(' ', '')}”.",
                date.start, date.end))
    out += _padding(doc, para)
    out += _glued(doc, para)
    return out


def _percents(para):
    return [f for f in para.scan.figures if f.kind == "percent"]


def cross(doc):
    out = []
    spaced_pct, plain_pct = [], None
    for para, f in doc.gather("percents", _percents):
        if f.pct_space:
            spaced_pct.append((para, f))
        elif plain_pct is None:
            plain_pct = (para, f)
    if spaced_pct and plain_pct:
        for para, f in spaced_pct:  # each "18,75 %" beside the usual "84,5%"
            out.append(doc.finding(
                para, "unicode.percent_space", CATEGORY, "info",
                f"Ký hiệu % lúc viết liền (“{plain_pct[1].text}”, {plain_pct[0].where()}), lúc có dấu cách "
                f"(“{f.text}”): thống nhất viết liền số và %.", f.start, f.end))
    return out


_WORD = re.compile(r"[^\W\d_]+")


def _glued(doc, para):
    """"giao banThường trực": a space lost between two words (brand names such as TikTok, VNeID are ASCII)."""
    out = []
    for m in _WORD.finditer(para.text):
        w = m.group()
        if w.isascii() or len(w) < 4:
            continue
        for k in range(1, len(w)):
            if w[k - 1].islower() and w[k].isupper():
                left, right = w[:k], w[k:]
                if len(left) >= 2 and len(right) >= 2:
                    out.append(doc.finding(para, "unicode.glued", CATEGORY, "info",
                                           f"“{w}”: có lẽ thiếu dấu cách (“{left} {right}”).", m.start(), m.end()))
                break
    return out


def _padding(doc, para):
    """Counts under ten written both "3" and "07" in one sentence."""
    out = []
    figs = [f for f in para.scan.figures if f.kind == "number" and f.exact and f.unit and f.unit_class == "count"
            and f.value == f.value.to_integral_value() and 0 < f.value < 10 and "," not in f.text]
    if len(figs) < 2:
        return out
    # only neighbours in one list: "3 công văn, 07 quyết định" (not "2 cấp … 01 năm" far apart)
    for a, b in zip(figs, figs[1:]):
        gap = para.text[a.end:b.start]
        if a.padded == b.padded or len(gap) > 45 or not re.search(r",|\bvà\b|;", gap):
            continue
        if any(a.end <= f.start < b.start for f in para.scan.figures):
            continue
        plain, padded = (a, b) if b.padded else (b, a)
        out.append(doc.finding(
            para, "unicode.mixed_padding", CATEGORY, "info",
            f"Trong cùng một danh sách, số đếm dưới 10 lúc viết “{plain.text} {quote(plain.unit, 20)}”, lúc viết "
            f"“{padded.text} {quote(padded.unit, 20)}”: thống nhất một cách (thường viết 0{plain.text}).",
            plain.start, plain.end))
        break
    return out
