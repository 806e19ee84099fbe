"""The figures grid: the card of a section's indicators, one row each (Thực hiện, Kế hoạch, Lũy kế kỳ
trước, Lũy kế, last period's figure, cùng kỳ năm trước, unit, the computed Tỷ lệ % and a “Chèn câu” button),
the fields outlined where a check found something, and refused input outlined in red. Under a row, a grey
line says where computed figures come from (lũy kế from the year's earlier reports, a quarter's sum of its
months); a figure the program prefilled shows greyed “tự tính” until the clerk confirms it or types over it.

The card fits the width it is given: when the name column and the fields do not fit side by side (a 1366×768
laptop at 125%, or many columns), each indicator's name goes on its own line, with its unit, above its fields,
which then share the width; the column headers follow. Nothing is cut and the card never scrolls sideways.
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

LABEL_MIN_WIDTH = 120  # side by side, the names wrap down to this (a 125% laptop has ~500 px for the card)
LABEL_WANTED_WIDTH = 160  # narrower than this beside the fields, the names go on their own line
FIELD_MIN_TEXT = "999.999"  # stacked fields share the width down to this (or their own figure, if wider)
FIELD_PADDING = 20  # a field's frame and padding around its text
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's “no maximum”


class IndicatorRow:
    """The widgets of one indicator in the card, placed side by side or stacked by FiguresGrid._place."""

    def __init__(self, ind, label: QLabel, unit: QLabel, note: QLabel, sources: QLabel, confirm: QToolButton):
        self.ind = ind
        self.label = label
        self.unit = unit
        self.note = note
        self.sources = sources
        self.confirm = confirm
        self.cells: list[tuple[str, QWidget]] = []  # (column, widget) of the figures, the unit excluded


class FiguresGrid(QFrame):
    """The indicator card of the current section. What is typed goes to the session at once; `edited` then
    tells the editor to schedule the save, `sentence_requested(codes)` asks for sentences in the text."""

    edited = Signal()
    left = Signal(str, str)  # code, field: the cursor left a field
    sentence_requested = Signal(list)
    relaid = Signal()  # the card went from side by side to stacked or back: its height changed

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
        self.stacked = False  # each indicator's name on its own line above its fields
        self._columns: list[str] = []
        self._headers: dict[str, QLabel] = {}
        self._line: QFrame | None = None
        self._rows: list[IndicatorRow] = []
        self._field_widths: dict[tuple[str, str], tuple[int, int]] = {}  # (least, widest) of each field

    def _widgets(self) -> list[QWidget]:
        """Every widget of the card, laid out or not (the unit is not, stacked: it joins the name)."""
        widgets = [*self._headers.values(), *([self._line] if self._line is not None else [])]
        for row in self._rows:
            widgets += [row.note, row.sources, row.confirm, row.label, row.unit, *(c for _n, c in row.cells)]
        return widgets

    def clear(self) -> None:
        widgets = self._widgets()
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None and item.widget() not in widgets:
                widgets.append(item.widget())
        for widget in widgets:
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
        self._columns = []
        self._headers = {}
        self._line = None
        self._rows = []
        self._field_widths.clear()

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
        self._columns = columns
        tips = dict(HEADER_TIPS, compare=f"Số thực hiện của {comparison['label']}, để so sánh (không sửa ở đây)"
                    if comparison else "",
                    last_year="Số thực hiện cùng kỳ năm trước, lấy từ báo cáo năm trước của đơn vị (không sửa ở đây)")
        # every widget is given its parent as it is made, in reading order: that order is the Tab order,
        # whichever way _place lays them out
        for name in columns:
            label = QLabel(HEADER_TEXTS[name], self)
            label.setObjectName("gridHeader")
            label.setToolTip(tips.get(name, ""))
            align = Qt.AlignmentFlag.AlignLeft if name in ("label", "unit") else Qt.AlignmentFlag.AlignHCenter
            label.setAlignment(align | Qt.AlignmentFlag.AlignBottom)
            if name not in ("label", "unit", "percent", "sentence"):
                label.setWordWrap(True)  # “Lũy kế kỳ trước” over a narrow field
            self._headers[name] = label
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #e3e7ec;")
        self._line = line
        for ind in indicators:
            self._rows.append(self._make_row(ind, fields, compare, last_year, show_percent))
        self._place(self._fits_side_by_side())
        QTimer.singleShot(0, self.fit_sources)
        return indicators

    def _make_row(self, ind, fields: list[str], compare: dict, last_year: dict, show_percent: bool) -> IndicatorRow:
        session = self.session
        comparison = session.comparison
        # under the row: the explanation of a marked field, then the figures' sources
        note = QLabel(self)
        note.setObjectName("fieldNote")
        note.setWordWrap(True)
        note.hide()
        self.notes[ind.code] = note
        sources = QLabel(self)
        sources.setObjectName("sourceNote")
        sources.setWordWrap(True)
        sources.setTextFormat(Qt.TextFormat.PlainText)
        sources.hide()
        self.sources[ind.code] = sources
        confirm = QToolButton(self)
        confirm.setText("Xác &nhận")
        confirm.setToolTip("Giữ số tự tính làm số của báo cáo (không còn hiện là “tự tính”)")
        confirm.setCursor(Qt.CursorShape.PointingHandCursor)
        confirm.clicked.connect(lambda _=False, code=ind.code: self.confirm(code))
        confirm.hide()
        self.confirm_buttons[ind.code] = confirm
        label = QLabel(ind.label, self)
        label.setObjectName("indicatorLabel")
        label.setWordWrap(True)
        label.setToolTip(f"{ind.label} ({ind.unit})" if ind.unit else ind.label)
        unit = QLabel(ind.unit, self)
        unit.setObjectName("unitLabel")
        row = IndicatorRow(ind, label, unit, note, sources, confirm)
        for name in fields:
            if has_field(ind, name):
                row.cells.append((name, self._make_field(ind, name)))
        if ind.code in compare:
            last = QLabel(format_number(compare[ind.code]), self)
            last.setObjectName("compareLabel")
            last.setStyleSheet("color: #5b6673;")
            last.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            last.setToolTip(f"{ind.label} {comparison['label'].lower()}: "
                            f"{format_number(compare[ind.code])} {ind.unit}".strip())
            row.cells.append(("compare", last))
        if ind.code in last_year:
            value, period = last_year[ind.code]
            before = QLabel(format_number(value), self)
            before.setObjectName("lastYearLabel")
            before.setStyleSheet("color: #5b6673;")
            before.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            before.setToolTip(f"{ind.label} cùng kỳ năm trước ({period}): {format_number(value)} {ind.unit}"
                              .rstrip() + ", từ báo cáo năm trước của đơn vị.")
            row.cells.append(("last_year", before))
        if show_percent and ind.has_percent:
            percent = QLabel(self)
            percent.setObjectName("percentLabel")
            percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            bold = QFont(percent.font())
            bold.setBold(True)  # as style.py draws it; “100,00%” must not be cut at 125%
            percent.setMinimumWidth(QFontMetrics(bold).horizontalAdvance("100,00%") + 14)
            self.percent[ind.code] = percent
            row.cells.append(("percent", percent))
        button = QToolButton(self)
        button.setText("Chèn câu")
        button.setProperty("row_button", True)  # one per row: reached by Tab from its field (no Alt+ letter)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setEnabled(not session.locked)
        button.clicked.connect(lambda _=False, code=ind.code: self.sentence_requested.emit([code]))
        self.sentence_buttons[ind.code] = button
        row.cells.append(("sentence", button))
        self.refresh_computed(ind.code)
        self.refresh_sources(ind.code)
        return row

    def _place(self, stacked: bool) -> None:
        """Lay the card out side by side (the name in the first column, as a printed table) or stacked (the
        name on its own line, with its unit, above its fields, which share the width)."""
        grid = self.grid
        for widget in self._widgets():
            grid.removeWidget(widget)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
            grid.setColumnMinimumWidth(column, 0)
        self.stacked = stacked
        # stacked, the unit joins the name and “Chèn câu” ends the name's line: the figures keep the width
        columns = ([name for name in self._columns if name not in ("label", "unit", "sentence")] if stacked
                   else self._columns)
        col = {name: index for index, name in enumerate(columns)}
        span = len(columns)
        middle = Qt.AlignmentFlag.AlignVCenter
        if stacked:
            grid.addWidget(self._headers["label"], 0, 0, 1, span)
        for name in columns:
            grid.addWidget(self._headers[name], 1 if stacked else 0, col[name])
        for name, header in self._headers.items():
            self._show_placed(header, name in col or name == "label")
        first = 3 if stacked else 2
        grid.addWidget(self._line, first - 1, 0, 1, span)
        for index, row in enumerate(self._rows):
            ind = row.ind
            at = first + (5 if stacked else 3) * index
            if stacked:
                row.label.setText(f"{ind.label} ({ind.unit})" if ind.unit else ind.label)
                grid.addWidget(row.label, at, 0, 1, max(1, span - 1))
                grid.addWidget(self.sentence_buttons[ind.code], at, span - 1,
                               Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
                at += 1
            else:
                row.label.setText(ind.label)
                grid.addWidget(row.label, at, col["label"])
                grid.addWidget(row.unit, at, col["unit"], middle)
            self._show_placed(row.unit, not stacked)
            for name, widget in row.cells:
                if (ind.code, name) in self._field_widths:
                    self._size_field(widget, *self._field_widths[(ind.code, name)], stacked)
                if name in col:  # stacked, Tỷ lệ keeps its size under its header (the figures take the width)
                    grid.addWidget(widget, at, col[name], middle | Qt.AlignmentFlag.AlignHCenter
                                   if stacked and name == "percent" else middle)
            grid.addWidget(row.note, at + 1, 0, 1, span)
            if stacked:  # the sources line the whole width, “Xác nhận” under it
                grid.addWidget(row.sources, at + 2, 0, 1, span)
                grid.addWidget(row.confirm, at + 3, 0, 1, span, Qt.AlignmentFlag.AlignLeft)
            else:  # the sources line starts under the figures; “Xác nhận” at its left, always in view
                grid.addWidget(row.confirm, at + 2, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
                grid.addWidget(row.sources, at + 2, 1, 1, span - 1)
        if stacked:
            for name in columns:
                if name != "percent":  # the figures share what is left
                    grid.setColumnStretch(col[name], 1)
        else:
            grid.setColumnStretch(col["label"], 1)
            grid.setColumnMinimumWidth(col["label"], LABEL_MIN_WIDTH)

    @staticmethod
    def _show_placed(widget: QWidget, placed: bool) -> None:
        """Hide a widget the layout leaves out; show again one it hid. A new one is left to the layout, which
        shows it with the others on the next event."""
        if not placed:
            widget.hide()
        elif widget.isHidden() and widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
            widget.show()

    @staticmethod
    def _size_field(edit: QLineEdit, least: int, widest: int, stacked: bool) -> None:
        if stacked:  # the fields share the width, none narrower than its figure
            edit.setMinimumWidth(min(widest, max(least, edit.fontMetrics().horizontalAdvance(edit.text())
                                                 + FIELD_PADDING)))
            edit.setMaximumWidth(QWIDGETSIZE_MAX)
        else:
            edit.setFixedWidth(widest)

    def _widen(self, key: tuple[str, str], edit: QLineEdit) -> None:
        """A stacked field widens with what is typed (up to the largest allowed figure): no figure is cut."""
        if self.stacked and key in self._field_widths and self.fields.get(key) is edit:
            self._size_field(edit, *self._field_widths[key], True)

    def _available_width(self) -> int:
        """The width the form gives the card, whether or not its vertical scroll bar shows now (so that the
        bar coming or going with the card's height never flips the layout back)."""
        area = self._scroll_area()
        if area is None or area.widget() is None:
            return self.width()
        margins = area.widget().layout().contentsMargins() if area.widget().layout() is not None else None
        outside = margins.left() + margins.right() if margins is not None else 0
        return area.maximumViewportSize().width() - area.verticalScrollBar().sizeHint().width() - outside

    def _fits_side_by_side(self) -> bool:
        """Whether the names (at LABEL_WANTED_WIDTH) and every column of figures fit the width given; a lone
        figure always stays beside its name (stacking would gain nothing)."""
        if not self._rows or len([n for n in self._columns if n not in ("label", "unit", "sentence")]) < 2:
            return True
        widths: dict[str, int] = {}
        for row in self._rows:
            for name, widget in [*row.cells, ("unit", row.unit)]:
                if (row.ind.code, name) in self._field_widths:
                    wanted = self._field_widths[(row.ind.code, name)][1]
                else:
                    wanted = max(widget.minimumWidth(), widget.sizeHint().width())
                widths[name] = max(widths.get(name, 0), wanted)
        for name in ("unit", "percent", "sentence"):
            if name in self._headers and name in widths:
                widths[name] = max(widths[name], self._headers[name].sizeHint().width())
        margins = self.grid.contentsMargins()
        frame = 2 * self.frameWidth()
        needed = (margins.left() + margins.right() + frame + LABEL_WANTED_WIDTH + sum(widths.values())
                  + self.grid.horizontalSpacing() * len(widths))
        return needed <= self._available_width()

    def fit_width(self) -> None:
        """Side by side when it fits the width given, else stacked; the editor refits its splitter on a change."""
        import shiboken6
        if not shiboken6.isValid(self) or not self._rows:
            return
        stacked = not self._fits_side_by_side()
        if stacked != self.stacked:
            self._place(stacked)
            self.grid.invalidate()
            self.updateGeometry()
            self.relaid.emit()

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
        """The layout for the width given (fit_width), then the sources lines wrapped inside what the form
        shows (should the card still be wider than the form): a line that ran on under a scrolled-out part
        would be unread."""
        import shiboken6
        if not shiboken6.isValid(self):  # called from a timer after the editor closed
            return
        area = self._scroll_area()
        if area is None or area.widget() is None:
            return
        self.fit_width()
        fits = area.widget().minimumSizeHint().width() <= area.viewport().width()
        for label in self.sources.values():
            if not shiboken6.isValid(label):
                continue
            if fits:  # the layout wraps the line in its cells (a floor set at another width would leave a gap)
                label.setMaximumWidth(QWIDGETSIZE_MAX)
                label.setMinimumHeight(0)
            else:
                left = label.mapTo(area.widget(), QPoint(0, 0)).x() - area.horizontalScrollBar().value()
                width = max(220, area.viewport().width() - left - 12)
                label.setMaximumWidth(width)
                label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)  # the wrapped lines
        self.grid.invalidate()
        self.updateGeometry()

    def _make_field(self, ind, name: str) -> QLineEdit:
        session = self.session
        key = (ind.code, name)
        edit = QLineEdit(self)
        edit.setObjectName("figure")
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        rule = session.figure_rule(ind.code)  # wide enough for the largest figure the field allows
        widest = max(80, edit.fontMetrics().horizontalAdvance(rule.widest_text()) + FIELD_PADDING)
        self._field_widths[key] = (min(widest, edit.fontMetrics().horizontalAdvance(FIELD_MIN_TEXT) + FIELD_PADDING),
                                   widest)
        edit.setFixedWidth(widest)
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
        edit.textChanged.connect(lambda _text, e=edit, k=key: self._widen(k, e))
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
