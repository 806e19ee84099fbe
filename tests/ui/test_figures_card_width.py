"""The figures card fits the width it is given (1366×768 at 125% leaves it ~500 px): when the names and the
columns do not fit side by side, each name goes on its own line, with its unit, above its fields, which share
the width; the headers follow; Tab still goes through the fields in reading order, and the marks, the source
line and what was typed stay when the card changes its layout. The screen sizes themselves are emulated by
tests/ui/test_fits_the_screen.py (test_the_figures_card_never_scrolls_sideways)."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pytestqt")

import shiboken6  # noqa: E402
from PySide6.QtCore import QPoint, QRect, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from tests.ui.keys import type_text  # noqa: E402
from tests.ui.editor_window import show_editor  # noqa: E402

CODE = "thu_ngan_sach_tren_dia_ban"
SECTION = "I.2.2"


@pytest.fixture
def march(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình", symbol="ĐU")
    for number, (actual, cumulative) in {1: ("120", "120"), 2: ("95", "215"), 3: ("80", "295")}.items():
        report = workspace.create_report("bc_dang_uy_thang", f"2026-{number:02d}-01")
        workspace.set_value(report.id, CODE, "actual", actual)
        workspace.set_value(report.id, CODE, "cumulative", cumulative)
    last_year = workspace.create_report("bc_dang_uy_thang", "2025-03-01")
    workspace.set_value(last_year.id, CODE, "actual", "64")
    return next(r for r in workspace.list_reports() if r.period.start == dt.date(2026, 3, 1))


@pytest.fixture
def editor_of(qtbot, workspace):
    made = []

    def open_editor(report_id, width, height):
        editor = show_editor(qtbot, workspace, report_id, width, height)
        made.append(editor)
        editor.select_section(SECTION)
        return editor
    yield open_editor
    for editor in made:  # before the database closes
        if shiboken6.isValid(editor):
            editor.close()


def rect_in(widget, viewport) -> QRect:
    return QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())


def shown_headers(grid) -> dict[str, QLabel]:
    return {label.text(): label for label in grid.findChildren(QLabel, "gridHeader") if label.isVisible()}


def test_a_narrow_card_puts_each_name_above_its_fields(qtbot, march, editor_of):
    editor = editor_of(march.id, 1000, 600)  # the editor's share of a 1366×768 laptop at 125%
    grid = editor.page.figures
    area = editor.page.form_scroll
    qtbot.waitUntil(lambda: grid.stacked and editor.field_widget(CODE, "actual").isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: not area.horizontalScrollBar().isVisible(), timeout=5000)
    viewport = area.viewport()
    label = next(w for w in grid.findChildren(QLabel, "indicatorLabel") if w.isVisible()
                 and w.text().startswith("Thu ngân sách"))
    assert label.text() == "Thu ngân sách nhà nước trên địa bàn (triệu đồng)"  # the unit joins the name
    assert not [w for w in grid.findChildren(QLabel, "unitLabel") if w.isVisible()]
    headers = shown_headers(grid)
    assert {"Chỉ tiêu", "Thực hiện", "Lũy kế kỳ trước", "Lũy kế", "Cùng kỳ năm trước"} <= set(headers)
    assert "Đơn vị" not in headers
    fields = [w for (code, _name), w in grid.fields.items() if code == CODE]
    for field in fields:
        assert viewport.rect().contains(rect_in(field, viewport))
        assert rect_in(label, viewport).bottom() < rect_in(field, viewport).top()  # the name above, full width
        assert field.width() >= field.fontMetrics().horizontalAdvance(field.text())
    # each header stands over its own field
    for name, header in (("actual", "Thực hiện"), ("previous", "Lũy kế kỳ trước"), ("cumulative", "Lũy kế")):
        field, over = rect_in(grid.fields[(CODE, name)], viewport), rect_in(headers[header], viewport)
        assert over.bottom() < field.top() and field.left() <= over.center().x() <= field.right()
    button = grid.sentence_buttons[CODE]  # “Chèn câu” ends the name's line
    assert viewport.rect().contains(rect_in(button, viewport))
    assert rect_in(button, viewport).bottom() < rect_in(fields[0], viewport).top()
    note = grid.sources[CODE]
    assert note.isVisible() and note.text().startswith("Lũy kế = tháng 1/2026: 120")
    assert rect_in(note, viewport).top() > rect_in(fields[0], viewport).bottom()
    assert rect_in(note, viewport).right() <= viewport.width()


def test_tab_goes_through_the_stacked_fields_in_reading_order(qtbot, march, editor_of):
    editor = editor_of(march.id, 1000, 600)
    grid = editor.page.figures
    qtbot.waitUntil(lambda: grid.stacked and editor.field_widget(CODE, "actual").isVisible(), timeout=5000)
    typed = [w for w in grid.fields.values() if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    viewport = editor.page.form_scroll.viewport()
    reading = sorted(typed, key=lambda w: (rect_in(w, viewport).top(), rect_in(w, viewport).left()))
    first = reading[0]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus, timeout=5000)
    visited = [first]
    for _ in range(3 * len(typed)):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget in typed and widget not in visited:
            visited.append(widget)
        elif widget is grid.sentence_buttons[CODE]:
            assert visited[-1] is editor.field_widget(CODE, "cumulative")  # reached from its row's last field
        if len(visited) == len(typed):
            break
    assert visited == reading


def test_the_layout_follows_the_width_and_keeps_marks_and_typing(qtbot, march, editor_of):
    editor = editor_of(march.id, 1000, 600)
    grid = editor.page.figures
    qtbot.waitUntil(lambda: grid.stacked, timeout=5000)
    field = editor.field_widget(CODE, "actual")
    field.setFocus()
    field.selectAll()
    type_text(field, "12,5,3")  # refused: outlined red, the reason under the row
    qtbot.waitUntil(lambda: field.property("invalid") is True and grid.notes[CODE].isVisible(), timeout=5000)
    editor.resize(1900, 900)  # a wide screen: the printed table's shape again
    qtbot.waitUntil(lambda: not grid.stacked, timeout=5000)
    qtbot.waitUntil(lambda: "Đơn vị" in shown_headers(grid), timeout=5000)
    label = next(w for w in grid.findChildren(QLabel, "indicatorLabel") if w.text().startswith("Thu ngân sách"))
    assert label.text() == "Thu ngân sách nhà nước trên địa bàn"
    assert "Chỉ tiêu" in shown_headers(grid)
    viewport = editor.page.form_scroll.viewport()
    assert abs(rect_in(label, viewport).center().y() - rect_in(field, viewport).center().y()) < field.height()
    assert field.text() == "12,5,3" and field.property("invalid") is True and grid.notes[CODE].isVisible()
    assert grid.sources[CODE].isVisible()
    editor.resize(1000, 600)
    qtbot.waitUntil(lambda: grid.stacked, timeout=5000)
    assert field.text() == "12,5,3" and field.property("invalid") is True and grid.notes[CODE].isVisible()
