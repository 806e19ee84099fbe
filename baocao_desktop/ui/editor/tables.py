"""The tables of a section, below its figures grid: each a grid of rows × columns of figures, totals
shaded, the sum of the parts shown beside a typed total, cells with findings or refused input coloured.

`FigureTable` is one table as a QTableWidget. It only shows things: what the user types goes out through
`cell_edited` (every keystroke, like the indicator fields), and `TablesBox` says back which cells are
invalid, which have findings and what the current values are (for the computed sums beside a typed total).
"""
from __future__ import annotations

import html
from decimal import Decimal

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...domain.errors import UserError
from ...domain.numbers import format_number
from ...templates.dictionary import column_rule

TOTAL_BG = QColor("#eaf0f7")
ERROR_BG, ERROR_FG = QColor("#fde3e1"), QColor("#a61b1b")
WARNING_BG = QColor("#fff3d6")
INVALID_BG = QColor("#ffd3d3")
HINT_FG = QColor("#6b7784")
HINT_DIFF_FG = QColor("#b3261e")
CELL_ROLE = Qt.ItemDataRole.UserRole + 10  # (row code, column code)
LABEL_ROLE = Qt.ItemDataRole.UserRole + 12  # row code of a row-name cell (tables whose rows a report names)
ROW_HEIGHT = 28


class _CellDelegate(QStyledItemDelegate):
    def __init__(self, owner: "FigureTable"):
        super().__init__(owner.grid)
        self.owner = owner

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt API)
        if index.data(LABEL_ROLE):
            edit = QLineEdit(parent)
            edit.setObjectName("rowName")
            edit.setMaxLength(200)
            return edit
        edit = QLineEdit(parent)
        edit.setObjectName("figure")
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row, column = index.data(CELL_ROLE)
        edit.setProperty("cell", (row, column))
        edit.setProperty("invalid", (row, column) in self.owner.invalid)
        edit.textEdited.connect(lambda text, r=row, c=column: self.owner.cell_edited.emit(r, c, text))
        return edit

    def setEditorData(self, editor, index):  # noqa: N802 (Qt API)
        editor.setText(index.data(Qt.ItemDataRole.DisplayRole) or "")

    def setModelData(self, editor, model, index):  # noqa: N802 (Qt API)
        if (index.data(Qt.ItemDataRole.DisplayRole) or "") != editor.text():
            if index.data(LABEL_ROLE):  # a row name is stored when the clerk is done with it
                self.owner.row_renamed.emit(index.data(LABEL_ROLE), editor.text())
                return
            model.setData(index, editor.text(), Qt.ItemDataRole.DisplayRole)

    def paint(self, painter, option, index):
        super().paint(painter, option, index)
        cell = index.data(CELL_ROLE)
        hint = self.owner.sum_hints.get(cell) if cell else None
        if hint is None:
            return
        summed, differs = hint
        painter.save()
        font = QFont(option.font)
        font.setItalic(True)
        font.setBold(False)
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        painter.setFont(font)
        painter.setPen(QPen(HINT_DIFF_FG if differs else HINT_FG))
        rect = QRectF(option.rect).adjusted(6, 0, -6, 0)
        align = Qt.AlignmentFlag.AlignVCenter | (Qt.AlignmentFlag.AlignLeft if differs else Qt.AlignmentFlag.AlignRight)
        painter.drawText(rect, int(align), f"Σ {format_number(summed)}")
        painter.restore()


class _Grid(QTableWidget):
    def __init__(self, owner: "FigureTable"):
        super().__init__(owner)
        self.owner = owner

    def keyPressEvent(self, event):  # noqa: N802 (Qt API)
        if (event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and self.state() != QAbstractItemView.State.EditingState and not self.owner.locked):
            for item in self.selectedItems():
                cell = item.data(CELL_ROLE)
                if cell and item.text():
                    item.setText("")
                    self.owner.cell_edited.emit(cell[0], cell[1], "")
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint):  # noqa: N802 (Qt API)
        cell = editor.property("cell")
        super().closeEditor(editor, hint)
        if cell and not self.owner.rebuilding:
            self.owner.cell_left.emit(cell[0], cell[1])


class FigureTable(QWidget):
    """Title, the grid of cells (row labels at the left, total row/column bold on a light background)
    and, under it, what the typed totals should be when they differ from the sum of their parts."""

    cell_edited = Signal(str, str, str)  # row code, column code, the text as typed
    cell_left = Signal(str, str)  # the cell's editor closed
    row_renamed = Signal(str, str)  # row code, the name typed (tables whose rows this report names)
    add_row_requested = Signal()
    remove_row_requested = Signal(str)  # row code
    profile_names_requested = Signal()

    def __init__(self, table, parent: QWidget | None = None, rows_changeable: bool = False):
        """`table`: the table as this report has it; `rows_changeable`: the template lets the report name,
        add and leave out rows: a "Tên dòng" column is editable and buttons add or remove rows."""
        super().__init__(parent)
        self.table = table
        self.rows_changeable = rows_changeable
        self.rebuilding = False
        self.locked = False
        self.invalid: dict[tuple[str, str], str] = {}
        self.sum_hints: dict[tuple[str, str], tuple[Decimal, bool]] = {}
        self._rows = {r.code: i for i, r in enumerate(table.rows)}
        offset = 1 if rows_changeable else 0  # column 0: the row names
        self._columns = {c.code: i + offset for i, c in enumerate(table.columns)}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.title_label = QLabel(table.title)
        self.title_label.setObjectName("tableTitle")
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        self.grid = _Grid(self)
        self.grid.setObjectName("figureTable")
        self.grid.setRowCount(len(table.rows))
        self.grid.setColumnCount(len(table.columns) + offset)
        bold = QFont(self.font())
        bold.setBold(True)
        if rows_changeable:
            header = QTableWidgetItem("Tên dòng")
            header.setToolTip("Tên dòng của báo cáo này: bấm đúp để sửa (dòng tổng theo mẫu)")
            self.grid.setHorizontalHeaderItem(0, header)
        for c, column in enumerate(table.columns, offset):
            text = column.label + (f"\n({column.unit})" if column.unit else "")
            header = QTableWidgetItem(text)
            header.setToolTip(column.label + (f" ({column.unit})" if column.unit else ""))
            if column.code == table.total_column:
                header.setFont(bold)
                header.setToolTip(f"{column.label}: bằng cộng các cột khác")
            self.grid.setHorizontalHeaderItem(c, header)
        for r, row in enumerate(table.rows):
            header = QTableWidgetItem(row.label)
            header.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            header.setToolTip(row.label)
            if row.code == table.total_row:
                header.setFont(bold)
                header.setToolTip(f"{row.label}: bằng cộng các dòng khác")
            self.grid.setVerticalHeaderItem(r, header)
            if rows_changeable:
                name = QTableWidgetItem(row.label)
                name.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                if row.code == table.total_row:
                    name.setFont(bold)
                    name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    name.setBackground(QBrush(TOTAL_BG))
                else:
                    name.setData(LABEL_ROLE, row.code)
                    name.setToolTip(f"{row.label} (bấm đúp để đổi tên dòng trong báo cáo này)")
                self.grid.setItem(r, 0, name)
            for c, column in enumerate(table.columns, offset):
                item = QTableWidgetItem("")
                item.setData(CELL_ROLE, (row.code, column.code))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if self.is_total(row.code, column.code):
                    item.setFont(bold)
                self.grid.setItem(r, c, item)
        self.grid.setItemDelegate(_CellDelegate(self))
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.grid.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid.setFrameShape(QFrame.Shape.StyledPanel)
        horizontal = self.grid.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        if rows_changeable:
            self.grid.verticalHeader().hide()
            self.grid.horizontalHeader().setMinimumSectionSize(78)
        # wide enough for the largest figure a column allows (its rule: kind and bounds)
        widest = max((self.fontMetrics().horizontalAdvance(column_rule(c).widest_text()) + 20
                      for c in table.columns), default=0)
        horizontal.setMinimumSectionSize(max(78, widest))
        horizontal.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        horizontal.setHighlightSections(False)
        vertical = self.grid.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        vertical.setMinimumWidth(130)
        vertical.setHighlightSections(False)
        self.grid.setWordWrap(False)
        # a light selection, so a marked cell and its Σ hint stay readable while selected
        self.grid.setStyleSheet("QTableWidget { selection-background-color: #cfe0f5; selection-color: #1d2b3a; }")
        layout.addWidget(self.grid)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("sumHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.hide()
        layout.addWidget(self.hint_label)
        self.row_buttons = QWidget()
        buttons = QHBoxLayout(self.row_buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.add_row_button = QPushButton("Thêm dòng")
        self.add_row_button.setToolTip("Thêm một dòng vào bảng của báo cáo này (dòng mẫu đã bỏ được lấy lại trước)")
        self.add_row_button.clicked.connect(self.add_row_requested)
        self.remove_row_button = QPushButton("Xóa dòng")
        self.remove_row_button.setToolTip("Bỏ dòng đang chọn khỏi báo cáo này (chỉ dòng chưa có số liệu)")
        self.remove_row_button.clicked.connect(self._remove_current_row)
        buttons.addWidget(self.add_row_button)
        buttons.addWidget(self.remove_row_button)
        self.profile_button = None
        if table.profile_fact:
            self.profile_button = QPushButton("Tên theo hồ sơ đơn vị")
            self.profile_button.setToolTip("Đặt lại tên các dòng theo hồ sơ đơn vị vào ngày báo cáo")
            self.profile_button.clicked.connect(self.profile_names_requested)
            buttons.addWidget(self.profile_button)
        buttons.addStretch(1)
        self.row_message = QLabel()
        self.row_message.setObjectName("rowMessage")
        self.row_message.setWordWrap(True)
        self.row_message.setStyleSheet("color: #a61b1b;")
        self.row_message.hide()
        layout.addWidget(self.row_buttons)
        layout.addWidget(self.row_message)
        self.row_buttons.setVisible(rows_changeable)
        self.set_locked(False)
        self._refresh_backgrounds({})
        self._fit_height()

    # -- geometry ----------------------------------------------------------------------------------
    def _fit_height(self) -> None:
        header = self.grid.horizontalHeader()
        height = (max(header.sizeHint().height(), header.height() if header.isVisible() else 0)
                  + ROW_HEIGHT * self.grid.rowCount() + 2 * self.grid.frameWidth())
        if self.grid.horizontalScrollBar().isVisible():
            height += self.grid.horizontalScrollBar().sizeHint().height()
        self.grid.setFixedHeight(height + 1)

    def showEvent(self, event):  # noqa: N802 (Qt API)
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_height)

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_height)

    # -- cells -----------------------------------------------------------------------------------------
    def current_row(self) -> str | None:
        """The code of the row the cursor is in."""
        r = self.grid.currentRow()
        return next((code for code, i in self._rows.items() if i == r), None) if r >= 0 else None

    def select_row(self, row: str) -> None:
        if row in self._rows:
            self.grid.setCurrentCell(self._rows[row], 0)

    def _remove_current_row(self) -> None:
        row = self.current_row()
        if row is None:
            self.show_row_message("Chọn một ô của dòng cần bỏ, rồi bấm “Xóa dòng”.")
            return
        self.remove_row_requested.emit(row)

    def show_row_message(self, text: str) -> None:
        self.row_message.setText(text)
        self.row_message.setVisible(bool(text))

    def name_item(self, row: str) -> QTableWidgetItem | None:
        """The row-name cell (tables whose rows this report names)."""
        return self.grid.item(self._rows[row], 0) if self.rows_changeable and row in self._rows else None

    def is_total(self, row: str, column: str) -> bool:
        return bool((self.table.total_row and row == self.table.total_row)
                    or (self.table.total_column and column == self.table.total_column))

    def item(self, row: str, column: str) -> QTableWidgetItem | None:
        if row not in self._rows or column not in self._columns:
            return None
        return self.grid.item(self._rows[row], self._columns[column])

    def text(self, row: str, column: str) -> str:
        item = self.item(row, column)
        return item.text() if item else ""

    def editing(self, row: str, column: str) -> bool:
        index = self.grid.currentIndex()
        return (self.grid.state() == QAbstractItemView.State.EditingState and index.isValid()
                and index.row() == self._rows.get(row) and index.column() == self._columns.get(column))

    def set_text(self, row: str, column: str, text: str) -> None:
        """Show a figure; a cell being typed in keeps what the user is typing."""
        item = self.item(row, column)
        if item is not None and not self.editing(row, column) and item.text() != text:
            item.setText(text)

    def focus_cell(self, row: str, column: str) -> bool:
        item = self.item(row, column)
        if item is None:
            return False
        self.grid.setCurrentItem(item)
        self.grid.scrollToItem(item)
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def current_cell(self) -> tuple[str, str] | None:
        item = self.grid.currentItem()
        return item.data(CELL_ROLE) if item is not None else None

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        self.row_buttons.setEnabled(not locked)
        if locked:
            self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        else:
            self.grid.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                      | QAbstractItemView.EditTrigger.EditKeyPressed
                                      | QAbstractItemView.EditTrigger.AnyKeyPressed
                                      | QAbstractItemView.EditTrigger.SelectedClicked)
        self.grid.setToolTip("" if locked else "Gõ số vào ô (kiểu Việt Nam: 1.009 hoặc 84,5); "
                                               "Delete để xóa ô; dòng/cột tổng được kiểm tra tự động.")

    def set_marks(self, invalid: dict[tuple[str, str], str], findings: dict) -> None:
        """Invalid input (message) and findings (Finding) by (row, column)."""
        self.invalid = dict(invalid)
        self._refresh_backgrounds(findings)
        editor = self.grid.indexWidget(self.grid.currentIndex()) if self.grid.currentIndex().isValid() else None
        editor = editor or self.grid.focusWidget()
        if isinstance(editor, QLineEdit) and editor.property("cell"):
            invalid_now = tuple(editor.property("cell")) in self.invalid
            if bool(editor.property("invalid")) != invalid_now:
                editor.setProperty("invalid", invalid_now)
                editor.style().unpolish(editor)
                editor.style().polish(editor)

    def _refresh_backgrounds(self, findings: dict) -> None:
        for row in self.table.rows:
            for column in self.table.columns:
                cell = (row.code, column.code)
                item = self.item(*cell)
                finding = findings.get(cell)
                severity = finding.severity if finding is not None else ""
                tip = ""
                if cell in self.invalid:
                    background, foreground, tip = INVALID_BG, ERROR_FG, self.invalid[cell]
                elif severity == "error":
                    background, foreground, tip = ERROR_BG, ERROR_FG, finding.message
                elif severity == "warning":
                    background, foreground, tip = WARNING_BG, None, finding.message
                elif self.is_total(*cell):
                    background, foreground = TOTAL_BG, None
                else:
                    background, foreground = None, None
                item.setBackground(QBrush(background) if background is not None else QBrush())
                item.setForeground(QBrush(foreground) if foreground is not None else QBrush())
                item.setData(Qt.ItemDataRole.UserRole + 11, severity or ("invalid" if cell in self.invalid else ""))
                item.setToolTip(tip or f"{row.label} – {column.label}")

    def cell_state(self, row: str, column: str) -> str:
        """"invalid", "error", "warning" or "" (for tests and the editor)."""
        item = self.item(row, column)
        return (item.data(Qt.ItemDataRole.UserRole + 11) or "") if item is not None else ""

    # -- totals ----------------------------------------------------------------------------------------
    def set_values(self, values: dict[tuple[str, str], Decimal | None]) -> None:
        """Current figures (typed or stored) → the sums shown in and under the total cells."""
        table = self.table
        hints: dict[tuple[str, str], tuple[Decimal, bool]] = {}
        lines = []
        for row in table.rows:
            for column in table.columns:
                if row.code == table.total_row:
                    parts = [values.get((r.code, column.code)) for r in table.rows if r.code != table.total_row]
                    where = f"Cột “{column.label}”"
                    of = "cộng các dòng"
                elif column.code == table.total_column:
                    parts = [values.get((row.code, c.code)) for c in table.columns if c.code != table.total_column]
                    where = f"Dòng “{row.label}”"
                    of = "cộng các cột"
                else:
                    continue
                filled = [p for p in parts if p is not None]
                if not filled:
                    continue
                summed = sum(filled, Decimal(0))
                total = values.get((row.code, column.code))
                if total is None:
                    hints[(row.code, column.code)] = (summed, False)
                elif total != summed:
                    hints[(row.code, column.code)] = (summed, True)
                    lines.append(f"{html.escape(where)}: tổng ghi <b>{format_number(total)}</b>, {of} được "
                                 f"<b>{format_number(summed)}</b> (chênh {format_number(abs(total - summed))}).")
        if hints != self.sum_hints:
            self.sum_hints = hints
            self.grid.viewport().update()
        if lines:
            self.hint_label.setText("<br>".join(lines))
            self.hint_label.show()
        else:
            self.hint_label.hide()


class TablesBox(QWidget):
    """The current section's tables, one under the other. What is typed goes to the session at once;
    `edited` then tells the editor to schedule the save, `left(code, row, column)` when a cell is left."""

    edited = Signal()
    left = Signal(str, str, str)
    rows_changed = Signal(str)  # table code: the report's rows of that table were renamed, added or left out

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.views: dict[str, FigureTable] = {}
        self.syncing = False  # set by the editor while it changes cells itself
        self.section = None
        self.tables_layout = QVBoxLayout(self)
        self.tables_layout.setContentsMargins(0, 0, 0, 0)
        self.tables_layout.setSpacing(10)
        self.hide()

    def show_section(self, section) -> None:
        for view in self.views.values():
            self.tables_layout.removeWidget(view)
            view.hide()
            view.deleteLater()
        self.views.clear()
        self.section = section
        session = self.session
        tables = [t for t in (session.table(code) for code in section.tables) if t is not None]
        self.setVisible(bool(tables))
        for table in tables:
            view = FigureTable(table, rows_changeable=session.rows_changeable(table.code))
            view.set_locked(session.locked)
            view.add_row_button.setEnabled(session.can_add_row(table.code))
            view.row_renamed.connect(lambda r, text, t=table.code: self._change_rows(t, "rename", r, text))
            view.add_row_requested.connect(lambda t=table.code: self._change_rows(t, "add"))
            view.remove_row_requested.connect(lambda r, t=table.code: self._change_rows(t, "remove", r))
            view.profile_names_requested.connect(lambda t=table.code: self._change_rows(t, "profile"))
            for row in table.rows:
                for column in table.columns:
                    view.set_text(row.code, column.code, session.cell_text((table.code, row.code, column.code)))
            view.cell_edited.connect(lambda r, c, text, t=table.code: self._on_edited(t, r, c, text))
            view.cell_left.connect(lambda r, c, t=table.code: self.left.emit(t, r, c))
            self.views[table.code] = view
            self.tables_layout.addWidget(view)
            self.refresh_sums(table.code)

    def _change_rows(self, code: str, action: str, row: str = "", text: str = "") -> None:
        """Rename, add or leave out a row of this report's table; the table is then shown again (a refusal
        is said under the table and changes nothing)."""
        session = self.session
        if self.syncing or session.locked:
            return
        selected = row
        try:
            if action == "rename":
                session.rename_row(code, row, text)
            elif action == "add":
                selected = session.add_row(code)
            elif action == "remove":
                if not session.row_removable(code, row):  # typed figures not saved yet count too
                    line = session.table(code).row(row)
                    name = line.label if line else row
                    raise UserError(f"“{name}” là dòng tổng của bảng: không bỏ được."
                                    if row == session.table(code).total_row
                                    else f"Dòng “{name}” còn số liệu: xóa các số của dòng trước khi bỏ dòng.")
                session.remove_row(code, row)
                selected = ""
            else:
                session.rows_from_profile(code)
        except UserError as exc:
            view = self.views.get(code)
            if view is not None:
                view.show_row_message(str(exc))
                if action == "rename":  # the name cell shows the stored name again
                    view.name_item(row).setText(session.table(code).row(row).label)
            return
        QTimer.singleShot(0, self, lambda: self._rebuilt(code, selected))
        self.edited.emit()

    def _rebuilt(self, code: str, row: str) -> None:
        """Show the section's tables again after a row change (called once the editor that sent it closed)."""
        for view in self.views.values():
            view.rebuilding = True
        self.show_section(self.section)
        self.mark(self.session.findings_by_field())
        view = self.views.get(code)
        if view is not None and row:
            view.select_row(row)
            if view.name_item(row) is not None:
                view.grid.setFocus(Qt.FocusReason.OtherFocusReason)
        self.rows_changed.emit(code)

    def _on_edited(self, code: str, row: str, column: str, text: str) -> None:
        if self.syncing or self.session.locked:
            return
        self.session.edit_cell(code, row, column, text)
        self.refresh_sums(code)
        self.edited.emit()

    def refresh_sums(self, code: str) -> None:
        view = self.views.get(code)
        if view is not None:
            view.set_values(self.session.table_values(code))

    def tidy(self, code: str, row: str, column: str) -> None:
        """On leaving a cell, show a stored figure in the Vietnamese format (1009 → 1.009)."""
        key = (code, row, column)
        view = self.views.get(code)
        if view is None or key in self.session.cell_invalid or key in self.session.cell_dirty:
            return
        view.set_text(row, column, format_number(self.session.report.cell(*key)))

    def show_saved(self, keys) -> None:
        for code, row, column in keys:
            view = self.views.get(code)
            if view is not None:
                view.set_text(row, column, format_number(self.session.report.cell(code, row, column)))
        for code in self.views:
            self.refresh_sums(code)

    def mark(self, by_field: dict) -> None:
        """Colour the refused cells and those a finding points at."""
        for code, view in self.views.items():
            invalid = {(r, c): message for (t, r, c), message in self.session.cell_invalid.items() if t == code}
            findings = {}
            for row in view.table.rows:
                for column in view.table.columns:
                    finding = by_field.get(f"{code}.{row.code}.{column.code}")
                    if finding is not None and finding.severity in ("error", "warning"):
                        findings[(row.code, column.code)] = finding
            view.set_marks(invalid, findings)

    def set_locked(self, locked: bool) -> None:
        for view in self.views.values():
            view.set_locked(locked)
