"""Indicator fields suggested by an outline's wording ("số liệu", "tổng số", "bao nhiêu", "tỷ lệ",
"đạt …%", "so với cùng kỳ", a blank before a unit "……… ha"...): used by templates.outline for each
section's guidance; a label found in the shared dictionary keeps its stable code."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .headings import BLANK, MEASURE_START
from .model import CODE_RE
from .numbering import capitalize_first, fold, slugify, word_count

MAX_INDICATORS_PER_SECTION = 12


@dataclass
class SuggestedIndicator:
    code: str
    label: str
    unit: str = ""
    kind: str = "number"
    plan: bool = False
    cumulative: bool = False
    phrase: str = ""  # the words of the outline that asked for it

    def to_json(self) -> dict:
        return {"code": self.code, "label": self.label, "unit": self.unit, "kind": self.kind,
                "plan": self.plan, "cumulative": self.cumulative}


_UNIT_NOUNS = [
    "triệu đồng", "tỷ đồng", "nghìn đồng", "ngàn đồng", "đảng viên", "đồng chí", "chi bộ", "đảng bộ",
    "tổ chức đảng", "tổ chức", "hồ sơ", "hội nghị", "lượt người", "hộ gia đình", "hợp tác xã", "doanh nghiệp",
    "công trình", "dự án", "văn bản", "thủ tục", "học sinh", "đại biểu", "hội viên", "đoàn viên", "lao động",
    "người", "hộ", "vụ", "việc", "lượt", "cuộc", "lớp", "buổi", "thôn", "bản", "tổ", "xã", "trường", "ha",
    "km", "tấn", "con", "cái", "chiếc", "giấy", "thửa", "tin", "bài", "nhà", "căn", "cơ sở", "đơn vị",
    "sản phẩm", "mô hình", "điểm", "đoàn", "đợt", "HTX", "m2", "m²", "%",
]
_PERSON_NOUNS = {"cán bộ", "công chức", "viên chức", "nhân khẩu", "lao động", "người dân", "thí sinh", "bệnh nhân",
                 "trẻ em", "thanh niên", "hội viên", "cử tri"}
_AMOUNT_NOUNS = {"vốn": "triệu đồng", "tiền": "triệu đồng", "kinh phí": "triệu đồng", "thu": "triệu đồng",
                 "chi": "triệu đồng"}
_MEASURES = [  # (start of a quantity, default unit, kind)
    ("tổng số", "", ""), ("số lượng", "", ""), ("tỷ lệ", "%", "percent"), ("tỉ lệ", "%", "percent"),
    ("diện tích", "ha", "area"), ("sản lượng", "tấn", "weight"), ("năng suất", "", "number"),
    ("dân số", "người", "count"), ("tổng đàn", "con", "count"), ("kinh phí", "triệu đồng", "money"),
    ("nguồn vốn", "triệu đồng", "money"), ("vốn", "triệu đồng", "money"), ("giá trị", "triệu đồng", "money"),
    ("thu ngân sách", "triệu đồng", "money"), ("chi ngân sách", "triệu đồng", "money"),
    ("ngân sách", "triệu đồng", "money"), ("giải ngân", "triệu đồng", "money"),
    ("doanh thu", "triệu đồng", "money"), ("thu nhập bình quân", "triệu đồng", "money"),
    ("số tiền", "triệu đồng", "money"), ("chiều dài", "km", "length"), ("số", "", ""),
]
_MONEY_WORDS = re.compile(r"\b(?:ngân sách|kinh phí|vốn|giải ngân|doanh thu|thu nhập|giá trị sản xuất|số tiền|"
                          r"tiền)\b", re.IGNORECASE)
_HINT = re.compile(
    r"số liệu|tổng số|bao nhiêu|t[ỷỉ] lệ|kết quả cụ thể|số lượng|đạt\s*(?:[….]+|bao nhiêu)?\s*%|"
    r"so với cùng kỳ|\bsố\s+(?:" + "|".join(re.escape(u) for u in [*_UNIT_NOUNS, *_PERSON_NOUNS, *_AMOUNT_NOUNS]
                                           if u != "%") + r")\b|"
    r"(?:…+|\.{3,}|_{3,})\s*(?:" + "|".join(re.escape(u) for u in _UNIT_NOUNS) + r")",
    re.IGNORECASE)
_LEAD_VERBS = re.compile(
    r"^(?:(?:nêu|nêu rõ|nêu cụ thể|báo cáo|thống kê|tổng hợp|cung cấp|cho biết|đánh giá|làm rõ|phân tích|"
    r"ghi rõ|kèm theo|kèm|có|trong đó|gồm|về|của|và|các|cụ thể|chỉ rõ|xác định|so sánh|số liệu(?: cụ thể)?|"
    r"(?:đã|được)\s+\w+)\s+)+", re.IGNORECASE)
_OBJECT_STOP = re.compile(
    r"\s*(?:[;:()\[\]?!]|\.(?:\s|$)|…|\.{2,}|\s(?:so với|trong đó|là|gồm|như|để|nhằm|theo|tính đến|tính từ|"
    r"từ ngày|đến ngày|đến nay|hiện nay|hiện có|nếu có|và tỷ lệ|và số)\b|"
    r"\s(?:đạt|tăng|giảm|bằng|chiếm)(?=\s*(?:[\d…._%]|bao nhiêu|khoảng|trên|dưới|so|$)))", re.IGNORECASE)
_EMPTY_OBJECT = re.compile(r"^(?:cụ thể|minh chứng|minh họa|chứng minh|kèm theo|so sánh|thống kê|liên quan|"
                           r"có liên quan|cụ thể kèm theo|chi tiết|đầy đủ|nếu có)?$", re.IGNORECASE)


def _clauses(text: str) -> list[str]:
    out = []
    for sentence in re.split(r"(?<=[.;?!])\s+|\n", text):
        sentence = sentence.strip(" -–+•")
        if sentence:
            out.append(sentence)
    return out


def _object_after(text: str, limit: int = 12, first_only: bool = True) -> str:
    m = _OBJECT_STOP.search(text)
    obj = text[:m.start()] if m else text
    words = obj.split()
    obj = " ".join(words[:limit]).strip(" ,.-–")
    if first_only and obj:
        obj = _split_items(obj)[0]
    return obj


def _split_items(obj: str) -> list[str]:
    """ "diện tích gieo trồng, sản lượng lương thực và tổng đàn gia súc" → three quantities; "cán bộ,
    công chức" stays one (the next part does not start a new quantity)."""
    parts = re.split(r",\s*|\s+và\s+", obj)
    items = [parts[0]]
    for part in parts[1:]:
        if _measure_of(part) or re.match(r"^(?:số|tổng|t[ỷỉ] lệ)\s", part, re.IGNORECASE):
            items.append(part)
        else:
            items[-1] = f"{items[-1]}, {part}" if not obj.count(f" và {part}") else f"{items[-1]} và {part}"
    return [i.strip() for i in items if i.strip()]


def _measure_of(text: str):
    low = text.lower().strip()
    for start, unit, kind in _MEASURES:
        if low == start or low.startswith(start + " "):
            if start == "số" and not _unit_after(low[3:]) and low[3:].split(" ")[0] not in _AMOUNT_NOUNS:
                continue
            return start, unit, kind
    return None


def _unit_after(text: str) -> str:
    low = text.lower().strip()
    for noun in sorted(_UNIT_NOUNS, key=len, reverse=True):
        if re.match(re.escape(noun.lower()) + r"(?![\wà-ỹđ])", low):
            return noun
    for noun in _PERSON_NOUNS:
        if re.match(re.escape(noun) + r"(?![\wà-ỹđ])", low):
            return "người"
    return ""


def _guess_unit(label: str, clause: str) -> tuple[str, str]:
    low = label.lower()
    measure = _measure_of(label)
    m = re.search(r"(?:đơn vị tính|đvt)\s*[:.]?\s*([^\s,;)]+(?:\s+đồng)?)", clause, re.IGNORECASE)
    blank_unit = re.search(r"(?:^|(?<=[\s:(]))(?:…+|\.{3,}|_{3,})\s*([^\s…._,;/()%]+(?:\s+[^\s…._,;/()]+)?)\s*(?:[,;.)]|$)",
                           clause)
    if m:
        unit = m.group(1)
    elif blank_unit and not MEASURE_START.match(blank_unit.group(1)) and word_count(blank_unit.group(1)) <= 2 \
            and not re.match(r"(?i:so|kế hoạch|dự toán|chỉ tiêu)", blank_unit.group(1)):
        unit = blank_unit.group(1)  # "Số dịch vụ công trực tuyến: …… dịch vụ"
    elif measure and measure[2] == "percent" or re.search(r"%", clause) and "tỷ lệ" in low:
        unit = "%"
    else:
        unit = ""
        placeholder = re.search(r"(?:…+|\.{3,}|_{3,})\s*([^\s,;.…_/]+(?:\s+đồng)?)", clause)
        ratio = re.search(r"%\s*(?:kế hoạch|dự toán|chỉ tiêu|KH|so với|nghị quyết)", clause, re.IGNORECASE)
        if placeholder and placeholder.group(1).startswith("%") and not ratio:
            unit = "%"
        elif placeholder and _unit_after(placeholder.group(1)) and not (placeholder.group(1) == "%" and ratio):
            unit = _unit_after(placeholder.group(1))
        if not unit:
            after = re.match(r"^(?:tổng số|số lượng|số)\s+(.*)$", low)
            if after:
                unit = _unit_after(after.group(1)) or _AMOUNT_NOUNS.get(after.group(1).split(" ")[0], "")
        if not unit and measure:
            unit = measure[1]
        if not unit and _MONEY_WORDS.search(label):
            unit = "triệu đồng"
        if not unit:
            explicit = re.search(r"\b(triệu đồng|tỷ đồng|ha|người|hộ|tấn|km)\b", clause)
            unit = explicit.group(1) if explicit else ""
    return unit, _kind_of(unit, measure)


def _kind_of(unit: str, measure) -> str:
    if unit == "%":
        return "percent"
    if "đồng" in unit:
        return "money"
    if unit in ("ha", "m2", "m²"):
        return "area"
    if unit in ("tấn", "tạ", "kg"):
        return "weight"
    if unit in ("km", "m"):
        return "length"
    if unit:
        return "count"
    if measure and measure[2]:
        return measure[2]
    return "number"


def _subject_before(text: str, keyword_start: int) -> str:
    before = text[:keyword_start]
    before = re.split(r"[,;:]\s*", before)[-1]
    before = _LEAD_VERBS.sub("", before.strip())
    words = before.split()
    return " ".join(words[-10:]).strip(" ,.-–")


def _label(text: str) -> str:
    text = _LEAD_VERBS.sub("", text.strip())
    text = re.sub(r"\s+", " ", text).strip(" ,.;:-–…_")
    text = re.sub(r"\s*\((?:nếu có)\)$", "", text)
    return capitalize_first(text)[:90]


def suggest_indicators(title: str, guidance: str, used_codes: set[str] | None = None,
                       inline: str = "") -> list[SuggestedIndicator]:
    """Indicator fields asked for by a section's title and guidance (see the module docstring);
    `inline` is guidance written on the heading line after a colon ("Tỷ lệ che phủ rừng: ……%")."""
    used_codes = used_codes if used_codes is not None else set()
    found: list[tuple[str, str]] = []  # (label, clause)

    def add(label: str, clause: str):
        label = _label(label)
        if word_count(label) >= 1 and len(label) >= 3 and not _EMPTY_OBJECT.match(label):
            found.append((label, clause))

    title_label = _label(re.sub(r"^(?:kết quả|tình hình|công tác)\s+", "", title, flags=re.IGNORECASE)) or title
    # the heading itself names a quantity only when its text asks for none ("3. Tỷ lệ hộ nghèo")
    clauses = ([f"{title}: {inline}"] if inline else []) + _clauses(guidance)
    for clause in clauses + ["\0title"]:
        if clause == "\0title":
            if found:
                break
            clause = title
        if not _HINT.search(clause) and not BLANK.search(clause) and \
                not MEASURE_START.match(_LEAD_VERBS.sub("", clause.strip())):
            continue
        low = clause.lower()
        before = len(found)
        m = re.search(r"số liệu(?:\s+cụ thể)?(?:\s+(?:về|của|thống kê về|liên quan đến))?\s*", low)
        if m:
            obj = _object_after(clause[m.end():], 20, first_only=False)
            if obj and not _EMPTY_OBJECT.match(obj):
                for item in _split_items(obj):
                    add(item, clause)
        for m in re.finditer(r"\b(tổng số|số lượng|t[ỷỉ] lệ)\s+", low):
            obj = _object_after(clause[m.end():])
            if obj:
                add(f"{clause[m.start():m.end()].strip()} {obj}", clause)
        for m in re.finditer(r"(?<![\wà-ỹ])số\s+(?=\S)", low):
            if low[max(0, m.start() - 5):m.start()].strip().endswith(("tổng", "đa", "một", "thiểu", "dân", "chữ",
                                                                      "kỹ thuật", "đổi")):
                continue
            unit = _unit_after(low[m.end():]) or _AMOUNT_NOUNS.get(low[m.end():].split(" ")[0], "")
            if unit and unit != "%":
                obj = _object_after(clause[m.end():])
                add(f"số {obj}", clause)
        for m in re.finditer(r"bao nhiêu\s+", low):
            rest = clause[m.end():]
            if rest.startswith("%"):
                subject = _subject_before(clause, m.start())
                subject = re.sub(r"\s+(?:đạt|tăng|giảm|bằng|chiếm)$", "", subject, flags=re.IGNORECASE)
                add(subject, clause)
            else:
                obj = _object_after(rest)
                if obj:
                    add(f"số {obj}", clause)
        for m in re.finditer(r"\b(?:đạt|tăng|giảm|bằng|chiếm)\s*(?:[….]+|bao nhiêu|_+)?\s*%", low):
            subject = _subject_before(clause, m.start())
            if subject:
                add(subject, clause)
        m = re.search(r"so với cùng kỳ", low)
        if m and len(found) == before and not (found and word_count(clause) <= 5):
            subject = _subject_before(clause, m.start())
            subject = re.sub(r"\s+(?:tăng|giảm|đạt)(?:\s.*)?$", "", subject, flags=re.IGNORECASE)
            add(subject or title_label, clause)
        for m in BLANK.finditer(clause):
            after = re.match(r"\s*([^\s…._,;/()]+(?:\s+[^\s…._,;/()]+)?)?\s*(?:[,;.)]|$)", clause[m.end():])
            if not after:
                continue
            subject = clause[:m.start()]
            subject = re.split(r"[,;]\s*", subject)[-1]
            subject = re.sub(r"\s*(?::|là|đạt|có|gồm|với)\s*$", "", subject.strip(), flags=re.IGNORECASE)
            if subject and not _HINT.search(subject):
                add(subject, clause)
        m = re.search(r"kết quả cụ thể(?:\s+(?:về|của|trong))?\s*", low)
        if m and len(found) == before:
            obj = _object_after(clause[m.end():])
            add(f"Kết quả {obj}" if obj and not _EMPTY_OBJECT.match(obj) else title_label, clause)
        start = MEASURE_START.match(_LEAD_VERBS.sub("", clause.strip()))
        if start and len(found) == before:
            rest = _LEAD_VERBS.sub("", clause.strip())
            add(_object_after(rest, 10) if not rest.lower().startswith(("tổng số", "số lượng")) else rest, clause)
        if len(found) == before and re.search(r"số liệu|kết quả cụ thể|tổng số|số lượng", low):
            add(title_label, clause)  # "(có số liệu cụ thể)": the heading names the quantity
    merged: dict[str, tuple[str, str]] = {}  # the same quantity named twice: one field, both clauses
    for label, clause in found:
        key = fold(label)
        if key in merged:
            if clause not in merged[key][1]:
                merged[key] = (merged[key][0], f"{merged[key][1]} {clause}")
        else:
            merged[key] = (label, clause)
    out: list[SuggestedIndicator] = []
    by_label, shared_codes = _dictionary()
    for key, (label, clause) in merged.items():
        unit, kind = _guess_unit(label, clause)
        known = by_label.get(key)
        code = ""
        if known:  # the shared code of the indicator dictionary, with its unit and kind
            code, unit, kind = known.code, known.unit, known.kind
        low = clause.lower()
        plan = bool(re.search(r"(?:%|so với|đạt|bằng|hoàn thành)\s*(?:[^\s,;]+\s+){0,2}?(?:kế hoạch|dự toán|"
                              r"chỉ tiêu|KH\b|nghị quyết|mục tiêu)", clause, re.IGNORECASE)) and kind != "percent"
        cumulative = bool(re.search(r"lũy kế|luỹ kế|từ đầu năm|từ đầu nhiệm kỳ", low))
        base = code or slugify(label) or "chi_tieu"
        if not CODE_RE.match(base):
            base = "chi_tieu"
        code = base
        n = 2
        # a shared dictionary code means one quantity everywhere: never reuse it for another label
        shared = shared_codes.get(code)
        if shared is not None and not known and (shared.unit, shared.kind) == (unit, kind):
            known = shared  # "Sản lượng lương thực" is the dictionary's san_luong_luong_thuc: same unit, kind
        while code in used_codes or (code in shared_codes and code != (known.code if known else None)):
            code = f"{base[:60]}_{n}"
            n += 1
        used_codes.add(code)
        out.append(SuggestedIndicator(code, label, unit, kind, plan, cumulative, clause[:200]))
        if len(out) >= MAX_INDICATORS_PER_SECTION:
            break
    return out


def _dictionary() -> tuple[dict, dict]:
    """resources/indicators.yaml by folded label (so a suggested field reuses a stable shared code),
    and the set of shared codes."""
    try:
        from .dictionary import load_dictionary
        entries = load_dictionary()
    except Exception:  # a missing or broken dictionary only loses the reuse
        return {}, {}
    by_label = {}
    for entry in entries.values():
        by_label.setdefault(fold(entry.label), entry)
    return by_label, dict(entries)
