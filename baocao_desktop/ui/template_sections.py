"""Template editor, the section tree and the selected section's text: the tree of sections (with the
number of fields of each; yellow when an outline suggested fields there), adding, removing, moving,
indenting and outdenting sections, and the section form (number, title, writing guidance, example,
required). SectionsMixin is part of TemplateEditorDialog (ui/template_editor.py); the fields and tables
boxes of the section form are in ui/template_fields.py and ui/template_section_tables.py.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import template_editing as te
from ..services.errors import ServiceError
from .common import ask_yes_no, heading_label_style, plain_edit, show_error
from .template_fields import SUGGESTION_BACKGROUND


class SectionsMixin:
    """The section tree and the section form of TemplateEditorDialog: widgets, display and edits."""

    def _build_tree_pane(self) -> QWidget:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Các mục của mẫu", "Chỉ tiêu"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.currentItemChanged.connect(lambda current, _prev: self._select_item(current))
        left_layout.addWidget(self.tree, 1)
        tools = QHBoxLayout()
        self.add_button = QPushButton("Thêm &mục")
        self.add_button.setToolTip("Thêm một mục ngang hàng, ngay dưới mục đang chọn")
        self.add_button.clicked.connect(self.add_section)
        self.add_child_button = QPushButton("Thêm mục co&n")
        self.add_child_button.clicked.connect(self.add_child_section)
        self.remove_button = QPushButton("&Xóa mục…")
        self.remove_button.clicked.connect(lambda: self.remove_section())
        for button in (self.add_button, self.add_child_button, self.remove_button):
            tools.addWidget(button)
        left_layout.addLayout(tools)
        moves = QHBoxLayout()
        self.up_button = QPushButton("↑ Lên")
        self.up_button.setToolTip("Đưa mục lên trên mục trước (cùng cấp)")
        self.up_button.clicked.connect(lambda: self._tree_op(self.editable.move, -1))
        self.down_button = QPushButton("↓ Xuống")
        self.down_button.clicked.connect(lambda: self._tree_op(self.editable.move, 1))
        self.outdent_button = QPushButton("← Ra ngoài")
        self.outdent_button.setToolTip("Đưa mục ra một cấp (thành mục ngang hàng với mục cha)")
        self.outdent_button.clicked.connect(lambda: self._tree_op(self.editable.outdent))
        self.indent_button = QPushButton("→ Vào trong")
        self.indent_button.setToolTip("Lùi mục vào một cấp (thành mục con của mục ngay trên)")
        self.indent_button.clicked.connect(lambda: self._tree_op(self.editable.indent))
        for button, key in ((self.up_button, "Alt+Up"), (self.down_button, "Alt+Down"),
                            (self.outdent_button, "Alt+Left"), (self.indent_button, "Alt+Right")):
            button.setShortcut(QKeySequence(key))
            button.setToolTip(f"{button.toolTip() or 'Đưa mục xuống dưới mục sau (cùng cấp)'} ({key})")
            moves.addWidget(button)
        left_layout.addLayout(moves)
        return left

    def _build_section_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        form = QFormLayout()
        self.number_label = QLabel()
        self.number_label.setStyleSheet(heading_label_style(12))
        form.addRow("Số mục:", self.number_label)
        self.title_edit = QLineEdit()
        self.title_edit.textChanged.connect(self._title_changed)
        form.addRow("Tên mục:", self.title_edit)
        self.guidance_edit = plain_edit(4)
        self.guidance_edit.setPlaceholderText("Hướng dẫn người viết: mục này cần nêu gì, số liệu nào…")
        self.guidance_edit.textChanged.connect(lambda: self._text_changed("guidance", self.guidance_edit))
        form.addRow("Hướng dẫn viết:", self.guidance_edit)
        self.example_edit = plain_edit(3)
        self.example_edit.setPlaceholderText("Một đoạn văn mẫu (không bắt buộc)")
        self.example_edit.textChanged.connect(lambda: self._text_changed("example", self.example_edit))
        form.addRow("Ví dụ:", self.example_edit)
        self.required_box = QCheckBox("Mục bắt buộc phải viết")
        self.required_box.toggled.connect(self._required_changed)
        form.addRow("", self.required_box)
        layout.addLayout(form)
        layout.addWidget(self._build_fields_box(), 1)
        layout.addWidget(self._build_tables_box())
        return pane

    def rebuild_tree(self, select: te.EditableSection | None = None) -> None:
        select = select or self._section
        self._items: dict[int, QTreeWidgetItem] = {}
        self.tree.blockSignals(True)
        self.tree.clear()

        def add(parent_item, section):
            item = QTreeWidgetItem([section.heading, self._field_count(section)])
            item.setData(0, Qt.ItemDataRole.UserRole, section)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if any(c in self.editable.suggested for c in section.indicators):
                item.setBackground(1, QBrush(SUGGESTION_BACKGROUND))
                item.setToolTip(1, "Có chỉ tiêu gợi ý từ đề cương, cần xem lại")
            item.setToolTip(0, section.heading)
            if parent_item is None:
                self.tree.addTopLevelItem(item)
            else:
                parent_item.addChild(item)
            self._items[id(section)] = item
            for child in section.children:
                add(item, child)
        for section in self.editable.sections:
            add(None, section)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if select is None or id(select) not in self._items:
            select = self.editable.sections[0] if self.editable.sections else None
        if select is not None:
            self.tree.setCurrentItem(self._items[id(select)])
        self._select_item(self.tree.currentItem())
        self.suggestion_label.setVisible(bool(self.editable.suggested))

    def _field_count(self, section) -> str:
        return str(len(section.indicators)) if section.indicators else ""

    def select_section(self, section: te.EditableSection) -> None:
        self.tree.setCurrentItem(self._items[id(section)])

    def section_item(self, section: te.EditableSection) -> QTreeWidgetItem:
        return self._items[id(section)]

    def current_section(self) -> te.EditableSection | None:
        return self._section

    def _select_item(self, item: QTreeWidgetItem | None) -> None:
        section = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self._section = section
        self._loading = True
        enabled = section is not None
        for widget in (self.title_edit, self.guidance_edit, self.example_edit, self.required_box,
                       self.fields_table, self.pick_button, self.new_field_button, self.remove_button,
                       self.tables_list, self.add_table_button,
                       self.add_child_button, self.up_button, self.down_button, self.indent_button,
                       self.outdent_button):
            widget.setEnabled(enabled)
        self.number_label.setText(section.number if section else "")
        self.title_edit.setText(section.title if section else "")
        self.guidance_edit.setPlainText(section.guidance if section else "")
        self.example_edit.setPlainText(section.example if section else "")
        self.required_box.setChecked(bool(section and section.required))
        self._loading = False
        self.refresh_fields()

    def _tree_op(self, operation, *args) -> None:
        section = self._section
        if section is None:
            return
        try:
            changed = operation(section, *args)
        except ServiceError as exc:
            show_error(self, "Không thực hiện được", str(exc))
            return
        if changed:
            self._touch()
            self.rebuild_tree(section)

    def add_section(self) -> te.EditableSection:
        section = self.editable.add_section(after=self._section)
        self._touch()
        self.rebuild_tree(section)
        self.title_edit.setFocus()
        self.title_edit.selectAll()
        return section

    def add_child_section(self) -> te.EditableSection | None:
        if self._section is None:
            return None
        try:
            section = self.editable.add_section(child_of=self._section)
        except ServiceError as exc:
            show_error(self, "Không thêm được mục con", str(exc))
            return None
        self._touch()
        self.rebuild_tree(section)
        self.title_edit.setFocus()
        self.title_edit.selectAll()
        return section

    def remove_section(self, confirm: bool = True) -> bool:
        section = self._section
        if section is None:
            return False
        codes, checks = self.editable.fields_and_checks_in(section)
        subs = sum(1 for _ in section.walk()) - 1
        text = f"Xóa mục “{section.heading}”"
        if subs:
            text += f" cùng {subs} mục con"
        if codes:
            text += f", {len(codes)} chỉ tiêu/bảng số liệu trong đó"
        if checks:
            text += f" và {len(checks)} kiểm tra dùng các chỉ tiêu này ({', '.join(checks)})"
        text += "? Các báo cáo đã làm theo phiên bản cũ không bị ảnh hưởng."
        if confirm and not ask_yes_no(self, "Xóa mục", text):
            return False
        siblings, index, parent, _ = self.editable.locate(section)
        self.editable.remove_section(section)
        follow = siblings[min(index, len(siblings) - 1)] if siblings else parent
        self._section = None
        self._touch()
        self.rebuild_tree(follow)
        self.refresh_checks()
        return True

    # -- section text -------------------------------------------------------------------------------
    def _title_changed(self, text: str) -> None:
        if self._loading or self._section is None:
            return
        self._section.title = text
        self._items[id(self._section)].setText(0, self._section.heading)
        self._touch()

    def _text_changed(self, attribute: str, edit: QPlainTextEdit) -> None:
        if self._loading or self._section is None:
            return
        setattr(self._section, attribute, edit.toPlainText())
        self._touch()

    def _required_changed(self, checked: bool) -> None:
        if self._loading or self._section is None:
            return
        self._section.required = checked
        self._touch()
