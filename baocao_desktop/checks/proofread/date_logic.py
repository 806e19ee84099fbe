"""date_logic: dates that cannot be (31/6), documents dated after the report, a plan dated before what it
implements, numbers of one series out of date order, the unit's own documents dated before it existed,
"trong tuần … ban hành" a document dated outside the week, a period told two ways, the Central Committee
"khóa IV" in a 2026 report."""
from __future__ import annotations

import re

from .citations import PARTY_SUFFIX_LEVEL, citations, organ
from .util import check_whole, d

CATEGORY = "date_logic"
_KHOA_TW = re.compile(r"(?:Trung ương|TW|Trung ương Đảng)\s*(?:Đảng\s*)?(?:(?:lần thứ\s+)?[0-9]{1,2}\s+)?,?\s*kh(?:oá|óa|oa)\s+([IVXL]+)\b", re.IGNORECASE)
_IN_PERIOD = re.compile(r"\btrong (?:tuần|kỳ|tháng)\b", re.IGNORECASE)
_ISSUED = re.compile(r"\bban hành\b", re.IGNORECASE)
_BASIS = re.compile(r"^\s*(?:Thực hiện|Căn cứ|Triển khai)\b")
_PERIOD = re.compile(r"từ\s+ngày\s+([0-9]{1,2})(?:/([0-9]{1,2}))?(?:/\s?([0-9]{4}))?\s+đến\s+(?:ngày\s+)?"
                     r"([0-9]{1,2})/([0-9]{1,2})/\s?([0-9]{4})", re.IGNORECASE)


def check(doc):
    return check_whole(doc, local, cross)


def local(doc, para):
    out = []
    year = doc.year
    for dr in para.scan.dates:
        if dr.problem:
            out.append(doc.finding(para, "date.invalid", CATEGORY, "error",
                                   f"“{dr.text}”: {dr.problem}. Sửa lại ngày.", dr.start, dr.end))
    if year:
        for m in _KHOA_TW.finditer(para.text):
            from .reader import roman_value
            try:
                value = roman_value(m.group(1).upper())
            except KeyError:
                continue
            if 0 < value <= 7 and year >= 2000:
                out.append(doc.finding(
                    para, "date.old_term", CATEGORY, "warning",
                    f"“{m.group().strip()}”: Ban Chấp hành Trung ương khóa {m.group(1)} là từ nhiều chục năm "
                    f"trước, không hợp với một văn bản năm {year} (có lẽ là khóa X{m.group(1)}?). "
                    f"Kiểm tra lại khóa.", m.start(), m.end()))
    return out + _in_period(doc, para)


def cross(doc):
    out = _citations(doc)
    out += _period_twice(doc)
    out += _period_before_founded(doc)
    return out


# The report's own period named in its title block: "6 tháng đầu năm 2025", "9 tháng đầu năm 2025",
# "quý III năm 2025", "năm 2025", "6 tháng cuối năm 2025"
_NAMED_PERIOD = re.compile(r"\b(?:(?P<months>[0-9]{1,2}|sáu|chín)\s+tháng\s+(?P<half>đầu|cuối)\s+năm|quý\s+(?P<q>I{1,3}|IV|[1-4])"
                           r"\s+năm|(?P<year_only>năm))\s+(?P<y>20[0-9]{2})\b", re.IGNORECASE)
_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _period_before_founded(doc):
    """A period such as "9 tháng đầu năm 2025" that starts before the unit existed (01/7/2025): its figures
    before that day belong to the merged units, which the report must say, or the period is wrong."""
    import datetime as dt
    founded = doc.facts.founded_on
    if not founded:
        return []
    for para in doc.paras[:15]:
        if para.is_footnote or len(para.text) > 250 or re.search(r"ngày\s*\S*\s*tháng", para.text):
            continue  # the date line ("ngày 15 tháng 9 năm 2025") names no period
        m = _NAMED_PERIOD.search(para.text)
        if not m:
            continue
        year = int(m.group("y"))
        if m.group("q"):
            start = dt.date(year, 3 * _QUARTER[m.group("q").lower()] - 2, 1)
        elif m.group("half") and m.group("half").lower() == "cuối":
            months = {"sáu": 6, "chín": 9}.get(m.group("months").lower()) or int(m.group("months"))
            start = dt.date(year, 13 - months, 1) if 1 <= months <= 12 else dt.date(year, 1, 1)
        else:
            start = dt.date(year, 1, 1)
        if start < founded <= dt.date(year, 12, 31):
            return [doc.finding(
                para, "date.period_before_founded", CATEGORY, "warning",
                f"Kỳ báo cáo “{m.group()}” bắt đầu từ {d(start)}, trước khi đơn vị được thành lập ({d(founded)}): "
                f"ghi rõ số liệu trước ngày thành lập là của các đơn vị cũ, hoặc sửa lại kỳ báo cáo.",
                m.start(), m.end(), {"period_start": start.isoformat(), "founded_on": founded.isoformat()})]
        return []
    return []


def _citations(doc):
    facts = doc.facts
    cites = citations(doc)
    problems: dict[int, list] = {}
    sev: dict[int, str] = {}

    def add(c, severity, reason):
        problems.setdefault(id(c), [c]).append(reason)
        if severity == "error" or id(c) not in sev:
            sev[id(c)] = severity if sev.get(id(c)) != "error" else "error"

    report_para = facts.report_date_para
    for c in cites:
        if not c.date:
            continue
        if facts.report_date and c.date > facts.report_date and not (
                report_para is not None and c.para.order == report_para):
            add(c, "error", f"ngày {d(c.date)} sau ngày báo cáo ({d(facts.report_date)})")
        elif (facts.report_date and c.date == facts.report_date and _BASIS.match(c.para.text)
              and c.para.order < 25 and c.para.text.find(c.symbol.text) < 80):
            add(c, "info", f"văn bản yêu cầu ({d(c.date)}) cùng ngày với báo cáo: kiểm tra lại ngày")
        if c.implements and c.implements.date and c.date < c.implements.date:
            other = c.implements
            add(c, "error", f"văn bản này thực hiện {other.type_word or 'văn bản'} {other.symbol.text} ngày "
                            f"{d(other.date)}, nhưng lại có ngày {d(c.date)} (trước văn bản nó thực hiện)")
        if facts.founded_on and c.date < facts.founded_on and _own(c):
            add(c, "warning", f"ngày {d(c.date)} trước khi đơn vị được thành lập ({d(facts.founded_on)})")
    # one series (type + issuer; State: + year): numbers grow with dates. A series may restart once (a new
    # term or a new organisation), so only a sequence that breaks twice points at one wrong number or date.
    series: dict[tuple, dict] = {}  # key → {number: its first citation}
    for c in cites:
        if not c.date or not c.symbol.type_code:
            continue
        sym = c.symbol
        key = (sym.style, sym.type_code, sym.issuer, sym.year is not None) + ((c.date.year,) if sym.style == "state" else ())
        series.setdefault(key, {}).setdefault(sym.number, c)
    for key, numbered in series.items():
        items = list(numbered.values())
        if len(items) < 3:
            continue
        ordered = sorted(items, key=lambda x: (x.date, x.symbol.number))
        drops = [k for k in range(1, len(ordered)) if ordered[k].symbol.number < ordered[k - 1].symbol.number]
        if not drops:
            continue
        if len(drops) == 1:
            k = drops[0]
            old, new = ordered[:k], ordered[k:]
            if min(x.symbol.number for x in new) < min(x.symbol.number for x in old):
                continue  # a clean restart (a new term or a new organisation numbers from 1 again)
        culprits = [x for x in ordered if _drops([y for y in ordered if y is not x]) == 0]
        if len(culprits) != 1:
            continue
        best = culprits[0]
        rest = [y for y in ordered if y is not best]
        lower = [y for y in rest if y.symbol.number < best.symbol.number and y.date > best.date]
        higher = [y for y in rest if y.symbol.number > best.symbol.number and y.date < best.date]
        o = (lower or higher or [None])[0]
        if o is None:
            continue
        rel = "lớn hơn" if lower else "nhỏ hơn"
        when = "trước" if lower else "sau"
        add(best, "warning", f"số {best.symbol.number} {rel} số {o.symbol.number} ({o.symbol.text}, ngày {d(o.date)}) "
                             f"mà ngày lại {when}; văn bản cùng loại được đánh số theo thứ tự thời gian")
    out = []
    for key, (c, *reasons) in problems.items():
        severity = sev[key]
        name = (c.type_word.capitalize() + " số " if c.type_word else "Văn bản ") + c.symbol.text
        tail = "" if severity == "info" else ". Kiểm tra lại ngày hoặc số"
        out.append(doc.finding(c.para, "date.document", CATEGORY, severity,
                               f"{name}, ngày {d(c.date)}: " + "; ".join(reasons) + tail + ".",
                               c.start, c.date_ref.end if c.date_ref else c.symbol.end,
                               {"symbol": c.symbol.text, "date": c.date.isoformat()}))
    return out


def _drops(ordered) -> int:
    return sum(1 for a, b in zip(ordered, ordered[1:]) if b.symbol.number < a.symbol.number)


def _own(c) -> bool:
    """A document of the unit itself (…/ĐU, or issued by its Đảng ủy, UBND, HĐND xã)."""
    if c.symbol.style == "party":
        return c.symbol.issuer == "ĐU" or PARTY_SUFFIX_LEVEL.get(c.symbol.issuer) == "xã"
    if c.issuer:
        level, _ = organ(c.issuer)
        return bool(re.search(r"\b(?:UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân)\s+xã\b", c.issuer)) or level == "xã"
    return False


def _in_period(doc, para):
    """"Trong tuần … ban hành Văn bản số 160 ngày 28/5/2026" when the week is 01/6–07/6/2026."""
    out = []
    facts = doc.facts
    if not (facts.period_start and facts.period_end):
        return out
    if para.scan.dates and _IN_PERIOD.search(para.text):
        for s, e in para.sentences:
            sentence = para.text[s:e]
            if not (_IN_PERIOD.search(sentence) and _ISSUED.search(sentence)):
                continue
            for dr in para.scan.dates:
                if s <= dr.start < e and dr.date and dr.kind in ("full", "long"):
                    issued = _ISSUED.search(para.text, s, dr.start)
                    if not issued or dr.start - issued.end() > 60:
                        continue
                    if not (facts.period_start <= dr.date <= facts.period_end):
                        out.append(doc.finding(
                            para, "date.outside_period", CATEGORY, "warning",
                            f"Câu nói văn bản ban hành trong kỳ báo cáo, nhưng ngày {d(dr.date)} nằm ngoài kỳ "
                            f"({d(facts.period_start)}–{d(facts.period_end)}). Kiểm tra lại ngày, hoặc bỏ “trong kỳ”.",
                            dr.start, dr.end, {"date": dr.date.isoformat()}))
    return out


def _period_twice(doc):
    """The period stated in the title and in the closing must agree."""
    found = []
    paras = doc.paras
    candidates = paras[:12] + [p for p in paras[-15:] if p.text.lstrip().lower().startswith("trên đây")]
    for para in candidates:
        m = _PERIOD.search(para.text)
        if m:
            found.append((para, m, (m.group(1), m.group(2) or m.group(5), m.group(3) or m.group(6),
                                    m.group(4), m.group(5), m.group(6))))
    out = []
    if len(found) >= 2:
        (p1, m1, k1), (p2, m2, k2) = found[0], found[-1]
        norm = lambda k: tuple(int(x) for x in k)  # noqa: E731
        if p1 is not p2 and norm(k1) != norm(k2):
            out.append(doc.finding(
                p2, "date.period_mismatch", CATEGORY, "warning",
                f"Kỳ báo cáo ghi hai cách: “{m1.group()}” ({p1.where()}) và “{m2.group()}”. Thống nhất lại.",
                m2.start(), m2.end()))
    return out
