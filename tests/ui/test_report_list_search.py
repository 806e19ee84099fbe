"""The report list finds reports by words typed without accents and filters by kind, status and year
(issue 18 point 8), driven through the real main window (pytest-qt, offscreen)."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from baocao_desktop.services.report_search import matches, search_words  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402


def type_text(widget, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def shown(window) -> list[list[str]]:
    table = window.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount()) if not table.isRowHidden(r)]


@pytest.fixture
def window(qtbot, demo_workspace, tmp_path, close_before_database):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(demo_workspace, settings)
    close_before_database(window)
    window.show()
    qtbot.waitUntil(lambda: window.table is not None and window.table.rowCount() > 0)
    return window


def test_matching_ignores_accents_case_and_composition():
    assert matches(search_words("lung phinh"), "Đảng ủy xã Lùng Phình")
    assert matches(search_words("BAO CAO tuan"), "Báo cáo tuần")
    assert matches(search_words("dang uy"), "Đảng ủy")  # đ folds to d
    # decomposed input (Unikey/Telex in some programs) matches composed text
    assert matches(search_words("Lu\u0300ng"), "Lùng Phình")
    assert not matches(search_words("bao cao thang"), "Báo cáo tuần")
    assert matches(search_words(""), "anything")


def test_search_without_accents_finds_weekly_reports(qtbot, window):
    list_page = window.report_list
    total = len(shown(window))
    type_text(list_page.search_edit, "bao cao tuan")
    rows = shown(window)
    assert rows and all(r[0] == "Báo cáo tuần" for r in rows)
    assert len(rows) < total
    assert list_page.shown_label.text() == f"{len(rows)}/{total} báo cáo"
    assert window.selected_report_id() in {window.report_list.row_report_id(r) for r in range(window.table.rowCount())
                                           if not window.table.isRowHidden(r)}
    list_page.search_edit.clear()
    type_text(list_page.search_edit, "lung phinh")  # the unit's name: every report of the unit
    assert len(shown(window)) == total
    list_page.search_edit.clear()
    type_text(list_page.search_edit, "khong co bao cao nao nhu the")
    assert shown(window) == []


def test_filters_by_kind_status_and_year(qtbot, window):
    list_page = window.report_list
    total = len(shown(window))
    kinds = [list_page.kind_combo.itemText(i) for i in range(list_page.kind_combo.count())]
    assert kinds[0] == "Tất cả" and "Báo cáo tuần" in kinds
    list_page.kind_combo.setCurrentText("Báo cáo tuần")
    assert {r[0] for r in shown(window)} == {"Báo cáo tuần"}
    statuses = [list_page.status_combo.itemText(i) for i in range(1, list_page.status_combo.count())]
    assert "Dự thảo" in statuses
    list_page.status_combo.setCurrentText("Dự thảo")
    assert all(r[4] == "Dự thảo" for r in shown(window)) and shown(window)
    years = [list_page.year_combo.itemText(i) for i in range(1, list_page.year_combo.count())]
    assert "2026" in years
    list_page.year_combo.setCurrentText("2026")
    assert shown(window)
    other = str(int(years[-1]) - 1)
    assert other not in years  # only years that have reports are offered
    list_page.kind_combo.setCurrentIndex(0)
    list_page.status_combo.setCurrentIndex(0)
    list_page.year_combo.setCurrentIndex(0)
    assert len(shown(window)) == total and list_page.shown_label.text() == ""


def test_filter_survives_a_refresh(qtbot, window, demo_workspace):
    list_page = window.report_list
    list_page.kind_combo.setCurrentText("Báo cáo tuần")
    type_text(list_page.search_edit, "tuan 24")
    window.refresh_reports() if hasattr(window, "refresh_reports") else list_page.fill(demo_workspace)
    rows = shown(window)
    assert [r[1] for r in rows] == ["Tuần 24 (08/6–14/6/2026)"]
    assert list_page.kind_combo.currentText() == "Báo cáo tuần"
