"""The set-up dialog's new profile fact row starts at the unit's founding date for the first fact of a code
and at today for a change of one the profile has (services: Workspace.default_fact_date)."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pytestqt")

from baocao_desktop.domain.dates import format_date  # noqa: E402
from baocao_desktop.ui.setup_dialog import SetupDialog  # noqa: E402


def test_new_fact_row_date_follows_the_founding_date(qtbot, workspace):
    workspace.save_unit(name="Đảng ủy xã Tả Van", founded_on=dt.date(2025, 7, 1))
    workspace.add_profile_fact("dan_so", "Dân số", "15486", "người", "2025-12-31")
    dialog = SetupDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.add_fact_button.click()
    row = dialog.facts_table.rowCount() - 1
    date_cell = dialog.facts_table.item(row, dialog.COL_AS_OF)
    assert date_cell.text() == "01/7/2025"
    combo = dialog.facts_table.cellWidget(row, dialog.COL_LABEL)
    combo.setCurrentIndex(combo.findText("Dân số"))
    combo.activated.emit(combo.currentIndex())
    assert date_cell.text() == format_date(dt.date.today())  # a change of a fact the profile has
    combo.setCurrentIndex(combo.findText("Số thôn"))
    combo.activated.emit(combo.currentIndex())
    assert date_cell.text() == "01/7/2025"
    date_cell.setText("01/01/2026")  # typed by hand: kept whatever is chosen next
    combo.setCurrentIndex(combo.findText("Dân số"))
    combo.activated.emit(combo.currentIndex())
    assert date_cell.text() == "01/01/2026"
