"""“Thông tin văn bản” in the report editor (issue 14 points 1 and 8): every header item set through the
widgets, autosaved, printed where it belongs in the DOCX and the print preview; read-only once signed."""
from __future__ import annotations

import docx
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QDate, QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from baocao_desktop.ui.editor.header_page import TYPED_SIGNER  # noqa: E402
from baocao_desktop.ui.editor.navigator import HEADER_PATH, HEADER_TITLE  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402
from tests.ui.test_report_editor import WAIT, open_editor  # noqa: E402
from tests.ui.test_report_editor import _close_editors_before_the_database  # noqa: E402,F401

BASIS = ["Thực hiện Kế hoạch số 62-KH/TU, ngày 01/4/2026 của Ban Thường vụ Tỉnh ủy;",
         "Ban Thường vụ Đảng ủy xã Lùng Phình báo cáo như sau:"]


def key(widget, code) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier))


def type_lines(widget, lines: list[str]) -> None:
    """Replace a text box's content by `lines`, typed with Enter between them."""
    widget.setFocus()
    widget.selectAll()
    key(widget, Qt.Key.Key_Delete)
    for index, line in enumerate(lines):
        if index:
            key(widget, Qt.Key.Key_Return)
        type_text(widget, line)


def replace_line(widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    type_text(widget, text)


@pytest.fixture
def report(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Lùng Phình",
                        symbol="ĐU")
    workspace.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Giàng A Lử"},
                           {"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "name": "Lò Văn Pó"}])
    report = workspace.create_report("bc_tuan", "2026-06-01")
    workspace.set_section_text(report.id, "I", "Tình hình chính trị ổn định.")
    return report


def open_header_page(qtbot, editor):
    """Click the navigator's first entry, as a user would."""
    item = editor.navigator_panel.items[HEADER_PATH]
    assert editor.navigator.topLevelItem(0) is item and item.text(0) == HEADER_TITLE
    editor.navigator.setCurrentItem(item)
    qtbot.waitUntil(lambda: editor.pages.currentWidget() is editor.header_page, timeout=WAIT)
    return editor.header_page


def test_every_header_item_set_in_the_editor_prints_in_the_docx(qtbot, workspace, report, tmp_path):
    editor = open_editor(qtbot, workspace, report.id)
    page = open_header_page(qtbot, editor)
    # prefilled from the unit and the template
    assert page.place_edit.text() == "Lùng Phình"
    assert page.subject_edit.toPlainText() == "Khái quát tình hình từ ngày 01/6 đến ngày 07/6/2026"
    assert page.recipients_edit.toPlainText().splitlines()[0] == "- Ban Thường vụ Tỉnh ủy (b/c),"
    assert (page.signer_combo.currentText(), page.name_edit.text()) == ("Giàng A Lử — BÍ THƯ", "Giàng A Lử")

    replace_line(page.number_edit, "7")
    assert editor.number_edit.text() == "7"  # the header strip shows the same number
    page.date_edit.setDate(QDate(2026, 6, 9))
    replace_line(page.place_edit, "Bản Mế")
    type_lines(page.subject_edit, ["Kết quả thực hiện chuyên đề chuyển đổi số"])
    type_lines(page.basis_edit, BASIS)
    type_lines(page.closing_edit, ["Trên đây là báo cáo chuyên đề chuyển đổi số của Ban Thường vụ"])
    type_lines(page.recipients_edit, ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng Đảng ủy."])
    # the Phó Bí thư signs: chosen in the list, then the title typed over
    page.signer_combo.setFocus()
    key(page.signer_combo, Qt.Key.Key_Down)
    assert page.signer_combo.currentText() == "Lò Văn Pó — PHÓ BÍ THƯ"
    assert (page.title_edit.text(), page.name_edit.text()) == ("PHÓ BÍ THƯ", "Lò Văn Pó")
    replace_line(page.title_edit, "PHÓ BÍ THƯ THƯỜNG TRỰC")
    assert page.signer_combo.currentText() == TYPED_SIGNER

    qtbot.waitUntil(lambda: not editor.has_pending_changes(), timeout=WAIT)
    stored = workspace.report_json(report.id)["header"]
    assert stored == {
        "number": "7", "date": "2026-06-09", "place": "Bản Mế",
        "subject": "Kết quả thực hiện chuyên đề chuyển đổi số", "basis": "\n".join(BASIS),
        "closing": "Trên đây là báo cáo chuyên đề chuyển đổi số của Ban Thường vụ",
        "recipients": ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng Đảng ủy."],
        "signer": {"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ THƯỜNG TRỰC", "name": "Lò Văn Pó"}}
    assert editor.navigator_panel.items[HEADER_PATH].data(0, Qt.ItemDataRole.UserRole + 1) == "filled"

    doc = docx.Document(str(workspace.export_docx(report.id, tmp_path / "bc.docx")))
    assert doc.tables[0].rows[-1].cells[0].text == "Số 07-BC/ĐU"
    assert doc.tables[0].rows[-1].cells[1].text == "Bản Mế, ngày 09 tháng 6 năm 2026"
    texts = [(p.style.style_id, p.text) for p in doc.paragraphs if p.text.strip()]
    summary = texts.index(("DocSummary", "Kết quả thực hiện chuyên đề chuyển đổi số"))
    assert texts[summary + 2:summary + 4] == [("Basis", BASIS[0]), ("Basis", BASIS[1])]
    assert texts[summary + 4][0] == "Heading1"
    assert texts[-1] == ("Closing", "Trên đây là báo cáo chuyên đề chuyển đổi số của Ban Thường vụ./.")
    left, right = doc.tables[-1].cell(0, 0), doc.tables[-1].cell(0, 1)
    assert [p.text for p in right.paragraphs] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "", "Lò Văn Pó"]
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Ban Thường vụ Tỉnh ủy (b/c),",
                                                 "- Lưu Văn phòng Đảng ủy."]


def test_theo_mau_brings_back_the_templates_text(qtbot, workspace, report):
    editor = open_editor(qtbot, workspace, report.id)
    page = open_header_page(qtbot, editor)
    type_lines(page.closing_edit, ["Câu kết tạm"])
    qtbot.mouseClick(page.closing_reset, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.has_pending_changes(), timeout=WAIT)
    assert workspace.report(report.id).closing.startswith("Trên đây là Báo cáo khái quát kết quả lãnh đạo")


def test_a_finding_on_a_header_item_opens_the_page_at_its_field(qtbot, workspace, report):
    editor = open_editor(qtbot, workspace, report.id)
    editor.focus_field("header.recipients")
    assert editor.pages.currentWidget() is editor.header_page
    qtbot.waitUntil(lambda: editor.header_page.recipients_edit.hasFocus(), timeout=WAIT)


def test_the_preview_prints_the_same_header_items(qtbot, workspace, report):
    from baocao_desktop.ui.print_document import PrintDocument
    from tests.ui.test_print import preview_paragraph_texts
    workspace.set_header(report.id, basis="\n".join(BASIS), subject="Chuyên đề chuyển đổi số",
                         signer={"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "name": "Lò Văn Pó"})
    texts = preview_paragraph_texts(PrintDocument(workspace.document_model(report.id)))
    summary = texts.index("Chuyên đề chuyển đổi số")
    assert texts[summary + 2:summary + 4] == BASIS
    closing = next(i for i, t in enumerate(texts) if t.startswith("Trên đây là"))
    after = texts[closing + 1:]
    assert after.index("T/M BAN THƯỜNG VỤ") < after.index("PHÓ BÍ THƯ") < after.index("Lò Văn Pó")
    assert "- Lưu Văn phòng Đảng ủy." in after


def test_signed_report_header_page_is_read_only(qtbot, workspace, report):
    with workspace.store.transaction() as db:
        db["reports"].update(report.id, {"status": "signed"})
    editor = open_editor(qtbot, workspace, report.id)
    page = open_header_page(qtbot, editor)
    assert page.subject_edit.isReadOnly() and page.basis_edit.isReadOnly() and page.name_edit.isReadOnly()
    assert page.recipients_edit.isReadOnly() and page.place_edit.isReadOnly()
    assert not page.signer_combo.isEnabled() and not page.closing_reset.isEnabled()
    type_text(page.name_edit, "Sửa")
    assert not editor.has_pending_changes()
