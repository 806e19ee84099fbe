"""Schema 4 (the header of each report): a database of schema 3 upgrades; its signed report still matches
its seal, and the reports that stored no trích yếu, closing or signer print the template's and the unit's."""
import shutil
from pathlib import Path

from baocao_desktop.domain.model import SignerLines
from baocao_desktop.services.workspace import Workspace

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "schema_0003.sqlite"


def test_a_schema_3_database_upgrades_and_its_signed_report_stays_valid(tmp_path):
    copy = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, copy)
    ws = Workspace(copy, author="tester")
    signed = ws.report("r2")
    assert (signed.subject, signed.closing, signed.signer) == (None, None, None)
    assert ws.verify_signed("r2") and ws.integrity_findings(signed) == []
    header = ws.report_header(signed)
    assert header.subject == "Từ ngày 08/6/2026 đến ngày 14/6/2026"
    assert header.closing == "Trên đây là báo cáo tuần của Đảng ủy xã Lùng Phình./."
    # the signer has no T/M line of its own: the template's default one
    assert header.signer == SignerLines("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Giàng A Lử")
    assert header.recipients == ("- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu.")
    # the draft: no Nơi nhận stored → the template's; its căn cứ prints as the first body paragraph
    draft = ws.report_json("r1")["header"]
    assert draft["recipients"] == ["- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng Đảng ủy."]
    model = ws.document_model("r1")
    assert model.basis == ("Thực hiện Công văn số 12-CV/TU, ngày 01/6/2026 của Văn phòng Tỉnh ủy, Thường trực "
                           "Đảng ủy xã báo cáo như sau:",)
    ws.set_header("r1", subject="Tình hình tuần đầu tháng 6", signer={"title": "PHÓ BÍ THƯ", "name": "Lò Văn Pó"})
    assert ws.report_json("r1")["header"]["signer"] == {"on_behalf": "", "title": "PHÓ BÍ THƯ", "name": "Lò Văn Pó"}
    ws.close()
