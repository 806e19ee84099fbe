"""Dialogs of the sign-off workflow: what blocks finalising, and a written reason (giải trình, unlock).

They open window-modal with open() (never exec()), so the editor stays responsive and tests can drive
them; the editor reacts to their signals.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from ...checks.findings import Finding
from ...services.signoff import blocked_summary
from ..common import localize_button_box
from .icons import severity_icon
from .tree import WrappingTree  # the same look as the checks panel

DIALOG_STYLE = """
QLabel#dialogLead { font-size: 11pt; font-weight: 600; color: #1d2b3a; }
QLabel#dialogNote { color: #5f6b78; }
QLabel#quotedFinding { background: #fff8e6; border: 1px solid #f0d58c; border-left: 4px solid #d98e04;
                       border-radius: 4px; padding: 6px 8px; color: #3d2e00; }
QLabel#reasonHint { color: #a32020; }
QPlainTextEdit { border: 1px solid #cdd5de; border-radius: 4px; background: #ffffff; }
"""


class BlockedDialog(QDialog):
    """“Chưa thể ký”: the errors to fix and the warnings that still need a reason; a click jumps there."""

    finding_chosen = Signal(object)  # Finding

    def __init__(self, action: str, findings: list[Finding], section_title, parent: QWidget | None = None):
        super().__init__(parent)
        self.findings = list(findings)
        self.setWindowTitle(f"Chưa thể {action}")
        self.setStyleSheet(DIALOG_STYLE)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        errors = [f for f in self.findings if f.severity == "error"]
        warnings = [f for f in self.findings if f.severity != "error"]
        self.lead = QLabel(f"{blocked_summary(action, self.findings)}.")
        self.lead.setObjectName("dialogLead")
        self.lead.setWordWrap(True)
        layout.addWidget(self.lead)
        note = QLabel("Lỗi phải sửa trong báo cáo. Cảnh báo có thể giữ lại nếu ghi giải trình "
                      "(chọn cảnh báo trong bảng Kiểm tra, bấm “Giải trình…”). "
                      "Nhấp vào một dòng để đến chỗ cần sửa.")
        note.setObjectName("dialogNote")
        from ..help_window import link_help
        layout.addWidget(link_help(note, "ky"))  # the dialog's help line: what to do, its part of the guide
        self.tree = WrappingTree()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setIndentation(10)
        self.tree.setIconSize(QSize(16, 16))
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for title, group in (("Lỗi phải sửa", errors), ("Cảnh báo cần giải trình", warnings)):
            if not group:
                continue
            head = QTreeWidgetItem(self.tree, [f"{title} ({len(group)})"])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for finding in group:
                item = QTreeWidgetItem(head, [finding.message])
                item.setIcon(0, severity_icon(finding.severity))
                item.setData(0, Qt.ItemDataRole.UserRole, self.findings.index(finding))
                where = section_title(finding.section)
                item.setToolTip(0, (f"{where}\n" if where else "") + finding.message)
            if title.startswith("Cảnh báo"):
                head.setForeground(0, QBrush(QColor("#8a5a00")))
            else:
                head.setForeground(0, QBrush(QColor("#a32020")))
        self.tree.expandAll()
        self.tree.itemClicked.connect(self._chosen)
        self.tree.itemActivated.connect(self._chosen)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        localize_button_box(buttons)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()
        # as tall as the list needs (up to a point), not a fixed empty box
        groups = (1 if errors else 0) + (1 if warnings else 0)
        self.resize(640, min(560, 180 + 44 * len(self.findings) + 26 * groups))

    def item_for(self, predicate) -> QTreeWidgetItem | None:
        for g in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(g)
            for c in range(head.childCount()):
                item = head.child(c)
                if predicate(self.findings[item.data(0, Qt.ItemDataRole.UserRole)]):
                    return item
        return None

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        index = item.data(0, Qt.ItemDataRole.UserRole)
        if index is None:
            return
        self.accept()
        self.finding_chosen.emit(self.findings[index])


class ReasonDialog(QDialog):
    """A multi-line written reason: to keep a warning (giải trình) or to unlock a signed report."""

    removal_requested = Signal()

    def __init__(self, title: str, lead: str, ok_text: str, parent: QWidget | None = None, *,
                 quoted: str = "", note: str = "", text: str = "", placeholder: str = "", min_length: int = 1,
                 remove_text: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setStyleSheet(DIALOG_STYLE)
        self.min_length = min_length
        self.resize(560, 360)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        lead_label = QLabel(lead)
        lead_label.setObjectName("dialogLead")
        lead_label.setWordWrap(True)
        layout.addWidget(lead_label)
        if quoted:
            quote = QLabel(html.escape(quoted))
            quote.setObjectName("quotedFinding")
            quote.setWordWrap(True)
            quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(quote)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setTabChangesFocus(True)
        self.edit.setPlainText(text)
        layout.addWidget(self.edit, 1)
        self.hint = QLabel()
        self.hint.setObjectName("reasonHint")
        layout.addWidget(self.hint)
        if note:
            note_label = QLabel(note)
            note_label.setObjectName("dialogNote")
            note_label.setWordWrap(True)
            layout.addWidget(note_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        localize_button_box(self.buttons)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.remove_button: QPushButton | None = None
        if remove_text:
            self.remove_button = self.buttons.addButton(remove_text, QDialogButtonBox.ButtonRole.DestructiveRole)
            self.remove_button.clicked.connect(self._remove)
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._validate)
        self._validate()
        self.edit.setFocus()

    def reason(self) -> str:
        return self.edit.toPlainText().strip()

    def _validate(self) -> None:
        ok = len(self.reason()) >= self.min_length
        self.ok_button.setEnabled(ok)
        self.ok_button.setToolTip("" if ok else "Hãy ghi lý do trước.")
        short = bool(self.reason()) and not ok
        self.hint.setText(f"Lý do quá ngắn: hãy ghi rõ (ít nhất {self.min_length} ký tự)." if short else "")
        self.hint.setVisible(short)

    def _accept_if_valid(self) -> None:
        if len(self.reason()) >= self.min_length:
            self.accept()

    def _remove(self) -> None:
        self.removal_requested.emit()
        self.reject()
