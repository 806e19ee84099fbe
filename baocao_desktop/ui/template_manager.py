"""Quản lý mẫu báo cáo: the installed templates (name, code, latest version, period, reports using them)
with Sửa (a copy saved as a new version), Nhập gói mẫu…, Xuất gói mẫu…, Tạo mẫu từ đề cương…"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import template_editing as te
from ..services import template_packs
from ..services.errors import ServiceError
from ..templates.model import TemplateError
from ..templates.packs import SUGGESTED_SUFFIX
from .common import ask_save_path, ask_yes_no, error_banner, row_table, show_error, show_info
from .template_editor import choose_outline_file, import_outline, open_editor
from .help_window import link_help
from ..domain.error_text import os_error_reason

TITLE = "Quản lý mẫu báo cáo"
HEADERS = ("Tên mẫu", "Mã", "Phiên bản", "Kỳ báo cáo", "Số báo cáo", "Nguồn")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TemplateManagerDialog(QDialog):
    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.rows: list[te.TemplateRow] = []
        self.editor = None
        self.setWindowTitle(TITLE)
        self.resize(980, 520)
        layout = QVBoxLayout(self)
        intro = QLabel("Các mẫu báo cáo đã cài. Sửa một mẫu tạo ra phiên bản mới: báo cáo đã làm giữ nguyên phiên "
                       "bản cũ và số liệu của nó; báo cáo mới dùng phiên bản mới nhất.")
        intro.setWordWrap(True)
        layout.addWidget(link_help(intro, "mau-bao-cao"))
        self.table = row_table(HEADERS, multiple=True)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.error_label = error_banner()
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("&Sửa…")
        self.edit_button.setToolTip("Sửa một bản sao của mẫu; khi lưu thành phiên bản mới")
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.import_button = QPushButton("&Nhập gói mẫu…")
        self.import_button.setToolTip("Nhập mẫu từ tệp gói mẫu (.mau.zip) hoặc tệp mẫu (.yaml) cấp trên gửi")
        self.import_button.clicked.connect(lambda: self.import_pack())
        self.export_button = QPushButton("&Xuất gói mẫu…")
        self.export_button.setToolTip("Ghi các mẫu đang chọn (phiên bản mới nhất) ra một tệp gói mẫu")
        self.export_button.clicked.connect(lambda: self.export_pack())
        self.outline_button = QPushButton("&Tạo mẫu từ đề cương…")
        self.outline_button.setToolTip("Biến đề cương (.docx/.txt) của cấp trên thành mẫu báo cáo")
        self.outline_button.clicked.connect(lambda: self.from_outline())
        self.close_button = QPushButton("Đón&g")
        self.close_button.clicked.connect(self.accept)
        for button in (self.edit_button, self.import_button, self.export_button, self.outline_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.refresh()

    def _settings(self) -> QSettings:
        return QSettings()

    def refresh(self, select_code: str | None = None) -> None:
        self.rows = te.template_rows(self.workspace)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            version = str(row.version) + (f" (có {row.versions} phiên bản)" if row.versions > 1 else "")
            reports = str(row.reports)
            if row.reports and row.reports_latest != row.reports:
                reports = f"{row.reports} ({row.reports_latest} theo bản mới nhất)"
            for column, text in enumerate((row.name, row.code, version, row.period_label, reports,
                                           row.origin_label)):
                item = QTableWidgetItem(text)
                if column in (2, 4):
                    item.setTextAlignment(_RIGHT)
                if column == 5 and row.self_made:  # written here, not from the upper level: it stands out
                    item.setForeground(QColor("#9a5b00"))
                    item.setToolTip("Mẫu do đơn vị tự soạn hoặc nhập từ tệp .yaml, không phải mẫu cấp trên đã ký")
                self.table.setItem(r, column, item)
        if select_code is not None:
            for r, row in enumerate(self.rows):
                if row.code == select_code:
                    self.table.selectRow(r)
        elif self.rows and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()

    def selected_codes(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[r].code for r in rows]

    def select_code(self, code: str) -> None:
        self.table.clearSelection()
        self.refresh(select_code=code)

    def _update_buttons(self) -> None:
        codes = self.selected_codes()
        self.edit_button.setEnabled(len(codes) == 1)
        self.export_button.setEnabled(bool(codes))

    def _saved(self, template) -> None:
        self.refresh(select_code=template.code)

    # -- actions ------------------------------------------------------------------------------------
    def edit_selected(self):
        codes = self.selected_codes()
        if len(codes) != 1:
            return None
        try:
            editable = te.edit_copy(self.workspace.template(codes[0]))
        except (ServiceError, TemplateError) as exc:
            show_error(self, "Không mở được mẫu", str(exc))
            return None
        self.editor = open_editor(self, self.workspace, editable, self._saved)
        return self.editor

    def from_outline(self, path=None):
        path = path or choose_outline_file(self)
        if not path:
            return None
        self.editor = import_outline(self, self.workspace, path, self._saved)
        return self.editor

    def import_pack(self, path=None) -> list | None:
        if path is None:
            folder = self._settings().value("export/dir") or QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation)
            path, _ = QFileDialog.getOpenFileName(self, "Chọn gói mẫu", folder or "",
                                                  f"Gói mẫu (*{SUGGESTED_SUFFIX} *.zip *.yaml);;Tất cả các tệp (*)")
            if not path:
                return None
        name = Path(path).name
        try:
            plan = template_packs.preview_pack(self.workspace, path)
            lines = "\n".join(f"• {code} phiên bản {version}: {template_packs.STATUS_LABELS.get(status, status)}"
                              for code, version, status in plan)
            renamed = "".join(f"\nMã “{old}” đã là mã của mẫu có sẵn hoặc mẫu cấp trên: mẫu tự tạo này sẽ có mã "
                              f"riêng “{new}”." for old, new in plan.renamed.items())
            if not ask_yes_no(self, "Nhập gói mẫu", f"Gói “{name}” có {len(plan)} mẫu:\n{lines}\n{renamed}\nNhập vào "
                                                    f"chương trình?", default_yes=True):
                return None
            result = template_packs.import_pack(self.workspace, path)
        except (TemplateError, ServiceError) as exc:
            show_error(self, "Không nhập được gói mẫu", str(exc))
            return None
        except OSError as exc:
            show_error(self, "Không nhập được gói mẫu", f"Không đọc được tệp “{name}”: {os_error_reason(exc)}.")
            return None
        self.refresh(select_code=result[0][0] if result else None)
        lines = "\n".join(f"• {code} phiên bản {version}: {template_packs.STATUS_LABELS.get(status, status)}"
                          for code, version, status in result)
        show_info(self, "Đã nhập gói mẫu", getattr(result, "message", "") or f"Đã nhập gói “{name}”.", lines)
        return result

    def export_pack(self, out=None):
        codes = self.selected_codes()
        if not codes:
            show_error(self, "Chưa chọn mẫu", "Hãy chọn một hoặc nhiều mẫu trong danh sách để xuất.")
            return None
        if out is None:
            suggested = (codes[0] if len(codes) == 1 else "cac_mau_bao_cao") + SUGGESTED_SUFFIX
            out = ask_save_path(self, self._settings(), "Xuất gói mẫu", suggested,
                                f"Gói mẫu (*{SUGGESTED_SUFFIX})", SUGGESTED_SUFFIX)
            if out is None:
                return None
        # signed with the unit's key when it has one: another machine accepts only signed packs
        sign = self.workspace.own_unit() is not None
        try:
            path = template_packs.export_pack(self.workspace, codes, out, sign=sign)
        except (TemplateError, ServiceError) as exc:
            show_error(self, "Không xuất được gói mẫu", str(exc))
            return None
        except OSError as exc:
            show_error(self, "Không xuất được gói mẫu", f"Không ghi được tệp: {os_error_reason(exc)}.")
            return None
        note = "" if sign else ("\nGói chưa có chữ ký số vì chưa khai báo đơn vị (Đơn vị → Thông tin đơn vị): "
                                "máy khác sẽ không nhận gói này.")
        show_info(self, "Đã xuất gói mẫu", f"Đã ghi {len(codes)} mẫu vào tệp “{Path(path).name}”.", str(path) + note)
        return path


def open_template_manager(window) -> TemplateManagerDialog | None:
    """From the main window's Mẫu menu: a non-modal window (one at a time)."""
    workspace = getattr(window, "workspace", None)
    if workspace is None:
        return None
    dialog = getattr(window, "template_manager", None)
    if dialog is not None and dialog.isVisible():
        dialog.raise_()
        dialog.activateWindow()
        return dialog
    dialog = TemplateManagerDialog(workspace, window)
    window.template_manager = dialog
    dialog.show()
    return dialog
