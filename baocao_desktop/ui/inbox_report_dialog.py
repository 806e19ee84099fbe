"""A received report as the upper level judges it (from Tình hình nộp báo cáo): who, when, status,
versions, every finding of its checks with the unit's giải trình, and the report itself read-only."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..aggregate.combine import short_unit_name
from ..checks.findings import SEVERITY_LABELS, finding_counts
from ..domain.dates import format_date
from ..domain.model import STATUS_LABELS
from ..services.inbox import InboxCell
from .common import error_banner
from .errors import failure_of, show_failure
from .inbox_grid import CELL_COLORS, state_text


class ReceivedReportDialog(QDialog):
    """What the upper level needs to judge one received report: who, when, status, versions, and every
    finding of its checks with the unit's giải trình; "Xem toàn văn…" shows the report itself (read-only)."""

    HEADERS = ("Mức", "Nội dung", "Giải trình của đơn vị")

    def __init__(self, workspace, cell: InboxCell, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.cell = cell
        self.setWindowTitle(f"{short_unit_name(cell.unit_name)} — {cell.template_name} {cell.period.label()}")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{html.escape(cell.unit_name)}</b><br/>"
                       f"{html.escape(cell.template_name)} — {html.escape(cell.period.label())}")
        title.setStyleSheet("font-size: 12pt;")
        layout.addWidget(title)
        facts = [f"Hạn nộp: {format_date(cell.due)}"]
        if cell.sent_on:
            facts.append(f"gửi ngày {format_date(cell.sent_on)} ({state_text(cell).lower()})")
        if cell.status:
            facts.append(f"trạng thái: {STATUS_LABELS.get(cell.status, cell.status)}")
        if cell.versions > 1:
            facts.append(f"đã nhận {cell.versions} bản")
        if cell.conflict:
            facts.append("có xung đột giữa các bản")
        self.facts_label = QLabel("; ".join(facts) + ".")
        self.facts_label.setWordWrap(True)
        layout.addWidget(self.facts_label)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        self.summary_label = QLabel("")
        self.summary_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.view_button = QPushButton("&Xem toàn văn…")
        self.view_button.setToolTip("Xem báo cáo của đơn vị như bản in (chỉ xem, không sửa)")
        self.view_button.clicked.connect(lambda: self.preview())
        close = QPushButton("Đón&g")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.view_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.findings = self._load_findings()

    def _load_findings(self) -> list:
        from ..services.exchange import check_received
        try:
            findings = [f for f in check_received(self.workspace, self.cell.report_id) if f.severity != "info"]
        except Exception as exc:  # noqa: BLE001 (a UserError as it is, a bug logged and said as such)
            failure = failure_of(exc, "kiểm tra báo cáo nhận")
            self.error_label.setText(f"Không kiểm tra được báo cáo này: {failure.text}")
            self.error_label.show()
            return []
        self.table.setRowCount(len(findings))
        for row, finding in enumerate(findings):
            kept = finding.severity == "warning" and bool(finding.justification)
            severity = SEVERITY_LABELS.get(finding.severity, finding.severity) + (" (đã giải trình)" if kept else "")
            texts = (severity, finding.message, finding.justification)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    kind = "errors" if finding.severity == "error" else ("kept" if kept else "late")
                    item.setBackground(QBrush(QColor(CELL_COLORS[kind][0])))
                    item.setForeground(QBrush(QColor(CELL_COLORS[kind][1])))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        counts = finding_counts(findings)
        if not findings:
            self.summary_label.setText("Báo cáo không có lỗi hay cảnh báo nào.")
        else:
            self.summary_label.setText(f"{counts.errors} lỗi, {counts.warnings} cảnh báo chưa giải trình, "
                                       f"{counts.kept} cảnh báo có giải trình.")
        return findings

    def preview(self, show: bool = True) -> QPrintPreviewDialog | None:
        from .print_document import PrintDocument
        from .print_preview import make_preview_dialog
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            document = PrintDocument(self.workspace.document_model(self.cell.report_id))
        except Exception as exc:  # noqa: BLE001 (a UserError as it is, a bug logged and said as such)
            QApplication.restoreOverrideCursor()
            show_failure(self, "Không xem được báo cáo", exc)
            return None
        QApplication.restoreOverrideCursor()
        dialog = make_preview_dialog(document, self, f"{short_unit_name(self.cell.unit_name)} — "
                                                     f"{self.cell.template_name} {self.cell.period.label()}")
        if show:
            dialog.exec()
        return dialog
