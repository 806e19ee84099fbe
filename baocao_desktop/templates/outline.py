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
from .headings import HeadingTree, Line, join_wrapped, read_markdown
from .model import CODE_RE, TemplateError, section_path
from .numbering import (BULLET_KINDS, LATIN_LOWER, SUPERSCRIPTS, VN_LOWER, capitalize_first, clean_line,
                        is_caps, parse_marker, slugify, word_count)
from .outline_fields import SuggestedIndicator, suggest_indicators

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINES = 20000
MAX_TEMPLATE_DEPTH = 5
_END_MARKERS = re.compile(r"^(?:nơi nhận|t/m |tm\. |kt\. |tl\. |t/l |q\. )", re.IGNORECASE)
_OUTLINE_TITLE = re.compile(r"^(?:đề cương|de cuong)\b", re.IGNORECASE)


class OutlineError(TemplateError):
    """An input that cannot be turned into a template; the message is Vietnamese."""


# == data ==========================================================================================
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
