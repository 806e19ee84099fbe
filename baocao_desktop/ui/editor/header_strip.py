"""The header strip across the top of the editor: the report's title, its status chip (Dự thảo, Trình ký…),
the sign-off buttons (from signoff_bar.py), the document number and report date, and “Đã lưu lúc …”.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from .style import STATUS_STYLES, repolish


def show_number_and_date(session, number_edit: QLineEdit, date_edit: QDateEdit) -> None:
    """Số and Ngày as the session has them (typed and not saved yet, else as stored); here and on the
    “Thông tin văn bản” page."""
    number_edit.setText(session.header_value("number") or "")
    mark_number(session, number_edit)
    day = session.header_value("report_date") or session.report.period.end
    date_edit.setDate(QDate(day.year, day.month, day.day))


def mark_number(session, number_edit: QLineEdit) -> None:
    """A Số not in the unit's numbering form stays as typed, framed red, with the reason beside it (the
    tooltip) and in the status tip; it is not saved until corrected."""
    invalid = session.header_invalid.get("number")
    if bool(number_edit.property("invalid")) != bool(invalid):
        number_edit.setProperty("invalid", bool(invalid))
        repolish(number_edit)
    base = number_edit.property("baseTip")
    if base is None:
        base = number_edit.toolTip()
        number_edit.setProperty("baseTip", base)
    number_edit.setToolTip(invalid[1] if invalid else base)


class ElidedLabel(QLabel):
    """One line that ends in “…” when the header strip is too narrow (long template names)."""

    def minimumSizeHint(self):  # noqa: N802 (Qt API)
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 160), hint.height())

    def paintEvent(self, _event):  # noqa: N802 (Qt API)
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()


class HeaderStrip(QWidget):
    """`header_edited(number, date)` on every edit of the number or the date by the user."""

    header_edited = Signal(str, object)

    def __init__(self, session, signoff_buttons: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._syncing = False
        self.setObjectName("headerStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 7, 12, 7)
        layout.setSpacing(10)
        self.title_label = ElidedLabel(session.title)
        self.title_label.setObjectName("reportTitle")
        self.title_label.setToolTip(self.title_label.text())
        layout.addWidget(self.title_label)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusChip")
        self.status_label.setToolTip("Trạng thái báo cáo: Dự thảo → Trình ký → Đã ký → Đã gửi")
        self.show_status()
        layout.addWidget(self.status_label)
        layout.addSpacing(4)
        layout.addWidget(signoff_buttons)
        layout.addStretch(1)
        layout.addWidget(QLabel("Số:"))
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("docNumber")
        self.number_edit.setPlaceholderText("ví dụ 112")
        self.number_edit.setFixedWidth(90)
        self.number_edit.setToolTip("Số văn bản, ví dụ 112 (ký hiệu -BC/ĐU được thêm khi xuất văn bản)")
        self.number_edit.textEdited.connect(self._on_edited)
        layout.addWidget(self.number_edit)
        layout.addSpacing(6)
        layout.addWidget(QLabel("Ngày báo cáo:"))
        self.date_edit = QDateEdit()
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setFixedWidth(118)
        self.date_edit.dateChanged.connect(self._on_edited)
        layout.addWidget(self.date_edit)
        layout.addSpacing(12)
        self.saved_label = QLabel("Tự động lưu")
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setMinimumWidth(140)
        self.saved_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.saved_label.setToolTip("Mọi thay đổi được lưu tự động, không cần bấm Lưu.")
        layout.addWidget(self.saved_label)
        self.load()

    def load(self) -> None:
        self._syncing = True
        try:
            show_number_and_date(self.session, self.number_edit, self.date_edit)
        finally:
            self._syncing = False

    def show_status(self) -> None:
        report = self.session.report
        bg, fg = STATUS_STYLES.get(report.status, ("#eeeeee", "#333333"))
        self.status_label.setText(report.status_label)
        self.status_label.setStyleSheet(
            f"QLabel#statusChip {{ background: {bg}; color: {fg}; border-radius: 9px; padding: 2px 10px; }}")

    def show_saved(self, stamp: str) -> None:
        self.saved_label.setText(f"Đã lưu lúc {stamp}")

    def focus(self, name: str, unlock_button: QWidget) -> None:
        """Put the cursor on a header item a finding points at ("number", "date"; "status": unlock)."""
        widget = {"date": self.date_edit, "report_date": self.date_edit,
                  "number": self.number_edit, "status": unlock_button}.get(name)
        if widget is not None and widget.isVisible():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def set_locked(self, locked: bool) -> None:
        self.number_edit.setReadOnly(locked)
        self.date_edit.setReadOnly(locked)
        repolish(self.number_edit)
        repolish(self.date_edit)

    def _on_edited(self, *_) -> None:
        if self._syncing or self.session.locked:
            return
        self.header_edited.emit(self.number_edit.text(), self.date_edit.date().toPython())
