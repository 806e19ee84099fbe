"""doc_symbol: the type word and the symbol disagree ("Nghị quyết số 03-QĐ/ĐU"), the issuer and the symbol
suffix disagree ("30-KH/HU … của Ban Thường vụ Đảng ủy"), one symbol for two documents, a State công văn
symbol cited as a report, symbols written out of form ("09 -NQ/TW")."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .citations import PARTY_SUFFIX_LEVEL, citations, organ, para_citations
from .reader import DOC_TYPES
from ...domain.orthography import CAPITALS
from .util import check_whole, d

CATEGORY = "doc_symbol"
DISTRICTS_ENDED = dt.date(2025, 7, 1)  # no district (huyện) level since 01/7/2025
_LEVEL_LABEL = {"tỉnh": "cấp tỉnh (…/TU)", "huyện": "cấp huyện (…/HU)", "xã": "Đảng ủy (…/ĐU)", "tw": "Trung ương (…/TW)"}
_ORGAN_LABEL = {"btv": "Ban Thường vụ", "bch": "Ban Chấp hành", "tt": "Thường trực", "ubkt": "Ủy ban Kiểm tra"}


def check(doc):
    return check_whole(doc, local, cross)


def cross(doc):
    return _same_symbol(doc, citations(doc))


def local(doc, para):
    out = []
    cv_as_other: dict[tuple, list] = {}
    for c in para_citations(para):
        sym, para = c.symbol, c.para
        reasons = []
        severity = None
        if c.type_word and c.type_word not in ("văn bản", "công văn"):
            expected = DOC_TYPES.get(c.type_word, ())
            if sym.type_code is None and sym.style == "state":
                cv_as_other.setdefault((id(para), c.type_word), []).append(c)
                continue
            elif sym.type_code and expected and sym.type_code not in expected:
                reasons.append(f"“{c.type_word.capitalize()}” phải có ký hiệu “{expected[0]}”, nhưng số hiệu "
                               f"“{sym.text}” có “{sym.type_code}” ({_type_name(sym.type_code)})")
                severity = "error"
        if sym.style == "party" and c.issuer:
            level, _org = organ(c.issuer)
            suffix_level = PARTY_SUFFIX_LEVEL.get(sym.issuer)
            if level and suffix_level and level != suffix_level:
                reasons.append(f"đuôi “/{sym.issuer}” là văn bản {_LEVEL_LABEL[suffix_level]} nhưng cơ quan ban hành "
                               f"ghi “{c.issuer}”")
                severity = severity or "warning"
        if sym.style == "party" and sym.issuer == "HU" and c.date and c.date >= DISTRICTS_ENDED:
            reasons.append(f"ngày {d(c.date)} đã không còn cấp huyện (từ 01/7/2025), nên không còn văn bản “…/HU”")
            severity = severity or "warning"
        if reasons:
            out.append(doc.finding(
                para, "symbol.mismatch", CATEGORY, severity,
                f"{c.type_word.capitalize() + ' số ' if c.type_word else 'Văn bản '}{sym.text}: " + "; ".join(reasons)
                + ". Kiểm tra lại loại văn bản và số, ký hiệu.", c.start, sym.end,
                {"symbol": sym.text, "type": c.type_word}))
        elif sym.malformed:
            out.append(doc.finding(
                para, "symbol.format", CATEGORY, "info",
                f"Số, ký hiệu “{sym.text}” viết sai quy cách (có dấu cách hoặc gạch dài): viết liền “{sym.key}”.",
                sym.start, sym.end))
    for (_pid, word), group in cv_as_other.items():
        c = group[0]
        expected = DOC_TYPES.get(word, ("?",))[0]
        symbols = ", ".join(x.symbol.text for x in group)
        out.append(doc.finding(
            c.para, "symbol.cv_as_other", CATEGORY, "warning",
            f"{word.capitalize()} số {symbols}: ký hiệu dạng “số/UBND-…” là ký hiệu công văn (không có chữ viết tắt "
            f"loại văn bản), nhưng câu gọi là “{word}” (ký hiệu {word} phải có “{expected}”, ví dụ “…/{expected}-UBND”). "
            f"Gọi đúng là “Công văn số …” hoặc sửa lại số, ký hiệu.",
            c.start, group[-1].symbol.end, {"symbols": [x.symbol.text for x in group], "type": word}))
    return out


def _type_name(code: str) -> str:
    for word, codes in DOC_TYPES.items():
        if code in codes:
            return word
    return "loại khác"


_SUBJECT = re.compile(r"\s(?:về|V/v|v/v)\s+(?:việc\s+)?([^,;.()“”\"]{4,})")
_NAMED_BODY = re.compile(r"\b(?:Tỉnh ủy|tỉnh ủy|Huyện ủy|huyện ủy|Thành ủy|thành ủy|xã|phường|đặc khu|[Tt]ỉnh|[Hh]uyện|"
                         r"thị trấn|[Tt]hành phố)\s+"
                         r"((?:[A-Z" + CAPITALS + r"][^\s,.;:()]*\s?){1,4})")


@lru_cache(maxsize=4096)
def body_name(issuer: str) -> str:
    """The proper name of the body an issuer phrase names ("Đảng ủy xã Lùng Thẩn" → "lùng thẩn"), "" when the
    phrase names none ("Ban Thường vụ Đảng ủy"): each such body numbers its own papers."""
    m = _NAMED_BODY.search((issuer or "").replace("uỷ", "ủy"))
    if not m:
        return ""
    words = [w for w in m.group(1).split() if w[:1].isupper()]
    return " ".join(words).lower()


def _subject(c) -> str:
    """The first words of what a cited document is about ("về kiện toàn Ban Chỉ đạo …" → "kiện toàn ban"); two
    citations of one document may word it differently, so only subjects sharing no word are told apart."""
    return _subject_in(c.para.text, c.symbol.end, c.window_end)


@lru_cache(maxsize=4096)
def _subject_in(text: str, start: int, end: int) -> str:
    m = _SUBJECT.search(text, start, end)
    if not m or m.start() - start > 120:
        return ""
    words = m.group(1).lower().split()
    return " ".join(words[:3]) if len(words) >= 2 else ""


def _same_symbol(doc, cites):
    """One symbol, two documents: different dates, type words, issuing organs or subjects. Bodies that each
    number their own papers (two named Đảng ủy) may give the same number: those are separate series."""
    out = []
    first: dict[tuple, object] = {}
    keys_of: dict[str, list[tuple]] = {}  # symbol → its keys in `first`, in order
    reported = set()
    for c in cites:
        key = (c.symbol.key, body_name(c.issuer))
        if c.symbol.style == "state" and c.symbol.year is None and c.date:
            key += (c.date.year,)  # State numbers restart every year
        prev = first.get(key)
        if prev is None:  # one side names no body: the same document as any named one
            prev = next((first[k] for k in keys_of.get(key[0], ()) if k[2:] == key[2:]
                         and not (k[1] and key[1])), None)
        if prev is None:
            first[key] = c
            keys_of.setdefault(key[0], []).append(key)
            continue
        if key in reported:
            continue
        problems = []
        severity = "warning"
        if prev.date and c.date and prev.date != c.date:
            problems.append(f"ngày {d(prev.date)} và ngày {d(c.date)}")
            severity = "error"
        words = {prev.type_word, c.type_word} - {"", "văn bản", "công văn"}
        if len(words) > 1:
            problems.append(" và ".join(f"“{w}”" for w in sorted(words)))
        if prev.issuer and c.issuer:
            (l1, o1), (l2, o2) = organ(prev.issuer), organ(c.issuer)
            if (o1 and o2 and o1 != o2) or (l1 and l2 and l1 != l2):
                problems.append(f"cơ quan ban hành “{prev.issuer}” và “{c.issuer}”")
        s1, s2 = _subject(prev), _subject(c)
        if s1 and s2 and not set(s1.split()) & set(s2.split()) and not (prev.date and c.date and prev.date != c.date):
            problems.append(f"nội dung “về {s1}…” và “về {s2}…”")
        if not problems:
            # keep the one with the most detail for later comparisons
            if not prev.date and c.date:
                first[key] = c
            continue
        reported.add(key)
        out.append(doc.finding(
            c.para, "symbol.two_documents", CATEGORY, severity,
            f"Số hiệu {c.symbol.text} được ghi cho hai văn bản khác nhau ({'; '.join(problems)}; lần đầu ở "
            f"{prev.para.where() or 'trên'}): một cơ quan không cấp một số hiệu cho hai văn bản. Kiểm tra lại số, "
            f"ngày và cơ quan ban hành.",
            c.start, c.symbol.end, {"symbol": c.symbol.text}))
    return out
