"""The main window: it puts together the report list (ui/report_list.py), the editor page, the menus and
tool bar (ui/main_menus.py) and the status bar, and switches between the list and the editor. What it does
to report files (new, Word import, delete, DOCX export) is in ui/report_actions.py, PDF and printing in
ui/print_preview.py; the window's methods of the same names call them.

The list refreshes from the change bus (ui/changes.py: REPORTS, UNIT, TEMPLATES), never by hand; while
the editor is shown a change only marks the list stale, and it is read again on the way back.

Start-up (ui/app.py) shows the window before the database is open: `__init__` builds only what that
first paint shows (menus, tool bar, "Đang mở dữ liệu…", status bar); the report table, the empty state
and the editor page are built by `set_workspace`, after the paint (`_build_data_pages`). PySide6 builds
a class's enum types on first access (the `Qt` namespace alone: ~90 types, ~15 ms), so `Qt` and the
classes only those pages, dialogs and exports use are imported by the methods that use them, here and in
the modules imported below.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .common import APP_TITLE, ask_yes_no, make_message_box
from .main_menus import build_actions, build_menus, build_toolbar, enable_actions
from .report_list import ReportListPage

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableWidget

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
        self._docx_export = None  # report_actions.DocxExport, made on the first export
        self._list_stale = False  # a change came while the list was not shown
        self._title_stale = False
        self._listening = False
        self.setObjectName("MainWindow")

        build_actions(self)
        build_menus(self)
        self.toolbar = build_toolbar(self)
        self.stack = QStackedWidget()
        self.report_list = ReportListPage()
        self.report_list.context_actions = [self.act_open, self.act_export, self.act_pdf, self.act_preview, None,
                                            self.act_migrate, self.act_delete]
        self.report_list.report_activated.connect(self.open_report)
        self.report_list.selection_changed.connect(self._update_actions)
        self.report_list.new_requested.connect(self.new_report)
        self.report_list.demo_requested.connect(self.load_demo)
        self.stack.addWidget(self.report_list)
        self.setCentralWidget(self.stack)
        self._build_status_bar()

        self.export_finished.connect(self._show_export_done)

        self._restore_geometry()
        if workspace is not None:
            self.set_workspace(workspace)
        else:  # the list shows "Đang mở dữ liệu…" until set_workspace
            self.update_title()
            self.report_list.hint.hide()
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
        from ..services import events
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

    # == the report list (ui/report_list.py) ======================================================
    @property
    def table(self) -> QTableWidget | None:
        """The report table; None until the data pages are built."""
        return self.report_list.table

    @property
    def list_stack(self) -> QStackedWidget:
        """The table, the empty state or "Đang mở dữ liệu…"."""
        return self.report_list.views

    @property
    def list_hint(self) -> QLabel:
        return self.report_list.hint

    @property
    def empty_new_button(self) -> QPushButton:
        return self.report_list.empty_new_button

    @property
    def empty_demo_button(self) -> QPushButton:
        return self.report_list.empty_demo_button

    def _row_report_id(self, row: int) -> str | None:
        return self.report_list.row_report_id(row)

    def selected_report_id(self) -> str | None:
        return self.report_list.selected_report_id()

    def refresh_reports(self) -> None:
        self._list_stale = False
        self.report_list.fill(self.workspace)
        self._update_actions()

    def open_selected(self) -> None:
        report_id = self.selected_report_id()
        if report_id:
            self.open_report(report_id)

    # == construction =============================================================================
    def _build_data_pages(self) -> None:
        """The report table and the empty state and the editor page: once, when the data comes
        (set_workspace)."""
        if self.report_list.build_data_views():
            self.stack.addWidget(self._build_editor_page())

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

    def current_report_id(self) -> str | None:
        """The report in the editor when it is shown, else the one selected in the list."""
        if self.stack.currentIndex() == self.PAGE_EDITOR and self.editor_report_id:
            return self.editor_report_id
        return self.selected_report_id()

    def _update_actions(self) -> None:
        enable_actions(self, ready=self.workspace is not None, on_list=self.stack.currentIndex() == self.PAGE_LIST,
                       selected=self.selected_report_id() is not None,
                       current=self.current_report_id() is not None)

    # == report files (ui/report_actions.py, ui/print_preview.py) ==================================
    def ensure_unit(self) -> bool:
        from . import report_actions
        return report_actions.ensure_unit(self)

    def new_report(self) -> None:
        from . import report_actions
        report_actions.new_report(self)

    def load_demo(self) -> None:
        from . import report_actions
        report_actions.load_demo(self)

    def delete_selected(self) -> None:
        report_id = self.selected_report_id()
        if report_id:
            from . import report_actions
            report_actions.delete_report(self, report_id)

    def import_docx(self, path: str | None = None) -> None:
        """Nhập từ tệp Word: choose a .docx, then the template and period; opens the new report."""
        from . import report_actions
        report_actions.import_docx(self, path)

    def ask_export_path(self, suggested_name: str) -> Path | None:
        from . import report_actions
        return report_actions.ask_docx_path(self, suggested_name)

    def export_docx(self, report_id: str | None = None) -> None:
        from . import report_actions
        report_actions.export_docx(self, report_id)

    def start_export(self, report_id: str, path: Path) -> None:
        """Write the DOCX as a task: `export_finished(path)` or `export_failed(text)` follows."""
        if self._docx_export is None:
            from .report_actions import DocxExport
            self._docx_export = DocxExport(self)
        self._docx_export.start(report_id, path)

    def export_done_box(self, path: str) -> QMessageBox:
        from . import report_actions
        notice = self._docx_export.notice if self._docx_export is not None else None
        return report_actions.export_done_box(self, path, notice)

    def _show_export_done(self, path: str) -> None:
        from . import report_actions
        report_actions.open_written_file(self.export_done_box(path), path)

    def print_preview(self, report_id: str | None = None):
        from .print_preview import preview_report
        return preview_report(self, report_id)

    def export_pdf(self, report_id: str | None = None, path: Path | None = None) -> str | None:
        from .print_preview import export_pdf
        return export_pdf(self, report_id, path)

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

    def edit_unit(self, item: str = "") -> None:
        """Đơn vị → Thông tin đơn vị…; `item` ("symbol", "upper_body", "place_name") puts the cursor there
        (an editor's finding about the unit). The open report is checked again after a save."""
        from .setup_dialog import SetupDialog
        dialog = SetupDialog(self.workspace, self, first_run=False)
        if item:
            dialog.focus_item(item)
        if dialog.exec():
            self.statusBar().showMessage("Đã lưu thông tin đơn vị.", 5000)
            if self.editor is not None and hasattr(self.editor, "run_checks"):
                self.editor.run_checks()

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
        from ..services.errors import ServiceError
        from .errors import show_failure
        ws = self.workspace
        try:
            report = ws.report(report_id, with_content=False)
            template = ws.report_template(report)
        except ServiceError as exc:
            show_failure(self, "Không mở được báo cáo", exc)
            return
        if not self.close_editor():
            return
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
            if hasattr(editor, "unit_settings_requested"):
                editor.unit_settings_requested.connect(self.edit_unit)
        self.editor = editor
        self.editor_report_id = report_id
        self.editor_holder.addWidget(editor)
        self.editor_title.setText(f"{template.name} — {report.period.label()} · {report.status_label}")
        self.editor_title.setVisible(cls is None)  # the editor shows its own header
        self.saved_label.clear()
        self.stack.setCurrentIndex(self.PAGE_EDITOR)
        self._update_actions()

    def flush_editor(self) -> bool:
        """Save the editor's pending edits; False when some could not be saved (the database stayed busy:
        they are still pending in the editor, which keeps retrying)."""
        if self.editor is not None and hasattr(self.editor, "flush"):
            return self.editor.flush() is not False
        return True

    def close_editor(self) -> bool:
        """Close the editor after saving; when the save cannot go through, the user decides (False: kept)."""
        if self.editor is None:
            return True
        if not self.flush_editor() and not ask_yes_no(
                self, "Chưa lưu được", "Chưa lưu được — dữ liệu đang bận (một chương trình khác đang ghi).\n\n"
                                       "Vẫn đóng báo cáo? Phần vừa gõ chưa lưu sẽ mất."):
            return False
        self.editor_holder.removeWidget(self.editor)
        self.editor.hide()
        self.editor.deleteLater()
        self.editor = None
        self.editor_report_id = None
        self.findings_label.clear()
        return True

    def show_list(self) -> None:
        if not self.close_editor():
            return
        self.stack.setCurrentIndex(self.PAGE_LIST)
        if self._list_stale:
            self.refresh_reports()
        self.table.setFocus()

    def _on_status_changed(self, _status: str) -> None:
        """Signed, sent, unlocked…: the list's status column (and the editor's title) follow."""
        report_id = self.editor_report_id
        if report_id:
            report = self.workspace.report(report_id, with_content=False)
            template = self.workspace.report_template(report)
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

    # == closing ==================================================================================
    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        try:
            if not self.flush_editor() and not ask_yes_no(
                    self, "Chưa lưu được", "Chưa lưu được — dữ liệu đang bận (một chương trình khác đang ghi).\n\n"
                                           "Vẫn đóng chương trình? Phần vừa gõ chưa lưu sẽ mất."):
                event.ignore()
                return
        except Exception as exc:  # noqa: BLE001 (a bug is logged; either way the user decides)
            from .errors import failure_of
            if not ask_yes_no(self, "Chưa lưu được", f"{failure_of(exc, 'lưu khi đóng').text}\n\n"
                                                     "Vẫn đóng chương trình? Phần vừa gõ chưa lưu sẽ mất."):
                event.ignore()
                return
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.sync()
        event.accept()
