"""What Tình hình nộp báo cáo shows, as texts and a Qt model: each cell's label, colour and tooltip
(Đúng hạn / Muộn n ngày / Chưa nộp / Có lỗi / Có giải trình), the counts of a period, the list of who
has not sent (HTML for printing, rows for CSV), and the units × periods grid model, which keeps
100 units × 52 weeks light. The texts are pure (tested without a window); services/inbox.py decides.
"""
from __future__ import annotations

import datetime as dt
import html
import unicodedata

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..aggregate.combine import short_unit_name
from ..document.charts import short_period_label
from ..domain.dates import format_date, format_day_month
from ..domain.model import STATUS_LABELS
from ..services.inbox import Inbox, InboxCell

# (background, text) per kind of cell; "errors" and "kept" override the state's colour
CELL_COLORS = {
    "on_time": ("#d7efd9", "#1b5e20"),
    "late": ("#ffe0a8", "#7a4100"),
    "missing": ("#f6c9c4", "#8a1c1c"),
    "errors": ("#e6d2f3", "#5b1687"),
    "kept": ("#d3e4fa", "#0d3f8f"),
    "pending": ("#eceff1", "#4f5b62"),
}
DIMMED = ("#ffffff", "#a0a0a0")
LEGEND = (("on_time", "Đúng hạn"), ("late", "Muộn n ngày"), ("missing", "Chưa nộp"), ("errors", "Có lỗi"),
          ("kept", "Có giải trình"), ("pending", "Chưa đến hạn"))
# == texts (pure: tested without a window) ==========================================================
def fold(text: str) -> str:
    """Lower case without diacritics ("Bản Phố" → "ban pho"), so a search typed without accents matches."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def state_text(cell: InboxCell) -> str:
    if cell.state == "missing":
        return "Chưa nộp"
    if cell.state == "pending":
        return "Chưa đến hạn"
    if cell.state == "late":
        return f"Muộn {cell.days_late} ngày" if cell.days_late else "Muộn"
    return "Đúng hạn"


def cell_label(cell: InboxCell) -> str:
    parts = [state_text(cell)]
    if cell.has_errors:
        parts.append("Có lỗi")
    if cell.kept_warnings:
        parts.append("Có giải trình")
    if cell.conflict:
        parts.append("Xung đột")
    return " · ".join(parts)


def cell_kind(cell: InboxCell) -> str:
    """Which colour: errors first (the figures cannot be used), then lateness, then kept warnings."""
    if cell.received and cell.has_errors:
        return "errors"
    if cell.state in ("missing", "late", "pending"):
        return cell.state
    return "kept" if cell.kept_warnings else "on_time"


def cell_tooltip(cell: InboxCell) -> str:
    lines = [cell.unit_name, f"{cell.template_name} — {cell.period.label()}", f"Hạn nộp: {format_date(cell.due)}"]
    if cell.received:
        sent = f"Gửi ngày {format_date(cell.sent_on)}" if cell.sent_on else "Đã nhận"
        if cell.state == "late":
            sent += f" (muộn {cell.days_late} ngày)" if cell.days_late else " (muộn)"
        lines.append(sent)
        if cell.status:
            lines.append(f"Trạng thái: {STATUS_LABELS.get(cell.status, cell.status)}")
        if cell.versions > 1:
            lines.append(f"Đã nhận {cell.versions} bản")
        if cell.conflict:
            lines.append("Có xung đột giữa các bản: cần chọn bản dùng")
        if cell.errors:
            lines.append(f"{cell.errors} lỗi")
        if cell.warnings:
            lines.append(f"{cell.warnings} cảnh báo chưa giải trình")
        if cell.kept_warnings:
            lines.append(f"{cell.kept_warnings} cảnh báo có giải trình")
        lines.append("Nhấp đúp để xem lỗi và giải trình.")
    else:
        lines.append(state_text(cell))
    return "\n".join(lines)


def period_header(period, due: dt.date) -> str:
    if period.kind == "week":
        first = f"Tuần {period.start.isocalendar().week}: {short_period_label('week', period.start, period.end)}"
    else:
        first = short_period_label(period.kind, period.start, period.end)
    return f"{first}\nhạn {format_day_month(due)}"


def counts_text(cells: list[InboxCell]) -> str:
    """"28/30 đơn vị đã nộp, 3 muộn, 2 chưa nộp" for the cells of one period."""
    received = sum(c.received for c in cells)
    late = sum(c.state == "late" for c in cells)
    missing = sum(c.state == "missing" for c in cells)
    pending = sum(c.state == "pending" for c in cells)
    text = f"{received}/{len(cells)} đơn vị đã nộp, {late} muộn, {missing} chưa nộp"
    if pending:
        text += f", {pending} chưa đến hạn"
    return text


def headline_period(box: Inbox, code: str, today: dt.date):
    """The latest period already due (its states are final), else the latest one."""
    periods = box.periods.get(code, [])
    due = [p for p in periods if any(c.period == p and c.due < today for c in box.cells)]
    return (due or periods or [None])[-1]


def overview_text(box: Inbox) -> str:
    c = box.counts()
    if not c["cells"]:
        return ""
    periods = len({cell.period for cell in box.cells})
    text = (f"Cả {periods} kỳ đã chọn: đã nhận {c['received']}/{c['cells']} báo cáo (đúng hạn {c['on_time']}, "
            f"muộn {c['late']}), chưa nộp {c['missing']}")
    if c["pending"]:
        text += f", chưa đến hạn {c['pending']}"
    text += f"; {c['with_errors']} báo cáo có lỗi, {c['with_kept_warnings']} có giải trình"
    if c["conflicts"]:
        text += f", {c['conflicts']} có xung đột"
    return text + "."


def missing_groups(box: Inbox) -> list[tuple]:
    """[(period, due, [cells sorted by unit])] of the cells not sent and overdue, oldest period first."""
    groups: dict = {}
    for cell in box.missing():
        groups.setdefault((cell.period, cell.due), []).append(cell)
    return [(period, due, sorted(cells, key=lambda c: fold(c.unit_name)))
            for (period, due), cells in sorted(groups.items(), key=lambda kv: kv[0][0].start)]


def missing_rows(box: Inbox) -> list[tuple]:
    rows = []
    for period, due, cells in missing_groups(box):
        for cell in cells:
            rows.append((len(rows) + 1, cell.unit_name, cell.template_name, period.label(), format_date(period.start),
                         format_date(period.end), format_date(due), (box.today - due).days))
    return rows


def missing_html(box: Inbox, template_name: str, issuer: str = "") -> str:
    esc = html.escape
    periods = sorted({c.period for c in box.cells}, key=lambda p: p.start)
    scope = ""
    if periods:
        scope = (periods[0].label() if len(periods) == 1
                 else f"từ {periods[0].label()} đến {periods[-1].label()}")
    parts = ["<html><head><meta charset='utf-8'><title>Danh sách đơn vị chưa nộp báo cáo</title></head>"
             "<body style='font-family: \"Times New Roman\", serif; font-size: 13pt;'>"]
    if issuer:
        parts.append(f"<p><b>{esc(issuer.upper())}</b></p>")
    parts.append("<h2 align='center'>DANH SÁCH ĐƠN VỊ CHƯA NỘP BÁO CÁO</h2>")
    parts.append(f"<p align='center'><b>{esc(template_name)}</b>{' — ' + esc(scope) if scope else ''}<br/>"
                 f"<i>(tính đến ngày {esc(format_date(box.today))})</i></p>")
    groups = missing_groups(box)
    if not groups:
        parts.append("<p>Tất cả đơn vị đã nộp đủ các báo cáo đã đến hạn.</p>")
    for period, due, cells in groups:
        parts.append(f"<p><b>{esc(period.label())}</b> — hạn nộp {esc(format_date(due))}: "
                     f"{len(cells)} đơn vị chưa nộp</p>")
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
                     "<tr><th width='8%'>STT</th><th>Đơn vị</th><th width='22%'>Quá hạn</th></tr>")
        for n, cell in enumerate(cells, 1):
            parts.append(f"<tr><td align='center'>{n}</td><td>{esc(cell.unit_name)}</td>"
                         f"<td align='right'>{(box.today - due).days} ngày</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


# == the grid ======================================================================================
class InboxGridModel(QAbstractTableModel):
    """Rows: units (shown in the vertical header, which stays put when scrolling sideways); columns:
    periods. Cells that do not match the "Chỉ hiện" filter are dimmed, not hidden."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.units: list[tuple[str, str]] = []
        self.periods: list = []
        self.dues: dict = {}
        self.cells: dict[tuple, InboxCell] = {}
        self.matcher = None

    def set_content(self, units, periods, cells: dict, matcher=None) -> None:
        self.beginResetModel()
        self.units, self.periods, self.cells, self.matcher = list(units), list(periods), cells, matcher
        self.dues = {}
        for (_unit, period), cell in cells.items():
            self.dues.setdefault(period, cell.due)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.periods)

    def cell(self, row: int, column: int) -> InboxCell | None:
        if 0 <= row < len(self.units) and 0 <= column < len(self.periods):
            return self.cells.get((self.units[row][0], self.periods[column]))
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        cell = self.cell(index.row(), index.column())
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_label(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            dimmed = self.matcher is not None and not self.matcher(cell)
            colors = DIMMED if dimmed else CELL_COLORS[cell_kind(cell)]
            return QBrush(QColor(colors[0] if role == Qt.ItemDataRole.BackgroundRole else colors[1]))
        if role == Qt.ItemDataRole.UserRole:
            return cell
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 (Qt API)
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and 0 <= section < len(self.periods):
            period = self.periods[section]
            due = self.dues.get(period)
            if role == Qt.ItemDataRole.DisplayRole:
                return period_header(period, due) if due else period.label()
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{period.label()}\nHạn nộp: {format_date(due)}" if due else period.label()
        elif not horizontal and 0 <= section < len(self.units):
            unit_id, name = self.units[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return short_unit_name(name)
            if role == Qt.ItemDataRole.ToolTipRole:
                return name
        return None
