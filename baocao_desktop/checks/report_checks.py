"""Structured checks on a report's fields. Pure: everything they need is passed in."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from ..domain import richtext
from ..domain.dates import format_date
from ..domain.model import Report
from ..domain.numbers import format_number
from ..domain.sentences import has_reported_figures
from ..templates.dictionary import indicator_rule
from ..templates.model import Template, due_days
from .findings import Finding, sort_key
from .check_context import CheckContext, previous_source_text, previous_value
from .document_items import document_item_findings
from ..templates.rule_specs import PROFILE_PREFIX
from .rules import MONEY_UNIT_HINT, report_date_findings, run_rules
from .text_tables import text_table_findings
from .unplaced import unplaced_findings


def check_report(template: Template, report: Report, context: CheckContext | None = None) -> list[Finding]:
    context = context or CheckContext()
    written = written_paths(report)
    findings: list[Finding] = []
    findings += _cumulative_checks(template, report, context)
    findings += _range_checks(template, report)
    findings += _required_sections(template, report, written)
    findings += _figures_without_text(template, report, written)
    findings += _date_checks(template, report, context)
    findings += run_rules(template, report, context)
    findings += _profile_not_yet_valid(template, report, context)
    findings += unplaced_findings(report)
    findings += text_table_findings(report)
    if context.document_items is not None:
        findings += document_item_findings(context.document_items)
    return sorted(findings, key=sort_key)


# What the checks derive from a template alone (which sections are required, which figures have a plausible
# range…), kept per template object (templates are immutable and cached by the workspace): an import checks
# thousands of reports of one template, and walking it again for each cost more than the checks themselves.
_PER_TEMPLATE: dict[tuple[int, str], tuple[Template, object]] = {}


def _per_template(template: Template, name: str, derive):
    key = (id(template), name)  # the entry holds the template: its id cannot be reused meanwhile
    found = _PER_TEMPLATE.get(key)
    if found is None:
        if len(_PER_TEMPLATE) >= 512:
            _PER_TEMPLATE.clear()
        found = _PER_TEMPLATE[key] = (template, derive(template))
    return found[1]


def profile_codes_used(template: Template) -> list[str]:
    """The profile fact codes a template's figures and rules compare with, in the template's order."""
    return list(_per_template(template, "profile_codes", _profile_codes))


def _profile_codes(template: Template) -> tuple[str, ...]:
    found: list[str] = []

    def walk(value, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, key)
        elif isinstance(value, str):
            if value.startswith(PROFILE_PREFIX):
                found.append(value[len(PROFILE_PREFIX):])
            elif key == "fact":
                found.append(value)
    for ind in template.indicators:
        if ind.profile_fact:
            found.append(ind.profile_fact)
    for rule in template.rules:
        walk(rule.params)
    return tuple(dict.fromkeys(found))


def _profile_not_yet_valid(template: Template, report: Report, context: CheckContext) -> list[Finding]:
    """A report dated before every fact of a profile code its template uses: the figures cannot be compared
    with the profile, and nothing else would say so."""
    out = []
    day = report.report_date or report.period.end
    for code in _per_template(template, "profile_codes", _profile_codes):
        fact = context.profile_later.get(code)
        if fact is None:
            continue
        name = fact.label or code
        out.append(Finding(
            "profile.not_yet_valid", "profile", "warning",
            f"Hồ sơ đơn vị chưa có “{name}” vào ngày {format_date(day)}: dữ kiện này chỉ có từ ngày "
            f"{format_date(fact.as_of)}, nên số liệu của báo cáo chưa được đối chiếu với hồ sơ. Hãy thêm "
            f"“{name}” với ngày hiệu lực sớm hơn (Đơn vị → Thông tin đơn vị).",
            "", f"profile.{code}", {"fact": code, "earliest": fact.as_of.isoformat(), "date": day.isoformat()}))
    return out


def _n(value: Decimal) -> str:
    return format_number(value)


def written_paths(report: Report) -> frozenset[str]:
    """The paths of the sections that have text: each text read once (the section checks ask for a
    section and for each of its parents)."""
    return frozenset(path for path, markup in report.texts.items() if not richtext.is_empty(markup))


def _cumulative(template: Template) -> tuple:
    """(indicator, its section's path) of the cumulative indicators."""
    return tuple((ind, section.path if section else "") for ind in template.indicators if ind.cumulative
                 for section in [template.section_of_indicator(ind.code)])


def _cumulative_checks(template: Template, report: Report, context: CheckContext) -> list[Finding]:
    out = []
    for ind, path in _per_template(template, "cumulative", _cumulative):
        fields = report.values.get(ind.code, {})
        actual = fields.get("actual") if ind.actual else None
        cumulative = fields.get("cumulative")
        previous = previous_value(report, ind.code, context)
        if actual is not None and cumulative is not None and actual > cumulative:
            shown = {"actual": _n(actual), "cumulative": _n(cumulative)}  # each number formatted once
            out.append(Finding(
                "cumulative.below_period", "cumulative", "error",
                f"{ind.label}: số trong kỳ ({shown['actual']} {ind.unit}) lớn hơn lũy kế ({shown['cumulative']} "
                f"{ind.unit}). Lũy kế phải bao gồm cả số trong kỳ.",
                path, f"{ind.code}.cumulative", shown,
            ))
            continue
        if cumulative is None:
            if actual is not None and previous is not None:
                shown = {"previous": _n(previous), "actual": _n(actual), "expected": _n(previous + actual)}
                out.append(Finding(
                    "cumulative.missing", "cumulative", "warning",
                    f"{ind.label}: chưa nhập lũy kế; theo {previous_source_text(context, ind.code)} thì lũy kế là "
                    f"{shown['previous']} + {shown['actual']} = {shown['expected']} {ind.unit}.",
                    path, f"{ind.code}.cumulative", shown,
                ))
            continue
        if previous is None:
            if actual is not None:
                gaps = context.previous_sources.get(ind.code)
                missing = f" ({gaps.gap_text()})" if gaps is not None and gaps.gaps else ""
                shown = _n(cumulative)
                out.append(Finding(
                    "cumulative.no_previous", "cumulative", "info",
                    f"{ind.label}: không có báo cáo kỳ trước trong cơ sở dữ liệu để đối chiếu lũy kế{missing} "
                    f"({shown} {ind.unit}). Nhập “Lũy kế kỳ trước” để chương trình kiểm tra.",
                    path, f"{ind.code}.previous", {"cumulative": shown,
                                                   **({"missing": list(gaps.gaps)} if missing else {})},
                ))
            continue
        if ind.actual:
            if actual is None:
                continue
            expected = previous + actual
            if cumulative != expected:
                diff = cumulative - expected
                shown = {"cumulative": _n(cumulative), "previous": _n(previous), "actual": _n(actual),
                         "expected": _n(expected), "difference": _n(diff)}
                out.append(Finding(
                    "cumulative.mismatch", "cumulative", "error",
                    f"Lũy kế {ind.label[0].lower() + ind.label[1:]} ({shown['cumulative']} {ind.unit}) khác "
                    f"{previous_source_text(context, ind.code)} cộng trong kỳ ({shown['previous']} + "
                    f"{shown['actual']} = {shown['expected']}): chênh {_n(abs(diff))}. "
                    f"Sửa lũy kế thành {shown['expected']} hoặc kiểm tra lại số trong kỳ.",
                    path, f"{ind.code}.cumulative", shown,
                ))
        elif cumulative < previous:
            shown = {"cumulative": _n(cumulative), "previous": _n(previous)}
            out.append(Finding(
                "cumulative.decreased", "cumulative", "warning",
                f"Lũy kế {ind.label[0].lower() + ind.label[1:]} ({shown['cumulative']} {ind.unit}) nhỏ hơn "
                f"{previous_source_text(context, ind.code)} "
                f"({shown['previous']}): lũy kế từ đầu năm không thể giảm. Kiểm tra lại số liệu.",
                path, f"{ind.code}.cumulative", shown,
            ))
    return out


RANGE_FIELDS = (("actual", "thực hiện"), ("plan", "kế hoạch"), ("cumulative", "lũy kế"))


def _ranged(template: Template) -> tuple:
    """(indicator, lowest, highest plausible value, the two as shown, its section's path) of the indicators
    with a plausible range (the template's, else the dictionary's)."""
    return tuple((ind, low, high, _n(low), _n(high), section.path if section else "")
                 for ind in template.indicators for rule in [indicator_rule(ind)] if rule.plausible is not None
                 for low, high in [rule.plausible] for section in [template.section_of_indicator(ind.code)])


def _range_checks(template: Template, report: Report) -> list[Finding]:
    out = []
    values = report.values
    for ind, low, high, low_text, high_text, path in _per_template(template, "ranged", _ranged):
        fields = values.get(ind.code)
        if not fields:
            continue
        for name, label in RANGE_FIELDS:
            value = fields.get(name)
            # domain.numbers.implausible with the rule's range unpacked once per template: this loop runs for
            # every figure of every received report
            if value is None or low <= value <= high:
                continue
            hint = MONEY_UNIT_HINT if ind.kind == "money" else ""
            shown = _n(value)
            out.append(Finding(
                "range.implausible", "magnitude_unit", "warning",
                f"{ind.label} ({label}) {shown} {ind.unit} nằm ngoài khoảng hợp lý cho một xã "
                f"({low_text}–{high_text} {ind.unit}): kiểm tra lại số hoặc đơn vị.{hint}",
                path, f"{ind.code}.{name}", {"value": shown, "min": low_text, "max": high_text},
            ))
    return out


REQUIRED_EMPTY = "required.empty"


def _required(template: Template) -> tuple:
    """(section, paths of the section and of those below it) of every required section."""
    return tuple((section, frozenset(s.path for s in section.walk())) for section in template.walk()
                 if section.required)


def _required_sections(template: Template, report: Report, written: frozenset[str]) -> list[Finding]:
    out = []
    for section, paths in _per_template(template, "required", _required):
        if not written.isdisjoint(paths) or any(report.values.get(code) for code in section.indicators):
            continue  # text in it or below it, or figures
        out.append(Finding(
            REQUIRED_EMPTY, "required", "warning",
            f"Mục “{section.heading}” chưa có nội dung. Hãy viết nội dung hoặc ghi “Không phát sinh”.",
            section.path, "", {},
        ))
    return out


FIGURES_ONLY = "text.figures_only"


def _figures_without_text(template: Template, report: Report, written: frozenset[str]) -> list[Finding]:
    """A section with this period's figures but no text: its figures print nowhere (the document prints
    only the text), so it is not done. One finding per section; it points at the text (field "")."""
    return [Finding(FIGURES_ONLY, "required", "warning",
                    f"Mục “{section.heading}” chỉ có số liệu, chưa có nội dung: số liệu không tự in ra văn bản. "
                    f"Hãy viết nội dung hoặc bấm “Chèn câu từ số liệu”.", section.path, "", {})
            for section in _per_template(template, "with_figures", _with_figures)
            if section.path not in written and has_reported_figures(section.indicators, report.values)]


def _with_figures(template: Template) -> tuple:
    """The sections that hold figures (only they can have figures without text)."""
    return tuple(section for section in template.walk() if section.indicators)


def _date_checks(template: Template, report: Report, context: CheckContext) -> list[Finding]:
    out = []
    if not _per_template(template, "own_report_date", lambda t: any(rule.kind == "report_date" for rule in t.rules)):
        out += report_date_findings(report, due=due_days(template, report.period))  # the template's own `report_date` rule replaces it
    basis = basis_date(report.basis)
    if report.report_date and basis and report.report_date < basis[0]:
        out.append(Finding(
            "date.before_basis", "date_logic", "error",
            f"Ngày báo cáo ({format_date(report.report_date)}) trước ngày {format_date(basis[0])} của văn bản "
            f"căn cứ “{basis[1]}”: báo cáo thực hiện văn bản nào thì phải ký sau văn bản đó. "
            f"Sửa ngày báo cáo hoặc văn bản căn cứ.",
            "", "header.date",
            {"date": format_date(report.report_date), "basis_date": format_date(basis[0])},
        ))
    if context.unit_founded_on and report.period.start < context.unit_founded_on:
        out.append(Finding(
            "date.before_unit_founded", "date_logic", "warning",
            f"Kỳ báo cáo bắt đầu ({format_date(report.period.start)}) trước ngày thành lập đơn vị "
            f"({format_date(context.unit_founded_on)}). Kiểm tra lại kỳ báo cáo hoặc ngày thành lập trong hồ sơ "
            f"đơn vị.",
            "", "header.period",
            {"period_start": format_date(report.period.start), "founded_on": format_date(context.unit_founded_on)},
        ))
    return out


@lru_cache(maxsize=256)
def basis_date(basis: str) -> tuple[dt.date, str] | None:
    """The date of the basis document ("Kế hoạch số 85-KH/TU, ngày 22/5/2026 của …") and the text up to it,
    read by the proofreader's reader (the first full date in the text). Cached: reading it costs more than
    all the other checks of a report, and a unit's reports repeat their basis."""
    if not basis:
        return None
    from .proofread.reader import scan
    found = next((d for d in scan(basis).dates if d.date and d.kind in ("full", "long")), None)
    if found is None:
        return None
    return found.date, basis[:found.end].strip()
