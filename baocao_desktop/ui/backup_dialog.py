"""Tệp → Sao lưu… (a checked copy of the database into a chosen folder or USB stick, on the task runner)
and Tệp → Khôi phục… (pick a backup, see what it holds, restore it keeping the current file aside).
The work is services/backup.py; these are its two screens."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..services import backup
from .common import APP_TITLE, MessageBanners, localize_button_box
from .help_window import link_help


def _heading(text: str, part: str) -> QLabel:
    """The dialog's first line: what it does, linked to its part of the guide."""
    return link_help(QLabel(text), part)


class BackupDialog(MessageBanners, QDialog):
    """Sao lưu: choose a folder, write a checked backup there, say where it went and what it holds."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, settings=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.settings = settings
        self.task = None
        self.made: Path | None = None
        self.setWindowTitle(f"{APP_TITLE} — Sao lưu dữ liệu")
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(
            f"Ghi một bản sao của toàn bộ dữ liệu (tệp “{self.db_path.name}”) vào thư mục bạn chọn, ví dụ USB. "
            "Bản sao được kiểm tra lại sau khi ghi. Chương trình cũng tự sao lưu khi đóng và mỗi ngày "
            f"(giữ {backup.KEEP} bản mới nhất trong “{backup.backup_folder(self.db_path)}”).", "sao-luu"))
        row = QHBoxLayout()
        self.folder_edit = QLineEdit(self._default_folder())
        self.folder_edit.setAccessibleName("Thư mục ghi bản sao lưu")
        row.addWidget(QLabel("&Thư mục:"))
        row.itemAt(0).widget().setBuddy(self.folder_edit)
        row.addWidget(self.folder_edit, 1)
        self.choose_button = QPushButton("&Chọn thư mục…")
        self.choose_button.clicked.connect(self.choose_folder)
        row.addWidget(self.choose_button)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.add_message_banners(layout)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox()
        self.backup_button = self.buttons.addButton("&Sao lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.backup_button.setDefault(True)
        self.backup_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        localize_button_box(self.buttons)
        layout.addWidget(self.buttons)
        self.resize(600, 260)

    def _default_folder(self) -> str:
        remembered = self.settings.value("backup/folder") if self.settings is not None else None
        return str(remembered) if remembered else str(Path.home())

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục (hoặc USB) để ghi bản sao lưu",
                                                  self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def start(self) -> None:
        from .tasks import run_task
        folder = self.folder_edit.text().strip()
        if not folder:
            self.show_error_message("Hãy chọn thư mục để ghi bản sao lưu.")
            return
        self.clear_messages()
        self.backup_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        db_path = self.db_path

        def work(control):
            made = backup.create_backup(db_path, folder, progress=lambda done, total: control.report(done, total))
            return made, backup.inspect_backup(made)
        self.task = run_task(work, owner=self, what="sao lưu", title="Không sao lưu được",
                             on_success=self._done, on_failure=self._failed, on_progress=self._progressed,
                             on_finished=self._finished)

    def _progressed(self, done: int, total: int, _text: str = "") -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _done(self, result) -> None:
        self.made, info = result
        if self.settings is not None:
            self.settings.setValue("backup/folder", str(self.made.parent))
        self.show_success_message(f"Đã sao lưu vào “{self.made}”.\n" + "\n".join(info.lines()))
        self._grow()

    def _failed(self, failure) -> None:
        self.show_error_message(failure.message)
        self._grow()

    def _grow(self) -> None:
        """Tall enough for the message just shown (never cut at the bottom)."""
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _finished(self) -> None:
        self.progress.hide()
        self.backup_button.setEnabled(True)


class RestoreDialog(MessageBanners, QDialog):
    """Khôi phục: the rolling backups (or a file chosen elsewhere), what the chosen one holds, and the
    restore itself once asked; the current file is kept aside under a dated name."""

    def __init__(self, db_path: Path, parent: QWidget | None = None, close_database=None, reopen_database=None):
        """`close_database()` is called before the file is replaced and `reopen_database()` after (whether
        it was replaced or not): the app's connection must not be open meanwhile."""
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.close_database = close_database
        self.reopen_database = reopen_database
        self.chosen: backup.BackupInfo | None = None
        self.aside: Path | None = None
        self.restored = False
        self.setWindowTitle(f"{APP_TITLE} — Khôi phục dữ liệu từ bản sao lưu")
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(
            "Chọn một bản sao lưu. Khôi phục thay dữ liệu đang dùng bằng bản sao lưu; tệp dữ liệu hiện tại "
            "được giữ lại bên cạnh, đổi tên kèm ngày giờ, không bị xóa.", "sao-luu"))
        self.list = QListWidget()
        self.list.setAccessibleName("Các bản sao lưu tự động")
        for path in backup.list_backups(self.db_path):
            made = backup.made_time(path)
            item = QListWidgetItem(f"{made:%H:%M:%S ngày %d/%m/%Y} — {path.name}" if made else path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
        if self.list.count() == 0:
            self.list.addItem(QListWidgetItem("(chưa có bản sao lưu tự động — hãy chọn tệp sao lưu)"))
            self.list.setEnabled(False)
        self.list.currentItemChanged.connect(self._picked)
        layout.addWidget(QLabel("Bản sao lưu tự động (mới nhất trước):"))
        layout.addWidget(self.list, 1)
        self.file_button = QPushButton("Chọn &tệp sao lưu khác (USB…)…")
        self.file_button.clicked.connect(self.choose_file)
        layout.addWidget(self.file_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.add_message_banners(layout)
        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton("&Khôi phục", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.restore_button.clicked.connect(self.restore)
        self.close_button.clicked.connect(self.reject)
        localize_button_box(self.buttons)
        layout.addWidget(self.buttons)
        self.resize(620, 440)

    def _picked(self, item, _previous=None) -> None:
        path = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if path:
            self.show_backup(Path(path))

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn tệp sao lưu BaoCao", str(Path.home()),
                                                "Bản sao lưu BaoCao (*.sqlite3 *.sqlite *.db);;Tất cả các tệp (*)")
        if chosen:
            self.show_backup(Path(chosen))

    def show_backup(self, path: Path) -> None:
        """What `path` holds, or why it cannot be restored."""
        self.clear_messages()
        try:
            self.chosen = backup.inspect_backup(path)
        except backup.BackupError as exc:
            self.chosen = None
            self.details.setText(f"Tệp: {path}")
            self.show_error_message(str(exc))
        else:
            self.details.setText(f"Tệp: {path}\n" + "\n".join(self.chosen.lines()))
        self.restore_button.setEnabled(self.chosen is not None)

    def restore(self) -> None:
        """Restore the chosen backup into the database file, closed meanwhile."""
        if self.chosen is None:
            return
        if self.close_database is not None:
            self.close_database()
        try:
            self.aside = backup.restore_backup(self.chosen.path, self.db_path)
        except backup.BackupError as exc:
            self.show_error_message(str(exc))
            return
        finally:
            if self.reopen_database is not None:
                self.reopen_database()
        self.restored = True
        self.accept()


def open_backup_dialog(window) -> None:
    """Tệp → Sao lưu…"""
    if window.workspace is None:
        return
    window.flush_editor()
    dialog = BackupDialog(window.workspace.path, window, getattr(window, "settings", None))
    dialog.exec()


def open_restore_dialog(window) -> None:
    """Tệp → Khôi phục…: the database is closed while the file is replaced, then opened again."""
    from .common import show_info
    if window.workspace is None or not window.close_editor():
        return
    close_data_windows(window)
    path = window.workspace.path
    dialog = RestoreDialog(path, window, close_database=lambda: window.workspace.close(),
                           reopen_database=lambda: _reopen(window, path))
    if dialog.exec() and dialog.restored:
        kept = f"\n\nTệp dữ liệu trước khi khôi phục được giữ lại: “{dialog.aside}”." if dialog.aside else ""
        show_info(window, "Đã khôi phục", f"Đã khôi phục dữ liệu từ “{dialog.chosen.path.name}”.{kept}")


def close_data_windows(window) -> None:
    """Close the non-modal windows that read the open database (Tình hình nộp báo cáo, Tổng hợp số liệu):
    they would keep the connection closed by a restore and fail on their next read."""
    for name in ("inbox_window", "aggregation_window"):
        other = getattr(window, name, None)
        if other is not None:
            other.close()
            setattr(window, name, None)


def _reopen(window, path: Path) -> None:
    from .app import open_workspace_interactive
    from ..services.workspace import Workspace
    try:
        workspace = Workspace(path)
    except Exception:  # noqa: BLE001 (the interactive opener explains and offers the choices)
        workspace = open_workspace_interactive(path, window.settings, window)
        if workspace is None:  # the user gave up: nothing left to show
            window.workspace = None
            window.close()
            return
    window.set_workspace(workspace)
