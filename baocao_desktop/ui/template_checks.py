"""Template editor, the "Kiểm tra số liệu" tab: the template's checks (code, kind, what they compare),
adding one with CheckDialog (kind, the fields compared, how serious; validated at once) and removing
one. ChecksMixin is part of TemplateEditorDialog (ui/template_editor.py).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import template_editing as te
from ..services.errors import ServiceError
from ..templates.model import TemplateError
from ..templates.numbering import fold
from .common import button_box, error_banner
from .template_fields import button_box_flags

CHECK_HEADERS = ("Mã", "Loại kiểm tra", "Nội dung")


def check_summary(check: dict) -> str:
    """One line saying what a check compares, with the template's own names."""
    parts = []
    for key, value in check.items():
        if key in ("code", "kind", "severity", "missing"):
            continue
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{te.PARAM_LABELS.get(key, 'Ghi chú' if key == 'hint' else key)}: {text}")
    return "; ".join(parts)



class CheckDialog(QDialog):
    """Add one check: its kind, the fields it compares (picked from the list on the right), how serious.
    The check is validated against the template at once; a refused one shows the validator's message."""

    def __init__(self, editable: te.EditableTemplate, parent: QWidget | None = None):
        super().__init__(parent)
        self.editable = editable
        self.added: dict | None = None
        self.setWindowTitle("Thêm kiểm tra số liệu")
        self.resize(940, 540)
        layout = QVBoxLayout(self)
        body = QHBoxLayout()
        left = QVBoxLayout()
        form = QFormLayout()
        self.kind_combo = QComboBox()
        for kind in te.RULE_KINDS:
            self.kind_combo.addItem(te.RULE_KIND_LABELS.get(kind, kind), kind)
        self.kind_combo.currentIndexChanged.connect(self._rebuild_params)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("để trống: chương trình tự đặt")
        self.severity_combo = QComboBox()
        for key, label in te.SEVERITY_LABELS.items():
            self.severity_combo.addItem(label, key)
        self.hint_edit = QLineEdit()
        self.hint_edit.setPlaceholderText("Ví dụ: Hồ sơ tiếp nhận phải bằng đã giải quyết + đang giải quyết")
        form.addRow("Loại kiểm tra:", self.kind_combo)
        form.addRow("Mã kiểm tra:", self.code_edit)
        left.addLayout(form)
        self.params_box = QGroupBox("Các trường được so sánh")
        self.params_form = QFormLayout(self.params_box)
        left.addWidget(self.params_box)
        tail = QFormLayout()
        tail.addRow("Mức khi sai:", self.severity_combo)
        tail.addRow("Hướng dẫn sửa:", self.hint_edit)
        left.addLayout(tail)
        left.addStretch(1)
        body.addLayout(left, 3)

        right = QVBoxLayout()
        right.addWidget(QLabel("Trường có thể dùng (bấm đúp để đưa vào ô đang chọn):"))
        self.field_search = QLineEdit()
        self.field_search.setPlaceholderText("Tìm trường…")
        self.field_search.setClearButtonEnabled(True)
        self.field_search.textChanged.connect(self._fill_fields)
        right.addWidget(self.field_search)
        self.field_list = QListWidget()
        self.field_list.itemDoubleClicked.connect(self._insert_field)
        right.addWidget(self.field_list, 1)
        body.addLayout(right, 2)
        layout.addLayout(body, 1)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        buttons = button_box(button_box_flags())
        buttons.button(buttons.StandardButton.Ok).setText("Thêm kiểm tra")
        buttons.accepted.connect(self.accept_check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.param_edits: dict[str, QLineEdit] = {}
        self._last_edit: QLineEdit | None = None
        self._choices = editable.field_choices()
        self._fill_fields()
        self._rebuild_params()

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def _rebuild_params(self) -> None:
        while self.params_form.rowCount():
            self.params_form.removeRow(0)
        self.param_edits = {}
        kind = self.kind_combo.currentData()
        _, spec = te.RULE_KINDS[kind]
        optional = te.RULE_OPTIONAL.get(kind, ())
        for param, shape in spec.items():
            edit = QLineEdit()
            edit.setObjectName(f"param_{param}")
            hint = {"ref": "một trường, ví dụ: tthc_tiep_nhan.actual",
                    "refs": "nhiều trường, cách nhau dấu phẩy",
                    "text": "", "fact": "mã dữ kiện hồ sơ, ví dụ: tong_dang_vien",
                    "table": "mã bảng", "column": "mã cột", "columns": "các mã cột, cách nhau dấu phẩy"}[shape]
            if param == "expr":
                hint = "ví dụ: a.actual + b.actual <= c.actual"
            if param in optional:
                hint = (hint + " (có thể để trống)").strip()
            edit.setPlaceholderText(hint)
            edit.installEventFilter(self)
            self.param_edits[param] = edit
            self.params_form.addRow(te.PARAM_LABELS.get(param, param) + ":", edit)
        self._last_edit = next(iter(self.param_edits.values()), None)

    def eventFilter(self, watched, event):  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self._last_edit = watched
        return super().eventFilter(watched, event)

    def _fill_fields(self) -> None:
        self.field_list.clear()
        words = fold(self.field_search.text()).split()
        for name, label in self._choices:
            if all(w in fold(f"{label} {name}") for w in words):
                item = QListWidgetItem(f"{label} — {name}")
                item.setData(Qt.ItemDataRole.UserRole, name)
                self.field_list.addItem(item)

    def _insert_field(self, item: QListWidgetItem) -> None:
        edit = self._last_edit
        if edit is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        param = next(p for p, e in self.param_edits.items() if e is edit)
        shape = te.RULE_KINDS[self.kind_combo.currentData()][1][param]
        if shape == "refs" and edit.text().strip():
            edit.setText(f"{edit.text().rstrip(', ')}, {name}")
        elif shape == "text":
            edit.insert(name)
        else:
            edit.setText(name)
        edit.setFocus()

    def accept_check(self) -> bool:
        try:
            data = te.check_from_form(self.kind_combo.currentData(), self.code_edit.text(),
                                      {p: e.text() for p, e in self.param_edits.items()},
                                      self.severity_combo.currentData(), self.hint_edit.text())
            self.added = self.editable.add_check(data)
        except (TemplateError, ServiceError) as exc:
            self.error_label.setText(f"Chưa thêm được kiểm tra này: {exc}")
            self.error_label.show()
            return False
        self.accept()
        return True


# == the checks tab of the editor ===================================================================
class ChecksMixin:
    """The checks tab of TemplateEditorDialog: its widgets, what they show and the edits they send."""

    def _build_checks_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        intro = QLabel("Các kiểm tra chạy mỗi khi nhập số liệu vào báo cáo làm theo mẫu này (tổng bằng các phần, "
                       "tỷ lệ, khớp hồ sơ đơn vị…).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.checks_table = QTableWidget(0, len(CHECK_HEADERS))
        self.checks_table.setHorizontalHeaderLabels(CHECK_HEADERS)
        self.checks_table.verticalHeader().setVisible(False)
        self.checks_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.checks_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checks_table.setWordWrap(True)
        header = self.checks_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.checks_table, 1)
        row = QHBoxLayout()
        self.add_check_button = QPushButton("Thêm &kiểm tra…")
        self.add_check_button.clicked.connect(self.open_check_dialog)
        self.remove_check_button = QPushButton("Xóa kiểm t&ra")
        self.remove_check_button.clicked.connect(lambda: self.remove_selected_check())
        row.addWidget(self.add_check_button)
        row.addWidget(self.remove_check_button)
        row.addStretch(1)
        layout.addLayout(row)
        return pane


    def refresh_checks(self) -> None:
        checks = self.editable.checks
        self.checks_table.setRowCount(len(checks))
        for row, check in enumerate(checks):
            values = (check.get("code", ""), te.RULE_KIND_LABELS.get(check.get("kind"), str(check.get("kind"))),
                      check_summary(check))
            for column, text in enumerate(values):
                self.checks_table.setItem(row, column, QTableWidgetItem(text))
        self.checks_table.resizeRowsToContents()
        self.tabs.setTabText(1, f"Kiểm tra số liệu ({len(checks)})")
        self.remove_check_button.setEnabled(bool(checks))

    def open_check_dialog(self) -> CheckDialog:
        dialog = CheckDialog(self.editable, self)
        dialog.accepted.connect(self._check_added)
        dialog.open()  # window-modal, not a nested event loop
        return dialog

    def _check_added(self) -> None:
        self._touch()
        self.refresh_checks()

    def remove_selected_check(self) -> bool:
        row = self.checks_table.currentRow()
        if row < 0:
            return False
        self.editable.remove_check(self.checks_table.item(row, 0).text())
        self._touch()
        self.refresh_checks()
        return True
