"""The figures grid: the card of a section's indicators, one row each (Thực hiện, Kế hoạch, Lũy kế kỳ
trước, Lũy kế, last period's figure, cùng kỳ năm trước, unit, the computed Tỷ lệ % and a “Chèn câu” button),
the fields outlined where a check found something, and refused input outlined in red. Under a row, a grey
line says where computed figures come from (lũy kế from the year's earlier reports, a quarter's sum of its
months); a figure the program prefilled shows greyed “tự tính” until the clerk confirms it or types over it.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QScrollArea, QToolButton, QWidget

from ...domain.dates import format_date
from ...domain.model import FIELD_LABELS
from ...domain.numbers import format_number
from ...domain.sentences import MissingValues
from ...services.editing import GRID_FIELDS, has_field
from .style import repolish

GRID_HEADERS = {
    "actual": "Thực hiện",
    "plan": "Kế hoạch",
    "previous": "Lũy kế kỳ trước",
    "cumulative": "Lũy kế",
}
HEADER_TEXTS = {"label": "Chỉ tiêu", "unit": "Đơn vị", "percent": "Tỷ lệ", "sentence": "", "compare": "Kỳ trước",
                "last_year": "Cùng kỳ năm trước", **GRID_HEADERS}
HEADER_TIPS = {
    "actual": "Số thực hiện (với chỉ tiêu có lũy kế: số trong kỳ này)",
    "plan": "Kế hoạch năm được giao",
    "previous": "Lũy kế đến hết kỳ báo cáo trước (lấy từ báo cáo kỳ trước khi có)",
    "cumulative": "Lũy kế từ đầu năm đến hết kỳ này = lũy kế kỳ trước + thực hiện trong kỳ",
    "percent": "Tính tự động: Thực hiện (hoặc Lũy kế) / Kế hoạch × 100, không nhập tay",
}
FIELD_TIPS = {
    "actual": "Số thực hiện",
    "plan": "Kế hoạch năm",
    "previous": "Chưa có báo cáo kỳ trước: nhập lũy kế đến hết kỳ trước để kiểm tra lũy kế",
    "cumulative": "Lũy kế từ đầu năm; tự điền = lũy kế kỳ trước + thực hiện trong kỳ",
}


class FiguresGrid(QFrame):
    """The indicator card of the current section. What is typed goes to the session at once; `edited` then
    tells the editor to schedule the save, `sentence_requested(codes)` asks for sentences in the text."""

    edited = Signal()
    left = Signal(str, str)  # code, field: the cursor left a field
    sentence_requested = Signal(list)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("indicatorCard")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(10, 8, 10, 8)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(5)
        self.fields: dict[tuple[str, str], QLineEdit] = {}
        self.percent: dict[str, QLabel] = {}
        self.sentence_buttons: dict[str, QToolButton] = {}
        # under each indicator's row: why one of its fields is outlined, readable without hovering
        self.notes: dict[str, QLabel] = {}
        # under that: where its computed figures come from, and the “Xác nhận” of prefilled ones
        self.sources: dict[str, QLabel] = {}
        self.confirm_buttons: dict[str, QToolButton] = {}
        self._by_field: dict = {}
        self.syncing = False  # set by the editor while it changes fields itself

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
            self.grid.setColumnMinimumWidth(column, 0)
        self.fields.clear()
        self.percent.clear()
        self.sentence_buttons.clear()
        self.notes.clear()
        self.sources.clear()
        self.confirm_buttons.clear()

    def show_section(self, section) -> list:
        """Build the rows of a section's indicators; returns the indicators shown."""
        self.clear()
        session = self.session
        indicators = [i for i in (session.template.indicator(code) for code in section.indicators) if i is not None]
        self.setVisible(bool(indicators))
        if not indicators:
            return indicators
        fields = [f for f in GRID_FIELDS if any(has_field(i, f) for i in indicators)]
        show_percent = any(i.has_percent for i in indicators)
        comparison = session.comparison
        compare = {i.code: comparison["values"][i.code].get("actual") for i in indicators
                   if comparison and comparison["values"].get(i.code, {}).get("actual") is not None}
        last_year = {i.code: found for i in indicators if (found := session.last_year(i.code)) is not None}
        columns = (["label", *fields] + (["compare"] if compare else []) + (["last_year"] if last_year else [])
                   + ["unit"]
                   + (["percent"] if show_percent else []) + ["sentence"])
        col = {name: index for index, name in enumerate(columns)}
        tips = dict(HEADER_TIPS, compare=f"Số thực hiện của {comparison['label']}, để so sánh (không sửa ở đây)"
                    if comparison else "",
                    last_year="Số thực hiện cùng kỳ năm trước, lấy từ báo cáo năm trước của đơn vị (không sửa ở đây)")
        for name in columns:
            label = QLabel(HEADER_TEXTS[name])
            label.setObjectName("gridHeader")
            label.setToolTip(tips.get(name, ""))
            align = Qt.AlignmentFlag.AlignLeft if name in ("label", "unit") else Qt.AlignmentFlag.AlignHCenter
            label.setAlignment(align | Qt.AlignmentFlag.AlignBottom)
            if name in GRID_FIELDS:
                label.setWordWrap(True)
            self.grid.addWidget(label, 0, col[name])
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #e3e7ec;")
        self.grid.addWidget(line, 1, 0, 1, len(columns))
        for index, ind in enumerate(indicators):
            row = 2 + 3 * index  # the rows after: the explanation of a marked field, the figures' sources
            note = QLabel()
            note.setObjectName("fieldNote")
            note.setWordWrap(True)
            note.hide()
            self.notes[ind.code] = note
            self.grid.addWidget(note, row + 1, 0, 1, len(columns))
            sources = QLabel()
            sources.setObjectName("sourceNote")
            sources.setWordWrap(True)
            sources.setTextFormat(Qt.TextFormat.PlainText)
            sources.hide()
            self.sources[ind.code] = sources
            # the line starts under the figures; “Xác nhận” under the indicator's name, always in view
            self.grid.addWidget(sources, row + 2, 1, 1, len(columns) - 1)
            confirm = QToolButton()
            confirm.setText("Xác &nhận")
            confirm.setToolTip("Giữ số tự tính làm số của báo cáo (không còn hiện là “tự tính”)")
            confirm.setCursor(Qt.CursorShape.PointingHandCursor)
            confirm.clicked.connect(lambda _=False, code=ind.code: self.confirm(code))
            confirm.hide()
            self.confirm_buttons[ind.code] = confirm
            self.grid.addWidget(confirm, row + 2, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            label = QLabel(ind.label)
            label.setObjectName("indicatorLabel")
            label.setWordWrap(True)
            label.setToolTip(f"{ind.label} ({ind.unit})" if ind.unit else ind.label)
            self.grid.addWidget(label, row, col["label"])
            for name in fields:
                if has_field(ind, name):
                    self.grid.addWidget(self._make_field(ind, name), row, col[name], Qt.AlignmentFlag.AlignVCenter)
            if ind.code in compare:
                last = QLabel(format_number(compare[ind.code]))
                last.setObjectName("compareLabel")
                last.setStyleSheet("color: #5b6673;")
                last.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                last.setToolTip(f"{ind.label} {comparison['label'].lower()}: "
                                f"{format_number(compare[ind.code])} {ind.unit}".strip())
                self.grid.addWidget(last, row, col["compare"], Qt.AlignmentFlag.AlignVCenter)
            if ind.code in last_year:
                value, period = last_year[ind.code]
                before = QLabel(format_number(value))
                before.setObjectName("lastYearLabel")
                before.setStyleSheet("color: #5b6673;")
                before.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                before.setToolTip(f"{ind.label} cùng kỳ năm trước ({period}): {format_number(value)} {ind.unit}"
                                  .rstrip() + ", từ báo cáo năm trước của đơn vị.")
                self.grid.addWidget(before, row, col["last_year"], Qt.AlignmentFlag.AlignVCenter)
            unit = QLabel(ind.unit)
            unit.setObjectName("unitLabel")
            self.grid.addWidget(unit, row, col["unit"], Qt.AlignmentFlag.AlignVCenter)
            if show_percent:
                percent = QLabel()
                percent.setObjectName("percentLabel")
                percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                bold = QFont(percent.font())
                bold.setBold(True)  # as style.py draws it; “100,00%” must not be cut at 125%
                percent.setMinimumWidth(QFontMetrics(bold).horizontalAdvance("100,00%") + 14)
                if ind.has_percent:
                    self.percent[ind.code] = percent
                    self.grid.addWidget(percent, row, col["percent"], Qt.AlignmentFlag.AlignVCenter)
                else:
                    percent.deleteLater()
            button = QToolButton()
            button.setText("Chèn câu")
            button.setProperty("row_button", True)  # one per row: reached by Tab from its field (no Alt+ letter)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setEnabled(not session.locked)
            button.clicked.connect(lambda _=False, code=ind.code: self.sentence_requested.emit([code]))
            self.sentence_buttons[ind.code] = button
            self.grid.addWidget(button, row, col["sentence"], Qt.AlignmentFlag.AlignVCenter)
            self.refresh_computed(ind.code)
            self.refresh_sources(ind.code)
        self.grid.setColumnStretch(col["label"], 1)
        self.grid.setColumnMinimumWidth(col["label"], 120)  # labels wrap: a 125% laptop has ~500 px here
        QTimer.singleShot(0, self.fit_sources)
        return indicators

    def _scroll_area(self) -> QScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent

    def showEvent(self, event):  # noqa: N802 (Qt API)
        area = self._scroll_area()
        if area is not None and not area.viewport().property("sourcesWatched"):
            area.viewport().setProperty("sourcesWatched", True)
            area.viewport().installEventFilter(self)
        super().showEvent(event)
        QTimer.singleShot(0, self.fit_sources)

    def eventFilter(self, watched, event):  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self.fit_sources)
        return super().eventFilter(watched, event)

    def fit_sources(self) -> None:
        """The sources lines wrap inside what the form shows (the card may be wider than the screen at 125%):
        a line that ran on under the scrolled-out part would be unread."""
        import shiboken6
        if not shiboken6.isValid(self):  # called from a timer after the editor closed
            return
        area = self._scroll_area()
        if area is None or area.widget() is None:
            return
        for label in self.sources.values():
            if shiboken6.isValid(label):
                left = label.mapTo(area.widget(), QPoint(0, 0)).x() - area.horizontalScrollBar().value()
                width = max(220, area.viewport().width() - left - 12)
                label.setMaximumWidth(width)
                label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)  # the wrapped lines
        self.grid.invalidate()
        self.updateGeometry()

    def _make_field(self, ind, name: str) -> QLineEdit:
        session = self.session
        key = (ind.code, name)
        edit = QLineEdit()
        edit.setObjectName("figure")
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        rule = session.figure_rule(ind.code)  # wide enough for the largest figure the field allows
        edit.setFixedWidth(max(80, edit.fontMetrics().horizontalAdvance(rule.widest_text()) + 20))
        edit.setProperty("field", f"{ind.code}.{name}")
        fixed_previous = name == "previous" and ind.code in session.context.previous_cumulative
        if fixed_previous:
            fixed = session.context.previous_cumulative[ind.code]
            edit.setText(format_number(fixed))
            edit.setReadOnly(True)
            edit.setToolTip(f"{session.figure_sources(ind.code, name)} {ind.unit}".rstrip()
                            + ". Lấy tự động từ các báo cáo trước trong năm, không sửa ở đây.")
            edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        else:
            edit.setText(session.field_text(ind.code, name))
            edit.setReadOnly(session.locked)
            tip = FIELD_TIPS[name] + (" trong kỳ" if name == "actual" and ind.cumulative else "")
            tip += (". Số nguyên, viết kiểu Việt Nam: 1.009 (dấu chấm ngăn cách hàng nghìn)." if rule.integer
                    else ". Viết kiểu Việt Nam: 1.009 hoặc 84,5.")
            if name == "actual" and ind.code in session.profile_figures:
                fact, _value = session.profile_figures[ind.code]
                tip += (f"\nHồ sơ đơn vị ngày {format_date(fact.as_of)}: {format_number(fact.value)} {fact.unit}"
                        .rstrip() + " (số điền sẵn khi tạo báo cáo).")
            edit.setToolTip(tip)
            edit.textEdited.connect(lambda text, code=ind.code, f=name: self._on_edited(code, f, text))
            edit.editingFinished.connect(lambda code=ind.code, f=name: self.left.emit(code, f))
        edit.setProperty("invalid", key in session.invalid)
        edit.setProperty("fixed", fixed_previous)
        edit.setProperty("auto", session.is_auto(ind.code, name))
        edit.setProperty("finding", "")
        self.fields[key] = edit
        return edit

    def _on_edited(self, code: str, name: str, text: str) -> None:
        if self.syncing or self.session.locked:
            return
        for key, filled in self.session.edit_figure(code, name, text).items():
            edit = self.fields.get(key)
            if edit is not None:
                edit.setText(filled)
        self.refresh_computed(code)
        self.refresh_sources(code)
        self.edited.emit()

    def confirm(self, code: str) -> None:
        """“Xác nhận”: the indicator's “tự tính” figures become the clerk's own."""
        for name in GRID_FIELDS:
            self.session.confirm_figure(code, name)
        self.refresh_sources(code)

    def refresh_sources(self, code: str) -> None:
        """The grey line under an indicator: where its computed figures come from; the prefilled fields
        greyed “tự tính” with a “Xác nhận” button until confirmed or typed over."""
        session = self.session
        lines, auto = [], False
        for name in GRID_FIELDS:
            edit = self.fields.get((code, name))
            if edit is None:
                continue
            is_auto = session.is_auto(code, name)
            auto = auto or is_auto
            if bool(edit.property("auto")) != is_auto:
                edit.setProperty("auto", is_auto)
                repolish(edit)
            text = session.figure_sources(code, name)
            if not text:
                continue
            if name == "previous" and (code, "cumulative") in self.fields \
                    and session.figure_sources(code, "cumulative"):
                continue  # the lũy kế line names the same earlier reports
            prefix = f"{GRID_HEADERS[name]} tự tính (chưa xác nhận): " if is_auto else ""
            lines.append(prefix + text)
        label = self.sources.get(code)
        if label is not None:
            text = "\n".join(dict.fromkeys(lines))
            if label.text() != text:
                label.setText(text)
            label.setVisible(bool(text))
        button = self.confirm_buttons.get(code)
        if button is not None:
            button.setVisible(auto and not session.locked)

    def refresh_computed(self, code: str) -> None:
        """The Tỷ lệ % and the sentence button's preview, from the figures shown now."""
        session = self.session
        ind = session.template.indicator(code)
        label = self.percent.get(code)
        if label is not None and ind is not None:
            values = session.values_of(code)
            value = session.percent(code)
            base = FIELD_LABELS[ind.percent_base].lower()
            if value is None:
                label.setText("—")
                label.setProperty("empty", True)
                label.setToolTip(f"Tỷ lệ % = {base} / kế hoạch × 100; nhập đủ hai số để tính.")
            else:
                label.setText(format_number(value) + "%")
                label.setProperty("empty", False)
                label.setToolTip(f"{format_number(values[ind.percent_base])} / {format_number(values['plan'])}"
                                 f" × 100 = {format_number(value)}% (tính tự động)")
            repolish(label)
        button = self.sentence_buttons.get(code)
        if button is not None and ind is not None:
            try:
                button.setToolTip("Chèn vào nội dung tại con trỏ:\n“" + session.sentence(code) + "”")
            except MissingValues as exc:
                button.setToolTip(str(exc))

    def tidy(self, code: str, name: str) -> None:
        """On leaving a field, show a stored figure in the Vietnamese format (1009 → 1.009)."""
        key = (code, name)
        edit = self.fields.get(key)
        if edit is None or key in self.session.invalid or key in self.session.dirty_values:
            return
        text = format_number(self.session.stored(code, name))
        if edit.text() != text and not edit.hasFocus():
            edit.setText(text)

    def show_saved(self, keys) -> None:
        """Saved figures read back formatted ("1009" → "1.009"), but not in the field being typed in."""
        for key in keys:
            edit = self.fields.get(key)
            if edit is not None and not edit.hasFocus():
                edit.setText(format_number(self.session.stored(*key)))

    def show_states(self) -> None:
        """Outline the refused fields, with the reason as tooltip."""
        for key, edit in self.fields.items():
            invalid = key in self.session.invalid
            if bool(edit.property("invalid")) != invalid:
                edit.setProperty("invalid", invalid)
                repolish(edit)
            if invalid:
                edit.setToolTip(self.session.invalid[key])
        self.show_notes()

    def mark(self, by_field: dict) -> None:
        """Outline the fields a finding points at, with the message as tooltip."""
        for (code, name), edit in self.fields.items():
            finding = by_field.get(f"{code}.{name}")
            severity = finding.severity if finding and finding.severity in ("error", "warning") else ""
            if (edit.property("finding") or "") != severity:
                edit.setProperty("finding", severity)
                repolish(edit)
            if finding and (code, name) not in self.session.invalid:
                edit.setToolTip(finding.message)
        self._by_field = by_field
        self.show_notes()

    def show_notes(self) -> None:
        """Under each indicator, the reason its fields are outlined: refused input first, then findings."""
        for code, note in self.notes.items():
            lines, severity = [], ""
            for (field_code, name), _edit in self.fields.items():
                if field_code != code:
                    continue
                where = GRID_HEADERS[name]
                if (code, name) in self.session.invalid:
                    lines.append(f"{where}: {self.session.invalid[(code, name)]}")
                    severity = "error"
                    continue
                finding = self._by_field.get(f"{code}.{name}")
                if finding is not None and finding.severity in ("error", "warning"):
                    if finding.message not in (line.split(": ", 1)[-1] for line in lines):
                        lines.append(finding.message)
                    severity = severity or finding.severity
                    if finding.severity == "error":
                        severity = "error"
            text = "\n".join(lines)
            if note.text() != text or (note.property("severity") or "") != severity:
                note.setText(text)
                note.setProperty("severity", severity)
                repolish(note)
            note.setVisible(bool(lines))

    def set_locked(self, locked: bool) -> None:
        for edit in self.fields.values():
            if not edit.property("fixed"):
                edit.setReadOnly(locked)
        for code in self.confirm_buttons:
            self.refresh_sources(code)
        for button in self.sentence_buttons.values():
            button.setEnabled(not locked)
