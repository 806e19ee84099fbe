"""The navigator: the left column “Mục lục báo cáo”: first “Thông tin văn bản” (the header and closing of
the report: header_page.py), then the report's sections as a tree, each with its completion icon
(✓ / partial / ○ / required) and a badge counting its errors or open warnings.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeWidgetItem, QVBoxLayout, QWidget

from ...checks.findings import Finding, finding_counts
from .icons import badge_icon, status_icon
from .tree import WrappingTree

HEADER_PATH = "#header"  # the navigator's entry of “Thông tin văn bản” (no section has this path)
HEADER_TITLE = "Thông tin văn bản"
HEADER_TIP = "Số, ngày, địa danh, trích yếu, căn cứ, câu kết, nơi nhận và người ký của báo cáo này"
HEADER_MISSING = "Còn thiếu số, ngày, địa danh, người ký hoặc nơi nhận"
STATE_TIPS = {"filled": "Đã có nội dung", "partial": "Một số tiểu mục còn trống",
              "empty": "Chưa có nội dung", "required": "Mục bắt buộc, chưa có nội dung"}


class Navigator(QWidget):
    """The section tree; `section_chosen(path)` when the user picks a section."""

    section_chosen = Signal(str)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.items: dict[str, QTreeWidgetItem] = {}
        self._syncing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        title = QLabel("Mục lục báo cáo")
        title.setObjectName("panelTitle")
        layout.addWidget(title)
        self.tree = WrappingTree()  # long section titles wrap instead of ending in “…”
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(12)
        self.tree.setIconSize(QSize(16, 16))
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.tree.header().resizeSection(1, 28)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        layout.addWidget(self.tree, 1)
        legend = QLabel("✓ đã có nội dung   ○ chưa có   ● bắt buộc, còn trống")
        legend.setStyleSheet("color: #6b7784; font-size: 8.5pt;")
        legend.setWordWrap(True)
        layout.addWidget(legend)
        self.setMinimumWidth(200)

    def populate(self) -> None:
        self.tree.clear()
        self.items.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)

        def add(section, parent):
            item = QTreeWidgetItem(parent, [section.heading, ""])
            item.setData(0, Qt.ItemDataRole.UserRole, section.path)
            tip = section.heading
            if section.guidance:
                tip += "\n\n" + section.guidance
            item.setToolTip(0, tip)
            if section.level == 1:
                item.setFont(0, bold)
            self.items[section.path] = item
            for child in section.children:
                add(child, item)
            return item

        header = QTreeWidgetItem([HEADER_TITLE, ""])
        header.setData(0, Qt.ItemDataRole.UserRole, HEADER_PATH)
        header.setToolTip(0, HEADER_TIP)
        header.setFont(0, bold)
        self.items[HEADER_PATH] = header
        self.tree.addTopLevelItem(header)
        for section in self.session.template.sections:
            self.tree.addTopLevelItem(add(section, None))
        self.tree.expandAll()
        self.update_markers()

    def show_section(self, path: str) -> None:
        """Select a section's row without announcing it as the user's choice."""
        item = self.items.get(path)
        if item is None:
            return
        self._syncing = True
        try:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
        finally:
            self._syncing = False

    def update_markers(self) -> None:
        per_section: dict[str, list[Finding]] = {}
        for finding in self.session.findings:
            where = HEADER_PATH if finding.field.startswith("header.") and finding.field != "header.status" \
                else finding.section
            per_section.setdefault(where, []).append(finding)
        for path, item in self.items.items():
            state = self.session.header_state() if path == HEADER_PATH else self.session.section_state(path)
            own = per_section.get(path, [])
            counts = finding_counts(own)
            errors, warnings = counts.errors, counts.warnings
            if item.data(0, Qt.ItemDataRole.UserRole + 1) == state and \
                    item.data(1, Qt.ItemDataRole.UserRole) == (errors, warnings):
                continue  # unchanged: after each check most sections are (icons cost a repaint each)
            item.setIcon(0, status_icon(state))
            item.setData(0, Qt.ItemDataRole.UserRole + 1, state)
            if errors:
                item.setIcon(1, badge_icon(errors, "error"))
            elif warnings:
                item.setIcon(1, badge_icon(warnings, "warning"))
            else:
                item.setIcon(1, QIcon())
            parts = [HEADER_MISSING if path == HEADER_PATH and state != "filled" else STATE_TIPS[state]]
            if errors:
                parts.append(f"{errors} lỗi")
            if warnings:
                parts.append(f"{warnings} cảnh báo chưa giải trình")
            item.setToolTip(1, ", ".join(parts))
            item.setData(1, Qt.ItemDataRole.UserRole, (errors, warnings))

    def _on_current_changed(self, current, _previous) -> None:
        if self._syncing or current is None:
            return
        self.section_chosen.emit(current.data(0, Qt.ItemDataRole.UserRole))
