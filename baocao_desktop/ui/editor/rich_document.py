"""The narrative's text as Qt holds it: a QTextDocument converted to and from domain.richtext markup.

What the user sees through it: bold, italic, underline and footnote markers in the text, and what a
paste from Word or a web page keeps. One conversion path only: QTextDocument → list[Paragraph] →
richtext.serialize, and richtext.parse → list[Paragraph] → QTextDocument. Footnotes live in the document
as a small superscript marker "[1]" whose character format carries the footnote's markup in a user
property. Pasted HTML (Word, web pages) is reduced to paragraphs with bold/italic/underline only.
"""
from __future__ import annotations

import itertools
import re
import unicodedata

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat

from ...domain import richtext
from ...domain.richtext import Footnote, Paragraph, Run

_USER = int(QTextFormat.Property.UserProperty.value)
FOOTNOTE_PROPERTY = _USER + 1  # markup of the footnote's own text
FOOTNOTE_ID_PROPERTY = _USER + 2  # keeps two adjacent footnotes apart
MARKUP_MIME = "application/x-baocao-markup"
MARKER_COLOR = QColor("#1a5fb4")

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
