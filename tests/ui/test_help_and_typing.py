"""Help (issue 18 point 7): the Vietnamese user guide opens offline with F1 and from Trợ giúp at the part
about the screen in use, in modal dialogs too; its pictures are shipped; every menu action has a mnemonic or
shortcut; text typed decomposed (as some Unikey settings send it) is composed as typed and stored composed
(NFC). tests/ui/test_every_screen.py checks every window's help line, buttons and text fields."""
from __future__ import annotations

import re
import unicodedata

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from baocao_desktop.resources import resource_path  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402


@pytest.fixture
def window(qtbot, demo_workspace, tmp_path, close_before_database):
    window = MainWindow(demo_workspace, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    close_before_database(window)
    window.show()
    qtbot.waitUntil(lambda: window.table is not None and window.table.rowCount() > 0)
    return window


def help_windows():
    from baocao_desktop.ui.help_window import HelpWindow
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpWindow) and w.isVisible()]


def test_the_guide_is_shipped_in_vietnamese_with_its_pictures():
    guide = resource_path("help", "huong_dan.html")
    html = guide.read_text(encoding="utf-8")
    assert "Hướng dẫn sử dụng" in html and "Có phải ý bạn là 12.345?" in html
    pictures = re.findall(r'<img src="([^"]+)"', html)
    assert pictures
    for picture in pictures:
        path = guide.parent / picture
        assert path.is_file(), picture
        assert path.stat().st_size < 150_000, picture  # no large binaries in the repository


def test_f1_opens_the_guide_at_the_part_about_the_list(qtbot, window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "Trợ &giúp")
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert "&Hướng dẫn sử dụng" in texts and "&Giới thiệu" in texts
    assert window.act_help.shortcut().toString() == "F1"
    window.act_help.trigger()
    qtbot.waitUntil(lambda: bool(help_windows()))
    browser = help_windows()[0].browser
    assert "Danh sách báo cáo" in browser.toPlainText()
    assert browser.verticalScrollBar().value() > 0  # scrolled to “2. Danh sách báo cáo”
    # every picture the guide shows is found (a missing one renders as an empty box)
    document = browser.document()
    for name in re.findall(r'<img src="([^"]+)"', resource_path("help", "huong_dan.html").read_text("utf-8")):
        assert not document.resource(document.ResourceType.ImageResource.value, name) is None, name
    help_windows()[0].close()


def test_every_menu_action_has_a_mnemonic_or_a_shortcut(window):
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text(), menu_action.text()
        for action in menu_action.menu().actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            assert "&" in action.text() or not action.shortcut().isEmpty(), action.text()


def test_decomposed_typing_is_stored_composed(qtbot, demo_workspace, window):
    report = next(r for r in demo_workspace.list_reports() if r.template_code == "bc_tuan")
    window.open_report(report.id)
    editor = window.editor
    from baocao_desktop.ui.editor.navigator import HEADER_PATH
    editor.select_section(HEADER_PATH)
    place = editor.header_page.place_edit
    place.setFocus()
    place.selectAll()
    decomposed = unicodedata.normalize("NFD", "Lùng Phình")
    assert decomposed != "Lùng Phình"
    type_text(place, decomposed)
    editor.flush()
    assert demo_workspace.report(report.id).place == "Lùng Phình"
    # the list's search accepts decomposed text too
    window.show_list()
    window.report_list.search_edit.setText(unicodedata.normalize("NFD", "Báo cáo tuần"))
    shown = [r for r in range(window.table.rowCount()) if not window.table.isRowHidden(r)]
    assert shown and all(window.table.item(r, 0).text() == "Báo cáo tuần" for r in shown)


def test_f1_in_a_modal_dialog_opens_the_guide_at_its_part(qtbot, demo_workspace, window):
    import datetime as dt

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLabel
    from baocao_desktop.ui.help_window import PART, install_help_key
    from baocao_desktop.ui.new_report_dialog import NewReportDialog
    install_help_key(QApplication.instance())
    dialog = NewReportDialog(demo_workspace, window, today=dt.date(2026, 6, 17))
    line = next(label for label in dialog.findChildren(QLabel) if label.property(PART))
    assert line.property(PART) == "bao-cao-moi" and "Tạo báo cáo" in line.text()
    seen = {}

    def press_f1():
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                        and QApplication.focusWidget().window() is dialog)
        focus = QApplication.focusWidget()
        for kind in (QKeyEvent.Type.ShortcutOverride, QKeyEvent.Type.KeyPress):
            QApplication.sendEvent(focus, QKeyEvent(kind, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier))
        qtbot.waitUntil(lambda: bool(help_windows()))
        shown = help_windows()[0]
        seen["parent"], seen["text"] = shown.parent(), shown.browser.toPlainText()
        seen["scrolled"] = shown.browser.verticalScrollBar().value()
        shown.close()
        dialog.reject()
    QTimer.singleShot(0, press_f1)
    dialog.exec()  # modal: the main window's F1 cannot reach past it
    assert seen["parent"] is dialog and seen["scrolled"] > 0 and "Tạo báo cáo mới" in seen["text"]
    # the link of the help line opens the same part
    line.linkActivated.emit("bao-cao-moi")
    qtbot.waitUntil(lambda: bool(help_windows()))
    help_windows()[0].close()


def test_decomposed_typing_is_composed_in_table_cells_and_the_report_text(qtbot, demo_workspace, window):
    from baocao_desktop.services import template_editing as te
    from baocao_desktop.ui.composed_typing import install_composed_typing
    from baocao_desktop.ui.template_table_editor import TableDialog
    install_composed_typing(QApplication.instance())
    decomposed = unicodedata.normalize("NFD", "Hộ nghèo được hỗ trợ")
    # a cell of a table (its editor appears only while editing)
    editable = te.edit_copy(demo_workspace.template("bc_tuan"))
    dialog = TableDialog(editable, editable.sections[0], None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    rows = dialog.line_tables["rows"]
    dialog.add_line("rows")  # a new row starts editing its name
    from PySide6.QtWidgets import QLineEdit
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit)
                    and rows.isAncestorOf(QApplication.focusWidget()))
    cell_editor = QApplication.focusWidget()
    cell_editor.selectAll()
    type_text(cell_editor, decomposed)
    assert cell_editor.text() == "Hộ nghèo được hỗ trợ"
    QApplication.sendEvent(cell_editor, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                                                  Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: rows.item(rows.rowCount() - 1, 0).text() == "Hộ nghèo được hỗ trợ")  # committed
    dialog.reject()
    # the report's text: stored composed, marks typed one by one after their letter
    report = next(r for r in demo_workspace.list_reports() if r.template_code == "bc_tuan")
    window.open_report(report.id)
    editor = window.editor
    editor.select_section("II.1.1.a")
    window.activateWindow()
    editor.narrative.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.narrative)
    editor.narrative.moveCursor(QTextCursor.MoveOperation.End)
    type_text(editor.narrative, " " + decomposed)
    assert unicodedata.is_normalized("NFC", editor.narrative.toPlainText())
    editor.flush()
    assert demo_workspace.report(report.id).texts["II.1.1.a"].endswith(" Hộ nghèo được hỗ trợ")
    window.editor.close()
    window.close_editor()


def test_marks_compose_with_their_letter_wherever_the_cursor_is():
    from baocao_desktop.ui.composed_typing import composed, needs_composing
    assert composed("Lu", "\u0300") == (1, "ù")  # a + ◌̀ → à: the letter before the cursor is replaced
    assert composed("Phie\u0302", "\u0300") == (2, "ề")  # e + ◌̂ typed earlier + ◌̀ → ề, all three replaced
    assert composed("đươ", "\u0300") == (1, "ờ")  # ơ + ◌̀ → ờ
    assert composed("x", "a") == (0, "a") and not needs_composing("a") and needs_composing("\u0301")
    assert composed("", "\u0301") == (0, "\u0301")  # nothing to compose with: kept as typed


def test_a_help_line_keeps_the_text_it_links(qtbot):
    from PySide6.QtWidgets import QLabel
    from baocao_desktop.ui.help_window import PART, link_help
    rich = link_help(QLabel("Tệp: <b>a.docx</b><br>Các đề mục…"), "nhap-word")
    plain = link_help(QLabel("Số liệu < 5 & tên"), "ky")
    for label in (rich, plain):
        qtbot.addWidget(label)
    assert "<b>a.docx</b>" in rich.text() and 'href="nhap-word"' in rich.text()
    assert "&lt; 5 &amp; tên" in plain.text() and plain.property(PART) == "ky"
