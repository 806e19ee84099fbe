"""Nhập từ tệp Word in the GUI: the dialog (template, period) creates the report and the window opens it."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pytestqt")
docx = pytest.importorskip("docx")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402

from baocao_desktop.services.workspace import UNPLACED_PATH  # noqa: E402
from baocao_desktop.ui import import_docx_dialog  # noqa: E402
from baocao_desktop.ui.import_docx_dialog import ImportDocxDialog  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402


MINI = """
code: mini_tuan
version: 1
name: Báo cáo tuần thử
period: week
summary: "Khái quát tình hình từ ngày {start_dm} đến ngày {end}"
sections:
  - number: "I."
    title: KẾT QUẢ
    children:
      - {number: "1.", title: Nông nghiệp}
      - {number: "2.", title: Ngân sách}
  - {number: "II.", title: PHƯƠNG HƯỚNG}
"""


@pytest.fixture
def mini(workspace):
    from baocao_desktop.templates.model import parse_template
    workspace.install_template(parse_template(MINI, origin="mini"))
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Lùng Phình",
                        symbol="ĐU", founded_on="2025-07-01")
    return workspace


@pytest.fixture
def word_file(tmp_path):
    document = docx.Document()
    document.add_heading("I. KẾT QUẢ", level=1)
    document.add_heading("1. Nông nghiệp", level=2)
    document.add_paragraph("Diện tích lúa mùa đạt 549 ha.")
    document.add_heading("III. VIỆC KHÁC", level=1)
    document.add_paragraph("Đoạn không khớp mục nào.")
    path = tmp_path / "Báo cáo tuần cũ.docx"
    document.save(path)
    return path


def test_dialog_imports_into_the_chosen_week(qtbot, mini, word_file):
    dialog = ImportDocxDialog(mini, word_file, today=dt.date(2026, 6, 10))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)  # the file is read on the task runner
    assert dialog.windowTitle() == "Nhập báo cáo từ tệp Word"
    assert "Báo cáo tuần cũ.docx" in dialog.findChild(QLabel, "importIntro").text()
    assert dialog.buttons.buttons()[0].text() in ("Nhập", "Hủy")
    assert dialog.template_code() == "mini_tuan"  # preselected: the template its headings match best
    assert dialog.period().start == dt.date(2026, 6, 1)  # the last finished week, as for a new report
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)  # imported on the task runner
    assert dialog.result is not None and dialog.report is not None
    report = mini.report(dialog.report.id)
    assert report.period.start == dt.date(2026, 6, 1)
    assert report.texts["I.1"] == "Diện tích lúa mùa đạt 549 ha."
    assert report.texts[UNPLACED_PATH] == "**III. VIỆC KHÁC**\nĐoạn không khớp mục nào."
    assert "1 mục" not in dialog.result.summary() and "2 đoạn chưa xếp mục" in dialog.result.summary()


def test_dialog_shows_a_bad_file_error_and_stays_open(qtbot, mini, tmp_path):
    path = tmp_path / "hỏng.docx"
    path.write_bytes(b"not a word file at all" * 10)
    dialog = ImportDocxDialog(mini, path, today=dt.date(2026, 6, 10))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    assert "không phải tệp Word" in dialog.error_label.text()  # said as soon as the dialog opens
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    assert dialog.report is None and dialog.isVisible()
    assert "không phải tệp Word" in dialog.error_label.text() and dialog.error_label.isVisible()
    assert mini.list_reports() == []


def test_window_imports_and_opens_the_report(qtbot, mini, word_file, tmp_path, monkeypatch, changes_arrived):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(mini, settings)
    qtbot.addWidget(window)
    assert window.act_import_docx.isEnabled()

    def run(dialog):
        qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
        dialog.accept()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
        return dialog.result is not None
    monkeypatch.setattr(import_docx_dialog.ImportDocxDialog, "exec", run)
    window.import_docx(str(word_file))
    assert window.stack.currentIndex() == window.PAGE_EDITOR and window.editor_report_id is not None
    assert "Đã nhập “Báo cáo tuần cũ.docx”" in window.statusBar().currentMessage()
    # the text that matched no section is in the editor too, last in the navigator, editable
    editor = window.editor
    last = editor.navigator.topLevelItem(editor.navigator.topLevelItemCount() - 1)
    assert last.text(0) == "Nội dung chưa xếp mục"
    editor.navigator.setCurrentItem(last)
    assert editor.current_section_path() == UNPLACED_PATH
    assert editor.narrative.toPlainText() == "III. VIỆC KHÁC\nĐoạn không khớp mục nào."
    assert "chưa khớp mục nào của mẫu" in editor.guidance_label.text()
    # the list, read again from the announced change on the way back, has the new report
    changes_arrived()
    window.show_list()
    assert window.table.rowCount() == 1


def test_editor_has_no_unplaced_section_when_everything_matched(qtbot, mini, tmp_path):
    from baocao_desktop.ui.editor.window import ReportEditor
    report = mini.create_report("mini_tuan", "2026-06-01")
    editor = ReportEditor(mini, report.id)
    qtbot.addWidget(editor)
    titles = [editor.navigator.topLevelItem(i).text(0) for i in range(editor.navigator.topLevelItemCount())]
    assert titles == ["Thông tin văn bản", "I. KẾT QUẢ", "II. PHƯƠNG HƯỚNG"]  # the report's header first


def test_a_period_that_has_its_report_offers_to_open_it(qtbot, mini, word_file, tmp_path, monkeypatch):
    existing = mini.create_report("mini_tuan", "2026-06-01")
    count = len(mini.list_reports())
    dialog = ImportDocxDialog(mini, word_file, today=dt.date(2026, 6, 10))  # the week of 01/6 again
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    assert not dialog.open_existing_button.isVisible()
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=15000)
    assert "Hãy mở báo cáo đó" in dialog.error_label.text()
    assert dialog.open_existing_button.isVisible() and len(mini.list_reports()) == count  # nothing imported
    dialog.open_existing_button.click()
    assert dialog.report.id == existing.id and dialog.result is None
    # from the main window: the existing report opens, nothing is said to be imported
    window = MainWindow(mini, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)

    def run(opened):
        qtbot.waitUntil(lambda: not opened.busy, timeout=15000)
        opened.select_week(existing.period)
        opened.accept()
        qtbot.waitUntil(lambda: not opened.busy, timeout=15000)
        opened.open_existing()
        return True
    monkeypatch.setattr(import_docx_dialog.ImportDocxDialog, "exec", run)
    window.import_docx(str(word_file))
    assert window.editor_report_id == existing.id and "Đã nhập" not in window.statusBar().currentMessage()
    assert len(mini.list_reports()) == count
    window.editor.close()
    window.close_editor()
