"""Template editor, the selected section's tables ("Bảng số liệu của mục"): the list of its tables
(title, rows × columns, code), adding, editing (the table form of ui/template_table_editor.py) and
removing one. TablesBoxMixin is part of TemplateEditorDialog (ui/template_editor.py).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout

from .common import ask_yes_no, row_table
from .template_table_editor import TableDialog

TABLE_HEADERS = ("Tên bảng", "Dòng × cột", "Mã")


class TablesBoxMixin:
    """The tables box of TemplateEditorDialog: its widgets, what they show and the edits they send."""

    def _build_tables_box(self) -> QGroupBox:
        box = QGroupBox("Bảng số liệu của mục")
        box_layout = QVBoxLayout(box)
        self.tables_list = row_table(TABLE_HEADERS)
        self.tables_list.itemDoubleClicked.connect(lambda _item: self.edit_selected_table())
        self.tables_list.itemSelectionChanged.connect(self._update_table_buttons)
        box_layout.addWidget(self.tables_list)
        self.no_tables_label = QLabel("Mục này chưa có bảng số liệu (các dòng × các cột, mỗi ô một số).")
        self.no_tables_label.setStyleSheet("color: #555555;")
        box_layout.addWidget(self.no_tables_label)
        buttons = QHBoxLayout()
        self.add_table_button = QPushButton("Thêm &bảng…")
        self.add_table_button.clicked.connect(lambda: self.open_table_dialog())
        self.edit_table_button = QPushButton("&Sửa bảng…")
        self.edit_table_button.clicked.connect(lambda: self.edit_selected_table())
        self.remove_table_button = QPushButton("Xó&a bảng")
        self.remove_table_button.clicked.connect(lambda: self.remove_selected_table())
        for button in (self.add_table_button, self.edit_table_button, self.remove_table_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box_layout.addLayout(buttons)
        return box

    def _fit_tables_list(self, count: int) -> None:
        """As high as its rows (at most 3 shown), so the fields table above keeps the room."""
        widget = self.tables_list
        widget.setVisible(count > 0)
        self.no_tables_label.setVisible(count == 0)
        shown = min(max(count, 1), 3)
        widget.setFixedHeight(widget.horizontalHeader().sizeHint().height()
                              + shown * widget.verticalHeader().defaultSectionSize() + 2 * widget.frameWidth())

    def refresh_tables(self, select: str | None = None) -> None:
        current = select or self.selected_table()
        codes = list(self._section.tables) if self._section else []
        self.tables_list.setRowCount(len(codes))
        self.tables_list.clearSelection()
        for row, code in enumerate(codes):
            table = self.editable.table(code) or {"title": code}
            title_item = QTableWidgetItem(table.get("title") or code)
            title_item.setToolTip(f"{table.get('title') or code}\nBấm đúp để sửa bảng.")
            title_item.setData(Qt.ItemDataRole.UserRole, code)
            size_item = QTableWidgetItem(f"{len(table.get('rows') or [])} × {len(table.get('columns') or [])}")
            size_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            code_item = QTableWidgetItem(code)
            code_item.setForeground(QBrush(QColor("#555555")))
            for column, item in enumerate((title_item, size_item, code_item)):
                self.tables_list.setItem(row, column, item)
        if current in codes:
            self.tables_list.setCurrentCell(codes.index(current), 0)
        self._fit_tables_list(len(codes))
        self._update_table_buttons()

    def _update_table_buttons(self) -> None:
        chosen = self._section is not None and self.selected_table() is not None
        self.edit_table_button.setEnabled(chosen)
        self.remove_table_button.setEnabled(chosen)

    def table_titles(self) -> list[str]:
        """The rows of the section's table list as read: "title (rows × columns)"."""
        return [f"{self.tables_list.item(r, 0).text()} ({self.tables_list.item(r, 1).text()})"
                for r in range(self.tables_list.rowCount())]

    def selected_table(self) -> str | None:
        if not hasattr(self, "tables_list") or not self.tables_list.selectedItems():
            return None
        item = self.tables_list.item(self.tables_list.currentRow(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select_table(self, code: str) -> None:
        for row in range(self.tables_list.rowCount()):
            if self.tables_list.item(row, 0).data(Qt.ItemDataRole.UserRole) == code:
                self.tables_list.setCurrentCell(row, 0)

    def open_table_dialog(self, code: str | None = None) -> TableDialog | None:
        """The table form: a new table of the selected section, or the table `code`."""
        if self._section is None:
            return None
        dialog = TableDialog(self.editable, self._section, code, self)
        dialog.accepted.connect(lambda: self._table_changed(dialog))
        dialog.open()  # window-modal, not a nested event loop
        return dialog

    def edit_selected_table(self) -> TableDialog | None:
        code = self.selected_table()
        return self.open_table_dialog(code) if code else None

    def _table_changed(self, dialog: TableDialog) -> None:
        self._touch()
        self.refresh_tables(dialog.result_code)
        self.refresh_checks()

    def remove_selected_table(self, confirm: bool = True) -> bool:
        code = self.selected_table()
        if code is None or self._section is None:
            return False
        title = (self.editable.table(code) or {}).get("title") or code
        checks = [c.get("code", "") for c in self.editable.checks_using([code])]
        text = f"Xóa bảng “{title}” khỏi mục {self._section.heading}?"
        if checks:
            text += f" Bảng đang được dùng trong kiểm tra: {', '.join(checks)}; xóa bảng sẽ xóa luôn các kiểm tra này."
        text += " Các báo cáo đã làm theo phiên bản cũ không bị ảnh hưởng."
        if confirm and not ask_yes_no(self, "Xóa bảng", text):
            return False
        self.editable.remove_table(self._section, code)
        self._touch()
        self.refresh_tables()
        self.refresh_checks()
        return True
