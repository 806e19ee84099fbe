"""Nhập từ tệp Word: the new-report dialog (template, period, number, date) for a chosen .docx; on
"Nhập" the file becomes a new report (services.docx_import) and `self.report` holds it."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QWidget

from ..services.errors import ServiceError
from .new_report_dialog import NewReportDialog


class ImportDocxDialog(NewReportDialog):
    def __init__(self, workspace, path: str | Path, parent: QWidget | None = None, today=None):
        super().__init__(workspace, parent, today=today)
        self.path = Path(path)
        self.result = None
        self.setWindowTitle("Nhập báo cáo từ tệp Word")
        for label in self.findChildren(QLabel):
            if label.text() == "Tạo báo cáo mới":
                label.setText("Nhập báo cáo từ tệp Word")
        intro = QLabel(f"Tệp: <b>{_html(self.path.name)}</b><br>Các đề mục trong tệp được xếp vào mục tương "
                       "ứng của mẫu; đoạn nào không khớp mục nào được giữ trong mục "
                       "“Nội dung chưa xếp mục” để chuyển sau.")
        intro.setObjectName("importIntro")
        intro.setWordWrap(True)
        intro.setToolTip(str(self.path))
        intro.setStyleSheet("color: #333;")
        self.layout().insertWidget(1, intro)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Nhập")
        self.suggest_template()

    def suggest_template(self) -> None:
        """Preselect the template whose sections the file's headings match best; a file that cannot be
        read is said at once."""
        from ..services.docx_import import suggest_template
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            code = suggest_template(self.workspace.templates(), self.path)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        index = self.template_combo.findData(code) if code else -1
        if index >= 0:
            self.template_combo.setCurrentIndex(index)

    def accept(self) -> None:
        if not self.template_code():
            self.show_error("Chưa có mẫu báo cáo nào. Hãy nhập mẫu trước.")
            return
        from ..services.docx_import import import_docx_report
        period = self.period()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result = import_docx_report(
                self.workspace, self.path, self.template_code(), period.start, period.end,
                number=self.number_edit.text().strip(), report_date=self.report_date())
            self.report = self.workspace.report(self.result.report_id, with_content=False)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        QDialog.accept(self)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
