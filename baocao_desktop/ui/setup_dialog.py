"""The unit's details, signers and dated profile facts (first run, and menu "Đơn vị → Thông tin đơn vị…")."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.dates import DateError, format_date, parse_date
from ..domain.errors import UserError
from ..domain.numbers import NumberFormatError, format_number, parse_figure
from ..services.errors import ServiceError
from ..templates.dictionary import fact_rule
from .common import error_banner, button_box, from_qdate, scrolled, to_qdate
from .help_window import link_help
from .errors import failure_of

LEVEL_CHOICES = ("xã", "phường", "đặc khu")
FORMAT_CHOICES = (("Văn bản Đảng", "party"), ("Văn bản Nhà nước", "state"))
# Common profile facts: (code, label, unit). Any other label gets a code derived from it.
KNOWN_FACTS = (
    ("dien_tich_tu_nhien", "Diện tích tự nhiên", "km²"),
    ("dan_so", "Dân số", "người"),
    ("so_ho", "Số hộ", "hộ"),
    ("so_thon", "Số thôn", "thôn"),
    ("so_dan_toc", "Số dân tộc", "dân tộc"),
    ("lao_dong_trong_do_tuoi", "Lao động trong độ tuổi", "người"),
    ("tong_dang_vien", "Tổng số đảng viên", "đảng viên"),
    ("so_chi_bo", "Số chi bộ trực thuộc", "chi bộ"),
    ("so_can_bo", "Số cán bộ, công chức", "người"),
    ("xa_cu", "Số xã (cũ) hợp nhất", "xã"),
)
NAMES_SEPARATOR = ";"  # the names a fact counts, typed in one cell: "Xã Lùng Phình (cũ); Xã Tả Van Chư (cũ)"
FOUNDED_UNKNOWN = QDate(1900, 1, 1)
DEFAULT_FOUNDED = QDate(2025, 7, 1)  # the two-level local government started on 01/7/2025
ERROR_BRUSH = QBrush(QColor("#fde2e1"))
SAVED_BRUSH = QBrush(QColor("#f1f3f5"))
DEMO_BUTTON_TEXT = "Dùng dữ liệu &mẫu (xã Lùng Phình)"
NEEDED_MARK = " •"  # after the label of what a report needs before it is signed
NEEDED_NOTE = ("Các mục có dấu • cần có trước khi ký báo cáo (in ở phần đầu và khối chữ ký của văn bản). "
               "Có thể để trống và bổ sung sau ở menu Đơn vị → “Thông tin đơn vị…”: khi trình ký, "
               "báo cáo sẽ nhắc những mục còn thiếu.")


def fact_code(label: str) -> str:
    """A stable ASCII code for a fact label: "Số hộ nghèo" → "so_ho_ngheo"."""
    text = label.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


class SetupDialog(QDialog):
    """Edits the own unit; `accept()` saves everything in one transaction or nothing at all."""

    COL_LABEL, COL_VALUE, COL_UNIT, COL_AS_OF, COL_NAMES = range(5)

    def __init__(self, workspace, parent: QWidget | None = None, first_run: bool = False):
        super().__init__(parent)
        self.workspace = workspace
        self.first_run = first_run
        self.demo_loaded = False
        self._deleted_fact_ids: list[str] = []
        unit = workspace.own_unit()
        self.setWindowTitle("Thiết lập đơn vị" if unit is None else "Thông tin đơn vị")
        self.setModal(True)
        self.resize(860, 600)

        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        title = QLabel("Chào mừng đến với BaoCao" if first_run else "Thông tin đơn vị")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        outer.addWidget(title)
        intro = QLabel("Nhập thông tin đơn vị một lần. Báo cáo dùng các thông tin này cho phần đầu văn bản, "
                       "dòng địa danh, ngày tháng, chữ ký và để đối chiếu số liệu.")
        intro.setWordWrap(True)
        outer.addWidget(link_help(intro, "bat-dau"))

        self.demo_button: QPushButton | None = None
        if unit is None:
            outer.addWidget(self._build_demo_banner())

        # three steps, one screen each (a laptop at 125% has ~610 px of height for a dialog): the unit, who
        # signs, the dated profile facts; Lưu saves all three from any step
        self.step_label = QLabel()
        self.step_label.setObjectName("stepLabel")
        self.step_label.setStyleSheet("QLabel#stepLabel { color: #1f5fa8; font-weight: 600; }")
        outer.addWidget(self.step_label)
        self.steps = QStackedWidget()
        unit_page = QWidget()
        unit_layout = QVBoxLayout(unit_page)
        unit_layout.setContentsMargins(0, 0, 0, 0)
        unit_layout.addWidget(self._build_unit_group(unit))
        self.needed_note = QLabel(NEEDED_NOTE)
        self.needed_note.setWordWrap(True)
        self.needed_note.setStyleSheet("color: #555;")
        unit_layout.addWidget(self.needed_note)
        unit_layout.addStretch(1)
        for page in (unit_page, self._build_signers_group(), self._build_facts_group()):
            self.steps.addWidget(scrolled(page))
        outer.addWidget(self.steps, 1)
        outer.addWidget(self.missing_label)  # dialog-wide: what signing still needs, whichever step is shown

        self.error_label = error_banner()
        outer.addWidget(self.error_label)

        row = QHBoxLayout()
        self.back_button = QPushButton("‹ &Quay lại")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(lambda: self.go_to_step(self.steps.currentIndex() - 1))
        self.next_button = QPushButton("Tiế&p theo ›")
        self.next_button.clicked.connect(lambda: self.go_to_step(self.steps.currentIndex() + 1))
        row.addWidget(self.back_button)
        row.addWidget(self.next_button)
        row.addStretch(1)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row.addWidget(self.buttons)
        outer.addLayout(row)
        self.go_to_step(0)
        for edit in (self.symbol_edit, self.place_edit, self.upper_edit):
            edit.textChanged.connect(self.show_missing)
        self.signers_table.itemChanged.connect(self.show_missing)
        self.signers_table.model().rowsRemoved.connect(self.show_missing)

        self._load_signers()
        self._load_facts()
        self.show_missing()
        self.name_edit.setFocus()

    # -- steps -----------------------------------------------------------------------------------
    STEP_TITLES = ("Đơn vị", "Người ký", "Hồ sơ đơn vị")

    def go_to_step(self, index: int) -> None:
        """Show step `index` (0 the unit, 1 the signers, 2 the profile facts)."""
        index = max(0, min(index, self.steps.count() - 1))
        self.steps.setCurrentIndex(index)
        names = "  ›  ".join(f"[{title}]" if i == index else title for i, title in enumerate(self.STEP_TITLES))
        self.step_label.setText(f"Bước {index + 1}/{self.steps.count()}: {names}")
        self.back_button.setEnabled(index > 0)
        last = index == self.steps.count() - 1
        self.next_button.setEnabled(not last)
        # Enter moves on until the last step, where it saves
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.next_button.setDefault(not last)
        save.setDefault(last)

    # -- building --------------------------------------------------------------------------------
    def _build_demo_banner(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("demoBanner")
        frame.setStyleSheet("QFrame#demoBanner { background: #e8f1fb; border: 1px solid #b6d4f2;"
                            " border-radius: 6px; }")
        row = QHBoxLayout(frame)
        row.setContentsMargins(12, 8, 12, 8)
        text = QLabel("Muốn xem thử trước? Nạp đơn vị mẫu Đảng ủy xã Lùng Phình với hai báo cáo tuần "
                      "đã điền sẵn; có thể thiết lập đơn vị thật sau, trên một tệp dữ liệu khác.")
        text.setWordWrap(True)
        row.addWidget(text, 1)
        self.demo_button = QPushButton(DEMO_BUTTON_TEXT)
        self.demo_button.setStyleSheet("QPushButton { font-weight: 600; padding: 6px 14px; }")
        self.demo_button.clicked.connect(self.load_demo)
        row.addWidget(self.demo_button)
        return frame

    def _build_unit_group(self, unit) -> QGroupBox:
        group = QGroupBox("Đơn vị")
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit(unit.name if unit else "")
        self.name_edit.setPlaceholderText("Ví dụ: Đảng ủy xã Lùng Phình")
        form.addRow("&Tên đơn vị:", self.name_edit)
        self.level_combo = QComboBox()
        self.level_combo.addItems(LEVEL_CHOICES)
        if unit and unit.level:
            if self.level_combo.findText(unit.level) < 0:
                self.level_combo.addItem(unit.level)
            self.level_combo.setCurrentText(unit.level)
        form.addRow("&Cấp:", self.level_combo)
        self.upper_edit = QLineEdit(unit.upper_body if unit else "")
        self.upper_edit.setPlaceholderText("Ví dụ: Đảng bộ tỉnh Lào Cai")
        self.upper_edit.setToolTip("In ở góc trên bên trái văn bản, trên tên đơn vị.")
        form.addRow("Cơ quan cấp t&rên:" + NEEDED_MARK, self.upper_edit)
        self.place_edit = QLineEdit(unit.place_name if unit else "")
        self.place_edit.setPlaceholderText("Ví dụ: Lùng Phình")
        self.place_edit.setToolTip("Địa danh ghi ở dòng ngày tháng: “Lùng Phình, ngày 08 tháng 6 năm 2026”.")
        form.addRow("Địa danh ghi &ngày tháng:" + NEEDED_MARK, self.place_edit)
        self.symbol_edit = QLineEdit(unit.symbol if unit else "")
        self.symbol_edit.setPlaceholderText("Ví dụ: ĐU (trong số hiệu 430-BC/ĐU)")
        self.symbol_edit.setToolTip("Ký hiệu của đơn vị trong số văn bản: “Số 430-BC/ĐU”.")
        form.addRow("&Ký hiệu:" + NEEDED_MARK, self.symbol_edit)
        self.format_combo = QComboBox()
        for label, code in FORMAT_CHOICES:
            self.format_combo.addItem(label, code)
        if unit:
            self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(unit.format)))
        form.addRow("T&hể thức:", self.format_combo)
        self.founded_edit = QDateEdit()
        self.founded_edit.setDisplayFormat("dd/MM/yyyy")
        self.founded_edit.setCalendarPopup(True)
        self.founded_edit.setMinimumDate(FOUNDED_UNKNOWN)
        self.founded_edit.setSpecialValueText("(chưa rõ)")
        if unit:
            self.founded_edit.setDate(to_qdate(unit.founded_on) if unit.founded_on else FOUNDED_UNKNOWN)
        else:
            self.founded_edit.setDate(DEFAULT_FOUNDED)
        form.addRow("Ngày thành &lập:", self.founded_edit)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet("color: #9a3412;")  # placed under the groups, dialog-wide (_build)
        return group

    def _build_signers_group(self) -> QGroupBox:
        group = QGroupBox("Người ký" + NEEDED_MARK + " (ít nhất một người, có họ tên)")
        layout = QVBoxLayout(group)
        self.signers_table = QTableWidget(0, 3)
        self.signers_table.setHorizontalHeaderLabels(["T/M …", "Chức vụ", "Họ tên"])
        header = self.signers_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.signers_table.verticalHeader().setVisible(False)
        self.signers_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.signers_table)
        row = QHBoxLayout()
        self.add_signer_button = QPushButton("Thêm &người ký")
        self.add_signer_button.clicked.connect(lambda: self.add_signer_row())
        self.remove_signer_button = QPushButton("&Xóa người ký")
        self.remove_signer_button.clicked.connect(self.remove_selected_signer)
        row.addWidget(self.add_signer_button)
        row.addWidget(self.remove_signer_button)
        row.addStretch(1)
        layout.addLayout(row)
        return group

    def _build_facts_group(self) -> QGroupBox:
        group = QGroupBox("Hồ sơ đơn vị (dữ kiện có ngày hiệu lực)")
        layout = QVBoxLayout(group)
        hint = QLabel("Mỗi dữ kiện có ngày hiệu lực: khi số liệu thay đổi, thêm dòng mới với ngày mới, "
                      "dòng cũ được giữ làm lịch sử. Số viết kiểu Việt Nam: 10.100,78.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.facts_table = QTableWidget(0, 5)
        self.facts_table.setHorizontalHeaderLabels(["Dữ kiện", "Giá trị", "Đơn vị", "Có hiệu lực từ ngày",
                                                    "Tên từng xã cũ, thôn… (cách nhau bằng ;)"])
        self.facts_table.horizontalHeaderItem(self.COL_NAMES).setToolTip(
            "Tùy chọn: tên những gì con số đếm, theo thứ tự (ví dụ Số xã (cũ) hợp nhất = 3: “Xã Lùng Phình (cũ); "
            "Xã Tả Van Chư (cũ); Xã Lùng Thẩn (cũ)”). Bảng của mẫu lấy tên dòng từ đây.")
        header = self.facts_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.COL_NAMES, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 100), (2, 90), (3, 140)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.facts_table.setColumnWidth(col, width)
        self.facts_table.verticalHeader().setVisible(False)
        self.facts_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.facts_table)
        row = QHBoxLayout()
        self.add_fact_button = QPushButton("Thêm &dữ kiện")
        self.add_fact_button.clicked.connect(lambda: self.add_fact_row())
        self.remove_fact_button = QPushButton("&Xóa dữ kiện")
        self.remove_fact_button.clicked.connect(self.remove_selected_fact)
        row.addWidget(self.add_fact_button)
        row.addWidget(self.remove_fact_button)
        row.addStretch(1)
        layout.addLayout(row)
        return group

    # -- what signing needs ------------------------------------------------------------------------
    def focus_item(self, item: str) -> None:
        """The cursor on a unit item a finding names ("symbol", "upper_body", "place_name")."""
        edit = {"symbol": self.symbol_edit, "upper_body": self.upper_edit, "place_name": self.place_edit,
                "place": self.place_edit}.get(item)
        if edit is not None:
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            edit.setStyleSheet("QLineEdit { background: #fff4d6; }")

    def missing_for_signing(self) -> list[str]:
        """The unit's items a report needs before Ký that are still empty here ("ký hiệu", …)."""
        missing = [name for name, edit in (("ký hiệu", self.symbol_edit), ("địa danh", self.place_edit),
                                           ("cơ quan cấp trên", self.upper_edit)) if not edit.text().strip()]
        table = self.signers_table
        if not any(table.item(row, 2) and table.item(row, 2).text().strip() for row in range(table.rowCount())):
            missing.append("người ký có họ tên")
        return missing

    def show_missing(self, *_) -> None:
        missing = self.missing_for_signing()
        self.missing_label.setText(f"Còn thiếu để ký báo cáo: {', '.join(missing)}." if missing else "")
        self.missing_label.setVisible(bool(missing))

    # -- signers ---------------------------------------------------------------------------------
    def _load_signers(self) -> None:
        for signer in self.workspace.signers():
            self.add_signer_row(signer.on_behalf, signer.title, signer.name, signer.id)

    def _default_on_behalf(self) -> str:
        return "T/M BAN THƯỜNG VỤ" if self.format_combo.currentData() == "party" else "TM. ỦY BAN NHÂN DÂN"

    def add_signer_row(self, on_behalf: str | None = None, title: str | None = None, name: str = "",
                       signer_id: str | None = None) -> int:
        table = self.signers_table
        row = table.rowCount()
        table.insertRow(row)
        if on_behalf is None:
            on_behalf = self._default_on_behalf()
        if title is None:
            title = "BÍ THƯ" if row == 0 else "PHÓ BÍ THƯ"
        for col, text in enumerate((on_behalf, title, name)):
            item = QTableWidgetItem(text)
            if col == 0:
                item.setData(Qt.ItemDataRole.UserRole, signer_id)
            table.setItem(row, col, item)
        if signer_id is None:
            table.setCurrentCell(row, 2)
        return row

    def remove_selected_signer(self) -> None:
        row = self.signers_table.currentRow()
        if row >= 0:
            self.signers_table.removeRow(row)

    def _collect_signers(self, errors: list[str]) -> list[dict]:
        signers = []
        table = self.signers_table
        for row in range(table.rowCount()):
            texts = [(table.item(row, c).text() if table.item(row, c) else "").strip() for c in range(3)]
            if not any(texts):
                continue
            if not texts[2]:
                errors.append(f"Người ký dòng {row + 1} chưa có họ tên.")
                self._mark(table, row, 2)
                continue
            signers.append({"id": table.item(row, 0).data(Qt.ItemDataRole.UserRole),
                            "on_behalf": texts[0], "title": texts[1], "name": texts[2]})
        return signers

    # -- facts -----------------------------------------------------------------------------------
    def _fact_choices(self) -> list[tuple[str, str, str]]:
        choices = list(KNOWN_FACTS)
        known_codes = {c for c, _, _ in choices}
        for fact in self.workspace.profile_facts():
            if fact.code not in known_codes:
                choices.append((fact.code, fact.label or fact.code, fact.unit))
                known_codes.add(fact.code)
        return choices

    def _load_facts(self) -> None:
        table = self.facts_table
        for fact in self.workspace.profile_facts():
            row = table.rowCount()
            table.insertRow(row)
            cells = (fact.label or fact.code, format_number(fact.value), fact.unit, format_date(fact.as_of),
                     f"{NAMES_SEPARATOR} ".join(fact.names))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setBackground(SAVED_BRUSH)
                item.setToolTip("Dữ kiện đã lưu. Khi số liệu thay đổi, thêm dòng mới với ngày hiệu lực mới.")
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, fact.id)
                table.setItem(row, col, item)

    def add_fact_row(self, label: str = "", value: str = "", unit: str = "", as_of: dt.date | None = None) -> int:
        table = self.facts_table
        row = table.rowCount()
        table.insertRow(row)
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code, text, unit_name in self._fact_choices():
            combo.addItem(text, (code, unit_name))
        combo.setCurrentIndex(-1)
        combo.lineEdit().setPlaceholderText("Chọn hoặc gõ tên dữ kiện")
        combo.setEditText(label)
        table.setCellWidget(row, self.COL_LABEL, combo)
        table.setItem(row, self.COL_LABEL, QTableWidgetItem())  # holds the row's (empty) fact id
        table.setItem(row, self.COL_VALUE, QTableWidgetItem(value))
        table.setItem(row, self.COL_UNIT, QTableWidgetItem(unit))
        table.setItem(row, self.COL_AS_OF, QTableWidgetItem(format_date(as_of or self.default_fact_date(label))))
        table.setItem(row, self.COL_NAMES, QTableWidgetItem(""))

        date_item = table.item(row, self.COL_AS_OF)
        shown = [date_item.text()]  # the default date last put in the cell

        def fill_unit(index: int, row_item=table.item(row, self.COL_UNIT)) -> None:
            data = combo.itemData(index)
            if data and not row_item.text().strip():
                row_item.setText(data[1])
            if date_item.text() == shown[0]:  # not changed by hand: the default for the chosen fact
                shown[0] = format_date(self.default_fact_date(combo.currentText().strip()))
                date_item.setText(shown[0])

        combo.activated.connect(fill_unit)
        if not label:
            combo.setFocus()
        return row

    def default_fact_date(self, label: str) -> dt.date:
        """A new fact row's date: the founding date (as set above) for the first fact of its code, today
        for a change of one already in the profile (services: Workspace.default_fact_date)."""
        choices = {text: code for code, text, _unit in self._fact_choices()}
        code = choices.get(label) or fact_code(label)
        founded = self.founded_edit.date()
        known = any(f.code == code for f in self.workspace.profile_facts()) if code else False
        if founded != FOUNDED_UNKNOWN and not known:
            return from_qdate(founded)
        return dt.date.today()

    def remove_selected_fact(self) -> None:
        row = self.facts_table.currentRow()
        if row < 0:
            return
        item = self.facts_table.item(row, self.COL_LABEL)
        fact_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if fact_id:
            self._deleted_fact_ids.append(fact_id)
        self.facts_table.removeRow(row)

    def _fact_label(self, row: int) -> str:
        combo = self.facts_table.cellWidget(row, self.COL_LABEL)
        return combo.currentText().strip() if combo else ""

    def _collect_facts(self, errors: list[str]) -> list[dict]:
        table = self.facts_table
        facts = []
        choices = {label: (code, unit) for code, label, unit in self._fact_choices()}
        for row in range(table.rowCount()):
            if table.cellWidget(row, self.COL_LABEL) is None:
                continue  # a saved fact
            label = self._fact_label(row)
            value_text = table.item(row, self.COL_VALUE).text().strip()
            unit = table.item(row, self.COL_UNIT).text().strip()
            date_text = table.item(row, self.COL_AS_OF).text().strip()
            if not label and not value_text:
                continue
            name = label or f"dòng {row + 1}"
            if not label:
                errors.append(f"Dữ kiện dòng {row + 1} chưa có tên (ví dụ: Dân số).")
                self._mark(table, row, self.COL_LABEL)
            code = choices[label][0] if label in choices else fact_code(label)
            if label and not code:
                errors.append(f"Tên dữ kiện “{label}” cần có chữ hoặc số.")
                self._mark(table, row, self.COL_LABEL)
            try:
                value = parse_figure(value_text, fact_rule(code, unit))
                if value is None:
                    errors.append(f"Dữ kiện “{name}” chưa có giá trị.")
                    self._mark(table, row, self.COL_VALUE)
            except NumberFormatError as exc:
                errors.append(f"Dữ kiện “{name}”: {exc}")
                self._mark(table, row, self.COL_VALUE)
                value = None
            try:
                as_of = parse_date(date_text)
            except DateError as exc:
                errors.append(f"Dữ kiện “{name}”: {exc}")
                self._mark(table, row, self.COL_AS_OF)
                as_of = None
            names_item = table.item(row, self.COL_NAMES)
            names = [n.strip() for n in (names_item.text() if names_item else "").split(NAMES_SEPARATOR) if n.strip()]
            if names and value is not None and value != len(names):
                errors.append(f"Dữ kiện “{name}” ghi {format_number(value)} nhưng có {len(names)} tên: "
                              f"hãy ghi đủ tên, cách nhau bằng dấu “{NAMES_SEPARATOR}”.")
                self._mark(table, row, self.COL_NAMES)
            facts.append({"code": code, "label": label, "value": value, "unit": unit, "as_of": as_of,
                          "names": names})
        return facts

    # -- validation and saving ---------------------------------------------------------------------
    @staticmethod
    def _mark(table: QTableWidget, row: int, col: int) -> None:
        item = table.item(row, col)
        if item is not None:
            item.setBackground(ERROR_BRUSH)
        widget = table.cellWidget(row, col)
        if widget is not None:
            widget.setStyleSheet("QComboBox { background: #fde2e1; }")

    def _clear_marks(self) -> None:
        for table in (self.signers_table, self.facts_table):
            for row in range(table.rowCount()):
                for col in range(table.columnCount()):
                    item = table.item(row, col)
                    if item is not None and item.flags() & Qt.ItemFlag.ItemIsEditable:
                        item.setBackground(QBrush())
                    widget = table.cellWidget(row, col)
                    if widget is not None:
                        widget.setStyleSheet("")
        self.name_edit.setStyleSheet("")

    def show_errors(self, errors: list[str]) -> None:
        for table in (self.signers_table, self.facts_table):
            table.clearSelection()  # so the cells marked in red are seen
        if len(errors) == 1:
            text = f"Chưa lưu được: {errors[0]}"
        else:
            text = "Chưa lưu được, hãy sửa:\n" + "\n".join(f"• {e}" for e in errors)
        self.error_label.setText(text)
        self.error_label.show()

    def unit_fields(self) -> dict:
        founded = self.founded_edit.date()
        return {
            "name": self.name_edit.text().strip(),
            "level": self.level_combo.currentText(),
            "upper_body": self.upper_edit.text().strip(),
            "place_name": self.place_edit.text().strip(),
            "symbol": self.symbol_edit.text().strip(),
            "format": self.format_combo.currentData(),
            "founded_on": None if founded == FOUNDED_UNKNOWN else from_qdate(founded),
        }

    def accept(self) -> None:
        """Validate everything, then save everything in one transaction; on any error save nothing."""
        self._clear_marks()
        errors: list[str] = []
        unit = self.unit_fields()
        if not unit["name"]:
            errors.append("Tên đơn vị không được để trống (ví dụ: Đảng ủy xã Lùng Phình).")
            self.name_edit.setStyleSheet("QLineEdit { background: #fde2e1; }")
        first_wrong = 0 if errors else None
        signers = self._collect_signers(errors)
        if errors and first_wrong is None:
            first_wrong = 1
        facts = self._collect_facts(errors)
        if errors:
            self.go_to_step(2 if first_wrong is None else first_wrong)  # where the first mistake is seen
            self.show_errors(errors)
            return
        ws = self.workspace
        try:
            ws.save_setup(unit, signers, facts, self._deleted_fact_ids)
        except (ServiceError, NumberFormatError) as exc:
            self.show_errors([str(exc)])
            return
        self.error_label.hide()
        super().accept()

    def load_demo(self) -> None:
        """Load the Lùng Phình demo into this (empty) database and close."""
        from ..services.demo import load_demo
        try:
            load_demo(self.workspace)
        except UserError as exc:
            self.show_errors([str(exc)])
            return
        except OSError as exc:  # the demo files could not be read: an installation fault, not the user's
            self.show_errors([failure_of(exc, "nạp dữ liệu mẫu").text])
            return
        self.demo_loaded = True
        super().accept()
