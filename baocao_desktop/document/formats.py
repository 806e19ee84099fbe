"""Layout of an official document, read from a format file (resources/formats/<code>.yaml).

Every layout number (paper, margins, fonts, sizes, spacing, the header and signature tables, the
pattern texts) lives in the format file, so a new guide (e.g. a successor of 36-HD/VPTW) is a data
change. `load_format` validates the whole file and says in Vietnamese what is wrong with it.

Units: margins and keys ending in _mm are millimetres, _cm centimetres, `size` and _pt points.
"""
from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..resources import resource_path
from ..domain.errors import UserError
from ..domain.error_text import os_error_reason

ALIGNMENTS = ("left", "center", "right", "justify")
CASES = ("as_is", "upper")
LINE_RULES = ("single", "multiple", "exact", "at_least")
RULE_KINDS = ("border", "underline")
MARK_KINDS = ("text", "rule")


class FormatError(UserError, ValueError):
    """A format file is missing, unreadable or has a wrong value (message in Vietnamese)."""


@dataclass(frozen=True)
class TextStyle:
    size: float  # pt
    bold: bool = False
    italic: bool = False
    underline: bool = False
    case: str = "as_is"
    align: str = "left"

    def apply_case(self, text: str) -> str:
        return text.upper() if self.case == "upper" else text


@dataclass(frozen=True)
class Spacing:
    """Paragraph spacing: before/after in pt; line spacing as a factor or in pt (see line_rule)."""
    space_before_pt: float = 0.0
    space_after_pt: float = 0.0
    line_rule: str = "single"
    line_spacing: float = 1.0
    first_line_indent_cm: float = 0.0


@dataclass(frozen=True)
class ParagraphFormat:
    text: TextStyle
    spacing: Spacing


@dataclass(frozen=True)
class PageFormat:
    width_mm: float
    height_mm: float
    header_distance_mm: float
    footer_distance_mm: float


@dataclass(frozen=True)
class Margins:
    top: float  # mm
    bottom: float
    left: float
    right: float


@dataclass(frozen=True)
class NumberLine:
    style: TextStyle
    pattern: str  # "Số {number}-{doc_type}/{issuer_symbol}" (Party), "Số: {number}/{doc_type}-{issuer_symbol}"
    blank: str  # used when the number is empty
    min_digits: int = 1  # "05" when 2: numbers below 10 get a leading zero

    def pad(self, number: str) -> str:
        """A plain number padded with leading zeros to min_digits; anything else as it is."""
        return number.zfill(self.min_digits) if number.isdigit() else number


@dataclass(frozen=True)
class MottoLine:
    text: str
    style: TextStyle


@dataclass(frozen=True)
class Motto:
    """The right column's top: one line (Party: "ĐẢNG CỘNG SẢN VIỆT NAM") or several (State: the
    national name and the motto "Độc lập - Tự do - Hạnh phúc"); the rule goes under the last line."""
    text: str  # the first line (kept for readers that know one line)
    style: TextStyle
    rule: str  # "border" | "underline"
    rule_length_mm: float
    rule_width_pt: float
    rule_gap_pt: float
    lines: tuple[MottoLine, ...] = ()

    def all_lines(self) -> tuple[MottoLine, ...]:
        return self.lines or (MottoLine(self.text, self.style),)


@dataclass(frozen=True)
class Mark:
    """A mark drawn under a text: a text ("*", "-----") or a horizontal rule of a given length."""
    kind: str  # "text" | "rule"
    text: str
    style: TextStyle
    rule_length_mm: float = 0.0
    rule_width_pt: float = 0.5
    rule_gap_pt: float = 1.0


@dataclass(frozen=True)
class DateLine:
    style: TextStyle
    blank: str  # "{place}, ngày    tháng    năm 20  " when the date is not set


@dataclass(frozen=True)
class HeaderFormat:
    left_width_mm: float
    right_width_mm: float
    indent_mm: float
    cell_margin_mm: float
    spacing: Spacing
    upper_body: TextStyle
    issuer: TextStyle
    star_text: str  # the issuer mark's text ("*"); empty when the mark is a rule
    star: TextStyle  # the issuer mark's style
    number: NumberLine
    motto: Motto
    date_line: DateLine
    issuer_mark: Mark | None = None  # under the issuer: "*" (Party) or a short rule (State)
    issuer_breaks: tuple[str, ...] = ()  # words before which the issuer's name wraps ("xã", "phường")

    def mark(self) -> Mark:
        return self.issuer_mark or Mark("text", self.star_text, self.star)


@dataclass(frozen=True)
class SeparatorFormat:
    """Under the summary (trích yếu): a text ("-----", Party) or a rule (State)."""
    text: str
    style: TextStyle
    spacing: Spacing
    kind: str = "text"  # "text" | "rule"
    rule_length_mm: float = 0.0
    rule_width_pt: float = 0.5


@dataclass(frozen=True)
class FootnoteFormat:
    text: TextStyle
    spacing: Spacing


@dataclass(frozen=True)
class DataTableFormat:
    title: ParagraphFormat
    header: TextStyle
    cell: TextStyle
    label: TextStyle
    total: TextStyle
    border_pt: float
    cell_margin_mm: float
    label_width_ratio: float  # the label column's widest share of the text width
    space_after_pt: float
    label_min_width_ratio: float = 0.25  # its narrowest share when the figure columns need room


@dataclass(frozen=True)
class ChartFormat:
    """A chart in the body: its title (caption) above, the picture centred, never wider than max."""
    title: ParagraphFormat
    space_before_pt: float
    space_after_pt: float
    max_width_mm: float


@dataclass(frozen=True)
class SignatureFormat:
    left_width_mm: float
    right_width_mm: float
    indent_mm: float
    cell_margin_mm: float
    space_before_pt: float
    spacing: Spacing
    on_behalf: TextStyle
    title: TextStyle
    signature_space_mm: float
    name: TextStyle


@dataclass(frozen=True)
class RecipientsFormat:
    label: str
    label_style: TextStyle
    item: TextStyle
    item_prefix: str


@dataclass(frozen=True)
class DraftMarkFormat:
    """The mark of a document not signed yet (Dự thảo, Trình ký): "DỰ THẢO" at the top left of page 1,
    above the header, boxed as offices write it by hand or stamp it."""
    text: str
    style: TextStyle
    frame: bool = True  # a thin box around the text
    border_pt: float = 0.75
    padding_mm: float = 1.5  # from the text to the box
    space_after_pt: float = 6.0  # room between the mark and the header


DEFAULT_DRAFT_MARK = DraftMarkFormat("DỰ THẢO", TextStyle(size=14, bold=True, case="upper", align="left"))


@dataclass(frozen=True)
class PageNumberFormat:
    position: str  # "top" | "bottom"
    align: str
    size: float
    show_on_first_page: bool


@dataclass(frozen=True)
class DocumentFormat:
    code: str
    name: str
    basis: str
    page: PageFormat
    margins: Margins
    font_name: str
    language: str
    header: HeaderFormat
    title: ParagraphFormat
    summary: ParagraphFormat
    separator: SeparatorFormat
    body: ParagraphFormat
    widow_control: bool
    headings: Mapping[int, ParagraphFormat]
    footnotes: FootnoteFormat
    closing: ParagraphFormat
    signature: SignatureFormat
    recipients: RecipientsFormat
    page_number: PageNumberFormat
    tables: DataTableFormat | None = None
    charts: ChartFormat | None = None
    end_mark: str = ""  # "./.": ends the text (closing paragraph, or the last body paragraph)
    source: Path | None = None
    # a format file without a draft_mark section still marks drafts: a draft must never look final
    draft_mark: DraftMarkFormat = DEFAULT_DRAFT_MARK

    @property
    def text_width_mm(self) -> float:
        return self.page.width_mm - self.margins.left - self.margins.right

    def heading(self, level: int) -> ParagraphFormat:
        """The format of a heading level; deeper levels than the file knows use the deepest one."""
        return self.headings[min(max(level, min(self.headings)), max(self.headings))]


def format_path(code: str) -> Path:
    return resource_path("formats", code + ".yaml")


_CACHE: dict[tuple, DocumentFormat] = {}


def load_format(code_or_path: str | Path) -> DocumentFormat:
    """Load and validate a format: a code ("party") found in resources/formats, or a file path.

    A format is read once per version of its file (path, size, modification time): exports in a
    row do not parse the YAML again, and an edited file is read anew."""
    path = Path(code_or_path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        code = str(code_or_path)
        if not code or any(ch in code for ch in "/\\."):
            raise FormatError(f"Mã định dạng “{code}” không hợp lệ.")
        path = format_path(code)
    name = path.name
    try:
        info = path.stat()
        key = (str(path), info.st_size, info.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError(f"Không tìm thấy tệp định dạng {name} (tìm ở {path.parent}).") from None
    except UnicodeDecodeError:
        raise FormatError(f"Tệp định dạng {name} không phải văn bản UTF-8.") from None
    except OSError as exc:
        raise FormatError(f"Không đọc được tệp định dạng {name}: {os_error_reason(exc)}.") from None
    fmt = parse_format(raw_text, name, source=path)
    if key is not None:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = fmt
    return fmt


def parse_format(raw_text: str, name: str = "định dạng", source: Path | None = None) -> DocumentFormat:
    import yaml  # lazy: only exports need it

    try:
        data = yaml.load(raw_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ở dòng {mark.line + 1}" if mark is not None else ""
        raise FormatError(f"Tệp định dạng {name} bị lỗi cú pháp YAML{where}.") from None
    reader = _Reader(name)
    return reader.document(data, source)


class _Reader:
    """Reads values by dotted path and raises FormatError naming the file and the field."""

    def __init__(self, filename: str):
        self.filename = filename

    # -- primitives -----------------------------------------------------------------------
    def fail(self, message: str) -> FormatError:
        """message either continues the sentence ("thiếu trường x.") or starts with ":"."""
        sep = "" if message.startswith(":") else " "
        return FormatError(f"Tệp định dạng {self.filename}{sep}{message}")

    def section(self, data: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            where = f"mục {path}" if path else "nội dung"
            raise self.fail(f"có {where} không đúng dạng (cần các cặp khóa: giá trị).")
        return data

    def get(self, data: Mapping[str, Any], key: str | int, path: str, default: Any = ...) -> Any:
        full = f"{path}.{key}" if path else str(key)
        if key not in data or data[key] is None:
            if default is ...:
                raise self.fail(f"thiếu trường {full}.")
            return default
        return data[key]

    def number(self, data, key, path, minimum: float | None = None, maximum: float | None = None,
               default: Any = ...) -> float:
        value = self.get(data, key, path, default)
        full = f"{path}.{key}" if path else str(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f": trường {full} phải là một số (đang là “{value}”).")
        if minimum is not None and value < minimum or maximum is not None and value > maximum:
            raise self.fail(
                f": trường {full} = {value} nằm ngoài khoảng cho phép {minimum}–{maximum}.")
        return float(value)

    def text(self, data, key, path, default: Any = ..., allow_empty: bool = False) -> str:
        value = self.get(data, key, path, default)
        full = f"{path}.{key}" if path else str(key)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(f": trường {full} phải là một chuỗi chữ.")
        value = str(value)
        if not value.strip() and not allow_empty:
            raise self.fail(f": trường {full} đang để trống.")
        return unicodedata.normalize("NFC", value)

    def flag(self, data, key, path, default: bool = False) -> bool:
        value = self.get(data, key, path, default)
        if not isinstance(value, bool):
            full = f"{path}.{key}" if path else str(key)
            raise self.fail(f": trường {full} phải là true hoặc false (đang là “{value}”).")
        return value

    def choice(self, data, key, path, options: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(data, key, path, default)
        if value not in options:
            full = f"{path}.{key}" if path else str(key)
            raise self.fail(
                f": trường {full} = “{value}” không hợp lệ (chọn một trong: {', '.join(options)}).")
        return value

    def pattern(self, data, key, path, fields: tuple[str, ...]) -> str:
        value = self.text(data, key, path)
        full = f"{path}.{key}"
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError:
            raise self.fail(f": mẫu {full} có dấu ngoặc {{ }} không khớp.") from None
        unknown = [n for n in names if n not in fields]
        if unknown:
            raise self.fail(
                f": mẫu {full} dùng trường {{{unknown[0]}}} không có (dùng được: "
                + ", ".join("{" + f + "}" for f in fields) + ").")
        return value

    def words(self, data, key, path) -> tuple[str, ...]:
        value = self.get(data, key, path, default=[])
        full = f"{path}.{key}"
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f": trường {full} phải là một danh sách chữ (ví dụ [xã, phường]).")
        return tuple(unicodedata.normalize("NFC", v.strip()) for v in value)

    # -- composites -----------------------------------------------------------------------
    def mark(self, data, path) -> Mark:
        """A text mark ("*") or a rule: kind, the style of its line, and the rule's length and width."""
        data = self.section(data, path)
        kind = self.choice(data, "kind", path, MARK_KINDS, default="text")
        style = self.text_style(data, path)
        if kind == "text":
            return Mark("text", self.text(data, "text", path), style)
        return Mark("rule", "", style,
                    rule_length_mm=self.number(data, "rule_length_mm", path, 1, 300),
                    rule_width_pt=self.number(data, "rule_width_pt", path, 0.25, 6),
                    rule_gap_pt=self.number(data, "rule_gap_pt", path, 0, 31, default=1))

    def draft_mark(self, root) -> DraftMarkFormat:
        """`draft_mark:` (optional): text, its style, the box (frame, border_pt, padding_mm), space_after_pt."""
        if root.get("draft_mark") is None:
            return DEFAULT_DRAFT_MARK
        path = "draft_mark"
        data = self.section(root["draft_mark"], path)
        return DraftMarkFormat(
            text=self.text(data, "text", path),
            style=self.text_style(data, path, default_align="left"),
            frame=self.flag(data, "frame", path, default=True),
            border_pt=self.number(data, "border_pt", path, 0.25, 6, default=0.75),
            padding_mm=self.number(data, "padding_mm", path, 0, 10, default=1.5),
            space_after_pt=self.number(data, "space_after_pt", path, 0, 72, default=6),
        )

    def motto_lines(self, data, path) -> tuple[MottoLine, ...]:
        """`lines: [{text, size, bold, ...}, ...]`, or one line given by `text` and the style keys."""
        if "lines" not in data:
            return (MottoLine(self.text(data, "text", path), self.text_style(data, path)),)
        raw = self.get(data, "lines", path)
        if not isinstance(raw, list) or not raw:
            raise self.fail(f": trường {path}.lines phải là danh sách các dòng (mỗi dòng có text, size...).")
        lines = []
        for index, item in enumerate(raw, start=1):
            where = f"{path}.lines.{index}"
            item = self.section(item, where)
            lines.append(MottoLine(self.text(item, "text", where), self.text_style(item, where)))
        return tuple(lines)

    def text_style(self, data, path, default_align: str | None = None) -> TextStyle:
        data = self.section(data, path)
        return TextStyle(
            size=self.number(data, "size", path, 6, 72),
            bold=self.flag(data, "bold", path),
            italic=self.flag(data, "italic", path),
            underline=self.flag(data, "underline", path),
            case=self.choice(data, "case", path, CASES, default="as_is"),
            align=self.choice(data, "align", path, ALIGNMENTS,
                              default=default_align if default_align else ...),
        )

    def spacing(self, data, path, indent: bool = False) -> Spacing:
        data = self.section(data, path)
        rule = self.choice(data, "line_rule", path, LINE_RULES)
        if rule in ("exact", "at_least"):
            line = self.number(data, "line_spacing", path, 6, 100)
        else:
            line = self.number(data, "line_spacing", path, 0.5, 5)
        if rule == "single" and line != 1:
            full = f"{path}.line_spacing"
            raise self.fail(f": trường {full} phải là 1 khi line_rule là single.")
        return Spacing(
            space_before_pt=self.number(data, "space_before_pt", path, 0, 200),
            space_after_pt=self.number(data, "space_after_pt", path, 0, 200),
            line_rule=rule,
            line_spacing=line,
            first_line_indent_cm=self.number(data, "first_line_indent_cm", path, -5, 10) if indent else 0.0,
        )

    def paragraph(self, data, path, indent: bool = True) -> ParagraphFormat:
        return ParagraphFormat(self.text_style(data, path), self.spacing(data, path, indent=indent))

    def table_spacing(self, data, path) -> Spacing:
        data = self.section(data, path)
        rule = self.choice(data, "line_rule", path, LINE_RULES)
        maximum = 100 if rule in ("exact", "at_least") else 5
        return Spacing(line_rule=rule, line_spacing=self.number(data, "line_spacing", path, 0.5, maximum))

    def document(self, data: Any, source: Path | None) -> DocumentFormat:
        root = self.section(data, "")
        code = self.text(root, "code", "")
        page_d = self.section(self.get(root, "page", ""), "page")
        page = PageFormat(
            width_mm=self.number(page_d, "width_mm", "page", 50, 1000),
            height_mm=self.number(page_d, "height_mm", "page", 50, 1000),
            header_distance_mm=self.number(page_d, "header_distance_mm", "page", 0, 100),
            footer_distance_mm=self.number(page_d, "footer_distance_mm", "page", 0, 100),
        )
        m = self.section(self.get(root, "margins", ""), "margins")
        margins = Margins(*(self.number(m, k, "margins", 0, 100) for k in ("top", "bottom", "left", "right")))
        if margins.left + margins.right >= page.width_mm - 20:
            raise self.fail(": lề trái và lề phải quá rộng so với khổ giấy.")
        if margins.top + margins.bottom >= page.height_mm - 20:
            raise self.fail(": lề trên và lề dưới quá rộng so với khổ giấy.")
        font = self.section(self.get(root, "font", ""), "font")

        h = self.section(self.get(root, "header", ""), "header")
        number_d = self.section(self.get(h, "number", "header"), "header.number")
        motto_d = self.section(self.get(h, "motto", "header"), "header.motto")
        date_d = self.section(self.get(h, "date_line", "header"), "header.date_line")
        mark_key = "issuer_mark" if "issuer_mark" in h else "star"
        mark = self.mark(self.get(h, mark_key, "header"), f"header.{mark_key}")
        issuer_d = self.section(self.get(h, "issuer", "header"), "header.issuer")
        number_fields = ("number", "doc_type", "issuer_symbol")
        motto_lines = self.motto_lines(motto_d, "header.motto")
        header = HeaderFormat(
            left_width_mm=self.number(h, "left_width_mm", "header", 10, 300),
            right_width_mm=self.number(h, "right_width_mm", "header", 10, 300),
            indent_mm=self.number(h, "indent_mm", "header", -30, 50),
            cell_margin_mm=self.number(h, "cell_margin_mm", "header", 0, 10),
            spacing=self.table_spacing(h, "header"),
            upper_body=self.text_style(self.get(h, "upper_body", "header"), "header.upper_body"),
            issuer=self.text_style(issuer_d, "header.issuer"),
            star_text=mark.text,
            star=mark.style,
            number=NumberLine(
                style=self.text_style(number_d, "header.number"),
                pattern=self.pattern(number_d, "pattern", "header.number", number_fields),
                blank=self.pattern(number_d, "blank", "header.number", number_fields),
                min_digits=int(self.number(number_d, "min_digits", "header.number", 1, 6, default=1)),
            ),
            motto=Motto(
                text=motto_lines[0].text,
                style=motto_lines[0].style,
                rule=self.choice(motto_d, "rule", "header.motto", RULE_KINDS),
                rule_length_mm=self.number(motto_d, "rule_length_mm", "header.motto", 0, 300),
                rule_width_pt=self.number(motto_d, "rule_width_pt", "header.motto", 0.25, 6),
                rule_gap_pt=self.number(motto_d, "rule_gap_pt", "header.motto", 0, 31),
                lines=motto_lines,
            ),
            date_line=DateLine(
                style=self.text_style(date_d, "header.date_line"),
                blank=self.pattern(date_d, "blank", "header.date_line", ("place",)),
            ),
            issuer_mark=mark,
            issuer_breaks=self.words(issuer_d, "line_break_before", "header.issuer"),
        )

        sep_d = self.section(self.get(root, "separator", ""), "separator")
        sep_kind = self.choice(sep_d, "kind", "separator", MARK_KINDS, default="text")
        separator = SeparatorFormat(
            text=self.text(sep_d, "text", "separator") if sep_kind == "text" else "",
            style=self.text_style(sep_d, "separator"),
            spacing=self.spacing(sep_d, "separator"),
            kind=sep_kind,
            rule_length_mm=self.number(sep_d, "rule_length_mm", "separator", 5, 300) if sep_kind == "rule" else 0.0,
            rule_width_pt=self.number(sep_d, "rule_width_pt", "separator", 0.25, 6) if sep_kind == "rule" else 0.5,
        )
        body_d = self.section(self.get(root, "body", ""), "body")

        headings_d = self.section(self.get(root, "headings", ""), "headings")
        headings: dict[int, ParagraphFormat] = {}
        for level in range(1, 6):
            key: Any = level if level in headings_d else str(level)
            headings[level] = self.paragraph(self.get(headings_d, key, "headings"), f"headings.{level}")

        fn_d = self.section(self.get(root, "footnotes", ""), "footnotes")
        footnotes = FootnoteFormat(
            text=self.text_style(fn_d, "footnotes"),
            spacing=self.spacing(fn_d, "footnotes", indent=True),
        )

        s = self.section(self.get(root, "signature", ""), "signature")
        signature = SignatureFormat(
            left_width_mm=self.number(s, "left_width_mm", "signature", 10, 300),
            right_width_mm=self.number(s, "right_width_mm", "signature", 10, 300),
            indent_mm=self.number(s, "indent_mm", "signature", -30, 50),
            cell_margin_mm=self.number(s, "cell_margin_mm", "signature", 0, 10),
            space_before_pt=self.number(s, "space_before_pt", "signature", 0, 200),
            spacing=self.table_spacing(s, "signature"),
            on_behalf=self.text_style(self.get(s, "on_behalf", "signature"), "signature.on_behalf"),
            title=self.text_style(self.get(s, "title", "signature"), "signature.title"),
            signature_space_mm=self.number(s, "signature_space_mm", "signature", 0, 150),
            name=self.text_style(self.get(s, "name", "signature"), "signature.name"),
        )
        r = self.section(self.get(root, "recipients", ""), "recipients")
        recipients = RecipientsFormat(
            label=self.text(r, "label", "recipients"),
            label_style=self.text_style(self.get(r, "label_style", "recipients"), "recipients.label_style"),
            item=self.text_style(self.get(r, "item", "recipients"), "recipients.item"),
            item_prefix=self.text(r, "item_prefix", "recipients", default="", allow_empty=True),
        )
        pn = self.section(self.get(root, "page_number", ""), "page_number")
        page_number = PageNumberFormat(
            position=self.choice(pn, "position", "page_number", ("top", "bottom")),
            align=self.choice(pn, "align", "page_number", ALIGNMENTS),
            size=self.number(pn, "size", "page_number", 6, 72),
            show_on_first_page=self.flag(pn, "show_on_first_page", "page_number"),
        )
        t = self.section(self.get(root, "tables", ""), "tables")
        tables = DataTableFormat(
            title=self.paragraph(self.get(t, "title", "tables"), "tables.title", indent=False),
            header=self.text_style(self.get(t, "header", "tables"), "tables.header"),
            cell=self.text_style(self.get(t, "cell", "tables"), "tables.cell"),
            label=self.text_style(self.get(t, "label", "tables"), "tables.label"),
            total=self.text_style(self.get(t, "total", "tables"), "tables.total"),
            border_pt=self.number(t, "border_pt", "tables", 0.25, 6),
            cell_margin_mm=self.number(t, "cell_margin_mm", "tables", 0, 10),
            label_width_ratio=self.number(t, "label_width_ratio", "tables", 0.1, 0.9),
            space_after_pt=self.number(t, "space_after_pt", "tables", 0, 72),
            label_min_width_ratio=self.number(t, "label_min_width_ratio", "tables", 0.05, 0.9, default=0.25),
        )
        c = self.section(self.get(root, "charts", ""), "charts")
        charts = ChartFormat(
            title=self.paragraph(self.get(c, "title", "charts"), "charts.title", indent=False),
            space_before_pt=self.number(c, "space_before_pt", "charts", 0, 72),
            space_after_pt=self.number(c, "space_after_pt", "charts", 0, 72),
            max_width_mm=self.number(c, "max_width_mm", "charts", 20, 300),
        )
        closing_d = self.section(self.get(root, "closing", ""), "closing")
        return DocumentFormat(
            code=code,
            name=self.text(root, "name", ""),
            basis=self.text(root, "basis", "", default="", allow_empty=True),
            page=page,
            margins=margins,
            font_name=self.text(font, "name", "font"),
            language=self.text(font, "language", "font", default="vi-VN"),
            header=header,
            title=self.paragraph(self.get(root, "title", ""), "title", indent=False),
            summary=self.paragraph(self.get(root, "summary", ""), "summary", indent=False),
            separator=separator,
            body=self.paragraph(body_d, "body"),
            widow_control=self.flag(body_d, "widow_control", "body", default=True),
            headings=MappingProxyType(headings),
            footnotes=footnotes,
            closing=self.paragraph(closing_d, "closing"),
            signature=signature,
            recipients=recipients,
            page_number=page_number,
            tables=tables,
            charts=charts,
            end_mark=self.text(closing_d, "end_mark", "closing", default="", allow_empty=True).strip(),
            source=source,
            draft_mark=self.draft_mark(root),
        )
