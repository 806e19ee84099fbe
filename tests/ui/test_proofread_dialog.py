"""Soát lỗi văn bản Word… in the GUI: the dialog proofreads a file off the UI thread, shows the findings,
reports bad input in Vietnamese, prints and saves a report of the findings."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtPrintSupport import QPrintPreviewDialog  # noqa: E402

from baocao_desktop.checks.findings import Finding  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402
from baocao_desktop.ui.proofread_dialog import ProofreadDialog, location_text  # noqa: E402

FAULT = "Diện tích lúa đạt 549/650 ha, bằng 90% kế hoạch."


@pytest.fixture
def unit_workspace(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", level="xã", upper_body="Đảng bộ tỉnh Lào Cai",
                        place_name="Lùng Phình", symbol="ĐU", founded_on="2025-07-01")
    return workspace


@pytest.fixture
def fault_txt(tmp_path):
    path = tmp_path / "bao_cao.txt"
    path.write_text("Kết quả sản xuất nông nghiệp.\n" + FAULT + "\n", encoding="utf-8")
    return path


def load(qtbot, dialog, path):
    with qtbot.waitSignal(dialog.finished_loading, timeout=10000):
        dialog.load_file(path)


def row_texts(dialog, row):
    return [dialog.table.item(row, c).text() for c in range(dialog.table.columnCount())]


def ratio_row(dialog):
    rows = [row_texts(dialog, r) for r in range(dialog.table.rowCount())]
    matches = [r for r, f in zip(rows, dialog.findings) if f.category == "ratio_percent"]
    assert matches, rows
    return matches[0]


def test_txt_with_wrong_percent_shows_error_row(qtbot, unit_workspace, fault_txt):
    dialog = ProofreadDialog(None, unit_workspace)
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isEnabled()
    load(qtbot, dialog, fault_txt)
    assert dialog.context() is not None and dialog.context().own_name == "Lùng Phình"
    location, severity, category, message = ratio_row(dialog)
    assert location == "dòng 2"
    assert severity == "Lỗi"
    assert category == "Tỷ lệ phần trăm"
    assert "90" in message and message == [f for f in dialog.findings if f.category == "ratio_percent"][0].message
    assert dialog.summary_label.text().startswith("Tìm thấy")
    assert "1 lỗi" in dialog.summary_label.text()
    assert dialog.error_label.isHidden()
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()


def test_works_without_workspace(qtbot, fault_txt):
    dialog = ProofreadDialog(None)
    qtbot.addWidget(dialog)
    load(qtbot, dialog, fault_txt)
    assert dialog.context() is None
    assert ratio_row(dialog)[1] == "Lỗi"


def test_binary_renamed_docx_shows_vietnamese_error(qtbot, tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(bytes(range(256)) * 8)
    dialog = ProofreadDialog(None)
    qtbot.addWidget(dialog)
    load(qtbot, dialog, path)
    assert dialog.table.rowCount() == 0
    assert not dialog.error_label.isHidden()
    text = dialog.error_label.text()
    assert "hong.docx" in text and text == dialog.error_message
    assert "Traceback" not in text and any(ch in text for ch in "ăâđêôơưệợ")
    assert not dialog.print_button.isEnabled()


def test_print_document_and_saved_files_contain_findings(qtbot, unit_workspace, fault_txt, tmp_path):
    dialog = ProofreadDialog(None, unit_workspace)
    qtbot.addWidget(dialog)
    load(qtbot, dialog, fault_txt)
    finding = [f for f in dialog.findings if f.category == "ratio_percent"][0]
    html = dialog.print_document().toHtml()
    plain = dialog.print_document().toPlainText()
    assert "KẾT QUẢ SOÁT LỖI VĂN BẢN" in plain
    assert "bao_cao.txt" in plain and "Đảng ủy xã Lùng Phình" in plain
    today = dt.date.today()
    assert f"{today.day:02d}/{today.month:02d}/{today.year}" in plain
    assert finding.message in plain and "dòng 2" in plain and "Tỷ lệ phần trăm" in plain
    assert "<table" in html
    preview = dialog.print_preview(show=False)
    qtbot.addWidget(preview)
    assert isinstance(preview, QPrintPreviewDialog)
    txt = dialog.save_results(tmp_path / "kq.txt")
    assert finding.message in txt.read_text(encoding="utf-8")
    saved = dialog.save_results(tmp_path / "kq.html")
    content = saved.read_text(encoding="utf-8")
    assert "<table" in content and "Lỗi" in content and "bao_cao.txt" in content


def test_location_text():
    assert location_text(Finding("c", "x", "info", "m", paragraph=0)) == "đoạn 1"
    assert location_text(Finding("c", "x", "info", "m", line=7)) == "dòng 7"
    assert location_text(Finding("c", "x", "info", "m", footnote=3, paragraph=2)) == "chú thích 3"


def test_menu_action_opens_dialog(qtbot, unit_workspace, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(unit_workspace, settings)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.act_proofread in file_menu.actions()
    assert window.act_proofread.text().replace("&", "") == "Soát lỗi văn bản Word…"
    window.act_proofread.trigger()
    dialog = window.proofread_dialog
    assert isinstance(dialog, ProofreadDialog) and dialog.isVisible()
    assert dialog.workspace is unit_workspace
    dialog.close()
