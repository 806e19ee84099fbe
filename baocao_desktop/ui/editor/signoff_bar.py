"""The sign-off bar: the status buttons in the header strip (Trình ký, Trả về dự thảo, Ký (hoàn tất), Đánh
dấu đã gửi, Mở khóa…) and the banner under it saying the report is signed and locked, or was changed after
signing. A refused step opens “Chưa thể …” listing what blocks it (services.signoff's one rule).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from ...checks.findings import Finding
from ...services.editing import INPUT_INVALID
from ...services.errors import ServiceError
from ...services.signoff import SignOffBlocked
from ...store.db import BUSY_MESSAGE, StoreBusy
from ..common import make_message_box
from .signoff_dialogs import BlockedDialog, ReasonDialog
from .style import repolish

SENT_TIP = "Ghi nhận báo cáo đã ký đã được gửi lên cấp trên"
SKIPPED_SUBMIT = "Báo cáo chưa qua bước Trình ký. Ký luôn?"
TAMPERED_TIP = "Nội dung đã bị thay đổi sau khi ký: không gửi được. Mở khóa, kiểm tra lại và ký lại."


class SignoffBar(QWidget):
    """The status buttons (this widget, placed in the header strip) and `banner_row` (placed under it)."""

    def __init__(self, session, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.host = session, host
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.submit_button = self._button(
            "T&rình ký", "Chuyển báo cáo sang trạng thái Trình ký (cần hết lỗi; cảnh báo phải có giải trình)",
            self.request_submit)
        self.return_button = self._button(
            "Trả về &dự thảo", "Đưa báo cáo đang trình ký về Dự thảo để sửa tiếp", self.request_return)
        self.sign_button = self._button(
            "&Ký (hoàn tất)", "Hoàn tất báo cáo: chạy mọi kiểm tra, lưu mã kiểm tra nội dung và khóa nội dung",
            self.request_sign)
        self.sent_button = self._button("Đánh dấu đã &gửi", SENT_TIP, self.request_mark_sent)
        self.unlock_button = self._button(
            "Mở &khóa…", "Mở khóa báo cáo đã ký để sửa; cần ghi lý do, lý do được lưu vào nhật ký", self.request_unlock)
        self.buttons = (self.submit_button, self.return_button, self.sign_button, self.sent_button,
                        self.unlock_button)
        for button in self.buttons:
            layout.addWidget(button)
        self.banner_row = QWidget()
        banner_layout = QVBoxLayout(self.banner_row)
        banner_layout.setContentsMargins(8, 6, 8, 0)
        self.lock_banner = QLabel()
        self.lock_banner.setObjectName("lockedBanner")
        self.lock_banner.setWordWrap(True)
        banner_layout.addWidget(self.lock_banner)
        self.banner_row.hide()

    def _button(self, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("signoffButton")
        button.setProperty("primary", False)
        button.setToolTip(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # == showing =================================================================================
    def update_buttons(self) -> None:
        visible = {
            "draft": (self.submit_button, self.sign_button),
            "for_signature": (self.return_button, self.sign_button),
            "signed": (self.sent_button, self.unlock_button),
            "sent": (self.unlock_button,),
        }.get(self.session.status, ())
        for button in self.buttons:
            button.setVisible(button in visible)
        # the next step of the workflow is the highlighted one: Trình ký in a Dự thảo, Ký once submitted
        primary = visible[0] if self.session.status == "draft" else self.sign_button if visible else None
        for button in self.buttons:
            if bool(button.property("primary")) != (button is primary):
                button.setProperty("primary", button is primary)
                repolish(button)
            button.setDefault(button is primary)
        tampered = self.session.integrity_finding() is not None
        self.sent_button.setEnabled(not tampered)
        self.sent_button.setToolTip(TAMPERED_TIP if tampered else SENT_TIP)

    def update_banner(self) -> None:
        integrity = self.session.integrity_finding()
        if integrity is not None:
            self.lock_banner.setText("Cảnh báo: " + integrity.message)
            alarm = True
        elif self.session.locked:
            old_way = (" theo cách cũ (chưa có chữ ký số; muốn gửi cấp trên: mở khóa và ký lại)"
                       if self.session.report.signature is None else "")
            self.lock_banner.setText(f"Báo cáo {self.session.report.status_label.lower()}{old_way} — nội dung bị "
                                     f"khóa. Mở khóa cần ghi lý do.")
            alarm = False
        else:
            self.banner_row.hide()
            return
        if bool(self.lock_banner.property("alarm")) != alarm:
            self.lock_banner.setProperty("alarm", alarm)
            repolish(self.lock_banner)
        self.banner_row.show()

    # == what blocks =============================================================================
    def show_blocked(self, action: str, findings: list[Finding]) -> BlockedDialog:
        dialog = BlockedDialog(action, findings, self._section_title, self.host)
        dialog.finding_chosen.connect(self._jump_from_blocked)
        self.host.keep_dialog("blocked_dialog", dialog)
        dialog.open()
        return dialog

    def _section_title(self, path: str) -> str:
        section = self.session.template.section(path) if path else None
        return f"Mục {section.heading}" if section else ""

    def _jump_from_blocked(self, finding: Finding) -> None:
        # once the dialog has gone and its window is active again, or the focus would not stick
        QTimer.singleShot(0, self, lambda: self._jump_to(finding))

    def _jump_to(self, finding: Finding, tries: int = 25) -> None:
        host = self.host
        if not host.isActiveWindow() and tries:
            host.window().activateWindow()
            QTimer.singleShot(20, self, lambda: self._jump_to(finding, tries - 1))
            return
        host.go_to_finding(finding)
        if finding.code == INPUT_INVALID:
            return
        if not host.findings_panel.passes_filter(finding):
            host.findings_panel.set_filter("all")
        host.findings_panel.select(finding)

    def _blocking(self) -> list[Finding]:
        self.session.show_every_finding()
        self.host.run_checks(complete=True)
        return self.session.blocking()

    # == transitions =============================================================================
    def _transition(self, action: str, call, *args) -> bool:
        if self.host.flush() is False:  # what was typed is not in the database yet: it must not be left out
            self._show_message(QMessageBox.Icon.Warning, f"Không thể {action}", BUSY_MESSAGE)
            return False
        if action in ("trình ký", "ký"):
            self.session.show_every_finding()  # what blocks it must be listed in the panel too
        if action in ("trình ký", "ký") and self.session.unsaved_input():
            self.show_blocked(action, self._blocking())
            return False
        try:
            call(self.session.report_id, *args)
        except SignOffBlocked as exc:
            self.host.run_checks()
            self.show_blocked(action, exc.findings)
            return False
        except (ServiceError, StoreBusy) as exc:
            self._show_message(QMessageBox.Icon.Warning, f"Không thể {action}", str(exc))
            self.host.reload_status()
            return False
        self.host.reload_status()
        return True

    def _show_message(self, icon, title: str, text: str, informative: str = "") -> QMessageBox:
        box = make_message_box(self.host, icon, title, text, informative=informative)
        self.host.keep_dialog("message_box", box)
        box.open()
        return box

    def request_submit(self) -> bool:
        return self._transition("trình ký", self.session.workspace.submit_for_signature)

    def request_return(self) -> bool:
        return self._transition("trả về dự thảo", self.session.workspace.return_to_draft)

    def request_mark_sent(self) -> bool:
        return self._transition("đánh dấu đã gửi", self.session.workspace.mark_sent)

    def request_sign(self) -> QMessageBox | BlockedDialog | None:
        """“Ký (hoàn tất)”: the blocking findings, or a confirmation (signing locks the content); from a
        Dự thảo the confirmation names the skipped Trình ký step."""
        self.host.flush()
        blocking = self._blocking()
        if blocking:
            return self.show_blocked("ký", blocking)
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        question = (SKIPPED_SUBMIT if self.session.status == "draft" else
                    f"Ký (hoàn tất) {self.session.title}?")
        box = make_message_box(
            self.host, QMessageBox.Icon.Question, "Ký báo cáo", question, yes | no,
            informative="Mọi kiểm tra đã đạt. Sau khi ký, nội dung báo cáo bị khóa; muốn sửa phải mở khóa "
                        "và ghi lý do (lý do được lưu vào nhật ký).")
        box.button(yes).setText("Ký và khóa nội dung")
        box.button(no).setText("Chưa ký")
        box.setDefaultButton(no)
        box.buttonClicked.connect(lambda button: box.standardButton(button) == yes and self.sign())
        self.host.keep_dialog("message_box", box)
        box.open()
        return box

    def sign(self) -> bool:
        """Finalise now (the confirmation, if any, was given)."""
        return self._transition("ký", self.session.workspace.sign)

    def request_unlock(self) -> ReasonDialog:
        dialog = ReasonDialog(
            "Mở khóa báo cáo đã ký", f"Mở khóa {self.session.title} để sửa", "Mở khóa", self.host,
            placeholder="Ví dụ: Sửa số liệu diện tích lúa mùa theo ý kiến của đồng chí Bí thư.",
            note="Lý do được ghi vào nhật ký sửa đổi của báo cáo. Báo cáo trở về Dự thảo; sửa xong cần "
                 "ký lại.", min_length=5)
        dialog.accepted.connect(lambda: self.unlock(dialog.reason()))
        self.host.keep_dialog("reason_dialog", dialog)
        dialog.open()
        return dialog

    def unlock(self, reason: str) -> bool:
        return self._transition("mở khóa", self.session.workspace.unlock, reason)
