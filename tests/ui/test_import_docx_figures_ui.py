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


def test_a_file_the_app_exported_lists_the_figures_it_carries(qtbot, mini, tmp_path):  # noqa: F811
    """Issue 15.7: the figures the document does not print come back from its figures part, said as such."""
    report = mini.create_report("mini_tuan", dt.date(2026, 6, 1))
    for code, field, value in (("lua", "actual", "549"), ("lua", "plan", "650"), ("thu_ns", "actual", "13"),
                               ("thu_ns", "cumulative", "1.561"), ("thu_ns", "previous", "1.548")):
        mini.set_value(report.id, code, field, value)
    template = mini.template("mini_tuan")
    paths = [s.path for s in template.walk() if s.indicators]
    for path, text in mini.generated_texts(report.id, paths).items():
        mini.set_section_text(report.id, path, text)
    exported = mini.export_docx(report.id, tmp_path / "xuất từ BaoCao.docx")
    before = mini.report(report.id).values
    mini.delete_report(report.id)  # imported back into the same period
    dialog = ImportDocxDialog(mini, exported, today=dt.date(2026, 6, 10))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15000)
    assert dialog.template_code() == "mini_tuan"  # the part says which template it is
    figures = dialog.findChild(QListWidget, "importFigures")
    rows = {figures.item(i).text(): figures.item(i) for i in range(figures.count())}
    assert "Thu ngân sách trên địa bàn – Lũy kế kỳ trước: 1.548 triệu đồng (lưu kèm tệp)" in rows
    assert "Diện tích lúa mùa – Thực hiện: 549 ha" in rows  # printed: read from its sentence
    notes = [text for text, item in rows.items() if item.data(Qt.ItemDataRole.UserRole) is None]
    assert len(notes) == 1 and notes[0].startswith("Tệp do BaoCao xuất")  # first in the list, no tick box
    assert not rows[notes[0]].flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert f"Đang chọn {len(rows) - 1}/{len(rows) - 1}" in dialog.findChild(QLabel, "importFiguresLabel").text()
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15000)
    imported = mini.report(dialog.result.report_id)
    assert imported.period == report.period and imported.values == before
