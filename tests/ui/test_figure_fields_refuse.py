"""Figures refused at the door in the real widgets (issue 18 point 2): the editor's figure field and the
setup dialog's profile facts use the same parse-and-validate function as the services and the CLI."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytest.importorskip("pytestqt")


from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QDialog, QDialogButtonBox  # noqa: E402

from baocao_desktop.ui.editor.window import ReportEditor  # noqa: E402
from baocao_desktop.ui.setup_dialog import SetupDialog  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402

WAIT = 15000  # ms, an upper bound only


@pytest.fixture
def week(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    return workspace.create_report("bc_tuan", "2026-06-01")


def test_a_count_field_asks_did_you_mean_and_keeps_the_text(qtbot, workspace, week, close_before_database):
    editor = ReportEditor(workspace, week.id)
    close_before_database(editor)
    editor.resize(1366, 768)
    editor.show()
    editor.select_section("II.1.1.b")
    field = editor.field_widget("tong_dan_gia_suc", "actual")
    assert field.width() >= field.fontMetrics().horizontalAdvance("9.999.999")  # its largest allowed value fits
    assert "Số nguyên" in field.toolTip()
    field.setFocus()
    field.selectAll()
    type_text(field, "12,345")
    qtbot.waitUntil(lambda: editor.field_message.isVisible(), timeout=WAIT)
    assert "Có phải ý bạn là 12.345?" in editor.field_message.text()
    assert field.text() == "12,345" and field.property("invalid") is True
    assert workspace.report(week.id).value("tong_dan_gia_suc", "actual") is None
    field.selectAll()
    type_text(field, "12.345")
    qtbot.waitUntil(lambda: workspace.report(week.id).value("tong_dan_gia_suc", "actual") == Decimal(12345),
                    timeout=WAIT)
    assert field.property("invalid") is False


def test_setup_refuses_a_negative_number_of_party_members(qtbot, workspace):
    dialog = SetupDialog(workspace, first_run=True)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name_edit, "Đảng ủy xã Lùng Phình")
    qtbot.mouseClick(dialog.add_fact_button, Qt.MouseButton.LeftButton)
    row = dialog.facts_table.rowCount() - 1
    dialog.facts_table.cellWidget(row, dialog.COL_LABEL).setEditText("Tổng số đảng viên")
    dialog.facts_table.item(row, dialog.COL_VALUE).setText("-12")
    dialog.facts_table.item(row, dialog.COL_UNIT).setText("đảng viên")
    dialog.facts_table.item(row, dialog.COL_AS_OF).setText("01/7/2025")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "không thể âm" in dialog.error_label.text() and "Tổng số đảng viên" in dialog.error_label.text()
    assert workspace.profile_facts() == []
    assert dialog.facts_table.item(row, dialog.COL_VALUE).text() == "-12"  # nothing typed is lost
