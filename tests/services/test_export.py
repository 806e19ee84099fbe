"""Exporting the demo's weekly report: the DOCX says what the report says, and LibreOffice renders it."""
import re
import unicodedata
import zipfile

import docx
import pytest
from lxml import etree

from baocao_desktop.document.formats import load_format
from baocao_desktop.domain import richtext
from tests.render import docx_to_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def exported(demo_workspace, tmp_path):
    report = demo_workspace.list_reports()[0]  # week 08/6–14/6/2026
    path = demo_workspace.export_docx(report.id, tmp_path / "Báo cáo tuần 08-6 đến 14-6-2026.docx")
    return demo_workspace, demo_workspace.report(report.id), path


def test_docx_has_the_reports_footnotes_headings_and_header(exported):
    ws, report, path = exported
    template = ws.template(report.template_code, report.template_version)
    expected_notes = [n.plain_text() for s in template.walk() for n in richtext.footnotes(report.texts.get(s.path))]
    assert expected_notes, "the demo report has footnotes"
    with zipfile.ZipFile(path) as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    real = [n for n in notes.iter(f"{W}footnote") if int(n.get(f"{W}id")) > 0]
    texts = ["\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in n.iter(f"{W}p")).strip()
             for n in real]
    assert texts == [t.strip() for t in expected_notes]
    document = docx.Document(str(path))
    fmt = load_format("party")
    section = document.sections[0]
    assert round(section.left_margin.mm) == fmt.margins.left and round(section.top_margin.mm) == fmt.margins.top
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].text == "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO CỦA ĐẢNG ỦY" and headings[0].style.name == "Heading 1"
    assert any(p.text.startswith("a) Sản xuất nông nghiệp") and p.style.name == "Heading 4" for p in headings)
    header_text = " ".join(c.text for c in document.tables[0]._cells)
    assert "Số 118-BC/ĐU" in header_text and "Lùng Phình, ngày 15 tháng 6 năm 2026" in header_text
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Khái quát tình hình từ ngày 08/6 đến ngày 14/6/2026" in body
    assert unicodedata.is_normalized("NFC", body)


@pytest.mark.render
def test_demo_report_renders_with_libreoffice(exported, tmp_path):
    from pypdf import PdfReader
    ws, report, path = exported
    reader = PdfReader(str(docx_to_pdf(path, tmp_path)))
    assert 3 <= len(reader.pages) <= 20
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", " ".join(p.extract_text() for p in reader.pages)))
    assert "ĐẢNG ỦY XÃ LÙNG PHÌNH" in text and "T/M BAN THƯỜNG VỤ" in text
    first_note = richtext.footnotes(report.texts["I.1"])[0].plain_text().split("\n")[0]
    assert re.sub(r"\s+", " ", first_note)[:60] in text
