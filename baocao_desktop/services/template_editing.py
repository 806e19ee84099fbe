"""Editing a template (issue 3): a mutable copy of an installed template or of an outline draft, the
section-tree operations with the numbering recomputed (I., 1., 1.1., a), 1)), indicator fields from the
shared dictionary or new ones, checks validated by templates/rule_specs.py, and saving as a NEW version.

No Qt here: ui/template_editor.py drives these functions, and so do the tests. Every refusal is a
Vietnamese message; saving validates the whole template first and writes nothing if anything is wrong.
An installed version is never changed, so reports made with it keep their data and meaning.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from ..domain.dates import PERIOD_KINDS
from ..store import cells as stored_cells
from ..store import reports as stored_reports
from ..store import templates as stored_templates
from ..store import values as stored_values
from ..templates.dictionary import DictionaryEntry, dictionary_problems, load_dictionary
from ..templates.model import (
    CODE_RE,
    HEADER_DEFAULTS,
    INDICATOR_KINDS,
    PATTERN_FIELDS,
    Template,
    TemplateError,
    parse_template,
)
from ..templates.model import header_problems as model_header_problems
from ..templates.numbering import fold, slugify
from ..templates.outline import section_number, yaml_dumper
from ..templates.packs import validate_template_text
from ..templates.rule_specs import KINDS as RULE_KINDS
from ..templates.rule_specs import OPTIONAL as RULE_OPTIONAL
from ..templates.rule_specs import build_rule
from .errors import ServiceError

MAX_DEPTH = 5  # templates/model.py refuses deeper section trees
PERIOD_LABELS = {"week": "Tuần", "month": "Tháng", "quarter": "Quý", "half_year": "6 tháng", "nine_months": "9 tháng",
                 "year": "Năm",
                 "custom": "Theo đợt (tự chọn ngày)"}
KIND_LABELS = {"count": "Số đếm (người, hộ, hồ sơ…)", "area": "Diện tích", "money": "Tiền",
               "percent": "Tỷ lệ (%)", "number": "Số khác", "weight": "Khối lượng", "length": "Chiều dài"}
RULE_KIND_LABELS = {
    "total_parts": "Tổng bằng tổng các phần", "part_le_total": "Phần không vượt quá tổng",
    "percent": "Tỷ lệ % tính đúng (tử số/mẫu số)", "composition": "Các tỷ lệ cơ cấu cộng đủ 100%",
    "balance": "Đầu kỳ + tăng − giảm = cuối kỳ", "table_balance": "Cân đối các cột của bảng",
    "profile_equals": "Khớp với hồ sơ đơn vị", "same_value": "Cùng một số ở nhiều chỗ",
    "same_across_reports": "Không đổi giữa các kỳ báo cáo", "required": "Bắt buộc phải nhập",
    "both_or_neither": "Nhập cả hai hoặc bỏ trống cả hai", "at_most_one": "Chỉ được nhập nhiều nhất một",
    "expression": "Biểu thức tự viết",
    "narrative_figure": "Số trong lời văn khớp số liệu", "sum_of_months": "Số của kỳ bằng tổng các báo cáo tháng",
    "plausible": "Số nằm trong khoảng hợp lý", "report_date": "Ngày báo cáo theo kỳ",
}
PARAM_LABELS = {"total": "Trường tổng", "parts": "Các trường thành phần", "value": "Trường cần kiểm tra",
                "numerator": "Tử số", "denominator": "Mẫu số", "before": "Đầu kỳ", "plus": "Các khoản tăng",
                "minus": "Các khoản giảm", "after": "Cuối kỳ", "table": "Mã bảng", "fact": "Mã dữ kiện hồ sơ",
                "refs": "Các trường", "expr": "Biểu thức", "message": "Câu thông báo khi sai",
                "phrases": "Câu chữ có chỗ số {n} (cách nhau dấu ;)", "sections": "Các mục (cách nhau dấu phẩy)",
                "min": "Nhỏ nhất (số hoặc trường)", "max": "Lớn nhất (số hoặc trường)",
                "after": "Ngày báo cáo sau (period_end hoặc period_start)", "within_days": "Chậm nhất sau kỳ (ngày)"}
SEVERITY_LABELS = {"": "Mặc định", "error": "Lỗi", "warning": "Cảnh báo", "info": "Gợi ý"}
FIELD_PART_LABELS = {"actual": "thực hiện", "plan": "kế hoạch", "cumulative": "lũy kế", "previous": "kỳ trước",
                     "percent": "tỷ lệ % kế hoạch"}
HEADER_KEYS = ("title", "summary", "closing", "doc_type", "signer_on_behalf", "recipients")
# template keys the editor has no form for yet but keeps as they are when a copy is saved
KEPT_KEYS = ("format", "due")
LINE_WORDS = {"rows": "dòng", "columns": "cột"}
# numbering styles of a group of sibling sections, and the default style of a parent's first children
_STYLE_PATTERNS = (("roman", re.compile(r"^[IVXLC]+\.$")), ("upper", re.compile(r"^[A-ZĐ]\.$")),
                   ("dotted", re.compile(r"^\d+(?:\.\d+)+\.?$")), ("num", re.compile(r"^\d+\.$")),
                   ("paren", re.compile(r"^\d+\)$")), ("alpha", re.compile(r"^[a-zđ]\d*\)$")))
_CHILD_STYLE = {"": "roman", "upper": "roman", "roman": "num", "num": "dotted", "dotted": "alpha",
                "alpha": "paren", "paren": "alpha"}


class TemplateInvalid(ServiceError):
    """Saving refused: `problems` lists every Vietnamese message; nothing was installed."""

    def __init__(self, problems: list[str]):
        super().__init__("Mẫu chưa lưu được vì còn lỗi:\n" + "\n".join(f"• {p}" for p in problems))
        self.problems = problems


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def style_of(number: str) -> str:
    number = (number or "").strip()
    for style, pattern in _STYLE_PATTERNS:
        if pattern.match(number):
            return style
    return ""


# == the editable copy ===========================================================================
@dataclass(eq=False)
class EditableSection:
    title: str
    number: str = ""
    guidance: str = ""
    example: str = ""
    required: bool = False
    indicators: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    children: list["EditableSection"] = field(default_factory=list)
    style: str = ""  # numbering style of its group of siblings (see _STYLE_PATTERNS)
    extra: dict = field(default_factory=dict)  # keys kept as they are, e.g. the stable section "code"

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()

    def height(self) -> int:
        """Levels in this subtree (1 for a section without children)."""
        return 1 + max((c.height() for c in self.children), default=0)


@dataclass(eq=False)
class EditableTemplate:
    code: str
    name: str
    period: str
    base_version: int = 0  # the installed version this copy started from; 0 for a new template
    header: dict = field(default_factory=dict)
    indicators: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    sections: list[EditableSection] = field(default_factory=list)
    suggested: set[str] = field(default_factory=set)  # indicator codes proposed by the outline, not reviewed
    is_new: bool = False
    origin: str = ""
    # the tables of the version this copy started from (code → table), to tell which rows and columns
    # an edit removes and never to give a removed row's code to a different new row
    original_tables: dict[str, dict] = field(default_factory=dict)
    original_indicators: dict[str, dict] = field(default_factory=dict)  # likewise, for removed fields
    kept: dict = field(default_factory=dict)  # KEPT_KEYS as the version this copy started from has them

    # -- lookups ---------------------------------------------------------------------------------
    def walk(self):
        for section in self.sections:
            yield from section.walk()

    def indicator(self, code: str) -> dict | None:
        return next((i for i in self.indicators if i.get("code") == code), None)

    def indicator_codes(self) -> set[str]:
        return {i.get("code") for i in self.indicators}

    def locate(self, section: EditableSection) -> tuple[list, int, EditableSection | None, int]:
        """(list of siblings holding it, its index, its parent or None, its depth from 1)."""
        def search(items, parent, depth):
            for index, item in enumerate(items):
                if item is section:
                    return items, index, parent, depth
                found = search(item.children, item, depth + 1)
                if found:
                    return found
            return None
        found = search(self.sections, None, 1)
        if found is None:
            raise ServiceError("Mục này không còn trong mẫu.")
        return found

    def depth(self, section: EditableSection) -> int:
        return self.locate(section)[3]

    # -- numbering -------------------------------------------------------------------------------
    def renumber(self) -> None:
        """I., II. at the top; each group of children keeps the style of its first member, or takes the
        usual next style (I. → 1. → 1.1. → a) → 1)); a moved section takes the style of its new group."""
        def number_group(items, parent):
            if not items:
                return
            style = next((s.style for s in items if s.style), "") or _CHILD_STYLE[parent.style if parent else ""]
            if style == "dotted" and (parent is None or parent.style not in ("num", "dotted")):
                style = "num"  # "1.1." only reads right under a "1."
            for index, item in enumerate(items, start=1):
                item.style = style
                if style == "dotted":
                    item.number = f"{parent.number.rstrip('.')}.{index}."
                else:
                    item.number = section_number("num)" if style == "paren" else style, index)
                number_group(item.children, item)
        number_group(self.sections, None)

    # -- tree operations (each renumbers) ----------------------------------------------------------
    def add_section(self, after: EditableSection | None = None, child_of: EditableSection | None = None,
                    title: str = "Mục mới") -> EditableSection:
        section = EditableSection(title=_nfc(title) or "Mục mới")
        if child_of is not None:
            if self.depth(child_of) >= MAX_DEPTH:
                raise ServiceError(f"Không thêm được mục con: mẫu chỉ có tối đa {MAX_DEPTH} cấp mục. "
                                   f"Hãy viết ý này trong phần hướng dẫn của mục “{child_of.heading}”.")
            child_of.children.append(section)
        elif after is not None:
            siblings, index, _, _ = self.locate(after)
            siblings.insert(index + 1, section)
        else:
            self.sections.append(section)
        self.renumber()
        return section

    def move(self, section: EditableSection, step: int) -> bool:
        siblings, index, _, _ = self.locate(section)
        target = index + step
        if not 0 <= target < len(siblings):
            return False
        siblings[index], siblings[target] = siblings[target], siblings[index]
        self.renumber()
        return True

    def indent(self, section: EditableSection) -> bool:
        """Make it the last child of the section above it."""
        siblings, index, _, depth = self.locate(section)
        if index == 0:
            return False
        if depth + section.height() > MAX_DEPTH:
            raise ServiceError(f"Không lùi vào được: mẫu chỉ có tối đa {MAX_DEPTH} cấp mục.")
        siblings.pop(index)
        section.style = ""  # numbered like its new siblings
        siblings[index - 1].children.append(section)
        self.renumber()
        return True

    def outdent(self, section: EditableSection) -> bool:
        """Move it out of its parent, just after the parent."""
        siblings, index, parent, _ = self.locate(section)
        if parent is None:
            return False
        outer, parent_index, _, _ = self.locate(parent)
        siblings.pop(index)
        section.style = ""
        outer.insert(parent_index + 1, section)
        self.renumber()
        return True

    def fields_and_checks_in(self, section: EditableSection) -> tuple[list[str], list[str]]:
        """Indicator/table codes placed in this subtree, and the codes of checks that use them."""
        codes = [c for s in section.walk() for c in s.indicators + s.tables]
        return codes, [c.get("code", "") for c in self.checks_using(codes)]

    def remove_section(self, section: EditableSection) -> list[str]:
        """Remove it with its sub-sections, the fields and tables placed there and the checks that use
        them (a check on a removed field could never run). Returns the removed check codes."""
        siblings, index, _, _ = self.locate(section)
        codes, _ = self.fields_and_checks_in(section)
        siblings.pop(index)
        removed = self._drop_fields(codes)
        self.renumber()
        return removed

    # -- indicator fields ------------------------------------------------------------------------
    def add_dictionary_field(self, section: EditableSection, entry: DictionaryEntry) -> str:
        placed = self._placed_in()
        if entry.code in placed:
            raise ServiceError(f"Chỉ tiêu “{entry.label}” ({entry.code}) đã có ở mục "
                               f"“{placed[entry.code].heading}”: mỗi chỉ tiêu chỉ đặt ở một mục.")
        if self.indicator(entry.code) is None:
            self.indicators.append({"code": entry.code, "label": entry.label, "unit": entry.unit,
                                    "kind": entry.kind, "actual": True})
        section.indicators.append(entry.code)
        return entry.code

    def add_new_field(self, section: EditableSection, label: str, unit: str = "", kind: str = "number",
                      plan: bool = False, cumulative: bool = False) -> str:
        label, unit = _nfc(label), _nfc(unit)
        if len(label) < 2:
            raise ServiceError("Hãy nhập tên chỉ tiêu (ví dụ: Số hộ nghèo giảm trong năm).")
        if kind not in INDICATOR_KINDS:
            raise ServiceError(f"Loại chỉ tiêu “{kind}” không có.")
        if kind == "percent" and unit not in ("", "%"):
            raise ServiceError("Chỉ tiêu loại tỷ lệ (%) phải có đơn vị “%”.")
        if kind == "percent":
            unit = "%"
        shared = load_dictionary()
        same = next((e for e in shared.values() if fold(e.label) == fold(label)), None)
        if same is not None and (same.unit, same.kind) == (unit, kind):
            return self.add_dictionary_field(section, same)  # the shared code: comparable across reports
        # a shared code means one quantity everywhere: never reuse it for another
        code = free_code(label, self.indicator_codes() | self.table_codes() | set(shared), "chi_tieu")
        item = {"code": code, "label": label}
        if unit:
            item["unit"] = unit
        item.update({"kind": kind, "actual": True})
        if plan:
            item["plan"] = True
        if cumulative:
            item["cumulative"] = True
        self.indicators.append(item)
        section.indicators.append(code)
        return code

    def remove_field(self, section: EditableSection, code: str) -> list[str]:
        """Take the field out of the section (and out of the template, with the checks that use it)."""
        if code in section.indicators:
            section.indicators.remove(code)
        for chart in section.charts:
            chart["indicators"] = [c for c in chart.get("indicators") or [] if c != code]
        section.charts = [c for c in section.charts if c.get("indicators")]
        return self._drop_fields([code])

    def confirm_suggestion(self, code: str) -> None:
        self.suggested.discard(code)

    def _placed_in(self) -> dict[str, EditableSection]:
        return {c: s for s in self.walk() for c in s.indicators + s.tables}

    def _drop_fields(self, codes: list[str]) -> list[str]:
        placed = self._placed_in()
        gone = [c for c in codes if c not in placed]
        removed_checks = [c.get("code", "") for c in self.checks_using(gone)]
        self.checks = [c for c in self.checks if c.get("code", "") not in removed_checks]
        self.indicators = [i for i in self.indicators if i.get("code") not in gone]
        self.tables = [t for t in self.tables if t.get("code") not in gone]
        for section in self.walk():
            for chart in section.charts:
                chart["indicators"] = [c for c in chart.get("indicators") or [] if c not in gone]
            section.charts = [c for c in section.charts if c.get("indicators")]
        self.suggested -= set(gone)
        return removed_checks

    def checks_using(self, codes) -> list[dict]:
        codes = set(codes)
        return [check for check in self.checks if codes & _codes_in_check(check)]

    # -- header ----------------------------------------------------------------------------------
    def header_text(self, key: str) -> str:
        """The header value as the form shows it (recipients one per line); '' when not set."""
        value = self.header.get(key)
        if key == "recipients":
            return "\n".join(str(r) for r in value or [])
        return "" if value is None else str(value)

    def set_header(self, key: str, value) -> None:
        """Set one header key from the form (recipients: text with one recipient per line, or a list).
        An empty value removes the key: the document then uses the usual default (HEADER_DEFAULTS)."""
        if key not in HEADER_KEYS:
            raise ServiceError(f"Thông tin “{key}” không có trong phần đầu của mẫu.")
        if key == "recipients":
            lines = value.splitlines() if isinstance(value, str) else list(value or [])
            items = [_nfc(line) for line in lines if _nfc(line)]
            if items:
                self.header[key] = items
            else:
                self.header.pop(key, None)
            return
        text = _nfc(value)
        if key == "doc_type":
            text = text.upper()
        if text:
            self.header[key] = text
        else:
            self.header.pop(key, None)

    # -- tables ----------------------------------------------------------------------------------
    def table(self, code: str) -> dict | None:
        return next((t for t in self.tables if t.get("code") == code), None)

    def table_codes(self) -> set[str]:
        return {t.get("code") for t in self.tables}

    def section_of_table(self, code: str) -> EditableSection | None:
        return next((s for s in self.walk() if code in s.tables), None)

    def add_table(self, section: EditableSection, title: str, rows, columns) -> str:
        """A new table in the section. `rows`/`columns`: labels, or dicts {label, unit, total}; codes are
        made from the labels like new fields' codes. ServiceError (Vietnamese, every problem) if refused."""
        title = _nfc(title)
        taken = self.indicator_codes() | self.table_codes() | set(self.original_tables) | set(load_dictionary())
        code = free_code(title, taken, "bang")
        table = self._table_from(code, title, rows, columns)
        found = table_problems(table)
        if found:
            raise ServiceError("Chưa thêm được bảng:\n" + "\n".join(f"• {p}" for p in found))
        self.tables.append(table)
        section.tables.append(code)
        return code

    def preview_table(self, code: str, title: str, rows, columns) -> tuple[dict, list[str]]:
        """The table as `update_table` would make it, and the codes of the checks that use a row or
        column it no longer has (they would be removed with it). Changes nothing."""
        current = self.table(code)
        if current is None:
            raise ServiceError(f"Bảng “{code}” không còn trong mẫu.")
        table = self._table_from(code, _nfc(title), rows, columns, current)
        gone_rows = {r["code"] for r in current.get("rows") or []} - {r["code"] for r in table["rows"]}
        gone_columns = {c["code"] for c in current.get("columns") or []} - {c["code"] for c in table["columns"]}
        broken = [c.get("code", "") for c in self.checks if _check_uses_lines(c, code, gone_rows, gone_columns)]
        return table, broken

    def update_table(self, code: str, title: str, rows, columns) -> list[str]:
        """Replace the table's title, rows and columns. A row or column passed with its existing "code" keeps
        it (so the figures reports typed there stay theirs, whatever its new label); one without a code is new
        and gets a code from its label. Checks using a removed row or column are removed: their codes are
        returned. ServiceError (Vietnamese, every problem) if the table would be invalid."""
        table, broken = self.preview_table(code, title, rows, columns)
        found = table_problems(table)
        if found:
            raise ServiceError("Chưa sửa được bảng:\n" + "\n".join(f"• {p}" for p in found))
        self.tables[self.tables.index(self.table(code))] = table
        self.checks = [c for c in self.checks if c.get("code", "") not in broken]
        return broken

    def remove_table(self, section: EditableSection, code: str) -> list[str]:
        """Take the table out of the section and the template, with the checks that use it (their codes are
        returned)."""
        if code in section.tables:
            section.tables.remove(code)
        return self._drop_fields([code])

    def _table_from(self, code: str, title: str, rows, columns, current: dict | None = None) -> dict:
        table: dict = {"code": code, "title": title}
        for key in ("rows", "columns"):
            lines = [_line(item) for item in (rows if key == "rows" else columns) or []]
            declared = {line.get("code"): line.get("kind") for line in (current or {}).get(key) or []
                        if line.get("kind")}
            for line in lines:  # the form does not show a line's kind: an edited line keeps it
                if line.get("code") in declared and "kind" not in line:
                    line["kind"] = declared[line["code"]]
            kept = {line["code"] for line in lines if line.get("code")}
            # never hand a new line the code of one this table has or had: old figures would land in it
            taken = kept | {line.get("code") for line in (current or {}).get(key) or []} | \
                {line.get("code") for line in self.original_tables.get(code, {}).get(key) or []}
            total = ""
            out = []
            for line in lines:
                if not line.get("code"):
                    line["code"] = free_code(line["label"], taken, "dong" if key == "rows" else "cot")
                    taken.add(line["code"])
                if line.pop("total", False) and not total:
                    total = line["code"]
                out.append(line)
            table[key] = out
            if total:
                table["total_row" if key == "rows" else "total_column"] = total
        for extra, value in (current or {}).items():  # keys this editor does not show are kept
            if extra not in ("code", "title", "rows", "columns", "total_row", "total_column"):
                table[extra] = value
        return table

    # -- checks ----------------------------------------------------------------------------------
    def add_check(self, data: dict) -> dict:
        """Validate one check against the template as it is now; TemplateError (Vietnamese) if refused."""
        data = {k: v for k, v in data.items() if v not in ("", None, [], ())}
        if not data.get("code"):
            data["code"] = self._free_check_code(str(data.get("kind") or "kiem_tra"))
        if any(c.get("code") == data["code"] for c in self.checks):
            raise TemplateError(f"Mã kiểm tra “{data['code']}” đã có trong mẫu: hãy đặt mã khác.")
        template = self.build(with_checks=False)
        build_rule(data, template, f"Mẫu “{self.name}”")
        self.checks.append(data)
        return data

    def remove_check(self, code: str) -> None:
        self.checks = [c for c in self.checks if c.get("code") != code]

    def _free_check_code(self, kind: str) -> str:
        taken = {c.get("code") for c in self.checks}
        n = 1
        while f"{kind}_{n}" in taken:
            n += 1
        return f"{kind}_{n}"

    def field_choices(self) -> list[tuple[str, str]]:
        """(name a check may use, Vietnamese label) for every field of the template."""
        out = []
        for ind in self.indicators:
            label = ind.get("label", ind.get("code"))
            names = [n for n in ("actual", "plan", "cumulative") if ind.get(n, n == "actual")]
            if ind.get("cumulative"):
                names.append("previous")
            if ind.get("plan"):
                names.append("percent")
            out += [(f"{ind['code']}.{n}", f"{label} ({FIELD_PART_LABELS[n]})") for n in names]
        for table in self.tables:
            for row in table.get("rows") or []:
                for col in table.get("columns") or []:
                    out.append((f"{table['code']}.{row['code']}.{col['code']}",
                                f"{table.get('title', table['code'])}: {row.get('label')} – {col.get('label')}"))
        return out

    # -- output ----------------------------------------------------------------------------------
    def to_data(self, version: int | None = None, with_checks: bool = True) -> dict:
        data: dict = {"code": self.code, "version": version or max(self.base_version, 1),
                      "name": _nfc(self.name), "period": self.period}
        data.update({key: value for key, value in self.kept.items() if value not in (None, "")})
        for key in HEADER_KEYS:
            if key in self.header and self.header[key] not in (None, ""):
                data[key] = self.header[key]
        if self.indicators:
            data["indicators"] = self.indicators
        if self.tables:
            data["tables"] = self.tables
        if with_checks and self.checks:
            data["checks"] = self.checks
        data["sections"] = [_section_data(s) for s in self.sections]
        return data

    def to_yaml(self, version: int | None = None, with_checks: bool = True) -> str:
        data = self.to_data(version, with_checks)
        made = "dựng từ đề cương" + (f" {self.origin}" if self.origin else "") if self.is_new else \
            f"sửa từ phiên bản {self.base_version}"
        header = f"# Mẫu “{data['name']}” phiên bản {data['version']}, {made} trong chương trình ngày " \
                 f"{dt.date.today():%d/%m/%Y}.\n"
        return header + yaml.dump(data, Dumper=yaml_dumper(), allow_unicode=True, sort_keys=False, width=110,
                                  default_flow_style=False)

    def build(self, version: int | None = None, with_checks: bool = True) -> Template:
        """The template as the loader sees it; TemplateError (Vietnamese) at the first problem."""
        return parse_template(self.to_yaml(version, with_checks), origin=f"“{self.name}”")


_SECTION_KEYS = {"number", "title", "guidance", "example", "required", "indicators", "tables", "charts", "children"}


def _section_data(section: EditableSection) -> dict:
    out: dict = {"number": section.number, "title": _nfc(section.title)}
    out.update(section.extra)
    for key in ("guidance", "example"):
        text = unicodedata.normalize("NFC", getattr(section, key) or "").strip()
        if text:
            out[key] = text
    if section.required:
        out["required"] = True
    if section.indicators:
        out["indicators"] = list(section.indicators)
    if section.tables:
        out["tables"] = list(section.tables)
    if section.charts:
        out["charts"] = section.charts
    if section.children:
        out["children"] = [_section_data(c) for c in section.children]
    return out


def free_code(label: str, taken, fallback: str) -> str:
    """A code made from the label (no accents, underscores), not among `taken`: "Chi bộ thôn, bản" →
    chi_bo_thon_ban, then chi_bo_thon_ban_2…"""
    base = slugify(label) or fallback
    if not CODE_RE.match(base):
        base = fallback
    code, n = base, 2
    while code in taken:
        code = f"{base[:60]}_{n}"
        n += 1
    return code


def _line(item) -> dict:
    """One row or column from the form: a label, or a dict with label, unit, code, total."""
    if isinstance(item, str):
        item = {"label": item}
    line: dict = {"code": str(item.get("code") or "").strip(), "label": _nfc(item.get("label"))}
    unit = _nfc(item.get("unit"))
    if unit:
        line["unit"] = unit
    if item.get("total"):
        line["total"] = True
    if item.get("kind"):  # a column's declared kind of figure (count, money…), kept through the form
        line["kind"] = str(item["kind"])
    return line


def table_problems(table: dict) -> list[str]:
    """Every reason this table cannot be saved, in Vietnamese (the parser stops at the first one)."""
    title = _nfc(table.get("title"))
    name = f"Bảng “{title}”" if title else "Bảng (chưa có tên)"
    found = []
    if not title:
        found.append(f"{name}: hãy đặt tên bảng.")
    if not CODE_RE.match(str(table.get("code") or "")):
        found.append(f"{name}: mã bảng “{table.get('code')}” chỉ gồm chữ thường không dấu, số, gạch dưới.")
    for key, word in LINE_WORDS.items():
        lines = table.get(key) if isinstance(table.get(key), list) else []
        if not lines:
            found.append(f"{name} chưa có {word} nào: hãy thêm ít nhất một {word}.")
            continue
        codes = [str(line.get("code") or "") if isinstance(line, dict) else "" for line in lines]
        for index, line in enumerate(lines, start=1):
            if not isinstance(line, dict) or not _nfc(line.get("label")):
                found.append(f"{name}: {word} thứ {index} chưa có tên.")
        bad = [c for c in codes if not CODE_RE.match(c)]
        if bad:
            found.append(f"{name}: mã {word} “{bad[0]}” chỉ gồm chữ thường không dấu, số, gạch dưới.")
        twice = sorted({c for c in codes if c and codes.count(c) > 1})
        if twice:
            found.append(f"{name}: mã {word} bị trùng: {', '.join(twice)}.")
        labels = [_nfc(line.get("label")) for line in lines if isinstance(line, dict) and _nfc(line.get("label"))]
        folded = [fold(label) for label in labels]
        same = [label for index, label in enumerate(labels)
                if folded.count(folded[index]) > 1 and folded.index(folded[index]) == index]
        if same:
            found.append(f"{name}: có hai {word} cùng tên “{same[0]}”, người nhập sẽ không phân biệt được: "
                         f"hãy đặt tên khác nhau.")
        total = table.get("total_row" if key == "rows" else "total_column")
        if total and total not in codes:
            found.append(f"{name}: {word} tổng “{total}” không phải một {word} của bảng.")
    return found


def _check_uses_lines(check: dict, table: str, rows: set, columns: set) -> bool:
    """Whether the check reads a row or column of `table` among those given (removed ones)."""
    if not rows and not columns:
        return False
    shapes = RULE_KINDS.get(check.get("kind"), ("", {}))[1]
    for key, value in check.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, str):
                continue
            if check.get("table") == table and shapes.get(key) in ("column", "columns") and item in columns:
                return True
            for row, column in re.findall(rf"\b{re.escape(table)}\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)", item):
                if row in rows or column in columns:
                    return True
    return False


def _codes_in_check(check: dict) -> set[str]:
    """Indicator and table codes a check refers to ("x.actual" → x; "tbl.row.col" and table: tbl → tbl)."""
    found = set()
    for key, value in check.items():
        if key in ("code", "kind", "severity", "missing", "hint", "message"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                continue
            if key == "table":
                found.add(item)
            elif key == "expr":
                found |= set(re.findall(r"\b([a-z][a-z0-9_]*)\.", item))
            else:
                found.add(item.split(".")[0])
    found.discard("profile")
    return found


# == loading ======================================================================================
def _section_from(data: dict) -> EditableSection:
    number = str(data.get("number", ""))
    return EditableSection(
        title=str(data.get("title", "")), number=number, guidance=str(data.get("guidance", "") or "").strip(),
        example=str(data.get("example", "") or "").strip(), required=bool(data.get("required", False)),
        indicators=list(data.get("indicators") or []), tables=list(data.get("tables") or []),
        charts=[dict(c) for c in data.get("charts") or []],
        children=[_section_from(c) for c in data.get("children") or []], style=style_of(number),
        extra={k: v for k, v in data.items() if k not in _SECTION_KEYS})


def from_data(data: dict, base_version: int = 0, is_new: bool = False, origin: str = "") -> EditableTemplate:
    editable = EditableTemplate(
        code=str(data.get("code", "")), name=str(data.get("name", "")), period=str(data.get("period", "custom")),
        base_version=base_version, header={k: data[k] for k in HEADER_KEYS if k in data},
        indicators=[dict(i) for i in data.get("indicators") or []],
        tables=copy.deepcopy(list(data.get("tables") or [])), checks=[dict(c) for c in data.get("checks") or []],
        sections=[_section_from(s) for s in data.get("sections") or []], is_new=is_new, origin=origin,
        original_tables={t.get("code"): copy.deepcopy(t) for t in data.get("tables") or [] if isinstance(t, dict)},
        original_indicators={i.get("code"): dict(i) for i in data.get("indicators") or [] if isinstance(i, dict)},
        kept={k: data[k] for k in KEPT_KEYS if k in data})
    editable.renumber()
    return editable


def edit_copy(template: Template) -> EditableTemplate:
    """A copy of an installed template to edit; saving it makes the next version."""
    data = yaml.safe_load(template.source)
    return from_data(data, base_version=template.version)


def from_outline(outline) -> EditableTemplate:
    """The draft of templates/outline.py, with its indicator fields marked as suggestions."""
    data = outline.to_data()
    editable = from_data(data, is_new=True, origin=outline.origin)
    editable.suggested = editable.indicator_codes()
    return editable


# == dictionary search =============================================================================
def search_dictionary(query: str, exclude=(), limit: int = 200) -> list[DictionaryEntry]:
    """Dictionary entries whose code or label contains every word of the query (accents optional)."""
    words = fold(query).split()
    exclude = set(exclude)
    out = []
    for entry in load_dictionary().values():
        if entry.code in exclude:
            continue
        haystack = f"{fold(entry.label)} {entry.code}"
        if all(w in haystack for w in words):
            out.append(entry)
            if len(out) >= limit:
                break
    return out


# == checks from a form ===========================================================================
def check_from_form(kind: str, code: str, values: dict[str, str], severity: str = "", hint: str = "") -> dict:
    """A check mapping from the editor's text boxes (lists separated by commas or semicolons)."""
    if kind not in RULE_KINDS:
        raise TemplateError(f"Loại kiểm tra “{kind}” không có.")
    _, spec = RULE_KINDS[kind]
    data: dict = {"code": _nfc(code), "kind": kind}
    for param, shape in spec.items():
        text = _nfc(values.get(param, ""))
        if not text:
            if param in RULE_OPTIONAL.get(kind, ()):
                continue
            raise TemplateError(f"Kiểm tra “{RULE_KIND_LABELS[kind]}”: hãy điền “{PARAM_LABELS.get(param, param)}”.")
        if shape in ("refs", "columns"):
            data[param] = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
        else:
            data[param] = text
    if severity:
        data["severity"] = severity
    if _nfc(hint):
        data["hint"] = _nfc(hint)
    return data


# == validation and saving ========================================================================
def problems(editable: EditableTemplate, ws=None) -> list[str]:
    """Every reason the template cannot be saved, in Vietnamese (empty: it can)."""
    found: list[str] = []
    if not _nfc(editable.name):
        found.append("Chưa có tên mẫu báo cáo.")
    if not CODE_RE.match(editable.code or ""):
        found.append(f"Mã mẫu “{editable.code}” không hợp lệ: chỉ gồm chữ thường không dấu, số và dấu gạch dưới, "
                     f"bắt đầu bằng chữ (ví dụ: so_ket_nghi_quyet_26).")
    elif editable.is_new and ws is not None and stored_templates.code_taken(ws.store, editable.code):
        existing = stored_templates.latest_names(ws.store)[editable.code][0]
        found.append(f"Mã mẫu “{editable.code}” đã dùng cho mẫu “{existing}”: hãy đặt mã khác.")
    if editable.period not in PERIOD_KINDS:
        found.append(f"Loại kỳ báo cáo “{editable.period}” không có.")
    if not editable.sections:
        found.append("Mẫu chưa có mục nào.")
    for section in editable.walk():
        if not _nfc(section.title):
            found.append(f"Mục {section.number} chưa có tên.")
    for ind in editable.indicators:
        if not _nfc(ind.get("label")):
            found.append(f"Chỉ tiêu “{ind.get('code')}” chưa có tên.")
    for table in editable.tables:
        found += table_problems(table) if isinstance(table, dict) else ["Mỗi bảng cần tên, các dòng và các cột."]
    found += header_problems(editable)
    if found:
        return found
    try:
        template = editable.build(with_checks=False)
    except TemplateError as exc:
        return [str(exc)]
    found += [_cap(p) + "." for p in dictionary_problems(template)]
    seen = set()
    for check in editable.checks:
        code = check.get("code")
        if code in seen:
            found.append(f"Mã kiểm tra “{code}” bị trùng.")
        seen.add(code)
        try:
            build_rule(check, template, f"Mẫu “{editable.name}”")
        except TemplateError as exc:
            found.append(str(exc))
    if not found:
        try:  # what an export to a pack would accept, so the saved version can be sent to others
            validate_template_text(editable.to_yaml(), f"“{editable.name}”")
        except TemplateError as exc:
            found.append(str(exc))
    return found


def header_problems(editable: EditableTemplate) -> list[str]:
    """Every problem of the header fields as the form holds them (templates.model.header_problems)."""
    return model_header_problems(editable.header)


def removed_filled_lines(ws, editable: EditableTemplate) -> list[str]:
    """Fields, tables, rows and columns of the version being edited that this edit removes although reports
    made with this template already hold figures there, one Vietnamese line each (empty: nothing is lost).
    Those reports keep their version and figures; moved to the new version, the figures have no place left
    and go to “Nội dung chưa xếp mục” (services/report_migration.py)."""
    if editable.is_new or not (editable.original_tables or editable.original_indicators):
        return []
    notes = []
    gone = [code for code in editable.original_indicators if code not in editable.indicator_codes()]
    if gone:
        counts = stored_values.reports_filling(ws.store, editable.code, gone)
        for code in gone:
            if counts.get(code):
                label = editable.original_indicators[code].get("label") or code
                notes.append(f"Chỉ tiêu “{label}” bị xóa: {counts[code]} báo cáo đã nhập số liệu cho chỉ tiêu này.")
    filled: dict[tuple, set] = {}
    for table, row, column, report in stored_cells.filled_by_template(ws.store, editable.code):
        for key in ((table,), (table, "rows", row), (table, "columns", column)):
            filled.setdefault(key, set()).add(report)
    for code, old in editable.original_tables.items():
        title = old.get("title") or code
        new = editable.table(code)
        if new is None:
            if filled.get((code,)):
                notes.append(f"Bảng “{title}” bị xóa: {len(filled[(code,)])} báo cáo đã nhập số liệu vào bảng này.")
            continue
        for key, word in LINE_WORDS.items():
            kept = {line.get("code") for line in new.get(key) or []}
            for line in old.get(key) or []:
                reports = filled.get((code, key, line.get("code")))
                if line.get("code") not in kept and reports:
                    notes.append(f"Bảng “{title}”: {word} “{line.get('label')}” bị xóa, {len(reports)} báo cáo đã "
                                 f"nhập số vào {word} này.")
    return notes


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def next_version(ws, code: str) -> int:
    """Above every version of the code, a commune's received ones too (their numbers are taken)."""
    return int(stored_templates.highest_version(ws.store, code) or 0) + 1


def save_new_version(ws, editable: EditableTemplate) -> Template:
    """Validate everything, then install as the next version of its code (version 1 for a new code).
    Raises TemplateInvalid with every problem; nothing is written then."""
    found = problems(editable, ws)
    if found:
        raise TemplateInvalid(found)
    version = next_version(ws, editable.code)
    text = editable.to_yaml(version)
    try:
        template = validate_template_text(text, f"“{editable.name}”")
    except TemplateError as exc:
        raise TemplateInvalid([str(exc)]) from None
    ws.install_template(template, origin="local")
    editable.base_version, editable.is_new, editable.suggested = version, False, set()
    return template


# == the manager's list ===========================================================================
@dataclass(frozen=True)
class TemplateRow:
    code: str
    name: str
    version: int
    period: str
    versions: int  # how many versions are installed
    reports: int  # reports made with any version (not deleted)
    reports_latest: int  # of which with the latest version
    origin: str = ""  # of the latest version: shipped | upper | local | "" (store.templates.ORIGINS)
    format: str = "party"  # the document format its reports print in (Template.print_format)
    due: str = ""  # when its report is due, as the template says it ("ngày 25", "15/11", "-5"); "" none

    @property
    def period_label(self) -> str:
        return PERIOD_LABELS.get(self.period, self.period)

    @property
    def origin_label(self) -> str:
        """"mẫu tự tạo" for a template written here; where the others came from."""
        return stored_templates.ORIGIN_LABELS.get(self.origin, "")

    @property
    def self_made(self) -> bool:
        return self.origin == "local"


def template_rows(ws) -> list[TemplateRow]:
    counts = stored_reports.counts_by_template_version(ws.store)
    versions = stored_templates.version_counts(ws.store)
    origins = stored_templates.origins(ws.store)
    rows = []
    for template in ws.templates():
        total = sum(n for (code, _), n in counts.items() if code == template.code)
        latest = counts.get((template.code, template.version), 0)
        rows.append(TemplateRow(template.code, template.name, template.version, template.period,
                                versions.get(template.code, 1), total, latest,
                                origins.get((template.code, template.version), ""), template.print_format,
                                template.due_rule.text() if template.due_rule else ""))
    return rows
