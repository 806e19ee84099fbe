"""Vietnamese typed decomposed is composed as it is typed, in every text field of the app.

Unikey set to “Unicode tổ hợp”, some input methods and text pasted from the web send a letter and its marks as
separate code points (a + ◌́). Each line edit, text box and editable list that gets the keyboard focus is
watched: a mark typed after a letter replaces the letter by the composed one (á), and anything else typed
or committed by an input method is inserted in NFC. So what is stored, searched, proofread and printed is
the same whatever the typing tool sends, without each field normalizing it (services still normalize what
arrives from files)."""
from __future__ import annotations

import unicodedata

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

WATCHED = "_baocao_composed_typing"


def needs_composing(text: str) -> bool:
    """`text` starts with a combining mark (it belongs to the letter before the cursor) or is not NFC."""
    return bool(text) and (unicodedata.combining(text[0]) != 0 or not unicodedata.is_normalized("NFC", text))


def _units(text: str) -> int:
    """Length in UTF-16 code units: Qt's cursor positions."""
    return len(text.encode("utf-16-le")) // 2


def _before(text: str, position: int) -> str:
    """The part of `text` before a Qt cursor position (UTF-16 units)."""
    return text.encode("utf-16-le")[:position * 2].decode("utf-16-le", errors="ignore")


def _cluster(before: str) -> str:
    """The letter before the cursor with the marks already after it (a, or a + ◌̂ typed earlier)."""
    start = len(before)
    while start > 0 and unicodedata.combining(before[start - 1]):
        start -= 1
    return before[max(start - 1, 0):]


def composed(before: str, typed: str) -> tuple[int, str]:
    """(how many UTF-16 units before the cursor to replace, the NFC text replacing them and `typed`)."""
    if typed and unicodedata.combining(typed[0]):
        cluster = _cluster(before)
        return _units(cluster), unicodedata.normalize("NFC", cluster + typed)
    return 0, unicodedata.normalize("NFC", typed)


def type_composed(widget: QWidget, typed: str) -> bool:
    """Insert `typed` at the cursor of `widget` composed with the letter before it; False when `widget` is not
    an editable text field (the event then goes on as usual)."""
    if isinstance(widget, QComboBox):
        widget = widget.lineEdit() if widget.isEditable() else None
    if isinstance(widget, QLineEdit):
        if widget.isReadOnly():
            return False
        if not widget.hasSelectedText():
            back, text = composed(_before(widget.text(), widget.cursorPosition()), typed)
            if back:
                widget.setSelection(widget.cursorPosition() - back, back)
        else:
            text = unicodedata.normalize("NFC", typed)
        widget.insert(text)  # one user edit: textEdited, undo, the validator all as for typing
        return True
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        if widget.isReadOnly():
            return False
        cursor = widget.textCursor()
        if not cursor.hasSelection():
            block_before = _before(cursor.block().text(), cursor.positionInBlock())
            back, text = composed(block_before, typed)
            if back:
                cursor.setPosition(cursor.position() - back, cursor.MoveMode.KeepAnchor)
        else:
            text = unicodedata.normalize("NFC", typed)
        cursor.insertText(text)
        widget.setTextCursor(cursor)
        return True
    return False


class ComposedTyping(QObject):
    """Watches each text field when it first gets the keyboard focus (no application-wide filter: only the
    fields the user types in pay for it)."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        if isinstance(new, (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox)) and not new.property(WATCHED):
            new.setProperty(WATCHED, True)
            new.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            text = event.text()
            if needs_composing(text) and text.isprintable():
                return type_composed(watched, text)
        elif kind == QEvent.Type.InputMethod:
            text = event.commitString()
            if needs_composing(text) and not event.preeditString() and not event.replacementLength():
                return type_composed(watched, text)
        return False


def install_composed_typing(app: QApplication) -> ComposedTyping:
    existing = getattr(app, "_baocao_composed_typing", None)
    if existing is None:
        existing = app._baocao_composed_typing = ComposedTyping(app)  # keep a Python reference
    return existing
