"""The main window: the report list, the report editor, menus, status bar and DOCX export.

The list refreshes from the change bus (ui/changes.py: REPORTS, UNIT, TEMPLATES), never by hand; while
the editor is shown a change only marks the list stale, and it is read again on the way back.

Start-up (ui/app.py) shows the window before the database is open: `__init__` builds only what that
first paint shows (menus, tool bar, "Đang mở dữ liệu…", status bar); the report table, the empty state
and the editor page are built by `set_workspace`, after the paint (`_build_data_pages`). PySide6 builds
a class's enum types on first access (the `Qt` namespace alone: ~90 types, ~15 ms), so `Qt` and the
classes only those pages, dialogs and exports use are imported by the methods that use them.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QStyle,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import UserError
from ..services import events
from ..services.errors import ServiceError
from .common import (
    APP_TITLE,
    ask_yes_no,
    local_time_text,
    make_message_box,
    set_enum_property,
    show_info,
)
from .errors import failure_of, show_failure

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableWidget

LIST_COLUMNS = ("Mẫu", "Kỳ báo cáo", "Số", "Ngày", "Trạng thái", "Sửa lần cuối")
ID_ROLE = 0x0100  # Qt.ItemDataRole.UserRole (a plain int: no Qt namespace on the start-up path)
EDITOR_MISSING_TEXT = "Trình soạn báo cáo chưa có trong bản này."


def editor_class():
    """The ReportEditor class, or None while that module is not part of the build."""
    try:
        from .editor.window import ReportEditor
    except ModuleNotFoundError as exc:
        if exc.name in ("baocao_desktop.ui.editor", __package__ + ".editor", __package__ + ".editor.window"):
            return None
        raise
    return ReportEditor


class MainWindow(QMainWindow):
    export_finished = Signal(str)
    export_failed = Signal(str)

    PAGE_LIST, PAGE_EDITOR = 0, 1

    def __init__(self, workspace=None, settings: QSettings | None = None, parent: QWidget | None = None):
        """`workspace` may come later (`set_workspace`): the window then shows at once, saying that the
        data is being opened, which keeps the start-up path short."""
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings if settings is not None else QSettings()
        self.editor = None
        self.editor_report_id: str | None = None
        self.table: QTableWidget | None = None  # built with the data pages (_build_data_pages)
        self._export_job = None  # the export Task while one runs
        self._progress: QProgressDialog | None = None
        self._list_stale = False  # a change came while the list was not shown
        self._title_stale = False
        self._listening = False
        self.setObjectName("MainWindow")

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_list_page())
        self.setCentralWidget(self.stack)
        self._build_status_bar()

        self.export_finished.connect(self._show_export_done)

        self._restore_geometry()
        if workspace is not None:
            self.set_workspace(workspace)
        else:  # the list shows "Đang mở dữ liệu…" until set_workspace
            self.update_title()
            self.list_hint.hide()
            self._update_actions()

    def set_workspace(self, workspace) -> None:
        self._build_data_pages()
        self.workspace = workspace
        self.set_db_path_label()
        self.update_title()
        self.refresh_reports()
        if not self._listening:
            from .changes import changes
            changes().changed.connect(self._on_changes)
            self._listening = True

    def _on_changes(self, changed) -> None:
        """Announced changes (ui/changes.py, merged per burst): the title follows the unit; the list is
        read again now when shown, else when it is shown again (the editor saves every second)."""
        if self.workspace is None:
            return
        if changed.touches_any(events.REPORTS, events.UNIT, events.TEMPLATES):
            self._list_stale = True
        if not self.isVisible():  # hidden (or closed): read when shown again
            self._title_stale = self._title_stale or changed.touches(events.UNIT)
            return
        if changed.touches(events.UNIT):
            self.update_title()
        if self._list_stale and self.stack.currentIndex() == self.PAGE_LIST:
            self.refresh_reports()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.workspace is not None and self._title_stale:
            self._title_stale = False
            self.update_title()
        if self.workspace is not None and self._list_stale and self.stack.currentIndex() == self.PAGE_LIST:
            self.refresh_reports()

    # == construction =============================================================================
    def _build_actions(self) -> None:
        # setShortcuts, not setShortcut: resolving setShortcut's Qt.Key overload builds the Qt namespace
        style = self.style()
        self.act_new = QAction(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), "Báo cáo &mới…", self)
        self.act_new.setShortcuts([QKeySequence(QKeySequence.StandardKey.New)])
        self.act_new.setToolTip("Tạo báo cáo mới từ một mẫu (Ctrl+N)")
        self.act_new.triggered.connect(self.new_report)
        self.act_open = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), "&Mở", self)
        self.act_open.setShortcuts([QKeySequence(QKeySequence.StandardKey.Open)])
        self.act_open.setToolTip("Mở báo cáo đang chọn (Ctrl+O)")
        self.act_open.triggered.connect(self.open_selected)
        self.act_export = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), "&Xuất DOCX…",
                                  self)
        self.act_export.setShortcuts([QKeySequence("Ctrl+E")])
        self.act_export.setToolTip("Xuất báo cáo ra tệp Word (.docx) theo thể thức văn bản (Ctrl+E)")
        self.act_export.triggered.connect(lambda: self.export_docx())
        self.act_preview = QAction("&In / Xem trước khi in…", self)
        self.act_preview.setShortcuts([QKeySequence(QKeySequence.StandardKey.Print)])
        self.act_preview.setToolTip("Xem các trang như khi in, rồi in ra máy in (Ctrl+P)")
        self.act_preview.triggered.connect(lambda: self.print_preview())
        self.act_pdf = QAction("Xuất &PDF…", self)
        self.act_pdf.setToolTip("Xuất báo cáo ra tệp PDF (qua LibreOffice nếu máy có)")
        self.act_pdf.triggered.connect(lambda: self.export_pdf())
        self.act_import_docx = QAction("Nhập từ tệp &Word…", self)
        self.act_import_docx.setToolTip("Tạo báo cáo mới từ một tệp Word (.docx) đã có, theo mẫu chọn")
        self.act_import_docx.triggered.connect(lambda: self.import_docx())
        self.act_proofread = QAction("&Soát lỗi văn bản Word…", self)
        self.act_proofread.setToolTip("Soát lỗi số liệu, ngày tháng, tên đơn vị… trong một tệp Word (.docx) hoặc .txt")

        def open_proofread() -> None:
            from .proofread_dialog import open_proofread_dialog
            open_proofread_dialog(self)
        self.act_proofread.triggered.connect(open_proofread)
        self.act_delete = QAction("&Xóa báo cáo…", self)
        self.act_delete.triggered.connect(self.delete_selected)
        self.act_quit = QAction("T&hoát", self)
        self.act_quit.setShortcuts([QKeySequence("Ctrl+Q")])
        self.act_quit.triggered.connect(self.close)
        self.act_unit = QAction("&Thông tin đơn vị…", self)
        self.act_unit.triggered.connect(self.edit_unit)
        # Screens owned by their own modules, loaded when first used (keeps start-up lean).
        self.act_send = self._lazy_action("&Gửi cấp trên…", "send_dialog", "open_send_dialog",
                                          "Ghi các báo cáo đã ký ra USB để gửi cấp trên (tệp .baocao có chữ ký số)")
        self.act_receive = self._lazy_action("&Nhận báo cáo từ USB/thư mục…", "receive_dialog", "open_receive_dialog",
                                             "Nhận các tệp .baocao của đơn vị cấp dưới từ USB hoặc một thư mục")
        self.act_inbox = self._lazy_action("&Tình hình nộp báo cáo…", "inbox_window", "open_inbox",
                                           "Đơn vị nào đã nộp, nộp muộn, chưa nộp; lỗi còn mở và giải trình")
        self.act_aggregate = self._lazy_action("&Tổng hợp số liệu…", "aggregation_window", "open_aggregation",
                                               "Cộng số liệu các đơn vị theo mẫu và kỳ, so sánh, xuất báo cáo tổng hợp")
        self.act_units_registry = self._lazy_action("Đơn vị cấp &dưới và khóa…", "receive_dialog",
                                                    "open_unit_registry",
                                                    "Danh sách đơn vị cấp dưới và mã nhận dạng khóa của từng đơn vị")
        self.act_templates = self._lazy_action("&Quản lý mẫu báo cáo…", "template_editor", "open_template_manager",
                                               "Xem, sửa, thêm mẫu báo cáo; nhập/xuất gói mẫu")
        self.act_outline = self._lazy_action("Tạo mẫu từ &đề cương…", "template_editor", "open_outline_import",
                                             "Biến đề cương của cấp trên (.docx/.txt) thành mẫu báo cáo có hướng dẫn")
        self.act_keys = self._lazy_action("&Khóa chữ ký số của đơn vị…", "send_dialog", "open_key_dialog",
                                          "Mã nhận dạng khóa để đọc qua điện thoại; xuất khóa công khai; khóa cấp trên")
        self.act_migrate = QAction("C&huyển báo cáo sang phiên bản mẫu mới…", self)
        self.act_migrate.setToolTip("Xem trước nội dung nào sang mục nào của phiên bản mẫu mới, rồi chuyển")
        self.act_migrate.triggered.connect(lambda: self.migrate_report())
        self.act_about = QAction("&Giới thiệu", self)
        self.act_about.triggered.connect(self.about)
        self.act_back = QAction("← Danh sách báo cáo", self)
        self.act_back.triggered.connect(self.show_list)

    def _lazy_action(self, text: str, module: str, function: str, tip: str) -> QAction:
        """An action whose screen lives in `ui/<module>.py` as `function(main_window)`."""
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)

        def run() -> None:
            import importlib
            opener = getattr(importlib.import_module(f"{__package__}.{module}"), function)
            opener(self)
        action.triggered.connect(run)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Tệp")
        file_menu.addAction(self.act_new)
        file_menu.addAction(self.act_open)
        file_menu.addAction(self.act_export)
        file_menu.addAction(self.act_pdf)
        file_menu.addAction(self.act_preview)
        file_menu.addSeparator()
        file_menu.addAction(self.act_import_docx)
        file_menu.addAction(self.act_proofread)
        file_menu.addSeparator()
        file_menu.addAction(self.act_send)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        template_menu = bar.addMenu("&Mẫu")
        template_menu.addAction(self.act_templates)
        template_menu.addAction(self.act_outline)
        template_menu.addSeparator()
        template_menu.addAction(self.act_migrate)
        upper_menu = bar.addMenu("&Cấp trên")
        upper_menu.addAction(self.act_receive)
        upper_menu.addAction(self.act_inbox)
        upper_menu.addAction(self.act_aggregate)
        upper_menu.addSeparator()
        upper_menu.addAction(self.act_units_registry)
        unit_menu = bar.addMenu("Đơ&n vị")
        unit_menu.addAction(self.act_unit)
        unit_menu.addAction(self.act_keys)
        help_menu = bar.addMenu("Trợ &giúp")
        help_menu.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Thanh công cụ")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        set_enum_property(toolbar, "toolButtonStyle", "ToolButtonTextBesideIcon")
        toolbar.addAction(self.act_new)
        toolbar.addAction(self.act_open)
        toolbar.addAction(self.act_export)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        toolbar.toggleViewAction().setText("Hiện thanh công cụ")

    def _build_list_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 8)
        header = QHBoxLayout()
        title = QLabel("Báo cáo")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        header.addWidget(title)
        header.addStretch(1)
        layout.addLayout(header)
        self.list_hint = QLabel("Bấm đúp vào một báo cáo để mở và sửa. Mọi thay đổi được lưu ngay.")
        self.list_hint.setStyleSheet("color: #555;")
        layout.addWidget(self.list_hint)

        self.list_stack = QStackedWidget()
        loading = QLabel("Đang mở dữ liệu…")
        set_enum_property(loading, "alignment", "AlignCenter")
        loading.setStyleSheet("color: #555; font-size: 12pt;")
        self.list_stack.addWidget(loading)
        layout.addWidget(self.list_stack, 1)
        return page

    def _build_data_pages(self) -> None:
        """The report table and the empty state (pages 0 and 1 of the list, before "Đang mở dữ liệu…")
        and the editor page: once, when the data comes (set_workspace)."""
        if self.table is not None:
            return
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
        self.table.doubleClicked.connect(lambda index: self.open_report(self._row_report_id(index.row())))
        self.table.itemSelectionChanged.connect(self._update_actions)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_selected)
        self.list_stack.insertWidget(0, self.table)
        self.list_stack.insertWidget(1, self._build_empty_state())
        self.stack.addWidget(self._build_editor_page())

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
        self.empty_new_button = QPushButton("Tạo báo cáo mới")
        self.empty_new_button.setDefault(True)
        self.empty_new_button.setStyleSheet("QPushButton { font-weight: 600; padding: 8px 18px; }")
        self.empty_new_button.clicked.connect(self.new_report)
        self.empty_demo_button = QPushButton("Nạp dữ liệu mẫu")
        self.empty_demo_button.setStyleSheet("QPushButton { padding: 8px 18px; }")
        self.empty_demo_button.clicked.connect(self.load_demo)
        buttons.addWidget(self.empty_new_button)
        buttons.addWidget(self.empty_demo_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(3)
        return page

    def _build_editor_page(self) -> QWidget:
        from PySide6.QtWidgets import QSizePolicy
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        self.back_button = QPushButton("← Danh sách báo cáo")
        self.back_button.setToolTip("Quay lại danh sách báo cáo (Alt+←)")
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.back_button.clicked.connect(self.show_list)
        self.back_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        bar.addWidget(self.back_button)
        self.editor_title = QLabel()
        self.editor_title.setStyleSheet("font-size: 12pt; font-weight: 600; padding-left: 8px;")
        self.editor_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.editor_title, 1)
        bar.addStretch(0)
        layout.addLayout(bar)
        self.editor_holder = QVBoxLayout()
        self.editor_holder.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.editor_holder, 1)
        return page

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.findings_label = QLabel()
        self.saved_label = QLabel()
        self.db_label = QLabel()
        self.db_label.setStyleSheet("color: #555;")
        status.addPermanentWidget(self.findings_label)
        status.addPermanentWidget(self.saved_label)
        status.addPermanentWidget(self.db_label)
        self.set_db_path_label()

    def set_db_path_label(self) -> None:
        if self.workspace is None:
            return
        path = str(self.workspace.path)
        self.db_label.setText(f"Dữ liệu: {path}")
        self.db_label.setToolTip(path)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("main/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            self.resize(min(1280, int(screen.width() * 0.92)), min(800, int(screen.height() * 0.9)))
        else:
            self.resize(1200, 720)

    # == state ====================================================================================
    def update_title(self) -> None:
        unit = self.workspace.own_unit() if self.workspace is not None else None
        self.setWindowTitle(f"{APP_TITLE} — {unit.name}" if unit else APP_TITLE)

    def refresh_reports(self) -> None:
        self._list_stale = False
        ws = self.workspace
        reports = ws.list_reports()
        unit = ws.own_unit()
        selected = self.selected_report_id()
        from ..domain.dates import format_date
        self.table.setRowCount(len(reports))
        for row, report in enumerate(reports):
            try:
                template = ws.template(report.template_code, report.template_version)
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
        self._fit_columns()
        self.list_stack.setCurrentIndex(0 if reports else 1)
        self.list_hint.setVisible(bool(reports))
        if reports:
            ids = [r.id for r in reports]
            self.table.selectRow(ids.index(selected) if selected in ids else 0)
        self._update_actions()

    def _fit_columns(self) -> None:
        """Content width plus breathing room; the last column takes what is left."""
        for col in range(len(LIST_COLUMNS) - 1):
            self.table.resizeColumnToContents(col)
            self.table.setColumnWidth(col, self.table.columnWidth(col) + 28)

    def _row_report_id(self, row: int) -> str | None:
        item = self.table.item(row, 0)
        return item.data(ID_ROLE) if item else None

    def selected_report_id(self) -> str | None:
        if self.table is None:
            return None
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._row_report_id(rows[0].row()) if rows else None

    def current_report_id(self) -> str | None:
        """The report in the editor when it is shown, else the one selected in the list."""
        if self.stack.currentIndex() == self.PAGE_EDITOR and self.editor_report_id:
            return self.editor_report_id
        return self.selected_report_id()

    def _update_actions(self) -> None:
        ready = self.workspace is not None
        for action in (self.act_new, self.act_unit, self.act_send, self.act_receive, self.act_inbox,
                       self.act_aggregate, self.act_units_registry, self.act_templates, self.act_outline,
                       self.act_keys):
            action.setEnabled(ready)
        on_list = self.stack.currentIndex() == self.PAGE_LIST
        self.act_open.setEnabled(on_list and self.selected_report_id() is not None)
        self.act_export.setEnabled(self.current_report_id() is not None)
        for action in (self.act_pdf, self.act_preview, self.act_migrate):
            action.setEnabled(self.current_report_id() is not None)
        self.act_import_docx.setEnabled(ready)

    # == report list actions ======================================================================
    def _table_menu(self, pos) -> None:
        row = self.table.rowAt(pos.y())
        if row < 0:
            return
        self.table.selectRow(row)
        menu = QMenu(self)
        menu.addAction(self.act_open)
        menu.addAction(self.act_export)
        menu.addAction(self.act_pdf)
        menu.addAction(self.act_preview)
        menu.addSeparator()
        menu.addAction(self.act_migrate)
        menu.addAction(self.act_delete)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def open_selected(self) -> None:
        report_id = self.selected_report_id()
        if report_id:
            self.open_report(report_id)

    def ensure_unit(self) -> bool:
        """A unit is needed before creating reports: ask for it when missing."""
        if self.workspace.own_unit() is not None:
            return True
        from .setup_dialog import SetupDialog
        dialog = SetupDialog(self.workspace, self, first_run=True)
        dialog.exec()
        return self.workspace.own_unit() is not None

    def new_report(self) -> None:
        if not self.ensure_unit():
            return
        from .new_report_dialog import NewReportDialog
        dialog = NewReportDialog(self.workspace, self)
        if dialog.exec() and dialog.report is not None:
            self.open_report(dialog.report.id)

    def load_demo(self) -> None:
        from ..services.demo import load_demo
        try:
            ids = load_demo(self.workspace)
        except UserError as exc:
            show_failure(self, "Không nạp được dữ liệu mẫu", exc)
            return
        self.statusBar().showMessage(f"Đã nạp dữ liệu mẫu: {len(ids)} báo cáo.", 8000)

    def delete_selected(self) -> None:
        report_id = self.selected_report_id()
        if not report_id:
            return
        report = self.workspace.report(report_id, with_content=False)
        if not ask_yes_no(self, "Xóa báo cáo",
                          f"Xóa báo cáo kỳ {report.period.label()}?\nBáo cáo được đánh dấu đã xóa, "
                          "không còn trong danh sách."):
            return
        try:
            self.workspace.delete_report(report_id)
        except ServiceError as exc:
            show_failure(self, "Không xóa được", exc)
            return

    def migrate_report(self, report_id: str | None = None) -> bool:
        """Move the report (in the editor, else selected) to its template's newest version; the editor
        is reopened on the moved content."""
        report_id = report_id or self.current_report_id()
        if not report_id:
            return False
        from .migrate_dialog import open_migrate_dialog
        in_editor = self.stack.currentIndex() == self.PAGE_EDITOR and self.editor_report_id == report_id
        self.flush_editor()
        moved = open_migrate_dialog(self, report_id)
        if moved:
            if in_editor:
                self.open_report(report_id)
            self.statusBar().showMessage("Đã chuyển báo cáo sang phiên bản mẫu mới.", 8000)
        return moved

    def edit_unit(self) -> None:
        from .setup_dialog import SetupDialog
        dialog = SetupDialog(self.workspace, self, first_run=False)
        if dialog.exec():
            self.statusBar().showMessage("Đã lưu thông tin đơn vị.", 5000)

    def about(self) -> None:
        try:
            from importlib.metadata import version as package_version
            version = package_version("baocao-desktop")
        except Exception:  # not installed as a package (e.g. a frozen build without metadata)
            version = ""
        box = make_message_box(
            self, QMessageBox.Icon.Information, "Giới thiệu BaoCao",
            f"BaoCao Desktop {version}".strip(),
            informative="Viết, kiểm tra và xuất báo cáo định kỳ của đơn vị cấp xã: nhập số liệu theo mẫu, "
                        "tự tính tỷ lệ, soát lỗi và xuất văn bản Word đúng thể thức.\n\n"
                        f"Tệp dữ liệu: {self.workspace.path}")
        box.exec()

    # == editor ===================================================================================
    def open_report(self, report_id: str | None) -> None:
        if not report_id:
            return
        ws = self.workspace
        try:
            report = ws.report(report_id, with_content=False)
            template = ws.template(report.template_code, report.template_version)
        except ServiceError as exc:
            show_failure(self, "Không mở được báo cáo", exc)
            return
        self.close_editor()
        cls = editor_class()
        if cls is None:
            from PySide6.QtCore import Qt
            editor = QLabel(EDITOR_MISSING_TEXT)
            editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        else:
            editor = cls(ws, report_id, self)
            editor.saved.connect(self._on_saved)
            editor.findings_changed.connect(self._on_findings)
            if hasattr(editor, "status_changed"):
                editor.status_changed.connect(self._on_status_changed)
        self.editor = editor
        self.editor_report_id = report_id
        self.editor_holder.addWidget(editor)
        self.editor_title.setText(f"{template.name} — {report.period.label()} · {report.status_label}")
        self.editor_title.setVisible(cls is None)  # the editor shows its own header
        self.saved_label.clear()
        self.stack.setCurrentIndex(self.PAGE_EDITOR)
        self._update_actions()

    def flush_editor(self) -> None:
        if self.editor is not None and hasattr(self.editor, "flush"):
            self.editor.flush()

    def close_editor(self) -> None:
        if self.editor is None:
            return
        self.flush_editor()
        self.editor_holder.removeWidget(self.editor)
        self.editor.hide()
        self.editor.deleteLater()
        self.editor = None
        self.editor_report_id = None
        self.findings_label.clear()

    def show_list(self) -> None:
        self.close_editor()
        self.stack.setCurrentIndex(self.PAGE_LIST)
        if self._list_stale:
            self.refresh_reports()
        self.table.setFocus()

    def _on_status_changed(self, _status: str) -> None:
        """Signed, sent, unlocked…: the list's status column (and the editor's title) follow."""
        report_id = self.editor_report_id
        if report_id:
            report = self.workspace.report(report_id, with_content=False)
            template = self.workspace.template(report.template_code, report.template_version)
            self.editor_title.setText(f"{template.name} — {report.period.label()} · {report.status_label}")
        self._update_actions()

    def _on_saved(self, time_text: str) -> None:
        self.saved_label.setText(f"Đã lưu lúc {time_text}")

    def _on_findings(self, errors: int, warnings: int) -> None:
        if not errors and not warnings:
            self.findings_label.setText("Không phát hiện lỗi")
            self.findings_label.setStyleSheet("color: #1e7b34;")
            return
        self.findings_label.setText(f"Lỗi: {errors} · Cảnh báo: {warnings}")
        self.findings_label.setStyleSheet("color: #b42318; font-weight: 600;" if errors else "color: #9a6700;")

    # == export ===================================================================================
    def ask_export_path(self, suggested_name: str) -> Path | None:
        from .common import ask_save_path
        return ask_save_path(self, self.settings, "Xuất báo cáo ra tệp Word", suggested_name,
                             "Văn bản Word (*.docx)", ".docx")

    def print_preview(self, report_id: str | None = None):
        from .print_preview import preview_report
        return preview_report(self, report_id)

    def export_pdf(self, report_id: str | None = None, path: Path | None = None) -> str | None:
        from .print_preview import export_pdf
        return export_pdf(self, report_id, path)

    def import_docx(self, path: str | None = None) -> None:
        """Nhập từ tệp Word: choose a .docx, then the template and period; opens the new report."""
        if not self.ensure_unit():
            return
        if path is None:
            from PySide6.QtCore import QStandardPaths
            from PySide6.QtWidgets import QFileDialog
            folder = self.settings.value("import/dir") or QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
            path, _ = QFileDialog.getOpenFileName(self, "Nhập báo cáo từ tệp Word", str(folder),
                                                  "Văn bản Word (*.docx);;Tất cả các tệp (*)")
            if not path:
                return
            self.settings.setValue("import/dir", str(Path(path).parent))
        from .import_docx_dialog import ImportDocxDialog
        dialog = ImportDocxDialog(self.workspace, path, self)
        if dialog.exec() and dialog.report is not None:
            self.open_report(dialog.report.id)
            self.statusBar().showMessage(f"Đã nhập “{Path(path).name}”: {dialog.result.summary()}", 15000)

    def export_docx(self, report_id: str | None = None) -> None:
        report_id = report_id or self.current_report_id()
        if not report_id:
            show_info(self, "Xuất DOCX", "Hãy chọn một báo cáo trong danh sách trước.")
            return
        self.flush_editor()
        try:
            suggested = self.workspace.suggested_file_name(report_id)
        except ServiceError as exc:
            show_failure(self, "Không xuất được", exc)
            return
        path = self.ask_export_path(suggested)
        if path is not None:
            self.start_export(report_id, path)

    def start_export(self, report_id: str, path: Path) -> None:
        """Write the DOCX as a task; a modal busy dialog keeps the window responsive but idle."""
        try:
            model = self.workspace.document_model(report_id)
            self._export_notice = self.workspace.export_notice(report_id)
        except ServiceError as exc:
            show_failure(self, "Không xuất được", exc)
            return
        from .docx_job import docx_work
        from .tasks import run_task
        self._export_job = run_task(docx_work(model, path), on_success=self._export_ended,
                                    on_failure=self._export_ended_with_error, owner=self, what="xuất DOCX",
                                    collect_garbage=True)
        progress = QProgressDialog(f"Đang xuất “{path.name}”…", "", 0, 0, self)
        progress.setWindowTitle("Xuất DOCX")
        progress.setCancelButton(None)
        from PySide6.QtCore import Qt
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        self._progress = progress

    def _end_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self._export_job = None

    def _export_ended(self, path: str) -> None:
        self._end_progress()
        self.statusBar().showMessage(f"Đã xuất {path}", 10000)
        self.export_finished.emit(path)

    def _export_ended_with_error(self, failure) -> None:
        self._end_progress()
        self.export_failed.emit(failure.text)
        show_failure(self, "Không xuất được", failure)

    def export_done_box(self, path: str) -> QMessageBox:
        from .docx_job import export_done_text
        box = make_message_box(self, QMessageBox.Icon.Information, "Đã xuất báo cáo", "Đã xuất báo cáo ra tệp Word:",
                               informative=export_done_text(path, getattr(self, "_export_notice", None)))
        box.open_file_button = box.addButton("Mở tệp", QMessageBox.ButtonRole.AcceptRole)
        box.open_folder_button = box.addButton("Mở thư mục", QMessageBox.ButtonRole.ActionRole)
        close = box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
        box.removeButton(box.button(QMessageBox.StandardButton.Ok))
        box.setDefaultButton(box.open_file_button)
        box.setEscapeButton(close)
        return box

    def _show_export_done(self, path: str) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices
        box = self.export_done_box(path)
        box.exec()
        clicked = box.clickedButton()
        if clicked is box.open_file_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        elif clicked is box.open_folder_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))

    # == closing ==================================================================================
    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        try:
            self.flush_editor()
        except Exception as exc:  # noqa: BLE001 (a bug is logged; either way the user decides)
            if not ask_yes_no(self, "Chưa lưu được", f"{failure_of(exc, 'lưu khi đóng').text}\n\n"
                                                     "Vẫn đóng chương trình? Phần vừa gõ chưa lưu sẽ mất."):
                event.ignore()
                return
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.sync()
        event.accept()
