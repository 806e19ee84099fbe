"""Move a report to the newest version of its template: a preview of what goes where, then confirm."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import report_migration as rm
from ..services.errors import ServiceError
from .common import button_box, error_banner, heading_label_style, show_error, show_info
from .help_window import link_help

TITLE = "Chuyển báo cáo sang phiên bản mẫu mới"
COLUMNS = ("Nội dung", "Số liệu", "Mục hiện tại", "Mục trong mẫu mới", "Kết quả")
STATUS_BRUSHES = {rm.MOVED: QBrush(QColor("#e8f1fb")), rm.UNPLACED: QBrush(QColor("#fff3cd"))}
SHORT_STATUS = {rm.KEPT: "Giữ nguyên mục", rm.MOVED: "Chuyển mục",
                rm.UNPLACED: "Không có chỗ"}
# what needs the user's eye first: content without a place, then content that changes section
STATUS_ORDER = {rm.UNPLACED: 0, rm.MOVED: 1, rm.KEPT: 2}


class MigrateDialog(QDialog):
    """Shows `report_migration.migration_plan` and applies it on confirmation; `self.plan` is the
    applied plan after acceptance."""

    def __init__(self, workspace, report_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.report_id = report_id
        self.plan = rm.migration_plan(workspace, report_id)
        self.rows = sorted(self.plan.items, key=lambda item: STATUS_ORDER[item.status])
        self.applied = False
        report = workspace.report(report_id, with_content=False)
        self.setWindowTitle(TITLE)
        self.setModal(True)

        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        title = QLabel(f"{self.plan.template_name}, {report.period.label()}: "
                       f"chuyển từ phiên bản {self.plan.from_version} sang phiên bản {self.plan.to_version}")
        title.setStyleSheet(heading_label_style(13))
        title.setWordWrap(True)
        outer.addWidget(title)
        explain = QLabel(
            "Nội dung được xếp theo mã chỉ tiêu, mã bảng và tên mục, không theo số thứ tự mục. Nội dung không có "
            "chỗ trong mẫu mới được đưa vào mục “Nội dung chưa xếp mục” (in cuối báo cáo) để anh/chị chuyển vào "
            "đúng mục: không mất gì. Nội dung trước khi chuyển được lưu trong lịch sử sửa đổi.")
        explain.setWordWrap(True)
        outer.addWidget(link_help(explain, "chuyen-mau"))
        self.summary_label = QLabel(self.plan.summary())
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("font-weight: 600; color: #1f4e79;")
        outer.addWidget(self.summary_label)
        if report.locked:
            self.locked_label = QLabel(
                f"Báo cáo đang ở trạng thái “{report.status_label}”: hãy mở khóa (ghi rõ lý do) trước khi chuyển.")
            self.locked_label.setStyleSheet("color: #8a1c1c; font-weight: 600;")
            outer.addWidget(self.locked_label)

        self.changes_only = QCheckBox("Chỉ hiện nội dung chuyển mục hoặc không có chỗ")
        self.changes_only.toggled.connect(self._filter)
        outer.addWidget(self.changes_only)

        self.table = QTableWidget(len(self.rows), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for row, item in enumerate(self.rows):
            text_item = item.kind == "text"
            result = "Giữ mục, đánh số lại" if item.renumbered else SHORT_STATUS[item.status]
            cells = (f"{item.label}: “{item.preview}”" if text_item else item.label,
                     "" if text_item else item.preview, item.source, item.target, result)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text if column != 4 else item.status_label)
                if column == 1 and item.kind != "text":
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if item.status in STATUS_BRUSHES:
                    cell.setBackground(STATUS_BRUSHES[item.status])
                self.table.setItem(row, column, cell)
        for column, width in enumerate((300, 95, 250, 250)):
            self.table.setColumnWidth(column, width)
        self.table.resizeRowsToContents()
        outer.addWidget(self.table, 1)

        self.error_label = error_banner()
        outer.addWidget(self.error_label)
        self.buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(f"Chuyển sang phiên bản {self.plan.to_version}")
        self.ok_button.setEnabled(not report.locked and not self.plan.up_to_date)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.resize(1040, 600)

    def visible_rows(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def _filter(self, changes_only: bool) -> None:
        for row, item in enumerate(self.rows):
            self.table.setRowHidden(row, changes_only and item.status == rm.KEPT)

    def accept(self) -> None:
        try:
            self.plan = rm.apply_migration(self.workspace, self.report_id)
        except ServiceError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.applied = True
        super().accept()


def open_migrate_dialog(main_window, report_id: str) -> bool:
    """Menu action "Chuyển sang phiên bản mẫu mới…": explains why not when it cannot be done, else shows
    the preview and moves on confirmation. True when the report was moved (the caller reloads it)."""
    workspace = main_window.workspace
    try:
        report = workspace.report(report_id, with_content=False)
        plan = rm.migration_plan(workspace, report_id)
    except ServiceError as exc:
        show_error(main_window, TITLE, str(exc))
        return False
    if plan.up_to_date:
        show_info(main_window, TITLE, f"Báo cáo đã dùng phiên bản mới nhất của mẫu “{plan.template_name}” "
                                      f"(phiên bản {plan.from_version}): không cần chuyển.")
        return False
    if report.locked:
        show_error(main_window, TITLE,
                   f"Báo cáo đang ở trạng thái “{report.status_label}”: nội dung đã khóa nên không chuyển sang "
                   f"phiên bản mẫu mới được.",
                   "Hãy mở khóa báo cáo (ghi rõ lý do) rồi chuyển, sau đó kiểm tra và ký lại.")
        return False
    dialog = MigrateDialog(workspace, report_id, main_window)
    return dialog.exec() == QDialog.DialogCode.Accepted and dialog.applied
