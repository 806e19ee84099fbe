"""Templates (mẫu báo cáo) are data: YAML files parsed and validated here, never code."""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from functools import cached_property
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from ..domain.dates import PERIOD_KINDS, DateError, DueRule, Period, parse_due
from ..domain.errors import UserError

# libyaml's safe loader when present (several times faster), else PyYAML's pure-Python one
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
INDICATOR_KINDS = ("count", "area", "money", "percent", "number", "weight", "length")
SENTENCE_FIELDS = {"label", "unit", "actual", "plan", "cumulative", "previous", "percent"}
# The blanks a summary or closing may use; services/document_builder.pattern_fields fills them.
PATTERN_FIELDS = {"start": "ngày đầu kỳ", "end": "ngày cuối kỳ", "start_dm": "ngày/tháng đầu kỳ",
                  "period": "tên kỳ, ví dụ “tháng 6/2026”, “quý II/2026”", "unit_name": "tên đơn vị"}
# the document formats a template may ask for (resources/formats/<code>.yaml)
TEMPLATE_FORMATS = {"party": "thể thức văn bản của Đảng", "state": "thể thức văn bản hành chính nhà nước"}
# what the document uses when a template leaves a header value out
HEADER_DEFAULTS = {"title": "BÁO CÁO", "doc_type": "BC", "signer_on_behalf": "T/M BAN THƯỜNG VỤ"}
HEADER_LABELS = {"title": "Tiêu đề văn bản", "summary": "Trích yếu", "closing": "Câu kết",
                 "doc_type": "Loại văn bản", "signer_on_behalf": "Thay mặt", "recipients": "Nơi nhận"}
_DOC_TYPE_RE = re.compile(r"^[A-ZĐ]{1,8}$")
_NUMBER_PART = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])$")


class TemplateError(UserError, ValueError):
    """An invalid template; the message is Vietnamese and says where."""


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str = ""
    kind: str = "number"
    actual: bool = True
    plan: bool = False
    cumulative: bool = False
    range: tuple | None = None  # (min, max) plausible values of actual/cumulative
    percent_decimals: int = 1
    sentence: str = ""  # e.g. "... đạt {actual}/{plan} {unit}, bằng {percent}% kế hoạch"
    # code of the unit's profile fact (hồ sơ đơn vị) this figure repeats: a new report is prefilled
    # with the fact's value valid on the report date (intro figures: area, population, villages...)
    profile_fact: str = ""

    @property
    def percent_base(self) -> str:
        """The figure compared with the plan: cumulative when the indicator has one."""
        return "cumulative" if self.cumulative else "actual"

    @property
    def has_percent(self) -> bool:
        return self.plan


CHART_KINDS = ("plan_vs_actual", "composition", "trend")


@dataclass(frozen=True)
class ChartRequest:
    """A chart the template asks for in a section (drawn by document.charts at export)."""
    kind: str  # plan_vs_actual | composition | trend
    title: str
    indicators: tuple[str, ...]
    field: str | None = None  # actual | cumulative | plan; None: plan_vs_actual compares percent_base
    periods: int = 6  # trend: this report and the previous ones, at most this many
    width_mm: float = 150.0


@dataclass(frozen=True)
class Section:
    number: str  # as printed: "I.", "1.", "1.1.", "a)", "-"
    title: str
    path: str  # stable key: "II.1.1.a"
    level: int  # 1 = I., 2 = 1., 3 = 1.1., 4 = a)
    guidance: str = ""
    example: str = ""
    required: bool = False
    indicators: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    children: tuple["Section", ...] = ()
    charts: tuple[ChartRequest, ...] = ()
    # optional stable id across template versions (numbers and titles may change between versions)
    code: str = ""

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class TableLine:
    code: str
    label: str
    unit: str = ""
    kind: str = ""  # a column's kind of figure (INDICATOR_KINDS); empty: the kind of its unit


@dataclass(frozen=True)
class Table:
    """A grid of figures (rows × columns), e.g. party organisations before/after a reorganisation."""
    code: str
    title: str
    rows: tuple[TableLine, ...]
    columns: tuple[TableLine, ...]
    total_row: str = ""  # code of the row that must equal the sum of the other rows
    total_column: str = ""  # code of the column that must equal the sum of the other columns
    # Rows each report may have differently (issue 14): `row_labels` "profile:<fact code>" names the rows
    # (other than the total) after the names of that unit profile fact valid on the report date (the old
    # communes merged into this one, the villages); `rows_editable` lets the clerk rename rows, add rows up
    # to `max_rows` (not counting the total) and leave an empty row out of the report.
    row_labels: str = ""
    rows_editable: bool = False
    max_rows: int = 0

    def row(self, code: str) -> TableLine | None:
        return next((r for r in self.rows if r.code == code), None)

    def column(self, code: str) -> TableLine | None:
        return next((c for c in self.columns if c.code == code), None)

    @property
    def rows_vary(self) -> bool:
        """Whether a report may have other rows or row names than the template's."""
        return bool(self.row_labels or self.rows_editable)

    @property
    def profile_fact(self) -> str:
        """The profile fact whose names label the rows ("" when the template gives the labels)."""
        return self.row_labels.partition(":")[2] if self.row_labels.startswith("profile:") else ""

    @property
    def part_rows(self) -> tuple[TableLine, ...]:
        """The rows other than the total: those a report names, adds and leaves out."""
        return tuple(r for r in self.rows if r.code != self.total_row)

    def for_report(self, row_edits: dict[str, str | None] | None) -> "Table":
        """The table as one report has it. `row_edits` (Report.table_rows[code]): row code → this report's
        label, or None for a template row left out of this report; a code the template lacks is a row the
        report added (placed after the template's parts, before the total). Codes stay the key. A table
        whose rows the template fixes (e.g. in a newer version) ignores them."""
        if not row_edits or not self.rows_vary:
            return self
        rows = [replace(r, label=row_edits[r.code]) if row_edits.get(r.code) else r
                for r in self.rows if not (r.code in row_edits and row_edits[r.code] is None)]
        added = [TableLine(code, row_edits[code]) for code in sorted(
            (c for c, label in row_edits.items() if label and self.row(c) is None), key=added_row_order)]
        at = next((i for i, r in enumerate(rows) if r.code == self.total_row), len(rows))
        return replace(self, rows=tuple(rows[:at] + added + rows[at:]))

    def next_added_code(self, row_edits: dict[str, str | None] | None) -> str:
        """The code of the next row a report adds: a template row it left out comes back first (so that
        "the fourth old commune" keeps its code across units), else "them_<n>"."""
        row_edits = row_edits or {}
        for row in self.part_rows:
            if row.code in row_edits and row_edits[row.code] is None:
                return row.code
        taken = [added_row_order(c)[0] for c in row_edits if self.row(c) is None]
        return f"{ADDED_ROW_PREFIX}{max(taken, default=0) + 1}"


ADDED_ROW_PREFIX = "them_"


def added_row_order(code: str) -> tuple[int, str]:
    """Sort key of rows a report added: them_2 before them_10."""
    number = code[len(ADDED_ROW_PREFIX):] if code.startswith(ADDED_ROW_PREFIX) else ""
    return (int(number) if number.isdigit() else 0, code)


@dataclass(frozen=True)
class Rule:
    """A check declared in the template; `params` are validated per kind by templates/rule_specs.py
    and the rule is run by checks/rules.py."""
    code: str
    kind: str
    params: dict = field(default_factory=dict, compare=False)
    severity: str = ""  # empty: the kind's default
    missing: str = "skip"  # skip | zero | finding: what an empty value means
    hint: str = ""  # what to do, appended to the message


@dataclass(frozen=True)
class Template:
    code: str
    version: int
    name: str
    period: str
    title: str
    summary: str  # pattern: {start} {end} {start_dm} {unit_name}
    closing: str = ""
    doc_type: str = HEADER_DEFAULTS["doc_type"]
    signer_on_behalf: str = HEADER_DEFAULTS["signer_on_behalf"]
    recipients: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    tables: tuple[Table, ...] = ()
    rules: tuple[Rule, ...] = ()
    source: str = field(default="", compare=False, repr=False)  # the YAML text as installed
    # when the report is due, in days from the period's end (negative: before it ends, e.g. -6 for a quarterly
    # report due on the 25th of its last month); None: not declared (or declared as a day: see due_rule)
    due: int | None = None
    # every form of `due` ("ngày 25", "15/11", or days as above); due_date() reads this
    due_rule: DueRule | None = None
    # the document format its reports print in (party | state); "": the unit's own format
    format: str = ""

    @property
    def print_format(self) -> str:
        """The format the template declares, party when it says none (what `template list` shows)."""
        return self.format or "party"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()

    def walk(self):
        for section in self.sections:
            yield from section.walk()

    def section(self, path: str) -> Section | None:
        return self._by_path.get(path)

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    @cached_property
    def _placement(self) -> dict[str, Section]:
        """Indicator or table code → the section that holds it (checks ask this for every figure)."""
        found = {}
        for section in self.walk():
            for code in section.indicators + section.tables:
                found[code] = section
        return found

    @cached_property
    def _by_path(self) -> dict[str, Section]:
        return {s.path: s for s in self.walk()}

    def section_of_indicator(self, code: str) -> Section | None:
        return self._placement.get(code)

    def table(self, code: str) -> Table | None:
        return next((t for t in self.tables if t.code == code), None)

    def for_report(self, table_rows: dict[str, dict[str, str | None]] | None) -> "Template":
        """The template with its tables as one report has them (Report.table_rows; Table.for_report)."""
        if not table_rows or not any(table_rows.values()):
            return self
        return replace(self, tables=tuple(t.for_report(table_rows.get(t.code)) for t in self.tables))

    def section_of_table(self, code: str) -> Section | None:
        return self._placement.get(code)

    def field_names(self) -> frozenset[str]:
        """Every name a check may refer to: "<indicator>.<field>" and "<table>.<row>.<column>"."""
        return self._field_names

    @cached_property
    def _field_names(self) -> frozenset[str]:
        # built once: every rule of a template asks for it (rebuilding it per rule made loading quadratic)
        names = set()
        for ind in self.indicators:
            for name in ("actual", "plan", "cumulative"):
                if getattr(ind, name):
                    names.add(f"{ind.code}.{name}")
            if ind.cumulative:
                names.add(f"{ind.code}.previous")
            if ind.plan:
                names.add(f"{ind.code}.percent")
        for table in self.tables:
            names |= {f"{table.code}.{r.code}.{c.code}" for r in table.rows for c in table.columns}
        return frozenset(names)


def section_path(parent_path: str, number: str) -> str:
    """ "II." → "II"; "1.1." under "II.1" → "II.1.1"; "a)" under "II.1.1" → "II.1.1.a"."""
    cleaned = number.strip().rstrip(".)").strip()
    if not cleaned or cleaned == "-":
        raise TemplateError(f"Mục “{number}” dưới “{parent_path}” phải có số thứ tự (I., 1., 1.1., a)).")
    last = cleaned.split(".")[-1]
    return f"{parent_path}.{last}" if parent_path else last


def load_template_file(path: Path) -> Template:
    try:
        if Path(path).stat().st_size > MAX_TEMPLATE_BYTES:  # refused before it is read
            raise TemplateError(f"Mẫu “{Path(path).name}” quá lớn (tối đa {MAX_TEMPLATE_BYTES // 1024} KB).")
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateError(f"Tệp mẫu {Path(path).name} không phải văn bản UTF-8.") from None
    return parse_template(text, origin=Path(path).name)


def parse_template(text: str, origin: str = "mẫu") -> Template:
    """The one template reader: every path (a file, a pack, the template editor, a transfer file, the
    database) goes through here. A template may come from outside, so the text is checked before anything
    is built from it: bounded size, no YAML anchors/aliases (an alias bomb is refused before it expands),
    tags or duplicate keys, bounded nesting and element count, no unknown fields, finite numbers only, and
    bounded counts of sections, indicators, tables and checks. Every step is linear in the text's size."""
    if len(text) > MAX_TEMPLATE_BYTES or len(text.encode("utf-8")) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"Mẫu “{origin}” quá lớn (tối đa {MAX_TEMPLATE_BYTES // 1024} KB).")
    if "\x00" in text:
        raise TemplateError(f"Mẫu “{origin}” có ký tự NUL: không phải văn bản.")
    _check_yaml_events(text, origin)
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark else ""
        raise TemplateError(f"Mẫu “{origin}” không đọc được{where}: sai cú pháp YAML.") from None
    if not isinstance(data, dict):
        raise TemplateError(f"Tệp mẫu {origin} không đúng định dạng: thiếu các trường code, version, sections.")
    unknown = unknown_fields(data)
    if unknown:
        raise TemplateError(f"Mẫu “{origin}” có trường không được phép: {', '.join(unknown[:5])}"
                            f"{' …' if len(unknown) > 5 else ''}.")
    _check_numbers(data, origin)
    _check_counts(data, origin)
    try:
        return _build_template(data, text, origin)
    except RecursionError:
        raise TemplateError(f"Mẫu “{origin}” lồng nhau quá sâu.") from None


# == limits of one template (what a real template needs, many times over) ===========================
MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_YAML_EVENTS = 200_000
MAX_YAML_DEPTH = 40
MAX_SECTIONS = 3000
MAX_INDICATORS = 3000
MAX_TABLES = 200
MAX_TABLE_LINES = 500  # rows, and columns, of one table
MAX_CHECKS = 3000
MAX_NUMBER = 10 ** 15  # a range or a limit beyond this is a typo or an attack, not a figure

# Every field this module reads. A template may carry nothing else: an unknown field is either a newer
# format this program would silently ignore, or something that should not be there.
TEMPLATE_KEYS = {"code", "version", "name", "period", "title", "summary", "closing", "doc_type",
                 "signer_on_behalf", "recipients", "sections", "indicators", "tables", "checks", "due", "format"}
INDICATOR_KEYS = {"code", "label", "unit", "kind", "actual", "plan", "cumulative", "range", "percent_decimals",
                  "sentence", "profile_fact"}
SECTION_KEYS = {"number", "title", "guidance", "example", "required", "indicators", "tables", "children", "charts",
                "code"}
CHART_KEYS = {"kind", "title", "indicators", "field", "periods", "width_mm"}
TABLE_KEYS = {"code", "title", "rows", "columns", "total_row", "total_column", "row_labels", "rows_editable",
              "max_rows"}
LINE_KEYS = {"code", "label", "unit", "kind"}
_SAFE_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}


def _check_yaml_events(text: str, origin: str) -> None:
    """No anchors, aliases (the "billion laughs"), explicit tags or duplicate keys; bounded depth and size.
    Read as a stream of parser events, so that nothing is expanded or built before it is refused."""
    depth = 0
    count = 0
    # per open collection: [is_mapping, expecting_key, keys seen]
    stack: list[list] = []
    try:
        for event in yaml.parse(text, Loader=_SAFE_LOADER):
            count += 1
            if count > MAX_YAML_EVENTS:
                raise TemplateError(f"Mẫu “{origin}” quá phức tạp (quá nhiều phần tử YAML).")
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise TemplateError(f"Mẫu “{origin}” dùng neo/bí danh YAML (&, *): mẫu không được dùng, vì có thể "
                                    f"làm treo chương trình (“bom” YAML).")
            tag = getattr(event, "tag", None)
            if tag and tag not in _SAFE_TAGS and not (isinstance(event, yaml.ScalarEvent) and tag == "!"):
                raise TemplateError(f"Mẫu “{origin}” dùng thẻ YAML “{tag[:60]}”: không được phép.")
            is_node = isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent))
            if is_node and stack and stack[-1][0]:
                frame = stack[-1]
                if frame[1]:
                    if isinstance(event, yaml.ScalarEvent):
                        if event.value in frame[2]:
                            raise TemplateError(f"Mẫu “{origin}” có trường “{event.value[:60]}” viết hai lần "
                                                f"trong cùng một mục.")
                        frame[2].add(event.value)
                    frame[1] = False
                else:
                    frame[1] = True
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise TemplateError(f"Mẫu “{origin}” lồng nhau quá sâu.")
                stack.append([isinstance(event, yaml.MappingStartEvent), True, set()])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                stack.pop()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark else ""
        raise TemplateError(f"Mẫu “{origin}” không đọc được{where}: sai cú pháp YAML.") from None


def unknown_fields(data) -> list[str]:
    """Where a template has a field this module does not read ("sections[1].children[0].foo")."""
    found: list[str] = []
    if not isinstance(data, dict):
        return found

    def check(item, allowed, where):
        if isinstance(item, dict):
            for key in item:
                if key not in allowed:
                    found.append(f"{where}.{key}" if where else str(key))

    check(data, TEMPLATE_KEYS, "")
    for i, ind in enumerate(_list(data.get("indicators"))):
        check(ind, INDICATOR_KEYS, f"indicators[{i}]")
    for i, table in enumerate(_list(data.get("tables"))):
        check(table, TABLE_KEYS, f"tables[{i}]")
        if isinstance(table, dict):
            for part in ("rows", "columns"):
                for j, line in enumerate(_list(table.get(part))):
                    check(line, LINE_KEYS, f"tables[{i}].{part}[{j}]")

    def sections(items, where, depth=0):
        if depth > 10:
            return
        for i, section in enumerate(_list(items)):
            check(section, SECTION_KEYS, f"{where}[{i}]")
            if isinstance(section, dict):
                for j, chart in enumerate(_list(section.get("charts"))):
                    check(chart, CHART_KEYS, f"{where}[{i}].charts[{j}]")
                sections(section.get("children"), f"{where}[{i}].children", depth + 1)

    sections(data.get("sections"), "sections")
    return found


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _check_numbers(data, origin: str) -> None:
    """Finite numbers of a sane size only, anywhere (a NaN range makes every check of every report fail)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise TemplateError(f"Mẫu “{origin}” có giá trị số không hợp lệ ({item}): chỉ dùng số hữu hạn, "
                                f"không dùng .nan hay .inf.")
        elif isinstance(item, (int, float)) and not isinstance(item, bool) and abs(item) > MAX_NUMBER:
            raise TemplateError(f"Mẫu “{origin}” có số quá lớn ({str(item)[:30]}): tối đa {MAX_NUMBER:,}."
                                .replace(",", "."))


def _check_counts(data: dict, origin: str) -> None:
    """Bounded counts, before anything is built (200,000 sections are refused here, at once)."""
    sections = 0
    stack = list(_list(data.get("sections")))
    while stack:
        item = stack.pop()
        sections += 1
        if sections > MAX_SECTIONS:
            raise TemplateError(f"Mẫu “{origin}” có quá nhiều mục (tối đa {MAX_SECTIONS}).")
        if isinstance(item, dict):
            stack.extend(_list(item.get("children")))
    for key, limit, word in (("indicators", MAX_INDICATORS, "chỉ tiêu"), ("tables", MAX_TABLES, "bảng"),
                             ("checks", MAX_CHECKS, "kiểm tra")):
        if len(_list(data.get(key))) > limit:
            raise TemplateError(f"Mẫu “{origin}” có quá nhiều {word} ({len(data[key])}, tối đa {limit}).")
    for table in _list(data.get("tables")):
        if isinstance(table, dict) and any(len(_list(table.get(part))) > MAX_TABLE_LINES
                                           for part in ("rows", "columns")):
            raise TemplateError(f"Mẫu “{origin}”: bảng “{str(table.get('code'))[:40]}” có quá nhiều dòng hoặc cột "
                                f"(tối đa {MAX_TABLE_LINES}).")


def _twice(items) -> set:
    """The items that occur more than once (a Counter: a list's count() per item made loading quadratic)."""
    return {item for item, times in Counter(items).items() if times > 1}



def _require(data: dict, key: str, kind, where: str):
    if key not in data:
        raise TemplateError(f"{where}: thiếu trường “{key}”.")
    value = data[key]
    if not isinstance(value, kind):
        raise TemplateError(f"{where}: trường “{key}” có kiểu không đúng.")
    return value


def _build_template(data: dict, text: str, origin: str) -> Template:
    where = f"Mẫu {origin}"
    code = _require(data, "code", str, where)
    if not CODE_RE.match(code):
        raise TemplateError(f"{where}: mã mẫu “{code}” chỉ được gồm chữ thường không dấu, số và dấu gạch dưới.")
    version = _require(data, "version", int, where)
    period = _require(data, "period", str, where)
    if period not in PERIOD_KINDS:
        raise TemplateError(f"{where}: loại kỳ “{period}” không có (chọn: {', '.join(PERIOD_KINDS)}).")
    indicators = tuple(_build_indicator(i, where) for i in data.get("indicators") or [])
    codes = [i.code for i in indicators]
    dupes = _twice(codes)
    if dupes:
        raise TemplateError(f"{where}: chỉ tiêu trùng mã: {', '.join(sorted(dupes))}.")
    tables = tuple(_build_table(t, where) for t in data.get("tables") or [])
    table_codes = [t.code for t in tables]
    clash = _twice(table_codes) | (set(table_codes) & set(codes))
    if clash:
        raise TemplateError(f"{where}: mã bảng trùng với bảng hoặc chỉ tiêu khác: {', '.join(sorted(clash))}.")
    known_codes, known_tables = set(codes), set(table_codes)  # once, not per section
    sections = tuple(_build_section(s, "", 1, where, known_codes, known_tables)
                     for s in _require(data, "sections", list, where))
    paths = [s.path for top in sections for s in top.walk()]
    dupes = _twice(paths)
    if dupes:
        raise TemplateError(f"{where}: số thứ tự mục bị trùng: {', '.join(sorted(dupes))}.")
    section_codes = [s.code for top in sections for s in top.walk() if s.code]
    dupes = _twice(section_codes)
    if dupes:
        raise TemplateError(f"{where}: mã mục bị trùng: {', '.join(sorted(dupes))}.")
    used = [c for top in sections for s in top.walk() for c in s.indicators]
    twice = _twice(used)
    if twice:
        raise TemplateError(f"{where}: chỉ tiêu được đặt ở nhiều mục: {', '.join(sorted(twice))}.")
    placed = [c for top in sections for s in top.walk() for c in s.tables]
    twice = _twice(placed)
    if twice:
        raise TemplateError(f"{where}: bảng được đặt ở nhiều mục: {', '.join(sorted(twice))}.")
    found = header_problems(data)
    if found:  # a wrong blank would be printed as it is ("{ngay_dau}") in every report's document
        raise TemplateError(f"{where}: {found[0]}")
    template = Template(
        code=code,
        version=version,
        name=_require(data, "name", str, where),
        period=period,
        title=str(data.get("title", HEADER_DEFAULTS["title"])),
        summary=str(data.get("summary", "")),
        closing=str(data.get("closing", "")),
        doc_type=str(data.get("doc_type", HEADER_DEFAULTS["doc_type"])),
        signer_on_behalf=str(data.get("signer_on_behalf", HEADER_DEFAULTS["signer_on_behalf"])),
        recipients=tuple(str(r) for r in data.get("recipients") or []),
        sections=sections,
        indicators=indicators,
        tables=tables,
        source=text,
        **_due_fields(data, where),
        format=_format(data, where),
    )
    raw_rules = data.get("checks") or []
    if not isinstance(raw_rules, list):
        raise TemplateError(f"{where}: “checks” phải là một danh sách.")
    # rule_specs validates each kind's parameters and every field name they use
    from .rule_specs import build_rule
    rules = tuple(build_rule(r, template, where) for r in raw_rules)
    rule_codes = [r.code for r in rules]
    dupes = _twice(rule_codes)
    if dupes:
        raise TemplateError(f"{where}: mã kiểm tra trùng: {', '.join(sorted(dupes))}.")
    return replace(template, rules=rules)


def _due_fields(data: dict, where: str) -> dict:
    """`due` in any of its forms (domain/dates.parse_due): the rule, and the days from the period's end
    when it is written as days."""
    try:
        rule = parse_due(data.get("due"))
    except DateError as exc:
        raise TemplateError(f"{where}: {exc}") from None
    return {"due_rule": rule, "due": rule.offset if rule else None}


def _format(data: dict, where: str) -> str:
    value = data.get("format", "")
    if value in ("", None):
        return ""
    if value not in TEMPLATE_FORMATS:
        raise TemplateError(f"{where}: thể thức “{value}” không có (chọn: "
                            f"{', '.join(f'{k} – {v}' for k, v in TEMPLATE_FORMATS.items())}).")
    return value


def due_date(template: Template, period: Period):
    """The day a report of `template` for `period` is due, by the template's own rule; None when the
    template declares none (the caller's default applies, e.g. services/inbox.DUE_AFTER_DAYS)."""
    return template.due_rule.date_for(period) if template.due_rule else None


def due_days(template: Template, period: Period) -> int | None:
    """due_date as days from the period's end (negative: before it ends), what the date checks read."""
    day = due_date(template, period)
    return None if day is None else (day - period.end).days


def _twice(items) -> set:
    """The items that occur more than once (in linear time: a template may have thousands)."""
    return {item for item, n in Counter(items).items() if n > 1}


def _build_indicator(data, where: str) -> Indicator:
    if not isinstance(data, dict):
        raise TemplateError(f"{where}: mỗi chỉ tiêu phải là một bảng có code, label.")
    code = _require(data, "code", str, where)
    where = f"{where}, chỉ tiêu “{code}”"
    if not CODE_RE.match(code):
        raise TemplateError(f"{where}: mã chỉ tiêu chỉ được gồm chữ thường không dấu, số và dấu gạch dưới.")
    kind = str(data.get("kind", "number"))
    if kind not in INDICATOR_KINDS:
        raise TemplateError(f"{where}: loại “{kind}” không có (chọn: {', '.join(INDICATOR_KINDS)}).")
    rng = data.get("range")
    if rng is not None:
        if not (isinstance(rng, list) and len(rng) == 2 and all(isinstance(v, (int, float)) for v in rng)):
            raise TemplateError(f"{where}: range phải là [nhỏ nhất, lớn nhất].")
        rng = (rng[0], rng[1])
    sentence = str(data.get("sentence", ""))
    for name in re.findall(r"{(\w*)}", sentence):
        if name not in SENTENCE_FIELDS:
            raise TemplateError(f"{where}: câu mẫu dùng trường “{{{name}}}” không có.")
    indicator = Indicator(
        code=code,
        label=_require(data, "label", str, where),
        unit=str(data.get("unit", "")),
        kind=kind,
        actual=bool(data.get("actual", True)),
        plan=bool(data.get("plan", False)),
        cumulative=bool(data.get("cumulative", False)),
        range=rng,
        percent_decimals=int(data.get("percent_decimals", 1)),
        sentence=sentence,
        profile_fact=str(data.get("profile_fact") or ""),
    )
    if indicator.profile_fact and not CODE_RE.match(indicator.profile_fact):
        raise TemplateError(f"{where}: mã dữ kiện hồ sơ “{indicator.profile_fact}” chỉ được gồm chữ thường "
                            f"không dấu, số và dấu gạch dưới.")
    for name in ("plan", "cumulative"):
        if f"{{{name}}}" in sentence and not getattr(indicator, name):
            raise TemplateError(f"{where}: câu mẫu dùng {{{name}}} nhưng chỉ tiêu không có {name}.")
    if "{percent}" in sentence and not indicator.plan:
        raise TemplateError(f"{where}: câu mẫu dùng {{percent}} nhưng chỉ tiêu không có kế hoạch (plan).")
    return indicator


def _build_lines(data, what: str, where: str) -> tuple[TableLine, ...]:
    if not isinstance(data, list) or not data:
        raise TemplateError(f"{where}: bảng phải có danh sách {what}.")
    lines = []
    for item in data:
        if not isinstance(item, dict):
            raise TemplateError(f"{where}: mỗi {what} cần code và label.")
        code = _require(item, "code", str, where)
        if not CODE_RE.match(code):
            raise TemplateError(f"{where}: mã {what} “{code}” chỉ gồm chữ thường không dấu, số, gạch dưới.")
        kind = str(item.get("kind", ""))
        if kind and kind not in INDICATOR_KINDS:
            raise TemplateError(f"{where}: loại “{kind}” không có (chọn: {', '.join(INDICATOR_KINDS)}).")
        lines.append(TableLine(code, _require(item, "label", str, where), str(item.get("unit", "")), kind))
    codes = [line.code for line in lines]
    if len(set(codes)) != len(codes):
        raise TemplateError(f"{where}: mã {what} bị trùng.")
    return tuple(lines)


def _build_table(data, where: str) -> Table:
    if not isinstance(data, dict):
        raise TemplateError(f"{where}: mỗi bảng cần code, title, rows, columns.")
    code = _require(data, "code", str, where)
    where = f"{where}, bảng “{code}”"
    if not CODE_RE.match(code):
        raise TemplateError(f"{where}: mã bảng chỉ gồm chữ thường không dấu, số, gạch dưới.")
    table = Table(code=code, title=_require(data, "title", str, where),
                  rows=_build_lines(data.get("rows"), "dòng", where),
                  columns=_build_lines(data.get("columns"), "cột", where),
                  total_row=str(data.get("total_row", "")), total_column=str(data.get("total_column", "")))
    if table.total_row and not table.row(table.total_row):
        raise TemplateError(f"{where}: dòng tổng “{table.total_row}” không có trong bảng.")
    if table.total_column and not table.column(table.total_column):
        raise TemplateError(f"{where}: cột tổng “{table.total_column}” không có trong bảng.")
    return _table_rows_setting(table, data, where)


MAX_TABLE_ROWS = 100


def _table_rows_setting(table: Table, data: dict, where: str) -> Table:
    """The keys saying how a report may change the rows (row_labels, rows_editable, max_rows)."""
    labels = data.get("row_labels", "")
    if labels in ("", None):
        labels = ""
    elif not isinstance(labels, str) or not labels.startswith("profile:") or not CODE_RE.match(labels[8:]):
        raise TemplateError(f"{where}: row_labels phải có dạng “profile:<mã dữ kiện hồ sơ>” "
                            f"(ví dụ profile:xa_cu), không phải “{labels}”.")
    editable = data.get("rows_editable", False)
    if not isinstance(editable, bool):
        raise TemplateError(f"{where}: rows_editable chỉ nhận true hoặc false.")
    max_rows = data.get("max_rows")
    parts = len(table.part_rows)
    if max_rows is None:
        max_rows = parts if editable else 0
    elif not editable:
        raise TemplateError(f"{where}: max_rows chỉ dùng khi rows_editable: true.")
    elif not isinstance(max_rows, int) or isinstance(max_rows, bool) or not parts <= max_rows <= MAX_TABLE_ROWS:
        raise TemplateError(f"{where}: max_rows phải là số nguyên từ {parts} (số dòng của mẫu, không kể dòng "
                            f"tổng) đến {MAX_TABLE_ROWS}.")
    if (labels or editable) and not parts:
        raise TemplateError(f"{where}: bảng không có dòng nào ngoài dòng tổng để đặt tên theo báo cáo.")
    if any(r.code.startswith(ADDED_ROW_PREFIX) for r in table.rows) and editable:
        raise TemplateError(f"{where}: mã dòng bắt đầu bằng “{ADDED_ROW_PREFIX}” dành cho dòng báo cáo thêm.")
    return replace(table, row_labels=labels, rows_editable=editable, max_rows=max_rows)


def _build_section(data, parent_path: str, level: int, where: str, indicator_codes: set,
                   table_codes: set = frozenset()) -> Section:
    if not isinstance(data, dict):
        raise TemplateError(f"{where}: mỗi mục phải có number và title.")
    number = str(_require(data, "number", (str, int), where))
    title = _require(data, "title", str, where)
    path = section_path(parent_path, number)
    where_s = f"{where}, mục {path}"
    if level > 5:
        raise TemplateError(f"{where_s}: quá nhiều cấp mục lồng nhau.")
    indicators = tuple(data.get("indicators") or [])
    for code in indicators:
        if code not in indicator_codes:
            raise TemplateError(f"{where_s}: chỉ tiêu “{code}” chưa được khai báo trong phần indicators.")
    tables = tuple(data.get("tables") or [])
    for code in tables:
        if code not in table_codes:
            raise TemplateError(f"{where_s}: bảng “{code}” chưa được khai báo trong phần tables.")
    children = tuple(_build_section(c, path, level + 1, where, indicator_codes, table_codes)
                     for c in data.get("children") or [])
    charts = tuple(_build_chart(c, where_s, indicator_codes) for c in data.get("charts") or [])
    code = str(data.get("code") or "")
    if code and not CODE_RE.match(code):
        raise TemplateError(f"{where_s}: mã mục “{code}” chỉ được gồm chữ thường không dấu, số và dấu gạch dưới.")
    return Section(
        number=number,
        title=title,
        path=path,
        level=level,
        guidance=str(data.get("guidance", "")).strip(),
        example=str(data.get("example", "")).strip(),
        required=bool(data.get("required", False)),
        indicators=indicators,
        tables=tables,
        children=children,
        charts=charts,
        code=code,
    )


def _build_chart(data, where: str, indicator_codes: set) -> ChartRequest:
    if not isinstance(data, dict):
        raise TemplateError(f"{where}: mỗi biểu đồ cần kind, title và indicators.")
    kind = _require(data, "kind", str, where)
    if kind not in CHART_KINDS:
        raise TemplateError(f"{where}: loại biểu đồ “{kind}” không có (chọn: {', '.join(CHART_KINDS)}).")
    codes = tuple(_require(data, "indicators", list, where))
    for code in codes:
        if code not in indicator_codes:
            raise TemplateError(f"{where}: biểu đồ dùng chỉ tiêu “{code}” chưa được khai báo trong phần indicators.")
    field = data.get("field")
    if field not in (None, "actual", "cumulative", "plan"):
        raise TemplateError(f"{where}: biểu đồ: field “{field}” không có (chọn: actual, cumulative, plan).")
    return ChartRequest(kind=kind, title=_require(data, "title", str, where), indicators=codes, field=field,
                        periods=int(data.get("periods", 6)), width_mm=float(data.get("width_mm", 150)))


def header_problems(data: dict) -> list[str]:
    """Every problem of a template's header values (raw `data`, as in the YAML): the summary and closing
    may only use the blanks the document fills; the document type is an abbreviation such as BC (it is
    printed in the number: 430-BC/ĐU)."""
    import string
    found = []
    blanks = ", ".join(f"{{{name}}} ({label})" for name, label in PATTERN_FIELDS.items())
    for key in ("summary", "closing"):
        text = str(data.get(key) or "")
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError:
            found.append(f"{HEADER_LABELS[key]} có dấu ngoặc nhọn {{ }} không khớp: chỗ trống viết như {{start}}; "
                         f"muốn in dấu ngoặc thì viết hai lần {{{{ }}}}.")
            continue
        for name in names:
            if name not in PATTERN_FIELDS:
                found.append(f"{HEADER_LABELS[key]} dùng chỗ trống “{{{name}}}” không có: chỉ dùng được {blanks}.")
    doc_type = str(data.get("doc_type") or "")
    if doc_type and not _DOC_TYPE_RE.match(doc_type):
        found.append(f"Loại văn bản “{doc_type}” phải là chữ viết tắt in hoa không có số, ví dụ BC (báo cáo), "
                     f"KH (kế hoạch), TB (thông báo).")
    return found
