"""Template editor (issue 3): the section tree on the left, the selected section on the right (title,
guidance, example, indicator fields, tables), the template's checks in a second tab and its general
information (name, document header, recipients) in a third; saving validates the whole template and
installs it as a NEW version (reports keep the version they were made with).

This module is the window: the header strip (name, code, period, which version saving makes), the
tabs, saving and closing. What the user sees in each part has its own module: the section tree and
section form (ui/template_sections.py), the section's fields (ui/template_fields.py) and tables
(ui/template_section_tables.py), the checks tab (ui/template_checks.py); the table form and the
general-information tab are in ui/template_table_editor.py.

Also an entry point of the main window's Mẫu menu: open_outline_import (a .docx/.txt outline → a draft
opened here, suggested fields marked); the other, open_template_manager, is in ui/template_manager.py.
The logic lives in services/template_editing.py; this module only shows it.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..services import template_editing as te
from ..services.errors import ServiceError
from ..templates.model import TemplateError
from .common import ask_yes_no, error_banner, remember_splitter, scrolled, show_error, show_info
from .help_window import help_line
from .template_checks import CheckDialog, ChecksMixin, check_summary
from .template_fields import SUGGESTION_BACKGROUND, DictionaryPickerDialog, FieldsMixin, NewFieldDialog
from .template_section_tables import TablesBoxMixin
from .template_sections import SectionsMixin
from .template_table_editor import TemplateInfoPane


# == the editor ===================================================================================
class TemplateEditorDialog(SectionsMixin, FieldsMixin, TablesBoxMixin, ChecksMixin, QDialog):
    """Edit a copy of a template (or an outline draft); `save()` installs it as the next version."""

    saved = Signal(object)  # the installed Template

    def __init__(self, workspace, editable: te.EditableTemplate, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.editable = editable
        self.dirty = editable.is_new
        self.saved_template = None
        self._loading = False
        self._section: te.EditableSection | None = None
        self.setWindowTitle("Soạn mẫu báo cáo" if editable.is_new else f"Sửa mẫu: {editable.name}")
        self.resize(1180, 720)  # shrunk to the screen when smaller (ui/screen_fit.py)
        layout = QVBoxLayout(self)
        layout.addWidget(help_line("Sửa mục, chỉ tiêu, bảng và kiểm tra của mẫu rồi bấm Lưu thành phiên bản mới: báo cáo đã làm vẫn giữ phiên bản cũ.", "mau-bao-cao"))

        # -- the template's identity ------------------------------------------------------------
        top = QHBoxLayout()
        form = QFormLayout()
        self.name_edit = QLineEdit(editable.name)
        self.name_edit.textChanged.connect(self._name_changed)
        form.addRow("Tên mẫu:", self.name_edit)
        top.addLayout(form, 3)
        form2 = QFormLayout()
        self.code_edit = QLineEdit(editable.code)
        self.code_edit.setReadOnly(not editable.is_new)
        self.code_edit.setToolTip("Mã mẫu: chữ thường không dấu, số, gạch dưới. Mẫu đã cài giữ nguyên mã; "
                                  "mỗi lần lưu thành một phiên bản mới.")
        self.code_edit.textChanged.connect(self._code_changed)
        form2.addRow("Mã mẫu:", self.code_edit)
        top.addLayout(form2, 2)
        form3 = QFormLayout()
        self.period_combo = QComboBox()
        for kind, label in te.PERIOD_LABELS.items():
            self.period_combo.addItem(label, kind)
        self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(editable.period)))
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        form3.addRow("Kỳ báo cáo:", self.period_combo)
        top.addLayout(form3, 2)
        layout.addLayout(top)
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        layout.addWidget(self.version_label)
        self.suggestion_label = QLabel(
            "Chỉ tiêu nền vàng là gợi ý tự động từ đề cương: xem lại tên, đơn vị, loại; bấm “Giữ chỉ tiêu gợi ý” "
            "nếu đúng, hoặc “Xóa chỉ tiêu” nếu thừa.")
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setStyleSheet("background: #fff4c2; border: 1px solid #e6c94c; border-radius: 4px;"
                                            " padding: 5px 8px;")
        layout.addWidget(self.suggestion_label)

        # -- left: section tree -----------------------------------------------------------------
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scrolled(self._build_tree_pane()))

        # -- right: the section, and the checks -------------------------------------------------
        self.tabs = QTabWidget()
        # each pane scrolls rather than pushing Lưu/Đóng off a 1366×768 screen at 125%
        self.tabs.addTab(scrolled(self._build_section_pane()), "Mục đang chọn")
        self.tabs.addTab(scrolled(self._build_checks_pane()), "Kiểm tra số liệu")
        self.info_pane = TemplateInfoPane(editable)
        self.info_pane.changed.connect(self._touch)
        self.info_pane.name_edit.textChanged.connect(
            lambda text: self.name_edit.setText(text) if text != self.name_edit.text() else None)
        self.tabs.addTab(scrolled(self.info_pane), "Thông tin chung của mẫu")
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 720])
        remember_splitter(splitter, "template_editor/splitter")
        layout.addWidget(splitter, 1)

        # -- save --------------------------------------------------------------------------------
        self.error_label = error_banner()
        self.error_scroll = QScrollArea()
        self.error_scroll.setWidgetResizable(True)
        self.error_scroll.setWidget(self.error_label)
        self.error_scroll.setMaximumHeight(150)
        self.error_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.error_scroll.hide()
        layout.addWidget(self.error_scroll)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.save_button = QPushButton("&Lưu thành phiên bản mới")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton("Đón&g")
        self.close_button.clicked.connect(self.close)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self._update_version_label()
        self.rebuild_tree()
        self.refresh_checks()


    # -- header fields ------------------------------------------------------------------------------
    def _name_changed(self, text: str) -> None:
        self.editable.name = text
        pane = getattr(self, "info_pane", None)
        if pane is not None and pane.name_edit.text() != text:
            pane.name_edit.setText(text)
        self._touch()

    def _code_changed(self, text: str) -> None:
        self.editable.code = text.strip()
        self._update_version_label()
        self._touch()

    def _period_changed(self) -> None:
        self.editable.period = self.period_combo.currentData()
        self._touch()

    def _touch(self) -> None:
        self.dirty = True

    def _update_version_label(self) -> None:
        code = self.editable.code
        try:
            version = te.next_version(self.workspace, code)
        except Exception:  # a closed database: the label is only informative
            version = self.editable.base_version + 1
        if self.editable.is_new:
            text = f"Mẫu mới, sẽ lưu thành phiên bản {version}."
        else:
            text = (f"Đang sửa bản sao của phiên bản {self.editable.base_version}. Khi lưu, mẫu thành phiên bản "
                    f"{version}; các báo cáo đã làm theo phiên bản cũ giữ nguyên, không đổi.")
        self.version_label.setText(text)

    # -- save / close -------------------------------------------------------------------------------
    def save(self):
        """Validate everything and install as the next version; every problem is listed if refused.
        Fields, rows, columns or tables removed although reports already hold figures there are announced
        first."""
        try:
            lost = [] if te.problems(self.editable, self.workspace) else te.removed_filled_lines(
                self.workspace, self.editable)
        except ServiceError:
            lost = []
        if lost and not ask_yes_no(
                self, "Xóa chỗ đã có số liệu",
                "Phiên bản mới bỏ những chỗ các báo cáo đã nhập số liệu:\n"
                + "\n".join(f"• {line}" for line in lost)
                + "\n\nCác báo cáo đó vẫn giữ phiên bản mẫu cũ cùng toàn bộ số liệu. Nếu sau này chuyển một báo cáo "
                  "sang phiên bản mới, các số này không còn ô để ghi và được đưa vào mục “Nội dung chưa xếp mục”. "
                  "Vẫn lưu phiên bản mới?"):
            return None
        try:
            template = te.save_new_version(self.workspace, self.editable)
        except te.TemplateInvalid as exc:
            self.error_label.setText("Chưa lưu: hãy sửa các lỗi sau rồi lưu lại.\n"
                                     + "\n".join(f"• {p}" for p in exc.problems))
            self.error_label.show()
            self.error_scroll.show()
            return None
        except (ServiceError, TemplateError) as exc:
            self.error_label.setText(f"Chưa lưu: {exc}")
            self.error_label.show()
            self.error_scroll.show()
            return None
        self.error_scroll.hide()
        self.error_label.hide()
        self.dirty = False
        self.saved_template = template
        self.saved.emit(template)
        self.code_edit.setReadOnly(True)
        self._update_version_label()
        show_info(self, "Đã lưu mẫu", f"Đã lưu mẫu “{template.name}” phiên bản {template.version}.",
                  "Báo cáo mới sẽ dùng phiên bản này. Các báo cáo đã làm theo phiên bản cũ giữ nguyên.")
        self.accept()
        return template

    def reject(self) -> None:  # Esc goes through the same question
        if self.dirty and self.saved_template is None and not ask_yes_no(
                self, "Đóng mà không lưu?", "Mẫu có thay đổi chưa lưu. Đóng và bỏ các thay đổi này?"):
            return
        self.dirty = False
        super().reject()


# == entry points of the main window =================================================================
def open_editor(parent, workspace, editable: te.EditableTemplate, on_saved=None) -> TemplateEditorDialog:
    """A window-modal editor; `on_saved(template)` runs after a successful save."""
    dialog = TemplateEditorDialog(workspace, editable, parent)
    if on_saved is not None:
        dialog.saved.connect(on_saved)
    dialog.open()
    return dialog


def choose_outline_file(parent) -> str:
    settings = QSettings()
    folder = settings.value("outline/dir") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getOpenFileName(parent, "Chọn tệp đề cương", folder or "",
                                          "Đề cương (*.docx *.txt);;Tất cả các tệp (*)")
    if path:
        from pathlib import Path
        settings.setValue("outline/dir", str(Path(path).parent))
    return path


def import_outline(parent, workspace, path, on_saved=None) -> TemplateEditorDialog | None:
    """Read the outline and open the draft in the editor; a bad file gets a Vietnamese message."""
    from ..templates.outline import outline_from_file
    try:
        editable = te.from_outline(outline_from_file(path))
    except TemplateError as exc:
        show_error(parent, "Không đọc được đề cương", str(exc))
        return None
    return open_editor(parent, workspace, editable, on_saved)


def open_outline_import(window) -> TemplateEditorDialog | None:
    workspace = getattr(window, "workspace", None)
    if workspace is None:
        return None
    path = choose_outline_file(window)
    if not path:
        return None
    return import_outline(window, workspace, path)


__all__ = ["TemplateEditorDialog", "CheckDialog", "DictionaryPickerDialog", "NewFieldDialog",
           "open_outline_import", "import_outline", "check_summary",
           "SUGGESTION_BACKGROUND"]
