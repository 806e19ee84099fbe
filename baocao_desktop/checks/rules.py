"""Running the checks declared as data in templates (the `checks:` list) and the built-in table totals.

Each rule kind's parameters are validated when the template is loaded (templates/rule_specs.py: an
unknown field or a hostile expression refuses the whole template); run here, a rule says the arithmetic
in Vietnamese.

Kinds (parameters; every kind also takes code, severity, hint, and `missing` unless it is about presence):
  total_parts (total, parts)            total = Σ parts
  part_le_total (parts, total)          each part ≤ total
  percent (value, numerator, denominator)  value = 100·a/b within half a unit of the shown decimals
  composition (parts)                   Σ percentages = 100
  balance (before, plus, minus, after)  before + Σ plus − Σ minus = after; table_balance: per table row
  profile_equals (value, fact)          the unit's profile fact valid on the report date
  same_value (refs)                     one figure in several fields
  same_across_reports (refs)            the unit's other reports ending the same day
  narrative_figure (value, [phrases], [sections])  the number the narrative writes in a phrase such as
                                        "tổng số {n} đảng viên" equals the field or cell
  sum_of_months (refs)                  a longer period's .actual = Σ the unit's monthly reports; its
                                        .cumulative = the last month's cumulative
  plausible (value, [min], [max])       bounds: numbers or fields (profile.dan_so); money off by ~1000×
                                        says "tỷ / triệu"
  report_date ([after], [within_days])  after the period ends (or starts), at most N days late; replaces
                                        the default "after the period ends"
  required, both_or_neither, at_most_one (refs)   presence of values
  expression (expr, message)            a safe expression over the report's fields
`missing`: skip (default: the rule says nothing), zero (an empty value counts as 0) or finding (a warning
that names what is missing). Presence kinds look at empty values themselves and refuse `missing`.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

from ..domain import richtext

from ..domain.dates import format_date
from ..domain.numbers import format_number, in_unit
from .check_context import previous_value
from ..domain.expressions import MissingValue, evaluate
from ..domain.sentences import mid_sentence
from ..templates.model import Rule, Template, due_days
from ..templates.rule_specs import PER_REF_KINDS, PRESENCE_KINDS, PROFILE_PREFIX
from .findings import Finding

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
            return previous_value(self.report, code, self.context)
        if field_name == "percent":
            from ..domain.sentences import indicator_percent
            return indicator_percent(self.template.indicator(code), self.report.values.get(code, {}))
        return self.report.value(code, field_name)

    def unit(self, name: str) -> str:
        """The unit a field's figure is written in (an indicator's "ha", "người"); "" for table cells,
        percentages and profile facts (a fact carries its own)."""
        parts = name.split(".")
        if name.startswith(PROFILE_PREFIX) or len(parts) != 2 or parts[1] == "percent":
            return ""
        indicator = self.template.indicator(parts[0])
        return indicator.unit if indicator else ""

    def fact_in_unit_of(self, fact, name: str) -> Decimal:
        """A profile fact's value in the unit of the field it is compared with (23,5 km² → 2.350 ha); as
        it is when the units cannot be converted."""
        converted = in_unit(fact.value, fact.unit, self.unit(name))
        return fact.value if converted is None else converted

    def label(self, name: str) -> str:
        """The name as it reads mid-sentence ("đã giải quyết", "lũy kế thu ngân sách", "HĐND …")."""
        return mid_sentence(self._label(name))

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
        return f"{prefix}{mid_sentence(ind.label)}" if prefix else ind.label

    def section(self, name: str) -> str:
        parts = name.split(".")
        if name.startswith(PROFILE_PREFIX):
            return ""
        found = (self.template.section_of_table(parts[0]) if len(parts) == 3
                 else self.template.section_of_indicator(parts[0]))
        return found.path if found else ""


def _n(value: Decimal) -> str:
    return format_number(value)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " và " + labels[-1]


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def run_rules(template: Template, report, context) -> list[Finding]:
    # the tables as this report has them (its own row names, added rows): rows are matched by code
    template = template.for_report(getattr(report, "table_rows", None))
    values = Values(template, report, context)
    findings: list[Finding] = []
    for rule in template.rules:
        findings.extend(_run_rule(rule, values))
    findings.extend(_table_totals(template, report, values))
    return findings


def _run_rule(rule: Rule, values: Values) -> list[Finding]:
    refs = rule.params.get("_refs")
    if refs is None:  # the names a rule reads depend on the template only: worked out once per rule
        refs = rule.params["_refs"] = _rule_refs(rule, values)
    fetched = {name: values.get(name) for name in refs}
    absent = [name for name, value in fetched.items() if value is None]
    # rules about presence itself look at the empty fields; the others follow the missing policy
    if rule.kind == "table_balance":
        return _rule_table_balance(rule, values, fetched)  # the missing policy applies row by row
    if absent and rule.kind not in PRESENCE_KINDS + PER_REF_KINDS:
        policy = _apply_missing(rule, values, fetched, absent, refs[0])
        if policy is not None:
            return policy
    handler = globals()[f"_rule_{rule.kind}"]
    return handler(rule, values, fetched)


def _apply_missing(rule: Rule, values: Values, fetched: dict, absent: list[str], field_name: str):
    """The rule's policy for empty values: skip ([]), a finding ([finding]), or zero (fills `fetched`, None)."""
    if rule.missing == "skip":
        return []
    if rule.missing == "finding":
        return [_finding(rule, values, field_name, "warning", "missing",
                         f"Chưa đủ số liệu để kiểm tra: thiếu {_join([values.label(n) for n in absent])}.",
                         {"missing": [values.label(n) for n in absent]})]
    for name in absent:
        fetched[name] = Decimal(0)
    return None


def _rule_refs(rule: Rule, values: Values) -> list[str]:
    p = rule.params
    if rule.kind == "table_balance":
        table = values.template.table(p["table"])
        return [f"{table.code}.{row.code}.{col}" for row in table.rows
                for col in (p["before"], *p["plus"], *p["minus"], p["after"])]
    if rule.kind == "expression":
        from ..domain.expressions import references
        return sorted(references(p["node"]))
    if rule.kind == "profile_equals":
        return [p["value"], PROFILE_PREFIX + p["fact"]]
    if rule.kind == "plausible":
        return list(dict.fromkeys([p["value"]] + [b for b in (p["min"], p["max"]) if isinstance(b, str)]))
    if rule.kind == "report_date":
        return []
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
        names = [name(c) for c in (p["before"], *p["plus"], *p["minus"], p["after"])]
        row_values = {n: v[n] for n in names}
        absent = [n for n in names if row_values[n] is None]
        if len(absent) == len(names):
            continue  # an empty row is not a row with a missing value
        if absent:
            policy = _apply_missing(rule, values, row_values, absent, name(p["after"]))
            if policy is not None:
                out += policy
                continue
        out += _balance(rule, values, row_values, name(p["before"]), [name(c) for c in p["plus"]],
                        [name(c) for c in p["minus"]], name(p["after"]))
    return out


def _rule_profile_equals(rule, values, v):
    p = rule.params
    fact = values.context.profile.get(p["fact"])
    value = v[p["value"]]
    if fact is None:
        return []
    expected = values.fact_in_unit_of(fact, p["value"])
    if value == expected:
        return []
    unit = values.unit(p["value"])
    converted = f" (= {_n(expected)} {unit})" if expected != fact.value else ""
    return [_finding(rule, values, p["value"], None, "", (
        f"{_cap(values.label(p['value']))} ({_n(value)}) khác hồ sơ đơn vị: {fact.label} là {_n(fact.value)} "
        f"{fact.unit}{converted} (từ ngày {format_date(fact.as_of)}). Sửa số trong báo cáo, hoặc cập nhật hồ sơ "
        f"đơn vị nếu số liệu đã thay đổi.").replace(" )", ")"),
        {"value": _n(value), "profile": _n(expected), "as_of": fact.as_of.isoformat()})]


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
    node = rule.params["node"]
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
    wrong = total_mismatch(total, [value for _, value in parts])
    if wrong is None:
        return []
    return [Finding(
        "table.total", "total_parts", "error", f"Bảng “{table.title}”, {where}: {wrong}",
        values.section(field_name), field_name, {"total": _n(total), "sum": _n(sum(
            (value for _, value in parts if value is not None), Decimal(0)))})]


def total_mismatch(total: Decimal | None, parts: list[Decimal | None]) -> str | None:
    """The one total rule of a table (a template's, or a free table of the text): a total equals the sum of
    its filled parts. None when it does, or when there is no total or no part; else what is wrong
    ("tổng ghi 10 khác cộng các ô (3 + 4 = 7): chênh 3.")."""
    filled = [value for value in parts if value is not None]
    if total is None or not filled:
        return None
    summed = sum(filled, Decimal(0))
    if summed == total:
        return None
    return (f"tổng ghi {_n(total)} khác cộng các ô ({' + '.join(_n(value) for value in filled)} = {_n(summed)}): "
            f"chênh {_n(abs(total - summed))}.")


# == narrative, months, plausibility, report date =================================================
MONEY_UNIT_HINT = " Có thể nhầm đơn vị (tỷ đồng / triệu đồng)."
# words right after "892 đảng viên" that make it a subset ("310 đảng viên nữ"), not the figure itself
_SUBSET_AFTER = re.compile(r"\s+(?:nữ|nam|dự bị|chính thức|mới|trẻ|(?:là )?người dân tộc|dân tộc|(?:đã |chưa )?được|"
                           r"chưa)(?!\w)", re.IGNORECASE)
_SUBSET_BEFORE = re.compile(r"trong đó|\(", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _scan(text: str):
    from .proofread.reader import scan
    return scan(text)


@lru_cache(maxsize=512)
def narrative_paragraphs(markup: str | None) -> tuple[str, ...]:
    """A section's narrative as plain paragraphs, numbered as the proofreader numbers them (cached: several
    rules read the same section, and a recheck after one edit reads unchanged sections again)."""
    return tuple(richtext.plain_text(markup).split("\n")) if markup else ()


def _rule_narrative_figure(rule, values, v):
    p = rule.params
    name = p["value"]
    expected = v[name]
    own_section = values.section(name)
    roots = p["sections"] or ((own_section,) if own_section else ())
    out = []
    texts = values.report.texts
    tops = [values.template.section(root) for root in roots] if roots else list(values.template.sections)
    seen_paths = set()  # "sections: [I, I.1]" reads I.1 once
    for section in (s for top in tops if top is not None for s in top.walk()):
        if not texts.get(section.path) or section.path in seen_paths:
            continue
        seen_paths.add(section.path)
        for index, text in enumerate(narrative_paragraphs(texts[section.path])):
            seen = set()
            for pattern in p["patterns"]:
                for m in pattern.finditer(text):
                    start = m.start("n")
                    if start in seen or _SUBSET_AFTER.match(text, m.end()):
                        continue
                    clause_start = max(text.rfind(".", 0, start), text.rfind(";", 0, start), text.rfind(")", 0, start))
                    if _SUBSET_BEFORE.search(text, clause_start + 1, start):
                        continue
                    figure = next((f for f in _scan(text).figures if f.start == start), None)
                    if figure is None or not figure.exact:
                        continue  # a date, a document number, "khoảng 890": nothing to compare
                    seen.add(start)
                    if figure.value == expected:
                        continue
                    where = f" (mục {own_section})" if own_section and own_section != section.path else ""
                    phrase = " ".join(m.group().split())
                    message = (f"Mục {section.path}, đoạn {index + 1}: lời văn ghi “{phrase}” nhưng số liệu "
                               f"{values.label(name)}{where} là {_n(expected)}: chênh {_n(abs(figure.value - expected))}. "
                               f"Sửa lời văn hoặc số liệu cho khớp.")
                    if rule.hint:
                        message = f"{message} {rule.hint}"
                    out.append(Finding(
                        f"narrative_figure.{rule.code}", "repeated_figure_conflict", rule.severity, message,
                        section.path, "", {"text": _n(figure.value), "value": _n(expected), "field": name,
                                           "difference": _n(figure.value - expected)},
                        paragraph=index, start=figure.start, end=figure.end))
    return out


def _rule_sum_of_months(rule, values, v):
    """A longer period's figure against the unit's reports inside it (context.period_sums: months first,
    else quarters…; each part named with its figure): the sum for .actual, the last part's lũy kế for
    .cumulative. The months no report gives are said (info; a warning with `missing: finding`), never
    counted as 0 unless `missing: zero`."""
    sums = values.context.period_sums
    period = values.report.period.label()
    period = period[:1].lower() + period[1:]
    out = []
    unchecked: dict[tuple, list] = {}  # gaps → the figures (name, value, sum) they leave unchecked
    for name in rule.params["refs"]:
        found = sums.get(name)
        if found is None or not found.parts:
            continue  # the unit wrote no report inside the period with this figure: nothing to compare
        mine = v[name]
        if mine is None:
            own = {name: None}
            policy = _apply_missing(rule, values, own, [name], name)
            if policy is not None:
                out += policy
                continue
            mine = own[name]
        label = values.label(name)
        if name.endswith(".cumulative"):
            [last] = found.parts
            if last.value == mine:
                continue
            out.append(_finding(rule, values, name, None, "", (
                f"{_cap(label)} {period} ({_n(mine)}) khác {last.label}, cuối kỳ ({_n(last.value)}): "
                f"chênh {_n(abs(mine - last.value))}. Sửa lũy kế của kỳ hoặc của báo cáo cuối kỳ cho khớp."),
                {"value": _n(mine), "month": _n(last.value), "difference": _n(mine - last.value)}))
            continue
        if found.gaps and rule.missing == "skip":  # said once for the figures missing the same months
            unchecked.setdefault(found.gaps, []).append((name, mine, found))
            continue
        if found.gaps and rule.missing == "finding":
            out.append(_finding(rule, values, name, "warning", "missing", (
                f"Chưa đối chiếu được {label} {period} ({_n(mine)}) với các báo cáo trong kỳ: {found.gap_text()}"
                f" (có: {found.arithmetic()}). Không tự cộng khi thiếu số."),
                {"missing": list(found.gaps),
                 "months": {p.label: _n(p.value) for p in found.parts}}))
            continue
        total = sum((p.value for p in found.parts), Decimal(0))
        if total == mine:
            continue
        names = " + ".join(p.label for p in found.parts) + "".join(f" + {g} (chưa có: 0)" for g in found.gaps)
        figures = " + ".join(_n(p.value) for p in found.parts) + "".join(" + 0" for _ in found.gaps)
        out.append(_finding(rule, values, name, None, "", (
            f"{_cap(label)} {period} ({_n(mine)}) nhưng tổng {names} = {figures} = {_n(total)}: chênh "
            f"{_n(abs(mine - total))}. Sửa số của kỳ, hoặc sửa báo cáo trong kỳ có số sai."
            + _months_out_of_step(found, name, values)),
            {"value": _n(mine), "sum": _n(total), "difference": _n(mine - total),
             "months": {**{p.label: _n(p.value) for p in found.parts}, **{g: None for g in found.gaps}}}))
    for gaps, figures in unchecked.items():
        name, mine, found = figures[0]
        if len(figures) == 1:
            what = f"{values.label(name)} {period} ({_n(mine)})"
            known = f" (có: {found.arithmetic()})"
        else:
            what = f"{len(figures)} số liệu {period} ({_join([values.label(n) for n, _, _ in figures])})"
            known = ""
        out.append(_finding(rule, values, name, "info", "missing", (
            f"Chưa đối chiếu được {what} với các báo cáo trong kỳ: {found.gap_text()}{known}. Không tự cộng "
            f"khi thiếu số."), {"missing": list(gaps), "fields": [n for n, _, _ in figures]}))
    return out


def _months_out_of_step(found, name: str, values) -> str:
    """The parts whose own report disagrees with itself: its lũy kế is not the one before plus its figure
    (" Báo cáo tháng 2/2026 tự mâu thuẫn: lũy kế 215 khác 120 + 90 = 210.")."""
    steps = values.context.period_steps.get(name.split(".")[0], {})
    wrong = [text for part in found.parts if (text := steps.get(part.report_id))]
    return (" " + " ".join(wrong)) if wrong else ""


def _bound_label(values: Values, bound, name: str) -> str:
    """How a limit of `plausible` on the field `name` reads: "dân số theo hồ sơ đơn vị (15.486 người, từ
    ngày 01/01/2026)", "diện tích tự nhiên theo hồ sơ đơn vị (23,5 km² = 2.350 ha, từ ngày …)"."""
    if not isinstance(bound, str):
        return f"mức hợp lý ({_n(bound)})"
    if bound.startswith(PROFILE_PREFIX):
        fact = values.context.profile.get(bound[len(PROFILE_PREFIX):])
        if fact is not None:
            unit = f" {fact.unit}" if fact.unit else ""
            expected = values.fact_in_unit_of(fact, name)
            if expected != fact.value:
                unit += f" = {_n(expected)} {values.unit(name)}"
            return (f"{mid_sentence(fact.label)} theo hồ sơ đơn vị ({_n(fact.value)}{unit}, "
                    f"từ ngày {format_date(fact.as_of)})")
    return f"{values.label(bound)} ({_n(values.get(bound))})"


def _rule_plausible(rule, values, v):
    p = rule.params
    name = p["value"]
    value = v[name]
    indicator = values.template.indicator(name.split(".")[0]) if name.count(".") == 1 else None
    out = []
    for bound, word in ((p["min"], "nhỏ hơn"), (p["max"], "lớn hơn")):
        if bound is None:
            continue
        limit = v[bound] if isinstance(bound, str) else bound
        fact = values.context.profile.get(bound[len(PROFILE_PREFIX):]) \
            if isinstance(bound, str) and bound.startswith(PROFILE_PREFIX) else None
        if fact is not None:  # the profile's area in km², the field in ha
            limit = values.fact_in_unit_of(fact, name)
        if limit is None or (value >= limit if word == "nhỏ hơn" else value <= limit):
            continue
        small, big = sorted((abs(value), abs(limit)))
        hint = MONEY_UNIT_HINT if indicator and indicator.kind == "money" and small and big / small >= 500 else ""
        out.append(_finding(rule, values, name, None, "", (
            f"{_cap(values.label(name))} ({_n(value)}) {word} {_bound_label(values, bound, name)}: chênh "
            f"{_n(abs(value - limit))}. Số này không hợp lý: kiểm tra lại số hoặc đơn vị.{hint}"),
            {"value": _n(value), "limit": _n(limit), "difference": _n(value - limit)}))
    return out


def _rule_report_date(rule, values, v):
    p = rule.params
    return report_date_findings(values.report, p["after"] or "period_end", p["within_days"], rule.severity,
                                due=due_days(values.template, values.report.period))


def report_date_findings(report, after: str = "period_end", within_days: int | None = None,
                         severity: str = "error", due: int | None = None) -> list[Finding]:
    """The report's date against its period: not before the period ends (or, when the template allows a
    report written during the period, not before it starts), and at most `within_days` after it ends.

    `due` (the template's, in days from the period's end): a report due before its period closes (an annual
    report due in November, a quarterly one on the 25th) is in time from a fortnight before its due day. When
    the template declares none, a date in the last sixth of the period may be such a report: a warning, not an
    error."""
    day = report.report_date
    if day is None:
        return []
    period = report.period
    if after == "period_end" and due is not None and due < 0:
        after = "period_start" if day >= period.end + dt.timedelta(days=due - 15) else after
    if after == "period_end" and day < period.end:
        if due is None and (period.end - day) * 6 <= (period.end - period.start):
            severity = "warning" if severity == "error" else severity
        return [Finding(
            "date.before_period_end", "date_logic", severity,
            f"Ngày báo cáo ({format_date(day)}) trước ngày kết thúc kỳ báo cáo ({format_date(period.end)}): "
            f"báo cáo chỉ ký sau khi kỳ đã kết thúc. Sửa ngày báo cáo hoặc kỳ báo cáo.",
            "", "header.date", {"date": format_date(day), "period_end": format_date(period.end)})]
    if after == "period_start" and day < period.start:
        return [Finding(
            "date.before_period_start", "date_logic", severity,
            f"Ngày báo cáo ({format_date(day)}) trước ngày bắt đầu kỳ báo cáo ({format_date(period.start)}): "
            f"chưa đến kỳ thì chưa thể báo cáo. Sửa ngày báo cáo hoặc kỳ báo cáo.",
            "", "header.date", {"date": format_date(day), "period_start": format_date(period.start)})]
    if within_days is None and due is not None and day > period.end + dt.timedelta(days=due):
        deadline = period.end + dt.timedelta(days=due)
        return [Finding(
            "date.late", "date_logic", "warning",
            f"Ngày báo cáo ({format_date(day)}) muộn {(day - deadline).days} ngày so với hạn nộp của mẫu "
            f"({format_date(deadline)}). Kiểm tra lại ngày báo cáo.",
            "", "header.date", {"date": format_date(day), "deadline": format_date(deadline)})]
    if within_days is not None and day > period.end + dt.timedelta(days=within_days):
        deadline = period.end + dt.timedelta(days=within_days)
        return [Finding(
            "date.late", "date_logic", "warning",
            f"Ngày báo cáo ({format_date(day)}) muộn {(day - deadline).days} ngày so với hạn của mẫu "
            f"({within_days} ngày sau khi kỳ kết thúc, tức {format_date(deadline)}). Kiểm tra lại ngày báo cáo.",
            "", "header.date", {"date": format_date(day), "deadline": format_date(deadline)})]
    return []
