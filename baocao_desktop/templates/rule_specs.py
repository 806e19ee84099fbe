"""The check vocabulary of the template format: the rule kinds, their parameters, and their validation.

A template declares its checks as data (the `checks:` list); parsing the template validates each one
here (an unknown field, a missing parameter or a hostile expression refuses the whole template) and keeps
it as a `Rule` with normalised parameters. `checks/rules.py` runs those rules; it reads the vocabulary
from here, so that `templates/` never imports `checks/`.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from ..domain.expressions import ExpressionError, parse_expression
from ..domain.numbers import NumberFormatError, parse_number
from ..domain.sentences import mid_sentence
from .model import CODE_RE, Rule, Template, TemplateError

PROFILE_PREFIX = "profile."
MISSING_POLICIES = ("skip", "zero", "finding")
SEVERITY_CHOICES = ("error", "warning", "info")

# kind → (default severity, {param: "ref" | "refs" | "text" | "column" | "columns" | "table" | "fact"})
KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "total_parts": ("error", {"total": "ref", "parts": "refs"}),
    "part_le_total": ("error", {"parts": "refs", "total": "ref"}),
    "percent": ("error", {"value": "ref", "numerator": "ref", "denominator": "ref"}),
    "composition": ("error", {"parts": "refs"}),
    "balance": ("error", {"before": "ref", "plus": "refs", "minus": "refs", "after": "ref"}),
    "table_balance": ("error", {"table": "table", "before": "column", "plus": "columns", "minus": "columns",
                                "after": "column"}),
    "profile_equals": ("warning", {"value": "ref", "fact": "fact"}),
    "same_value": ("warning", {"refs": "refs"}),
    "same_across_reports": ("warning", {"refs": "refs"}),
    "required": ("warning", {"refs": "refs"}),
    "both_or_neither": ("warning", {"refs": "refs"}),
    "at_most_one": ("warning", {"refs": "refs"}),
    "expression": ("warning", {"expr": "text", "message": "text"}),
    # the figure as the narrative states it ("tổng số 892 đảng viên") equals the field or table cell
    "narrative_figure": ("warning", {"value": "ref", "phrases": "text", "sections": "text"}),
    # a quarter's (6 months', a year's) figure equals the unit's monthly reports for the months inside it
    "sum_of_months": ("warning", {"refs": "refs"}),
    # plausible range against numbers or other figures (a count above the population from the profile)
    "plausible": ("warning", {"value": "ref", "min": "text", "max": "text"}),
    # when the report may be dated: after the period ends (default) or from its start; at most N days late
    "report_date": ("error", {"after": "text", "within_days": "text"}),
}
# The shapes above are what the template editor's form shows (a text box for these); the parameters below
# are read more strictly. In YAML they are lists or numbers; typed into the form they are text:
# phrases separated by ";", sections by ",".
PARAM_FORMS = {("narrative_figure", "phrases"): "phrases", ("narrative_figure", "sections"): "sections",
               ("plausible", "min"): "limit", ("plausible", "max"): "limit", ("report_date", "after"): "choice",
               ("report_date", "within_days"): "days"}
OPTIONAL = {"balance": {"plus", "minus"}, "table_balance": {"plus", "minus"},
            "narrative_figure": {"phrases", "sections"}, "plausible": {"min", "max"},
            "report_date": {"after", "within_days"}}
CHOICES = {"after": ("period_end", "period_start")}
# kinds that read no field of the report, or look at empty fields themselves
PRESENCE_KINDS = ("required", "both_or_neither", "at_most_one", "same_across_reports", "report_date")
# kinds whose figures are independent of each other: the missing policy applies to each one in the handler
PER_REF_KINDS = ("sum_of_months",)


def build_rule(data, template: Template, where: str) -> Rule:
    """Validate one declared check against the template; raises TemplateError (Vietnamese)."""
    if not isinstance(data, dict):
        raise TemplateError(f"{where}: mỗi kiểm tra phải là một bảng có code và kind.")
    code = data.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise TemplateError(f"{where}: kiểm tra cần mã “code” (chữ thường không dấu, số, gạch dưới).")
    where = f"{where}, kiểm tra “{code}”"
    kind = data.get("kind")
    if kind not in KINDS:
        raise TemplateError(f"{where}: loại kiểm tra “{kind}” không có (chọn: {', '.join(KINDS)}).")
    default_severity, spec = KINDS[kind]
    severity = data.get("severity", "") or ""
    if severity and severity not in SEVERITY_CHOICES:
        raise TemplateError(f"{where}: mức “{severity}” không có (error, warning, info).")
    missing = data.get("missing", "skip")
    if missing not in MISSING_POLICIES:
        raise TemplateError(f"{where}: “missing” phải là skip, zero hoặc finding.")
    if "missing" in data and kind in PRESENCE_KINDS:
        raise TemplateError(f"{where}: “missing” không dùng cho loại “{kind}”: loại này tự xét ô trống.")
    known = set(spec) | {"code", "kind", "severity", "missing", "hint"}
    extra = set(data) - known
    if extra:
        raise TemplateError(f"{where}: trường không có: {', '.join(sorted(map(str, extra)))}.")
    names = template.field_names()
    params: dict = {}
    table = None
    for param, shape in spec.items():
        shape = PARAM_FORMS.get((kind, param), shape)
        if param not in data:
            if param in OPTIONAL.get(kind, ()):
                params[param] = None if shape in ("limit", "choice", "days") else ()
                continue
            raise TemplateError(f"{where}: thiếu “{param}”.")
        value = data[param]
        if shape == "phrases":
            params[param] = _phrases(value, where)
        elif shape == "sections":
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, list) or not value:
                raise TemplateError(f"{where}: “{param}” phải là danh sách mục (I, II.1...).")
            for path in value:
                if not isinstance(path, str) or template.section(path) is None:
                    raise TemplateError(f"{where}: không có mục “{path}” trong mẫu.")
            params[param] = tuple(value)
        elif shape == "limit":
            params[param] = _limit(value, names, where)
        elif shape == "choice":
            if value not in CHOICES[param]:
                raise TemplateError(f"{where}: “{param}” phải là {' hoặc '.join(CHOICES[param])}.")
            params[param] = value
        elif shape == "days":
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 366:
                raise TemplateError(f"{where}: “{param}” phải là số ngày (0–366).")
            params[param] = value
        elif shape == "ref":
            params[param] = _ref(value, names, where)
        elif shape == "refs":
            if not isinstance(value, list) or not value:
                raise TemplateError(f"{where}: “{param}” phải là danh sách trường.")
            params[param] = tuple(_ref(v, names, where) for v in value)
        elif shape == "text":
            if not isinstance(value, str) or not value.strip():
                raise TemplateError(f"{where}: “{param}” phải là chuỗi.")
            params[param] = value
        elif shape == "fact":
            if not isinstance(value, str) or not CODE_RE.match(value):
                raise TemplateError(f"{where}: mã dữ kiện hồ sơ “{value}” không hợp lệ.")
            params[param] = value
        elif shape == "table":
            table = template.table(value) if isinstance(value, str) else None
            if table is None:
                raise TemplateError(f"{where}: không có bảng “{value}” trong mẫu.")
            params[param] = value
        elif shape in ("column", "columns"):
            items = value if shape == "columns" else [value]
            if shape == "columns" and not isinstance(value, list):
                raise TemplateError(f"{where}: “{param}” phải là danh sách cột.")
            for item in items:
                if table is None or not isinstance(item, str) or table.column(item) is None:
                    raise TemplateError(f"{where}: bảng không có cột “{item}”.")
            params[param] = tuple(items) if shape == "columns" else value
    if kind == "expression":
        try:
            # parsed once here; running the rule reuses the tree
            params["node"] = parse_expression(params["expr"], names | _profile_names(params["expr"]))
        except ExpressionError as exc:
            raise TemplateError(f"{where}: {exc}") from None
    if kind in ("both_or_neither",) and len(params["refs"]) != 2:
        raise TemplateError(f"{where}: “both_or_neither” cần đúng hai trường.")
    if kind in ("same_value", "at_most_one") and len(params["refs"]) < 2:
        raise TemplateError(f"{where}: cần ít nhất hai trường.")
    if kind == "narrative_figure":
        params["patterns"] = _narrative_patterns(params, template, where)
    if kind == "sum_of_months":
        for ref in params["refs"]:
            if ref.count(".") != 1 or ref.split(".")[1] not in ("actual", "cumulative"):
                raise TemplateError(f"{where}: “sum_of_months” chỉ dùng cho số thực hiện (.actual) hoặc lũy kế "
                                    f"(.cumulative) của chỉ tiêu, không dùng cho “{ref}”.")
    if kind == "plausible" and params["min"] is None and params["max"] is None:
        raise TemplateError(f"{where}: “plausible” cần “min” hoặc “max”.")
    return Rule(code=code, kind=kind, params=params, severity=severity or default_severity, missing=missing,
                hint=str(data.get("hint", "")))


def _phrases(value, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(";") if v.strip()]
    if not isinstance(value, list) or not value:
        raise TemplateError(f"{where}: “phrases” phải là danh sách câu chữ có chỗ số {{n}}.")
    for phrase in value:
        if not isinstance(phrase, str) or phrase.count("{n}") != 1 or not phrase.replace("{n}", "").strip():
            raise TemplateError(f"{where}: mỗi câu chữ trong “phrases” phải có đúng một chỗ số {{n}} "
                                f"(ví dụ “tổng số {{n}} đảng viên”), không phải “{phrase}”.")
        if len(phrase) > 120:
            raise TemplateError(f"{where}: câu chữ “{phrase[:40]}…” quá dài (tối đa 120 ký tự).")
    return tuple(unicodedata.normalize("NFC", p) for p in value)


def _limit(value, names: set, where: str):
    """A bound of `plausible`: a number (12, 1.5, "15.486") or a field name ("profile.dan_so")."""
    if isinstance(value, bool):
        raise TemplateError(f"{where}: giới hạn “{value}” phải là số hoặc tên trường.")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            number = parse_number(value)
        except NumberFormatError:
            number = None
        if number is not None:
            return number
        return _ref(value, names, where)
    raise TemplateError(f"{where}: giới hạn “{value}” phải là số hoặc tên trường.")


_NUMBER_TOKEN = r"(?P<n>[0-9]+(?:[.,][0-9]+)*)"


def _narrative_patterns(params: dict, template: Template, where: str) -> tuple[re.Pattern, ...]:
    """Regular expressions for the phrases; an indicator without phrases gets some from its label and unit:
    "Tổng số đảng viên" (unit "đảng viên") → "tổng số đảng viên là {n}", "tổng số đảng viên: {n}",
    "tổng số {n} đảng viên"."""
    phrases = params["phrases"]
    name = params["value"]
    if not phrases:
        parts = name.split(".")
        if name.startswith(PROFILE_PREFIX) or len(parts) != 2:
            raise TemplateError(f"{where}: “narrative_figure” cho ô bảng hoặc hồ sơ cần “phrases” "
                                f"(câu chữ có chỗ số {{n}}, ví dụ “tổng số {{n}} đảng viên”).")
        ind = template.indicator(parts[0])
        label = mid_sentence(ind.label)
        found = [f"{label} là {{n}}", f"{label}: {{n}}"]
        unit = ind.unit.strip()
        if unit and label.lower().endswith(" " + unit.lower()):
            found.append(f"{label[:-len(unit)].rstrip()} {{n}} {unit}")
        phrases = tuple(found)
        params["phrases"] = phrases
    out = []
    for phrase in phrases:
        before, after = phrase.split("{n}")
        body = (_phrase_regex(before) + _NUMBER_TOKEN + _phrase_regex(after))
        out.append(re.compile(r"(?<!\w)" + body + (r"(?!\w)" if after.strip() else ""), re.IGNORECASE))
    return tuple(out)


def _phrase_regex(text: str) -> str:
    """Literal words, any run of spaces between them (a line break or two spaces in the text still match)."""
    return r"\s+".join(re.escape(word) for word in text.split(" ")) if text else ""


def _profile_names(expr: str) -> set[str]:
    return set(re.findall(r"\bprofile\.[a-z0-9_]+", expr))


def _ref(value, names: set, where: str) -> str:
    if isinstance(value, str) and value.startswith(PROFILE_PREFIX) and CODE_RE.match(value[len(PROFILE_PREFIX):]):
        return value
    if not isinstance(value, str) or value not in names:
        raise TemplateError(f"{where}: không có trường “{value}” trong mẫu.")
    return value
