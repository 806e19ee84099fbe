"""Combining one indicator across units (issue 7 point 6). Pure: plain values in, plain values out.

The rule comes from the indicator dictionary (resources/indicators.yaml, `aggregate:`):
  sum   — the units' figures added (counts, areas, money, …);
  mean  — the average of the units that reported it;
  none  — not combined (rates such as "tỷ lệ … %": adding or averaging them is meaningless without
          their numerators and denominators, which the templates do not carry).
An indicator missing from the dictionary: `none` for percentages, `sum` otherwise.
Where an indicator has a plan, the combined percentage of plan is *recomputed* from the sums
(100·Σ actual-or-cumulative / Σ plan over the units that have both), never averaged.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.numbers import format_number, percent
from ..templates.dictionary import load_dictionary

RULES = ("sum", "mean", "none")
RULE_LABELS = {"sum": "Cộng", "mean": "Bình quân", "none": "Không cộng"}
# a value this many times above (or below) the peers' median, or its own last period, is flagged
OUTLIER_FACTOR = Decimal(5)
MIN_PEERS = 3


def rule_for(indicator) -> str:
    entry = load_dictionary().get(indicator.code)
    if entry is not None:
        return entry.aggregate
    return "none" if indicator.kind == "percent" else "sum"


def combine(rule: str, values: list[Decimal]) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values or rule == "none":
        return None
    total = sum(values, Decimal(0))
    if rule == "sum":
        return total
    if rule == "mean":
        return (total / len(values)).quantize(Decimal("0.01")).normalize()
    raise ValueError(rule)


@dataclass
class Outlier:
    unit_id: str
    field: str
    value: Decimal
    reference: Decimal
    against: str  # peers | previous
    message: str

    def to_json(self) -> dict:
        return {"unit_id": self.unit_id, "field": self.field, "value": format_number(self.value),
                "reference": format_number(self.reference), "against": self.against, "message": self.message}


def _ratio_off(value: Decimal, reference: Decimal) -> bool:
    if value <= 0 or reference <= 0:
        return False
    return value > reference * OUTLIER_FACTOR or value * OUTLIER_FACTOR < reference


def find_outliers(label: str, field: str, values: dict[str, Decimal], previous: dict[str, Decimal],
                  names: dict[str, str]) -> list[Outlier]:
    """Flags (information, never errors): a unit's figure ≥5× or ≤1/5 of the other units' median
    (when at least MIN_PEERS others reported it), or of its own previous period."""
    found = []
    for unit_id, value in values.items():
        peers = [v for u, v in values.items() if u != unit_id and v is not None]
        if value is not None and len(peers) >= MIN_PEERS:
            median = Decimal(statistics.median(peers))
            if _ratio_off(value, median):
                found.append(Outlier(unit_id, field, value, median, "peers",
                                     f"{names.get(unit_id, unit_id)}: {label} {format_number(value)} khác xa mức "
                                     f"giữa của các đơn vị khác ({format_number(median)}); kiểm tra đơn vị tính."))
        before = previous.get(unit_id)
        if value is not None and before is not None and _ratio_off(value, before):
            found.append(Outlier(unit_id, field, value, before, "previous",
                                 f"{names.get(unit_id, unit_id)}: {label} {format_number(value)} khác xa kỳ trước "
                                 f"({format_number(before)})."))
    return found


@dataclass
class FieldTotal:
    field: str  # actual | plan | cumulative | previous
    total: Decimal | None
    count: int  # units that reported this field
    values: dict[str, Decimal] = field(default_factory=dict)  # unit id → value

    def to_json(self) -> dict:
        return {"total": format_number(self.total) if self.total is not None else None, "count": self.count,
                "values": {u: format_number(v) for u, v in self.values.items()}}


@dataclass
class IndicatorTotal:
    code: str
    label: str
    unit: str
    kind: str
    rule: str
    section: str  # section path
    main_field: str  # cumulative when the indicator has one, else actual
    fields: dict[str, FieldTotal]
    percent: Decimal | None = None  # recomputed percent of plan
    # the sums it was recomputed from (units that have both figures only)
    percent_base_total: Decimal | None = None
    percent_plan_total: Decimal | None = None
    percent_values: dict[str, Decimal] = field(default_factory=dict)
    missing_units: list[str] = field(default_factory=list)  # included units without the main figure
    outliers: list[Outlier] = field(default_factory=list)
    decimals: int = 1

    @property
    def total(self) -> Decimal | None:
        main = self.fields.get(self.main_field)
        return main.total if main else None

    def to_json(self) -> dict:
        return {"code": self.code, "label": self.label, "unit": self.unit, "kind": self.kind, "rule": self.rule,
                "rule_label": RULE_LABELS[self.rule], "section": self.section, "main_field": self.main_field,
                "fields": {k: v.to_json() for k, v in self.fields.items()},
                "percent": {"total": format_number(self.percent) if self.percent is not None else None,
                            "from": ([format_number(self.percent_base_total), format_number(self.percent_plan_total)]
                                     if self.percent is not None else None),
                            "values": {u: format_number(v) for u, v in self.percent_values.items()}},
                "missing_units": self.missing_units, "outliers": [o.to_json() for o in self.outliers]}


def combine_indicator(indicator, section_path: str, unit_values: dict[str, dict[str, Decimal]],
                      previous: dict[str, dict[str, Decimal]], names: dict[str, str]) -> IndicatorTotal:
    """`unit_values`: unit id → field → value, for the units included."""
    rule = rule_for(indicator)
    main = "cumulative" if indicator.cumulative else "actual"
    wanted = [f for f in ("actual", "plan", "cumulative") if getattr(indicator, f)]
    fields = {}
    for name in wanted:
        values = {u: v[name] for u, v in unit_values.items() if v.get(name) is not None}
        fields[name] = FieldTotal(name, combine(rule, list(values.values())), len(values), values)
    result = IndicatorTotal(indicator.code, indicator.label, indicator.unit, indicator.kind, rule, section_path,
                            main, fields, decimals=indicator.percent_decimals)
    if indicator.plan:
        base = indicator.percent_base
        both = [u for u, v in unit_values.items() if v.get(base) is not None and v.get("plan") is not None]
        for u in both:
            value = percent(unit_values[u][base], unit_values[u]["plan"], indicator.percent_decimals)
            if value is not None:
                result.percent_values[u] = value
        if rule == "sum" and both:
            result.percent_base_total = sum((unit_values[u][base] for u in both), Decimal(0))
            result.percent_plan_total = sum((unit_values[u]["plan"] for u in both), Decimal(0))
            result.percent = percent(result.percent_base_total, result.percent_plan_total, indicator.percent_decimals)
    result.missing_units = [u for u in unit_values if unit_values[u].get(main) is None]
    if main in fields:
        prev = {u: p[main] for u, p in previous.items() if p.get(main) is not None}
        result.outliers = find_outliers(indicator.label, main, fields[main].values, prev, names)
    return result


_PREFIXES = ("Ban Thường vụ Đảng ủy ", "Văn phòng Đảng ủy ", "Đảng ủy ", "Đảng bộ ", "Ủy ban nhân dân ", "UBND ",
             "Hội đồng nhân dân ")


def short_unit_name(name: str) -> str:
    """"Đảng ủy xã Lùng Phình" → "Xã Lùng Phình" (how a summary names the communes side by side)."""
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            rest = name[len(prefix):]
            return rest[0].upper() + rest[1:]
    return name

