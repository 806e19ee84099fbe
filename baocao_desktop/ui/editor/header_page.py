"""“Thông tin văn bản”: the page of the editor where the header and the closing of the report are set, laid
out in the order they print: Số, ngày, địa danh; trích yếu; căn cứ; câu kết; then, side by side as on the
paper, Nơi nhận (left) and the signer (right: chosen from the unit's signers, or typed).

The first entry of the navigator opens it. Every edit goes to the EditSession (saved with the other fields).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QDateEdit, QFrame, QGridLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout,
                               QWidget)

from ...domain.model import SignerLines
from .header_strip import mark_number, show_number_and_date
from .style import repolish

TYPED_SIGNER = "Người khác (nhập tay)"
SIDE_BY_SIDE_MIN_WIDTH = 460  # narrower: Nơi nhận above the signer


class LinesEdit(QPlainTextEdit):
    """A few lines of plain text, as tall as `lines` lines; Tab moves on instead of typing a tab."""

    def __init__(self, lines: int, placeholder: str = "", grow: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        line = QFontMetrics(self.font()).lineSpacing()
        height = int(line * lines + 2 * self.frameWidth() + self.document().documentMargin() * 2 + 6)
        if grow:  # at least `lines` lines, more when there is room
            self.setMinimumHeight(height)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        else:
            self.setFixedHeight(height)


class HeaderPage(QWidget):
    """`edited(items)` with the header items the user just changed (names of Workspace.set_header)."""

    edited = Signal(dict)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._syncing = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 4, 0)
        outer.setSpacing(4)
        heading = QLabel("Thông tin văn bản")
        heading.setObjectName("sectionHeading")
        outer.addWidget(heading)
        hint = QLabel("Phần đầu và phần cuối của văn bản: in ra đúng như ở đây (DOCX, bản in, PDF). Sửa ô cần sửa; "
                      "“Theo mẫu” lấy lại nội dung mặc định.")
        hint.setObjectName("unitLabel")
        from ..help_window import link_help
        link_help(hint, "thong-tin-van-ban")
        outer.addWidget(hint)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(0, 4, 6, 4)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        row = 0

        def label(text: str, tip: str = "") -> QLabel:
            widget = QLabel(text)
            widget.setToolTip(tip)
            return widget

        # -- Số, ngày, địa danh (one line, as on the paper)
        line = QHBoxLayout()
        line.setSpacing(6)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("docNumber")
        self.number_edit.setPlaceholderText("ví dụ 112")
        self.number_edit.setFixedWidth(80)
        self.number_edit.setToolTip("Số văn bản; ký hiệu (-BC/ĐU, /BC-UBND) được thêm khi xuất văn bản")
        line.addWidget(self.number_edit)
        self.number_message = QLabel()  # why a Số typed is not saved (not in the unit's numbering form)
        self.number_message.setObjectName("fieldMessage")
        self.number_message.setWordWrap(True)
        self.number_message.setStyleSheet("color: #c62828;")
        self.number_message.hide()
        line.addSpacing(6)
        line.addWidget(QLabel("Ngày:"))
        self.date_edit = QDateEdit()
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setFixedWidth(112)
        line.addWidget(self.date_edit)
        line.addSpacing(6)
        line.addWidget(QLabel("Địa danh:"))
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText("ví dụ Lùng Phình")
        self.place_edit.setToolTip("Địa danh ở dòng ngày tháng: “Lùng Phình, ngày … tháng … năm …”")
        line.addWidget(self.place_edit, 1)
        grid.addWidget(label("Số:"), row, 0)
        grid.addLayout(line, row, 1)
        row += 1
        grid.addWidget(self.number_message, row, 1)
        row += 1
        # -- trích yếu, căn cứ, câu kết
        self.subject_edit = LinesEdit(2, "Nội dung báo cáo, in đậm dưới chữ BÁO CÁO")
        self.subject_reset = self._reset_button("subject")
        grid.addWidget(label("Trích yếu:", "In dưới tên loại văn bản (BÁO CÁO)"), row, 0,
                       Qt.AlignmentFlag.AlignTop)
        grid.addLayout(self._with_button(self.subject_edit, self.subject_reset), row, 1)
        row += 1
        basis_row = row
        self.basis_edit = LinesEdit(3, "Ví dụ: Thực hiện Kế hoạch số 62-KH/TU, ngày 01/4/2026 của Ban Thường vụ "
                                       "Tỉnh ủy về …, Ban Thường vụ Đảng ủy xã báo cáo như sau:", grow=True)
        self.basis_edit.setToolTip("Đoạn mở đầu (căn cứ), in ngay dưới trích yếu. Mỗi dòng là một đoạn. "
                                   "Để trống nếu báo cáo không thực hiện theo văn bản nào.")
        grid.addWidget(label("Căn cứ:", "Mỗi dòng là một đoạn"), row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.basis_edit, row, 1)
        row += 1
        self.closing_edit = LinesEdit(2, "Trên đây là báo cáo …")
        self.closing_reset = self._reset_button("closing")
        grid.addWidget(label("Câu kết:", "Đoạn cuối, trước khối chữ ký; dấu ./. được thêm khi xuất"), row, 0,
                       Qt.AlignmentFlag.AlignTop)
        grid.addLayout(self._with_button(self.closing_edit, self.closing_reset), row, 1)
        row += 1
        # -- Nơi nhận | người ký, side by side as on the paper
        self.bottom = bottom = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        bottom.setSpacing(8)
        recipients_box = QGroupBox("Nơi nhận (mỗi nơi một dòng)")
        box = QVBoxLayout(recipients_box)
        box.setContentsMargins(6, 4, 6, 6)
        self.recipients_edit = LinesEdit(5, "- Ban Thường vụ Tỉnh ủy (b/c),\n- Lưu Văn phòng.", grow=True)
        box.addWidget(self.recipients_edit)
        self.recipients_reset = self._reset_button("recipients")
        box.addWidget(self.recipients_reset, 0, Qt.AlignmentFlag.AlignRight)
        bottom.addWidget(recipients_box, 1)
        signer_box = QGroupBox("Người ký")
        sgrid = QGridLayout(signer_box)
        sgrid.setContentsMargins(6, 4, 6, 6)
        sgrid.setVerticalSpacing(4)
        self.signer_combo = QComboBox()
        self.signer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.signer_combo.setMinimumContentsLength(12)
        self.signer_combo.setToolTip("Chọn trong danh sách người ký của đơn vị (Thiết lập đơn vị), hoặc nhập tay")
        sgrid.addWidget(QLabel("Chọn:"), 0, 0)
        sgrid.addWidget(self.signer_combo, 0, 1)
        self.on_behalf_edit = LinesEdit(2, "T/M BAN THƯỜNG VỤ")
        self.on_behalf_edit.setToolTip("Thẩm quyền ký: T/M …, TM. …; hai dòng khi ký thay (ví dụ TM. ỦY BAN "
                                       "NHÂN DÂN rồi KT. CHỦ TỊCH)")
        sgrid.addWidget(QLabel("Thẩm quyền:"), 1, 0, Qt.AlignmentFlag.AlignTop)
        sgrid.addWidget(self.on_behalf_edit, 1, 1)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("BÍ THƯ")
        sgrid.addWidget(QLabel("Chức vụ:"), 2, 0)
        sgrid.addWidget(self.title_edit, 2, 1)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Họ và tên")
        sgrid.addWidget(QLabel("Họ tên:"), 3, 0)
        sgrid.addWidget(self.name_edit, 3, 1)
        sgrid.setColumnStretch(1, 1)
        sgrid.setRowStretch(4, 1)
        signer_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        bottom.addWidget(signer_box, 1, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(bottom, row, 0, 1, 2)
        grid.setRowStretch(basis_row, 1)  # the căn cứ and Nơi nhận share the room left
        grid.setRowStretch(row, 2)
        self.scroll.setWidget(form)
        outer.addWidget(self.scroll, 1)

        self.number_edit.textEdited.connect(lambda text: self._emit(number=text))
        self.date_edit.dateChanged.connect(lambda day: self._emit(report_date=day.toPython()))
        self.place_edit.textEdited.connect(lambda text: self._emit(place=text))
        self.subject_edit.textChanged.connect(lambda: self._emit(subject=self.subject_edit.toPlainText()))
        self.basis_edit.textChanged.connect(lambda: self._emit(basis=self.basis_edit.toPlainText()))
        self.closing_edit.textChanged.connect(lambda: self._emit(closing=self.closing_edit.toPlainText()))
        self.recipients_edit.textChanged.connect(
            lambda: self._emit(recipients=self.recipients_edit.toPlainText()))
        self.signer_combo.activated.connect(self._on_signer_chosen)
        self.on_behalf_edit.textChanged.connect(self._on_signer_typed)
        self.title_edit.textEdited.connect(self._on_signer_typed)
        self.name_edit.textEdited.connect(self._on_signer_typed)
        self.load()

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        wide = event.size().width() >= SIDE_BY_SIDE_MIN_WIDTH
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.bottom.direction() != direction:
            self.bottom.setDirection(direction)

    def _reset_button(self, name: str) -> QPushButton:
        button = QPushButton("Theo mẫu")
        button.setProperty("row_button", True)  # one per item: reached by Tab from its field (no Alt+ letter)
        button.setToolTip("Lấy lại nội dung mặc định của mẫu báo cáo và đơn vị")
        button.setObjectName("checkAction")
        button.clicked.connect(lambda: self.reset(name))
        return button

    @staticmethod
    def _with_button(edit: QWidget, button: QPushButton) -> QHBoxLayout:
        line = QHBoxLayout()
        line.setSpacing(4)
        line.addWidget(edit, 1)
        line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return line

    # == showing =================================================================================
    def signers(self) -> list:
        return self.session.workspace.signers()

    def load(self) -> None:
        """Show the header items as the session has them (pending edits included)."""
        value = self.session.header_value
        self._syncing = True
        try:
            show_number_and_date(self.session, self.number_edit, self.date_edit)
            self.show_number_problem()
            self.place_edit.setText(value("place") or "")
            for edit, name in ((self.subject_edit, "subject"), (self.basis_edit, "basis"),
                               (self.closing_edit, "closing"), (self.recipients_edit, "recipients")):
                text = value(name) or ""
                if edit.toPlainText() != text:
                    edit.setPlainText(text)
            signer = value("signer") or SignerLines()
            if self.on_behalf_edit.toPlainText() != signer.on_behalf:
                self.on_behalf_edit.setPlainText(signer.on_behalf)
            self.title_edit.setText(signer.title)
            self.name_edit.setText(signer.name)
            self._fill_combo(value("signer_id"), signer)
        finally:
            self._syncing = False

    def show_number_problem(self) -> None:
        mark_number(self.session, self.number_edit)
        invalid = self.session.header_invalid.get("number")
        self.number_message.setText(invalid[1] if invalid else "")
        self.number_message.setVisible(bool(invalid))

    def load_number_date(self) -> None:
        """The header strip changed Số or Ngày: show them here too."""
        self._syncing = True
        try:
            show_number_and_date(self.session, self.number_edit, self.date_edit)
            self.show_number_problem()
        finally:
            self._syncing = False

    def _fill_combo(self, signer_id, signer: SignerLines) -> None:
        self.signer_combo.clear()
        signers = self.signers()
        for s in signers:
            self.signer_combo.addItem(f"{s.name} — {s.title}" if s.title else s.name, s.id)
        self.signer_combo.addItem(TYPED_SIGNER, None)
        index = self._matching(signer_id, signer)
        self.signer_combo.setCurrentIndex(index if index is not None else len(signers))

    def _matching(self, signer_id, signer: SignerLines) -> int | None:
        """The index of the unit's signer these lines are (None: typed by hand)."""
        for index, s in enumerate(self.signers()):
            if (s.name, s.title) == (signer.name, signer.title) and (signer_id in (None, s.id)):
                return index
        return None

    # == editing =================================================================================
    def _emit(self, **items) -> None:
        if self._syncing or self.session.locked:
            return
        self.edited.emit(items)

    def typed_signer(self) -> SignerLines:
        return SignerLines(self.on_behalf_edit.toPlainText(), self.title_edit.text(), self.name_edit.text())

    def _on_signer_chosen(self, index: int) -> None:
        if self._syncing or self.session.locked:
            return
        signer_id = self.signer_combo.itemData(index)
        chosen = next((s for s in self.signers() if s.id == signer_id), None)
        if chosen is None:  # "Người khác": the lines stay, to be typed over
            self.edited.emit({"signer_id": None, "signer": self.typed_signer()})
            self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        lines = SignerLines(chosen.on_behalf or self.session.template.signer_on_behalf, chosen.title, chosen.name)
        self._syncing = True
        try:
            self.on_behalf_edit.setPlainText(lines.on_behalf)
            self.title_edit.setText(lines.title)
            self.name_edit.setText(lines.name)
        finally:
            self._syncing = False
        self.edited.emit({"signer_id": chosen.id, "signer": lines})

    def _on_signer_typed(self, *_) -> None:
        if self._syncing or self.session.locked:
            return
        lines = self.typed_signer()
        index = self._matching(None, lines)
        self._syncing = True
        try:
            self.signer_combo.setCurrentIndex(index if index is not None else self.signer_combo.count() - 1)
        finally:
            self._syncing = False
        self.edited.emit({"signer_id": self.signer_combo.itemData(self.signer_combo.currentIndex()),
                          "signer": lines})

    def reset(self, name: str) -> None:
        """“Theo mẫu”: the template's and the unit's text for this item."""
        if self.session.locked:
            return
        default = self.session.default_header()
        edit, text = {"subject": (self.subject_edit, default.subject),
                      "closing": (self.closing_edit, default.closing),
                      "recipients": (self.recipients_edit, "\n".join(default.recipients))}[name]
        edit.setPlainText(text)  # its textChanged saves it

    def focus(self, name: str) -> bool:
        """Put the cursor on a header item ("number", "date", "place", "subject", "basis", "closing",
        "recipients", "signer"); False when it has no field here."""
        widget = {"number": self.number_edit, "date": self.date_edit, "report_date": self.date_edit,
                  "place": self.place_edit, "subject": self.subject_edit, "basis": self.basis_edit,
                  "closing": self.closing_edit, "recipients": self.recipients_edit, "signer": self.name_edit,
                  "signer_name": self.name_edit, "signer_title": self.title_edit,
                  "signer_on_behalf": self.on_behalf_edit}.get(name)
        if widget is None:
            return False
        self.scroll.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()
        return True

    def set_locked(self, locked: bool) -> None:
        for edit in (self.number_edit, self.place_edit, self.title_edit, self.name_edit, self.date_edit):
            edit.setReadOnly(locked)
            repolish(edit)
        for edit in (self.subject_edit, self.basis_edit, self.closing_edit, self.recipients_edit,
                     self.on_behalf_edit):
            edit.setReadOnly(locked)
        self.signer_combo.setEnabled(not locked)
        for button in (self.subject_reset, self.closing_reset, self.recipients_reset):
            button.setEnabled(not locked)
