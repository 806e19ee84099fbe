"""Soát lỗi văn bản Word…: proofread any .docx/.txt file (issue 5 point 4), show the findings, print or save
a report of them. The proofreader is pure, so it runs as a task of the runner (ui/tasks.py, latest wins:
choosing another file drops the result of the one before) and the dialog stays responsive."""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..checks.findings import SEVERITIES, SEVERITY_LABELS
from .common import error_banner, show_error
from .help_window import link_help
from .tasks import run_task
from ..domain.error_text import os_error_reason

TITLE = "Soát lỗi văn bản Word"
CATEGORY_LABELS = {
    "ratio_percent": "Tỷ lệ phần trăm",
    "total_parts": "Tổng và các thành phần",
    "repeated_figure_conflict": "Số liệu mâu thuẫn",
    "magnitude_unit": "Đơn vị, bậc số",
    "date_logic": "Ngày tháng",
    "doc_symbol": "Số, ký hiệu văn bản",
    "duplicate_text": "Đoạn văn lặp",
    "unit_or_place_name": "Tên đơn vị, địa danh",
    "numbering": "Đánh số mục",
    "unicode_format": "Định dạng chữ",
    "claim_vs_figure": "Nhận xét và số liệu",
    "placeholder_left": "Chỗ trống chưa điền",
    "spelling": "Chính tả",
}
SEVERITY_COLORS = {"error": "#b3261e", "warning": "#9a6700", "info": "#1f5fa8"}
SEVERITY_BACKGROUNDS = {"error": "#fdecea", "warning": "#fff4d6", "info": "#e8f0fb"}
HEADERS = ("Vị trí", "Mức", "Loại", "Nội dung")


def location_text(finding) -> str:
    """'chú thích N' / 'dòng N' (1-based already) / 'đoạn N' (the JSON paragraph is 0-based)."""
    if finding.footnote is not None:
        return f"chú thích {finding.footnote}"
    if finding.line is not None:
        return f"dòng {finding.line}"
    if finding.paragraph is not None:
        return f"đoạn {finding.paragraph + 1}"
    return ""


def category_text(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def summary_text(findings) -> str:
    if not findings:
        return "Không phát hiện lỗi nào."
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    parts = [f"{counts[s]} {SEVERITY_LABELS[s].lower()}" for s in SEVERITIES if counts[s]]
    return f"Tìm thấy {len(findings)} điểm cần xem: " + ", ".join(parts) + "."


def proofread_work(path: str, context):
    """The task: the findings of one file (a file that cannot be read is a UserError with its reason)."""
    def proofread(_control):
        from ..checks.proofread import proofread_file
        return proofread_file(path, context)
    return proofread


class ProofreadDialog(QDialog):
    """Choose a file, see its findings; `load_file(path)` starts proofreading without the file dialog."""

    finished_loading = Signal()

    def __init__(self, parent: QWidget | None = None, workspace=None):
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(TITLE)
        self.resize(980, 600)
        self.path: Path | None = None
        self.findings: list = []
        self.error_message = ""
        self.busy = False
        self.task = None  # the latest proofreading Task
        self.unit = None
        if workspace is not None:
            try:
                self.unit = workspace.own_unit()
            except Exception:
                self.unit = None

        layout = QVBoxLayout(self)
        intro = QLabel("Chọn một tệp Word (.docx) hoặc văn bản (.txt) để soát các lỗi mà công cụ kiểm tra chính tả "
                       "không thấy: tỷ lệ phần trăm, tổng và các thành phần, số liệu mâu thuẫn, ngày tháng, số ký "
                       "hiệu văn bản, tên đơn vị, đánh số mục…")
        intro.setWordWrap(True)
        layout.addWidget(link_help(intro, "soat-loi"))
        row = QHBoxLayout()
        self.choose_button = QPushButton("&Chọn tệp…")
        self.choose_button.clicked.connect(self.choose_file)
        row.addWidget(self.choose_button)
        self.file_label = QLabel("Chưa chọn tệp.")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.file_label, 1)
        layout.addLayout(row)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        self.summary_label = QLabel("")
        self.summary_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary_label)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.print_button = QPushButton("&In kết quả…")
        self.print_button.clicked.connect(lambda: self.print_preview())
        self.save_button = QPushButton("&Lưu kết quả…")
        self.save_button.clicked.connect(lambda: self.save_results())
        self.close_button = QPushButton("Đón&g")
        self.close_button.clicked.connect(self.reject)
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._update_buttons()

    # == input ==================================================================================
    def _settings(self) -> QSettings:
        parent = self.parent()
        return getattr(parent, "settings", None) or QSettings()

    def choose_file(self) -> None:
        settings = self._settings()
        folder = settings.value("proofread/dir") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp cần soát lỗi", str(folder),
                                              "Văn bản Word hoặc văn bản thuần (*.docx *.txt);;"
                                              "Văn bản Word (*.docx);;Văn bản thuần (*.txt);;Tất cả các tệp (*)")
        if path:
            settings.setValue("proofread/dir", str(Path(path).parent))
            self.load_file(path)

    def context(self):
        from ..checks.proofread import ProofreadContext
        return ProofreadContext.from_unit(self.unit) if self.unit is not None else None

    def load_file(self, path) -> None:
        """Proofread `path` as a task; `finished_loading` is emitted when results (or an error) show."""
        self.path = Path(path)
        self.findings, self.error_message, self.busy = [], "", True
        self.file_label.setText(f"Tệp: {self.path.name}")
        self.file_label.setToolTip(str(self.path))
        self.error_label.hide()
        self.table.setRowCount(0)
        self.summary_label.setText("Đang soát lỗi…")
        self._update_buttons()
        self.task = run_task(proofread_work(str(self.path), self.context()), key=f"proofread-file-{id(self)}",
                             owner=self, what="soát lỗi tệp", on_success=self._on_done, on_failure=self._on_failed)

    def _on_done(self, findings) -> None:
        self.busy = False
        self.findings = list(findings)
        self._fill_table()
        self.summary_label.setText(summary_text(self.findings))
        self._update_buttons()
        self.finished_loading.emit()

    def _on_failed(self, failure) -> None:
        self.busy = False
        self.findings = []
        self.error_message = failure.text
        self.error_label.setText(failure.text)
        self.error_label.show()
        self.summary_label.setText("")
        self._update_buttons()
        self.finished_loading.emit()

    def _update_buttons(self) -> None:
        ready = self.path is not None and not self.busy and not self.error_message
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.choose_button.setEnabled(not self.busy)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.findings))
        for row, finding in enumerate(self.findings):
            texts = (location_text(finding), SEVERITY_LABELS.get(finding.severity, finding.severity),
                     category_text(finding.category), finding.message)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 1:
                    item.setForeground(QBrush(QColor(SEVERITY_COLORS.get(finding.severity, "#000000"))))
                    item.setBackground(QBrush(QColor(SEVERITY_BACKGROUNDS.get(finding.severity, "#ffffff"))))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()

    # == report =================================================================================
    def unit_name(self) -> str:
        return (self.unit.name or "") if self.unit is not None else ""

    def report_html(self, today: dt.date | None = None) -> str:
        today = today or dt.date.today()
        esc = html.escape
        rows = []
        for index, f in enumerate(self.findings, 1):
            color = SEVERITY_COLORS.get(f.severity, "#000000")
            rows.append(
                f"<tr><td align='center'>{index}</td><td>{esc(location_text(f))}</td>"
                f"<td><font color='{color}'><b>{esc(SEVERITY_LABELS.get(f.severity, f.severity))}</b></font></td>"
                f"<td>{esc(category_text(f.category))}</td><td>{esc(f.message)}</td></tr>")
        meta = [f"<b>Tệp:</b> {esc(self.path.name if self.path else '')}",
                f"<b>Ngày soát:</b> {today.day:02d}/{today.month:02d}/{today.year}"]
        if self.unit_name():
            meta.append(f"<b>Đơn vị:</b> {esc(self.unit_name())}")
        table = ("<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
                 "<tr><th>STT</th>" + "".join(f"<th>{h}</th>" for h in HEADERS) + "</tr>"
                 + "".join(rows) + "</table>") if rows else "<p>Không phát hiện lỗi nào.</p>"
        return ("<html><head><meta charset='utf-8'><title>Kết quả soát lỗi văn bản</title></head>"
                "<body style='font-family: \"Times New Roman\", serif; font-size: 12pt;'>"
                "<h2 align='center'>KẾT QUẢ SOÁT LỖI VĂN BẢN</h2>"
                f"<p>{'<br/>'.join(meta)}</p><p><i>{esc(summary_text(self.findings))}</i></p>{table}"
                "</body></html>")

    def report_text(self, today: dt.date | None = None) -> str:
        today = today or dt.date.today()
        lines = ["KẾT QUẢ SOÁT LỖI VĂN BẢN", f"Tệp: {self.path.name if self.path else ''}",
                 f"Ngày soát: {today.day:02d}/{today.month:02d}/{today.year}"]
        if self.unit_name():
            lines.append(f"Đơn vị: {self.unit_name()}")
        lines += [summary_text(self.findings), ""]
        for index, f in enumerate(self.findings, 1):
            lines.append(f"{index}. [{SEVERITY_LABELS.get(f.severity, f.severity)}] {location_text(f)} — "
                         f"{category_text(f.category)}: {f.message}")
        return "\n".join(lines) + "\n"

    def print_document(self) -> QTextDocument:
        document = QTextDocument(self)
        document.setHtml(self.report_html())
        return document

    def print_preview(self, show: bool = True) -> QPrintPreviewDialog:
        from .print_preview import localize_preview
        document = self.print_document()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("Xem trước khi in — Kết quả soát lỗi")
        dialog._printer, dialog._document = printer, document
        dialog.paintRequested.connect(document.print_)
        localize_preview(dialog)
        if show:
            dialog.exec()
        return dialog

    def save_results(self, path=None) -> Path | None:
        if path is None:
            stem = self.path.stem if self.path else "van_ban"
            folder = Path(str(self._settings().value("proofread/dir") or Path.home()))
            path, chosen = QFileDialog.getSaveFileName(
                self, "Lưu kết quả soát lỗi", str(folder / f"{stem}_soat_loi.html"),
                "Trang HTML (*.html);;Văn bản thuần (*.txt)")
            if not path:
                return None
            if not Path(path).suffix:
                path += ".txt" if "txt" in chosen else ".html"
        path = Path(path)
        content = self.report_text() if path.suffix.lower() == ".txt" else self.report_html()
        try:
            path.write_text(content, encoding="utf-8")
        except OSError as exc:
            show_error(self, "Không lưu được", f"Không ghi được tệp “{path.name}”: {os_error_reason(exc)}.")
            return None
        return path


def open_proofread_dialog(window) -> ProofreadDialog:
    """From the main window's Tệp menu: a non-modal dialog (one at a time), with the window's workspace."""
    dialog = getattr(window, "proofread_dialog", None)
    if dialog is not None and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = ProofreadDialog(window, getattr(window, "workspace", None))
    window.proofread_dialog = dialog
    dialog.show()
    return dialog
