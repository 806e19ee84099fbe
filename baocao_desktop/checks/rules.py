"""Checks declared as data in templates (the `checks:` list) and the built-in table totals.

Each rule kind validates its parameters when the template is loaded (an unknown field or a hostile
expression refuses the whole template) and, when run, says the arithmetic in Vietnamese.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..domain.numbers import format_number
from ..templates.model import CODE_RE, Rule, Template, TemplateError
from .expressions import ExpressionError, MissingValue, evaluate, parse_expression
from .findings import Finding

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
}
OPTIONAL = {"balance": {"plus", "minus"}, "table_balance": {"plus", "minus"}}


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
    known = set(spec) | {"code", "kind", "severity", "missing", "hint"}
    extra = set(data) - known
    if extra:
        raise TemplateError(f"{where}: trường không có: {', '.join(sorted(map(str, extra)))}.")
    names = template.field_names()
    params: dict = {}
    table = None
    for param, shape in spec.items():
        if param not in data:
            if param in OPTIONAL.get(kind, ()):
                params[param] = ()
                continue
            raise TemplateError(f"{where}: thiếu “{param}”.")
        value = data[param]
        if shape == "ref":
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
            parse_expression(params["expr"], names | _profile_names(params["expr"]))
        except ExpressionError as exc:
            raise TemplateError(f"{where}: {exc}") from None
    if kind in ("both_or_neither",) and len(params["refs"]) != 2:
        raise TemplateError(f"{where}: “both_or_neither” cần đúng hai trường.")
    if kind in ("same_value", "at_most_one") and len(params["refs"]) < 2:
        raise TemplateError(f"{where}: cần ít nhất hai trường.")
    return Rule(code=code, kind=kind, params=params, severity=severity or default_severity, missing=missing,
                hint=str(data.get("hint", "")))


def _profile_names(expr: str) -> set[str]:
    return set(re.findall(r"\bprofile\.[a-z0-9_]+", expr))


def _ref(value, names: set, where: str) -> str:
    if isinstance(value, str) and value.startswith(PROFILE_PREFIX) and CODE_RE.match(value[len(PROFILE_PREFIX):]):
        return value
    if not isinstance(value, str) or value not in names:
        raise TemplateError(f"{where}: không có trường “{value}” trong mẫu.")
    return value


# == running ======================================================================================
class Values:
    """Looks up every name a rule may use, with its Vietnamese label and location."""

    def __init__(self, template: Template, report, context):
        self.template = template
        self.report = report
        self.context = context

    def get(self, name: str) -> Decimal | None:
        if name.startswith(PROFILE_PREFIX):
            fact = self.context.profile.get(name[len(PROFILE_PREFIX):])
            return fact.value if fact else None
        parts = name.split(".")
        if len(parts) == 3:
            return self.report.cell(*parts)
        code, field_name = parts
        if field_name == "previous":
            from .report_checks import previous_value
            return previous_value(self.report, code, self.context)
        if field_name == "percent":
            from ..domain.sentences import indicator_percent
            return indicator_percent(self.template.indicator(code), self.report.values.get(code, {}))
        return self.report.value(code, field_name)

    def label(self, name: str) -> str:
        """The name as it reads mid-sentence ("đã giải quyết", "lũy kế thu ngân sách", "HĐND …")."""
        return _mid_sentence(self._label(name))

    def _label(self, name: str) -> str:
        if name.startswith(PROFILE_PREFIX):
            fact = self.context.profile.get(name[len(PROFILE_PREFIX):])
            return f"hồ sơ đơn vị: {fact.label}" if fact else name
        parts = name.split(".")
        if len(parts) == 3:
            table = self.template.table(parts[0])
            return f"{table.title}: {table.row(parts[1]).label}, {table.column(parts[2]).label}"
        ind = self.template.indicator(parts[0])
        prefix = {"actual": "", "plan": "kế hoạch ", "cumulative": "lũy kế ", "previous": "lũy kế kỳ trước ",
                  "percent": "tỷ lệ "}[parts[1]]
        return f"{prefix}{ind.label}"

    def section(self, name: str) -> str:
        parts = name.split(".")
        if name.startswith(PROFILE_PREFIX):
            return ""
        found = (self.template.section_of_table(parts[0]) if len(parts) == 3
                 else self.template.section_of_indicator(parts[0]))
        return found.path if found else ""


def _n(value: Decimal) -> str:
    return format_number(value)


def _mid_sentence(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (HĐND, UBND, MTTQ)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " và " + labels[-1]


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def run_rules(template: Template, report, context) -> list[Finding]:
    values = Values(template, report, context)
    findings: list[Finding] = []
    for rule in template.rules:
        findings.extend(_run_rule(rule, values))
    findings.extend(_table_totals(template, report, values))
    return findings


def _run_rule(rule: Rule, values: Values) -> list[Finding]:
    refs = _rule_refs(rule, values)
    fetched = {name: values.get(name) for name in refs}
    absent = [name for name, value in fetched.items() if value is None]
    # rules about presence itself look at the empty fields; the others follow the missing policy
    if absent and rule.kind not in ("required", "both_or_neither", "at_most_one", "same_across_reports"):
        if rule.missing == "skip":
            return []
        if rule.missing == "finding":
            return [_finding(rule, values, refs[0], "warning", "missing",
                             f"Chưa đủ số liệu để kiểm tra: thiếu {_join([values.label(n) for n in absent])}.",
                             {})]
        for name in absent:
            fetched[name] = Decimal(0)
    handler = globals()[f"_rule_{rule.kind}"]
    return handler(rule, values, fetched)


def _rule_refs(rule: Rule, values: Values) -> list[str]:
    p = rule.params
    if rule.kind == "table_balance":
        table = values.template.table(p["table"])
        return [f"{table.code}.{row.code}.{col}" for row in table.rows
                for col in (p["before"], *p["plus"], *p["minus"], p["after"])]
    if rule.kind == "expression":
        from .expressions import references
        return sorted(references(parse_expression(p["expr"])))
    if rule.kind == "profile_equals":
        return [p["value"], PROFILE_PREFIX + p["fact"]]
    refs = []
    for key in ("total", "value", "numerator", "denominator", "before", "after"):
        if key in p:
            refs.append(p[key])
    for key in ("parts", "plus", "minus", "refs"):
        refs.extend(p.get(key, ()))
    return list(dict.fromkeys(refs))


def _finding(rule: Rule, values: Values, field_name: str, severity: str | None, suffix: str, message: str,
             data: dict) -> Finding:
    if rule.hint:
        message = f"{message} {rule.hint}"
    return Finding(f"{rule.kind}.{rule.code}" + (f".{suffix}" if suffix else ""), rule.kind,
                   severity or rule.severity, message, values.section(field_name), field_name, data)


def _rule_total_parts(rule, values, v):
    total_name, parts = rule.params["total"], rule.params["parts"]
    total = v[total_name]
    summed = sum((v[p] for p in parts), Decimal(0))
    if total == summed:
        return []
    labels = [values.label(p) for p in parts]
    return [_finding(rule, values, total_name, None, "", (
        f"{_cap(values.label(total_name))} ({_n(total)}) khác tổng {_join(labels)} "
        f"({' + '.join(_n(v[p]) for p in parts)} = {_n(summed)}): chênh {_n(abs(total - summed))}."),
        {"total": _n(total), "sum": _n(summed), "difference": _n(total - summed)})]


def _rule_part_le_total(rule, values, v):
    total_name = rule.params["total"]
    out = []
    for part in rule.params["parts"]:
        if v[part] > v[total_name]:
            out.append(_finding(rule, values, part, None, "", (
                f"{_cap(values.label(part))} ({_n(v[part])}) lớn hơn {values.label(total_name)} "
                f"({_n(v[total_name])}): phần không thể lớn hơn tổng, chênh {_n(v[part] - v[total_name])}."),
                {"part": _n(v[part]), "total": _n(v[total_name])}))
    return out


def _rule_percent(rule, values, v):
    p = rule.params
    stated, num, den = v[p["value"]], v[p["numerator"]], v[p["denominator"]]
    if den == 0:
        return []
    exact = Decimal(100) * num / den
    places = _decimals(stated)
    tolerance = Decimal(5).scaleb(-(places + 1))  # half a unit of the last shown decimal
    if abs(exact - stated) <= tolerance:
        return []
    shown = format_number(exact, max(places, 1))
    return [_finding(rule, values, p["value"], None, "", (
        f"{_cap(values.label(p['value']))} ghi {_n(stated)}% nhưng {values.label(p['numerator'])}/"
        f"{values.label(p['denominator'])} = {_n(num)}/{_n(den)} = {shown}%. Sửa tỷ lệ thành {shown}%."),
        {"stated": _n(stated), "numerator": _n(num), "denominator": _n(den), "computed": shown})]


def _rule_composition(rule, values, v):
    parts = rule.params["parts"]
    summed = sum((v[p] for p in parts), Decimal(0))
    places = max(_decimals(v[p]) for p in parts)
    tolerance = Decimal(5).scaleb(-(places + 1)) * len(parts)
    if abs(summed - 100) <= tolerance:
        return []
    return [_finding(rule, values, parts[0], None, "", (
        f"Các tỷ lệ {_join([values.label(p) for p in parts])} cộng lại "
        f"{' + '.join(_n(v[p]) for p in parts)} = {_n(summed)}%, không bằng 100%: chênh {_n(abs(summed - 100))}."),
        {"sum": _n(summed)})]


def _balance(rule, values, v, before, plus, minus, after):
    expected = v[before] + sum((v[x] for x in plus), Decimal(0)) - sum((v[x] for x in minus), Decimal(0))
    if v[after] == expected:
        return []
    arithmetic = _n(v[before]) + "".join(f" + {_n(v[x])}" for x in plus) + "".join(f" − {_n(v[x])}" for x in minus)
    return [_finding(rule, values, after, None, "", (
        f"{_cap(values.label(after))} ({_n(v[after])}) khác {values.label(before)}"
        + "".join(f" + {values.label(x)}" for x in plus) + "".join(f" − {values.label(x)}" for x in minus)
        + f" ({arithmetic} = {_n(expected)}): chênh {_n(abs(v[after] - expected))}."),
        {"after": _n(v[after]), "expected": _n(expected)})]


def _rule_balance(rule, values, v):
    p = rule.params
    return _balance(rule, values, v, p["before"], p["plus"], p["minus"], p["after"])


def _rule_table_balance(rule, values, v):
    p = rule.params
    table = values.template.table(p["table"])
    out = []
    for row in table.rows:
        name = lambda col: f"{table.code}.{row.code}.{col}"  # noqa: E731
        out += _balance(rule, values, v, name(p["before"]), [name(c) for c in p["plus"]],
                        [name(c) for c in p["minus"]], name(p["after"]))
    return out


def _rule_profile_equals(rule, values, v):
    p = rule.params
    fact = values.context.profile.get(p["fact"])
    value = v[p["value"]]
    if fact is None or value == fact.value:
        return []
    from ..domain.dates import format_date
    return [_finding(rule, values, p["value"], None, "", (
        f"{_cap(values.label(p['value']))} ({_n(value)}) khác hồ sơ đơn vị: {fact.label} là {_n(fact.value)} "
        f"{fact.unit} (từ ngày {format_date(fact.as_of)}). Sửa số trong báo cáo, hoặc cập nhật hồ sơ đơn vị "
        f"nếu số liệu đã thay đổi.").replace(" )", ")"),
        {"value": _n(value), "profile": _n(fact.value), "as_of": fact.as_of.isoformat()})]


def _rule_same_value(rule, values, v):
    refs = rule.params["refs"]
    first = refs[0]
    return [_finding(rule, values, other, None, "", (
        f"{_cap(values.label(other))} ({_n(v[other])}) khác {values.label(first)} ({_n(v[first])}): "
        f"cùng một số liệu phải giống nhau ở mọi chỗ, chênh {_n(abs(v[other] - v[first]))}."),
        {"value": _n(v[other]), "other": _n(v[first])}) for other in refs[1:] if v[other] != v[first]]


def _rule_same_across_reports(rule, values, v):
    out = []
    for name in rule.params["refs"]:
        mine = v[name]
        if mine is None:
            continue
        for label, theirs in values.context.same_date_values.get(name, []):
            if theirs != mine:
                out.append(_finding(rule, values, name, None, "", (
                    f"{_cap(values.label(name))} ({_n(mine)}) khác số đã báo cáo trong {label} ({_n(theirs)}) "
                    f"tính đến cùng ngày: chênh {_n(abs(mine - theirs))}. Thống nhất số liệu giữa các báo cáo."),
                    {"value": _n(mine), "other": _n(theirs), "other_report": label}))
    return out


def _rule_required(rule, values, v):
    return [_finding(rule, values, name, None, "", f"Chưa nhập {values.label(name)}.", {})
            for name in rule.params["refs"] if v[name] is None]


def _rule_both_or_neither(rule, values, v):
    a, b = rule.params["refs"]
    if (v[a] is None) == (v[b] is None):
        return []
    have, lack = (a, b) if v[a] is not None else (b, a)
    return [_finding(rule, values, lack, None, "", (
        f"Có {values.label(have)} ({_n(v[have])}) nhưng chưa có {values.label(lack)}: hai số này phải đi cùng nhau."),
        {})]


def _rule_at_most_one(rule, values, v):
    filled = [name for name in rule.params["refs"] if v[name] is not None]
    if len(filled) <= 1:
        return []
    return [_finding(rule, values, filled[1], None, "", (
        f"Chỉ được nhập một trong {_join([values.label(n) for n in rule.params['refs']])}; "
        f"đang có {len(filled)}: {_join([values.label(n) for n in filled])}."), {})]


def _rule_expression(rule, values, v):
    node = parse_expression(rule.params["expr"])
    try:
        ok = evaluate(node, v.get)
    except MissingValue:
        return []
    if ok:
        return []
    refs = sorted(v)
    shown = "; ".join(f"{values.label(n)} = {_n(v[n])}" for n in refs if v[n] is not None)
    return [_finding(rule, values, refs[0] if refs else "", None, "",
                     f"{rule.params['message']} ({shown}).", {n: _n(v[n]) for n in refs if v[n] is not None})]


def _table_totals(template: Template, report, values: Values) -> list[Finding]:
    """Row and column totals declared by a table (total_row / total_column) are checked always."""
    out = []
    for table in template.tables:
        cells = report.tables.get(table.code, {})
        if table.total_row:
            parts = [r for r in table.rows if r.code != table.total_row]
            for col in table.columns:
                out += _sum_check(table, values, cells.get(table.total_row, {}).get(col.code),
                                  [(r, cells.get(r.code, {}).get(col.code)) for r in parts],
                                  f"{table.code}.{table.total_row}.{col.code}", f"cột “{col.label}”")
        if table.total_column:
            parts = [c for c in table.columns if c.code != table.total_column]
            for row in table.rows:
                out += _sum_check(table, values, cells.get(row.code, {}).get(table.total_column),
                                  [(c, cells.get(row.code, {}).get(c.code)) for c in parts],
                                  f"{table.code}.{row.code}.{table.total_column}", f"dòng “{row.label}”")
    return out


def _sum_check(table, values: Values, total, parts, field_name: str, where: str) -> list[Finding]:
    filled = [(line, value) for line, value in parts if value is not None]
    if total is None or not filled:
        return []
    summed = sum((value for _, value in filled), Decimal(0))
    if summed == total:
        return []
    return [Finding(
        "table.total", "total_parts", "error",
        f"Bảng “{table.title}”, {where}: tổng ghi {_n(total)} khác cộng các ô "
        f"({' + '.join(_n(value) for _, value in filled)} = {_n(summed)}): chênh {_n(abs(total - summed))}.",
        values.section(field_name), field_name, {"total": _n(total), "sum": _n(summed)})]
