"""Help (issue 18 point 7): the Vietnamese user guide opens offline with F1 and from Trợ giúp at the part
about the screen in use, its pictures are shipped; every menu action has a mnemonic or shortcut; text typed
decomposed (as some Unikey settings send it) is stored composed (NFC)."""
from __future__ import annotations

import re
import unicodedata

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
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
