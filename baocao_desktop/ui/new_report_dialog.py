"""New report: template, period (a Monday–Sunday week, a calendar month/quarter/6 or 9 months/year chosen from
its year, or a free range), number and date."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.dates import (CALENDAR_MONTHS, Period, calendar_period, format_date, periods_of_year, week_of,
                            weeks_of_year)
from ..domain.errors import UserError
from ..domain.numbers import format_number
from ..services import report_migration
from ..services.errors import DuplicateReport
from .common import error_banner, button_box, from_qdate, to_qdate, vietnamese_locale
from .help_window import help_line

WEEK_BRUSH = QBrush(QColor("#cfe3fa"))
WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def last_finished_week(today: dt.date) -> Period:
    """The most recent Monday–Sunday week that has ended before `today`."""
    return week_of(week_of(today).start - dt.timedelta(days=1))


def last_finished(kind: str, today: dt.date) -> Period:
    """The most recent month, quarter, half year, nine months or year that has ended before `today`."""
    current = calendar_period(kind, today)
    if kind in ("half_year", "nine_months"):  # one a year from January: this year's once ended, else last year's
        return current if current.end < today else calendar_period(kind, dt.date(today.year - 1, 1, 1))
    return calendar_period(kind, current.start - dt.timedelta(days=1))


class NewReportDialog(QDialog):
    """Creates a report through `workspace.create_report`; `self.report` holds it after acceptance."""

    def __init__(self, workspace, parent: QWidget | None = None, today: dt.date | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.today = today or dt.date.today()
        self.report = None
        self.previous = None  # last period's report of the chosen template, when there is one
        self._highlighted: list[dt.date] = []
        self._report_date_auto = True
        self.setWindowTitle("Báo cáo mới")
        self.setModal(True)

        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        title = QLabel("Tạo báo cáo mới")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        outer.addWidget(title)
        self.help_line = help_line("Chọn mẫu và kỳ báo cáo rồi bấm Tạo báo cáo: báo cáo mới mở ra để soạn. Kỳ đã có "
                                   "báo cáo thì mở báo cáo đó.", "bao-cao-moi")
        outer.addWidget(self.help_line)

        body = QHBoxLayout()
        body.setSpacing(16)
        outer.addLayout(body, 1)
        left = QVBoxLayout()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        left.addLayout(form)
        left.addStretch(1)
        body.addLayout(left, 1)

        self.template_combo = QComboBox()
        for template in workspace.templates():
            self.template_combo.addItem(template.name, template.code)
        form.addRow("&Mẫu báo cáo:", self.template_combo)

        # week picker (weekly templates) or a free range (other templates)
        self.period_stack = QStackedWidget()
        week_page = QWidget()
        week_row = QHBoxLayout(week_page)
        week_row.setContentsMargins(0, 0, 0, 0)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setAccelerated(True)
        week_row.addWidget(QLabel("Năm"))
        week_row.addWidget(self.year_spin)
        self.week_combo = QComboBox()
        self.week_combo.setMinimumContentsLength(24)
        self.week_combo.setMaxVisibleItems(15)
        week_row.addWidget(self.week_combo, 1)
        self.period_stack.addWidget(week_page)
        range_page = QWidget()
        range_row = QHBoxLayout(range_page)
        range_row.setContentsMargins(0, 0, 0, 0)
        self.start_edit = self._date_edit(self.today.replace(day=1))
        self.end_edit = self._date_edit(self.today)
        range_row.addWidget(QLabel("Từ ngày"))
        range_row.addWidget(self.start_edit)
        range_row.addWidget(QLabel("đến ngày"))
        range_row.addWidget(self.end_edit)
        range_row.addStretch(1)
        self.period_stack.addWidget(range_page)
        calendar_page = QWidget()  # a month, quarter, 6 or 9 months, or year, chosen within its year
        calendar_row = QHBoxLayout(calendar_page)
        calendar_row.setContentsMargins(0, 0, 0, 0)
        self.calendar_year_spin = QSpinBox()
        self.calendar_year_spin.setRange(2000, 2100)
        calendar_row.addWidget(QLabel("Năm"))
        calendar_row.addWidget(self.calendar_year_spin)
        self.calendar_combo = QComboBox()
        self.calendar_combo.setMinimumContentsLength(20)
        calendar_row.addWidget(self.calendar_combo, 1)
        self.period_stack.addWidget(calendar_page)
        self.period_stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        form.addRow("&Kỳ báo cáo:", self.period_stack)

        self.period_label = QLabel()
        self.period_label.setStyleSheet("color: #1f4e79; font-weight: 600;")
        self.period_label.setWordWrap(True)
        form.addRow("", self.period_label)

        number_box = QWidget()
        number_row = QHBoxLayout(number_box)
        number_row.setContentsMargins(0, 0, 0, 0)
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("ví dụ 430")
        self.number_edit.setMaximumWidth(120)
        number_row.addWidget(self.number_edit)
        unit = workspace.own_unit()
        symbol = (unit.symbol if unit and unit.symbol else "ĐU")
        self.number_suffix = QLabel(f"-BC/{symbol}  (để trống nếu chưa có số)")
        self.number_suffix.setStyleSheet("color: #555;")
        number_row.addWidget(self.number_suffix, 1)
        number_label = QLabel("&Số:")
        number_label.setBuddy(self.number_edit)
        form.addRow(number_label, number_box)

        self.report_date_edit = self._date_edit(self.today)
        self.report_date_edit.setMaximumWidth(160)
        self.report_date_edit.dateChanged.connect(self._report_date_edited)
        form.addRow("Ngày &báo cáo:", self.report_date_edit)

        # start from last period's report: its text and structure, figures cleared or kept for comparison
        previous_box, previous_layout, self.use_previous, self.previous_label = self._choice_box(
            "Dùng nội dung kỳ trước (chép văn bản, căn cứ, nơi nhận)")
        self.figures_clear = QRadioButton("Xóa số liệu, nhập mới cho kỳ này")
        self.figures_keep = QRadioButton("Giữ số liệu kỳ trước làm “kỳ trước” để so sánh")
        self.figures_clear.setChecked(True)
        self.figures_group = QButtonGroup(self)
        choices = QVBoxLayout()
        choices.setContentsMargins(22, 0, 0, 0)  # the two choices belong to the box above them
        for button in (self.figures_clear, self.figures_keep):
            self.figures_group.addButton(button)
            choices.addWidget(button)
        previous_layout.addLayout(choices)
        self.use_previous.toggled.connect(self._previous_toggled)
        form.addRow("Kỳ trước:", previous_box)

        # a quarter, 6 or 9 months, a year: start from the unit's reports inside it (months first)
        parts_box, _layout, self.use_parts, self.parts_label = self._choice_box(
            "Bắt đầu &từ các báo cáo trong kỳ (chép lời văn từng kỳ, số liệu tự cộng)")
        self.use_parts.toggled.connect(self._parts_toggled)
        self.parts_row_label = QLabel("Trong kỳ:")
        form.addRow(self.parts_row_label, parts_box)
        self.parts_box = parts_box

        self.profile_label = QLabel()
        self.profile_label.setWordWrap(True)
        self.profile_label.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("Hồ sơ đơn vị:", self.profile_label)

        self.calendar = QCalendarWidget()
        self.calendar.setLocale(vietnamese_locale())
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers)
        self.calendar.setMinimumSize(380, 260)
        self.calendar.setToolTip("Bấm vào một ngày bất kỳ: cả tuần (thứ Hai – Chủ nhật) chứa ngày đó được chọn.")
        body.addWidget(self.calendar, 1)

        self.error_label = error_banner()
        error_row = QHBoxLayout()
        error_row.addWidget(self.error_label, 1)
        # "Đã có báo cáo … Hãy mở báo cáo đó": the way there, one click away
        self.open_existing_button = QPushButton("Mở báo cáo đã &có")
        self.open_existing_button.setToolTip("Đóng hộp thoại này và mở báo cáo đã có của kỳ này để sửa tiếp")
        self.open_existing_button.clicked.connect(self.open_existing)
        self.open_existing_button.hide()
        self.existing_report_id: str | None = None
        error_row.addWidget(self.open_existing_button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(error_row)

        self.buttons = button_box(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Tạo báo cáo")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        # signals after the widgets exist
        self.template_combo.currentIndexChanged.connect(self._template_changed)
        self.year_spin.valueChanged.connect(self._year_changed)
        self.week_combo.currentIndexChanged.connect(self._week_chosen)
        self.calendar.clicked.connect(self.select_day)
        self.calendar.selectionChanged.connect(lambda: self.select_day(self.calendar.selectedDate()))
        self.start_edit.dateChanged.connect(self._range_changed)
        self.end_edit.dateChanged.connect(self._range_changed)
        self.calendar_year_spin.valueChanged.connect(self._calendar_year_changed)
        self.calendar_combo.currentIndexChanged.connect(self._range_changed)

        self._template_changed()
        self.select_week(last_finished_week(self.today))
        self.resize(860, 430)

    # -- widgets -----------------------------------------------------------------------------------
    @staticmethod
    def _date_edit(day: dt.date) -> QDateEdit:
        edit = QDateEdit(to_qdate(day))
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.calendarWidget().setLocale(vietnamese_locale())
        edit.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        return edit

    def template_code(self) -> str:
        return self.template_combo.currentData()

    @staticmethod
    def _choice_box(text: str) -> tuple[QWidget, QVBoxLayout, QCheckBox, QLabel]:
        """A "start from …" choice: its tick box and, under it, a grey line saying what it would copy."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        choice = QCheckBox(text)
        layout.addWidget(choice)
        said = QLabel()
        said.setWordWrap(True)
        said.setStyleSheet("color: #555;")
        layout.addWidget(said)
        return box, layout, choice, said

    def period_kind(self) -> str:
        code = self.template_code()
        return self.workspace.template(code).period if code else "custom"

    def is_weekly(self) -> bool:
        return self.period_kind() == "week"

    # -- period ------------------------------------------------------------------------------------
    def period(self) -> Period:
        """The chosen period; DateError (Vietnamese) for a free range that ends before it starts."""
        kind = self.period_kind()
        if kind == "week":
            return week_of(self._week_start(self.week_combo.currentIndex()))
        if kind in CALENDAR_MONTHS:
            return calendar_period(kind, dt.date.fromisoformat(self.calendar_combo.currentData()))
        return Period(kind, from_qdate(self.start_edit.date()), from_qdate(self.end_edit.date()))

    def _template_changed(self) -> None:
        kind = self.period_kind()
        self.period_stack.setCurrentIndex(0 if kind == "week" else 2 if kind in CALENDAR_MONTHS else 1)
        self.calendar.setEnabled(kind == "week")
        if kind in CALENDAR_MONTHS:
            self.select_calendar_period(last_finished(kind, self.today))
        if kind == "week":
            self._show_period()
        else:
            self._range_changed()  # the report date follows the period's end

    def select_calendar_period(self, period: Period) -> None:
        """Show `period` (a month, quarter…) in the year box and its year's list."""
        self.calendar_year_spin.blockSignals(True)
        self.calendar_year_spin.setValue(period.start.year)
        self.calendar_year_spin.blockSignals(False)
        self._fill_calendar(period.start.year, period.start)

    def _fill_calendar(self, year: int, chosen: dt.date | None) -> None:
        self.calendar_combo.blockSignals(True)
        self.calendar_combo.clear()
        for period in periods_of_year(self.period_kind(), year):
            self.calendar_combo.addItem(f"{period.label()} ({format_date(period.start)}–{format_date(period.end)})",
                                        period.start.isoformat())
        index = self.calendar_combo.findData(chosen.isoformat()) if chosen else -1
        self.calendar_combo.setCurrentIndex(max(index, 0))
        self.calendar_combo.blockSignals(False)

    def _calendar_year_changed(self, year: int) -> None:
        """Another year: the same month/quarter/half of it."""
        current = self.calendar_combo.currentData()
        month = dt.date.fromisoformat(current).month if current else 1
        self._fill_calendar(year, dt.date(year, month, 1))
        self._range_changed()

    def _fill_weeks(self, year: int) -> None:
        self.week_combo.blockSignals(True)
        self.week_combo.clear()
        for week in weeks_of_year(year):
            self.week_combo.addItem(week.label(), week.start.isoformat())
        self.week_combo.blockSignals(False)

    def select_week(self, week: Period) -> None:
        """Show `week` in the year box, the week list and the calendar."""
        year = week.start.year
        if self.year_spin.value() != year or self.week_combo.count() == 0:
            self.year_spin.blockSignals(True)
            self.year_spin.setValue(year)
            self.year_spin.blockSignals(False)
            self._fill_weeks(year)
        index = self.week_combo.findData(week.start.isoformat())
        self.week_combo.blockSignals(True)
        self.week_combo.setCurrentIndex(index)
        self.week_combo.blockSignals(False)
        self._week_shown(week)

    def select_day(self, day: QDate | dt.date) -> None:
        """A day clicked in the calendar selects the whole Monday–Sunday week containing it."""
        if isinstance(day, QDate):
            day = from_qdate(day)
        if not self.is_weekly():
            return
        self.select_week(week_of(day))

    def _week_start(self, index: int) -> dt.date | None:
        data = self.week_combo.itemData(index) if index >= 0 else None
        return dt.date.fromisoformat(data) if data else None

    def _year_changed(self, year: int) -> None:
        current = self._week_start(self.week_combo.currentIndex())
        number = current.isocalendar().week if current else 1
        self._fill_weeks(year)
        weeks = weeks_of_year(year)
        chosen = next((w for w in weeks if w.start.isocalendar().week == number), weeks[-1])
        self.select_week(chosen)

    def _week_chosen(self, index: int) -> None:
        start = self._week_start(index)
        if start:
            self._week_shown(week_of(start))

    def _week_shown(self, week: Period) -> None:
        self._highlight(week)
        selected = from_qdate(self.calendar.selectedDate())
        if not week.contains(selected):
            self.calendar.blockSignals(True)
            self.calendar.setSelectedDate(to_qdate(week.start))
            self.calendar.blockSignals(False)
        self.calendar.setCurrentPage(week.start.year, week.start.month)
        if self._report_date_auto:
            self.report_date_edit.blockSignals(True)
            self.report_date_edit.setDate(to_qdate(week.end + dt.timedelta(days=1)))
            self.report_date_edit.blockSignals(False)
        self._show_period()

    def _highlight(self, period: Period) -> None:
        """Mark the period's days in the calendar (a week, or a month … year shown on its last month)."""
        plain = QTextCharFormat()
        for day in self._highlighted:
            self.calendar.setDateTextFormat(to_qdate(day), plain)
        marked = QTextCharFormat()
        marked.setBackground(WEEK_BRUSH)
        days = min((period.end - period.start).days + 1, 366)
        self._highlighted = [period.start + dt.timedelta(days=i) for i in range(days)]
        for day in self._highlighted:
            self.calendar.setDateTextFormat(to_qdate(day), marked)

    def _range_changed(self) -> None:
        if self._report_date_auto and not self.is_weekly():
            try:
                end = self.period().end
            except UserError:
                end = from_qdate(self.end_edit.date())
            self.report_date_edit.blockSignals(True)
            self.report_date_edit.setDate(to_qdate(end + dt.timedelta(days=1)))
            self.report_date_edit.blockSignals(False)
        self._show_period()

    def _report_date_edited(self) -> None:
        self._report_date_auto = False
        self._show_sources()

    def _show_period(self) -> None:
        if self.is_weekly() and self.week_combo.currentData() is None:
            return
        try:
            period = self.period()
        except UserError as exc:  # a free range ending before it starts: said, never turned into one day
            self.period_label.setText("")
            self.show_error(str(exc))
            return
        self.period_label.setText(
            f"Từ {WEEKDAY_NAMES[period.start.weekday()]} {format_date(period.start)} "
            f"đến {WEEKDAY_NAMES[period.end.weekday()]} {format_date(period.end)}")
        if not self.is_weekly():  # the calendar shows the chosen month, quarter … (a week marks itself)
            self._highlight(period)
            self.calendar.blockSignals(True)
            self.calendar.setSelectedDate(to_qdate(period.end))
            self.calendar.blockSignals(False)
            self.calendar.setCurrentPage(period.end.year, period.end.month)
        self.error_label.hide()
        self.open_existing_button.hide()
        self._show_sources()

    # -- what the new report starts from -----------------------------------------------------------
    def _show_sources(self) -> None:
        """The previous report that can be copied and the intro figures taken from the profile."""
        code = self.template_code()
        if not code:
            return
        template = self.workspace.template(code)
        try:
            period = self.period()
        except UserError:
            return
        self.previous = report_migration.find_previous(self.workspace, code, period.start)
        if self.previous is None:
            self.previous_label.setText("Chưa có báo cáo kỳ trước của mẫu này: báo cáo mới để trống.")
            self.use_previous.setChecked(False)
        else:
            self.previous_label.setText(
                f"Chép từ báo cáo {self.previous.period.label()} ({self.previous.status_label})")
        self.use_previous.setEnabled(self.previous is not None)
        self._previous_toggled(self.use_previous.isChecked())
        self._show_parts(code, period)

        day = self.report_date()
        wanted = [ind for ind in template.indicators if ind.profile_fact and ind.actual]
        if not wanted:
            self.profile_label.setText("Mẫu này không lấy số liệu từ hồ sơ đơn vị.")
            self.profile_label.setStyleSheet("color: #555;")
            return
        self.profile_label.setStyleSheet("")
        found = self.workspace.profile_figures(template, day)
        lines = [f"Số liệu giới thiệu lấy theo hồ sơ đơn vị có hiệu lực ngày {format_date(day)}:"]
        for ind in wanted:
            if ind.code in found and found[ind.code][1] is not None:
                fact, value = found[ind.code]
                lines.append(f"• {ind.label}: {format_number(value)} {ind.unit} "
                             f"(hồ sơ đơn vị ngày {format_date(fact.as_of)})")
        missing = [ind.label for ind in wanted if ind.code not in found or found[ind.code][1] is None]
        if missing:
            lines.append(f"• Chưa có trong hồ sơ (nhập ở Thông tin đơn vị, hoặc điền trong báo cáo): "
                         f"{', '.join(missing)}")
        self.profile_label.setText("\n".join(lines))

    def _previous_toggled(self, checked: bool) -> None:
        for button in (self.figures_clear, self.figures_keep):
            button.setEnabled(checked and self.use_previous.isEnabled())
        if checked:
            self.use_parts.setChecked(False)  # one starting point

    def _parts_toggled(self, checked: bool) -> None:
        if checked:
            self.use_previous.setChecked(False)

    def _show_parts(self, code: str, period: Period) -> None:
        """Which reports of the unit a longer period can start from, and the months none covers."""
        parts, gaps = report_migration.parts_available(self.workspace, code, period)
        several_months = self.period_kind() in ("quarter", "half_year", "nine_months", "year")
        self.parts_box.setVisible(several_months)
        self.parts_row_label.setVisible(several_months)
        if not parts:
            self.parts_label.setText(f"Chưa có báo cáo nào của đơn vị trong {period.label()}." if several_months
                                     else "")
            self.use_parts.setChecked(False)
        else:
            missing = f" Chưa có: {', '.join(gaps)} (số liệu các tháng thiếu không được tự cộng)." if gaps else ""
            self.parts_label.setText(f"Có {len(parts)} báo cáo: {', '.join(parts)}.{missing}")
        self.use_parts.setEnabled(bool(parts))

    def figures_choice(self) -> str:
        return report_migration.FIGURES_PREVIOUS if self.figures_keep.isChecked() else report_migration.FIGURES_CLEAR

    def report_date(self) -> dt.date:
        return from_qdate(self.report_date_edit.date())

    # -- create ------------------------------------------------------------------------------------
    def show_error(self, text: str, existing_report_id: str | None = None) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.existing_report_id = existing_report_id
        self.open_existing_button.setVisible(existing_report_id is not None)

    def open_existing(self) -> None:
        """Close with the report that already covers the period as `report` (the caller opens it)."""
        if self.existing_report_id is None:
            return
        self.report = self.workspace.report(self.existing_report_id, with_content=False)
        QDialog.accept(self)

    def accept(self) -> None:
        if not self.template_code():
            self.show_error("Chưa có mẫu báo cáo nào. Hãy nhập mẫu trước.")
            return
        try:
            period = self.period()
            problem = self.workspace.number_problem(self.template_code(), self.number_edit.text())
            if problem:  # Số in the unit's numbering form, as on the “Thông tin văn bản” page
                self.number_edit.setFocus()
                raise UserError(problem)
            if self.use_parts.isChecked():
                self.report, _gaps = report_migration.create_from_parts(
                    self.workspace, self.template_code(), period.start, period.end,
                    number=self.number_edit.text().strip(), report_date=self.report_date())
            elif self.use_previous.isChecked():
                self.report = report_migration.create_from_previous(
                    self.workspace, self.template_code(), period.start, period.end,
                    number=self.number_edit.text().strip(), report_date=self.report_date(),
                    figures=self.figures_choice())
            else:
                self.report = self.workspace.create_report(
                    self.template_code(), period.start, period.end, number=self.number_edit.text().strip(),
                    report_date=self.report_date())
        except DuplicateReport as exc:
            self.show_error(str(exc), exc.report_id)
            return
        except UserError as exc:
            self.show_error(str(exc))
            return
        super().accept()
