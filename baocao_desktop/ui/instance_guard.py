"""The GUI side of the single-instance guard (services/instance_lock.py): one window per database.

`guard_database(path, parent)` returns the held lock (keep it for the life of the window), or None
when the user gives up because another BaoCao window has the same file open.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ..services.instance_lock import DatabaseLock, acquire
from .common import APP_TITLE, localize_message_box, widen_message_box


def already_open_box(path: Path, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(f"{APP_TITLE} — dữ liệu đang mở")
    box.setText(f"Tệp dữ liệu “{Path(path).name}” đang được mở trong một cửa sổ BaoCao khác.")
    box.setInformativeText(
        "Hãy chuyển sang cửa sổ đó (bấm biểu tượng BaoCao trên thanh tác vụ). Hai cửa sổ cùng sửa một "
        "tệp sẽ ghi đè công việc của nhau, nên BaoCao chỉ mở mỗi tệp trong một cửa sổ.\n\n"
        "Nếu đã đóng cửa sổ kia, bấm “Thử lại”.")
    box.retry_button = box.addButton("Thử lại", QMessageBox.ButtonRole.AcceptRole)
    box.quit_button = box.addButton("Thoát", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(box.retry_button)
    box.setEscapeButton(box.quit_button)
    widen_message_box(box, 460)
    return localize_message_box(box)


def guard_database(path: Path, parent: QWidget | None = None) -> DatabaseLock | None:
    while True:
        lock = acquire(path)
        if lock is not None:
            return lock
        box = already_open_box(path, parent)
        box.exec()
        if box.clickedButton() is not box.retry_button:
            return None
