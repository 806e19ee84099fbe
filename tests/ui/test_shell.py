"""The application shell driven through real widgets (pytest-qt, offscreen): setup, new report, main
window, translator, corrupt database, export."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)

from baocao_desktop.ui import main_window as main_window_module  # noqa: E402
from baocao_desktop.ui import report_actions  # noqa: E402
from baocao_desktop.ui.app import (  # noqa: E402
    db_error_box,
    install_translator,
    open_errors,
    open_workspace_interactive,
    parse_gui_args,
)
from baocao_desktop.ui.common import VietnameseQtTranslator, button_box  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402
from baocao_desktop.ui.new_report_dialog import NewReportDialog, last_finished_week  # noqa: E402
from baocao_desktop.ui.setup_dialog import DEMO_BUTTON_TEXT, SetupDialog  # noqa: E402

LUNG_PHINH = "Đảng ủy xã Lùng Phình"
# two weekly reports, the supervision briefing, the one-year review, a thematic report, and one report for each
# of the ten calendar templates (Đảng ủy and UBND; month, quarter, 6 months, 9 months, year)
DEMO_REPORTS = 20  # with the Đảng ủy's monthly reports January–June 2026


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def unit_workspace(workspace):
    workspace.save_unit(name="Đảng ủy xã Tả Van", level="xã", upper_body="Đảng bộ tỉnh Lào Cai",
                        place_name="Tả Van", symbol="ĐU", format="party")
    return workspace


def type_text(widget, text: str) -> None:
    """Type `text` as key events (QTest.keyClicks aborts on characters outside Latin-1, e.g. "ủ")."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def fill_unit_fields(qtbot, dialog: SetupDialog):
    type_text(dialog.name_edit, LUNG_PHINH)
    dialog.level_combo.setCurrentText("xã")
    type_text(dialog.upper_edit, "Đảng bộ tỉnh Lào Cai")
    type_text(dialog.place_edit, "Lùng Phình")
    type_text(dialog.symbol_edit, "ĐU")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findText("Văn bản Đảng"))


def add_fact(qtbot, dialog: SetupDialog, label: str, value: str, unit: str, as_of: str) -> int:
    click(qtbot, dialog.add_fact_button)
    row = dialog.facts_table.rowCount() - 1
    dialog.facts_table.cellWidget(row, dialog.COL_LABEL).setEditText(label)
    dialog.facts_table.item(row, dialog.COL_VALUE).setText(value)
    dialog.facts_table.item(row, dialog.COL_UNIT).setText(unit)
    dialog.facts_table.item(row, dialog.COL_AS_OF).setText(as_of)
    return row


# == setup dialog ===================================================================================
def test_setup_dialog_saves_unit_signers_and_dated_fact(qtbot, workspace):
    dialog = SetupDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    fill_unit_fields(qtbot, dialog)
    click(qtbot, dialog.add_signer_button)
    dialog.signers_table.item(0, 2).setText("Vàng Seo Sử")
    click(qtbot, dialog.add_signer_button)
    dialog.signers_table.item(1, 2).setText("Lý Thị Mai")
    add_fact(qtbot, dialog, "Dân số", "15.486", "người", "31/12/2025")
    add_fact(qtbot, dialog, "Diện tích tự nhiên", "126,08", "km²", "01/7/2025")

    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))

    assert dialog.result() == QDialog.DialogCode.Accepted
    unit = workspace.own_unit()
    assert (unit.name, unit.upper_body, unit.place_name, unit.symbol, unit.format) == (
        LUNG_PHINH, "Đảng bộ tỉnh Lào Cai", "Lùng Phình", "ĐU", "party")
    assert unit.founded_on == dt.date(2025, 7, 1)
    assert [(s.on_behalf, s.title, s.name) for s in workspace.signers()] == [
        ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Vàng Seo Sử"), ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Lý Thị Mai")]
    facts = {f.code: f for f in workspace.profile_facts()}
    assert facts["dan_so"].value == Decimal("15486") and facts["dan_so"].as_of == dt.date(2025, 12, 31)
    assert facts["dan_so"].unit == "người" and facts["dan_so"].label == "Dân số"
    assert facts["dien_tich_tu_nhien"].value == Decimal("126.08")
    # dated: the value holds from its date on, not before
    assert workspace.fact_as_of("dan_so", dt.date(2026, 1, 5)).value == Decimal("15486")
    assert workspace.fact_as_of("dan_so", dt.date(2025, 12, 30)) is None


def test_setup_dialog_refuses_bad_number_quotes_it_and_saves_nothing(qtbot, workspace):
    dialog = SetupDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    dialog.show()
    fill_unit_fields(qtbot, dialog)
    row = add_fact(qtbot, dialog, "Diện tích tự nhiên", "7,3.0", "km²", "01/7/2025")

    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert "“7,3.0”" in dialog.error_label.text() and "Diện tích tự nhiên" in dialog.error_label.text()
    # nothing saved, nothing typed lost
    assert workspace.own_unit() is None and workspace.profile_facts() == []
    assert dialog.name_edit.text() == LUNG_PHINH
    assert dialog.facts_table.item(row, dialog.COL_VALUE).text() == "7,3.0"

    # corrected in place, it saves
    dialog.facts_table.item(row, dialog.COL_VALUE).setText("126,08")
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [f.value for f in workspace.profile_facts()] == [Decimal("126.08")]


def test_setup_dialog_requires_a_name_in_vietnamese(qtbot, workspace):
    dialog = SetupDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert "Tên đơn vị không được để trống" in dialog.error_label.text()
    assert workspace.own_unit() is None


def test_setup_dialog_buttons_are_vietnamese(qtbot, workspace):
    dialog = SetupDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Lưu"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    assert dialog.demo_button.text() == DEMO_BUTTON_TEXT


def test_demo_button_loads_lung_phinh(qtbot, workspace):
    dialog = SetupDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    click(qtbot, dialog.demo_button)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.demo_loaded
    assert workspace.own_unit().name == LUNG_PHINH
    assert len(workspace.list_reports()) == DEMO_REPORTS


def test_setup_dialog_edits_existing_unit_and_adds_new_dated_value(qtbot, demo_workspace):
    dialog = SetupDialog(demo_workspace)
    qtbot.addWidget(dialog)
    assert dialog.demo_button is None  # a unit exists: no demo offer
    assert dialog.name_edit.text() == LUNG_PHINH
    saved_rows = dialog.facts_table.rowCount()
    assert saved_rows == len(demo_workspace.profile_facts())
    add_fact(qtbot, dialog, "Dân số", "15.702", "người", "30/6/2026")
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert demo_workspace.fact_as_of("dan_so", dt.date(2026, 6, 29)).value == Decimal("15486")
    assert demo_workspace.fact_as_of("dan_so", dt.date(2026, 7, 1)).value == Decimal("15702")


# == new report dialog ==============================================================================
def calendar_cell_center(calendar, day: dt.date) -> tuple[QTableView, QPoint]:
    """The on-screen centre of `day` in the calendar's month grid (shown month only)."""
    view = calendar.findChild(QTableView)
    model = view.model()
    # the first grid row is the day-name header; days of neighbouring months have a low/high number
    for row in range(1, model.rowCount()):
        for col in range(1, model.columnCount()):
            index = model.index(row, col)
            if str(index.data()) == str(day.day):
                if (row <= 2 and day.day > 20) or (row >= 5 and day.day < 15):
                    continue  # a day of the previous/next month with the same number
                return view, view.visualRect(index).center()
    raise AssertionError(f"{day} not in the calendar")


def test_last_finished_week():
    assert last_finished_week(dt.date(2026, 6, 10)).start == dt.date(2026, 6, 1)  # Wednesday
    assert last_finished_week(dt.date(2026, 6, 8)).start == dt.date(2026, 6, 1)  # Monday
    assert last_finished_week(dt.date(2026, 6, 7)).start == dt.date(2026, 5, 25)  # Sunday: week not over


def test_new_report_dialog_only_yields_monday_to_sunday_weeks(qtbot, unit_workspace):
    dialog = NewReportDialog(unit_workspace, today=dt.date(2026, 6, 10))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # default: the last finished week, report dated the Monday after
    assert dialog.week_combo.currentText() == "Tuần 23 (01/6–07/6/2026)"
    assert (dialog.period().start, dialog.period().end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    assert dialog.report_date() == dt.date(2026, 6, 8)
    # every choice in the list is a Monday–Sunday week
    for i in range(dialog.week_combo.count()):
        start = dt.date.fromisoformat(dialog.week_combo.itemData(i))
        assert start.weekday() == 0
    # clicking a Wednesday in the calendar selects that week, Monday to Sunday
    view, point = calendar_cell_center(dialog.calendar, dt.date(2026, 6, 17))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert dialog.calendar.selectedDate().day() == 17
    period = dialog.period()
    assert (period.start, period.end) == (dt.date(2026, 6, 15), dt.date(2026, 6, 21))
    assert dialog.week_combo.currentText() == "Tuần 25 (15/6–21/6/2026)"
    assert "thứ Hai 15/6/2026" in dialog.period_label.text() and "Chủ nhật 21/6/2026" in dialog.period_label.text()
    assert dialog.report_date() == dt.date(2026, 6, 22)
    # the whole week is highlighted, nothing else
    bg = dialog.calendar.dateTextFormat()
    highlighted = sorted(d.toPython() for d, f in bg.items() if f.background().style() != Qt.BrushStyle.NoBrush)
    assert highlighted == [dt.date(2026, 6, 15) + dt.timedelta(days=i) for i in range(7)]
    # a Sunday in the previous year still gives a whole week (across the year boundary)
    dialog.select_day(dt.date(2026, 1, 4))
    assert (dialog.period().start, dialog.period().end) == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert dialog.year_spin.value() == 2025
    # back to week 25 and create
    dialog.select_day(dt.date(2026, 6, 18))
    qtbot.keyClicks(dialog.number_edit, "125")
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert dialog.result() == QDialog.DialogCode.Accepted
    report = dialog.report
    assert (report.period.start, report.period.end) == (dt.date(2026, 6, 15), dt.date(2026, 6, 21))
    assert report.number == "125" and report.report_date == dt.date(2026, 6, 22)
    assert [r.id for r in unit_workspace.list_reports()] == [report.id]


def test_new_report_year_change_keeps_week_number(qtbot, unit_workspace):
    dialog = NewReportDialog(unit_workspace, today=dt.date(2026, 6, 10))
    qtbot.addWidget(dialog)
    dialog.year_spin.setValue(2027)
    period = dialog.period()
    assert period.start.weekday() == 0 and period.end - period.start == dt.timedelta(days=6)
    assert period.start.isocalendar().week == 23 and period.start.year == 2027


def test_new_report_duplicate_week_shows_vietnamese_message(qtbot, demo_workspace):
    before = len(demo_workspace.list_reports())
    dialog = NewReportDialog(demo_workspace, today=dt.date(2026, 6, 10))  # default week = 01/6–07/6
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == ("Đã có báo cáo tuần cho kỳ Tuần 23 (01/6–07/6/2026). "
                                         "Hãy mở báo cáo đó.")
    assert len(demo_workspace.list_reports()) == before
    # choosing another week clears the message and creates the report
    dialog.select_day(dt.date(2026, 6, 24))
    assert not dialog.error_label.isVisible()
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(demo_workspace.list_reports()) == before + 1


# == main window ====================================================================================
class FakeEditor(QWidget):
    """Stands in for ReportEditor with the same contract (signals, flush)."""
    from PySide6.QtCore import Signal
    saved = Signal(str)
    findings_changed = Signal(int, int)
    flushes: list[str] = []

    def __init__(self, workspace, report_id, parent=None):
        super().__init__(parent)
        self.report_id = report_id

    def flush(self):
        FakeEditor.flushes.append(self.report_id)


@pytest.fixture
def fake_editor(monkeypatch):
    FakeEditor.flushes = []
    monkeypatch.setattr(main_window_module, "editor_class", lambda: FakeEditor)
    return FakeEditor


def test_every_screen_of_the_menus_is_found_where_the_menu_loads_it():
    """The screens of ui/main_menus.lazy_action live in their own modules (imported on first use): each
    named module has its opener; Quản lý mẫu comes from template_manager itself (no file cycle)."""
    import importlib
    import inspect

    from baocao_desktop.ui import main_menus
    source = inspect.getsource(main_menus.build_actions)
    targets = re.findall(r'lazy_action\(window, "[^"]+", "(\w+)",\s*"(\w+)"', source)
    assert ("template_manager", "open_template_manager") in targets and len(targets) == 12
    assert ("backup_dialog", "open_backup_dialog") in targets and ("backup_dialog", "open_restore_dialog") in targets
    for module, function in targets:
        assert callable(getattr(importlib.import_module(f"baocao_desktop.ui.{module}"), function))
    assert not hasattr(importlib.import_module("baocao_desktop.ui.template_editor"), "open_template_manager")


def test_main_window_lists_demo_reports(qtbot, demo_workspace, settings):
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == f"BaoCao — {LUNG_PHINH}"
    assert window.list_stack.currentWidget() is window.table
    table = window.table
    assert table.rowCount() == DEMO_REPORTS
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Mẫu", "Kỳ báo cáo", "Số", "Ngày", "Trạng thái", "Sửa lần cuối"]
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    rows = [r for r in rows if r[0] == "Báo cáo tuần"]
    assert [r[1] for r in rows] == ["Tuần 24 (08/6–14/6/2026)", "Tuần 23 (01/6–07/6/2026)"]
    assert [r[2] for r in rows] == ["118-BC/ĐU", "112-BC/ĐU"]
    assert [r[3] for r in rows] == ["15/6/2026", "08/6/2026"]
    assert [r[4] for r in rows] == ["Dự thảo", "Dự thảo"]
    assert all(len(r[5]) == len("08/06/2026 10:22") for r in rows)
    assert str(demo_workspace.path) in window.db_label.text()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&Tệp", "&Mẫu", "&Cấp trên", "Đơ&n vị", "Trợ &giúp"]
    file_menu = window.menuBar().actions()[0].menu()
    assert [a.text() for a in file_menu.actions() if not a.isSeparator()] == [
        "Báo cáo &mới…", "&Mở", "&Xuất DOCX…", "Xuất &PDF…", "&In / Xem trước khi in…", "Nhập từ tệp &Word…",
        "&Soát lỗi văn bản Word…", "&Gửi cấp trên…", "Sao &lưu dữ liệu…", "&Khôi phục từ bản sao lưu…", "T&hoát"]


def test_main_window_opens_report_shows_saved_time_and_goes_back(qtbot, demo_workspace, settings, fake_editor):
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    table = window.table
    week23 = next(r for r in range(table.rowCount()) if table.item(r, 1).text().startswith("Tuần 23"))
    rect = table.visualRect(table.model().index(week23, 1))
    # a real double click is press, release, double-click, release (QTest's mouseDClick only sends the second half)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentIndex() == window.PAGE_EDITOR
    assert isinstance(window.editor, FakeEditor)
    opened = window.editor.report_id
    assert demo_workspace.report(opened).period.start == dt.date(2026, 6, 1)
    assert "Tuần 23 (01/6–07/6/2026)" in window.editor_title.text()
    window.editor.saved.emit("10:22:05")
    assert window.saved_label.text() == "Đã lưu lúc 10:22:05"
    window.editor.findings_changed.emit(1, 2)
    assert window.findings_label.text() == "Lỗi: 1 · Cảnh báo: 2"
    assert window.current_report_id() == opened
    click(qtbot, window.back_button)
    assert window.stack.currentIndex() == window.PAGE_LIST
    assert fake_editor.flushes == [opened]  # leaving the editor saves pending edits
    assert window.editor is None


def test_close_flushes_editor_and_remembers_geometry(qtbot, demo_workspace, settings, fake_editor):
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    window.show()
    window.resize(700, 520)  # the offscreen screen is 800×600
    window.open_selected()
    opened = window.editor_report_id
    assert opened
    window.close()
    assert fake_editor.flushes == [opened]
    assert settings.value("main/geometry") is not None
    again = MainWindow(demo_workspace, settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 520)


def test_close_with_real_editor_flushes(qtbot, demo_workspace, settings):
    """With the real ReportEditor (when it is part of the build), closing saves pending edits."""
    editor_cls = main_window_module.editor_class()
    if editor_cls is None:
        pytest.skip("ReportEditor not available yet")
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    window.show()
    window.open_selected()
    assert isinstance(window.editor, editor_cls)
    calls = []
    original = window.editor.flush
    window.editor.flush = lambda: (calls.append(1), original())
    window.close()
    assert calls


def test_window_shows_before_the_data_then_fills(qtbot, demo_workspace, settings):
    """run_gui paints the window first and opens the database after: the window must cope."""
    window = MainWindow(None, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "BaoCao"
    assert window.list_stack.currentWidget().text() == "Đang mở dữ liệu…"
    assert not window.act_new.isEnabled() and not window.act_export.isEnabled()
    window.set_workspace(demo_workspace)
    assert window.windowTitle() == f"BaoCao — {LUNG_PHINH}"
    assert window.table.rowCount() == DEMO_REPORTS and window.act_new.isEnabled() and window.act_export.isEnabled()
    assert str(demo_workspace.path) in window.db_label.text()


def test_empty_state_offers_new_report_and_demo(qtbot, workspace, settings, changes_arrived):
    window = MainWindow(workspace, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "BaoCao"
    assert window.list_stack.currentIndex() == 1
    assert window.empty_new_button.text() == "Tạo &báo cáo mới"
    assert window.empty_demo_button.text() == "Nạp &dữ liệu mẫu"
    click(qtbot, window.empty_demo_button)
    changes_arrived()  # the list and the title follow the changes the demo announces
    assert window.list_stack.currentWidget() is window.table and window.table.rowCount() == DEMO_REPORTS
    assert window.windowTitle() == f"BaoCao — {LUNG_PHINH}"


def test_export_writes_docx_off_the_ui_thread(qtbot, demo_workspace, settings, tmp_path, monkeypatch):
    pytest.importorskip("baocao_desktop.document.docx_writer")
    shown = []
    monkeypatch.setattr(MainWindow, "_show_export_done", lambda self, path: shown.append(path))
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    window.show()
    report_id = window.selected_report_id()
    suggested = demo_workspace.suggested_file_name(report_id)
    assert suggested.endswith(".docx") and "Báo cáo tuần" in suggested
    asked = []
    target = tmp_path / "xuất" / suggested
    target.parent.mkdir()
    monkeypatch.setattr(window, "ask_export_path", lambda name: (asked.append(name), target)[1])
    with qtbot.waitSignal(window.export_finished, timeout=30000) as blocker:
        window.act_export.trigger()
    assert asked == [suggested]
    assert blocker.args == [str(target)]
    assert target.read_bytes()[:2] == b"PK"  # a zip container: .docx
    qtbot.waitUntil(lambda: shown == [str(target)])


def test_export_failure_message_is_vietnamese(qtbot, demo_workspace, settings, tmp_path, monkeypatch):
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    monkeypatch.setattr(report_actions, "show_failure", lambda *a: None)
    monkeypatch.setattr(MainWindow, "_show_export_done", lambda self, path: None)  # never a modal box here
    import baocao_desktop.document.docx_writer as docx_writer

    def broken(model, out):
        raise PermissionError(13, "denied")
    monkeypatch.setattr(docx_writer, "write_docx", broken)
    with qtbot.waitSignal(window.export_failed, timeout=10000) as blocker:
        window.start_export(window.selected_report_id(), tmp_path / "a.docx")
    assert "đang mở trong Word" in blocker.args[0]


def test_export_done_box_offers_open_folder_and_file(qtbot, demo_workspace, settings):
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    box = window.export_done_box("/tmp/Báo cáo tuần.docx")
    texts = sorted(b.text() for b in box.buttons())
    assert texts == ["Mở thư mục", "Mở tệp", "Đóng"]
    assert "Báo cáo tuần.docx" in box.informativeText()


# == translator =====================================================================================
@pytest.fixture
def translator(qapp):
    t = VietnameseQtTranslator()
    qapp.installTranslator(t)
    yield t
    qapp.removeTranslator(t)


def test_translator_turns_qt_buttons_vietnamese(qtbot, translator):
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
                           | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "Đồng ý"
    assert box.button(QDialogButtonBox.StandardButton.Yes).text().replace("&", "") == "Có"
    assert box.button(QDialogButtonBox.StandardButton.No).text().replace("&", "") == "Không"
    assert box.button(QDialogButtonBox.StandardButton.Close).text() == "Đóng"
    message = QMessageBox(QMessageBox.Icon.Information, "t", "x", QMessageBox.StandardButton.Ok)
    assert message.button(QMessageBox.StandardButton.Ok).text() == "Đồng ý"


def test_translator_turns_text_field_context_menu_vietnamese(qtbot, translator):
    edit = QLineEdit("Lùng Phình")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Hoàn tác", "&Làm lại", "Cắ&t", "&Sao chép", "&Dán", "Xóa", "Chọn tất cả"]


def test_translator_leaves_our_own_strings_alone(translator):
    assert not translator.translate("MainWindow", "Báo cáo")
    assert QApplication.translate("MainWindow", "Báo cáo") == "Báo cáo"
    assert QApplication.translate("QShortcut", "Ctrl") == "Ctrl"  # Qt's untranslated texts stay as they are
    assert QApplication.translate("QLineEdit", "&Copy") == "&Sao chép"


def test_button_box_helper_without_translator(qtbot):
    box = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert [box.button(b).text() for b in (QDialogButtonBox.StandardButton.Save,
                                          QDialogButtonBox.StandardButton.Cancel)] == ["Lưu", "Hủy"]


def test_install_translator_once(qapp):
    first = install_translator(qapp)
    try:
        assert install_translator(qapp) is first
        assert QApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    finally:
        qapp.removeTranslator(first)
        del qapp._baocao_translator


# == start-up =======================================================================================
def test_gui_arguments():
    args, rest = parse_gui_args(["--db", "/tmp/x.sqlite3", "--demo", "-platform", "offscreen"])
    assert args.db == "/tmp/x.sqlite3" and args.demo and rest == ["-platform", "offscreen"]
    args, rest = parse_gui_args([])
    assert args.db is None and not args.demo and rest == []


def corrupt_file(tmp_path):
    path = tmp_path / "hong.sqlite3"
    content = b"SQLite format 3\x00" + bytes(range(256)) * 40
    path.write_bytes(content)
    return path, content


def test_corrupt_database_message_is_vietnamese_and_keeps_the_file(qtbot, tmp_path):
    from baocao_desktop.services.workspace import Workspace
    path, content = corrupt_file(tmp_path)
    with pytest.raises(open_errors()) as caught:
        Workspace(path)
    box = db_error_box(path, caught.value)
    qtbot.addWidget(box)
    assert box.text() == "Không mở được tệp dữ liệu “hong.sqlite3”."
    assert "Không mở được cơ sở dữ liệu" in box.informativeText()
    assert "giữ nguyên" in box.informativeText() and "không bao giờ bị xóa" in box.informativeText()
    assert sorted(b.text() for b in box.buttons()) == ["Chọn tệp khác…", "Thoát", "Tạo tệp mới…"]
    assert path.read_bytes() == content


def test_corrupt_database_create_new_file_instead(qtbot, tmp_path, monkeypatch, settings):
    from baocao_desktop.ui import app as app_module
    path, content = corrupt_file(tmp_path)
    new_path = tmp_path / "moi.sqlite3"
    shown = []

    def fake_box(p, error, parent=None):
        box = db_error_box(p, error, parent)
        shown.append(box.informativeText())
        box.exec = lambda: box.new_button.click()
        return box
    monkeypatch.setattr(app_module, "db_error_box", fake_box)
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(new_path), ""))
    ws = open_workspace_interactive(path, settings)
    try:
        assert ws is not None and ws.path == new_path and ws.own_unit() is None
        assert len(shown) == 1 and "hong.sqlite3" in shown[0]
        assert path.read_bytes() == content  # never deleted or overwritten
        assert settings.value("db/path") == str(new_path)
    finally:
        ws.close()


def test_corrupt_database_quit(qtbot, tmp_path, monkeypatch, settings):
    from baocao_desktop.ui import app as app_module
    path, content = corrupt_file(tmp_path)

    def fake_box(p, error, parent=None):
        box = db_error_box(p, error, parent)
        box.exec = lambda: box.quit_button.click()
        return box
    monkeypatch.setattr(app_module, "db_error_box", fake_box)
    assert open_workspace_interactive(path, settings) is None
    assert path.read_bytes() == content


def test_startup_path_does_not_import_docx_or_the_editor(tmp_path):
    """Heavy modules load on first use, not before the main window shows."""
    code = (
        "import sys, os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from baocao_desktop.ui.app import create_application\n"
        "from baocao_desktop.ui.main_window import MainWindow\n"
        "from baocao_desktop.services.workspace import Workspace\n"
        "from baocao_desktop.services.demo import load_demo\n"
        "from PySide6.QtCore import QSettings\n"
        "app = create_application([])\n"
        f"ws = Workspace(r'{tmp_path / 'db.sqlite3'}')\n"
        "load_demo(ws)\n"
        f"w = MainWindow(ws, QSettings(r'{tmp_path / 's.ini'}', QSettings.Format.IniFormat)); w.show()\n"
        "app.processEvents()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'lxml', 'matplotlib', 'numpy')\n"
        "               or m in ('baocao_desktop.ui.editor.window', 'baocao_desktop.ui.setup_dialog',\n"
        "                        'baocao_desktop.ui.new_report_dialog'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
