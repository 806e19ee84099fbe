"""The middle column of the editor: the current section's heading (with “Bắt buộc” when required), its
guidance and example, the figures grid and the tables above, the narrative below, split so that the
figures take what they need and the text the rest.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QScrollArea, QSplitter, QToolButton, QVBoxLayout,
                               QWidget)

from ..common import settings_of
from .figures import FiguresGrid
from .narrative import NarrativePanel
from .tables import TablesBox


GUIDANCE_KEY = "editor/show_guidance"


class SectionPage(QWidget):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        heading_row = QHBoxLayout()
        self.heading_label = QLabel()
        self.heading_label.setObjectName("sectionHeading")
        self.heading_label.setWordWrap(True)
        heading_row.addWidget(self.heading_label, 1)
        self.required_chip = QLabel("Bắt buộc")
        self.required_chip.setObjectName("requiredChip")
        self.required_chip.setToolTip("Mục bắt buộc: phải có nội dung (hoặc ghi “Không phát sinh”).")
        heading_row.addWidget(self.required_chip, 0, Qt.AlignmentFlag.AlignTop)
        # the guidance folds away, for every section, to give the figures and the text the room of a
        # small screen (folded by default when the screen is under 700 logical pixels high: 1366×768 at 125%)
        self.guidance_button = QToolButton()
        self.guidance_button.setText("Hướng dẫn &viết")
        self.guidance_button.setCheckable(True)
        self.guidance_button.setToolTip("Hiện/ẩn hướng dẫn viết và ví dụ của mục")
        self.guidance_button.toggled.connect(self._guidance_toggled)
        heading_row.addWidget(self.guidance_button, 0, Qt.AlignmentFlag.AlignTop)
        self._has_guidance = False
        layout.addLayout(heading_row)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(6)
        # -- top: guidance + figures (scrolls when a section has many indicators)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(0, 0, 4, 0)
        form_layout.setSpacing(6)
        self.guidance_frame = QFrame()
        self.guidance_frame.setObjectName("guidance")
        guidance_layout = QVBoxLayout(self.guidance_frame)
        guidance_layout.setContentsMargins(10, 6, 10, 6)
        self.guidance_label = QLabel()
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setTextFormat(Qt.TextFormat.RichText)
        self.guidance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        guidance_layout.addWidget(self.guidance_label)
        form_layout.addWidget(self.guidance_frame)
        self.figures = FiguresGrid(session)
        self.figures.relaid.connect(self.fit_splitter)  # stacked, the card is taller
        form_layout.addWidget(self.figures)
        self.tables = TablesBox(session)
        form_layout.addWidget(self.tables)
        form_layout.addStretch(1)
        self.form_scroll.setWidget(form)
        self.splitter.addWidget(self.form_scroll)
        # -- bottom: narrative
        self.narrative_panel = NarrativePanel(session)
        # the text follows the figures while it is still the generated sentences (services.editing)
        self.figures.edited.connect(self.narrative_panel.follow_figures)
        self.splitter.addWidget(self.narrative_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)
        self.setMinimumWidth(520)

    def show_section(self, section) -> None:
        self.heading_label.setText(section.heading)
        self.required_chip.setVisible(section.required)
        parts = []
        if section.guidance:
            parts.append(html.escape(section.guidance))
        if section.example:
            parts.append(f"<i><b>Ví dụ:</b> {html.escape(section.example)}</i>")
        self.guidance_label.setText("<br>".join(parts))
        self._has_guidance = bool(parts)
        self.guidance_button.setVisible(self._has_guidance)
        self.guidance_frame.setVisible(self._has_guidance and self.guidance_button.isChecked())
        indicators = self.figures.show_section(section)
        self.tables.show_section(section)
        self.mark(self.session.findings_by_field())
        self.narrative_panel.show_section(section, indicators)
        self.narrative_panel.show_field_messages()
        self.fit_splitter()
        QTimer.singleShot(0, self.fit_splitter)  # again once the new widgets are laid out

    def showEvent(self, event):  # noqa: N802 (Qt API)
        if not self.guidance_button.property("restored"):
            self.guidance_button.setProperty("restored", True)
            settings = settings_of(self)
            screen = self.screen()
            shown = screen is None or screen.availableGeometry().height() >= 700
            if settings is not None and settings.value(GUIDANCE_KEY) is not None:
                shown = str(settings.value(GUIDANCE_KEY)).lower() == "true"
            self.guidance_button.setChecked(shown)
            self._guidance_toggled(shown, remember=False)
        super().showEvent(event)

    def _guidance_toggled(self, shown: bool, remember: bool = True) -> None:
        self.guidance_frame.setVisible(self._has_guidance and shown)
        settings = settings_of(self) if remember else None
        if settings is not None:
            settings.setValue(GUIDANCE_KEY, shown)
        if self.isVisible():
            self.fit_splitter()

    def fit_splitter(self) -> None:
        form = self.form_scroll.widget()
        for layout in (self.figures.grid, form.layout()):
            layout.invalidate()
            layout.activate()
        # nothing above the text (no guidance shown, no figures, no table): the text takes all the room
        empty = self.guidance_frame.isHidden() and self.figures.isHidden() and self.tables.isHidden()
        self.form_scroll.setVisible(not empty)
        if empty:
            return
        total = max(self.splitter.height(), 420)
        width = self.form_scroll.viewport().width()
        layout = form.layout()
        wanted = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth() and width > 100
                  else form.sizeHint().height()) + 4
        top = min(wanted, int(total * 0.62))
        top = max(top, 60)
        self.splitter.setSizes([top, total - top])

    def focus(self, head: str, name: str) -> None:
        """Put the cursor in a table's cell ("table", "row.column"), an indicator's field ("code", "field";
        its first field when that one is not in the grid), or else in the narrative."""
        view = self.tables.views.get(head) if head else None
        if view is not None:
            row, _, column = name.partition(".")
            self.form_scroll.ensureWidgetVisible(view.grid)
            if not view.focus_cell(row, column):
                view.grid.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if head and self.session.template.table(head) is not None:
            return  # a table of no section
        fields = self.figures.fields
        edit = fields.get((head, name)) or next((w for (code, _f), w in fields.items() if code == head), None) \
            if head else None
        if edit is None:
            self.narrative_panel.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.form_scroll.ensureWidgetVisible(edit)
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        edit.selectAll()

    def mark(self, by_field: dict) -> None:
        """Outline the fields and cells that a finding points at."""
        self.tables.mark(by_field)
        self.figures.mark(by_field)

    def show_input_states(self) -> None:
        """Refused figures and cells outlined, and listed above the text."""
        self.figures.show_states()
        self.tables.mark(self.session.findings_by_field())
        self.narrative_panel.show_field_messages()

    def set_locked(self, locked: bool) -> None:
        self.narrative_panel.set_locked(locked)
        self.figures.set_locked(locked)
        self.tables.set_locked(locked)
