"""The header and closing of each report (issue 14 point 1): defaults from the unit and the template when a
report is created (and for reports stored before them), per-report edits through the Workspace and the
EditSession, locking once signed, and `report show --json` / `report fill`'s "header"."""
import datetime as dt
import json
import re

import pytest

from baocao_desktop.domain.model import SignerLines
from baocao_desktop.services.editing import EditSession
from baocao_desktop.services.errors import ServiceError
from tests.conftest import run_cli

RECIPIENTS = ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng."]


@pytest.fixture
def report(mini):
    mini.set_signers([{"on_behalf": "", "title": "BÍ THƯ", "name": "Giàng A Lử"},
                      {"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "name": "Lò Văn Pó"}])
    return mini.create_report("mini_tuan", "2026-06-01", number="112", report_date="2026-06-08")


def test_a_new_report_starts_with_the_unit_and_template_header(mini, report):
    header = mini.report_json(report.id)["header"]
    assert header == {
        "number": "112", "date": "2026-06-08", "place": "Lùng Phình",
        "subject": "Khái quát tình hình từ ngày 01/6 đến ngày 07/6/2026",
        "basis": "",
        "closing": "Trên đây là báo cáo của Đảng ủy xã Lùng Phình./.",
        "recipients": RECIPIENTS,
        # the first signer; a signer without a T/M line takes the template's
        "signer": {"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Giàng A Lử"},
    }
    # stored with the report: renaming the unit later does not change this report's closing
    stored = mini.report(report.id)
    assert stored.subject == header["subject"] and stored.closing == header["closing"]
    assert stored.signer == SignerLines("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Giàng A Lử")
    mini.save_unit(name="Đảng ủy xã Lùng Phình Mới")
    assert mini.report_json(report.id)["header"]["closing"] == header["closing"]


def test_a_report_stored_without_them_takes_the_same_defaults(mini, report):
    # as a report made before schema 4: nothing stored but the signer chosen
    mini.store.conn.execute("UPDATE reports SET subject = NULL, closing = NULL, signer_on_behalf = NULL, "
                            "signer_title = NULL, signer_name = NULL, recipients = '[]', place = '' WHERE id = ?",
                            (report.id,))
    old = mini.report(report.id)
    assert (old.subject, old.closing, old.signer) == (None, None, None)
    header = mini.report_header(old)
    assert header.subject == "Khái quát tình hình từ ngày 01/6 đến ngày 07/6/2026"
    assert header.closing == "Trên đây là báo cáo của Đảng ủy xã Lùng Phình./."
    assert list(header.recipients) == RECIPIENTS and header.place == "Lùng Phình"
    assert header.signer == SignerLines("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Giàng A Lử")
    # its content hash is the one it had before the header was stored (signed reports stay valid)
    assert "document" not in json.dumps(old.content_digest())
    model = mini.document_model(report.id)
    assert (model.summary, model.closing, model.recipients) == (header.subject, header.closing,
                                                                tuple(RECIPIENTS))
    assert (model.signer.on_behalf, model.signer.name) == ("T/M BAN THƯỜNG VỤ", "Giàng A Lử")


def test_signing_stores_what_prints_and_the_hash_covers_it(mini, report):
    mini.store.conn.execute("UPDATE reports SET subject = NULL, closing = NULL, signer_on_behalf = NULL, "
                            "signer_title = NULL, signer_name = NULL WHERE id = ?", (report.id,))
    mini.set_section_text(report.id, "I.1", "Lúa mùa đạt kế hoạch.")
    mini.set_section_text(report.id, "II", "Tiếp tục chỉ đạo.")
    mini.sign(report.id)
    signed = mini.report(report.id)
    assert signed.subject == "Khái quát tình hình từ ngày 01/6 đến ngày 07/6/2026"
    assert signed.signer.name == "Giàng A Lử"
    assert signed.content_hash == signed.content_digest() and mini.verify_signed(report.id)
    # the unit's signers change: the signed report still prints who signed it
    mini.set_signers([{"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Người Khác"}])
    assert mini.document_model(report.id).signer.name == "Giàng A Lử"
    # a change behind the program's back is caught
    mini.store.conn.execute("UPDATE reports SET signer_name = 'Giả Mạo' WHERE id = ?", (report.id,))
    assert not mini.verify_signed(report.id)


def test_every_item_is_set_per_report_and_normalised(mini, report):
    mini.set_header(report.id, place=" Bản Mế ", subject="Kết quả thực hiện chuyên đề\nchuyển đổi số",
                    basis="Thực hiện Kế hoạch số 62-KH/TU, ngày 01/4/2026 của Ban Thường vụ Tỉnh ủy;\n\n"
                          "  Ban Thường vụ Đảng ủy xã báo cáo như sau:  ",
                    closing="Trên đây là báo cáo chuyên đề.", recipients="- Tỉnh ủy (b/c),\n\n- Lưu.\n",
                    signer={"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "name": "Lò Văn Pó"})
    header = mini.report_json(report.id)["header"]
    assert header["place"] == "Bản Mế"
    assert header["subject"] == "Kết quả thực hiện chuyên đề chuyển đổi số"  # one paragraph
    assert header["basis"] == ("Thực hiện Kế hoạch số 62-KH/TU, ngày 01/4/2026 của Ban Thường vụ Tỉnh ủy;\n"
                               "Ban Thường vụ Đảng ủy xã báo cáo như sau:")
    assert header["recipients"] == ["- Tỉnh ủy (b/c),", "- Lưu."]
    assert header["signer"] == {"on_behalf": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "name": "Lò Văn Pó"}
    # choosing one of the unit's signers by id prints that signer
    second = mini.signers()[1]
    mini.set_header(report.id, signer_id=second.id)
    assert mini.report(report.id).signer == SignerLines("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Lò Văn Pó")
    with pytest.raises(ServiceError, match="không có trong danh sách"):
        mini.set_header(report.id, signer_id="khong-co")
    logged = {r["entity_key"] for r in mini.revisions(report.id) if r["entity"] == "header"}
    assert {"subject", "basis", "closing", "recipients", "signer_name", "place"} <= logged


def test_edit_session_saves_header_items_and_respects_the_lock(mini, report):
    session = EditSession(mini, report.id)
    assert session.header_value("subject") == "Khái quát tình hình từ ngày 01/6 đến ngày 07/6/2026"
    session.edit_header_items(subject="Tình hình tuần đầu tháng 6", basis="Thực hiện Công văn số 5-CV/TU.",
                              recipients="- Tỉnh ủy,\n- Lưu.", closing="Trên đây là báo cáo tuần.",
                              signer=SignerLines("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Lò Văn Pó"), signer_id=None,
                              place="Lùng Phình", number="113", report_date=dt.date(2026, 6, 9))
    assert session.header_value("subject") == "Tình hình tuần đầu tháng 6"  # shown while pending
    assert session.flush().saved and not session.has_pending_changes()
    header = mini.report_header(mini.report(report.id))
    assert (header.subject, header.basis, header.closing, header.number, header.date) == (
        "Tình hình tuần đầu tháng 6", "Thực hiện Công văn số 5-CV/TU.", "Trên đây là báo cáo tuần.", "113",
        dt.date(2026, 6, 9))
    assert header.recipients == ("- Tỉnh ủy,", "- Lưu.") and header.signer.name == "Lò Văn Pó"
    assert session.header == header and session.header_state() == "filled"
    assert session.default_header().subject == "Khái quát tình hình từ ngày 01/6 đến ngày 07/6/2026"
    # signed: nothing is taken, the service refuses too
    mini.set_section_text(report.id, "I.1", "Lúa mùa đạt kế hoạch.")
    mini.set_section_text(report.id, "II", "Tiếp tục chỉ đạo.")
    mini.sign(report.id)
    locked = EditSession(mini, report.id)
    locked.edit_header_items(subject="Sửa sau khi ký")
    assert not locked.has_pending_changes()
    with pytest.raises(ServiceError, match="bị khóa"):
        mini.set_header(report.id, subject="Sửa sau khi ký")


def test_header_state_says_what_is_missing(mini, report):
    mini.set_header(report.id, number="")
    assert EditSession(mini, report.id).header_state() == "partial"


def test_show_then_fill_round_trips_the_header(mini, report, tmp_path):
    db = str(mini.path)
    code, out, err = run_cli("report", "show", report.id, "--db", db, "--json")
    assert code == 0, err
    shown = json.loads(out)
    shown["header"].update(number="120", date="2026-06-09", place="Bản Mế", subject="Chuyên đề chuyển đổi số",
                           basis="Thực hiện Kế hoạch số 62-KH/TU, ngày 01/4/2026;\nĐảng ủy xã báo cáo như sau:",
                           closing="Trên đây là báo cáo chuyên đề./.", recipients=["- Tỉnh ủy (b/c),", "- Lưu."],
                           signer={"on_behalf": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH",
                                   "name": "Lý Văn Sử"})
    path = tmp_path / "fill.json"
    path.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("report", "fill", report.id, "--from", str(path), "--db", db)
    assert code == 0, err
    code, out, err = run_cli("report", "show", report.id, "--db", db, "--json")
    assert json.loads(out)["header"] == shown["header"]
    # fill merges what it is given: one signer line, nothing else changes
    path.write_text(json.dumps({"header": {"signer": {"name": "Lò Văn Pó"}}}), encoding="utf-8")
    assert run_cli("report", "fill", report.id, "--from", str(path), "--db", db)[0] == 0
    again = json.loads(run_cli("report", "show", report.id, "--db", db, "--json")[1])["header"]
    assert again == {**shown["header"], "signer": {**shown["header"]["signer"], "name": "Lò Văn Pó"}}


@pytest.mark.parametrize("header, message", [
    ({"recipients": "x", "signer": 5}, "Người ký (“signer”) phải là đối tượng"),
    ({"recipients": [1, 2]}, "Nơi nhận (“recipients”) phải là danh sách chuỗi"),
    ({"trich_yeu": "x"}, "không có trường “trich_yeu”"),
    ({"subject": ["a"]}, "“subject”: phải là chuỗi"),
])
def test_fill_refuses_a_bad_header_and_writes_nothing(mini, report, header, message):
    before = mini.report_json(report.id)["header"]
    with pytest.raises(ServiceError, match=re.escape(message)):
        mini.fill_report(report.id, {"header": {"closing": "đổi", **header}})
    assert mini.report_json(report.id)["header"] == before
