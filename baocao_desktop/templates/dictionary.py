"""The indicator dictionary (resources/indicators.yaml): stable codes shared by every template.

A code means one quantity everywhere (the same "tổng số đảng viên" in the weekly report, the review and
the upper level's aggregation), so a template that uses a dictionary code must keep its unit and kind.
Templates stay self-contained (their YAML carries label, unit, kind): the dictionary is checked when a
template is installed, never when an installed one is read, so old reports never change meaning.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import yaml

from ..domain.numbers import FigureRule
from ..resources import resource_path
from .model import CODE_RE, INDICATOR_KINDS, Indicator, TableLine, Template, TemplateError

AGGREGATES = ("sum", "mean", "none")


@dataclass(frozen=True)
class DictionaryEntry:
    code: str
    label: str
    unit: str
    kind: str
    aggregate: str = "sum"  # how the upper level combines units' figures
    synonyms: tuple[str, ...] = ()  # other names offices write it under (reading figures from text)
    minimum: Decimal | None = None  # impossible below (refused); None: the kind's own (KIND_MINIMUM)
    maximum: Decimal | None = None  # impossible above (refused)
    plausible: tuple[Decimal, Decimal] | None = None  # outside: a warning for a commune


@lru_cache(maxsize=1)
def load_dictionary() -> dict[str, DictionaryEntry]:
    path = resource_path("indicators.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries: dict[str, DictionaryEntry] = {}
    for item in data.get("indicators") or []:
        try:
            bounds = _bounds(item)
        except (ArithmeticError, TypeError, ValueError):
            raise TemplateError(f"Từ điển chỉ tiêu: giới hạn của “{item.get('code')}” không hợp lệ.") from None
        entry = DictionaryEntry(item["code"], item["label"], str(item.get("unit", "")), item["kind"],
                                item.get("aggregate", "sum"), tuple(str(x) for x in item.get("synonyms") or ()),
                                *bounds)
        if not CODE_RE.match(entry.code) or entry.kind not in INDICATOR_KINDS or entry.aggregate not in AGGREGATES:
            raise TemplateError(f"Từ điển chỉ tiêu: mục “{entry.code}” không hợp lệ.")
        if entry.code in entries:
            raise TemplateError(f"Từ điển chỉ tiêu: mã “{entry.code}” bị trùng.")
        entries[entry.code] = entry
    return entries


def _bounds(item: dict) -> tuple:
    """min, max and plausible [low, high] of a dictionary entry (each may be absent)."""
    minimum = Decimal(str(item["min"])) if item.get("min") is not None else None
    maximum = Decimal(str(item["max"])) if item.get("max") is not None else None
    plausible = item.get("plausible")
    if plausible is not None:
        low, high = (Decimal(str(v)) for v in plausible)
        plausible = (low, high)
    return minimum, maximum, plausible


# Every kind of figure but a plain "number" is a quantity that cannot be negative.
KIND_MINIMUM = {kind: Decimal(0) for kind in INDICATOR_KINDS if kind != "number"}
# Units that say what a table column measures; any other unit names things that are counted (người, hồ sơ…).
UNIT_KINDS = {"%": "percent", "ha": "area", "km²": "area", "km2": "area", "m²": "area", "m2": "area",
              "đồng": "money", "nghìn đồng": "money", "triệu đồng": "money", "tỷ đồng": "money",
              "tấn": "weight", "tạ": "weight", "kg": "weight", "km": "length", "m": "length"}


def kind_of_unit(unit: str) -> str:
    """The kind of a figure given only its unit: a measure for a known measuring unit, a count for any
    other unit (a thing counted), a plain number without one."""
    unit = " ".join((unit or "").split())
    if not unit:
        return "number"
    return UNIT_KINDS.get(unit.casefold(), "count")


def figure_rule(code: str, kind: str, unit: str = "", plausible: tuple | None = None) -> FigureRule:
    """The rule a figure is typed under: its kind, the impossible bounds (the dictionary's for a dictionary
    code, else the kind's) and the plausible range (given, else the dictionary's)."""
    entry = load_dictionary().get(code)
    minimum = entry.minimum if entry is not None and entry.minimum is not None else KIND_MINIMUM.get(kind)
    maximum = entry.maximum if entry is not None else None
    if kind == "percent" and maximum is None and entry is not None:
        maximum = Decimal(100)  # a dictionary rate is a share of a whole
    if plausible is not None:
        plausible = tuple(Decimal(str(v)) for v in plausible)
    elif entry is not None:
        plausible = entry.plausible
    return FigureRule(kind, minimum, maximum, plausible, unit)


def indicator_rule(indicator: Indicator) -> FigureRule:
    plausible = tuple(indicator.range) if indicator.range is not None else None
    return _indicator_rule(indicator.code, indicator.kind, indicator.unit, plausible)


@lru_cache(maxsize=4096)
def _indicator_rule(code: str, kind: str, unit: str, plausible: tuple | None) -> FigureRule:
    """figure_rule once per distinct indicator (the dictionary is loaded once too; FigureRule is frozen): the
    checks of 5,000 received reports ask for the same few dozen rules again and again."""
    return figure_rule(code, kind, unit, plausible)


def column_rule(column: TableLine) -> FigureRule:
    """A table column's rule: its declared kind (`kind:` in the template), else the kind of its unit."""
    return figure_rule(column.code, column.kind or kind_of_unit(column.unit), column.unit)


def fact_rule(code: str, unit: str) -> FigureRule:
    """A unit profile fact's rule (dân số, số đảng viên…): the dictionary's for its code, else its unit's."""
    entry = load_dictionary().get(code)
    return figure_rule(code, entry.kind if entry is not None else kind_of_unit(unit), unit)


def dictionary_problems(template: Template) -> list[str]:
    """Vietnamese descriptions of every indicator that contradicts the dictionary."""
    entries = load_dictionary()
    problems = []
    for ind in template.indicators:
        entry = entries.get(ind.code)
        if entry is None:
            continue
        if ind.unit != entry.unit:
            problems.append(f"chỉ tiêu “{ind.code}” có đơn vị “{ind.unit}” nhưng từ điển chỉ tiêu ghi “{entry.unit}”")
        if ind.kind != entry.kind:
            problems.append(f"chỉ tiêu “{ind.code}” có loại “{ind.kind}” nhưng từ điển chỉ tiêu ghi “{entry.kind}”")
    return problems


def check_against_dictionary(template: Template) -> None:
    problems = dictionary_problems(template)
    if problems:
        raise TemplateError(f"Mẫu “{template.name}” (v{template.version}) dùng sai mã chỉ tiêu chung: "
                            + "; ".join(problems) + ". Hãy dùng mã khác hoặc sửa cho khớp từ điển.")
