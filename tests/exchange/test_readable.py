"""The readable copy sent with the transfer file (issue 14.6): each report's DOCX (and PDF when a converter
is there) beside the `.baocao`, named as an office names files; off when asked; the receive side passes
over them without a word."""
import datetime as dt
import json
import re
import shutil

import pytest
from docx import Document

from baocao_desktop.domain.dates import Period
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import readable
from baocao_desktop.services.exchange.readable import NAME_LIMIT, readable_stem
from tests.conftest import run_cli
from tests.exchange.conftest import WEEK1, WEEK2, Commune

WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def docx_text(path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def side_files(folder, suffix):
    return sorted(p for p in folder.iterdir() if p.suffix == suffix)


def test_send_writes_each_reports_docx_beside_the_transfer_file(make_commune, stick):
    commune = make_commune()
    first, second = commune.weekly(WEEK1), commune.weekly(WEEK2)
    result = commune.send(stick, readable=True)
    docx = side_files(stick, ".docx")
    assert len(docx) == 2 and sorted(result.readable.files) == docx
    assert {p.name for p in stick.iterdir()} == {result.file_name, *(p.name for p in docx)}  # nothing half-written
    for path, report_id in zip(sorted(docx), (first, second)):
        text = docx_text(path)
        number = commune.ws.report(report_id).number
        assert f"Số {int(number):02d}-BC/ĐU" in text  # the document as signed, with its Số
        assert "BÁO CÁO" in text and "ĐẢNG ỦY XÃ BẢN PHỐ" in text
        assert "DỰ THẢO" not in text  # signed: no draft mark
        assert path.name.startswith(f"{int(number):02d}-BC-ĐU ")
        assert path.name.endswith(" - Đảng ủy xã Bản Phố.docx")
    # the transfer file is the same as without the copies: verified, reports marked sent
    assert sorted(result.marked_sent) == sorted([first, second])
    # no converter on this machine (the fixture): said once, not an error
    assert result.readable.notes == [readable.NO_CONVERTER]
    assert "Kèm bản để đọc (mở được khi không có BaoCao): 2 tệp Word." in result.message()
    assert result.message().count(readable.NO_CONVERTER) == 1


def test_names_are_valid_on_windows_and_unique_in_the_folder(make_commune, stick):
    commune = make_commune()
    ws = commune.ws
    report = commune.weekly(WEEK1, sign=False)
    ws.set_header(report, number="7", subject='Kết quả "Tháng hành động" ở thôn Nà Lùng/Tả Phìn: <đợt 1>?*|')
    ws.sign(report)
    first = commune.send(stick, [report], readable=True, mark_sent=False)
    second = commune.send(stick, [report], readable=True, mark_sent=False)  # the same report sent again
    names = [p.name for p in first.readable.files + second.readable.files]
    assert names[0] == "07-BC-ĐU Kết quả Tháng hành động ở thôn Nà Lùng-Tả Phìn đợt 1 01-06-2026 đến 07-06-2026 " \
                       "- Đảng ủy xã Bản Phố.docx"
    assert names[1] == names[0].replace(".docx", " (2).docx")  # never over the earlier copy
    for name in names:
        assert not WINDOWS_FORBIDDEN.search(name) and len(name) <= NAME_LIMIT + len(".docx") + 10
    assert len({n.casefold() for n in names}) == 2


def test_the_name_is_bounded_and_keeps_number_period_and_unit():
    period = Period("custom", dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    long_subject = "Sơ kết 01 năm vận hành bộ máy của hệ thống chính trị " * 4
    stem = readable_stem("Số 126-BC/ĐU", long_subject, "Báo cáo sơ kết", period, "Đảng ủy xã Lùng Phình")
    assert len(stem) <= NAME_LIMIT
    assert stem.startswith("126-BC-ĐU Sơ kết 01 năm vận hành")
    assert stem.endswith("… 01-07-2025 đến 30-06-2026 - Đảng ủy xã Lùng Phình")
    # a trích yếu that gives its dates is not followed by the period again; the State form's "Số:" goes
    week = Period("week", dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    assert readable_stem("Số: 12/BC-UBND", "Tình hình từ ngày 01/6 đến ngày 07/6/2026", "", week, "UBND xã A") == \
        "12-BC-UBND Tình hình từ ngày 01-6 đến ngày 07-6-2026 - UBND xã A"
    # no Số yet, no trích yếu: the report kind and period
    assert readable_stem("", "", "Báo cáo tuần", week, "Đảng ủy xã A") == \
        "Báo cáo tuần 01-06-2026 đến 07-06-2026 - Đảng ủy xã A"


def test_option_off_writes_no_readable_copy(make_commune, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    result = commune.send(stick, readable=False)
    assert [p.name for p in stick.iterdir()] == [result.file_name]
    assert result.readable is None and result.readable_text() == "" and "Word" not in result.message()


def fake_converter(calls):
    def convert(docx, out):
        calls.append(docx)
        out.write_bytes(b"%PDF-1.4 " + docx.read_bytes()[:4])
        return out
    return "LibreOffice", convert


def test_a_pdf_is_written_beside_each_docx_when_a_converter_is_there(make_commune, stick, monkeypatch):
    commune = make_commune()
    commune.weekly(WEEK1)
    calls = []
    monkeypatch.setattr(ex.send, "pdf_converter", lambda: fake_converter(calls))
    seen = []
    result = commune.send(stick, readable=True, progress=seen.append)
    (docx,), (pdf,) = side_files(stick, ".docx"), side_files(stick, ".pdf")
    assert pdf.stem == docx.stem and pdf.read_bytes().startswith(b"%PDF-1.4 PK")  # made from the DOCX
    assert result.readable.notes == [] and "1 tệp Word, 1 tệp PDF" in result.message()
    assert [p.message for p in seen if p.stage == "readable"][:2] == [
        "Tạo bản Word: Báo cáo tuần Tuần 23 (01/6–07/6/2026)",
        "Tạo bản PDF bằng LibreOffice: Báo cáo tuần Tuần 23 (01/6–07/6/2026)"]
    assert [p.done for p in seen] == sorted(p.done for p in seen) and seen[-1].fraction == 1.0


def test_a_converter_crash_costs_only_the_pdf(make_commune, stick, monkeypatch):
    from baocao_desktop.document.pdf import PdfError
    commune = make_commune()
    report = commune.weekly(WEEK1)

    def crash(docx, out):
        raise PdfError("LibreOffice không tạo được tệp PDF (mã lỗi 139).")
    monkeypatch.setattr(ex.send, "pdf_converter", lambda: ("LibreOffice", crash))
    result = commune.send(stick, readable=True)
    assert result.path.is_file() and commune.ws.report(report).status == "sent"
    assert len(side_files(stick, ".docx")) == 1 and side_files(stick, ".pdf") == []
    assert result.readable.notes == ["Không tạo được bản PDF của “Báo cáo tuần Tuần 23 (01/6–07/6/2026)” bằng "
                                     "LibreOffice: LibreOffice không tạo được tệp PDF (mã lỗi 139)."]


def test_a_full_stick_never_costs_the_transfer_file(make_commune, stick, monkeypatch, upper, tmp_path):
    commune = make_commune()
    report = commune.weekly(WEEK1)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(readable, "write_atomically", full)  # the .baocao fits, its copies do not
    result = commune.send(stick, readable=True)
    assert [p.name for p in stick.iterdir()] == [result.file_name]
    assert commune.ws.report(report).status == "sent"
    (note,) = [n for n in result.readable.notes if n != readable.NO_CONVERTER]
    assert note.startswith("Không ghi được bản để đọc “") and "ổ đĩa đã đầy" in note and "No space" not in note
    assert "Tệp .baocao đã ghi và kiểm tra xong, vẫn gửi được" in note
    ex.register_unit(upper, commune.key_file(tmp_path))
    assert ex.verify_file(upper, result.path).ok


def test_cancel_while_making_the_copies_changes_nothing(make_commune, stick):
    commune = make_commune()
    report = commune.weekly(WEEK1)
    asked = []

    def cancel():  # the user presses Cancel while the Word file is made
        return bool(asked)

    def progress(p):
        if p.stage == "readable":
            asked.append(p)
    with pytest.raises(ex.Cancelled):
        commune.send(stick, readable=True, progress=progress, cancel=cancel)
    assert asked and list(stick.iterdir()) == []
    assert commune.ws.report(report).status == "signed"


def test_a_report_whose_seal_does_not_match_gets_no_copy(make_commune, tmp_path):
    commune = make_commune()
    report = commune.weekly(WEEK1)
    commune.ws.store.conn.execute("UPDATE indicator_values SET value = '999' WHERE report_id = ? "
                                  "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report,))
    copies, notes = readable.make_local_copies(commune.ws, [report], tmp_path)
    assert copies == [] and list(tmp_path.glob("*.docx")) == []
    assert "đã bị thay đổi ngoài chương trình sau khi ký" in notes[0]


def test_receiving_a_folder_with_the_copies_imports_only_the_transfer_files(two_communes, upper, stick):
    a, b = two_communes
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    b.weekly(WEEK2)
    sent = [a.send(stick, readable=True), b.send(stick, readable=True)]
    assert len(side_files(stick, ".docx")) == 3
    result = ex.import_bundles(upper, [stick])
    assert [f.path for f in result.plan.files] == sorted((r.path for r in sent), key=lambda p: str(p).lower())
    assert result.plan.refused == [] and result.counts()["new"] == 3
    # a Word file given by name is still told apart, in Vietnamese
    docx = side_files(stick, ".docx")[0]
    checked = ex.verify_file(upper, docx)
    assert not checked.ok and checked.code in ("not_bundle", "wrong_type") and "SQLite" in checked.message


def test_cli_bundle_export_writes_the_copies_unless_no_readable(tmp_path, blank_db):
    db = tmp_path / "xa.sqlite3"
    commune = Commune(db, "Đảng ủy xã Bản Phố", "Bản Phố", blank=blank_db)
    first, second = commune.weekly(WEEK1), commune.weekly(WEEK2)
    commune.ws.close()
    with_copies, without = tmp_path / "USB1", tmp_path / "USB2"
    with_copies.mkdir()
    without.mkdir()
    code, out, err = run_cli("bundle", "export", "--out", str(with_copies), "--report", first, "--json", "--db", str(db))
    assert code == 0, err
    data = json.loads(out)
    (docx,) = side_files(with_copies, ".docx")
    assert data["readable"] == {"files": [str(docx)], "notes": [readable.NO_CONVERTER]}
    code, out, err = run_cli("bundle", "export", "--out", str(without), "--report", second, "--no-readable",
                             "--db", str(db))
    assert code == 0, err
    assert [p.suffix for p in without.iterdir()] == [".baocao"] and "Word" not in out
    code, out, _ = run_cli("bundle", "export", "--help")
    assert "--no-readable" in out
    shutil.rmtree(with_copies)


@pytest.mark.render
def test_with_libreoffice_the_pdf_is_the_signed_document(make_commune, stick, monkeypatch):
    import sys
    monkeypatch.delenv("BAOCAO_SOFFICE")  # the real converter, where the fixture hid it
    if readable.pdf_converter() is None:
        if sys.platform.startswith("linux"):
            pytest.fail("LibreOffice (soffice) is required for the render tests on Linux")
        pytest.skip("neither LibreOffice nor Word installed")
    pypdf = pytest.importorskip("pypdf")
    commune = make_commune()
    commune.weekly(WEEK1)
    result = commune.send(stick, readable=True)
    (docx,), (pdf,) = side_files(stick, ".docx"), side_files(stick, ".pdf")
    assert pdf.stem == docx.stem and result.readable.notes == []
    text = "".join(page.extract_text() for page in pypdf.PdfReader(str(pdf)).pages)
    assert "BÁO CÁO" in text and "Số 01-BC/ĐU" in text and "DỰ THẢO" not in text
