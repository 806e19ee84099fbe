"""An aggregation: one template, one period, many units (what the upper level compiles)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.dates import Period
from ..domain.model import STATUS_LABELS
from ..domain.numbers import format_number
from .combine import IndicatorTotal, short_unit_name
from .from_months import MonthsUsed


@dataclass(frozen=True)
class UnitEntry:
    id: str
    name: str
    report_id: str | None = None
    status: str | None = None
    period: Period | None = None  # the unit's own report period (custom periods may differ)
    versions: int = 0
    conflict: bool = False
    errors: int | None = None
    months: MonthsUsed | None = None  # no report of the kind: figures put together from these monthly reports

    @property
    def short_name(self) -> str:
        return short_unit_name(self.name)

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "short_name": self.short_name, "report_id": self.report_id,
                "status": self.status, "status_label": STATUS_LABELS.get(self.status) if self.status else None,
                "period": ({"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
                           if self.period else None),
                "versions": self.versions, "conflict": self.conflict, "errors": self.errors,
                "from_months": ({"months": list(self.months.used), "lacking": list(self.months.lacking),
                                 "report_ids": list(self.months.report_ids), "note": self.months.phrase()}
                                if self.months else None)}


@dataclass
class Narrative:
    path: str
    title: str  # "1.1. Sản xuất nông nghiệp"
    texts: list[tuple[str, str]] = field(default_factory=list)  # (unit id, markup)


@dataclass
class Aggregation:
    template: object  # templates.model.Template (the newest version: labels and order)
    period: Period
    units: list[UnitEntry]  # included: a report was received for the period
    missing: list[UnitEntry]  # expected but not received
    indicators: list[IndicatorTotal]
    narratives: list[Narrative]
    tables: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)  # summed table cells

    def month_notes(self) -> list[str]:
        """"Xã Bản Phố: tổng hợp từ báo cáo tháng 4, 5, 6/2026", one per unit whose figures came from months."""
        return [f"{u.short_name}: {u.months.phrase()}" for u in self.units if u.months]

    def unit(self, unit_id: str) -> UnitEntry | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def indicator(self, code: str) -> IndicatorTotal | None:
        return next((i for i in self.indicators if i.code == code), None)

    def to_json(self) -> dict:
        t = self.template
        return {
            "template": {"code": t.code, "version": t.version, "name": t.name},
            "period": {"kind": self.period.kind, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat(), "label": self.period.label()},
            "units": [u.to_json() for u in self.units],
            "missing_units": [u.to_json() for u in self.missing],
            "indicators": [i.to_json() for i in self.indicators],
            "narratives": {n.path: {"title": n.title, "units": [{"unit_id": u, "text": text} for u, text in n.texts]}
                           for n in self.narratives},
            "tables": {code: {r: {c: format_number(v) for c, v in cols.items()} for r, cols in rows.items()}
                       for code, rows in self.tables.items()},
        }

    def text(self) -> str:
        """A plain-text digest for the command line."""
        from ..domain.numbers import format_number as fmt
        names = {u.id: u.short_name for u in self.units}
        lines = [f"{self.template.name} — {self.period.label()}: {len(self.units)} đơn vị đã gửi"
                 + (f", chưa gửi: {', '.join(u.short_name for u in self.missing)}" if self.missing else "")]
        lines += self.month_notes()
        for ind in self.indicators:
            main = ind.fields.get(ind.main_field)
            if not main or not main.count:
                continue
            total = f"{fmt(ind.total)} {ind.unit}".strip() if ind.total is not None else "không cộng"
            if ind.rule == "mean" and ind.total is not None:
                total = f"bình quân {total}"
            line = f"{ind.label}: {total}"
            if ind.percent is not None:
                line += f", bằng {fmt(ind.percent)}% kế hoạch"
            line += f" ({main.count}/{len(self.units)} đơn vị)"
            lines.append(line)
            lines.append("    " + "; ".join(f"{names.get(u, u)} {fmt(v)}" for u, v in main.values.items()))
            for outlier in ind.outliers:
                lines.append(f"    ! {outlier.message}")
        return "\n".join(lines)
