"""Tổng hợp số liệu (issue 7 point 6, the upper level): for one report kind and period, each indicator
combined across the units by its rule, the units' own figures beside it, the narratives of one section
side by side (the models: ui/aggregation_models.py), and the summary report as DOCX, written as a task of
the runner (ui/tasks.py). The window reads again when reports come in (INBOX/TEMPLATES changes).

The combining is services/aggregation.py and aggregate/; this module only shows it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
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
from ..domain.errors import UserError
from ..services import events
from ..services.aggregation import MULTI_MONTH
from ..services.errors import ServiceError
from ..services.inbox import inbox
from .aggregation_models import (  # noqa: F401 (OUTLIER_COLORS: the window's colours, as tests read them)
    OUTLIER_COLORS,
    IndicatorModel,
    UnitValuesModel,
    indicator_label,
    narrative_html,
    received_periods,
    summary_line,
)
from .common import error_banner, make_message_box, remember_splitter
from .help_window import help_line
from .errors import failure_of, show_failure
from .docx_job import docx_work
from .tasks import in_own_workspace, runner

TITLE = "Tổng hợp số liệu"


# == the window ====================================================================================
class AggregationWindow(QDialog):
    export_finished = Signal(str)
    export_failed = Signal(str)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.agg: Aggregation | None = None
        self._task = None  # the aggregation running on the task runner, if any
        self._task_key = f"aggregate:{id(self)}"
        self._overall = None  # the inbox of every report kind: which periods came in
        self._templates: dict = {}  # code → template (its period kind and format)
        self.done_box: QMessageBox | None = None
        self._job = None
        self._progress = None
        self.setWindowTitle(TITLE)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowMinimizeButtonHint, True)
        self.resize(1100, 680)
        layout = QVBoxLayout(self)
        layout.addWidget(help_line("Cộng số liệu các báo cáo đã nhận của một loại và một kỳ; chọn chỉ tiêu để xem số từng đơn vị, rồi xuất báo cáo tổng hợp (DOCX).", "tong-hop"))

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
        self.refresh_button = QPushButton("Làm &mới")
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
        self.export_button = QPushButton("&Xuất báo cáo tổng hợp (DOCX)…")
        self.export_button.setToolTip("Báo cáo tổng hợp theo thể thức của cấp trên: bảng số liệu từng đơn vị, "
                                      "biểu đồ, nội dung các đơn vị theo từng mục")
        self.export_button.clicked.connect(lambda: self.export_docx())
        close = QPushButton("Đón&g")
        close.clicked.connect(self.close)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self._fill_templates()
        self.template_combo.currentIndexChanged.connect(lambda _i: self.choose_template())
        self.period_combo.currentIndexChanged.connect(lambda _i: self.compute())
        self.choose_template()
        from .changes import changes
        changes().changed.connect(self._on_changes)

    def _on_changes(self, changed) -> None:
        """Reports came in or templates changed: read again (the choice of kind and period is kept)."""
        if changed.touches_any(events.INBOX, events.TEMPLATES) and self.isVisible():
            self.reload()

    # -- layout ---------------------------------------------------------------------------------
    def _figures_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.only_with_data = QCheckBox("Chỉ hiện chỉ tiêu có số liệu")
        self.only_with_data.setChecked(True)
        self.only_with_data.toggled.connect(lambda _on: self._show_indicators())
        layout.addWidget(self.only_with_data)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        remember_splitter(splitter, "aggregation/splitter")
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
            templates = self.workspace.templates(received_too=True)  # a commune's own kinds too
            self._overall = overall = inbox(self.workspace)
        except ServiceError as exc:
            self._show_error(str(exc))
            return
        self._templates = {t.code: t for t in templates}
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
        template = self._templates.get(code)
        kind = template.period if template is not None and template.period in MULTI_MONTH else None
        months = [t.code for t in self._templates.values()
                  if kind and t.period == "month" and t.format == template.format]
        periods = received_periods(self._overall, code, kind, months) if code and self._overall is not None else []
        for period, count, from_months in periods:
            label = f"{period.label()} — {count} đơn vị đã gửi"
            if from_months:
                label += f", {from_months} đơn vị chỉ gửi báo cáo tháng"
            self.period_combo.addItem(label, period)
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
        """Combine the chosen report kind and period on the task runner (its own connection to the file); a
        newer choice drops the result of the older one. `computing` is True until the result is shown."""
        code, period = self.template_code(), self.period_combo.currentData()
        self._show_error("")
        self.agg = None
        if not code or period is None:
            self._task = None
            runner().drop(self._task_key)
            self._show_aggregation(None)
            return
        from ..services.aggregation import aggregate
        start, end = period.start, period.end
        self.summary_label.setText("Đang tổng hợp số liệu…")
        self.export_button.setEnabled(False)
        self._task = runner().run(
            in_own_workspace(self.workspace, lambda own, _control: aggregate(own, code, start, end)),
            key=self._task_key, owner=self, what="tổng hợp số liệu", on_success=self._show_aggregation,
            on_failure=self._aggregation_failed)

    @property
    def computing(self) -> bool:
        return self._task is not None and self._task.running

    def _aggregation_failed(self, failure) -> None:
        self._show_error(failure.text)  # a UserError as it is, a bug logged and said as such
        self._show_aggregation(None)

    def _show_aggregation(self, agg: Aggregation | None) -> None:
        self.agg = agg
        code, period = self.template_code(), self.period_combo.currentData()
        if self.agg is not None:
            self.summary_label.setText(summary_line(self.agg))
        elif code and period is None:
            self.summary_label.setText("Chưa nhận báo cáo nào của loại này: chưa có gì để tổng hợp.")
        else:
            self.summary_label.setText("")
        self.export_button.setEnabled(self.agg is not None and bool(self.agg.units))
        self._show_indicators()
        self._fill_sections()

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
        except UserError as exc:
            self._export_failed(failure_of(exc))
            return False
        from .tasks import run_task
        self._job = run_task(docx_work(model, path, what="báo cáo tổng hợp"), owner=self,
                             what="xuất báo cáo tổng hợp", collect_garbage=True,
                             on_success=self._export_done, on_failure=self._export_failed)
        self.export_button.setEnabled(False)
        progress = QProgressDialog(f"Đang xuất “{path.name}”…", "", 0, 0, self)
        progress.setWindowTitle("Xuất báo cáo tổng hợp")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        self._progress = progress
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

    def _export_failed(self, failure) -> None:
        self._end_export()
        self.done_box = show_failure(self, "Không xuất được báo cáo tổng hợp", failure, wait=False)
        self.export_failed.emit(failure.text)


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
