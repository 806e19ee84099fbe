"""Template editor, the selected section's indicator fields ("Chỉ tiêu số liệu của mục"): the fields
grid (label, unit, kind, plan, cumulative; suggested fields from an outline on a yellow background),
adding a field from the shared dictionary or a new one, keeping a suggestion, removing a field.
FieldsMixin is part of TemplateEditorDialog (ui/template_editor.py); the rules are in
services/template_editing.py.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import template_editing as te
from ..services.errors import ServiceError
from ..templates.model import INDICATOR_KINDS
from .common import ask_yes_no, button_box, error_banner, row_table, show_error

SUGGESTION_BACKGROUND = QColor("#fff4c2")
SUGGESTION_MARK = "Gợi ý"
FIELD_HEADERS = ("Tên chỉ tiêu", "Đơn vị", "Loại", "Kế hoạch", "Lũy kế", "Mã")


def button_box_flags():
    return QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel


# == small dialogs ================================================================================
class DictionaryPickerDialog(QDialog):
    """Pick an indicator of the shared dictionary by code or label (accents optional)."""

    def __init__(self, exclude=(), parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Thêm chỉ tiêu từ từ điển chỉ tiêu chung")
        self.resize(640, 460)
        self.exclude = set(exclude)
        layout = QVBoxLayout(self)
        intro = QLabel("Chỉ tiêu trong từ điển có mã dùng chung cho mọi mẫu, nên số liệu so sánh và tổng hợp được "
                       "giữa các kỳ, các đơn vị. Gõ vài chữ của tên hoặc mã để tìm (gõ không dấu cũng được).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm chỉ tiêu, ví dụ: đảng viên, hộ nghèo, diện tích lúa…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        layout.addWidget(self.search)
        self.results = QListWidget()
        self.results.itemDoubleClicked.connect(lambda _item: self.accept_choice())
        layout.addWidget(self.results, 1)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        buttons = button_box(button_box_flags())
        buttons.button(buttons.StandardButton.Ok).setText("Thêm vào mục")
        buttons.accepted.connect(self.accept_choice)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.chosen = None
        self.refresh()

    def refresh(self) -> None:
        self.results.clear()
        for entry in te.search_dictionary(self.search.text(), self.exclude):
            unit = f" ({entry.unit})" if entry.unit else ""
            item = QListWidgetItem(f"{entry.label}{unit} — mã {entry.code}")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def accept_choice(self) -> None:
        item = self.results.currentItem()
        if item is None:
            self.error_label.setText("Chưa chọn chỉ tiêu nào: hãy tìm và chọn một dòng trong danh sách.")
            self.error_label.show()
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        self.accept()


class NewFieldDialog(QDialog):
    """A new indicator: label, unit, kind, whether it has a plan and a cumulative figure."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Thêm chỉ tiêu mới")
        self.resize(520, 280)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("Ví dụ: Số hộ thoát nghèo trong năm")
        self.unit_edit = QLineEdit()
        self.unit_edit.setPlaceholderText("Ví dụ: hộ, người, ha, triệu đồng, %")
        self.kind_combo = QComboBox()
        for kind in INDICATOR_KINDS:
            self.kind_combo.addItem(te.KIND_LABELS[kind], kind)
        self.kind_combo.setCurrentIndex(INDICATOR_KINDS.index("count"))
        self.plan_box = QCheckBox("Có số kế hoạch (chương trình tự tính % so với kế hoạch)")
        self.cumulative_box = QCheckBox("Có số lũy kế (cộng dồn từ đầu năm)")
        form.addRow("Tên chỉ tiêu:", self.label_edit)
        form.addRow("Đơn vị tính:", self.unit_edit)
        form.addRow("Loại:", self.kind_combo)
        form.addRow("", self.plan_box)
        form.addRow("", self.cumulative_box)
        layout.addLayout(form)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        buttons = button_box(button_box_flags())
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict:
        return {"label": self.label_edit.text(), "unit": self.unit_edit.text(),
                "kind": self.kind_combo.currentData(), "plan": self.plan_box.isChecked(),
                "cumulative": self.cumulative_box.isChecked()}

    def try_accept(self) -> None:
        if len(self.label_edit.text().strip()) < 2:
            self.error_label.setText("Hãy nhập tên chỉ tiêu (ví dụ: Số hộ thoát nghèo trong năm).")
            self.error_label.show()
            return
        self.accept()

# == the fields box of the editor ===================================================================
class FieldsMixin:
    """The fields box of TemplateEditorDialog: its widgets, what they show and the edits they send."""

    def _build_fields_box(self) -> QGroupBox:
        fields_box = QGroupBox("Chỉ tiêu số liệu của mục")
        fields_layout = QVBoxLayout(fields_box)
        self.fields_table = row_table(FIELD_HEADERS, read_only=False)
        self.fields_table.itemChanged.connect(self._field_item_changed)
        fields_layout.addWidget(self.fields_table, 1)
        row = QHBoxLayout()
        self.pick_button = QPushButton("Thêm từ từ đ&iển…")
        self.pick_button.clicked.connect(self.pick_dictionary_field)
        self.new_field_button = QPushButton("Thêm &chỉ tiêu mới…")
        self.new_field_button.clicked.connect(self.new_field)
        self.confirm_button = QPushButton("Giữ chỉ tiê&u gợi ý")
        self.confirm_button.clicked.connect(self.confirm_selected_field)
        self.remove_field_button = QPushButton("Xóa c&hỉ tiêu")
        self.remove_field_button.clicked.connect(lambda: self.remove_selected_field())
        for button in (self.pick_button, self.new_field_button, self.confirm_button, self.remove_field_button):
            row.addWidget(button)
        row.addStretch(1)
        fields_layout.addLayout(row)
        return fields_box

    def refresh_fields(self) -> None:
        table = self.fields_table
        table.blockSignals(True)
        table.setRowCount(0)
        section = self._section
        codes = list(section.indicators) if section else []
        table.setRowCount(len(codes))
        for row, code in enumerate(codes):
            ind = self.editable.indicator(code) or {"code": code, "label": code}
            suggested = code in self.editable.suggested
            label_item = QTableWidgetItem(ind.get("label", ""))
            if suggested:
                label_item.setText(f"{ind.get('label', '')}  [{SUGGESTION_MARK}]")
                label_item.setToolTip("Gợi ý tự động từ câu chữ của đề cương: "
                                      "xem lại rồi bấm “Giữ chỉ tiêu gợi ý” hoặc xóa.")
            label_item.setData(Qt.ItemDataRole.UserRole, code)
            unit_item = QTableWidgetItem(ind.get("unit", ""))
            code_item = QTableWidgetItem(code)
            code_item.setFlags(code_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            code_item.setForeground(QBrush(QColor("#555555")))
            plan_item = QTableWidgetItem()
            cumulative_item = QTableWidgetItem()
            for item, key in ((plan_item, "plan"), (cumulative_item, "cumulative")):
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled |
                              Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(Qt.CheckState.Checked if ind.get(key) else Qt.CheckState.Unchecked)
            for column, item in enumerate((label_item, unit_item, None, plan_item, cumulative_item, code_item)):
                if item is None:
                    continue
                if suggested:
                    item.setBackground(QBrush(SUGGESTION_BACKGROUND))
                table.setItem(row, column, item)
            kind_combo = QComboBox()
            for kind in INDICATOR_KINDS:
                kind_combo.addItem(te.KIND_LABELS[kind].split(" (")[0], kind)
            kind_combo.setCurrentIndex(max(0, kind_combo.findData(ind.get("kind", "number"))))
            kind_combo.currentIndexChanged.connect(
                lambda _i, c=code, combo=kind_combo: self._set_field_value(c, "kind", combo.currentData()))
            table.setCellWidget(row, 2, kind_combo)
        table.blockSignals(False)
        self.confirm_button.setEnabled(any(c in self.editable.suggested for c in codes))
        self.confirm_button.setVisible(self.editable.is_new or bool(self.editable.suggested))
        self.remove_field_button.setEnabled(bool(codes))
        self.refresh_tables()

    def _field_code_at(self, row: int) -> str | None:
        item = self.fields_table.item(row, 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _field_item_changed(self, item: QTableWidgetItem) -> None:
        code = self._field_code_at(item.row())
        if code is None:
            return
        column = item.column()
        if column == 0:
            text = item.text().replace(f"  [{SUGGESTION_MARK}]", "")
            self._set_field_value(code, "label", text.strip())
        elif column == 1:
            self._set_field_value(code, "unit", item.text().strip())
        elif column in (3, 4):
            key = "plan" if column == 3 else "cumulative"
            self._set_field_value(code, key, item.checkState() == Qt.CheckState.Checked)

    def _set_field_value(self, code: str, key: str, value) -> None:
        ind = self.editable.indicator(code)
        if ind is None:
            return
        if value in (False, "") and key in ("plan", "cumulative", "unit"):
            ind.pop(key, None)
        else:
            ind[key] = value
        self._touch()
        if code in self.editable.suggested:  # edited means reviewed
            self.editable.confirm_suggestion(code)
            self.refresh_fields()
            self.rebuild_tree(self._section)

    def selected_field(self) -> str | None:
        row = self.fields_table.currentRow()
        return self._field_code_at(row) if row >= 0 else None

    def pick_dictionary_field(self) -> None:
        if self._section is None:
            return
        dialog = DictionaryPickerDialog(self.editable.indicator_codes(), self)
        if dialog.exec() and dialog.chosen is not None:
            self.add_dictionary_field(dialog.chosen)

    def add_dictionary_field(self, entry) -> bool:
        try:
            self.editable.add_dictionary_field(self._section, entry)
        except ServiceError as exc:
            show_error(self, "Không thêm được chỉ tiêu", str(exc))
            return False
        self._after_field_change()
        return True

    def new_field(self) -> None:
        if self._section is None:
            return
        dialog = NewFieldDialog(self)
        if dialog.exec():
            self.add_new_field(**dialog.values())

    def add_new_field(self, label: str, unit: str = "", kind: str = "count", plan: bool = False,
                      cumulative: bool = False) -> str | None:
        try:
            code = self.editable.add_new_field(self._section, label, unit, kind, plan, cumulative)
        except ServiceError as exc:
            show_error(self, "Không thêm được chỉ tiêu", str(exc))
            return None
        self._after_field_change()
        return code

    def confirm_selected_field(self) -> None:
        code = self.selected_field()
        if code is None:
            codes = [c for c in (self._section.indicators if self._section else []) if c in self.editable.suggested]
        else:
            codes = [code]
        for c in codes:
            self.editable.confirm_suggestion(c)
        self._after_field_change()

    def remove_selected_field(self, confirm: bool = True) -> bool:
        code = self.selected_field()
        if code is None or self._section is None:
            return False
        checks = [c.get("code", "") for c in self.editable.checks_using([code])]
        if checks and confirm and not ask_yes_no(
                self, "Xóa chỉ tiêu", f"Chỉ tiêu “{code}” đang được dùng trong kiểm tra: {', '.join(checks)}. "
                                      f"Xóa chỉ tiêu sẽ xóa luôn các kiểm tra này. Tiếp tục?"):
            return False
        self.editable.remove_field(self._section, code)
        self._after_field_change()
        self.refresh_checks()
        return True

    def _after_field_change(self) -> None:
        self._touch()
        self.refresh_fields()
        self.rebuild_tree(self._section)
