"""The findings panel, the right column “Kiểm tra”: the report's findings grouped by section, the filters
(Tất cả, Lỗi, Cảnh báo, Gợi ý, Đã giải trình), “Đang soát lỗi…” while the proofreader runs, and the
giải trình actions (keep a warning with a written reason, or drop the reason).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QMenu,
                               QPushButton, QSizePolicy, QToolButton, QTreeWidgetItem, QVBoxLayout, QWidget)

from ...checks.findings import SEVERITY_LABELS, Finding, finding_counts, reading_rank
from ...checks.report_checks import FIGURES_ONLY
from ...services.editing import LOCKED_NO_JUSTIFY
from ...services.errors import ServiceError
from ...store.db import StoreBusy
from .signoff_dialogs import ReasonDialog
from .icons import severity_icon
from .style import SEVERITY_COLORS
from .tree import WrappingTree

FILTERS = (("all", "Tất cả"), ("error", "Lỗi"), ("warning", "Cảnh báo"), ("info", "Gợi ý"),
           ("kept", "Đã giải trình"))
FILTER_TIPS = {"all": "Hiện tất cả", "error": "Hiện lỗi (chặn việc ký)",
               "warning": "Hiện cảnh báo chưa giải trình (chặn việc ký)",
               "info": "Hiện gợi ý", "kept": "Hiện cảnh báo đã được giữ lại bằng giải trình"}
HEADER_GROUP = "__header__"


class FindingsPanel(QWidget):
    """Shows `session.findings`; `host` (the editor window) moves the cursor to a finding and re-runs the
    checks after a giải trình changed."""

    def __init__(self, session, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.host = session, host
        self.filter = "all"
        self.shown_signature = None  # what the panel shows, to skip needless rebuilds
        self.tree_findings: list[Finding] = []  # the findings the tree's rows index into
        self.checks_menu: QMenu | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        title_row = QHBoxLayout()
        title = QLabel("Kiểm tra")
        title.setObjectName("panelTitle")
        title_row.addWidget(title)
        self.busy_label = QLabel("Đang soát lỗi…")
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setToolTip("Đang soát lỗi nội dung (số liệu, ngày tháng, tên đơn vị…) trong nền; "
                                   "vẫn gõ tiếp bình thường.")
        self.busy_label.hide()
        title_row.addWidget(self.busy_label)
        title_row.addStretch(1)
        layout.addLayout(title_row)
        # on its own line: beside the title it was cut in a narrow panel at 125%
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #5f6b78;")
        layout.addWidget(self.summary)
        filters = QGridLayout()
        filters.setSpacing(0)
        self._filter_group = QButtonGroup(self)
        self._filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QToolButton] = {}
        places = {"all": (0, 0, 1, 2), "error": (0, 2, 1, 2), "warning": (0, 4, 1, 2), "info": (1, 0, 1, 2),
                  "kept": (1, 2, 1, 4)}
        for key, text in FILTERS:
            button = QToolButton()
            button.setObjectName("filterButton")
            button.setText(text)
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, k=key: self.set_filter(k))
            self._filter_group.addButton(button)
            self.filter_buttons[key] = button
            filters.addWidget(button, *places[key])
        self.filter_buttons["all"].setChecked(True)
        layout.addLayout(filters)
        self.tree = WrappingTree()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setIndentation(10)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.itemClicked.connect(self.activate)
        self.tree.itemActivated.connect(self.activate)
        self.tree.currentItemChanged.connect(lambda *_: self.update_justify_buttons())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self.show_menu)
        layout.addWidget(self.tree, 1)
        actions = QHBoxLayout()
        actions.setSpacing(4)
        self.justify_button = QPushButton("Giả&i trình…")
        self.justify_button.setObjectName("checkAction")
        self.justify_button.clicked.connect(lambda: self.request_justify())
        self.unjustify_button = QPushButton("Bỏ giải trìn&h")
        self.unjustify_button.setObjectName("checkAction")
        self.unjustify_button.clicked.connect(lambda: self.remove_justification())
        actions.addWidget(self.justify_button, 1)
        actions.addWidget(self.unjustify_button, 1)
        layout.addLayout(actions)
        hint = QLabel("Nhấp vào một dòng để đến chỗ cần sửa; cảnh báo có thể giữ lại bằng giải trình "
                      "(nhấp chuột phải).")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7784; font-size: 8.5pt;")
        from ..help_window import link_help
        link_help(hint, "ky")
        layout.addWidget(hint)
        self.update_justify_buttons()
        self.setMinimumWidth(240)

    # == showing =================================================================================
    def _signature(self):
        return self.filter, tuple((f.key, f.severity, f.message, f.justification) for f in self.session.findings)

    def show_findings(self) -> None:
        """Rebuild the tree when the findings (or the filter) changed since it was last built."""
        if self._signature() != self.shown_signature:
            self.populate()

    def set_filter(self, severity: str) -> None:
        """"all", "error", "warning", "info" or "kept" (warnings kept with a giải trình)."""
        button = self.filter_buttons.get(severity)
        if button is not None:
            button.setChecked(True)
        self.filter = severity
        self.populate()

    def populate(self) -> None:
        findings = self.session.findings
        tally = finding_counts(findings)  # the filters and the summary say the same numbers
        counts = {"error": tally.errors, "warning": tally.warnings, "info": tally.info, "kept": tally.kept}
        labels = dict(FILTERS)
        for key, button in self.filter_buttons.items():
            button.setText(labels[key] if key == "all" else f"{labels[key]} {counts[key]}")
            key_name = f"Alt+{list(labels).index(key) + 1}"  # set after the text: setText resets a shortcut
            button.setShortcut(QKeySequence(key_name))
            button.setToolTip(FILTER_TIPS[key] + ("" if key == "all" else f": {counts[key]}") + f" ({key_name})")
        if not findings:
            self.summary.setText("Không có lỗi")
        else:
            text = f"{tally.errors} lỗi · {tally.warnings} cảnh báo"
            if tally.kept:
                text += f" · {tally.kept} đã giải trình"
            self.summary.setText(text)
        current = self.selected_finding()  # of the list the tree shows now, before it is rebuilt
        scroll = self.tree.verticalScrollBar().value()
        self.shown_signature = self._signature()
        self.tree_findings = list(findings)
        self.tree.setUpdatesEnabled(False)
        try:
            self.tree.clear()
            self._fill_tree()
            if current is not None:
                item = self.finding_item(lambda f: f.key == current.key)
                if item is not None:
                    self.tree.setCurrentItem(item)
            self.tree.verticalScrollBar().setValue(scroll)
        finally:
            self.tree.setUpdatesEnabled(True)
        self.update_justify_buttons()

    def passes_filter(self, finding: Finding) -> bool:
        if self.filter == "all":
            return True
        kept = finding.severity == "warning" and bool(finding.justification)
        if self.filter == "kept":
            return kept
        return finding.severity == self.filter and not kept

    def _fill_tree(self) -> None:
        findings = self.session.findings
        template = self.session.template
        shown = [f for f in findings if self.passes_filter(f)]
        if not shown:
            empty = QTreeWidgetItem(self.tree, [
                "Không có phát hiện nào." if not findings else "Không có mục nào ở bộ lọc này."])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            empty.setData(0, Qt.ItemDataRole.UserRole, ("none", ""))
            empty.setForeground(0, QBrush(QColor("#6b7784")))
            return
        order = {s.path: i for i, s in enumerate(template.walk())}
        # errors first, then warnings, gợi ý, kept warnings; within each, in the document's order (a
        # section with an error and a warning shows under both)
        groups: dict[tuple[int, str], list[tuple[int, Finding]]] = {}
        for index, finding in enumerate(findings):
            if not self.passes_filter(finding):
                continue
            section = finding.section if finding.section in order else HEADER_GROUP
            groups.setdefault((reading_rank(finding), section), []).append((index, finding))
        bold = QFont(self.tree.font())
        bold.setBold(True)
        italic = QFont(self.tree.font())
        italic.setItalic(True)
        for rank, key in sorted(groups, key=lambda g: (g[0], -1 if g[1] == HEADER_GROUP else order[g[1]])):
            if key == HEADER_GROUP:
                title = "Thông tin chung (số, ngày, kỳ báo cáo)"
            else:
                title = template.section(key).heading
            group = QTreeWidgetItem(self.tree, [title])
            group.setFont(0, bold)
            group.setForeground(0, QBrush(QColor("#33414f")))
            group.setData(0, Qt.ItemDataRole.UserRole, ("section", key))
            group.setToolTip(0, title)
            for index, finding in groups[(rank, key)]:
                item = QTreeWidgetItem(group, [finding.message])
                item.setData(0, Qt.ItemDataRole.UserRole, ("finding", index))
                if finding.justification:
                    item.setIcon(0, severity_icon("kept"))
                    item.setForeground(0, QBrush(QColor("#4a5561")))
                    item.setToolTip(0, f"Cảnh báo đã giữ lại: {finding.message}\n\nGiải trình: "
                                       f"{finding.justification}\n\n(Nhấp chuột phải để sửa hoặc bỏ giải trình)")
                    reason = QTreeWidgetItem(item, [f"Giải trình: {finding.justification}"])
                    reason.setFont(0, italic)
                    reason.setForeground(0, QBrush(QColor(SEVERITY_COLORS["kept"])))
                    reason.setData(0, Qt.ItemDataRole.UserRole, ("justification", index))
                    reason.setToolTip(0, finding.justification)
                else:
                    item.setIcon(0, severity_icon(finding.severity))
                    tip = f"{SEVERITY_LABELS.get(finding.severity, '')}: {finding.message}"
                    if finding.severity == "warning":
                        tip += "\n\n(Nhấp chuột phải → “Giữ lại và giải trình…” nếu số liệu đúng như vậy)"
                    item.setToolTip(0, tip)
        self.tree.expandAll()

    # == rows ====================================================================================
    def finding_item(self, predicate) -> QTreeWidgetItem | None:
        """The first finding row whose Finding satisfies `predicate`."""
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for c in range(group.childCount()):
                item = group.child(c)
                kind, index = item.data(0, Qt.ItemDataRole.UserRole)
                if kind == "finding" and predicate(self.tree_findings[index]):
                    return item
        return None

    def justification_item(self, finding: Finding) -> QTreeWidgetItem | None:
        """The “Giải trình: …” line shown under a kept warning."""
        item = self.finding_item(lambda f: f.key == finding.key)
        return item.child(0) if item is not None and item.childCount() else None

    def select(self, finding: Finding) -> None:
        """Make a finding's row current and visible."""
        item = self.finding_item(lambda f: f.key == finding.key)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)

    def finding_of(self, item: QTreeWidgetItem | None) -> Finding | None:
        data = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if not data or data[0] not in ("finding", "justification"):
            return None
        return self.tree_findings[data[1]] if data[1] < len(self.tree_findings) else None

    def selected_finding(self) -> Finding | None:
        return self.finding_of(self.tree.currentItem())

    def activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        """A click on a row: go to its section, or to where its finding points."""
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if not data:
            return
        kind, value = data
        if kind == "none":
            return
        if kind == "section":
            if value != HEADER_GROUP:
                self.host.select_section(value)
            return
        self.host.go_to_finding(self.tree_findings[value])

    # == giải trình (kept warnings) ==============================================================
    def update_justify_buttons(self) -> None:
        finding = self.selected_finding()
        why = self.session.justify_block_reason(finding)
        kept = finding is not None and bool(finding.justification)
        locked = self.session.locked
        self.justify_button.setText("Sửa giả&i trình…" if kept else "Giả&i trình…")
        self.justify_button.setEnabled(not why)
        self.justify_button.setToolTip(why or ("Sửa lý do giữ lại cảnh báo này" if kept else
                                               "Giữ lại cảnh báo này với lý do viết ra (giải trình); "
                                               "giải trình được gửi kèm lên cấp trên"))
        self.unjustify_button.setEnabled(kept and not locked)
        self.unjustify_button.setToolTip(LOCKED_NO_JUSTIFY if kept and locked else
                                         "Bỏ giải trình: cảnh báo lại chặn việc ký" if kept else
                                         "Chỉ dùng cho cảnh báo đã có giải trình")

    def show_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        finding = self.finding_of(item)
        if finding is None:
            return
        self.tree.setCurrentItem(item)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        go = menu.addAction("Đến chỗ cần sửa")
        go.triggered.connect(lambda: self.host.go_to_finding(finding))
        if finding.code == FIGURES_ONLY:
            write = menu.addAction("Chèn câu từ số liệu")
            write.setToolTip("Viết câu có số liệu của mục vào nội dung; sau đó sửa như văn bản thường")
            write.setEnabled(not self.session.locked)
            write.triggered.connect(lambda: self.insert_sentences(finding))
        menu.addSeparator()
        why = self.session.justify_block_reason(finding)
        keep = menu.addAction("Sửa giải trình…" if finding.justification else "Giữ lại và giải trình…")
        keep.setEnabled(not why)
        keep.setToolTip(why)
        keep.triggered.connect(lambda: self.request_justify(finding))
        if finding.justification:
            drop = menu.addAction("Bỏ giải trình")
            drop.setEnabled(not self.session.locked)
            drop.triggered.connect(lambda: self.remove_justification(finding))
        self.checks_menu = menu
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def insert_sentences(self, finding: Finding) -> bool:
        """A section with figures and no text: write its sentences into the text, at the section."""
        self.host.select_section(finding.section)
        return self.host.insert_sentences(None)

    def request_justify(self, finding: Finding | None = None) -> ReasonDialog | None:
        """Open the giải trình dialog for a warning (the selected one by default)."""
        finding = finding or self.selected_finding()
        if self.session.justify_block_reason(finding):
            return None
        dialog = ReasonDialog(
            "Giải trình cảnh báo", "Giữ lại cảnh báo này với lý do:", "Lưu giải trình", self.host,
            quoted=finding.message, text=finding.justification,
            placeholder="Ví dụ: Số liệu đúng theo báo cáo của Phòng Kinh tế ngày 05/6/2026; "
                        "chênh lệch do cách tính khác nhau.",
            note="Giải trình được lưu cùng báo cáo và gửi kèm lên cấp trên. Cảnh báo có giải trình "
                 "không còn chặn việc ký.",
            remove_text="&Bỏ giải trình" if finding.justification else "")
        dialog.accepted.connect(lambda: self.justify(finding, dialog.reason()))
        dialog.removal_requested.connect(lambda: self.remove_justification(finding))
        self.host.keep_dialog("reason_dialog", dialog)
        dialog.open()
        return dialog

    def justify(self, finding: Finding, reason: str) -> bool:
        """Store (or, with an empty reason, remove) the written reason that keeps a warning."""
        self.host.flush()
        try:
            self.session.justify(finding, reason)
        except (ServiceError, StoreBusy) as exc:
            self.host.show_notice(str(exc))
            self.host.run_checks()
            return False
        self.host.run_checks()
        self.select(finding)
        return True

    def remove_justification(self, finding: Finding | None = None) -> bool:
        finding = finding or self.selected_finding()
        if finding is None or not finding.justification or self.session.locked:
            return False
        return self.justify(finding, "")
