"""Exporting by status: a draft is marked and says its open errors; a signed report exports unmarked; a signed
report whose content no longer matches its seal exports nothing (service and command line) and says why."""
import json
import zipfile

import pytest
from lxml import etree

from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.signoff import ExportNotice
from tests.conftest import run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAMPERED = "nội dung đã bị thay đổi ngoài chương trình sau khi ký"


def texts(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


@pytest.fixture
def week(demo_workspace):
    return demo_workspace, [r for r in demo_workspace.list_reports() if r.template_code == "bc_tuan"][-1]


def tamper(ws, report_id):
    ws.store.conn.execute("UPDATE indicator_values SET value = '600' WHERE report_id = ? "
                          "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report_id,))
    ws.store.conn.commit()


def test_draft_is_marked_signed_is_not(week, tmp_path):
    ws, report = week
    draft = ws.export_docx(report.id, tmp_path / "du-thao.docx")
    assert [t for t in texts(draft) if t.strip()][0] == "DỰ THẢO"
    notice = ws.export_notice(report.id)
    assert notice == ExportNotice("draft", 0, 0) and notice.is_draft
    assert notice.text() == "Bản dự thảo (có dấu “DỰ THẢO”, chưa ký): không còn lỗi."
    ws.sign(report.id)
    signed = ws.export_docx(report.id, tmp_path / "da-ky.docx")
    assert "DỰ THẢO" not in texts(signed)
    assert ws.export_notice(report.id) == ExportNotice("signed") and ws.export_notice(report.id).text() == ""
    assert ws.open_error_count(report.id) == 0


def test_open_errors_are_counted(week):
    ws, report = week
    ws.set_value(report.id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")  # the cumulative no longer adds up
    assert ws.open_error_count(report.id) == 1
    assert ws.export_notice(report.id).text() == "Bản dự thảo (có dấu “DỰ THẢO”, chưa ký): còn 1 lỗi phải sửa."


def test_tampered_signed_report_exports_and_prints_nothing(week, tmp_path):
    ws, report = week
    ws.sign(report.id)
    tamper(ws, report.id)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ServiceError, match=TAMPERED) as raised:
        ws.export_docx(report.id, folder / "bao-cao.docx")
    assert "mở khóa" in str(raised.value) and "Đã ký" in str(raised.value)
    assert list(folder.iterdir()) == []  # nothing written
    with pytest.raises(ServiceError, match=TAMPERED):  # print preview and PDF start from the model too
        ws.document_model(report.id)


def test_cli_export_says_the_draft_and_refuses_a_tampered_report(week, tmp_path):
    ws, report = week
    db = str(ws.store.path)
    out_docx = tmp_path / "a.docx"
    code, out, err = run_cli("export", report.id, "--db", db, "--docx", str(out_docx))
    assert code == 0, err
    assert out.splitlines() == [f"Đã xuất {out_docx}", "Bản dự thảo (có dấu “DỰ THẢO”, chưa ký): không còn lỗi."]
    code, out, err = run_cli("export", report.id, "--db", db, "--docx", str(out_docx), "--json")
    assert json.loads(out) == {"docx": str(out_docx), "draft": True, "open_errors": 0, "open_warnings": 0}
    ws.sign(report.id)
    code, out, err = run_cli("export", report.id, "--db", db, "--docx", str(out_docx), "--json")
    assert code == 0 and json.loads(out)["draft"] is False
    tamper(ws, report.id)
    out_docx.unlink()
    code, out, err = run_cli("export", report.id, "--db", db, "--docx", str(out_docx))
    assert code == 2 and TAMPERED in err and not out_docx.exists()
