"""The report list page of the main window: its title and hint over one of three views: the report table,
the empty state ("Chưa có báo cáo nào", with Tạo báo cáo mới / Nạp dữ liệu mẫu) and, until the data is
open, "Đang mở dữ liệu…".

Over the table a search and filter row finds a report: words typed with or without accents
(services/report_search.py), and the kind of report (template), the status and the year of the period.

The page only shows: the main window fills it (`fill`) when the change bus says the reports changed and
acts on what the user picks (signals). Only the title, the hint and "Đang mở dữ liệu…" exist at the first
paint; the table and the empty state are built by `build_data_views` after it: `Qt` and the classes only
the table uses are imported by the methods that use them (tests/ui/test_startup.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .common import local_time_text, set_enum_property

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QTableWidget

ALL = "Tất cả"
LIST_COLUMNS = ("Mẫu", "Kỳ báo cáo", "Số", "Ngày", "Trạng thái", "Sửa lần cuối")
ID_ROLE = 0x0100  # Qt.ItemDataRole.UserRole (a plain int: no Qt namespace on the start-up path)


class ReportListPage(QWidget):
    report_activated = Signal(str)  # double-click, Enter or Return on a row: open it
    selection_changed = Signal()
    new_requested = Signal()  # the empty state's buttons
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table: QTableWidget | None = None  # built with the data views (build_data_views)
        self.filter_row: QWidget | None = None  # search and filters, built with the data views
        self._search_texts: list[tuple[str, str, str, str]] = []  # per row: searchable text, template, status, year
        self.context_actions: list[QAction | None] = []  # the table's right-click menu; None: a separator
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        header = QHBoxLayout()
        title = QLabel("Báo cáo")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        header.addWidget(title)
        header.addStretch(1)
        layout.addLayout(header)
        # the screen's help line (ui/help_window.link_help, not imported at the first paint)
        self.hint = QLabel("Bấm đúp vào một báo cáo để mở và sửa; mọi thay đổi được lưu ngay. Tìm không cần dấu "
                           '(Ctrl+F); báo cáo mới: Ctrl+N. <a href="danh-sach">Xem hướng dẫn (F1)</a>')
        self.hint.setProperty("help_part", "danh-sach")
        self.hint.linkActivated.connect(self._open_help)
        self.hint.setStyleSheet("color: #555;")
        self.hint.setWordWrap(True)  # never widens the window
        layout.addWidget(self.hint)
        # what is due soon and what is late (services/deadlines.py); hidden when nothing is
        self.due_line = QLabel()
        self.due_line.setWordWrap(True)
        set_enum_property(self.due_line, "textFormat", "RichText")
        self.due_line.setStyleSheet("QLabel { background: #fff8e1; border: 1px solid #f0d58a; border-radius: 4px;"
                                    " padding: 6px 10px; }")
        self.due_line.setVisible(False)
        layout.addWidget(self.due_line)

        self.views = QStackedWidget()
        loading = QLabel("Đang mở dữ liệu…")
        set_enum_property(loading, "alignment", "AlignCenter")
        loading.setStyleSheet("color: #555; font-size: 12pt;")
        self.views.addWidget(loading)
        layout.addWidget(self.views, 1)

    def _open_help(self, part: str) -> None:
        from .help_window import open_help
        open_help(self.window(), part)

    def build_data_views(self) -> bool:
        """The report table and the empty state (views 0 and 1, before "Đang mở dữ liệu…"), once; False
        when they were already built."""
        if self.table is not None:
            return False
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QShortcut
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget
        self.table = QTableWidget(0, len(LIST_COLUMNS))
        self.table.setHorizontalHeaderLabels(LIST_COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        head = self.table.horizontalHeader()
        head.setHighlightSections(False)
        head.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        head.setMinimumSectionSize(60)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.table.doubleClicked.connect(lambda index: self._activate(self.row_report_id(index.row())))
        self.table.itemSelectionChanged.connect(self.selection_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self._activate(self.selected_report_id()))
        self.views.insertWidget(0, self.table)
        self.views.insertWidget(1, self._build_empty_state())
        self.layout().insertWidget(2, self._build_filter_row())
        return True

    def _build_filter_row(self) -> QWidget:
        """Tìm (without accents), Loại báo cáo, Trạng thái, Năm; each narrows the rows shown."""
        from PySide6.QtGui import QShortcut
        from PySide6.QtWidgets import QComboBox, QLineEdit
        self.filter_row = QWidget()
        row = QHBoxLayout(self.filter_row)
        row.setContentsMargins(0, 6, 0, 2)
        search_label = QLabel("Tìm &kiếm:")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Gõ có dấu hoặc không dấu, ví dụ: bao cao tuan")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(80)
        self.search_edit.setToolTip("Tìm theo tên mẫu, kỳ, số, trạng thái, đơn vị, trích yếu (Ctrl+F)")
        search_label.setBuddy(self.search_edit)
        row.addWidget(search_label)
        row.addWidget(self.search_edit, 3)
        self.kind_combo, self.status_combo, self.year_combo = QComboBox(), QComboBox(), QComboBox()
        # narrow combos (long template names are elided; the list pops up wide) so the row fits small windows
        for text, combo, letters in (("&Loại:", self.kind_combo, 9), ("Trạng t&hái:", self.status_combo, 6),
                                     ("Năm (&Y):", self.year_combo, 4)):
            label = QLabel(text)
            label.setBuddy(combo)
            combo.addItem(ALL)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(letters)
            combo.view().setMinimumWidth(320 if combo is self.kind_combo else 0)
            combo.currentIndexChanged.connect(self.apply_filter)
            row.addWidget(label)
            row.addWidget(combo)
        self.shown_label = QLabel("")
        self.shown_label.setStyleSheet("color: #555;")
        row.addWidget(self.shown_label)
        self.search_edit.textChanged.connect(self.apply_filter)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(lambda: (self.search_edit.setFocus(), self.search_edit.selectAll()))
        return self.filter_row

    @staticmethod
    def _refill_combo(combo, values: list[str]) -> None:
        """The choices of a filter, keeping the one picked while it is still there."""
        picked = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL)
        combo.addItems(values)
        combo.setCurrentIndex(max(0, combo.findText(picked)))
        combo.blockSignals(False)

    def apply_filter(self) -> None:
        """Hide the rows the search words, the kind, the status or the year leave out."""
        from ..services.report_search import matches, search_words
        if self.table is None:
            return
        words = search_words(self.search_edit.text())
        wanted = [None if c.currentIndex() <= 0 else c.currentText()
                  for c in (self.kind_combo, self.status_combo, self.year_combo)]
        shown = 0
        for row, (text, *facets) in enumerate(self._search_texts):
            visible = matches(words, text) and all(w is None or w == f for w, f in zip(wanted, facets))
            self.table.setRowHidden(row, not visible)
            shown += visible
        total = len(self._search_texts)
        self.shown_label.setText("" if shown == total else f"{shown}/{total} báo cáo")
        selected = self.selected_report_id()
        rows = [r for r in range(total) if not self.table.isRowHidden(r)]
        if rows and (selected is None or self.table.isRowHidden(self._row_of(selected))):
            self.table.selectRow(rows[0])

    def _row_of(self, report_id: str) -> int:
        return next((r for r in range(self.table.rowCount()) if self.row_report_id(r) == report_id), -1)

    def _build_empty_state(self) -> QWidget:
        from PySide6.QtCore import Qt
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        title = QLabel("Chưa có báo cáo nào")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        layout.addWidget(title)
        text = QLabel("Tạo báo cáo tuần đầu tiên từ mẫu, hoặc nạp dữ liệu mẫu của xã Lùng Phình để xem thử "
                      "một báo cáo đã điền sẵn.")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        text.setStyleSheet("color: #555;")
        layout.addWidget(text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.empty_new_button = QPushButton("Tạo &báo cáo mới")
        self.empty_new_button.setDefault(True)
        self.empty_new_button.setStyleSheet("QPushButton { font-weight: 600; padding: 8px 18px; }")
        self.empty_new_button.clicked.connect(self.new_requested)
        self.empty_demo_button = QPushButton("Nạp &dữ liệu mẫu")
        self.empty_demo_button.setStyleSheet("QPushButton { padding: 8px 18px; }")
        self.empty_demo_button.clicked.connect(self.demo_requested)
        buttons.addWidget(self.empty_new_button)
        buttons.addWidget(self.empty_demo_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(3)
        return page

    def fill(self, workspace) -> None:
        """Read the reports again; the selection stays on the same report when it is still listed."""
        reports = workspace.list_reports()
        unit = workspace.own_unit()
        selected = self.selected_report_id()
        from PySide6.QtWidgets import QTableWidgetItem

        from ..domain.dates import format_date
        from ..services.errors import ServiceError
        self.table.setRowCount(len(reports))
        self._search_texts = []
        for row, report in enumerate(reports):
            try:
                template = workspace.report_template(report)
                template_name, doc_type = template.name, template.doc_type
            except ServiceError:
                template_name, doc_type = report.template_code, "BC"
            number = report.number
            if number and unit and unit.symbol and "/" not in number:
                number = f"{number}-{doc_type}/{unit.symbol}"
            cells = (template_name, report.period.label(), number,
                     format_date(report.report_date) if report.report_date else "",
                     report.status_label, local_time_text(report.updated_at))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(ID_ROLE, report.id)
                self.table.setItem(row, col, item)
            searchable = " ".join((*cells, unit.name if unit else "", report.subject or ""))
            self._search_texts.append((searchable, template_name, report.status_label, str(report.period.start.year)))
        self._refill_combo(self.kind_combo, sorted({t[1] for t in self._search_texts}))
        self._refill_combo(self.status_combo, sorted({t[2] for t in self._search_texts}))
        self._refill_combo(self.year_combo, sorted({t[3] for t in self._search_texts}, reverse=True))
        self.filter_row.setVisible(bool(reports))
        self._fit_columns()
        self.fill_deadlines(workspace)
        self.views.setCurrentIndex(0 if reports else 1)
        self.hint.setVisible(bool(reports))
        if reports:
            ids = [r.id for r in reports]
            self.table.selectRow(ids.index(selected) if selected in ids else 0)
        self.apply_filter()

    def fill_deadlines(self, workspace, today=None) -> None:
        """The line above the list: reports late (red) and due within SOON_DAYS (amber), at most a few."""
        from html import escape

        from ..services.deadlines import deadlines
        from ..services.inbox import today_vn
        today = today or today_vn()
        found = deadlines(workspace, today)
        shown = found[:4]
        lines = []
        for item in shown:
            color, word = ("#b3261e", "Quá hạn") if item.state == "late" else ("#8a5a00", "Sắp đến hạn")
            lines.append(f'<span style="color:{color}; font-weight:600">{word}:</span> {escape(item.text(today))}')
        if len(found) > len(shown):
            lines.append(f"… và {len(found) - len(shown)} báo cáo khác.")
        self.due_line.setText("<br>".join(lines))
        self.due_line.setVisible(bool(lines))

    def _fit_columns(self) -> None:
        """Content width plus breathing room; the last column takes what is left."""
        for col in range(len(LIST_COLUMNS) - 1):
            self.table.resizeColumnToContents(col)
            self.table.setColumnWidth(col, self.table.columnWidth(col) + 28)

    def row_report_id(self, row: int) -> str | None:
        item = self.table.item(row, 0)
        return item.data(ID_ROLE) if item else None

    def selected_report_id(self) -> str | None:
        if self.table is None:
            return None
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.row_report_id(rows[0].row()) if rows else None

    def _activate(self, report_id: str | None) -> None:
        if report_id:
            self.report_activated.emit(report_id)

    def _table_menu(self, pos) -> None:
        row = self.table.rowAt(pos.y())
        if row < 0:
            return
        self.table.selectRow(row)
        from PySide6.QtWidgets import QMenu
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(pos))
