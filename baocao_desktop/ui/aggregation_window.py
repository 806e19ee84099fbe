"""Tổng hợp số liệu (issue 7 point 6, the upper level): for one report kind and period, each indicator
combined across the units by its rule, the units' own figures beside it (outliers flagged, with the
reason in the tooltip), the narratives of one section side by side, and the summary report as DOCX.

The combining is services/aggregation.py and aggregate/; this module only shows it. Models (not item
widgets) keep 100 units light: the indicator table has one row per indicator and the units' figures
are in a detail pane for the selected indicator.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QSettings,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..aggregate.combine import RULE_LABELS
from ..aggregate.model import Aggregation
from ..domain import richtext
from ..domain.model import FIELD_LABELS
from ..domain.numbers import format_number
from ..services.errors import ServiceError
from ..services.inbox import inbox
from .common import error_banner, make_message_box
from .docx_job import DocxWriteJob
from .inbox_window import fold

TITLE = "Tổng hợp số liệu"
OUTLIER_COLORS = ("#ffe0a8", "#7a4100")
TOTAL_BACKGROUND = "#eef3fb"
EMPTY = "–"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def number_text(value, decimals: int | None = None) -> str:
    return format_number(value, decimals) if value is not None else EMPTY


def indicator_label(ind) -> str:
    return f"{ind.label} (lũy kế)" if ind.main_field == "cumulative" else ind.label


def received_periods(box, code: str) -> list[tuple]:
    """[(period, number of units that sent it)] newest first, from the inbox: the periods worth aggregating."""
    counts: dict = {}
    for cell in box.cells:
        if cell.received and cell.template_code == code:
            counts[cell.period] = counts.get(cell.period, 0) + 1
    return sorted(counts.items(), key=lambda item: item[0].start, reverse=True)


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
            return unit.short_name
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
                return self.units[row].name
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


# == the window ====================================================================================
class AggregationWindow(QDialog):
    export_finished = Signal(str)
    export_failed = Signal(str)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.agg: Aggregation | None = None
        self._overall = None  # the inbox of every report kind: which periods came in
        self.done_box: QMessageBox | None = None
        self._job = None
        self._progress = None
        self.setWindowTitle(TITLE)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowMinimizeButtonHint, True)
        self.resize(1100, 680)
        layout = QVBoxLayout(self)

        choose = QHBoxLayout()
        choose.addWidget(QLabel("Loại báo cáo:"))
        self.template_combo = QComboBox()
        self.template_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template_combo.setMinimumContentsLength(24)
        choose.addWidget(self.template_combo)
        choose.addSpacing(12)
        choose.addWidget(QLabel("Kỳ báo cáo:"))
        self.period_combo = QComboBox()
        self.period_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.period_combo.setMinimumContentsLength(34)
        choose.addWidget(self.period_combo)
        choose.addStretch(1)
        self.refresh_button = QPushButton("Làm mới")
        self.refresh_button.setToolTip("Đọc lại sau khi nhận thêm báo cáo")
        self.refresh_button.clicked.connect(lambda: self.reload())
        choose.addWidget(self.refresh_button)
        layout.addLayout(choose)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("font-size: 12pt; font-weight: 600;")
        layout.addWidget(self.summary_label)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._figures_tab(), "Số liệu")
        self.tabs.addTab(self._narratives_tab(), "Nội dung theo mục")
        layout.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton("Xuất báo cáo tổng hợp (DOCX)…")
        self.export_button.setToolTip("Báo cáo tổng hợp theo thể thức của cấp trên: bảng số liệu từng đơn vị, "
                                      "biểu đồ, nội dung các đơn vị theo từng mục")
        self.export_button.clicked.connect(lambda: self.export_docx())
        close = QPushButton("Đóng")
        close.clicked.connect(self.close)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self._fill_templates()
        self.template_combo.currentIndexChanged.connect(lambda _i: self.choose_template())
        self.period_combo.currentIndexChanged.connect(lambda _i: self.compute())
        self.choose_template()

    # -- layout ---------------------------------------------------------------------------------
    def _figures_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.only_with_data = QCheckBox("Chỉ hiện chỉ tiêu có số liệu")
        self.only_with_data.setChecked(True)
        self.only_with_data.toggled.connect(lambda _on: self._show_indicators())
        layout.addWidget(self.only_with_data)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.indicator_model = IndicatorModel(self)
        self.indicator_view = QTableView()
        self.indicator_view.setModel(self.indicator_model)
        self.indicator_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.indicator_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.indicator_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.indicator_view.verticalHeader().setVisible(False)
        self.indicator_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.indicator_view.setWordWrap(True)  # long indicator names wrap instead of being cut
        header = self.indicator_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.indicator_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_detail())
        splitter.addWidget(self.indicator_view)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.detail_title = QLabel("Chọn một chỉ tiêu để xem số của từng đơn vị.")
        self.detail_title.setWordWrap(True)
        self.detail_title.setStyleSheet("font-weight: 600;")
        detail_layout.addWidget(self.detail_title)
        self.unit_model = UnitValuesModel(self)
        self.unit_view = QTableView()
        self.unit_view.setModel(self.unit_model)
        self.unit_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unit_view.verticalHeader().setVisible(False)
        self.unit_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.unit_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.unit_view.horizontalHeader().setStretchLastSection(True)
        detail_layout.addWidget(self.unit_view, 1)
        self.outlier_label = QLabel("")
        self.outlier_label.setWordWrap(True)
        self.outlier_label.setStyleSheet(f"color: {OUTLIER_COLORS[1]};")
        detail_layout.addWidget(self.outlier_label)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 360])
        layout.addWidget(splitter, 1)
        return page

    def _narratives_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel("Mục:"))
        self.section_combo = QComboBox()
        self.section_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.section_combo.setMinimumContentsLength(40)
        self.section_combo.currentIndexChanged.connect(lambda _i: self._show_narrative())
        row.addWidget(self.section_combo, 1)
        layout.addLayout(row)
        self.narrative_view = QTextBrowser()
        self.narrative_view.setOpenLinks(False)
        layout.addWidget(self.narrative_view, 1)
        return page

    # -- choosing -------------------------------------------------------------------------------
    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _fill_templates(self) -> None:
        try:
            templates = self.workspace.templates()
            self._overall = overall = inbox(self.workspace)
        except ServiceError as exc:
            self._show_error(str(exc))
            return
        counts = {}
        for cell in overall.cells:
            if cell.received:
                counts[cell.template_code] = counts.get(cell.template_code, 0) + 1
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        for template in sorted(templates, key=lambda t: (-counts.get(t.code, 0), t.name)):
            label = template.name + (f" ({counts[template.code]} đã nhận)" if counts.get(template.code) else "")
            self.template_combo.addItem(label, template.code)
        self.template_combo.blockSignals(False)

    def template_code(self) -> str | None:
        return self.template_combo.currentData()

    def choose_template(self) -> None:
        code = self.template_code()
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        periods = received_periods(self._overall, code) if code and self._overall is not None else []
        for period, count in periods:
            self.period_combo.addItem(f"{period.label()} — {count} đơn vị đã gửi", period)
        self.period_combo.blockSignals(False)
        self.compute()

    def choose_period(self, start: dt.date) -> bool:
        """Select the period starting on `start` (tests, and keeping the choice on reload)."""
        for i in range(self.period_combo.count()):
            if self.period_combo.itemData(i).start == start:
                self.period_combo.setCurrentIndex(i)
                return True
        return False

    def reload(self) -> None:
        code, period = self.template_code(), self.period_combo.currentData()
        self._fill_templates()
        index = self.template_combo.findData(code)
        if index >= 0:
            self.template_combo.blockSignals(True)
            self.template_combo.setCurrentIndex(index)
            self.template_combo.blockSignals(False)
        self.choose_template()
        if period is not None:
            self.choose_period(period.start)

    # -- content --------------------------------------------------------------------------------
    def compute(self) -> None:
        code, period = self.template_code(), self.period_combo.currentData()
        self._show_error("")
        self.agg = None
        if code and period is not None:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.agg = self.workspace_aggregate(code, period)
            except (ServiceError, ValueError) as exc:
                self._show_error(str(exc))
            finally:
                QApplication.restoreOverrideCursor()
        if self.agg is not None:
            self.summary_label.setText(summary_line(self.agg))
        elif code and period is None:
            self.summary_label.setText("Chưa nhận báo cáo nào của loại này: chưa có gì để tổng hợp.")
        else:
            self.summary_label.setText("")
        self.export_button.setEnabled(self.agg is not None and bool(self.agg.units))
        self._show_indicators()
        self._fill_sections()

    def workspace_aggregate(self, code: str, period) -> Aggregation:
        from ..services.aggregation import aggregate
        return aggregate(self.workspace, code, period.start, period.end)

    def _show_indicators(self) -> None:
        current = self.selected_indicator()
        self.indicator_model.set_content(self.agg, self.only_with_data.isChecked())
        self.indicator_view.resizeRowsToContents()
        codes = [i.code for i in self.indicator_model.rows]
        row = codes.index(current.code) if current is not None and current.code in codes else 0
        if codes:
            self.indicator_view.selectRow(row)
        self._show_detail()

    def selected_indicator(self):
        index = self.indicator_view.currentIndex() if hasattr(self, "indicator_view") else QModelIndex()
        if not index.isValid() or index.row() >= len(self.indicator_model.rows):
            return None
        return self.indicator_model.rows[index.row()]

    def select_indicator(self, code: str) -> bool:
        for row, ind in enumerate(self.indicator_model.rows):
            if ind.code == code:
                self.indicator_view.selectRow(row)
                return True
        return False

    def _show_detail(self) -> None:
        ind = self.selected_indicator()
        self.unit_model.set_indicator(self.agg, ind)
        if ind is None:
            self.detail_title.setText("Chọn một chỉ tiêu để xem số của từng đơn vị.")
            self.outlier_label.setText("")
            return
        unit = f" ({ind.unit})" if ind.unit else ""
        rule = RULE_LABELS[ind.rule].lower()
        self.detail_title.setText(f"{indicator_label(ind)}{unit}: {rule} các đơn vị")
        notes = [o.message for o in ind.outliers]
        if ind.missing_units and self.agg is not None:
            names = {u.id: u.short_name for u in self.agg.units}
            notes.append("Chưa có số: " + ", ".join(names.get(u, u) for u in ind.missing_units[:10])
                         + (f" và {len(ind.missing_units) - 10} đơn vị khác" if len(ind.missing_units) > 10 else "")
                         + ".")
        self.outlier_label.setText("\n".join(("⚠ " + n if i < len(ind.outliers) else n) for i, n in enumerate(notes)))

    def _fill_sections(self) -> None:
        self.section_combo.blockSignals(True)
        self.section_combo.clear()
        narratives = self.agg.narratives if self.agg is not None else []
        for n in narratives:
            self.section_combo.addItem(f"{n.title} (mục {n.path}) — {len(n.texts)} đơn vị", n.path)
        if narratives:
            # the section most units wrote in is the one worth comparing first
            best = max(range(len(narratives)), key=lambda i: (len(narratives[i].texts), -i))
            self.section_combo.setCurrentIndex(best)
        self.section_combo.blockSignals(False)
        self._show_narrative()

    def choose_section(self, path: str) -> bool:
        index = self.section_combo.findData(path)
        if index >= 0:
            self.section_combo.setCurrentIndex(index)
        return index >= 0

    def _show_narrative(self) -> None:
        path = self.section_combo.currentData()
        narrative = next((n for n in self.agg.narratives if n.path == path), None) if self.agg else None
        if narrative is None:
            self.narrative_view.setHtml("<p><i>Các đơn vị chưa viết nội dung nào cho kỳ này.</i></p>")
            return
        self.narrative_view.setHtml(narrative_html(self.agg, narrative))

    # -- export ---------------------------------------------------------------------------------
    def _settings(self) -> QSettings:
        return getattr(self.parent(), "settings", None) or QSettings()

    def suggested_file_name(self) -> str:
        from ..document.charts import short_period_label
        from ..services.exchange import safe_file_name
        agg = self.agg
        period = short_period_label(agg.period.kind, agg.period.start, agg.period.end)
        if agg.period.kind == "week":
            period = f"tuần {agg.period.start.isocalendar().week} ({period})"
        return safe_file_name(f"Tổng hợp {agg.template.name.lower()} {period}.docx")

    def export_docx(self) -> None:
        if self.agg is None:
            return
        from .common import ask_save_path
        path = ask_save_path(self, self._settings(), "Xuất báo cáo tổng hợp", self.suggested_file_name(),
                             "Văn bản Word (*.docx)", ".docx")
        if path is not None:
            self.start_export(path)

    def start_export(self, path: Path | str) -> bool:
        from ..services.aggregation import summary_document
        path = Path(path)
        try:
            model = summary_document(self.workspace, self.agg, charts=True)
        except (ServiceError, ValueError) as exc:
            self._export_failed(str(exc))
            return False
        job = DocxWriteJob(model, path, what="báo cáo tổng hợp")
        job.setAutoDelete(False)
        job.signals.finished.connect(self._export_done, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._export_failed, Qt.ConnectionType.QueuedConnection)
        self._job = job
        self.export_button.setEnabled(False)
        progress = QProgressDialog(f"Đang xuất “{path.name}”…", "", 0, 0, self)
        progress.setWindowTitle("Xuất báo cáo tổng hợp")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        self._progress = progress
        QThreadPool.globalInstance().start(job)
        return True

    def _end_export(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self._job = None
        self.export_button.setEnabled(self.agg is not None and bool(self.agg.units))

    def _export_done(self, path: str) -> None:
        self._end_export()
        box = make_message_box(self, QMessageBox.Icon.Information, "Đã xuất báo cáo tổng hợp",
                               "Đã xuất báo cáo tổng hợp ra tệp Word:", informative=path)
        box.open_folder_button = box.addButton("Mở thư mục", QMessageBox.ButtonRole.AcceptRole)
        box.open_file_button = box.addButton("Mở tệp", QMessageBox.ButtonRole.ActionRole)
        close = box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
        box.removeButton(box.button(QMessageBox.StandardButton.Ok))
        box.setDefaultButton(box.open_folder_button)
        box.setEscapeButton(close)
        box.buttonClicked.connect(lambda button: self._done_clicked(box, button, path))
        self.done_box = box
        box.open()  # not exec(): the window stays usable and tests do not block
        self.export_finished.emit(path)

    def _done_clicked(self, box: QMessageBox, button, path: str) -> None:
        if button is box.open_folder_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
        elif button is box.open_file_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def _export_failed(self, message: str) -> None:
        self._end_export()
        box = make_message_box(self, QMessageBox.Icon.Critical, "Không xuất được báo cáo tổng hợp", message)
        self.done_box = box
        box.open()
        self.export_failed.emit(message)


def open_aggregation(window) -> AggregationWindow:
    """From the main window's menu: one non-modal window, raised when already open."""
    existing = getattr(window, "aggregation_window", None)
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = AggregationWindow(window.workspace, window)
    window.aggregation_window = dialog
    dialog.show()
    return dialog
