"""Issue 15.5 in the GUI: the import dialog lists the figures the file's sentences state, one tick box each;
only the ticked ones are stored in the new report (as typed), the list follows the chosen template."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

pytest.importorskip("pytestqt")
docx = pytest.importorskip("docx")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QListWidget  # noqa: E402

from baocao_desktop.ui.import_docx_dialog import ImportDocxDialog  # noqa: E402
from tests.ui.test_import_docx_header_ui import mini  # noqa: E402,F401


def _file(tmp_path):
    document = docx.Document()
    for text in ("I. KẾT QUẢ", "1. Nông nghiệp"):
        document.add_paragraph().add_run(text).bold = True
    document.add_paragraph("Diện tích lúa mùa thực hiện đạt 549/650 ha, bằng 84,5% kế hoạch.")
    document.add_paragraph().add_run("2. Ngân sách").bold = True
    document.add_paragraph("Trong tuần, thu ngân sách trên địa bàn đạt 13 triệu đồng; lũy kế từ đầu năm đạt "
                           "1.561 triệu đồng.")
    path = tmp_path / "báo cáo tuần.docx"
    document.save(path)
    return path


def test_ticked_figures_are_stored_and_unticked_are_not(qtbot, mini, tmp_path):  # noqa: F811
    dialog = ImportDocxDialog(mini, _file(tmp_path), today=dt.date(2026, 6, 10))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15000)
    index = dialog.template_combo.findData("mini_tuan")
    dialog.template_combo.setCurrentIndex(index)
    figures = dialog.findChild(QListWidget, "importFigures")
    assert figures.isVisible()
    rows = {figures.item(i).text(): figures.item(i) for i in range(figures.count())}
    assert "Diện tích lúa mùa – Thực hiện: 549 ha" in rows
    assert "Thu ngân sách trên địa bàn – Lũy kế: 1.561 triệu đồng" in rows
    assert all(item.checkState() == Qt.CheckState.Checked for item in rows.values())
    assert "549/650 ha" in rows["Diện tích lúa mùa – Thực hiện: 549 ha"].toolTip()  # the sentence it came from
    # the clerk rejects the budget figures: unticked by a click on each box
    for text, item in rows.items():
        if text.startswith("Thu ngân sách"):
            item.setCheckState(Qt.CheckState.Unchecked)
    label = dialog.findChild(QLabel, "importFiguresLabel")
    assert "Đang chọn 2/4" in label.text()
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15000)
    report = mini.report(dialog.result.report_id)
    assert report.values.get("lua") == {"actual": Decimal(549), "plan": Decimal(650)}
    assert "thu_ns" not in report.values


def test_the_list_follows_the_chosen_template(qtbot, mini, tmp_path):  # noqa: F811
    dialog = ImportDocxDialog(mini, _file(tmp_path), today=dt.date(2026, 6, 10))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15000)
    figures = dialog.findChild(QListWidget, "importFigures")
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("mini_tuan"))
    assert figures.count() == 4
    keys = lambda: {figures.item(i).data(Qt.ItemDataRole.UserRole) for i in range(figures.count())}  # noqa: E731
    assert ("lua", "actual") in keys()
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("bc_tuan"))  # a shipped template
    # the same sentence is bc_tuan's rice indicator too, under its own code; the mini budget is not bc_tuan's
    assert ("lua_mua_dien_tich", "actual") in keys() and ("lua", "actual") not in keys()
    assert ("thu_ns", "actual") not in keys()
