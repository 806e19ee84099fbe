"""Template editor (issue 3): the section tree on the left, the selected section on the right (title,
guidance, example, indicator fields, tables), the template's checks in a second tab and its general
information (name, document header, recipients) in a third; saving validates the whole template and
installs it as a NEW version (reports keep the version they were made with). The table form and the
general-information form are in ui/template_table_editor.py.

Also the two entry points of the main window's Mẫu menu: open_template_manager (ui/template_manager.py)
and open_outline_import (a .docx/.txt outline → a draft opened here, suggested fields marked).
The logic lives in services/template_editing.py; this module only shows it.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings, QStandardPaths, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import template_editing as te
from ..services.errors import ServiceError
from ..templates.model import INDICATOR_KINDS, TemplateError
from ..templates.outline import fold
from .common import (
    ask_yes_no,
    button_box,
    error_banner,
    heading_label_style,
    plain_edit,
    row_table,
    show_error,
    show_info,
)
from .template_table_editor import TableDialog, TemplateInfoPane

SUGGESTION_BACKGROUND = QColor("#fff4c2")
SUGGESTION_MARK = "Gợi ý"
FIELD_HEADERS = ("Tên chỉ tiêu", "Đơn vị", "Loại", "Kế hoạch", "Lũy kế", "Mã")
CHECK_HEADERS = ("Mã", "Loại kiểm tra", "Nội dung")
TABLE_HEADERS = ("Tên bảng", "Dòng × cột", "Mã")



def check_summary(check: dict) -> str:
    """One line saying what a check compares, with the template's own names."""
    parts = []
    for key, value in check.items():
        if key in ("code", "kind", "severity", "missing"):
            continue
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{te.PARAM_LABELS.get(key, 'Ghi chú' if key == 'hint' else key)}: {text}")
    return "; ".join(parts)


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


# == the editor ===================================================================================
class TemplateEditorDialog(QDialog):
    """Edit a copy of a template (or an outline draft); `save()` installs it as the next version."""

    saved = Signal(object)  # the installed Template

    def __init__(self, workspace, editable: te.EditableTemplate, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.editable = editable
        self.dirty = editable.is_new
        self.saved_template = None
        self._loading = False
        self._section: te.EditableSection | None = None
        self.setWindowTitle("Soạn mẫu báo cáo" if editable.is_new else f"Sửa mẫu: {editable.name}")
        self.resize(1180, 720)
        layout = QVBoxLayout(self)

        # -- the template's identity ------------------------------------------------------------
        top = QHBoxLayout()
        form = QFormLayout()
        self.name_edit = QLineEdit(editable.name)
        self.name_edit.textChanged.connect(self._name_changed)
        form.addRow("Tên mẫu:", self.name_edit)
        top.addLayout(form, 3)
        form2 = QFormLayout()
        self.code_edit = QLineEdit(editable.code)
        self.code_edit.setReadOnly(not editable.is_new)
        self.code_edit.setToolTip("Mã mẫu: chữ thường không dấu, số, gạch dưới. Mẫu đã cài giữ nguyên mã; "
                                  "mỗi lần lưu thành một phiên bản mới.")
        self.code_edit.textChanged.connect(self._code_changed)
        form2.addRow("Mã mẫu:", self.code_edit)
        top.addLayout(form2, 2)
        form3 = QFormLayout()
        self.period_combo = QComboBox()
        for kind, label in te.PERIOD_LABELS.items():
            self.period_combo.addItem(label, kind)
        self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(editable.period)))
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        form3.addRow("Kỳ báo cáo:", self.period_combo)
        top.addLayout(form3, 2)
        layout.addLayout(top)
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        layout.addWidget(self.version_label)
        self.suggestion_label = QLabel(
            "Chỉ tiêu nền vàng là gợi ý tự động từ đề cương: xem lại tên, đơn vị, loại; bấm “Giữ chỉ tiêu gợi ý” "
            "nếu đúng, hoặc “Xóa chỉ tiêu” nếu thừa.")
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setStyleSheet("background: #fff4c2; border: 1px solid #e6c94c; border-radius: 4px;"
                                            " padding: 5px 8px;")
        layout.addWidget(self.suggestion_label)

        # -- left: section tree -----------------------------------------------------------------
        splitter = QSplitter(Qt.Orientation.Horizontal)
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
        self.add_button = QPushButton("Thêm mục")
        self.add_button.setToolTip("Thêm một mục ngang hàng, ngay dưới mục đang chọn")
        self.add_button.clicked.connect(self.add_section)
        self.add_child_button = QPushButton("Thêm mục con")
        self.add_child_button.clicked.connect(self.add_child_section)
        self.remove_button = QPushButton("Xóa mục…")
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
        for button in (self.up_button, self.down_button, self.outdent_button, self.indent_button):
            moves.addWidget(button)
        left_layout.addLayout(moves)
        splitter.addWidget(left)

        # -- right: the section, and the checks -------------------------------------------------
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_section_pane(), "Mục đang chọn")
        self.tabs.addTab(self._build_checks_pane(), "Kiểm tra số liệu")
        self.info_pane = TemplateInfoPane(editable)
        self.info_pane.changed.connect(self._touch)
        self.info_pane.name_edit.textChanged.connect(
            lambda text: self.name_edit.setText(text) if text != self.name_edit.text() else None)
        self.tabs.addTab(self.info_pane, "Thông tin chung của mẫu")
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 720])
        layout.addWidget(splitter, 1)

        # -- save --------------------------------------------------------------------------------
        self.error_label = error_banner()
        self.error_scroll = QScrollArea()
        self.error_scroll.setWidgetResizable(True)
        self.error_scroll.setWidget(self.error_label)
        self.error_scroll.setMaximumHeight(150)
        self.error_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.error_scroll.hide()
        layout.addWidget(self.error_scroll)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.save_button = QPushButton("Lưu thành phiên bản mới")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton("Đóng")
        self.close_button.clicked.connect(self.close)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self._update_version_label()
        self.rebuild_tree()
        self.refresh_checks()

    # -- building the right pane -------------------------------------------------------------------
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
        fields_box = QGroupBox("Chỉ tiêu số liệu của mục")
        fields_layout = QVBoxLayout(fields_box)
        self.fields_table = row_table(FIELD_HEADERS, read_only=False)
        self.fields_table.itemChanged.connect(self._field_item_changed)
        fields_layout.addWidget(self.fields_table, 1)
        row = QHBoxLayout()
        self.pick_button = QPushButton("Thêm từ từ điển…")
        self.pick_button.clicked.connect(self.pick_dictionary_field)
        self.new_field_button = QPushButton("Thêm chỉ tiêu mới…")
        self.new_field_button.clicked.connect(self.new_field)
        self.confirm_button = QPushButton("Giữ chỉ tiêu gợi ý")
        self.confirm_button.clicked.connect(self.confirm_selected_field)
        self.remove_field_button = QPushButton("Xóa chỉ tiêu")
        self.remove_field_button.clicked.connect(lambda: self.remove_selected_field())
        for button in (self.pick_button, self.new_field_button, self.confirm_button, self.remove_field_button):
            row.addWidget(button)
        row.addStretch(1)
        fields_layout.addLayout(row)
        layout.addWidget(fields_box, 1)
        layout.addWidget(self._build_tables_box())
        return pane

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
        self.add_table_button = QPushButton("Thêm bảng…")
        self.add_table_button.clicked.connect(lambda: self.open_table_dialog())
        self.edit_table_button = QPushButton("Sửa bảng…")
        self.edit_table_button.clicked.connect(lambda: self.edit_selected_table())
        self.remove_table_button = QPushButton("Xóa bảng")
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
        self.add_check_button = QPushButton("Thêm kiểm tra…")
        self.add_check_button.clicked.connect(self.open_check_dialog)
        self.remove_check_button = QPushButton("Xóa kiểm tra")
        self.remove_check_button.clicked.connect(lambda: self.remove_selected_check())
        row.addWidget(self.add_check_button)
        row.addWidget(self.remove_check_button)
        row.addStretch(1)
        layout.addLayout(row)
        return pane

    # -- header fields ------------------------------------------------------------------------------
    def _name_changed(self, text: str) -> None:
        self.editable.name = text
        pane = getattr(self, "info_pane", None)
        if pane is not None and pane.name_edit.text() != text:
            pane.name_edit.setText(text)
        self._touch()

    def _code_changed(self, text: str) -> None:
        self.editable.code = text.strip()
        self._update_version_label()
        self._touch()

    def _period_changed(self) -> None:
        self.editable.period = self.period_combo.currentData()
        self._touch()

    def _touch(self) -> None:
        self.dirty = True

    def _update_version_label(self) -> None:
        code = self.editable.code
        try:
            version = te.next_version(self.workspace, code)
        except Exception:  # a closed database: the label is only informative
            version = self.editable.base_version + 1
        if self.editable.is_new:
            text = f"Mẫu mới, sẽ lưu thành phiên bản {version}."
        else:
            text = (f"Đang sửa bản sao của phiên bản {self.editable.base_version}. Khi lưu, mẫu thành phiên bản "
                    f"{version}; các báo cáo đã làm theo phiên bản cũ giữ nguyên, không đổi.")
        self.version_label.setText(text)

    # -- tree -----------------------------------------------------------------------------------------
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

    # -- fields -------------------------------------------------------------------------------------
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

    # -- tables -------------------------------------------------------------------------------------
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

    # -- checks -------------------------------------------------------------------------------------
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

    # -- save / close -------------------------------------------------------------------------------
    def save(self):
        """Validate everything and install as the next version; every problem is listed if refused.
        Fields, rows, columns or tables removed although reports already hold figures there are announced
        first."""
        try:
            lost = [] if te.problems(self.editable, self.workspace) else te.removed_filled_lines(
                self.workspace, self.editable)
        except ServiceError:
            lost = []
        if lost and not ask_yes_no(
                self, "Xóa chỗ đã có số liệu",
                "Phiên bản mới bỏ những chỗ các báo cáo đã nhập số liệu:\n"
                + "\n".join(f"• {line}" for line in lost)
                + "\n\nCác báo cáo đó vẫn giữ phiên bản mẫu cũ cùng toàn bộ số liệu. Nếu sau này chuyển một báo cáo "
                  "sang phiên bản mới, các số này không còn ô để ghi và được đưa vào mục “Nội dung chưa xếp mục”. "
                  "Vẫn lưu phiên bản mới?"):
            return None
        try:
            template = te.save_new_version(self.workspace, self.editable)
        except te.TemplateInvalid as exc:
            self.error_label.setText("Chưa lưu: hãy sửa các lỗi sau rồi lưu lại.\n"
                                     + "\n".join(f"• {p}" for p in exc.problems))
            self.error_label.show()
            self.error_scroll.show()
            return None
        except (ServiceError, TemplateError) as exc:
            self.error_label.setText(f"Chưa lưu: {exc}")
            self.error_label.show()
            self.error_scroll.show()
            return None
        self.error_scroll.hide()
        self.error_label.hide()
        self.dirty = False
        self.saved_template = template
        self.saved.emit(template)
        self.code_edit.setReadOnly(True)
        self._update_version_label()
        show_info(self, "Đã lưu mẫu", f"Đã lưu mẫu “{template.name}” phiên bản {template.version}.",
                  "Báo cáo mới sẽ dùng phiên bản này. Các báo cáo đã làm theo phiên bản cũ giữ nguyên.")
        self.accept()
        return template

    def reject(self) -> None:  # Esc goes through the same question
        if self.dirty and self.saved_template is None and not ask_yes_no(
                self, "Đóng mà không lưu?", "Mẫu có thay đổi chưa lưu. Đóng và bỏ các thay đổi này?"):
            return
        self.dirty = False
        super().reject()


# == entry points of the main window =================================================================
def open_editor(parent, workspace, editable: te.EditableTemplate, on_saved=None) -> TemplateEditorDialog:
    """A window-modal editor; `on_saved(template)` runs after a successful save."""
    dialog = TemplateEditorDialog(workspace, editable, parent)
    if on_saved is not None:
        dialog.saved.connect(on_saved)
    dialog.open()
    return dialog


def choose_outline_file(parent) -> str:
    settings = QSettings()
    folder = settings.value("outline/dir") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getOpenFileName(parent, "Chọn tệp đề cương", folder or "",
                                          "Đề cương (*.docx *.txt);;Tất cả các tệp (*)")
    if path:
        from pathlib import Path
        settings.setValue("outline/dir", str(Path(path).parent))
    return path


def import_outline(parent, workspace, path, on_saved=None) -> TemplateEditorDialog | None:
    """Read the outline and open the draft in the editor; a bad file gets a Vietnamese message."""
    from ..templates.outline import outline_from_file
    try:
        editable = te.from_outline(outline_from_file(path))
    except TemplateError as exc:
        show_error(parent, "Không đọc được đề cương", str(exc))
        return None
    return open_editor(parent, workspace, editable, on_saved)


def open_outline_import(window) -> TemplateEditorDialog | None:
    workspace = getattr(window, "workspace", None)
    if workspace is None:
        return None
    path = choose_outline_file(window)
    if not path:
        return None
    return import_outline(window, workspace, path)


def open_template_manager(window):
    from .template_manager import open_template_manager as open_manager
    return open_manager(window)


__all__ = ["TemplateEditorDialog", "CheckDialog", "DictionaryPickerDialog", "NewFieldDialog",
           "open_template_manager", "open_outline_import", "import_outline"]
