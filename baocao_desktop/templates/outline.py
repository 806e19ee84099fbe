"""A new template from the outline (đề cương) the upper level sends with its plan.

The outline arrives as a .docx or as pasted text. Its heading tree (Phần/Chương, A./B., I./II., 1./2.,
1.1., a)/b)/đ), -/+ bullets, unnumbered CAPITAL headings) becomes the section tree; the text under a
heading becomes that section's guidance; phrases that ask for figures ("số liệu", "tổng số",
"bao nhiêu", "tỷ lệ", "đạt …%", "so với cùng kỳ"...) become suggested indicator fields.

Which lines are headings is decided by templates.headings (shared with the Word import): numbering
and context, bold or Heading styles when present, Markdown marks read as the formatting they stand for,
headings wrapped over two lines joined.
Bullet (-, +) headings stay in the tree; in the template they fold into their numbered parent's
guidance (a report writes them as paragraphs of the parent), with their indicator fields.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import untrusted
from ..domain.untrusted import Expected, UntrustedFileError
from .headings import (BLANK, BULLET_KINDS, LATIN_LOWER, MEASURE_START, SUPERSCRIPTS, VN_LOWER, HeadingTree,
                       Line, join_wrapped, capitalize_first, clean_line, fold, is_caps, parse_marker, read_markdown, slugify,
                       word_count)
from .model import CODE_RE, TemplateError, section_path

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINES = 20000
MAX_INDICATORS_PER_SECTION = 12
MAX_TEMPLATE_DEPTH = 5
_END_MARKERS = re.compile(r"^(?:nơi nhận|t/m |tm\. |kt\. |tl\. |t/l |q\. )", re.IGNORECASE)
_OUTLINE_TITLE = re.compile(r"^(?:đề cương|de cuong)\b", re.IGNORECASE)


class OutlineError(TemplateError):
    """An input that cannot be turned into a template; the message is Vietnamese."""


# == data ==========================================================================================
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


@dataclass
class OutlineSection:
    number: str  # as printed ("I.", "1.1.", "đ)", "-", "Phần thứ nhất"; "" when unnumbered)
    title: str
    kind: str  # the marker type, e.g. "roman.", "num.1", "alpha)", "dash", "caps", "heading2"
    guidance: str = ""
    indicators: list[SuggestedIndicator] = field(default_factory=list)
    children: list["OutlineSection"] = field(default_factory=list)

    @property
    def is_bullet(self) -> bool:
        return self.kind in BULLET_KINDS

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict:
        return {"number": self.number, "title": self.title, "guidance": self.guidance,
                "indicators": [i.to_json() for i in self.indicators],
                "children": [c.to_json() for c in self.children]}


@dataclass
class OutlineTemplate:
    name: str
    sections: list[OutlineSection]
    intro: str = ""  # text before the first heading (requirements of the outline itself)
    origin: str = ""
    code: str = ""

    def walk(self):
        for section in self.sections:
            yield from section.walk()

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "sections": [s.to_json() for s in self.sections]}

    def to_data(self, code: str | None = None, name: str | None = None) -> dict:
        """The template as a YAML-ready mapping (see templates/model.py for the fields)."""
        name = (name or self.name or "Báo cáo theo đề cương").strip()
        code = code or self.code or _template_code(name)
        if not CODE_RE.match(code):
            raise OutlineError(f"Mã mẫu “{code}” chỉ được gồm chữ thường không dấu, số và dấu gạch dưới "
                               f"(bắt đầu bằng chữ), ví dụ: so_ket_nghi_quyet_26.")
        used_codes: set[str] = set()
        indicators: list[dict] = []
        sections = _yaml_sections(self.sections, 1, indicators, used_codes)
        data = {
            "code": code, "version": 1, "name": name, "period": "custom", "title": "BÁO CÁO",
            "summary": _summary(name), "doc_type": "BC",
        }
        if indicators:
            data["indicators"] = indicators
        data["sections"] = sections
        return data

    def to_yaml(self, code: str | None = None, name: str | None = None) -> str:
        import yaml
        data = self.to_data(code, name)
        header = [f"# Mẫu báo cáo dựng tự động từ đề cương{(' ' + self.origin) if self.origin else ''}.",
                  "# Hãy rà soát tên mục, hướng dẫn và các chỉ tiêu gợi ý (mã, đơn vị, loại) trước khi dùng."]
        for line in self.intro.splitlines()[:20]:
            header.append(f"# {line}".rstrip())
        body = yaml.dump(data, Dumper=yaml_dumper(), allow_unicode=True, sort_keys=False, width=110,
                         default_flow_style=False)
        return "\n".join(header) + "\n" + body

    def template(self, code: str | None = None, name: str | None = None):
        from .model import parse_template
        return parse_template(self.to_yaml(code, name), origin=self.origin or "đề cương")


_DUMPER = None


def yaml_dumper():
    """A safe YAML dumper that never writes anchors and writes multi-line text as a block."""
    global _DUMPER
    if _DUMPER is None:
        import yaml

        class Dumper(yaml.SafeDumper):
            def ignore_aliases(self, data):
                return True

        def text(dumper, value):
            style = "|" if "\n" in value else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

        Dumper.add_representer(str, text)
        _DUMPER = Dumper
    return _DUMPER


# == reading the input ==============================================================================
def _outline_region(lines: list[Line]) -> tuple[list[Line], str]:
    """Drop the document header and the signature/recipient block; return (lines, title)."""
    start, title = 0, ""
    candidates = [index for index, line in enumerate(lines[:400]) if _OUTLINE_TITLE.match(line.text)]
    # the title "ĐỀ CƯƠNG" (capitals), not a sentence of the plan that mentions the outline
    candidates = [i for i in candidates if is_caps(lines[i].text.split("(")[0]) or re.fullmatch(r"(?i:đề cương)", lines[i].text)] \
        or [i for i in candidates if word_count(lines[i].text) <= 25 and not lines[i].text.endswith(".")]
    for index in candidates[:1]:
        start = index + 1
        rest = re.sub(r"^(?i:đề cương)\s*(?i:báo cáo)?\s*[:\-–]?\s*", "", lines[index].text).strip()
        title_lines = [rest] if rest else []
        # the trích yếu: the next line, or several lines of one title in capitals
        for follow in lines[index + 1:index + 5]:
            text = follow.text
            if parse_marker(text) or text.startswith("(") or re.match(r"^-{3,}", text) or word_count(text) > 40:
                break
            if title_lines and not (is_caps(title_lines[-1]) and is_caps(text)):
                break
            title_lines.append(text)
            start += 1
        title = " ".join(title_lines)
    end = len(lines)
    for index in range(start, len(lines)):
        if _END_MARKERS.match(lines[index].text):
            end = index
            break
    region = [line for line in lines[start:end]
              if not re.fullmatch(r"[-–—_*=.\s]{3,}|\*", line.text)
              and not re.match(rf"^[{SUPERSCRIPTS}]", line.text)]
    return region, title


def _name_from(title: str, intro: str) -> str:
    if not title:
        intro_lines = [line.strip() for line in intro.splitlines() if line.strip()]
        for index, line in enumerate(intro_lines[:-1]):
            if re.fullmatch(r"BÁO CÁO|ĐỀ CƯƠNG BÁO CÁO", line):
                # "BÁO CÁO" then the trích yếu, on one or a few lines, until "-----" or the opening text
                parts = []
                for follow in intro_lines[index + 1:index + 4]:
                    if re.match(r"^(?:-{3,}|\(|(?i:thực hiện|căn cứ|kính gửi|ngày)\b)", follow):
                        break
                    parts.append(follow)
                    if word_count(" ".join(parts)) > 60:
                        break
                title = " ".join(parts)
                break
    if not title:
        for line in intro.splitlines():
            if re.match(r"^(?i:báo cáo)\s*$", line.strip()):
                continue
            if re.match(r"^(?i:báo cáo)\s+\S", line.strip()) and word_count(line) <= 40:
                title = line.strip()
                break
    if not title:
        return ""
    title = re.sub(r"\s*\((?i:kèm theo)[^)]*\)\s*$", "", title).strip()
    if is_caps(title):
        title = title.lower()
    title = capitalize_first(title)
    if not re.match(r"^(?i:báo cáo)\b", title):
        title = "Báo cáo " + title[:1].lower() + title[1:]
    if len(title) > 200:
        title = title[:200].rsplit(" ", 1)[0]
    return title


def _template_code(name: str) -> str:
    base = slugify(re.sub(r"^(?i:báo cáo)\s+", "", name), 40) or "de_cuong"
    return base if CODE_RE.match(base) else "mau_de_cuong"


def _summary(name: str) -> str:
    text = re.sub(r"^(?i:báo cáo)\s+", "", name).strip()
    return capitalize_first(text) if text else name


def outline_from_lines(lines: list[Line], origin: str = "") -> OutlineTemplate:
    lines = [Line(clean_line(line.text), line.bold, line.heading_level, line.auto_number)
             for line in lines[:MAX_LINES]]
    lines = [line for line in lines if line.text]
    if not lines:
        raise OutlineError(f"{_origin(origin)} không có chữ nào: không phải đề cương.")
    region, title = _outline_region(lines)
    tree = HeadingTree(join_wrapped(region)).run()
    if sum(1 for root in tree.roots for _ in root.walk()) < 2:
        raise OutlineError(
            f"{_origin(origin)} không có đề mục nào được đánh số (I., 1., 1.1., a), Phần thứ nhất...): "
            f"không phải đề cương. Hãy mở đúng tệp đề cương (thường kèm theo kế hoạch của cấp trên).")
    used: set[str] = set()
    roots = [_section(heading, used) for heading in tree.roots]
    intro = "\n".join(tree.intro)
    name = _name_from(title, intro)
    return OutlineTemplate(name=name, sections=roots, intro=intro, origin=origin)


def _section(heading, used: set[str]) -> OutlineSection:
    """A recognized heading → a section: its run-in text and the lines under it are its guidance."""
    inline = capitalize_first(heading.tail)
    section = OutlineSection(heading.marker.number, heading.title, heading.marker.kind,
                             guidance="\n".join(([inline] if inline else []) + heading.body).strip())
    section.indicators = suggest_indicators(section.title, "\n".join(heading.body).strip(), used, inline=inline)
    section.children = [_section(child, used) for child in heading.children]
    return section


def _origin(origin: str) -> str:
    return f"Tệp “{origin}”" if origin else "Văn bản"


def outline_from_text(text: str, origin: str = "") -> OutlineTemplate:
    if not isinstance(text, str):
        raise OutlineError("Đề cương phải là văn bản.")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return outline_from_lines(read_markdown([Line(t) for t in text.split("\n")]), origin)


class OutlineFileError(OutlineError, UntrustedFileError):
    """An outline file refused before it is read (domain.untrusted)."""


EXPECTED = Expected("tệp đề cương", "đọc", MAX_FILE_BYTES, "Hãy kiểm tra lại tệp.", OutlineFileError)


def outline_from_file(path) -> OutlineTemplate:
    """A .docx or text file (.txt, UTF-8/UTF-16/Windows-1258) → OutlineTemplate."""
    path = Path(path)
    kind, data = untrusted.read_document(path, EXPECTED)
    if kind == "docx":
        return outline_from_docx(path, data)
    text, _ = untrusted.decode_text(data, path.name, OutlineFileError)
    return outline_from_text(text, path.name)


# == .docx ===========================================================================================
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def outline_from_docx(path, data: bytes | None = None) -> OutlineTemplate:
    """Body paragraphs of a .docx with their Heading styles, bold and Word list numbering; `data`: the
    file's bytes already checked by untrusted.read_document."""
    path = Path(path)
    name = path.name
    if data is None:
        data = untrusted.read_bytes(path, EXPECTED)
        untrusted.check_docx(data, path, EXPECTED)
    document = untrusted.open_docx(path, EXPECTED, data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            numbering_xml = archive.read("word/numbering.xml") if "word/numbering.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, OSError, KeyError):
            numbering_xml = None
    numbering = _Numbering(numbering_xml)
    lines: list[Line] = []
    for paragraph in document.paragraphs:
        text = paragraph.text or ""
        if not text.strip():
            continue
        level = _heading_level(paragraph)
        label = numbering.label(paragraph)
        bold = _is_bold(paragraph)
        parts = text.split("\n")
        first = (label + " " + parts[0].strip()) if label else parts[0]
        lines.append(Line(first, bold, level, bool(label)))
        lines += [Line(p, bold if level else None) for p in parts[1:] if p.strip()]
    if not lines:
        raise OutlineError(f"Tệp “{name}” không có chữ nào trong thân văn bản.")
    return outline_from_lines(read_markdown(lines), name)


def _style_chain(paragraph):
    style = paragraph.style
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = getattr(style, "base_style", None)
        seen += 1


def _heading_level(paragraph) -> int | None:
    ppr = paragraph._p.pPr
    outline = ppr.find(_W + "outlineLvl") if ppr is not None else None
    if outline is not None and (outline.get(_W + "val") or "").isdigit():
        level = int(outline.get(_W + "val")) + 1
        return level if level <= 9 else None
    for style in _style_chain(paragraph):
        name = (style.name or "").strip()
        m = re.match(r"^(?i:heading|tiêu đề|đề mục)\s*(\d)$", name)
        if m:
            return int(m.group(1))
        spr = style.element.pPr
        if spr is not None:
            outline = spr.find(_W + "outlineLvl")
            if outline is not None and (outline.get(_W + "val") or "").isdigit() and int(outline.get(_W + "val")) < 9:
                return int(outline.get(_W + "val")) + 1
    return None


def _is_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = False
    for style in _style_chain(paragraph):
        if style.font.bold is not None:
            style_bold = bool(style.font.bold)
            break
    for run in runs:
        bold = run.bold
        if bold is None and run.style is not None and run.style.font.bold is not None:
            bold = run.style.font.bold
        if bold is None:
            bold = style_bold
        if not bold:
            return False
    return True


class _Numbering:
    """Renders Word list numbers ("%1.%2.") for paragraphs that carry numPr (directly or by style)."""

    def __init__(self, xml: bytes | None):
        self.nums: dict[str, str] = {}
        self.overrides: dict[tuple[str, int], int] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if not xml:
            return
        try:
            from lxml import etree
            root = etree.fromstring(xml)
        except Exception:
            return
        for abstract in root.iter(_W + "abstractNum"):
            aid = abstract.get(_W + "abstractNumId")
            for lvl in abstract.iter(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl") or 0)
                fmt = _val(lvl.find(_W + "numFmt")) or "decimal"
                text = _val(lvl.find(_W + "lvlText")) or ""
                start = int(_val(lvl.find(_W + "start")) or 1)
                self.levels[(aid, ilvl)] = (fmt, text, start)
        for num in root.iter(_W + "num"):
            nid = num.get(_W + "numId")
            aid = _val(num.find(_W + "abstractNumId"))
            if aid is not None:
                self.nums[nid] = aid
            for override in num.iter(_W + "lvlOverride"):
                start = override.find(_W + "startOverride")
                if start is not None:
                    self.overrides[(nid, int(override.get(_W + "ilvl") or 0))] = int(_val(start) or 1)

    def _num_pr(self, paragraph):
        ppr = paragraph._p.pPr
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        if num_pr is None:
            for style in _style_chain(paragraph):
                spr = style.element.pPr
                if spr is not None and spr.find(_W + "numPr") is not None:
                    num_pr = spr.find(_W + "numPr")
                    break
        if num_pr is None:
            return None
        nid = _val(num_pr.find(_W + "numId"))
        ilvl = int(_val(num_pr.find(_W + "ilvl")) or 0)
        if nid in (None, "0"):
            return None
        return nid, ilvl

    def label(self, paragraph) -> str:
        found = self._num_pr(paragraph)
        if not found or found[0] not in self.nums:
            return ""
        nid, ilvl = found
        aid = self.nums[nid]
        if (aid, ilvl) not in self.levels:
            return ""
        counters = self.counters.setdefault(aid, {})
        if nid not in self.started:
            self.started.add(nid)
            for (onid, olvl), start in self.overrides.items():
                if onid == nid:
                    counters[olvl] = start - 1
        fmt, text, start = self.levels[(aid, ilvl)]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""

        def render(match):
            level = int(match.group(1)) - 1
            lfmt, _, lstart = self.levels.get((aid, level), ("decimal", "", 1))
            return _format_number(counters.get(level, lstart), lfmt)
        return re.sub(r"%(\d)", render, text).strip()


def _val(element) -> str | None:
    return element.get(_W + "val") if element is not None else None


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        out, rest = "", value
        for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
            while rest >= number:
                out += letters
                rest -= number
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("lowerLetter", "upperLetter"):
        letter = LATIN_LOWER[(value - 1) % 26] * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


# == YAML sections ==================================================================================
def _yaml_sections(sections: list[OutlineSection], level: int, indicators: list[dict],
                   used_codes: set[str], parent_path: str = "") -> list[dict]:
    out: list[dict] = []
    numbered = [s for s in sections if not s.is_bullet or level == 1]
    used_paths: set[str] = set()
    style = _number_style(numbered, level)
    counter = 0
    for section in sections:
        if section.is_bullet and level > 1:
            continue  # folded into the parent by _fold
        counter += 1
        number = section.number if not section.is_bullet else ""
        number = _usable_number(number, counter, style, parent_path, used_paths)
        path = section_path(parent_path, number)
        used_paths.add(path)
        guidance_lines = [section.guidance] if section.guidance else []
        folded: list[OutlineSection] = []
        children = []
        for child in section.children:
            if child.is_bullet or level >= MAX_TEMPLATE_DEPTH:
                folded.append(child)
            else:
                children.append(child)
        for child in folded:
            guidance_lines += _fold(child)
        entry = {"number": number, "title": section.title or "(Chưa có tên mục)"}
        guidance = "\n".join(guidance_lines).strip()
        if guidance:
            entry["guidance"] = guidance
        all_inds = list(section.indicators) + [i for child in folded for s in child.walk() for i in s.indicators]
        if all_inds:
            entry["indicators"] = []
            for ind in all_inds:
                if ind.code in used_codes:
                    continue
                used_codes.add(ind.code)
                entry["indicators"].append(ind.code)
                item = {"code": ind.code, "label": ind.label}
                if ind.unit:
                    item["unit"] = ind.unit
                item["kind"] = ind.kind
                if ind.plan:
                    item["plan"] = True
                if ind.cumulative:
                    item["cumulative"] = True
                indicators.append(item)
            if not entry["indicators"]:
                del entry["indicators"]
        if children:
            entry["children"] = _yaml_sections(children, level + 1, indicators, used_codes, path)
        out.append(entry)
    return out


def _fold(section: OutlineSection) -> list[str]:
    """A bullet (or too deep) heading as guidance lines of its parent."""
    marker = section.number or "-"
    head = f"{marker} {section.title}".strip()
    if section.guidance:
        first, *rest = section.guidance.split("\n")
        head = f"{head}: {first[:1].lower() + first[1:] if first[:1].isupper() and not first.isupper() else first}"
        lines = [head] + rest
    else:
        lines = [head]
    for child in section.children:
        lines += _fold(child)
    return lines


def _number_style(sections: list[OutlineSection], level: int) -> str:
    for section in sections:
        if section.kind.startswith("roman"):
            return "roman"
        if section.kind.startswith("num") or section.kind.startswith("multi"):
            return "num"
        if section.kind.startswith("alpha"):
            return "alpha"
        if section.kind == "upper":
            return "upper"
    return {1: "roman", 2: "num", 3: "alpha"}.get(level, "num)")


def section_number(style: str, value: int) -> str:
    """The printed number of the `value`-th heading in a numbering style: "II.", "3.", "đ)", "B."."""
    if style == "roman":
        return _format_number(value, "upperRoman") + "."
    if style == "alpha":
        return (VN_LOWER[value - 1] if value <= len(VN_LOWER) else f"a{value}") + ")"
    if style == "upper":
        return (VN_LOWER[value - 1].upper() if value <= len(VN_LOWER) else f"A{value}") + "."
    if style == "num)":
        return f"{value})"
    return f"{value}."


def _usable_number(number: str, counter: int, style: str, parent_path: str, used: set[str]) -> str:
    # the official style: "I-", "II –", "1/" print as "I.", "II.", "1." (and keep a clean section path)
    number = re.sub(r"^([IVXL]+|[A-ZĐ]|\d{1,2})\s?[\-–—:/]$", r"\1.", number)
    if number and number not in ("-", "+", "*"):
        try:
            if section_path(parent_path, number) not in used:
                return number
        except TemplateError:
            pass
    value = counter
    while True:
        candidate = section_number(style, value)
        if section_path(parent_path, candidate) not in used:
            return candidate
        value += 1


# == indicator suggestions ===========================================================================
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
