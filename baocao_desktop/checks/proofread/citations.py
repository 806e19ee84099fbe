"""Citations of documents in the text: type word, symbol, date, issuer ("Kế hoạch số 85-KH/TU, ngày
22/5/2026 của Ban Thường vụ Tỉnh ủy về …"), shared by doc_symbol and date_logic."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .reader import DOC_TYPES, DateRef, Symbol

_TYPE_BEFORE = re.compile(
    r"(" + "|".join(sorted((re.escape(w) for w in list(DOC_TYPES) + ["văn bản", "công văn"]), key=len, reverse=True))
    + r")(?:\s+(?:liên tịch|hành động))?\s*(?:số|So)?\s*:?\s*$", re.IGNORECASE)
_ISSUER = re.compile(r"\bcủa\s+(.{3,90}?)(?=\s+(?:về|V/v|v/v|ngày|quy định|hướng dẫn|ban hành|thông báo|tại|đối với|với|"
                     r"theo|để|nhằm|trong|đã|được|là|có|gồm|số|hướng|và|thực hiện|triển khai|kết luận)\b|"
                     r"\s+[0-9]|[,;.(:“\"]|$)")
_ORGAN_START = re.compile(r"^(?:Ban|ban|Bộ|bộ|Trung ương|trung ương|Tỉnh|tỉnh|Huyện|Đảng|Ủy|Uỷ|ủy|UB|Hội đồng|HĐND|"
                          r"Chính phủ|Thủ tướng|Quốc hội|Văn phòng|Sở|Thường trực|BCH|BTV|Ban|Tổng|Chủ tịch|Cục|Công an|"
                          r"Mặt trận|MTTQ|Hội|Liên|Phòng|Trung tâm|Tòa|Viện|Kho bạc|Ngân hàng|Bảo hiểm)")
_IMPLEMENTS = re.compile(r"(?:về|để|nhằm)?\s*(?:việc\s+)?(?:triển khai\s+)?(?:tổ chức\s+)?thực hiện\s*(?:theo\s+)?$",
                         re.IGNORECASE)


@dataclass
class Citation:
    para: object
    symbol: Symbol
    type_word: str  # lower case, "" when none
    type_start: int
    date: dt.date | None
    date_ref: DateRef | None
    issuer: str  # "Ban Thường vụ Tỉnh ủy", "" when none
    window_end: int
    implements: "Citation | None" = None  # "… về thực hiện <other citation>"

    @property
    def start(self) -> int:
        return self.type_start if self.type_word else self.symbol.start


def citations(doc) -> list[Citation]:
    """Every citation of the document, in order."""
    if "citations" in doc.cache:
        return doc.cache["citations"]
    out: list[Citation] = []
    for group in doc.groups:  # kept per group: its paragraphs and their citations stay while it is unchanged
        found = group.cache.get("citations")
        if found is None:
            found = group.cache["citations"] = [c for para in group.paras if para.fact("citations", _read)
                                                for c in para_citations(para)]
        out += found
    doc.cache["citations"] = out
    return out


def para_citations(para) -> list[Citation]:
    """The citations of one paragraph (read once per text, then given this paragraph)."""
    read = para.fact("citations", _read)
    if not read:
        return []
    copies = [replace(c, para=para) for c in read]
    for c, copy in zip(read, copies):
        if c.implements is not None:
            copy.implements = next(x for y, x in zip(read, copies) if y is c.implements)
    return copies


def _read(para) -> list[Citation]:
    """A paragraph's citations without the paragraph (`para` None), to be kept with its text."""
    sc = para.scan
    if not sc.symbols:
        return []
    text = para.text
    local: list[Citation] = []
    for i, sym in enumerate(sc.symbols):
        before = text[max(0, sym.start - 45):sym.start]
        m = _TYPE_BEFORE.search(before)
        type_word, type_start = "", sym.start
        if m:
            type_word = " ".join(m.group(1).lower().split())
            type_start = sym.start - (len(before) - m.start(1))
        # the window after the symbol: up to the next symbol, a ";" or the end of the sentence
        next_start = sc.symbols[i + 1].start if i + 1 < len(sc.symbols) else len(text)
        if i + 1 < len(sc.symbols):
            tb = _TYPE_BEFORE.search(text[max(0, next_start - 45):next_start])
            if tb:
                next_start = next_start - (len(text[max(0, next_start - 45):next_start]) - tb.start(1))
        window_end = min(next_start, sym.end + 160)
        other = re.search(r"\s(?:và|cùng)\s+(?:các\s+)?(?:" + "|".join(re.escape(w) for w in DOC_TYPES) + r")\b",
                          text[sym.end:window_end], re.IGNORECASE)
        if other:
            window_end = sym.end + other.start()
        semi = text.find(";", sym.end, window_end)
        if semi != -1:
            window_end = semi
        dot = re.search(r"\.\s+[A-ZĐ]", text[sym.end:window_end])
        if dot:
            window_end = sym.end + dot.start()
        date_ref = None
        for dr in sc.dates:
            if sym.end <= dr.start < window_end and dr.kind in ("full", "long"):
                # the date must come before "về …" (the subject may hold other dates)
                subject = re.search(r"\s(?:về|V/v)\s", text[sym.end:dr.start])
                if not subject:
                    date_ref = dr
                break
        issuer = ""
        im = _ISSUER.search(text, sym.end, window_end)
        if im and not re.search(r"\s(?:về|V/v)\s", text[sym.end:im.start()]) and _ORGAN_START.match(im.group(1)):
            issuer = im.group(1).strip()
        local.append(Citation(None, sym, type_word, type_start, date_ref.date if date_ref else None, date_ref,
                              issuer, window_end))
    # "Kế hoạch số 74-KH/ĐU … về thực hiện Nghị quyết số 05-NQ/TU …"
    for a, b in zip(local, local[1:]):
        gap = text[a.symbol.end:b.start]
        head = gap.split(";")[0]
        if ";" in gap or len(head) > 220:
            continue
        tail = re.sub(r"^.*?(?=(?:về|để|nhằm)?\s*(?:việc\s+)?(?:triển khai\s+)?thực hiện)", "", head, count=1)
        if re.search(r"\bthực hiện\b", head) and _IMPLEMENTS.search(head.rstrip(" ,")) and "và" not in tail[-10:]:
            a.implements = b
    return local


@lru_cache(maxsize=4096)
def organ(phrase: str) -> tuple[str, str]:
    """(level, organ) of an issuer phrase: ("tỉnh", "btv") for "Ban Thường vụ Tỉnh ủy"."""
    p = " ".join(phrase.lower().replace("uỷ", "ủy").split())
    if any(w in p for w in ("trung ương", "bộ chính trị", "ban bí thư", "tổng bí thư")):
        level = "tw"
    elif "tỉnh ủy" in p or "đảng bộ tỉnh" in p or re.search(r"\btỉnh\b", p):
        level = "tỉnh"
    elif "huyện ủy" in p or "đảng bộ huyện" in p:
        level = "huyện"
    elif re.search(r"\bđảng ủy\b(?!\s+(?:khối|bộ|công an|quân sự|các cơ quan|cơ quan|[A-ZĐ]))", p) or "đảng bộ xã" in p:
        level = "xã"
    else:
        level = ""
    if "ban thường vụ" in p:
        org = "btv"
    elif "ban chấp hành" in p:
        org = "bch"
    elif "thường trực" in p:
        org = "tt"
    elif "ủy ban kiểm tra" in p or "ubkt" in p:
        org = "ubkt"
    else:
        org = ""
    return level, org


PARTY_SUFFIX_LEVEL = {"TU": "tỉnh", "HU": "huyện", "ĐU": "xã", "TW": "tw"}
