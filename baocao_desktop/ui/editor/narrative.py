"""The narrative: the lower half of the middle column, where the section's text is written. Its toolbar
(Đậm, Nghiêng, Gạch chân, Chú thích, Chèn bảng, Hoàn tác, Làm lại, “Chèn câu từ số liệu”), the text with its findings
underlined, the list of footnotes under it, and above it the messages about refused figures and notices.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolBar, QToolButton, QVBoxLayout, QWidget

from ...domain import richtext
from ...domain.sentences import join_sentences
from .marks import FindingMarks
from .narrative_edit import NarrativeEdit
from .rich_document import document_markup, renumber_footnotes, run_format, set_document_markup
from .style import TEXT_FAMILIES


class NarrativePanel(QWidget):
    """One QTextDocument per visited section (undo survives switching); `edited` after each change the
    user makes to the text."""

    edited = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.docs: dict[str, QTextDocument] = {}
        self.marks = FindingMarks(session, self.docs)
        self.current_path: str | None = None
        self.syncing = False  # programmatic changes must not look like edits
        locked = session.locked
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        # messages about the figures stay visible under the grid, however far it is scrolled
        self.field_message = QLabel()
        self.field_message.setObjectName("fieldMessage")
        self.field_message.setWordWrap(True)
        self.field_message.hide()
        layout.addWidget(self.field_message)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        layout.addWidget(self.notice_label)
        bar_row = QHBoxLayout()
        bar_row.setSpacing(4)
        label = QLabel("Nội dung")
        label.setObjectName("panelTitle")
        bar_row.addWidget(label)
        self.narrative = NarrativeEdit()
        self.narrative.setObjectName("narrative")
        self.narrative.setReadOnly(locked)
        self.narrative.setPlaceholderText("Viết nội dung của mục này… (xem hướng dẫn và ví dụ ở trên)")
        self.narrative.textChanged.connect(self._on_text_changed)
        self.narrative.format_changed.connect(self.update_format_buttons)
        self.narrative.undoAvailable.connect(lambda ok: self.undo_action.setEnabled(ok and not self.session.locked))
        self.narrative.redoAvailable.connect(lambda ok: self.redo_action.setEnabled(ok and not self.session.locked))
        bar_row.addWidget(self._build_toolbar(), 1)
        layout.addLayout(bar_row)
        layout.addWidget(self.narrative, 1)
        self.footnote_list = QLabel()
        self.footnote_list.setObjectName("footnoteList")
        self.footnote_list.setWordWrap(True)
        self.footnote_list.setTextFormat(Qt.TextFormat.RichText)
        self.footnote_list.linkActivated.connect(self._on_footnote_link)
        self.footnote_list.hide()
        layout.addWidget(self.footnote_list)

    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setObjectName("narrativeBar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setIconSize(QSize(16, 16))
        locked = self.session.locked

        def action(text, tip, slot, checkable=False, font=None):
            act = bar.addAction(text)
            act.setToolTip(tip)
            act.setCheckable(checkable)
            act.triggered.connect(slot)
            if font is not None:
                act.setFont(font)
            act.setEnabled(not locked)
            return act

        bold, italic, underline = QFont(), QFont(), QFont()
        bold.setBold(True)
        italic.setItalic(True)
        underline.setUnderline(True)
        self.bold_action = action("Đậm", "Chữ đậm (Ctrl+B)", lambda: self._format(self.narrative.toggle_bold),
                                  True, bold)
        self.italic_action = action("Nghiêng", "Chữ nghiêng (Ctrl+I)",
                                    lambda: self._format(self.narrative.toggle_italic), True, italic)
        self.underline_action = action("Gạch chân", "Gạch chân (Ctrl+U)",
                                       lambda: self._format(self.narrative.toggle_underline), True, underline)
        for act, key in ((self.bold_action, QKeySequence.StandardKey.Bold),
                         (self.italic_action, QKeySequence.StandardKey.Italic),
                         (self.underline_action, QKeySequence.StandardKey.Underline)):
            # the text handles these keys itself (narrative_edit._SHORTCUTS); on the action they only name it
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        bar.addSeparator()
        self.footnote_action = action("Chú thích", "Chèn chú thích chân trang tại con trỏ, Ctrl+Alt+F như Word "
                                      "(nhấp đúp vào số chú thích để sửa)", self.narrative.ask_footnote)
        self.footnote_action.setShortcut(QKeySequence("Ctrl+Alt+F"))
        self.table_menu = QMenu(self)
        self.table_tool = QToolButton()
        self.table_tool.setText("Chèn &bảng")
        self.table_tool.setToolTip("Chèn một bảng vào nội dung (bảng không có trong mẫu); "
                                   "Tab chuyển sang ô sau, mũi tên bên cạnh để thêm, bớt dòng, cột")
        self.table_tool.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.table_tool.setMenu(self.table_menu)
        self.table_tool.clicked.connect(self.narrative.ask_table)
        self.table_tool.setEnabled(not locked)
        self.table_actions = {}
        for key, text in (("row_below", "Thêm dòng bên dưới"), ("column_right", "Thêm cột bên phải"),
                          ("remove_row", "Xóa dòng"), ("remove_column", "Xóa cột"),
                          ("header", "Dòng đầu là tiêu đề cột"), ("remove_table", "Xóa bảng")):
            act = self.table_menu.addAction(text, lambda key=key: self.narrative.table_edit(key))
            self.table_actions[key] = act
        self.table_actions["header"].setCheckable(True)
        self.table_menu.aboutToShow.connect(self._update_table_menu)
        bar.addWidget(self.table_tool)
        bar.addSeparator()
        self.undo_action = action("Hoàn tác", "Hoàn tác (Ctrl+Z)", self.narrative.undo)
        self.redo_action = action("Làm lại", "Làm lại (Ctrl+Y)", self.narrative.redo)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        bar.addSeparator()
        self.sentence_menu = QMenu(self)
        self.sentence_tool = QToolButton()
        self.sentence_tool.setText("Chèn câu từ &số liệu")
        self.sentence_tool.setToolTip("Viết câu có số liệu của mục này vào nội dung, tỷ lệ % được tính tự động")
        self.sentence_tool.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.sentence_tool.setMenu(self.sentence_menu)
        self.sentence_tool.clicked.connect(lambda: self.insert_sentences(None))
        self.sentence_tool.setEnabled(not locked)
        self.sentence_tool_action = bar.addWidget(self.sentence_tool)
        return bar

    # == sections ================================================================================
    def doc_for(self, path: str) -> QTextDocument:
        doc = self.docs.get(path)
        if doc is None:
            doc = QTextDocument(self)
            font = QFont()
            font.setFamilies(TEXT_FAMILIES)
            font.setPointSizeF(13)
            doc.setDefaultFont(font)
            doc.setDocumentMargin(8)
            set_document_markup(doc, self.session.report.texts.get(path))
            self.docs[path] = doc
            self.marks.build_proofreading(path)
            self.marks.build_figures([path])
        return doc

    def show_section(self, section, indicators: list) -> None:
        """Show a section's document, and the “Chèn câu” menu of its indicators."""
        self.syncing = True
        try:
            self._show_section(section, indicators)
        finally:
            self.syncing = False

    def _show_section(self, section, indicators: list) -> None:
        self.current_path = section.path
        locked = self.session.locked
        self.sentence_menu.clear()
        self.sentence_tool.setEnabled(bool(indicators) and not locked)
        if indicators:
            self.sentence_menu.addAction("Tất cả chỉ tiêu của mục", lambda: self.insert_sentences(None))
            self.sentence_menu.addSeparator()
            for ind in indicators:
                self.sentence_menu.addAction(ind.label, lambda code=ind.code: self.insert_sentences([code]))
        self.hide_notice()
        doc = self.doc_for(section.path)
        self.narrative.setDocument(doc)
        self.show_marks()
        self.narrative.moveCursor(self.narrative.textCursor().MoveOperation.End)
        self.update_footnote_list()
        self.undo_action.setEnabled(doc.isUndoAvailable() and not locked)
        self.redo_action.setEnabled(doc.isRedoAvailable() and not locked)
        self.update_format_buttons()

    def text_of(self, path: str) -> str | None:
        """A section's markup to save (footnotes renumbered first); None when it was never opened."""
        doc = self.docs.get(path)
        if doc is None:
            return None
        self.syncing = True
        try:
            renumber_footnotes(doc)
        finally:
            self.syncing = False
        return document_markup(doc)

    def _on_text_changed(self) -> None:
        path = self.current_path
        if path and self.narrative.document() is self.docs.get(path):
            self.update_footnote_list()
        if self.syncing or self.session.locked or not path:
            return
        if self.narrative.document() is not self.docs.get(path):
            return
        self.session.text_edited(path)
        self.edited.emit()

    # == findings in the text ====================================================================
    def show_marks(self) -> None:
        """Underline the current section's findings."""
        self.narrative.set_marks(self.marks.shown(self.current_path or ""))

    def select_finding_text(self, finding) -> bool:
        """Select exactly the text a finding is about, when it is in the document shown."""
        mark = self.marks.of_finding(finding)
        if mark is None or self.narrative.document() is not mark.cursor.document():
            return False
        self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
        self.narrative.select_range(mark.start, mark.end)
        return True

    # == sentences ===============================================================================
    def follow_figures(self) -> bool:
        """After a figure edit: write the section's generated sentences into its text while the text is empty
        or still exactly what was generated (the session's rule), as one undoable edit the clerk can change
        like typed text; their own text is left alone. True when the text changed."""
        path = self.current_path
        if not path or self.session.locked:
            return False
        doc = self.doc_for(path)
        text = self.session.text_after_figures(path, document_markup(doc))
        if text is None:
            return False
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(richtext.plain_text(text), run_format())
        cursor.endEditBlock()
        return True

    def insert_sentences(self, codes: list[str] | None) -> bool:
        """Write the generated sentence(s) into the narrative at the cursor; None = all of the section."""
        if self.session.locked or not self.current_path:
            return False
        section = self.session.template.section(self.current_path)
        all_of_section = codes is None
        sentences, problems = self.session.sentences(list(section.indicators) if all_of_section else codes)
        if sentences:
            text = join_sentences(sentences)
            if all_of_section:
                text += "."
            self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
            self.narrative.insert_text_at_cursor(self._capitalised(text))
        if problems and (not sentences or not all_of_section):
            self.show_notice(" ".join(problems))
        elif problems:
            self.show_notice("Bỏ qua chỉ tiêu chưa đủ số liệu: " + " ".join(problems))
        else:
            self.hide_notice()
        return bool(sentences)

    def _capitalised(self, text: str) -> str:
        """Capitalise a sentence that starts a paragraph or follows a full stop."""
        cursor = self.narrative.textCursor()
        block_text = cursor.block().text()[:cursor.positionInBlock()].rstrip()
        if not block_text or block_text[-1] in ".!?:":
            return text[:1].upper() + text[1:]
        return text

    # == messages ================================================================================
    def show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.show()

    def hide_notice(self) -> None:
        self.notice_label.hide()

    def show_field_messages(self) -> None:
        """The refused figures and cells, and why, wherever they are."""
        lines = [f"<b>{html.escape(where)}:</b> {html.escape(message)}"
                 for where, message in self.session.invalid_messages(self.current_path)]
        if lines:
            self.field_message.setText("<br>".join(lines) + "<br><i>Số này chưa được lưu; hãy sửa lại.</i>")
            self.field_message.show()
        else:
            self.field_message.clear()
            self.field_message.hide()

    # == footnotes and formatting ================================================================
    def update_footnote_list(self) -> None:
        notes = self.narrative.footnotes()
        if not notes:
            self.footnote_list.hide()
            return
        rows = []
        for number, (position, text) in enumerate(notes, 1):
            short = text if len(text) <= 160 else text[:157].rstrip() + "…"
            link = "" if self.session.locked else f' <a href="fn:{position}">sửa</a>'
            rows.append(f"<b>[{number}]</b> {html.escape(short).replace(chr(10), ' / ')}{link}")
        self.footnote_list.setText("<b>Chú thích:</b><br>" + "<br>".join(rows))
        self.footnote_list.show()

    def _on_footnote_link(self, link: str) -> None:
        if link.startswith("fn:"):
            self.narrative.edit_footnote(int(link[3:]))

    def _update_table_menu(self) -> None:
        """The row and column actions apply to the table at the cursor; none without one."""
        table = self.narrative.current_table()
        for act in self.table_actions.values():
            act.setEnabled(table is not None and not self.session.locked)
        self.table_actions["header"].setChecked(table is not None and table.format().headerRowCount() > 0)

    def _format(self, toggle) -> None:
        toggle()
        self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)

    def update_format_buttons(self) -> None:
        fmt = self.narrative.currentCharFormat()
        for act, on in ((self.bold_action, self.narrative.is_bold()), (self.italic_action, fmt.fontItalic()),
                        (self.underline_action, fmt.fontUnderline())):
            act.blockSignals(True)
            act.setChecked(bool(on))
            act.blockSignals(False)

    def set_locked(self, locked: bool) -> None:
        self.narrative.setReadOnly(locked)
        for act in (self.bold_action, self.italic_action, self.underline_action, self.footnote_action):
            act.setEnabled(not locked)
        self.table_tool.setEnabled(not locked)
        doc = self.narrative.document()
        self.undo_action.setEnabled(doc.isUndoAvailable() and not locked)
        self.redo_action.setEnabled(doc.isRedoAvailable() and not locked)
        section = self.session.template.section(self.current_path) if self.current_path else None
        self.sentence_tool.setEnabled(bool(section and section.indicators) and not locked)
        self.update_footnote_list()
