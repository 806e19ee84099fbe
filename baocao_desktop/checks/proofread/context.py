"""What the proofreader knows about the unit and the report, given or read from the text itself."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from ...domain.orthography import CAPITALS

LEVELS = ("xã", "phường", "đặc khu")
_COMBINING = re.compile("[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]")
_UNIT_PREFIX = re.compile(r"^(?:đảng ủy|đảng uỷ|đảng bộ|ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd|hội đồng nhân dân|"
                          r"ban thường vụ đảng ủy|thường trực đảng ủy)?\s*(xã|phường|đặc khu|thị trấn)?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ProofreadContext:
    """Facts about the unit that sharpen the checks; every field is optional.

    unit_name: "Đảng ủy xã Lùng Phình" or just "Lùng Phình"; level: "xã" | "phường" | "đặc khu";
    villages: thôn/bản names; old_units: communes merged into the unit ("Tả Van Chư", "Lùng Thẩn");
    founded_on: the unit's start (01/7/2025); report_date, period_start/period_end: the report's dates;
    doc_kind: "báo cáo" when the text is a report (so "Kế hoạch này" is out of place);
    final: True for a report past its draft (for signature, signed, sent), False for a draft, None when not
    known (a file: a "DỰ THẢO" mark makes it a draft).
    """
    unit_name: str = ""
    level: str = ""
    place_name: str = ""
    villages: tuple[str, ...] = ()
    old_units: tuple[str, ...] = ()
    founded_on: dt.date | None = None
    report_date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    doc_kind: str = ""
    final: bool | None = None

    @classmethod
    def from_unit(cls, unit, **more) -> "ProofreadContext":
        """From a `domain.model.Unit` (name, level, place name, founding date)."""
        return cls(unit_name=unit.name or "", level=unit.level or "", place_name=unit.place_name or "",
                   founded_on=unit.founded_on, **more)

    @property
    def own_name(self) -> str:
        """The unit's proper name: "Lùng Phình" from "Đảng ủy xã Lùng Phình"."""
        if self.place_name:
            return self.place_name.strip()
        return bare_name(self.unit_name)

    def names(self) -> tuple[str, ...]:
        """Every own proper name the text may spell: unit, villages, merged old units."""
        out = []
        for name in (self.own_name, *self.villages, *self.old_units):
            name = (name or "").strip()
            if name and name not in out:
                out.append(name)
        return tuple(out)


def bare_name(name: str) -> str:
    name = (name or "").strip()
    return _UNIT_PREFIX.sub("", name, count=1).strip() if name else ""


def strip_marks(text: str) -> str:
    """Lower case without tone or vowel marks: "Tả Văn Chư" → "ta van chu" (đ → d)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return _COMBINING.sub("", decomposed)


@dataclass
class Facts:
    """The context in effect: given facts first, then what the text says about itself."""
    given: ProofreadContext
    own_name: str = ""
    own_name_inferred: bool = False
    level: str = ""
    level_inferred: bool = False
    report_date: dt.date | None = None
    report_date_para: int | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    doc_kind: str = ""
    names: tuple[str, ...] = ()
    founded_on: dt.date | None = None
    final: bool | None = None


_TITLE_CASE_BODY = re.compile(r"^\s*(?:ĐẢNG ỦY|ĐẢNG UỶ|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|ĐẢNG BỘ)\s+"
                              r"(XÃ|PHƯỜNG|ĐẶC KHU)\s+(.+?)\s*$")
_BODY_LINE = re.compile(r"^\s*(?:ĐẢNG ỦY|ĐẢNG UỶ|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|ĐẢNG BỘ)\s*$")
_LEVEL_LINE = re.compile(r"^\s*(XÃ|PHƯỜNG|ĐẶC KHU)\s+([^\s.…_].*?)\s*$")
_DATE_LINE = re.compile(r"^\s*([^\d,;:]{2,40}),\s*ngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})\s*\.?\s*$",
                        re.IGNORECASE)
_PERIOD = re.compile(r"từ\s+ngày\s+([0-9]{1,2})(?:/([0-9]{1,2}))?(?:/\s?([0-9]{4}))?\s+đến\s+(?:ngày\s+)?"
                     r"([0-9]{1,2})/([0-9]{1,2})/\s?([0-9]{4})", re.IGNORECASE)
_SELF = re.compile(r"(?:Đảng ủy|Đảng uỷ|Đảng bộ|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND)\s+(xã|phường|đặc khu)\s+"
                   r"((?:[A-Z" + CAPITALS + r"][^\s,.;:()\"“”]*\s?){1,3})")
KINDS = ("BÁO CÁO", "KẾ HOẠCH", "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHƯƠNG TRÌNH", "HƯỚNG DẪN", "THÔNG BÁO",
         "TỜ TRÌNH", "ĐỀ ÁN", "QUY CHẾ", "QUY ĐỊNH", "CÔNG VĂN")


def _proper(words: str) -> str:
    words = words.strip().rstrip(".,;:")
    out = []
    for w in words.split():
        if not w[:1].isupper():
            break
        out.append(w)
    return " ".join(out)


def self_references(text: str) -> tuple[tuple[str, str], ...]:
    """(name, level) of each place a paragraph names the unit ("Đảng ủy xã Lùng Phình" → ("Lùng Phình", "xã"))."""
    out = []
    for m in _SELF.finditer(text):
        name = _proper(m.group(2))
        if name and len(name.split()) <= 3:
            out.append((name, m.group(1)))
    return tuple(out)


INFER_HEAD, INFER_TAIL = 30, 12  # the paragraphs read for the header, the date line, the period


def infer(paragraphs: list[str], given: ProofreadContext | None, references=None) -> Facts:
    """`references`: `self_references(text)` of each paragraph, when the caller kept them (then only the first
    INFER_HEAD and the last INFER_TAIL paragraphs are read)."""
    given = given or ProofreadContext()
    facts = Facts(given)
    head = paragraphs[:INFER_HEAD]
    # unit name and level from the header ("ĐẢNG ỦY XÃ LÙNG PHÌNH") or from self-references
    header_name = header_level = ""
    for k, text in enumerate(head):
        m = _TITLE_CASE_BODY.match(text)
        if not m and k and _BODY_LINE.match(head[k - 1]):
            m = _LEVEL_LINE.match(text)  # "ỦY BAN NHÂN DÂN" / "XÃ PHÌN HỒ" on two lines
        if m:
            header_level, header_name = m.group(1).lower(), m.group(2).title()
            break
    counts: Counter = Counter()
    levels: Counter = Counter()
    for found in references if references is not None else map(self_references, paragraphs):
        for name, level in found:
            counts[name] += 1
            levels[level] += 1
    for i, text in enumerate(head):
        m = _DATE_LINE.match(text)
        if m:
            try:
                facts.report_date = dt.date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
                facts.report_date_para = i
            except ValueError:
                pass
            place = _proper(m.group(1))
            if place:
                counts[place] += 2
            break
    if given.own_name:
        facts.own_name = given.own_name
    elif header_name:
        facts.own_name, facts.own_name_inferred = header_name, True
    elif counts:
        name, n = counts.most_common(1)[0]
        if n >= 3:
            facts.own_name, facts.own_name_inferred = name, True
    if given.level:
        facts.level = given.level
    elif header_level:
        facts.level, facts.level_inferred = header_level, True
    elif levels:
        level, n = levels.most_common(1)[0]
        if n >= 3 and n >= 3 * (sum(levels.values()) - n):
            facts.level, facts.level_inferred = level, True
    facts.report_date = given.report_date or facts.report_date
    # period: given, else "từ ngày … đến ngày …" in the title or the closing paragraph
    facts.period_start, facts.period_end = given.period_start, given.period_end
    if not facts.period_start:
        candidates = head + [p for p in paragraphs[-INFER_TAIL:] if p.lstrip().lower().startswith("trên đây")]
        for text in candidates:
            m = _PERIOD.search(text)
            if not m:
                continue
            try:
                end = dt.date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
                start = dt.date(int(m.group(3) or end.year), int(m.group(2) or end.month), int(m.group(1)))
            except ValueError:
                continue
            if start <= end and (end - start).days <= 400:
                facts.period_start, facts.period_end = start, end
                break
    facts.doc_kind = given.doc_kind
    if not facts.doc_kind:
        for text in head:
            t = text.strip().upper()
            if t in KINDS:
                facts.doc_kind = t.lower()
                break
    names = list(given.names())
    if facts.own_name and facts.own_name not in names:
        names.insert(0, facts.own_name)
    facts.names = tuple(names)
    facts.founded_on = given.founded_on
    facts.final = given.final
    if facts.final is None and any(re.match(r"^\s*DỰ THẢO\b", text) for text in head):
        facts.final = False
    return facts


def with_report(context: ProofreadContext | None, report) -> ProofreadContext:
    """Add a report's date and period to a context (for the report hook)."""
    context = context or ProofreadContext()
    return replace(context, report_date=context.report_date or report.report_date,
                   period_start=context.period_start or report.period.start,
                   period_end=context.period_end or report.period.end,
                   doc_kind=context.doc_kind or "báo cáo",
                   final=context.final if context.final is not None else report.status != "draft")
