"""The indicator dictionary (resources/indicators.yaml): stable codes shared by every template.

A code means one quantity everywhere (the same "tổng số đảng viên" in the weekly report, the review and
the upper level's aggregation), so a template that uses a dictionary code must keep its unit and kind.
Templates stay self-contained (their YAML carries label, unit, kind): the dictionary is checked when a
template is installed, never when an installed one is read, so old reports never change meaning.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from ..resources import resource_path
from .model import CODE_RE, INDICATOR_KINDS, Template, TemplateError

AGGREGATES = ("sum", "mean", "none")


@dataclass(frozen=True)
class DictionaryEntry:
    code: str
    label: str
    unit: str
    kind: str
    aggregate: str = "sum"  # how the upper level combines units' figures
    synonyms: tuple[str, ...] = ()  # other names offices write it under (reading figures from text)


@lru_cache(maxsize=1)
def load_dictionary() -> dict[str, DictionaryEntry]:
    path = resource_path("indicators.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries: dict[str, DictionaryEntry] = {}
    for item in data.get("indicators") or []:
        entry = DictionaryEntry(item["code"], item["label"], str(item.get("unit", "")), item["kind"],
                                item.get("aggregate", "sum"), tuple(str(x) for x in item.get("synonyms") or ()))
        if not CODE_RE.match(entry.code) or entry.kind not in INDICATOR_KINDS or entry.aggregate not in AGGREGATES:
            raise TemplateError(f"Từ điển chỉ tiêu: mục “{entry.code}” không hợp lệ.")
        if entry.code in entries:
            raise TemplateError(f"Từ điển chỉ tiêu: mã “{entry.code}” bị trùng.")
        entries[entry.code] = entry
    return entries


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
