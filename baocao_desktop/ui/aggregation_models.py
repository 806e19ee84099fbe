"""What the Tổng hợp số liệu window shows, as Qt models and texts: the indicator table (one row per
indicator, combined across the units by its rule), the units' own figures of the selected indicator
(outliers flagged, the reason in the tooltip), and one section's narratives side by side. Models, not
item widgets, keep 100 units light. The combining itself is services/aggregation.py and aggregate/.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..aggregate.combine import RULE_LABELS
from ..aggregate.model import Aggregation
from ..domain import richtext
from ..domain.model import FIELD_LABELS
from ..domain.numbers import format_number
from .inbox_grid import fold

OUTLIER_COLORS = ("#ffe0a8", "#7a4100")
TOTAL_BACKGROUND = "#eef3fb"
EMPTY = "–"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def number_text(value, decimals: int | None = None) -> str:
    return format_number(value, decimals) if value is not None else EMPTY


def indicator_label(ind) -> str:
    return f"{ind.label} (lũy kế)" if ind.main_field == "cumulative" else ind.label


def received_periods(box, code: str, kind: str | None = None, month_codes=()) -> list[tuple]:
    """[(period, units that sent it, units that sent only months inside it)] newest first, from the inbox: the
    periods worth aggregating. `month_codes`: the monthly kinds a longer period of `kind` (quarter, 6 months…)
    can be put together from, for a commune that sent only its months (services/aggregation.py)."""
    from ..domain.dates import calendar_period
    sent: dict = {}
    months: dict = {}
    for cell in box.cells:
        if not cell.received:
            continue
        if cell.template_code == code:
            sent.setdefault(cell.period, set()).add(cell.unit_id)
        elif cell.template_code in month_codes and kind:
            period = calendar_period(kind, cell.period.start)
            if cell.period.end <= period.end:
                months.setdefault(period, set()).add(cell.unit_id)
    periods = set(sent) | set(months)
    return sorted(((p, len(sent.get(p, ())), len(months.get(p, set()) - sent.get(p, set()))) for p in periods),
                  key=lambda item: item[0].start, reverse=True)


def sorted_units(units) -> list:
    """Units in Vietnamese alphabetical order of their short names ("Bản Lầu" before "Bát Xát")."""
    return sorted(units, key=lambda u: (fold(u.short_name), u.short_name))


def summary_line(agg: Aggregation) -> str:
    total = len(agg.units) + len(agg.missing)
    text = f"{agg.template.name} — {agg.period.label()}: {len(agg.units)}/{total} đơn vị đã gửi."
    if agg.missing:
        names = ", ".join(u.short_name for u in sorted_units(agg.missing)[:12])
        more = f" và {len(agg.missing) - 12} đơn vị khác" if len(agg.missing) > 12 else ""
        text += f" Chưa gửi: {names}{more}."
    notes = agg.month_notes()
    if notes:
        text += " " + "; ".join(notes[:6]) + (f"; và {len(notes) - 6} đơn vị khác" if len(notes) > 6 else "") + "."
    return text


# == indicators ====================================================================================
class IndicatorModel(QAbstractTableModel):
    HEADERS = ("Chỉ tiêu", "ĐVT", "Cách cộng", "Tổng hợp", "Kế hoạch", "% KH", "Số đơn vị", "Cần xem")
    TIPS = (None, "Đơn vị tính", "Cộng: tổng các đơn vị; Bình quân: trung bình các đơn vị có số; "
            "Không cộng: tỷ lệ, không cộng được", "Với chỉ tiêu có lũy kế: tổng lũy kế",
            "Kế hoạch của các đơn vị có cả số thực hiện và kế hoạch",
            "Tính lại từ tổng thực hiện / tổng kế hoạch, không lấy bình quân các tỷ lệ",
            "Số đơn vị có số liệu / số đơn vị đã gửi báo cáo", "Số liệu khác xa các đơn vị khác hoặc kỳ trước")
    NUMERIC = (3, 4, 5, 6, 7)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.agg: Aggregation | None = None
        self.rows: list = []

    def set_content(self, agg: Aggregation | None, only_with_data: bool) -> None:
        self.beginResetModel()
        self.agg = agg
        indicators = agg.indicators if agg is not None else []
        self.rows = [i for i in indicators if not only_with_data or self.count(i)]
        self.endResetModel()

    @staticmethod
    def count(ind) -> int:
        main = ind.fields.get(ind.main_field)
        return main.count if main else 0

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.HEADERS)

    def texts(self, ind) -> tuple:
        plan = ind.percent_plan_total if ind.percent is not None else (
            ind.fields["plan"].total if "plan" in ind.fields else None)
        total = number_text(ind.total)
        count = self.count(ind)
        units = len(self.agg.units) if self.agg is not None else 0
        return (indicator_label(ind), ind.unit, RULE_LABELS[ind.rule], total if count else EMPTY,
                number_text(plan) if "plan" in ind.fields else "", number_text(ind.percent, ind.decimals)
                if ind.percent is not None else "", f"{count}/{units}",
                f"⚠ {len(ind.outliers)}" if ind.outliers else "")

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        ind = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts(ind)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in self.NUMERIC else LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 7 and ind.outliers:
                return "\n".join(o.message for o in ind.outliers)
            if column == 0:
                return ind.label
            if column == 3 and ind.rule == "none":
                return "Tỷ lệ: không cộng hay lấy bình quân giữa các đơn vị; xem số từng đơn vị bên phải."
            return None
        if role == Qt.ItemDataRole.FontRole and column == 3:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and column == 7 and ind.outliers:
            return QBrush(QColor(OUTLIER_COLORS[0]))
        if role == Qt.ItemDataRole.ForegroundRole:
            if not self.count(ind):
                return QBrush(QColor("#8a8a8a"))
            if column == 7 and ind.outliers:
                return QBrush(QColor(OUTLIER_COLORS[1]))
        if role == Qt.ItemDataRole.UserRole:
            return ind
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt API)
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.TIPS[section]
        return None


class UnitValuesModel(QAbstractTableModel):
    """One indicator, one row per unit that sent a report, then the combined row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.agg: Aggregation | None = None
        self.ind = None
        self.units: list = []  # agg.units in display order
        self.fields: list[str] = []
        self.notes: dict[tuple, list[str]] = {}

    def set_indicator(self, agg: Aggregation | None, ind) -> None:
        self.beginResetModel()
        self.agg, self.ind = agg, ind
        self.units = sorted_units(agg.units) if agg is not None else []
        self.fields = [f for f in ("actual", "plan", "cumulative") if ind is not None and f in ind.fields]
        self.notes = {}
        for outlier in (ind.outliers if ind is not None else []):
            self.notes.setdefault((outlier.unit_id, outlier.field), []).append(outlier.message)
        self.endResetModel()

    @property
    def has_percent(self) -> bool:
        return self.ind is not None and "plan" in self.ind.fields

    def headers(self) -> list[str]:
        return ["Đơn vị"] + [FIELD_LABELS[f] for f in self.fields] + (["% KH"] if self.has_percent else [])

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        if parent.isValid() or self.agg is None or self.ind is None:
            return 0
        return len(self.units) + 1

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() or self.ind is None else len(self.headers())

    def is_total(self, row: int) -> bool:
        return self.agg is not None and row == len(self.units)

    def field_of(self, column: int) -> str | None:
        if 1 <= column <= len(self.fields):
            return self.fields[column - 1]
        return "percent" if column == len(self.fields) + 1 and self.has_percent else None

    def text(self, row: int, column: int) -> str:
        ind, agg = self.ind, self.agg
        field = self.field_of(column)
        if self.is_total(row):
            if column == 0:
                return "Tổng hợp" + (" (bình quân)" if ind.rule == "mean" else "")
            if field == "percent":
                return number_text(ind.percent, ind.decimals)
            return number_text(ind.fields[field].total)
        unit = self.units[row]
        if column == 0:
            return unit.short_name + (" (từ báo cáo tháng)" if unit.months else "")
        if field == "percent":
            return number_text(ind.percent_values.get(unit.id), ind.decimals)
        return number_text(ind.fields[field].values.get(unit.id))

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.ind is None:
            return None
        row, column = index.row(), index.column()
        total = self.is_total(row)
        flagged = [] if total or column == 0 else self.notes.get((self.units[row].id, self.field_of(column)), [])
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(row, column)
            return f"⚠ {text}" if flagged else text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if column == 0 else RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            if flagged:
                return "\n".join(flagged)
            if column == 0 and not total:
                unit = self.units[row]
                return f"{unit.name}: {unit.months.phrase()}" if unit.months else unit.name
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if flagged:
                return QBrush(QColor(OUTLIER_COLORS[0]))
            if total:
                return QBrush(QColor(TOTAL_BACKGROUND))
        if role == Qt.ItemDataRole.ForegroundRole and flagged:
            return QBrush(QColor(OUTLIER_COLORS[1]))
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt API)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            return headers[section] if section < len(headers) else None
        return None


# == narratives ====================================================================================
def narrative_html(agg: Aggregation, narrative) -> str:
    """The units' texts of one section, one row per unit (like the summary report puts them)."""
    names = {u.id: u.short_name for u in agg.units}
    order = {u.id: i for i, u in enumerate(sorted_units(agg.units))}
    esc = html.escape
    rows = []
    for unit_id, markup in sorted(narrative.texts, key=lambda t: order.get(t[0], len(order))):
        paragraphs = "".join(f"<p style='margin: 0 0 4px 0;'>{esc(line)}</p>"
                             for line in richtext.plain_text(markup).splitlines() if line.strip())
        rows.append(f"<tr><td width='22%' valign='top'><b>{esc(names.get(unit_id, unit_id))}</b></td>"
                    f"<td valign='top'>{paragraphs}</td></tr>")
    silent = [u.short_name for u in sorted_units(agg.units) if u.id not in {t[0] for t in narrative.texts}]
    note = (f"<p><i>Không viết mục này: {esc(', '.join(silent))}.</i></p>" if silent else "")
    return (f"<h3>{esc(narrative.title)}</h3>"
            "<table border='1' cellspacing='0' cellpadding='6' width='100%' style='border-color: #c8c8c8;'>"
            "<tr><th align='left'>Đơn vị</th><th align='left'>Nội dung</th></tr>" + "".join(rows) + "</table>" + note)
