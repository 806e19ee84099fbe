"""The narrative's text box: a QTextEdit with bold/italic/underline, footnotes (“[1]” markers, edited in a
small dialog), free tables (a grid: “Chèn bảng”, rows and columns added or removed, Tab to the next cell),
a cleaned paste, and the findings about the text underlined with their message on hover.
Its content converts to and from domain.richtext markup through rich_document.py.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QTextCharFormat, QTextCursor, QTextLength
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QSpinBox,
                               QTextEdit, QToolTip, QVBoxLayout, QWidget)

from ...domain import richtext
from ...domain.richtext import Table
from .rich_document import (FOOTNOTE_ID_PROPERTY, FOOTNOTE_PROPERTY, MARKUP_MIME, document_markup, document_paragraphs,
                            footnote_markup, footnote_plain, footnote_ranges, insert_paragraphs, insert_table,
                            is_bold, is_footnote, marker_format, paragraphs_from_mime, renumber_footnotes,
                            set_document_markup, shade_header, without_footnote)

# wavy underlines of the proofreader's findings, the colours of the checks panel
MARK_COLORS = {"error": "#d32f2f", "warning": "#e69500", "info": "#1f6fb2"}
MARK_TINTS = {"error": "#fdecea", "warning": "#fff5dc", "info": "#eaf2fb"}  # so that a tired eye finds them
MARK_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Gợi ý"}


# == marked findings =============================================================================
@dataclass
class TextMark:
    """A finding's text in the narrative: underlined, its message shown on hover. The cursor selects the
    text and follows the edits around it (a QTextCursor moves with its document)."""
    cursor: QTextCursor
    severity: str
    message: str
    key: str = ""  # Finding.key

    @property
    def start(self) -> int:
        return self.cursor.selectionStart()

    @property
    def end(self) -> int:
        return self.cursor.selectionEnd()


def _mark_format(severity: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(QColor(MARK_COLORS.get(severity, MARK_COLORS["info"])))
    fmt.setBackground(QColor(MARK_TINTS.get(severity, MARK_TINTS["info"])))
    return fmt


# == the widgets =================================================================================
class FootnoteDialog(QDialog):
    """Asks for the text of a footnote (one paragraph per line)."""

    def __init__(self, parent: QWidget | None = None, text: str = "", editing: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Sửa chú thích" if editing else "Chèn chú thích")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        hint = QLabel("Nội dung chú thích (in ở chân trang khi xuất văn bản). "
                      "Mỗi dòng là một đoạn, ví dụ danh sách văn bản đã triển khai.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.edit = QPlainTextEdit(text)
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText("Ví dụ: Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị …")
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu" if editing else "Chèn")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.edit.toPlainText()


class TableDialog(QDialog):
    """Asks for the size of a new table: rows, columns, whether the first row is its header."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Chèn bảng")
        form = QFormLayout(self)
        self.rows = QSpinBox()
        self.rows.setRange(1, 200)
        self.rows.setValue(3)
        self.columns = QSpinBox()
        self.columns.setRange(1, 12)
        self.columns.setValue(3)
        self.header = QCheckBox("Dòng đầu là tiêu đề cột (in lặp lại ở đầu mỗi trang)")
        self.header.setChecked(True)
        form.addRow("Số dòng:", self.rows)
        form.addRow("Số cột:", self.columns)
        form.addRow(self.header)
        hint = QLabel("Dòng có tên “Tổng”, “Tổng cộng”, “Cộng” được kiểm tra: phải bằng cộng các dòng ở trên.")
        hint.setWordWrap(True)
        form.addRow(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Chèn")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class NarrativeEdit(QTextEdit):
    """Rich-text narrative of one section: bold/italic/underline, footnotes, cleaned paste."""

    format_changed = Signal()  # bold/italic/underline state at the cursor changed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)
        self.currentCharFormatChanged.connect(self._on_format_changed)
        self.cursorPositionChanged.connect(self._on_format_changed)
        self._marks: list[TextMark] = []

    # -- marked findings -------------------------------------------------------------------------
    def set_marks(self, marks: list[TextMark]) -> None:
        """Underline these ranges (wavy: red error, amber warning, blue hint); marks of another document
        (a section not shown) are ignored."""
        doc = self.document()
        self._marks = [m for m in marks if m.cursor.document() is doc and m.cursor.hasSelection()]
        order = {"info": 0, "warning": 1, "error": 2}  # the most serious drawn last, on top
        selections = []
        for mark in sorted(self._marks, key=lambda m: order.get(m.severity, 0)):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = mark.cursor
            selection.format = _mark_format(mark.severity)
            selections.append(selection)
        self.setExtraSelections(selections)

    def marks(self) -> list[TextMark]:
        """The marks shown, the empty ones (text deleted since) left out."""
        return [m for m in self._marks if m.cursor.hasSelection()]

    def marks_at(self, position: int) -> list[TextMark]:
        """Marks over the character at `position`."""
        return [m for m in self.marks() if m.start <= position < m.end]

    def mark_tooltip(self, position: int) -> str:
        """The messages of the marks at a caret position (the character after it, else the one before),
        wrapped to lines of a readable length (Qt wraps a rich-text tooltip to a narrow column)."""
        found = self.marks_at(position) or self.marks_at(position - 1)
        return "\n\n".join(textwrap.fill(f"{MARK_LABELS.get(m.severity, '')}: {m.message}", 72) for m in found)

    def select_range(self, start: int, end: int) -> None:
        """Select document positions start..end, scrolled into view (a finding clicked in the panel)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def viewportEvent(self, event):  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ToolTip and self._marks:
            text = self.mark_tooltip(self.cursorForPosition(event.pos()).position())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
                return True
        return super().viewportEvent(event)

    # -- content ---------------------------------------------------------------------------------
    def markup(self) -> str:
        return document_markup(self.document())

    def set_markup(self, markup: str | None) -> None:
        set_document_markup(self.document(), markup)

    # -- formatting ------------------------------------------------------------------------------
    def _merge(self, fmt: QTextCharFormat) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.mergeCharFormat(fmt)
            self.mergeCurrentCharFormat(fmt)
        else:
            self.mergeCurrentCharFormat(fmt)
        self.format_changed.emit()

    def is_bold(self) -> bool:
        return is_bold(self.currentCharFormat())

    def toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Normal.value if self.is_bold() else QFont.Weight.Bold.value)
        self._merge(fmt)

    def toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.currentCharFormat().fontItalic())
        self._merge(fmt)

    def toggle_underline(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontUnderline(not self.currentCharFormat().fontUnderline())
        self._merge(fmt)

    def _on_format_changed(self, *_):
        fmt = self.currentCharFormat()
        if is_footnote(fmt) or fmt.verticalAlignment() == QTextCharFormat.VerticalAlignment.AlignSuperScript:
            # never let typed text grow a footnote marker
            self.setCurrentCharFormat(without_footnote(fmt))
        self.format_changed.emit()

    _SHORTCUTS = {
        QKeySequence.StandardKey.Bold: "toggle_bold",
        QKeySequence.StandardKey.Italic: "toggle_italic",
        QKeySequence.StandardKey.Underline: "toggle_underline",
    }

    def event(self, event):
        # claim Ctrl+B/I/U before any window-wide shortcut
        if event.type() == event.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            for key in self._SHORTCUTS:
                if event.matches(key):
                    event.accept()
                    return True
        return super().event(event)

    def focusNextPrevChild(self, next_child: bool) -> bool:  # noqa: N802 (Qt API)
        if self.current_table() is not None:
            return False  # Tab moves between the cells of a table (keyPressEvent), not out of the text
        return super().focusNextPrevChild(next_child)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self.current_table() is not None \
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.move_cell(-1 if event.key() == Qt.Key.Key_Backtab else 1)
            event.accept()
            return
        for key, method in self._SHORTCUTS.items():
            if event.matches(key):
                if not self.isReadOnly():
                    getattr(self, method)()
                event.accept()
                return
        super().keyPressEvent(event)

    # -- inserting -------------------------------------------------------------------------------
    def insert_text_at_cursor(self, text: str) -> None:
        """Insert plain text (a generated sentence) with a separating space when needed."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        before = self.document().characterAt(cursor.position() - 1) if cursor.position() > 0 else ""
        after = self.document().characterAt(cursor.position())
        if before and not before.isspace() and before not in "\u2029\u2028(":
            text = " " + text
        if after and not after.isspace() and after not in "\u2029\u2028.,;:)":
            text = text + " "
        cursor.insertText(text, without_footnote(self.currentCharFormat()))
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    # -- free tables -----------------------------------------------------------------------------
    def current_table(self):
        return self.textCursor().currentTable()

    def insert_table(self, rows: int, columns: int, header: bool = True) -> bool:
        """An empty table at the cursor, the cursor in its first cell."""
        if self.isReadOnly() or self.current_table() is not None or rows < 1 or columns < 1:
            return False
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        qt_table = insert_table(cursor, Table(tuple(((),) * columns for _ in range(rows)), header))
        cursor.endEditBlock()
        self.setTextCursor(qt_table.cellAt(0, 0).firstCursorPosition())
        return True

    def ask_table(self) -> None:
        if self.isReadOnly():
            return
        if self.current_table() is not None:
            return
        dialog = TableDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.insert_table(dialog.rows.value(), dialog.columns.value(), dialog.header.isChecked())
        self.setFocus()

    def move_cell(self, step: int) -> None:
        """Tab: the next cell (a new row after the last one); Shift+Tab: the cell before."""
        table = self.current_table()
        if table is None:
            return
        cell = table.cellAt(self.textCursor())
        index = cell.row() * table.columns() + cell.column() + step
        if index >= table.rows() * table.columns():
            if self.isReadOnly():
                return
            table.appendRows(1)
        index = max(index, 0)
        target = table.cellAt(index // table.columns(), index % table.columns())
        self.setTextCursor(target.firstCursorPosition())

    def table_edit(self, action: str) -> bool:
        """Change the table at the cursor: "row_below", "column_right", "remove_row", "remove_column",
        "header" (switch the header row on or off), "remove_table"."""
        table = self.current_table()
        if table is None or self.isReadOnly():
            return False
        cell = table.cellAt(self.textCursor())
        row, column = cell.row(), cell.column()
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if action == "row_below":
            table.insertRows(row + 1, 1)
        elif action == "column_right":
            table.insertColumns(column + 1, 1)
        elif action == "remove_row":
            if table.rows() > 1:
                table.removeRows(row, 1)
            else:
                action = "remove_table"
        elif action == "remove_column":
            if table.columns() > 1:
                table.removeColumns(column, 1)
            else:
                action = "remove_table"
        elif action == "header":
            fmt = table.format()
            fmt.setHeaderRowCount(0 if fmt.headerRowCount() else 1)
            table.setFormat(fmt)
        if action == "remove_table":
            cursor.setPosition(table.firstPosition() - 1)
            cursor.setPosition(table.lastPosition() + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        else:
            fmt = table.format()
            columns = table.columns()
            fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 100 / columns)] * columns)
            table.setFormat(fmt)
            shade_header(table)
        cursor.endEditBlock()
        renumber_footnotes(self.document())
        return True

    def insert_footnote(self, text: str) -> bool:
        markup = footnote_markup(text)
        if not markup:
            return False
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.setPosition(cursor.selectionEnd())
        plain = without_footnote(self.currentCharFormat())
        cursor.insertText("[*]", marker_format(markup))
        cursor.setCharFormat(plain)
        cursor.endEditBlock()
        renumber_footnotes(self.document())
        self.setTextCursor(cursor)
        self.setCurrentCharFormat(plain)
        return True

    def footnote_at(self, position: int) -> tuple[int, int, QTextCharFormat] | None:
        for start, end, fmt in footnote_ranges(self.document()):
            if start <= position < end:
                return start, end, fmt
        return None

    def set_footnote_text(self, position: int, text: str) -> bool:
        found = self.footnote_at(position)
        markup = footnote_markup(text)
        if not found or not markup:
            return False
        start, end, fmt = found
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(marker_format(markup, fmt.property(FOOTNOTE_ID_PROPERTY)))
        return True

    def ask_footnote(self) -> None:
        if self.isReadOnly():
            return
        dialog = FootnoteDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.insert_footnote(dialog.text())
        self.setFocus()

    def footnotes(self) -> list[tuple[int, str]]:
        """(position of the marker, plain text) of every footnote, in order."""
        return [(start, footnote_plain(str(fmt.property(FOOTNOTE_PROPERTY) or "")))
                for start, _end, fmt in footnote_ranges(self.document())]

    def edit_footnote(self, position: int) -> bool:
        """Ask for a new text of the footnote whose marker is at `position`."""
        found = self.footnote_at(position)
        if not found or self.isReadOnly():
            return False
        start, _, fmt = found
        dialog = FootnoteDialog(self, footnote_plain(str(fmt.property(FOOTNOTE_PROPERTY) or "")), editing=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return self.set_footnote_text(start, dialog.text())
        return False

    def mouseDoubleClickEvent(self, event):
        position = self.cursorForPosition(event.position().toPoint()).position()
        found = self.footnote_at(position) or self.footnote_at(position - 1)
        if found and not self.isReadOnly():
            self.edit_footnote(found[0])
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    # -- clipboard -------------------------------------------------------------------------------
    def createMimeDataFromSelection(self) -> QMimeData:
        qt_mime = super().createMimeDataFromSelection()
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return qt_mime
        # Qt's own mime object lists a fixed set of formats; build a plain one that carries ours too
        paragraphs = document_paragraphs(self.document(), cursor.selectionStart(), cursor.selectionEnd())
        markup = richtext.serialize(paragraphs)
        mime = QMimeData()
        mime.setData(MARKUP_MIME, markup.encode("utf-8"))
        mime.setHtml(qt_mime.html())  # for Word and other programs
        mime.setText(richtext.plain_text(markup, with_footnotes=True))
        return mime

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasFormat(MARKUP_MIME) or source.hasHtml() or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste keeps words, paragraphs, bold/italic/underline (and our own footnotes), nothing else."""
        if self.isReadOnly():
            return
        paragraphs = paragraphs_from_mime(source)
        if not paragraphs:
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        insert_paragraphs(cursor, paragraphs)
        cursor.endEditBlock()
        renumber_footnotes(self.document())
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
