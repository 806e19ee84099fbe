"""Word import, issue 15.1 and 15.6: the front matter and closing of a .docx (Số, place and date, trích yếu,
căn cứ, closing sentence, Nơi nhận, signer) go to the report's header items, whatever their shape (tables,
centred blocks, plain paragraphs; Party and State format), never to a section or to "Nội dung chưa xếp
mục"; unplaced content is a warning that blocks signing until moved or given a giải trình.

The corpus is tests/fixtures/word_import/ (written by make_fixtures.py; expected.json says what each gives)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from baocao_desktop.domain.dates import CALENDAR_MONTHS, calendar_period

from baocao_desktop.domain import richtext
from baocao_desktop.services.docx_import import import_docx_report
from baocao_desktop.services.signoff import SignOffBlocked
from baocao_desktop.services.workspace import UNPLACED_PATH
from tests.conftest import run_cli

docx = pytest.importorskip("docx")

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "word_import"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
WEEK = "2026-06-01"
BODY = {"I.1": "Diện tích lúa mùa đạt 549/650 ha.", "II": "Tiếp tục chỉ đạo sản xuất vụ mùa."}


def as_state_unit(ws) -> None:
    ws.save_unit(name="UBND xã Mường Khương", upper_body="Ủy ban nhân dân tỉnh Lào Cai", place_name="Mường Khương",
                 symbol="UBND", format="state")


def header_texts(item: dict) -> list[str]:
    """Every text of the front matter and closing, as the file writes it."""
    signer = item["signer"]
    return ([f"Số {item['number']}", item["subject"], item["closing"]] + item["basis"] + item["recipients"]
            + signer["on_behalf"].splitlines() + [signer["title"], signer["name"]])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_front_matter_and_closing_go_to_the_header(mini, name):
    want = EXPECTED[name]
    state = name.startswith("state")
    if state:
        as_state_unit(mini)
    result = import_docx_report(mini, CORPUS / f"{name}.docx", "mini_tuan", WEEK)
    report = mini.report(result.report_id)
    header = mini.report_header(report).to_json()
    # the Số in the unit's numbering form is kept as the number alone; the symbol is printed from the unit
    assert header["number"] == want["number"].split("/" if state else "-")[0]
    assert header["date"] == want["date"]
    assert header["place"] == want["place"]
    assert header["subject"] == want["subject"]
    assert header["basis"] == "\n".join(want["basis"])
    assert header["closing"] == want["closing"]
    assert header["recipients"] == want["recipients"]
    assert header["signer"] == want["signer"]
    # the body is the two sections, and nothing of the front matter or the closing is in any section
    assert {k: v for k, v in report.texts.items() if v} == BODY
    assert UNPLACED_PATH not in report.texts and result.unplaced_paragraphs == 0
    assert not any(line.strip() and line in text for text in report.texts.values() for line in header_texts(want))
    assert not [f for f in mini.check(report.id) if f.code == "unplaced.content"]


def test_corpus_as_the_import_reads_it(mini):
    """What the file states, before it is applied to a report (the dialog and the command line show it)."""
    from baocao_desktop.services.docx_import import plan_import, read_docx
    template = mini.template("mini_tuan")
    for name, want in EXPECTED.items():
        found = plan_import(template, read_docx(CORPUS / f"{name}.docx"))[2].header.to_json()
        assert found == {**want, "basis": "\n".join(want["basis"])}, name


def test_a_number_and_date_given_by_the_user_win_over_the_files(mini):
    result = import_docx_report(mini, CORPUS / "party_tables.docx", "mini_tuan", WEEK, number="12",
                                report_date="2026-06-08")
    report = mini.report(result.report_id)
    assert (report.number, report.report_date) == ("12", dt.date(2026, 6, 8))
    assert "number" not in result.header_set and "report_date" not in result.header_set


def test_items_the_report_prints_anyway_stay_linked_to_their_default(mini):
    """The unit's own signer in the file: the report keeps that signer (chosen, not typed); another
    signer is set as the file writes it."""
    result = import_docx_report(mini, CORPUS / "party_tables.docx", "mini_tuan", WEEK)
    assert "signer" not in result.header_set and "place" not in result.header_set
    assert mini.report(result.report_id).signer_id == mini.signers()[0].id
    as_state_unit(mini)
    other = import_docx_report(mini, CORPUS / "state_tables_kt.docx", "mini_tuan", "2026-06-08")
    assert {"signer", "recipients"} <= set(other.header_set) and "place" not in other.header_set
    assert "Lò Thị Mai" in other.summary() and "Thông tin văn bản" in other.summary()


def test_body_text_after_the_basis_is_not_basis(mini, tmp_path):
    """The căn cứ ends with "… như sau:"; a paragraph between it and the first heading is body text
    (unplaced, so it is seen), never part of the căn cứ."""
    document = docx.Document()
    document.add_paragraph("BÁO CÁO")
    document.add_paragraph("Thực hiện Kế hoạch số 12-KH/TU, Đảng ủy xã báo cáo như sau:")
    document.add_paragraph("Trong tuần, tình hình an ninh trật tự ổn định.")
    document.add_paragraph().add_run("I. KẾT QUẢ").bold = True
    document.add_paragraph().add_run("1. Nông nghiệp").bold = True
    document.add_paragraph("Lúa mùa đạt 549 ha.")
    path = tmp_path / "có đoạn mở đầu.docx"
    document.save(path)
    result = import_docx_report(mini, path, "mini_tuan", WEEK)
    report = mini.report(result.report_id)
    assert report.basis == "Thực hiện Kế hoạch số 12-KH/TU, Đảng ủy xã báo cáo như sau:"
    assert report.texts[UNPLACED_PATH] == "Trong tuần, tình hình an ninh trật tự ổn định."


def test_closing_without_nơi_nhận_and_a_signature_alone(mini, tmp_path):
    """A file that ends with its closing sentence and a signature block (no Nơi nhận): the signature is
    the header's, never text of the last section."""
    document = docx.Document()
    document.add_paragraph().add_run("II. PHƯƠNG HƯỚNG").bold = True
    document.add_paragraph("Tiếp tục chỉ đạo sản xuất vụ mùa.")
    for line in ("T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "(Ký, đóng dấu)", "Vàng Thị Dế"):
        document.add_paragraph(line)
    path = tmp_path / "chỉ có chữ ký.docx"
    document.save(path)
    result = import_docx_report(mini, path, "mini_tuan", WEEK)
    report = mini.report(result.report_id)
    assert report.texts["II"] == "Tiếp tục chỉ đạo sản xuất vụ mùa."
    assert mini.report_header(report).to_json()["signer"] == {"on_behalf": "T/M ĐẢNG ỦY", "title": "PHÓ BÍ THƯ",
                                                              "name": "Vàng Thị Dế"}
    assert mini.report_header(report).recipients == ("- Ban Thường vụ Tỉnh ủy (b/c),", "- Lưu Văn phòng.")


def test_every_demo_report_comes_back_with_its_header(demo_workspace, tmp_path):
    ws = demo_workspace
    start = dt.date(2027, 1, 4)
    for index, source in enumerate(ws.list_reports()):
        path = ws.export_docx(source.id, tmp_path / f"{index}.docx")
        week = start + dt.timedelta(days=7 * index)
        end = None if source.period.kind == "week" else week + dt.timedelta(days=27)
        if source.period.kind in CALENDAR_MONTHS:  # a month, quarter… must be the calendar's: one year each
            week, end = _calendar_bounds(source.period.kind, dt.date(2027 + index, 1, 1))
        result = import_docx_report(ws, path, source.template_code, week, end)
        original, imported = ws.report(source.id), ws.report(result.report_id)
        assert ws.report_header(imported).to_json() == ws.report_header(original).to_json(), source.template_code
        assert result.unplaced_paragraphs == 0


def test_cli_says_what_went_to_the_header(mini, tmp_path):
    db = str(mini.store.path) if hasattr(mini.store, "path") else None
    if db is None:
        pytest.skip("the workspace does not expose its database path")
    code, out, err = run_cli("--db", db, "--json", "report", "import-docx", str(CORPUS / "party_tables.docx"),
                             "--template", "mini_tuan", "--period", WEEK)
    assert code == 0, err
    data = json.loads(out)
    assert data["header"]["signer"]["name"] == "Giàng A Lử"
    assert data["header"]["recipients"] == EXPECTED["party_tables"]["recipients"]
    assert "number" in data["header_set"]


# -- 15.6: unplaced content is a finding -----------------------------------------------------------------
@pytest.fixture
def unplaced_report(mini, tmp_path):
    document = docx.Document()
    document.add_paragraph().add_run("I. KẾT QUẢ").bold = True
    document.add_paragraph().add_run("1. Nông nghiệp").bold = True
    document.add_paragraph("Lúa mùa đạt 549 ha.")
    document.add_paragraph().add_run("III. CÔNG TÁC QUÂN SỰ").bold = True
    document.add_paragraph("Giao quân đạt 100% chỉ tiêu.")
    document.add_paragraph().add_run("II. PHƯƠNG HƯỚNG").bold = True
    document.add_paragraph("Tiếp tục chỉ đạo vụ mùa.")
    path = tmp_path / "lệch mục.docx"
    document.save(path)
    result = import_docx_report(mini, path, "mini_tuan", WEEK, number="12")
    return mini, result.report_id


def test_unplaced_content_is_a_warning_pointing_at_it(unplaced_report):
    ws, report_id = unplaced_report
    finding = next(f for f in ws.check(report_id) if f.code == "unplaced.content")
    assert finding.severity == "warning" and finding.section == UNPLACED_PATH
    assert "2 đoạn" in finding.message and "Nội dung chưa xếp mục" in finding.message
    assert finding.to_json()["location"]["section"] == UNPLACED_PATH


def test_unplaced_content_blocks_signing_until_moved_or_justified(unplaced_report):
    ws, report_id = unplaced_report
    others = [f for f in ws.check(report_id) if f.severity == "warning" and f.code != "unplaced.content"]
    for f in others:
        ws.justify(report_id, f.key, "Lý do khác.")
    assert not [f for f in ws.check(report_id) if f.severity == "error"]
    with pytest.raises(SignOffBlocked) as blocked:
        ws.submit_for_signature(report_id)
    assert [f.code for f in blocked.value.findings] == ["unplaced.content"]
    # moved: the warning is gone
    text = ws.report(report_id).texts[UNPLACED_PATH]
    ws.set_section_text(report_id, "I.1", ws.report(report_id).texts["I.1"] + "\n" + text)
    ws.set_section_text(report_id, UNPLACED_PATH, "")
    assert not [f for f in ws.check(report_id) if f.code == "unplaced.content"]
    ws.set_section_text(report_id, UNPLACED_PATH, text)
    # kept with a giải trình: signing goes on, the reason travels with the finding
    finding = next(f for f in ws.check(report_id) if f.code == "unplaced.content")
    ws.justify(report_id, finding.key, "Giữ lại ở cuối văn bản theo yêu cầu của Thường trực.")
    ws.submit_for_signature(report_id)
    assert ws.report(report_id).status == "for_signature"
    assert not richtext.is_empty(ws.report(report_id).texts[UNPLACED_PATH])


def _calendar_bounds(kind, day):
    period = calendar_period(kind, day)
    return period.start, period.end
