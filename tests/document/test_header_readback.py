"""Each header item of a report, set per report, read back from its DOCX where it belongs, in both formats
(issue 14 point 8): Số in the header table, địa danh and ngày in the date line, the trích yếu under the
title, the căn cứ as the first body paragraphs, the closing sentence with the end mark, the chosen signer in
the signature block and the report's Nơi nhận list beside it."""
import docx
import pytest

from baocao_desktop.document.formats import load_format
from tests.document.test_format_readback import check_spacing, check_text

UNITS = {
    "party": dict(name="Đảng ủy xã Lùng Phình", upper_body="Đảng bộ tỉnh Lào Cai", symbol="ĐU", format="party"),
    "state": dict(name="Ủy ban nhân dân xã Lùng Phình", upper_body="", symbol="UBND", format="state"),
}
SIGNERS = {
    "party": {"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "Phó Bí thư", "name": "Lò Văn Pó"},
    "state": {"on_behalf": "TM. Ủy ban nhân dân\nKT. Chủ tịch", "title": "Phó Chủ tịch", "name": "Lý Văn Sử"},
}
NUMBER_LINES = {"party": "Số 07-BC/ĐU", "state": "Số: 07/BC-UBND"}
BASIS = ("Thực hiện Kế hoạch số 62-KH/TU, ngày 01/4/2026 của Ban Thường vụ Tỉnh ủy về chuyển đổi số;",
         "Căn cứ tình hình thực tế tại địa phương, Ban Thường vụ Đảng ủy xã báo cáo như sau:")
RECIPIENTS = ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Văn phòng Tỉnh ủy (b/c),", "Lưu Văn phòng."]


@pytest.fixture(params=("party", "state"))
def exported(request, workspace, tmp_path):
    code = request.param
    ws = workspace
    ws.save_unit(place_name="Lùng Phình", **UNITS[code])
    ws.set_signers([{"on_behalf": "", "title": "BÍ THƯ", "name": "Giàng A Lử"}])
    report = ws.create_report("bc_tuan", "2026-06-01")
    ws.set_section_text(report.id, "I", "Tình hình chính trị ổn định.")
    ws.set_header(report.id, number="7", report_date="08/6/2026", place="Bản Mế",
                  subject="Kết quả thực hiện chuyên đề chuyển đổi số", basis="\n".join(BASIS),
                  closing="Trên đây là báo cáo kết quả chuyên đề chuyển đổi số của xã",
                  recipients=RECIPIENTS, signer=SIGNERS[code])
    path = ws.export_docx(report.id, tmp_path / f"{code}.docx")
    return code, load_format(code), docx.Document(str(path))


def styled(doc, style_id):
    return [p for p in doc.paragraphs if p.style is not None and p.style.style_id == style_id]


def test_number_place_and_date_in_the_header_table(exported):
    code, fmt, doc = exported
    last = doc.tables[0].rows[-1]
    assert last.cells[0].text == NUMBER_LINES[code]
    assert last.cells[1].text == "Bản Mế, ngày 08 tháng 6 năm 2026"


def test_subject_under_the_title_and_basis_as_the_first_body_paragraphs(exported):
    code, fmt, doc = exported
    body = [p for p in doc.paragraphs if p.style is not None]
    ids = [p.style.style_id for p in body]
    title = ids.index("DocTitle")
    assert ids[title + 1:title + 3] == ["DocSummary", "SummaryRule"]
    assert body[title + 1].text == "Kết quả thực hiện chuyên đề chuyển đổi số"
    # the căn cứ: right under the rule, before the first heading, one paragraph per line, as body text
    assert [p.text for p in body[title + 3:title + 5]] == list(BASIS)
    assert ids[title + 3:title + 6] == ["Basis", "Basis", "Heading1"]
    check_text(doc, "Basis", fmt.body.text, fmt)
    check_spacing(doc, "Basis", fmt.body.spacing)


def test_closing_with_the_end_mark_before_the_signature(exported):
    code, fmt, doc = exported
    closing = styled(doc, "Closing")
    assert [p.text for p in closing] == ["Trên đây là báo cáo kết quả chuyên đề chuyển đổi số của xã./."]
    # the closing is the last paragraph before the signature table
    body = doc.element.body
    children = list(body)
    assert children.index(closing[0]._p) < children.index(doc.tables[-1]._tbl)
    assert [p for p in doc.paragraphs if p.text.strip()][-1].text == closing[0].text


def test_chosen_signer_and_recipients_in_the_signature_block(exported):
    code, fmt, doc = exported
    left, right = doc.tables[-1].cell(0, 0), doc.tables[-1].cell(0, 1)
    signer = SIGNERS[code]
    assert [p.text for p in right.paragraphs] == [signer["on_behalf"].upper(), signer["title"].upper(), "",
                                                  signer["name"]]
    assert [p.style.style_id for p in right.paragraphs] == ["SignerAuthority", "SignerTitle", "SignatureSpace",
                                                            "SignerName"]
    # the report's own list; a line without a dash gets the format's
    assert [p.text for p in left.paragraphs] == [fmt.recipients.label] + RECIPIENTS[:2] + ["- Lưu Văn phòng."]
    assert [p.style.style_id for p in left.paragraphs] == ["RecipientsLabel"] + ["RecipientItem"] * 3
