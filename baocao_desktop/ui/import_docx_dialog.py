"""Nhập từ tệp Word: the new-report dialog (template, period, number, date) for a chosen .docx; on
"Nhập" the file becomes a new report (services.docx_import, on the task runner) and `self.report` holds it.
The figures the file's sentences state for the chosen template's indicators are listed, one tick box each:
the ticked ones are stored as if typed (issue 15.5)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .common import to_qdate
from .help_window import link_help
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
                       "“Nội dung chưa xếp mục” để chuyển sau. Xem lại mẫu, kỳ, số liệu rồi bấm Nhập.")
        intro.setObjectName("importIntro")
        intro.setWordWrap(True)
        intro.setToolTip(str(self.path))
        intro.setStyleSheet("color: #333;")
        self.help_line.hide()  # the new-report dialog's: this intro says what to do here
        self.layout().insertWidget(1, link_help(intro, "nhap-word"))
        # what the file's front matter and closing give the new report's “Thông tin văn bản” (issue 15.1)
        self.header_label = QLabel()
        self.header_label.setObjectName("importHeader")
        self.header_label.setWordWrap(True)
        self.header_label.setStyleSheet("background: #f3f7fc; border: 1px solid #c9d8ea; padding: 6px;")
        self.header_label.hide()
        # the header items and the figures side by side: the dialog must fit a 1366×768 screen at 125%
        found_row = QHBoxLayout()
        found_row.addWidget(self.header_label, 1, Qt.AlignmentFlag.AlignTop)
        figures_column = QVBoxLayout()
        found_row.addLayout(figures_column, 1)
        self.layout().insertLayout(2, found_row)
        # the figures the sentences state (services.figures_from_text): ticked = stored as if typed
        self.figures_label = QLabel()
        self.figures_label.setObjectName("importFiguresLabel")
        self.figures_label.setWordWrap(True)
        self.figures_label.hide()
        figures_column.addWidget(self.figures_label)
        self.figures_list = QListWidget()
        self.figures_list.setObjectName("importFigures")
        self.figures_list.setAccessibleName("Số liệu đọc từ câu văn")
        self.figures_list.setMaximumHeight(120)
        self.figures_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.figures_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # the whole line is in the tooltip
        self.figures_list.setWordWrap(True)  # a note on the file's figures part is a sentence or two
        self.figures_list.hide()
        figures_column.addWidget(self.figures_list)
        self.figures_list.itemChanged.connect(self._figures_ticked)
        self.template_combo.currentIndexChanged.connect(self._show_figures)
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
        self._show_figures()
        # the dialog was laid out without the lists: grow it, or the rows below are squeezed
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _show_figures(self) -> None:
        """List what the file's sentences state for the chosen template's indicators, all ticked but the
        approximate ones ("khoảng 2 tấn")."""
        self.figures_list.blockSignals(True)
        self.figures_list.clear()
        code = self.template_code()
        proposals = self.preview.figures(self.workspace.template(code)) if self.preview and code else []
        for proposal in proposals:
            item = QListWidgetItem(proposal.description())
            item.setData(Qt.ItemDataRole.UserRole, proposal.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if proposal.approximate else Qt.CheckState.Checked)
            item.setToolTip(f"{proposal.description()}\nMục {proposal.section}: “{proposal.quote}”")
            self.figures_list.addItem(item)
        # what the file's figures part (the app's own export) gave, or why it is ignored: first in the list
        # (it scrolls; the dialog must not grow), without a tick box
        notes = self.preview.notes(self.workspace.template(code)) if self.preview and code else []
        for row, note in enumerate(notes):
            item = QListWidgetItem(note)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(note)
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
            self.figures_list.insertItem(row, item)
        self.figures_list.blockSignals(False)
        self.figures_list.setVisible(bool(proposals or notes))
        self.figures_label.setVisible(bool(proposals or notes))
        self._figures_ticked()

    def _figures_ticked(self, _item=None) -> None:
        count = sum(1 for i in range(self.figures_list.count())
                    if self.figures_list.item(i).data(Qt.ItemDataRole.UserRole) is not None)
        ticked = len(self.accepted_figures())
        self.figures_label.setText(
            f"<b>Số liệu đọc từ câu văn → ô số liệu</b> (như khi gõ, rồi được kiểm tra); bỏ dấu số nào "
            f"không đúng. Đang chọn {ticked}/{count}.")

    def accepted_figures(self) -> list[tuple[str, str]]:
        """The (indicator, field) of the ticked figures."""
        items = (self.figures_list.item(i) for i in range(self.figures_list.count()))
        return [tuple(item.data(Qt.ItemDataRole.UserRole)) for item in items
                if item.checkState() == Qt.CheckState.Checked and item.data(Qt.ItemDataRole.UserRole) is not None]

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
        # a UserError as it is (a period that has its report already: with the button that opens it); a bug
        # logged and said as such
        self.show_error(failure.text, getattr(failure.error, "report_id", None))

    def accept(self) -> None:
        if not self.template_code():
            self.show_error("Chưa có mẫu báo cáo nào. Hãy nhập mẫu trước.")
            return
        if self.busy:
            return
        from ..services.docx_import import import_docx_report
        period, path, code = self.period(), self.path, self.template_code()
        number, report_date = self.number_edit.text().strip(), self.report_date()
        figures = self.accepted_figures()

        def import_report(own, _control):
            return import_docx_report(own, path, code, period.start, period.end, number=number,
                                      report_date=report_date, figures=figures)
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
