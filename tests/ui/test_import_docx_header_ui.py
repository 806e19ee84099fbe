"""Issue 15.1 and 15.6 in the GUI: the import dialog shows what the file's front matter and closing give the
new report's “Thông tin văn bản” (Số and date filled into their fields), and in the editor the unplaced
content is a warning whose click opens “Nội dung chưa xếp mục” with the cursor in its text."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
docx = pytest.importorskip("docx")

from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from baocao_desktop.services.docx_import import import_docx_report  # noqa: E402
from baocao_desktop.services.workspace import UNPLACED_PATH  # noqa: E402
from baocao_desktop.templates.model import parse_template  # noqa: E402
from baocao_desktop.ui.common import from_qdate  # noqa: E402
from baocao_desktop.ui.import_docx_dialog import ImportDocxDialog  # noqa: E402
from tests.services.conftest import MINI_TEMPLATE  # noqa: E402
from tests.ui.test_editor_required_items import click_finding  # noqa: E402
from tests.ui.test_report_editor import WAIT, open_editor  # noqa: E402
from tests.ui.test_report_editor import _close_editors_before_the_database  # noqa: E402,F401

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "word_import"


@pytest.fixture
def mini(workspace):
    workspace.install_template(parse_template(MINI_TEMPLATE, origin="mini"))
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Lùng Phình",
                        symbol="ĐU", founded_on="2025-07-01")
    workspace.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Giàng A Lử"}])
    return workspace


def test_dialog_shows_what_goes_to_the_header_and_imports_it(qtbot, mini):
    dialog = ImportDocxDialog(mini, CORPUS / "state_closing_two_rows.docx", today=dt.date(2026, 6, 10))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15000)
    label = dialog.findChild(QLabel, "importHeader")
    assert label.isVisible()
    text = label.text()
    for item in ("Thông tin văn bản", "Trích yếu: Kết quả thực hiện nhiệm vụ tuần", "Căn cứ: 2 đoạn",
                 "Nơi nhận: 3 nơi", "Người ký: TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH, PHÓ CHỦ TỊCH, Lò Thị Mai"):
        assert item in text
    # the Số and the date are filled into their fields, where the clerk sees and can change them
    assert dialog.number_edit.text() == "57/BC-UBND"  # not in this unit's form (ĐU): kept as written
    assert from_qdate(dialog.report_date_edit.date()) == dt.date(2025, 7, 15)
    dialog.number_edit.setText("15")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15000)
    report = mini.report(dialog.result.report_id)
    header = mini.report_header(report)
    assert (header.number, header.date, header.place) == ("15", dt.date(2025, 7, 15), "Mường Khương")
    assert header.signer.name == "Lò Thị Mai" and header.recipients[-1] == "- Lưu: VT."
    assert UNPLACED_PATH not in report.texts


def test_clicking_the_unplaced_warning_opens_the_unplaced_text(qtbot, mini, tmp_path):
    document = docx.Document()
    document.add_paragraph().add_run("I. KẾT QUẢ").bold = True
    document.add_paragraph().add_run("1. Nông nghiệp").bold = True
    document.add_paragraph("Lúa mùa đạt 549 ha.")
    document.add_paragraph().add_run("III. CÔNG TÁC QUÂN SỰ").bold = True
    document.add_paragraph("Giao quân đạt 100% chỉ tiêu.")
    path = tmp_path / "lệch mục.docx"
    document.save(path)
    report_id = import_docx_report(mini, path, "mini_tuan", "2026-06-01").report_id
    editor = open_editor(qtbot, mini, report_id)
    item = click_finding(qtbot, editor, "unplaced.content")
    assert "Nội dung chưa xếp mục" in item.text(0) or "Nội dung chưa xếp mục" in editor.findings()[0].message
    qtbot.waitUntil(lambda: editor.current_section_path() == UNPLACED_PATH, timeout=WAIT)
    narrative = editor.page.narrative_panel.narrative
    qtbot.waitUntil(lambda: QApplication.focusWidget() is narrative, timeout=WAIT)
    assert "Giao quân đạt 100% chỉ tiêu." in narrative.toPlainText()
