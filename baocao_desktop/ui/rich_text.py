"""The narrative editor: a QTextEdit whose content converts to and from domain.richtext markup.

One conversion path only: QTextDocument → list[Paragraph] → richtext.serialize, and
richtext.parse → list[Paragraph] → QTextDocument. Footnotes live in the document as a small
superscript marker "[1]" whose character format carries the footnote's markup in a user property.
Pasted HTML (Word, web pages) is reduced to paragraphs with bold/italic/underline only.
"""
from __future__ import annotations

import itertools
import re
import textwrap
import unicodedata

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QMimeData, Signal
from PySide6.QtGui import (QColor, QFont, QKeyEvent, QKeySequence, QTextBlockFormat, QTextCharFormat, QTextCursor,
                           QTextDocument, QTextFormat)
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QTextEdit, QToolTip, QVBoxLayout,
                               QWidget)

from ..domain import richtext
from ..domain.richtext import Footnote, Paragraph, Run

_USER = int(QTextFormat.Property.UserProperty.value)
FOOTNOTE_PROPERTY = _USER + 1  # markup of the footnote's own text
FOOTNOTE_ID_PROPERTY = _USER + 2  # keeps two adjacent footnotes apart
MARKUP_MIME = "application/x-baocao-markup"
MARKER_COLOR = QColor("#1a5fb4")
# wavy underlines of the proofreader's findings, the colours of the checks panel
MARK_COLORS = {"error": "#d32f2f", "warning": "#e69500", "info": "#1f6fb2"}
MARK_TINTS = {"error": "#fdecea", "warning": "#fff5dc", "info": "#eaf2fb"}  # so that a tired eye finds them
MARK_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Gợi ý"}

_ids = itertools.count(1)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad\ufffc"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")


# == formats =====================================================================================
def is_bold(fmt: QTextCharFormat) -> bool:
    return fmt.fontWeight() > QFont.Weight.Medium.value


def is_footnote(fmt: QTextCharFormat) -> bool:
    return fmt.hasProperty(FOOTNOTE_PROPERTY)


def run_format(bold: bool = False, italic: bool = False, underline: bool = False) -> QTextCharFormat:
    """A plain character format with exactly these three attributes (nothing inherited)."""
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold.value if bold else QFont.Weight.Normal.value)
    fmt.setFontItalic(italic)
    fmt.setFontUnderline(underline)
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignNormal)
    return fmt


def footnote_markup(text: str) -> str:
    """Plain footnote text typed in the dialog (one paragraph per line) → footnote markup."""
    lines = [line.strip() for line in richtext.normalize(text).split("\n")]
    return richtext.serialize([(Run(line),) for line in lines if line])


def footnote_plain(markup: str) -> str:
    return richtext.plain_text(markup)


def marker_format(markup: str, footnote_id: int | None = None) -> QTextCharFormat:
    fmt = run_format()
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
    fmt.setForeground(MARKER_COLOR)
    fmt.setProperty(FOOTNOTE_PROPERTY, markup)
    fmt.setProperty(FOOTNOTE_ID_PROPERTY, footnote_id or next(_ids))
    fmt.setToolTip("Chú thích: " + footnote_plain(markup) + "\n(Nhấp đúp để sửa)")
    return fmt


def without_footnote(fmt: QTextCharFormat) -> QTextCharFormat:
    """The format to keep typing with after a footnote marker."""
    clean = QTextCharFormat(fmt)
    for prop in (FOOTNOTE_PROPERTY, FOOTNOTE_ID_PROPERTY, QTextFormat.Property.TextToolTip.value,
                 QTextFormat.Property.ForegroundBrush.value):
        clean.clearProperty(prop)
    clean.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignNormal)
    clean.setFontWeight(QFont.Weight.Normal.value)
    return clean


# == document → paragraphs =======================================================================
def document_paragraphs(doc: QTextDocument, start: int = 0, end: int | None = None,
                        foreign: bool = False) -> list[Paragraph]:
    """The paragraphs of `doc` (or of the range start..end): runs with bold/italic/underline, footnotes.

    `foreign` is for documents built from pasted HTML: no footnotes there, and link underlines
    are not the author's underline.
    """
    if end is None:
        end = doc.characterCount() - 1
    paragraphs: list[Paragraph] = []
    block = doc.begin()
    while block.isValid():
        pos, length = block.position(), block.length()
        if pos > end:
            break
        if pos + length - 1 < start:
            block = block.next()
            continue
        items: list = []
        last_footnote = None
        for it in block:
            frag = it.fragment()
            if not frag.isValid():
                continue
            f_start, f_text = frag.position(), frag.text()
            lo, hi = max(start, f_start), min(end, f_start + len(f_text))
            if hi <= lo:
                continue
            fmt = frag.charFormat()
            if is_footnote(fmt) and not foreign:
                fid = fmt.property(FOOTNOTE_ID_PROPERTY)
                if fid != last_footnote:
                    note = richtext.parse(str(fmt.property(FOOTNOTE_PROPERTY) or ""))
                    items.append(Footnote(tuple(note)))
                last_footnote = fid
                continue
            last_footnote = None
            link = fmt.isAnchor() or bool(fmt.anchorHref())
            if foreign and link and fmt.verticalAlignment() == QTextCharFormat.VerticalAlignment.AlignSuperScript:
                continue  # a Word footnote reference ("[1]" linking to text we do not paste)
            text = f_text[lo - f_start:hi - f_start]
            underline = fmt.fontUnderline() and not (foreign and link)
            pieces = text.split("\u2028")  # Shift+Enter / <br>: a new paragraph in our markup
            for i, piece in enumerate(pieces):
                if i:
                    paragraphs.append(tuple(items))
                    items = []
                piece = piece.replace("\ufffc", "")  # images and other objects
                if piece:
                    items.append(Run(piece, is_bold(fmt), fmt.fontItalic(), underline))
        paragraphs.append(tuple(items))
        block = block.next()
    while paragraphs and not paragraphs[-1]:
        paragraphs.pop()
    return paragraphs


def document_markup(doc: QTextDocument) -> str:
    return richtext.serialize(document_paragraphs(doc))


def plain_paragraphs(paragraphs: list[Paragraph]) -> tuple[str, ...]:
    """The text the proofreader reads of each paragraph: its runs (footnotes left out), NFC."""
    return tuple(richtext.normalize("".join(item.text for item in paragraph if isinstance(item, Run)))
                 for paragraph in paragraphs)


def _nfc_spans(chars: list[tuple[str, int]]) -> list[tuple[int, int]]:
    """(start, end) in the document of each character of the NFC form of `chars` ((character, position)).
    Text typed with some Vietnamese keyboards is decomposed (a letter, then its marks): each composed
    character then covers its whole cluster."""
    def width(ch: str) -> int:  # document positions count UTF-16 units
        return 2 if ord(ch) > 0xFFFF else 1

    text = "".join(ch for ch, _ in chars)
    if unicodedata.is_normalized("NFC", text):
        return [(pos, pos + width(ch)) for ch, pos in chars]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(chars):
        j = i + 1
        while j < len(chars) and unicodedata.combining(chars[j][0]):
            j += 1
        start, end = chars[i][1], chars[j - 1][1] + width(chars[j - 1][0])
        spans += [(start, end)] * len(unicodedata.normalize("NFC", text[i:j]))
        i = j
    return spans


def text_spans(doc: QTextDocument, wanted: set[int] | None = None) -> dict[int, list[tuple[int, int]]]:
    """Paragraph index (as in `document_paragraphs`, i.e. in the stored markup) → the document span of each
    character of its plain text (`plain_paragraphs`): where the proofreader's offsets fall in `doc`.
    Only the paragraphs in `wanted` (all when None) are mapped."""
    out: dict[int, list[tuple[int, int]]] = {}
    index = 0
    block = doc.begin()
    while block.isValid():
        chars: list[tuple[str, int]] = []
        for it in block:
            frag = it.fragment()
            if not frag.isValid() or is_footnote(frag.charFormat()):
                continue
            text = frag.text()
            if wanted is not None and "\u2028" not in text and index not in wanted:
                continue  # nothing to map here: skip the character loop
            pos = frag.position()
            for ch in text:
                if ch == "\u2028":
                    if wanted is None or index in wanted:
                        out[index] = _nfc_spans(chars)
                    index, chars = index + 1, []
                elif ch != "\ufffc":
                    chars.append((ch, pos))
                pos += 2 if ord(ch) > 0xFFFF else 1
        if wanted is None or index in wanted:
            out[index] = _nfc_spans(chars)
        index += 1
        block = block.next()
    return out


def text_range(spans: list[tuple[int, int]], start: int | None, end: int | None) -> tuple[int, int] | None:
    """Document range of the plain-text offsets start..end of one paragraph (`text_spans`); the whole
    paragraph when the offsets are missing."""
    if not spans:
        return None
    start = 0 if start is None else max(0, min(start, len(spans) - 1))
    end = len(spans) if end is None else max(start + 1, min(end, len(spans)))
    return spans[start][0], spans[end - 1][1]


# == paragraphs → document =======================================================================
def insert_paragraphs(cursor: QTextCursor, paragraphs: list[Paragraph]) -> None:
    """Insert at the cursor: the first paragraph joins the current block, the others start new ones."""
    cursor.beginEditBlock()
    for index, paragraph in enumerate(paragraphs):
        if index:
            cursor.insertBlock()
        for item in paragraph:
            if isinstance(item, Run):
                cursor.insertText(item.text, run_format(item.bold, item.italic, item.underline))
            else:
                markup = richtext.serialize(list(item.paragraphs))
                cursor.insertText("[*]", marker_format(markup))
        cursor.setCharFormat(run_format())
    cursor.endEditBlock()


def paragraph_format() -> QTextBlockFormat:
    """Space between paragraphs, as in the printed report (never stored: markup has no layout)."""
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(6)
    fmt.setLineHeight(112, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    return fmt


def set_document_markup(doc: QTextDocument, markup: str | None) -> None:
    """Replace the content without an undo step (loading is not an edit)."""
    doc.setUndoRedoEnabled(False)
    doc.clear()
    cursor = QTextCursor(doc)
    cursor.setBlockFormat(paragraph_format())  # new paragraphs (Enter, paste) copy it
    insert_paragraphs(cursor, richtext.parse(markup))
    renumber_footnotes(doc, join_undo=False)
    doc.setUndoRedoEnabled(True)
    doc.setModified(False)


def footnote_ranges(doc: QTextDocument) -> list[tuple[int, int, QTextCharFormat]]:
    """(start, end, format) of every footnote marker, in document order."""
    out: list[tuple[int, int, QTextCharFormat]] = []
    block = doc.begin()
    while block.isValid():
        for it in block:
            frag = it.fragment()
            if not frag.isValid() or not is_footnote(frag.charFormat()):
                continue
            fmt = frag.charFormat()
            start, end = frag.position(), frag.position() + frag.length()
            if out and out[-1][1] == start and out[-1][2].property(FOOTNOTE_ID_PROPERTY) == \
                    fmt.property(FOOTNOTE_ID_PROPERTY):
                out[-1] = (out[-1][0], end, out[-1][2])
            else:
                out.append((start, end, fmt))
        block = block.next()
    return out


def renumber_footnotes(doc: QTextDocument, join_undo: bool = True) -> bool:
    """Make the markers read [1], [2], … in order. Returns whether anything changed.

    With `join_undo` the change joins the user's last edit, so undo never stops on a renumbering.
    """
    ranges = footnote_ranges(doc)
    wrong = [(i, r) for i, r in enumerate(ranges, 1) if doc.toPlainText()[r[0]:r[1]] != f"[{i}]"]
    if not wrong:
        return False
    cursor = QTextCursor(doc)
    if join_undo and doc.isUndoAvailable():
        cursor.joinPreviousEditBlock()
    else:
        cursor.beginEditBlock()
    for number, (start, end, fmt) in reversed(wrong):
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(f"[{number}]", fmt)
    cursor.endEditBlock()
    return True


# == pasted content ==============================================================================
def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text)


def clean_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """NFC, NBSP → space, no zero-width characters, collapsed spaces, no empty paragraphs."""
    out: list[Paragraph] = []
    for paragraph in paragraphs:
        items: list = []
        for item in paragraph:
            if isinstance(item, Run):
                text = clean_text(item.text)
                if text:
                    items.append(Run(text, item.bold, item.italic, item.underline))
            else:
                items.append(item)
        # trim the paragraph's outer spaces
        while items and isinstance(items[0], Run) and not items[0].text.strip():
            items.pop(0)
        while items and isinstance(items[-1], Run) and not items[-1].text.strip():
            items.pop()
        if items and isinstance(items[0], Run):
            first = items[0]
            items[0] = Run(first.text.lstrip(), first.bold, first.italic, first.underline)
        if items and isinstance(items[-1], Run):
            last = items[-1]
            items[-1] = Run(last.text.rstrip(), last.bold, last.italic, last.underline)
        if items:
            out.append(tuple(items))
    return out


def paragraphs_from_html(html: str) -> list[Paragraph]:
    doc = QTextDocument()
    doc.setHtml(html)
    return clean_paragraphs(document_paragraphs(doc, foreign=True))


def paragraphs_from_text(text: str) -> list[Paragraph]:
    lines = richtext.normalize(text).split("\n")
    return clean_paragraphs([(Run(line),) for line in lines])


def paragraphs_from_mime(source: QMimeData) -> list[Paragraph]:
    if source.hasFormat(MARKUP_MIME):
        markup = bytes(source.data(MARKUP_MIME)).decode("utf-8", "replace")
        return richtext.parse(markup)
    if source.hasHtml():
        return paragraphs_from_html(source.html())
    if source.hasText():
        return paragraphs_from_text(source.text())
    return []


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

    def keyPressEvent(self, event):
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
