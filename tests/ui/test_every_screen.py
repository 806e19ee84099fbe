"""Every screen explains itself and answers the keyboard (issue 18 point 7). Each window and dialog of the app
is opened (as tests/ui/test_fits_the_screen.py does) and:
- it shows a help line linked to a part of the guide that exists (F1 opens that part, in modal dialogs too);
- each visible push or tool button with text has a mnemonic (“&” before a letter one types without Unikey,
  unique within its window, menu titles and labels' mnemonics included) or a shortcut; a dialog's OK/Cancel
  count through Enter/Esc; a button repeated on every row of a grid must be reachable by Tab;
- every editable text field (line, text box, editable list) turns Vietnamese typed decomposed (NFD, as
  Unikey's “Unicode tổ hợp” sends it) into composed text (NFC)."""
from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QToolButton,
    QWidget,
)

from baocao_desktop.resources import resource_path  # noqa: E402
from baocao_desktop.ui.composed_typing import install_composed_typing  # noqa: E402
from baocao_desktop.ui.help_window import PART  # noqa: E402
from tests.ui.fit_probe import every_window  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402

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


GUIDE_PARTS = set(re.findall(r'id="([^"]+)"', resource_path("help", "huong_dan.html").read_text("utf-8")))
# small dialogs asking one thing, opened from a screen that has its help line (F1 opens that screen's part)
NO_HELP_LINE = {"HelpWindow", "PassphraseDialog", "FreeTableDialog", "TableDialog (mẫu)", "ReasonDialog"}


def help_problems(name: str, window) -> list[str]:
    if name in NO_HELP_LINE:
        return []
    lines = [label for label in window.findChildren(QLabel)
             if label.property(PART) and label.window() is window and label.isVisible()]
    if not lines:
        return ["không có dòng hướng dẫn"]
    problems = []
    for label in lines:
        part = label.property(PART)
        if part not in GUIDE_PARTS or f'href="{part}"' not in label.text():
            problems.append(f"dòng hướng dẫn trỏ tới “{part}”, không có trong huong_dan.html")
    if min(label.mapTo(window, label.rect().topLeft()).y() for label in lines) > window.height() // 2:
        problems.append("dòng hướng dẫn không ở phần trên màn hình")  # others (a panel's hint) may be lower
    return problems


NFD = unicodedata.normalize("NFD", "Lùng Phình")


def text_fields(window) -> list:
    """The editable text fields of `window` one types words in (not numbers in spin boxes or masked fields)."""
    fields = []
    for field in window.findChildren(QWidget):
        if field.window() is not window or not field.isVisible() or not field.isEnabled():
            continue
        if isinstance(field, QComboBox) and field.isEditable():
            fields.append(field)
        elif isinstance(field, QLineEdit) and not field.isReadOnly() and not field.validator() \
                and not field.inputMask() and not isinstance(field.parentWidget(), (QAbstractSpinBox, QComboBox)):
            fields.append(field)
        elif isinstance(field, (QTextEdit, QPlainTextEdit)) and not field.isReadOnly():
            fields.append(field)
    return fields


def field_text(field) -> str:
    if isinstance(field, QComboBox):
        return field.currentText()
    return field.text() if isinstance(field, QLineEdit) else field.toPlainText()


def typing_problems(window) -> list[str]:
    problems = []
    window.activateWindow()
    for field in text_fields(window):
        field.setFocus()
        QApplication.processEvents()
        if isinstance(field, QLineEdit):
            field.selectAll()
        else:
            (field.lineEdit() if isinstance(field, QComboBox) else field).selectAll()
        type_text(field, NFD)
        typed = field_text(field)
        if "Lùng Phình" not in typed or not unicodedata.is_normalized("NFC", typed):
            problems.append(f"{type(field).__name__} “{field.objectName() or field.accessibleName()}”: "
                            f"{typed!r}")
    return problems


def test_every_screen_has_help_keys_and_composed_typing(qapp, monkeypatch):
    install_composed_typing(qapp)
    from baocao_desktop.ui import template_editor
    monkeypatch.setattr(template_editor, "ask_yes_no", lambda *args, **kwargs: True)  # close the typed-in copy
    tmp = Path(tempfile.mkdtemp(prefix="baocao-keys-"))

    def settings() -> QSettings:
        return QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat)

    found, checked, typed_in = {}, [], set()
    for name, widget in every_window(QApplication.instance(), tmp, settings):
        checked.append(name)
        typed_in.update(type(field).__name__ for field in text_fields(widget))
        problems = keyboard_problems(widget) + help_problems(name, widget) + typing_problems(widget)
        if problems:
            found[name] = problems
    assert {"MainWindow", "MainWindow + ReportEditor", "NewReportDialog", "BackupDialog", "HelpWindow"} <= set(checked)
    # every kind of text field the app has was typed in: lines, plain text boxes, the report's rich text
    assert {"QLineEdit", "QPlainTextEdit", "NarrativeEdit"} <= typed_in
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
