"""Template editor, part two: the form of one table (title, rows, columns, the total row/column) and the
form of the template's general information (name, title, summary, closing, document type, signer line,
recipients). ui/template_editor.py opens them; the logic is in services/template_editing.py.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import template_editing as te
from ..services.errors import ServiceError
from .common import ask_yes_no, button_box, error_banner, plain_edit, row_table

# the add/remove buttons of the rows and of the columns, with different Alt+ letters (one dialog holds both)
LINE_BUTTONS = {"rows": ("Thêm &dòng", "&Xóa dòng"), "columns": ("Thêm &cột", "Xóa cộ&t")}

NEW_CODE_TEXT = "(tự đặt khi lưu)"
LINE_HEADERS = {"rows": ("Tên dòng", "Đơn vị", "Dòng tổng", "Mã"),
                "columns": ("Tên cột", "Đơn vị", "Cột tổng", "Mã")}
LABEL, UNIT, TOTAL, CODE = range(4)



# == one table ======================================================================================
class TableDialog(QDialog):
    """Add a table to a section (`code` None) or edit one. Rows and columns are edited in place; a renamed
    row keeps its code, so the figures reports typed there stay. Refusals show the service's messages."""

    def __init__(self, editable: te.EditableTemplate, section: te.EditableSection, code: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.editable, self.section, self.code = editable, section, code
        self.result_code: str | None = None
        self.removed_checks: list[str] = []
        table = editable.table(code) if code else None
        self.setWindowTitle(f"Sửa bảng: {table.get('title', code)}" if table else
                            f"Thêm bảng số liệu vào mục {section.heading}")
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        intro = QLabel("Bảng gồm các dòng và các cột; người viết báo cáo nhập một số vào mỗi ô. Mã dòng, mã cột do "
                       "chương trình đặt theo tên. Đổi tên một dòng (cột) không đổi mã, nên số liệu các báo cáo đã "
                       "nhập vẫn giữ nguyên; xóa một dòng (cột) thì số đã nhập ở đó không còn ô trong phiên bản mới.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.title_edit = QLineEdit(table.get("title", "") if table else "")
        self.title_edit.setPlaceholderText("Ví dụ: Kết quả giải quyết hồ sơ thủ tục hành chính theo lĩnh vực")
        form.addRow("Tên bảng:", self.title_edit)
        layout.addLayout(form)
        body = QHBoxLayout()
        self.line_tables: dict[str, QTableWidget] = {}
        self.line_buttons: dict[str, dict[str, QPushButton]] = {}
        for key, box_title in (("rows", "Các dòng của bảng"), ("columns", "Các cột của bảng")):
            body.addWidget(self._build_lines_box(key, box_title, table), 1)
        layout.addLayout(body, 1)
        hint = QLabel("Dòng tổng (cột tổng): chương trình kiểm tra nó bằng tổng các dòng (cột) còn lại.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        layout.addWidget(hint)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(buttons.StandardButton.Ok).setText("Lưu bảng" if table else "Thêm bảng")
        buttons.accepted.connect(self.accept_table)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _build_lines_box(self, key: str, box_title: str, table: dict | None) -> QGroupBox:
        word = te.LINE_WORDS[key]
        box = QGroupBox(box_title)
        box_layout = QVBoxLayout(box)
        widget = row_table(LINE_HEADERS[key], read_only=False)  # the name (LABEL) column stretches
        widget.setObjectName(f"{key}_table")
        widget.itemChanged.connect(lambda item, k=key: self._item_changed(k, item))
        self.line_tables[key] = widget
        box_layout.addWidget(widget, 1)
        total = (table or {}).get("total_row" if key == "rows" else "total_column")
        for line in (table or {}).get(key) or []:
            self.add_line(key, line.get("label", ""), line.get("unit", ""), line.get("code", ""),
                          total=bool(total) and line.get("code") == total, edit=False)
        row = QHBoxLayout()
        add_text, remove_text = LINE_BUTTONS[key]
        buttons = {"add": QPushButton(add_text), "remove": QPushButton(remove_text),
                   "up": QPushButton("↑ Lên"), "down": QPushButton("↓ Xuống")}
        move_keys = ("Alt+Up", "Alt+Down") if key == "rows" else ("Alt+Shift+Up", "Alt+Shift+Down")
        for move, move_key in zip((buttons["up"], buttons["down"]), move_keys):
            move.setShortcut(QKeySequence(move_key))
            move.setToolTip(f"Chuyển {word} đang chọn {'lên' if move is buttons['up'] else 'xuống'} ({move_key})")
        buttons["add"].clicked.connect(lambda: self.add_line(key))
        buttons["remove"].clicked.connect(lambda: self.remove_line(key))
        buttons["up"].clicked.connect(lambda: self.move_line(key, -1))
        buttons["down"].clicked.connect(lambda: self.move_line(key, 1))
        for button in buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        self.line_buttons[key] = buttons
        box_layout.addLayout(row)
        return box

    # -- lines -------------------------------------------------------------------------------------------
    def add_line(self, key: str, label: str = "", unit: str = "", code: str = "", total: bool = False,
                 edit: bool = True) -> int:
        """Append a row (key "rows") or column; a new one (no code) starts editing its name."""
        widget = self.line_tables[key]
        widget.blockSignals(True)
        index = widget.rowCount()
        widget.insertRow(index)
        if not label and edit:
            label = f"{te.LINE_WORDS[key].capitalize()} mới {index + 1}"
        label_item = QTableWidgetItem(label)
        label_item.setData(Qt.ItemDataRole.UserRole, code)
        widget.setItem(index, LABEL, label_item)
        widget.setItem(index, UNIT, QTableWidgetItem(unit))
        total_item = QTableWidgetItem()
        total_item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        total_item.setCheckState(Qt.CheckState.Checked if total else Qt.CheckState.Unchecked)
        widget.setItem(index, TOTAL, total_item)
        code_item = QTableWidgetItem(code or NEW_CODE_TEXT)
        code_item.setFlags(code_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        code_item.setForeground(QBrush(QColor("#555555")))
        if not code:
            code_item.setToolTip("Mã được đặt theo tên khi lưu bảng.")
        widget.setItem(index, CODE, code_item)
        widget.blockSignals(False)
        if edit:
            widget.setCurrentCell(index, LABEL)
            widget.editItem(label_item)
        return index

    def remove_line(self, key: str) -> bool:
        widget = self.line_tables[key]
        index = widget.currentRow()
        if index < 0:
            return False
        widget.removeRow(index)
        if widget.rowCount():
            widget.setCurrentCell(min(index, widget.rowCount() - 1), LABEL)
        return True

    def move_line(self, key: str, step: int) -> bool:
        widget = self.line_tables[key]
        index = widget.currentRow()
        target = index + step
        if index < 0 or not 0 <= target < widget.rowCount():
            return False
        widget.blockSignals(True)
        items = [widget.takeItem(index, c) for c in range(4)]
        others = [widget.takeItem(target, c) for c in range(4)]
        for column in range(4):
            widget.setItem(target, column, items[column])
            widget.setItem(index, column, others[column])
        widget.blockSignals(False)
        widget.setCurrentCell(target, LABEL)
        return True

    def _item_changed(self, key: str, item: QTableWidgetItem) -> None:
        if item.column() != TOTAL or item.checkState() != Qt.CheckState.Checked:
            return
        widget = self.line_tables[key]  # one total row (column) at most
        widget.blockSignals(True)
        for index in range(widget.rowCount()):
            if index != item.row():
                widget.item(index, TOTAL).setCheckState(Qt.CheckState.Unchecked)
        widget.blockSignals(False)

    def lines(self, key: str) -> list[dict]:
        widget = self.line_tables[key]
        out = []
        for index in range(widget.rowCount()):
            label_item = widget.item(index, LABEL)
            out.append({"code": label_item.data(Qt.ItemDataRole.UserRole) or "", "label": label_item.text(),
                        "unit": widget.item(index, UNIT).text(),
                        "total": widget.item(index, TOTAL).checkState() == Qt.CheckState.Checked})
        return out

    def line_labels(self, key: str) -> list[str]:
        return [line["label"] for line in self.lines(key)]

    def line_codes(self, key: str) -> list[str]:
        widget = self.line_tables[key]
        return [widget.item(i, CODE).text() for i in range(widget.rowCount())]

    # -- save ----------------------------------------------------------------------------------------------
    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def accept_table(self) -> bool:
        for widget in self.line_tables.values():  # a name still being typed counts
            widget.setCurrentItem(None)
        title, rows, columns = self.title_edit.text(), self.lines("rows"), self.lines("columns")
        try:
            if self.code is None:
                self.result_code = self.editable.add_table(self.section, title, rows, columns)
            else:
                _, broken = self.editable.preview_table(self.code, title, rows, columns)
                if broken and not ask_yes_no(
                        self, "Xóa dòng, cột đang được kiểm tra",
                        f"Dòng hoặc cột bị xóa đang được dùng trong kiểm tra: {', '.join(broken)}. "
                        f"Lưu bảng sẽ xóa luôn các kiểm tra này. Tiếp tục?"):
                    return False
                self.removed_checks = self.editable.update_table(self.code, title, rows, columns)
                self.result_code = self.code
        except ServiceError as exc:
            self._show_error(str(exc))
            return False
        self.accept()
        return True


# == general information of the template ===============================================================
class TemplateInfoPane(QWidget):
    """Name and document header of the template; each change is written to the editable copy at once."""

    changed = Signal()

    def __init__(self, editable: te.EditableTemplate, parent: QWidget | None = None):
        super().__init__(parent)
        self.editable = editable
        layout = QVBoxLayout(self)
        intro = QLabel("Các thông tin này in ở đầu và cuối văn bản của mọi báo cáo làm theo mẫu. Để trống ô nào thì "
                       "chương trình dùng cách ghi thông thường (chữ mờ trong ô).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        blanks = QLabel("Trong trích yếu và câu kết, chương trình tự điền các chỗ trống: " + ", ".join(
            f"{{{name}}} {label}" for name, label in te.PATTERN_FIELDS.items()) + ".")
        blanks.setWordWrap(True)
        blanks.setStyleSheet("color: #555555;")
        layout.addWidget(blanks)
        form = QFormLayout()
        self.name_edit = QLineEdit(editable.name)
        self.name_edit.setPlaceholderText("Ví dụ: Báo cáo sơ kết 6 tháng")
        self.name_edit.textChanged.connect(self._name_changed)
        form.addRow("Tên mẫu:", self.name_edit)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        placeholders = {"title": te.HEADER_DEFAULTS["title"],
                        "summary": "Ví dụ: Kết quả công tác tuần từ ngày {start_dm} đến ngày {end}",
                        "closing": "Ví dụ: Trên đây là báo cáo của {unit_name}./.",
                        "doc_type": te.HEADER_DEFAULTS["doc_type"] + " (in trong số hiệu: 430-BC/ĐU)",
                        "signer_on_behalf": te.HEADER_DEFAULTS["signer_on_behalf"],
                        "recipients": "- Ban Thường vụ Huyện ủy (b/c),\n- Lưu Văn phòng."}
        labels = {"title": "Tiêu đề văn bản:", "summary": "Trích yếu:", "closing": "Câu kết:",
                  "doc_type": "Loại văn bản:", "signer_on_behalf": "Thay mặt (trên chữ ký):",
                  "recipients": "Nơi nhận\n(mỗi dòng một nơi):"}
        for key in te.HEADER_KEYS:
            if key in ("summary", "closing", "recipients"):
                edit = plain_edit(3)
                if key == "recipients":  # the list may be long: this box takes the room left
                    edit.setMaximumHeight(16777215)
                edit.setPlainText(editable.header_text(key))
                edit.textChanged.connect(lambda k=key, e=edit: self._header_changed(k, e.toPlainText()))
            else:
                edit = QLineEdit(editable.header_text(key))
                edit.textChanged.connect(lambda text, k=key: self._header_changed(k, text))
            edit.setObjectName(f"header_{key}")
            edit.setPlaceholderText(placeholders[key])
            self.edits[key] = edit
            form.addRow(labels[key], edit)
        layout.addLayout(form, 1)

    def set_text(self, key: str, text: str) -> None:
        """Fill one box as if typed (tests; the form's own boxes call the same code)."""
        edit = self.edits[key]
        if isinstance(edit, QPlainTextEdit):
            edit.setPlainText(text)
        else:
            edit.setText(text)

    def _name_changed(self, text: str) -> None:
        if text != self.editable.name:
            self.editable.name = text
            self.changed.emit()

    def _header_changed(self, key: str, text: str) -> None:
        self.editable.set_header(key, text)
        self.changed.emit()


__all__ = ["TableDialog", "TemplateInfoPane"]
