"""The signing keys: Khóa chữ ký số của đơn vị… (the unit's own key fingerprint, read over the phone; export
of its public key file; where its private key is kept, its passphrase backup and restore, a new key when it
is lost; the upper level's key) and Đơn vị cấp dưới và khóa… (the level above: the lower
units registered with their key fingerprints; register one from its public key file).

Both register key files the same way (`register_key_file`): a different key for a unit already
registered replaces it only once the user confirms the new fingerprint. The rules are in
services/exchange; these dialogs only show them.
"""
from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import UserError
from ..exchange import key_protection
from ..services import exchange as ex
from ..services.errors import ServiceError
from .common import APP_TITLE, MessageBanners, ask_yes_no, local_time_text
from .help_window import link_help

KEY_TITLE = "Khóa chữ ký số của đơn vị"
REGISTRY_TITLE = "Đơn vị cấp dưới và khóa"


# == Khóa chữ ký số của đơn vị… ==============================================================================
def spoken_fingerprint(fingerprint: str) -> str:
    """'K7QF-2MZA-…' spaced out for reading over the phone: 'K7QF – 2MZA – …'."""
    return " – ".join(fingerprint.split("-"))


class KeyDialog(MessageBanners, QDialog):
    """The unit's key fingerprint (big, for the phone), export of the public key file, the upper level's key."""

    def __init__(self, workspace, parent: QWidget | None = None, settings: QSettings | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings or QSettings()
        self.setWindowTitle(KEY_TITLE)
        self.resize(780, 590)
        layout = QVBoxLayout(self)
        unit = workspace.own_unit()
        info = ex.ensure_own_key(workspace)
        self.fingerprint = info.fingerprint
        own_box = QGroupBox(f"Khóa của {unit.name}")
        own = QVBoxLayout(own_box)
        hint = QLabel("Mã nhận dạng khóa — đọc mã này qua điện thoại để cấp trên đối chiếu khi đăng ký đơn vị. "
                      "Mã chỉ gồm chữ in hoa và các số từ 2 đến 7 (không có số 0, 1, 8, 9).")
        hint.setWordWrap(True)
        own.addWidget(link_help(hint, "khoa"))
        self.fingerprint_label = QLabel(spoken_fingerprint(info.fingerprint))
        self.fingerprint_label.setObjectName("fingerprint")
        self.fingerprint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setStyleSheet(
            "QLabel#fingerprint { font-family: 'DejaVu Sans Mono', 'Consolas', monospace; font-size: 20pt;"
            " font-weight: 700; letter-spacing: 1px; background: #f4f6fa; border: 1px solid #c9d1de;"
            " border-radius: 6px; padding: 14px; }")
        own.addWidget(self.fingerprint_label)
        created = QLabel(f"Khóa tạo lúc {local_time_text(info.created_at)}.")
        own.addWidget(created)
        row = QHBoxLayout()
        self.copy_button = QPushButton("Sao &chép mã")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.fingerprint))
        self.export_button = QPushButton("&Xuất tệp khóa công khai…")
        self.export_button.setToolTip("Tệp nhỏ (.baocaokey) gửi cấp trên để đăng ký đơn vị; không chứa khóa bí mật")
        self.export_button.clicked.connect(self.choose_export)
        row.addWidget(self.copy_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        own.addLayout(row)
        self.protection_label = QLabel()
        self.protection_label.setWordWrap(True)
        own.addWidget(self.protection_label)
        row = QHBoxLayout()
        self.backup_button = QPushButton("&Sao lưu khóa (có mật khẩu)…")
        self.backup_button.setToolTip("Tệp sao lưu khóa bí mật, mã hóa bằng mật khẩu: để khôi phục khi cài lại máy")
        self.backup_button.clicked.connect(self.choose_backup)
        self.restore_button = QPushButton("&Khôi phục khóa từ tệp sao lưu…")
        self.restore_button.clicked.connect(self.choose_restore)
        self.new_key_button = QPushButton("Đã mất khóa: tạo khóa &mới…")
        self.new_key_button.clicked.connect(self.confirm_new_key)
        for button in (self.backup_button, self.restore_button, self.new_key_button):
            row.addWidget(button)
        row.addStretch(1)
        own.addLayout(row)
        layout.addWidget(own_box)

        upper_box = QGroupBox("Khóa của cấp trên")
        upper = QVBoxLayout(upper_box)
        self.upper_label = QLabel()
        self.upper_label.setWordWrap(True)
        self.upper_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        upper.addWidget(self.upper_label)
        row = QHBoxLayout()
        self.register_upper_button = QPushButton("Đăng ký tệp khóa của cấp &trên…")
        self.register_upper_button.clicked.connect(self.choose_upper_key)
        row.addWidget(self.register_upper_button)
        row.addStretch(1)
        upper.addLayout(row)
        layout.addWidget(upper_box)
        layout.addStretch(1)
        self.add_message_banners(layout)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("Đón&g")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh_upper()
        self.refresh_protection()

    def refresh_protection(self) -> None:
        """Where the private key is and whether it can sign here (a copied database cannot)."""
        try:
            ex.own_key_pair(self.workspace)
        except UserError as exc:
            self.protection_label.setText(f"<span style='color:#b3261e'><b>Không ký được trên máy này.</b></span> "
                                          f"{html.escape(str(exc))}")
            self.backup_button.setEnabled(False)
            return
        where = ("mã hóa theo tài khoản Windows này (DPAPI)" if os.name == "nt" else
                 "trong tệp khóa riêng của tài khoản này, ngoài cơ sở dữ liệu")
        self.protection_label.setText(
            f"Khóa bí mật được giữ {where}: bản sao cơ sở dữ liệu không mang theo khóa để ký. Hãy sao lưu khóa "
            f"bằng mật khẩu và cất tệp sao lưu ở nơi an toàn.")
        self.backup_button.setEnabled(True)

    def choose_backup(self) -> None:
        from .common import ask_save_path
        suffix = key_protection.BACKUP_SUFFIX
        unit = self.workspace.own_unit()
        path = ask_save_path(self, self.settings, "Sao lưu khóa ký số", ex.safe_file_name(f"Sao lưu khóa {unit.name}{suffix}"),
                             f"Tệp sao lưu khóa BaoCao (*{suffix})", suffix)
        if path is None:
            return
        dialog = PassphraseDialog(self, confirm=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.backup_key(path, dialog.passphrase())

    def backup_key(self, path: Path, passphrase: str) -> Path | None:
        return self._write_file(lambda: ex.export_private_key(self.workspace, path, passphrase), lambda written: (
            f"Đã ghi tệp sao lưu khóa “{written}”, mã hóa bằng mật khẩu. Cất tệp và mật khẩu ở hai nơi khác nhau; "
            f"thiếu mật khẩu thì không khôi phục được."))

    def _write_file(self, write, success) -> Path | None:
        """Run `write` (it returns the file written); its error, or success(file), shows in the dialog."""
        try:
            written = write()
        except UserError as exc:
            self.show_error_message(str(exc))
            return None
        self.show_success_message(success(written))
        return written

    def choose_restore(self) -> None:
        path = ask_open_key_file(self, "Chọn tệp sao lưu khóa", "Tệp sao lưu khóa BaoCao",
                                 key_protection.BACKUP_SUFFIX)
        if path is None:
            return
        dialog = PassphraseDialog(self, confirm=False)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.restore_key(path, dialog.passphrase())

    def restore_key(self, path: Path, passphrase: str) -> bool:
        try:
            info = ex.restore_private_key(self.workspace, path, passphrase)
        except UserError as exc:
            self.show_error_message(str(exc))
            return False
        self._show_key(info)
        self.show_success_message(f"Đã khôi phục khóa ký số, mã nhận dạng {info.fingerprint}.")
        return True

    def confirm_new_key(self) -> None:
        question = ("Chỉ tạo khóa mới khi đã mất khóa (không còn tệp sao lưu hoặc quên mật khẩu). Khóa cũ bị thu "
                    "hồi; cấp trên sẽ từ chối tệp gửi cho đến khi đăng ký lại khóa mới: gửi tệp khóa công khai mới "
                    "và gọi điện đọc mã nhận dạng. Các báo cáo đã ký phải ký lại trước khi gửi.\n\nTạo khóa mới?")
        if ask_yes_no(self, APP_TITLE, question):
            self.make_new_key()

    def make_new_key(self) -> None:
        try:
            info = ex.replace_own_key(self.workspace)
        except UserError as exc:
            self.show_error_message(str(exc))
            return
        self._show_key(info)
        self.show_success_message(f"Đã tạo khóa mới, mã nhận dạng {info.fingerprint}. Hãy xuất tệp khóa công khai, "
                                  f"gửi cấp trên và gọi điện đọc mã này để cấp trên đăng ký lại.")

    def _show_key(self, info) -> None:
        self.fingerprint = info.fingerprint
        self.fingerprint_label.setText(spoken_fingerprint(info.fingerprint))
        self.refresh_protection()

    def refresh_upper(self) -> None:
        key = ex.upper_level_key(self.workspace)
        if key is None:
            self.upper_label.setText(
                "Chưa đăng ký khóa của cấp trên. Cần có khóa này để kiểm tra các mẫu báo cáo cấp trên gửi xuống "
                "đúng là của cấp trên. Xin cấp trên tệp khóa công khai (.baocaokey) rồi bấm nút dưới đây.")
            self.register_upper_button.setText("Đăng ký tệp khóa của cấp &trên…")
        else:
            self.upper_label.setText(
                f"Đã đăng ký: <b>{html.escape(key.unit_name)}</b><br>Mã nhận dạng khóa: <b>{key.fingerprint}</b><br>"
                f"Đăng ký lúc {local_time_text(key.created_at)}.")
            self.register_upper_button.setText("Thay khóa cấp &trên…")

    def choose_export(self) -> None:
        from .common import ask_save_path
        from ..exchange.keys import KEY_FILE_SUFFIX
        unit = self.workspace.own_unit()
        path = ask_save_path(self, self.settings, "Xuất tệp khóa công khai",
                             ex.safe_file_name(f"Khóa {unit.name}{KEY_FILE_SUFFIX}"),
                             f"Tệp khóa BaoCao (*{KEY_FILE_SUFFIX})", KEY_FILE_SUFFIX)
        if path is not None:
            self.export_key(path)

    def export_key(self, path: Path) -> Path | None:
        return self._write_file(lambda: ex.export_public_key(self.workspace, path), lambda written: (
            f"Đã xuất tệp khóa công khai “{written}”. Gửi tệp này cho cấp trên và đọc mã {self.fingerprint} qua "
            f"điện thoại để cấp trên đối chiếu."))

    def choose_upper_key(self) -> None:
        from ..exchange.keys import KEY_FILE_SUFFIX
        path = ask_open_key_file(self, "Chọn tệp khóa của cấp trên", "Tệp khóa BaoCao", KEY_FILE_SUFFIX)
        if path is not None:
            self.register_upper(path)

    def register_upper(self, path: Path) -> bool:
        registration = register_key_file(self, self.workspace, path, "upper")
        if registration is None:
            return False
        self.show_success_message(registration.message())
        self.refresh_upper()
        return True


def ask_open_key_file(parent, title: str, kind: str, suffix: str) -> Path | None:
    """A key file to open (starting in Documents), None when cancelled."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    path, _ = QFileDialog.getOpenFileName(parent, title, start, f"{kind} (*{suffix});;Tất cả các tệp (*)")
    return Path(path) if path else None


class PassphraseDialog(QDialog):
    """The passphrase of a key backup: typed twice when one is set (backup), once to open one (restore)."""

    def __init__(self, parent: QWidget | None = None, confirm: bool = True):
        super().__init__(parent)
        self.setWindowTitle("Mật khẩu tệp sao lưu khóa")
        self.setMinimumWidth(460)
        self.confirm = confirm
        layout = QVBoxLayout(self)
        note = QLabel(f"Đặt mật khẩu (ít nhất {key_protection.MIN_PASSPHRASE} ký tự) để mã hóa tệp sao lưu. Quên mật "
                      f"khẩu thì không khôi phục được khóa." if confirm else
                      "Nhập mật khẩu đã đặt khi sao lưu khóa.")
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Mật khẩu:", self.first)
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        if confirm:
            form.addRow("Nhập lại:", self.second)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đồng ý")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def passphrase(self) -> str:
        return self.first.text()

    def try_accept(self) -> None:
        if self.confirm:
            if len(self.first.text()) < key_protection.MIN_PASSPHRASE:
                self.error.setText(f"Mật khẩu phải có ít nhất {key_protection.MIN_PASSPHRASE} ký tự.")
                return
            if self.first.text() != self.second.text():
                self.error.setText("Hai lần nhập mật khẩu không giống nhau.")
                return
        elif not self.first.text():
            self.error.setText("Hãy nhập mật khẩu.")
            return
        self.accept()


def register_key_file(dialog, workspace, path: Path, role: str):
    """Register a key file (role member/upper); a different key for an already registered unit (or another
    upper level) is replaced only after the user confirms the new fingerprint. Errors go to
    dialog.show_error_message. Returns the Registration, or None."""
    from ..exchange import keys
    try:
        key_file = keys.read_key_file(Path(path))
    except keys.KeyFileError as exc:
        dialog.show_error_message(str(exc))
        return None
    try:
        return ex.register_unit(workspace, key_file, role)
    except ex.KeyClash as exc:
        clash = str(exc)
    except ServiceError as exc:  # not a key clash: own key, bad role…
        dialog.show_error_message(str(exc))
        return None
    question = (clash.split(" Muốn thay")[0].split(" Hãy gọi")[0] +
                f"\n\nMã nhận dạng của khóa mới: {key_file.fingerprint}.\nBạn đã gọi điện đối chiếu mã này và muốn "
                f"thay khóa? (Khóa cũ vẫn được lưu, đánh dấu thu hồi.)")
    if not ask_yes_no(dialog, APP_TITLE, question):
        dialog.show_error_message("Chưa thay khóa; khóa đã đăng ký vẫn giữ nguyên.")
        return None
    try:
        return ex.register_unit(workspace, key_file, role, replace=True)
    except ServiceError as exc:
        dialog.show_error_message(str(exc))
        return None


def open_key_dialog(main_window) -> None:
    ws = main_window.workspace
    if ws is None:
        return
    if ws.own_unit() is None:
        from .common import show_info
        show_info(main_window, KEY_TITLE, "Hãy khai báo thông tin đơn vị trước (Đơn vị → Thông tin đơn vị…).")
        return
    settings = getattr(main_window, "settings", None)
    KeyDialog(ws, main_window, settings if isinstance(settings, QSettings) else None).exec()


# == Đơn vị cấp dưới và khóa… ================================================================================
class UnitRegistryDialog(MessageBanners, QDialog):
    """Registered units with their key fingerprints; register a unit from its public key file."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(REGISTRY_TITLE)
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        intro = QLabel("Chỉ nhận báo cáo của các đơn vị đã đăng ký khóa. Đăng ký bằng tệp khóa công khai "
                       "(.baocaokey) của đơn vị, sau khi gọi điện đối chiếu mã nhận dạng khóa.")
        intro.setWordWrap(True)
        layout.addWidget(link_help(intro, "khoa"))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Đơn vị", "Mã nhận dạng khóa", "Đăng ký lúc", "Nguồn"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.add_message_banners(layout)
        row = QHBoxLayout()
        self.register_button = QPushButton("Đăng ký từ tệp &khóa…")
        self.register_button.clicked.connect(self.choose_key_file)
        row.addWidget(self.register_button)
        row.addStretch(1)
        close = QPushButton("Đón&g")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        units = ex.registered_units(self.workspace, "member")
        self.table.setRowCount(len(units))
        mono = self.font()
        mono.setFamilies(["DejaVu Sans Mono", "Consolas", "monospace"])
        for r, key in enumerate(units):
            source = key.source.replace("tệp khóa ", "Tệp khóa ").replace("tệp ", "Từ tệp báo cáo ")
            for col, text in enumerate((key.unit_name, key.fingerprint, local_time_text(key.created_at), source)):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setFont(mono)
                self.table.setItem(r, col, item)
        self.count_label.setText(f"{len(units)} đơn vị đã đăng ký." if units else
                                 "Chưa có đơn vị nào đăng ký. Bấm “Đăng ký từ tệp khóa…”, hoặc đăng ký ngay khi "
                                 "nhận tệp báo cáo đầu tiên của đơn vị.")

    def choose_key_file(self) -> None:
        from ..exchange.keys import KEY_FILE_SUFFIX
        path = ask_open_key_file(self, "Chọn tệp khóa của đơn vị", "Tệp khóa BaoCao", KEY_FILE_SUFFIX)
        if path is not None:
            self.register_file(path)

    def register_file(self, path: Path) -> bool:
        self.clear_messages()
        registration = register_key_file(self, self.workspace, path, "member")
        if registration is None:
            return False
        self.show_success_message(registration.message())
        self.refresh()
        return True


def open_unit_registry(main_window) -> None:
    ws = main_window.workspace
    if ws is None:
        return
    UnitRegistryDialog(ws, main_window).exec()
