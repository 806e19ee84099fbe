"""Every button is reachable from the keyboard (issue 18 point 7): each window and dialog of the app is
opened (as tests/ui/test_fits_the_screen.py does) and each visible push or tool button with text must have a
mnemonic (“&” before a letter one types without Unikey, unique within its window, menu titles and labels'
mnemonics included) or a shortcut; a dialog's OK/Cancel count through Enter/Esc; a button repeated on every
row of a grid must be reachable by Tab."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QCalendarWidget,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPushButton,
    QToolButton,
)

from tests.ui.fit_probe import every_window  # noqa: E402

MNEMONIC = re.compile(r"&(?!&)(.)")


def mnemonic(text: str) -> str | None:
    """The letter after a single “&” (lower case), None without one."""
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def by_enter_or_esc(button: QAbstractButton, window) -> bool:
    """A dialog's button box OK (the default button, Enter) or Cancel/Close (Esc)."""
    box = button.parent()
    if not isinstance(box, QDialogButtonBox) or not isinstance(window, QDialog):
        return False
    role = box.buttonRole(button)
    if role == QDialogButtonBox.ButtonRole.RejectRole:
        return True
    return role == QDialogButtonBox.ButtonRole.AcceptRole and isinstance(button, QPushButton) \
        and (button.isDefault() or button.autoDefault())


def in_calendar(widget) -> bool:
    """A month calendar's own month/year buttons: the calendar moves by arrows and Page Up/Down."""
    while widget is not None:
        if isinstance(widget, QCalendarWidget):
            return True
        widget = widget.parentWidget()
    return False


def keyboard_problems(window) -> list[str]:
    problems, letters = [], {}

    def claim(letter: str, what: str) -> None:
        if letter in letters:
            problems.append(f"Alt+{letter.upper()} cho cả {letters[letter]} và {what}")
        letters[letter] = what

    if isinstance(window, QMainWindow) and window.menuWidget() is not None:
        for action in window.menuBar().actions():
            if mnemonic(action.text()):
                claim(mnemonic(action.text()), f"menu “{action.text()}”")
    for label in window.findChildren(QLabel):
        if label.window() is window and label.isVisible() and label.buddy() is not None \
                and mnemonic(label.text() or ""):
            claim(mnemonic(label.text()), f"nhãn “{label.text()}”")
    for button in window.findChildren(QAbstractButton):
        if not isinstance(button, (QPushButton, QToolButton)) or button.window() is not window \
                or not button.isVisible() or not button.text().strip() or in_calendar(button):
            continue
        action = button.defaultAction() if isinstance(button, QToolButton) else None
        text = action.text() if action is not None else button.text()
        shortcut = action.shortcut() if action is not None else button.shortcut()
        letter = mnemonic(text) if action is None else None
        if letter is not None:
            if not (letter.isascii() and letter.isalnum()):
                problems.append(f"nút “{text}”: Alt+{letter} không gõ được trên bàn phím")
            claim(letter, f"nút “{text}”")
        elif button.property("row_button"):
            # one button per row of a grid (“Chèn câu”, “Theo mẫu”): no unique letter is possible; Tab
            # from the row's field reaches it
            if not button.focusPolicy() & Qt.FocusPolicy.TabFocus:
                problems.append(f"nút “{text}” của từng dòng không đến được bằng Tab")
        elif shortcut.isEmpty() and not by_enter_or_esc(button, window):
            problems.append(f"nút “{text}” không có phím tắt")
    return problems


def test_every_button_of_every_window_has_a_key(qapp):
    tmp = Path(tempfile.mkdtemp(prefix="baocao-keys-"))

    def settings() -> QSettings:
        return QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat)

    found, checked = {}, []
    for name, widget in every_window(QApplication.instance(), tmp, settings):
        checked.append(name)
        problems = keyboard_problems(widget)
        if problems:
            found[name] = problems
    assert {"MainWindow", "MainWindow + ReportEditor", "NewReportDialog", "BackupDialog", "HelpWindow"} <= set(checked)
    assert found == {}, "\n".join(f"{name}: {p}" for name, problems in found.items() for p in problems)


def test_the_audit_sees_a_button_without_a_key_and_a_shared_letter(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    first, second, bare = QPushButton("&Mở", dialog), QPushButton("&Mới", dialog), QPushButton("Xóa", dialog)
    for i, button in enumerate((first, second, bare)):
        button.move(0, 30 * i)
    dialog.show()
    problems = keyboard_problems(dialog)
    assert any("Alt+M" in p for p in problems) and any("“Xóa”" in p for p in problems)
    second.setText("Mớ&i")
    bare.setText("&Xóa")
    assert keyboard_problems(dialog) == []
