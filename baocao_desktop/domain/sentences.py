"""Sentences generated from indicator fields, so a percentage is computed, never typed; and the one rule
by which such sentences enter a section's text (the editor and `report fill` both follow it), because a
sentence prints only when it is in the text the clerk saw and could edit."""
from __future__ import annotations

import re
import string
from decimal import Decimal

from . import richtext
from .model import FIELD_LABELS
from .numbers import format_number, percent
from .errors import UserError

# the fields that say what happened in this period; a plan carried from last period is not one of them
REPORTED_FIELDS = ("actual", "cumulative")


class MissingValues(UserError, ValueError):
    """The sentence needs figures that are not filled in; the message names them."""


def mid_sentence(text: str) -> str:
    """A label as it reads inside a sentence: the first letter lower-cased unless the first word is an
    acronym (HĐND, UBND, MTTQ)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def format_figure(value: Decimal, kind: str) -> str:
    """Counts under 10 are written with a leading zero, as offices do ("03 hội nghị")."""
    text = format_number(value)
    if kind == "count" and value == value.to_integral_value() and 0 < value < 10:
        text = "0" + text
    return text


def indicator_percent(indicator, values: dict) -> Decimal | None:
    if not indicator.plan:
        return None
    return percent(values.get(indicator.percent_base), values.get("plan"), indicator.percent_decimals)


def generate_sentence(indicator, values: dict, previous: Decimal | None = None) -> str:
    """Fill the indicator's sentence pattern; raises MissingValues naming what is empty."""
    pattern = indicator.sentence or default_pattern(indicator)
    names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name]
    figures: dict[str, str] = {"label": indicator.label, "unit": indicator.unit}
    missing = []
    for name in names:
        if name in ("label", "unit"):
            continue
        if name == "percent":
            value = indicator_percent(indicator, values)
            if value is None:
                if values.get("plan") == 0:
                    raise MissingValues(f"Kế hoạch của “{indicator.label}” bằng 0: không tính được tỷ lệ %.")
                missing.append(f"{FIELD_LABELS[indicator.percent_base]} và {FIELD_LABELS['plan']}")
                continue
            figures[name] = format_number(value)
        elif name == "previous":
            if previous is None:
                missing.append(FIELD_LABELS["previous"])
                continue
            figures[name] = format_figure(previous, indicator.kind)
        else:
            value = values.get(name)
            if value is None:
                missing.append(FIELD_LABELS[name])
                continue
            figures[name] = format_figure(value, indicator.kind)
    if missing:
        unique = list(dict.fromkeys(missing))
        raise MissingValues(f"Chưa đủ số liệu để viết câu cho “{indicator.label}”: thiếu {', '.join(unique)}.")
    sentence = pattern.format(**figures)
    return re.sub(r"\s+([,.;:%])", r"\1", re.sub(r"\s{2,}", " ", sentence)).strip()


def default_pattern(indicator) -> str:
    """The sentence of an indicator whose template gives none (also how an imported sentence is read back)."""
    if indicator.cumulative and indicator.plan:
        return "{label}: trong kỳ {actual} {unit}; lũy kế {cumulative}/{plan} {unit}, đạt {percent}% kế hoạch"
    if indicator.cumulative and not indicator.actual:
        return "{label}: lũy kế {cumulative} {unit}"
    if indicator.cumulative:
        return "{label}: trong kỳ {actual} {unit}; lũy kế {cumulative} {unit}"
    if indicator.plan:
        return "{label} đạt {actual}/{plan} {unit}, bằng {percent}% kế hoạch"
    return "{label}: {actual} {unit}"


def has_reported_figures(codes, values: dict) -> bool:
    """Whether any of the indicators `codes` has a figure of this period (thực hiện or lũy kế)."""
    return any(values.get(code, {}).get(name) is not None for code in codes for name in REPORTED_FIELDS)


def section_text(indicators, values_of, previous_of) -> str:
    """A section's generated sentences as one paragraph of markup, "" when no indicator has the figures its
    sentence needs. `values_of(code)` / `previous_of(code)`: the figures as they are now."""
    sentences = []
    for ind in indicators:
        values = values_of(ind.code)
        if not values:
            continue
        try:
            sentences.append(generate_sentence(ind, values, previous_of(ind.code)))
        except MissingValues:
            continue
    if not sentences:
        return ""
    text = join_sentences(sentences) + "."
    return richtext.escape(text[0].upper() + text[1:])


def join_sentences(sentences: list[str]) -> str:
    """Sentences as one, separated by semicolons (each keeps its capitals: "Đảng bộ", "Dân số" may be names)."""
    return "; ".join(sentences)


def follow_figures(text: str | None, before: str, after: str) -> str | None:
    """A section's text after its figures changed from those whose sentences are `before` to those of
    `after`: the new sentences while the text is empty or still exactly the old sentences (the clerk has not
    made it theirs); None: the text stays as it is (the clerk's own text is never overwritten)."""
    if richtext.is_empty(text):
        return after or None
    if _same_text(text, before) and not _same_text(after, before):
        return after
    return None


def _same_text(a: str | None, b: str | None) -> bool:
    return richtext.normalize(a or "").strip() == richtext.normalize(b or "").strip()
