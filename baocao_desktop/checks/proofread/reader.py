"""Reading Vietnamese report text: figures, dates, document symbols, headings.

One scan per paragraph finds, left to right, what a number in the text *is*:
  - a document symbol ("430-BC/ĐU", "717/UBND-HCC", "178/2024/NĐ-CP"): not a figure;
  - a date ("05/02/2026", "ngày 24 tháng 5 năm 2026", "tháng 6/2026", "quý I/2026", "2025-2030"): not a figure;
  - a code or identifier ("CT10", "4G", "4.0", "Đề án 06", "Quyết định số 168", "Chu Va 6"): not a figure;
  - a figure: a number ("10.100,78", "1.000", "03"), a percent ("84,5%", "18,75 %"), a fraction
    ("549/650"), each with the words after it (its unit) and whether it is approximate ("trên", "gần",
    "khoảng", "hơn", "ước"...) or one end of a range ("5 - 7", "từ 2 đến 4").
Figures are converted by `domain.numbers.parse_number` (the one number parser).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from ...domain.dates import parse_date
from ...domain.numbers import NumberFormatError, parse_number
from ...domain.orthography import CAPITALS

# -- vocabulary ---------------------------------------------------------------------------------------

APPROX_BEFORE = ("trên", "gần", "khoảng", "hơn", "ước", "ước tính", "ước đạt", "ước khoảng", "xấp xỉ",
                 "chừng", "dưới", "tối thiểu", "tối đa", "ít nhất", "hàng", "gần như", "trên dưới",
                 "hơn nữa", "chưa đến", "chưa tới", "không quá", "từ trên", "tới gần", "lên tới", "lên đến")
APPROX_AFTER = ("trở lên", "trở xuống", "trở đi")

# Type words of documents → the symbol code they take (Party "-NQ/", State "/NQ-").
DOC_TYPES = {
    "nghị quyết liên tịch": ("NQLT",), "nghị quyết": ("NQ",), "quyết định": ("QĐ",), "quy định": ("QĐ", "QyĐ"),
    "kế hoạch": ("KH",), "chỉ thị": ("CT",), "kết luận": ("KL",), "hướng dẫn": ("HD",),
    "thông báo": ("TB",), "báo cáo": ("BC",), "tờ trình": ("TTr",), "chương trình hành động": ("CTr",),
    "chương trình": ("CTr",), "công văn": ("CV",), "quy chế": ("QC",), "đề án": ("ĐA",),
    "phương án": ("PA",), "thông tri": ("TT",), "nghị định": ("NĐ",), "thông tư liên tịch": ("TTLT",),
    "thông tư": ("TT",), "biên bản": ("BB",), "giấy mời": ("GM",), "công điện": ("CĐ",),
    "đề cương": ("ĐC",), "hợp đồng": ("HĐ",), "lệnh": ("L",), "chỉ thị liên tịch": ("CTLT",),
}
TYPE_CODES = {code for codes in DOC_TYPES.values() for code in codes}
# Words after which a number is an identifier, not a quantity (with or without "số").
IDENT_WORDS = tuple(DOC_TYPES) + (
    "văn bản", "phụ lục", "đoàn kiểm tra", "đoàn giám sát", "tổ công tác", "bão", "cơn bão", "gói thầu",
    "điều", "khoản", "chương", "mục", "tiểu mục", "luật", "kỳ họp thứ", "lần thứ", "thứ", "km", "quốc lộ",
    "tỉnh lộ", "đường tỉnh", "tờ bản đồ", "thửa đất số", "tổ dân phố", "tổ", "khu", "bản đồ số", "hội nghị lần thứ",
    "nghị định", "thông tư", "công điện", "hồ sơ số", "mã số", "số hiệu", "đề án", "ban công tác",
    "công tác", "đội", "khóa", "khoá", "trạm", "tuyến", "cụm", "phân khu", "lô", "nhà", "phòng số",
)
UNITS_ATTACHED = ("đồng", "đ", "ha", "km2", "km", "kg", "m2", "m3", "m²", "m", "tấn", "tạ", "%")

MONEY_SCALE = {"nghìn": Decimal(1000), "ngàn": Decimal(1000), "triệu": Decimal(10) ** 6, "tỷ": Decimal(10) ** 9,
               "tỉ": Decimal(10) ** 9}

_WORD = r"[^\W\d_]+"
_NUMBER = r"[0-9]+(?:[.,][0-9]+)*"

_MASTER = re.compile(
    r"(?P<markup>\[footnoteRef:[0-9]+\]|\[[0-9]{1,3}:|\[bookmark:[^\]]*\])"
    r"|(?P<long>(?i:ngày)\s+(?P<ld>[0-9]{1,2})\s+(?i:tháng)\s+(?P<lm>[0-9]{1,2})\s+(?i:năm)\s+(?P<ly>[0-9]{4}))"
    r"|(?P<party>(?<![0-9A-Za-z/.,])(?P<pn>[0-9]{1,5})(?P<psp>\s?[-–]\s?|[-–])"
    r"(?P<pt>[A-ZĐ][A-Za-zĐđ]{0,6})\s?/\s?(?P<pi>[A-ZĐ][A-Za-zĐđ0-9]{0,14}(?:-[A-ZĐ][A-Za-zĐđ0-9]*)?))"
    r"|(?P<state>(?<![0-9A-Za-z/.,])(?P<sn>[0-9]{1,5})(?:/(?P<sy>[0-9]{4}))?/(?P<st>[A-ZĐ][A-Za-zĐđ0-9]*)"
    r"(?P<srest>(?:\s?-\s?[A-ZĐ][A-Za-zĐđ0-9]*)+))"
    r"|(?P<dmy>(?<![0-9/.,])(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<dsp>\s?)(?P<y>[0-9]{4})(?![0-9]))"
    r"|(?P<quarter>[Qq]uý\s+[IV]+(?:\s*,\s*[IV]+)*\s*/\s*[0-9]{4})"
    r"|(?P<yrange>(?<![0-9.,/])(?P<y1>(?:19|20)[0-9]{2})\s*[-–]\s*(?P<y2>(?:19|20)[0-9]{2})(?![0-9]))"
    r"|(?P<code>(?<![^\W\d_])(?<![0-9])[A-Za-zĐđ_]+[0-9][A-Za-z0-9]*|(?<=[A-Za-z]-)[0-9]+)"
    r"|(?P<num>(?<![0-9])" + _NUMBER + r")(?:(?P<frac>\s?/\s?" + _NUMBER + r")(?![0-9/]))?(?P<pct>[ \u00a0\u202f]?%)?"
)
_UNIT_WORDS = re.compile(r"\s*((?:" + _WORD + r"(?:/" + _WORD + r")?[ \u00a0]?){1,4})")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass
class Figure:
    """A quantity written in the text."""
    text: str
    start: int
    end: int
    value: Decimal
    kind: str = "number"  # number | percent | fraction
    den: Decimal | None = None  # fraction a/b: b
    decimals: int = 0  # decimals shown (of the percent, for a percent)
    padded: bool = False  # "03"
    approx: bool = False  # "trên 11.866", "khoảng 2 tấn", a range end
    in_range: bool = False
    unit: str = ""  # up to four words after the figure, lower case ("người", "tỷ đồng", "hồ sơ")
    unit_class: str = "count"  # count | money | area | mass | percent | yield
    scale: Decimal = Decimal(1)  # "tỷ" → 10^9
    no_grouping: bool = False  # "4754": 4+ digits without the thousands dot
    pct_space: bool = False  # "18,75 %"

    @property
    def exact(self) -> bool:
        return not self.approx and not self.in_range

    @property
    def scaled(self) -> Decimal:
        return self.value * self.scale


@dataclass
class DateRef:
    start: int
    end: int
    date: dt.date | None  # None: not a valid calendar date (31/6/2026)
    text: str
    kind: str  # full | long | day_month | month_year | quarter | year_range
    stray_space: bool = False
    problem: str = ""  # Vietnamese reason when `date` is None


@dataclass
class Symbol:
    """A document symbol: Party "430-BC/ĐU" or State "12/BC-UBND", "178/2024/NĐ-CP"."""
    start: int
    end: int
    text: str
    number: int
    style: str  # party | state
    type_code: str | None  # "BC"; None for a State công văn ("717/UBND-HCC")
    issuer: str  # "ĐU", "UBND-HCC", "CP"
    year: int | None = None
    malformed: bool = False

    @cached_property
    def key(self) -> str:
        """Canonical form: spaces dropped, en dash as hyphen."""
        return re.sub(r"\s+", "", self.text).replace("–", "-")


@dataclass
class Scan:
    text: str
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    symbols: list[Symbol] = field(default_factory=list)
    codes: list[tuple[int, int, str]] = field(default_factory=list)  # identifiers, versions, codes
    heading: "Heading | None" = None


@lru_cache(maxsize=8192)
def _parse(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except NumberFormatError:
        return None


def _decimals(raw: str) -> int:
    return len(raw.rsplit(",", 1)[1]) if "," in raw else 0


def _ends_with_word(before: str, words) -> bool:
    b = before.rstrip().lower()
    for word in words:
        if b.endswith(word) and (len(b) == len(word) or not b[-len(word) - 1].isalnum()):
            return True
    return False


_IDENT_RE = re.compile(
    r"(?:^|[^\w])(" + "|".join(sorted((re.escape(w) for w in IDENT_WORDS), key=len, reverse=True)) + r")"
    r"(\s+(?:số|thứ))?\s*:?\s*$", re.IGNORECASE)
_APPROX_RE = re.compile(
    r"(?:^|[^\w])(" + "|".join(sorted((re.escape(w) for w in APPROX_BEFORE), key=len, reverse=True)) + r")"
    r"(?:\s+(?:là|đạt|có|được))?\s*$", re.IGNORECASE)
_DATE_CUE = re.compile(r"(?:ngày|từ|đến|hết|đến hết|sáng|chiều|tối|hôm)\s*$", re.IGNORECASE)


def _is_identifier(text: str, start: int, end: int) -> bool:
    """A number naming something rather than counting it."""
    before = text[max(0, start - 40):start]
    m = _IDENT_RE.search(before)
    if m:
        word, has_so = m.group(1), m.group(2)
        # "kế hoạch 650 ha" (lower case, no "số") is a plan figure; "Kế hoạch 14", "kế hoạch số 14" are names
        if has_so or word[0].isupper() or word.lower() in ("điều", "khoản", "chương", "phụ lục", "lần thứ",
                                                             "kỳ họp thứ", "thứ", "km", "bão", "cơn bão",
                                                             "gói thầu", "khóa", "khoá", "quốc lộ", "tỉnh lộ"):
            return True
    # "Chu Va 6, Chu Va 8", "Bình Lư 360”": after a proper name and not followed by a word (no unit)
    tail = text[end:end + 2]
    prev = before.rstrip()
    if prev and before.endswith((" ", "\u00a0")) and prev.split()[-1][:1].isupper() and not prev.endswith(":"):
        word = prev.split()[-1]
        sentence_start = len(prev.split()) == 1 or prev[:-len(word)].rstrip().endswith((".", "!", "?", ":", ";", "(", "-", "+"))
        if not sentence_start and (not tail.strip() or not tail.strip()[0].isalpha()) and not tail.startswith(("%", " %")):
            return True
    return False


def _unit_after(text: str, end: int) -> str:
    m = _UNIT_WORDS.match(text, end)
    if not m or m.start(1) - end > 2:
        return ""
    return m.group(1).strip().lower()


_NOT_MONEY_AFTER_DONG = {"chí", "bào", "thời", "ý", "hành", "bộ", "loạt", "nghiệp", "minh", "đều", "lòng", "tâm",
                         "khởi", "thuận", "tình", "ruộng", "cỏ", "hương", "đội", "dạng", "ca", "bằng"}


def unit_class(unit: str) -> tuple[str, Decimal]:
    """Class of the unit words after a figure, and the scale of "nghìn/triệu/tỷ"."""
    words = unit.split()
    if not words:
        return "count", Decimal(1)
    first = words[0]
    if first in MONEY_SCALE:
        if len(words) > 1 and words[1] in ("đồng", "đ", "vnđ", "vnd"):
            return "money", MONEY_SCALE[first]
        if len(words) > 1 and words[1] in ("usd", "lượt", "người", "lượt xem", "tin", "bài"):
            return "count", MONEY_SCALE[first]
        return "money", MONEY_SCALE[first]  # "500 triệu nguồn vốn": money written short
    if first in ("đồng", "đ", "vnđ", "vnd"):
        if first == "đồng" and len(words) > 1 and words[1] in _NOT_MONEY_AFTER_DONG:
            return "count", Decimal(1)  # "03 đồng chí"
        return "money", Decimal(1)
    if first in ("ha", "héc-ta", "hecta", "m2", "m²", "km2"):
        return "area", Decimal(1)
    if first in ("tấn", "tạ", "kg", "yến") and not unit.startswith(("tạ/ha", "tấn/ha")):
        return "mass", Decimal(1)
    if unit.startswith(("tạ/ha", "tấn/ha")):
        return "yield", Decimal(1)
    return "count", Decimal(1)


def scan(text: str) -> Scan:
    """Read one paragraph."""
    result = Scan(text)
    result.heading = parse_heading(text)
    skip_to = result.heading.end if result.heading else 0
    for m in _MASTER.finditer(text):
        if m.end() <= skip_to:
            continue
        if m.group("markup"):
            result.codes.append((m.start(), m.end(), m.group()))
        elif m.group("long"):
            _add_date(result, m.start(), m.end(), m.group("ld"), m.group("lm"), m.group("ly"), "long")
        elif m.group("party"):
            sym = Symbol(m.start(), m.end(), m.group("party"), int(m.group("pn")), "party", m.group("pt"),
                         m.group("pi"), malformed=bool(re.search(r"\s|–", m.group("party"))))
            result.symbols.append(sym)
        elif m.group("state"):
            st, rest = m.group("st"), m.group("srest")
            parts = [p.strip() for p in rest.split("-") if p.strip()]
            type_code = st if st in TYPE_CODES else None
            issuer = "-".join(parts) if type_code else "-".join([st] + parts)
            result.symbols.append(Symbol(m.start(), m.end(), m.group("state"), int(m.group("sn")), "state",
                                         type_code, issuer, int(m.group("sy")) if m.group("sy") else None,
                                         malformed=" " in m.group("state")))
        elif m.group("dmy"):
            _add_date(result, m.start(), m.end(), m.group("d"), m.group("m"), m.group("y"), "full",
                      stray_space=bool(m.group("dsp")))
        elif m.group("quarter"):
            result.dates.append(DateRef(m.start(), m.end(), None, m.group(), "quarter"))
        elif m.group("yrange"):
            y1, y2 = int(m.group("y1")), int(m.group("y2"))
            if y1 < y2 <= y1 + 40:
                result.dates.append(DateRef(m.start(), m.end(), None, m.group(), "year_range"))
            else:  # "1995 - 2005" that is no period: two numbers
                _read_number(result, text, m.start("y1"), m.end("y1"), m.group("y1"))
                _read_number(result, text, m.start("y2"), m.end("y2"), m.group("y2"))
        elif m.group("code"):
            result.codes.append((m.start(), m.end(), m.group()))
        elif m.group("num"):
            _read_match(result, text, m)
    _mark_ranges(result, text)
    return result


def _add_date(result: Scan, start, end, d, mth, y, kind, stray_space=False):
    raw = f"{int(d)}/{int(mth)}/{y}"
    try:
        day = parse_date(raw)
        result.dates.append(DateRef(start, end, day, result.text[start:end], kind, stray_space))
    except ValueError:
        result.dates.append(DateRef(start, end, None, result.text[start:end], kind, stray_space,
                                    problem=f"ngày {int(d):02d}/{int(mth):02d}/{y} không có trên lịch"))


def _read_match(result: Scan, text: str, m: re.Match) -> None:
    raw, start, end = m.group("num"), m.start("num"), m.end("num")
    frac, pct = m.group("frac"), m.group("pct")
    if frac:
        den_raw = frac.replace("/", "").strip()
        a, b = _parse(raw), _parse(den_raw)
        # a day/month after "ngày", "từ", "đến": "từ ngày 01/6 đến 07/6/2026"
        if "." not in raw + den_raw and "," not in raw + den_raw and b is not None and a is not None:
            if 1 <= b <= 12 and 1 <= a <= 31 and _DATE_CUE.search(text[max(0, start - 12):start]):
                result.dates.append(DateRef(start, m.end("frac"), None, text[start:m.end("frac")], "day_month"))
                return
            if 1 <= a <= 12 and 1900 <= b <= 2100 and len(den_raw) == 4:
                result.dates.append(DateRef(start, m.end("frac"), None, text[start:m.end("frac")], "month_year"))
                return
        if a is None or b is None or b == 0:
            result.codes.append((start, m.end(), m.group()))
            return
        fig = Figure(text[start:m.end("frac")], start, m.end("frac"), a, "fraction", den=b,
                     decimals=_decimals(raw), padded=raw.startswith("0") and len(raw) > 1 and "," not in raw)
        _finish(result, text, fig, m.end("frac"))
        if pct:  # "2/3%": not a thing; keep the fraction
            pass
        return
    value = _parse(raw)
    after = text[end:end + 1]
    if value is None:
        # "4.0", "1.5": a version or an English decimal; unicode_format looks at these
        result.codes.append((start, end, raw))
        return
    if after and (after.isalpha()) and not pct:
        word = re.match(r"[^\W\d_]+[0-9²³]?", text[end:])
        w = word.group().lower() if word else ""
        if w not in UNITS_ATTACHED:
            result.codes.append((start, end + len(w), text[start:end + len(w)]))  # "4G", "5G"
            return
    if pct:
        fig = Figure(text[start:m.end()], start, m.end(), value, "percent", decimals=_decimals(raw),
                     pct_space=len(pct) > 1)
        fig.unit, fig.unit_class = "%", "percent"
        _finish(result, text, fig, m.end(), unit_done=True)
        return
    digits = raw.replace(".", "").replace(",", "")
    if "," not in raw and "." not in raw and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        # a year ("năm 2025", "từ năm 2015"), unless a unit of quantity follows
        unit = _unit_after(text, end)
        if not unit or unit.split()[0] in ("của", "và", "đến", "theo", "về", "là", "trở", "tại", "trên", "có",
                                            "nhằm", "đã", "được", "với", "cho", "sẽ", "vào", "sau", "trước",
                                            "tầm", "thì", "mới", "để", "trong", "giai", "nhiệm"):
            result.dates.append(DateRef(start, end, None, raw, "year"))
            return
        before = text[max(0, start - 12):start].lower()
        if re.search(r"(năm|từ|đến|nhiệm kỳ|khóa|khoá|giai đoạn)\s*$", before):
            result.dates.append(DateRef(start, end, None, raw, "year"))
            return
    if re.search(r"(?:ngày|tháng)\s*$", text[max(0, start - 7):start], re.IGNORECASE) and value <= 31:
        result.dates.append(DateRef(start, end, None, raw, "date_part"))
        return
    if _is_identifier(text, start, end):
        result.codes.append((start, end, raw))
        return
    fig = Figure(raw, start, end, value, "number", decimals=_decimals(raw),
                 padded=raw.startswith("0") and len(raw) > 1 and "," not in raw,
                 no_grouping="." not in raw and len(raw.split(",")[0]) >= 4)
    _finish(result, text, fig, end)


def _read_number(result: Scan, text: str, start: int, end: int, raw: str) -> None:
    value = _parse(raw)
    if value is not None:
        fig = Figure(raw, start, end, value, "number", decimals=_decimals(raw))
        _finish(result, text, fig, end)


def _finish(result: Scan, text: str, fig: Figure, end: int, unit_done: bool = False) -> None:
    if not unit_done:
        fig.unit = _unit_after(text, end)
        fig.unit_class, fig.scale = unit_class(fig.unit)
    before = text[max(0, fig.start - 24):fig.start]
    if _APPROX_RE.search(before):
        fig.approx = True
    elif any(fig.unit.startswith(w) or (" " + w) in " " + fig.unit for w in APPROX_AFTER):
        fig.approx = True
    elif re.search(r"(?:\.\.\.|…)\s*$", before):
        fig.approx = True
    result.figures.append(fig)


_RANGE_SEP = re.compile(r"^\s*(?:[-–]|đến|tới)\s*$")


def _mark_ranges(result: Scan, text: str) -> None:
    figs = result.figures
    for a, b in zip(figs, figs[1:]):
        gap = text[a.end:b.start]
        if a.kind == b.kind and a.kind != "fraction" and (_RANGE_SEP.match(gap) or
                                                          (a.unit == "" and re.match(r"^\s*(?:[-–]|đến|tới)\s*$", gap))):
            if gap.strip() in ("-", "–") or re.search(r"từ\s*$", text[max(0, a.start - 8):a.start], re.IGNORECASE):
                a.in_range = b.in_range = True
                a.approx = b.approx = True
        # "từ 2 đến 4 mảng", "từ 05 lên 15 nhiệm vụ": a change, not a range; leave


# -- headings -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    kind: str  # roman | arabic | decimal | letter | paren | paren_close
    label: str  # "II", "3", "2.4", "đ", "1"
    parts: tuple  # numeric parts for arabic/decimal ((2, 4)), roman value, letter index
    end: int  # offset after the marker
    dot: bool = True  # "I." (False for "IV NHIỆM VỤ")
    space_after: bool = True

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
LETTERS = "abcdđeghiklmnopqrstuvxy"

_HEADING = re.compile(
    r"^[ \t\u00a0]*(?:(?P<rom>[IVXLC]{1,6})(?P<romdot>\.)?(?=[ \t]+[A-Z" + CAPITALS + r"]|\.\S)"
    r"|(?P<dec>[0-9]{1,2}(?:\.[0-9]{1,2})+)(?P<decdot>\.)?(?=[ \t]*[^\W\d_])"
    r"|(?P<ar>[0-9]{1,2})(?P<arclose>[.)])(?=[ \t]*[^\W\d_(\"“*])"
    r"|\((?P<par>[0-9]{1,2})\)(?=[ \t]*\S)"
    r"|(?P<let>[a-zđ])\)(?=[ \t]*\S))")


def roman_value(s: str) -> int:
    total, prev = 0, 0
    for ch in reversed(s):
        v = ROMAN[ch]
        total += -v if v < prev else v
        prev = max(prev, v)
    return total


def parse_heading(text: str) -> Heading | None:
    m = _HEADING.match(text)
    if not m:
        return None
    end = m.end()
    space = end < len(text) and text[end] in " \t\u00a0"
    if m.group("rom"):
        rom = m.group("rom")
        if roman_value(rom) <= 0 or _roman_canonical(roman_value(rom)) != rom:
            return None
        return Heading("roman", rom, (roman_value(rom),), end, dot=bool(m.group("romdot")), space_after=space)
    if m.group("dec"):
        parts = tuple(int(p) for p in m.group("dec").split("."))
        if any(p == 0 for p in parts):
            return None
        return Heading("decimal", m.group("dec"), parts, end, dot=bool(m.group("decdot")), space_after=space)
    if m.group("ar"):
        n = int(m.group("ar"))
        if n == 0:
            return None
        return Heading("arabic" if m.group("arclose") == "." else "paren_close", m.group("ar"), (n,), end,
                       space_after=space)
    if m.group("par"):
        return Heading("paren", m.group("par"), (int(m.group("par")),), end, space_after=space)
    let = m.group("let")
    return Heading("letter", let, (LETTERS.index(let) + 1,) if let in LETTERS else (0,), end, space_after=space)


def _roman_canonical(n: int) -> str:
    out = []
    for value, sym in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def starts_with_superscript(text: str) -> bool:
    s = text.lstrip()
    return bool(s) and s[0] in _SUPERSCRIPTS
