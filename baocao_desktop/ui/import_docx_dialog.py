"""Nhập từ tệp Word: the new-report dialog (template, period, number, date) for a chosen .docx; on
"Nhập" the file becomes a new report (services.docx_import, on the task runner) and `self.report` holds it."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from .common import to_qdate
from .new_report_dialog import NewReportDialog
from .tasks import in_own_workspace, runner


class ImportDocxDialog(NewReportDialog):
    def __init__(self, workspace, path: str | Path, parent: QWidget | None = None, today=None):
        super().__init__(workspace, parent, today=today)
        self.path = Path(path)
        self.result = None
        self._suggesting = self._importing = None  # tasks on the runner
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
        # what the file's front matter and closing give the new report's “Thông tin văn bản” (issue 15.1)
        self.header_label = QLabel()
        self.header_label.setObjectName("importHeader")
        self.header_label.setWordWrap(True)
        self.header_label.setStyleSheet("background: #f3f7fc; border: 1px solid #c9d8ea; padding: 6px;")
        self.header_label.hide()
        self.layout().insertWidget(2, self.header_label)
        self.preview = None  # services.docx_import.ImportPreview once the file is read
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Nhập")
        self.suggest_template()

    def suggest_template(self) -> None:
        """Preselect the template whose sections the file's headings match best and show the header items
        the file states (the file is read on the task runner); a file that cannot be read is said as soon
        as it is known."""
        from ..services.docx_import import preview_import
        templates, path = self.workspace.templates(), self.path
        self._suggesting = runner().run(lambda _control: preview_import(templates, path), owner=self,
                                        key=f"import-suggest:{id(self)}", what="đọc tệp Word",
                                        on_success=self._previewed, on_failure=self._failed)

    def _previewed(self, preview) -> None:
        self.preview = preview
        self._preselect(preview.template_code)
        header = preview.header
        if header.number and not self.number_edit.text().strip() and self.template_code():
            from ..services.docx_import import report_number
            self.number_edit.setText(report_number(self.workspace, self.template_code(), header.number))
        if header.date:
            self.report_date_edit.setDate(to_qdate(header.date))  # the file's, as if typed (kept on period change)
        lines = header.descriptions()
        if lines:
            self.header_label.setText(
                "<b>Phần đầu và phần kết của tệp → trang “Thông tin văn bản”</b> (không vào mục nào; Số và ngày "
                "đã điền vào ô bên dưới):<br>" + " &nbsp;·&nbsp; ".join(_html(line) for line in lines))
            self.header_label.show()
            # the dialog was laid out without the list: grow it, or the rows below are squeezed
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    @property
    def busy(self) -> bool:
        """The file is being read or imported on the task runner."""
        return any(task is not None and task.running for task in (self._suggesting, self._importing))

    def _preselect(self, code: str | None) -> None:
        index = self.template_combo.findData(code) if code else -1
        if index >= 0:
            self.template_combo.setCurrentIndex(index)

    def _failed(self, failure) -> None:
        self._set_importing(False)
        self.show_error(failure.text)  # a UserError as it is; a bug logged and said as such

    def accept(self) -> None:
        if not self.template_code():
            self.show_error("Chưa có mẫu báo cáo nào. Hãy nhập mẫu trước.")
            return
        if self.busy:
            return
        from ..services.docx_import import import_docx_report
        period, path, code = self.period(), self.path, self.template_code()
        number, report_date = self.number_edit.text().strip(), self.report_date()

        def import_report(own, _control):
            return import_docx_report(own, path, code, period.start, period.end, number=number,
                                      report_date=report_date)
        self._set_importing(True)
        self._importing = runner().run(in_own_workspace(self.workspace, import_report), owner=self,
                                       what="nhập tệp Word", on_success=self._imported, on_failure=self._failed)

    def _imported(self, result) -> None:
        self._set_importing(False)
        self.result = result
        self.report = self.workspace.report(result.report_id, with_content=False)
        QDialog.accept(self)

    def _set_importing(self, importing: bool) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not importing)
        ok.setText("Đang nhập…" if importing else "Nhập")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
