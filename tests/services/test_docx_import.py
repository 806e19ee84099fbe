"""Import from Word: headings matched to the template's sections, unmatched text kept visible,
footnotes and bold/italic/underline kept, bad files refused in Vietnamese with nothing created."""
from __future__ import annotations

import datetime as dt

import pytest

from baocao_desktop.domain.dates import CALENDAR_MONTHS, calendar_period

from baocao_desktop.domain import richtext
from baocao_desktop.services.docx_import import (
    detect_heading,
    import_docx,
    import_docx_report,
    read_docx,
    title_similarity,
)
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.workspace import UNPLACED_PATH

docx = pytest.importorskip("docx")
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402

WEEK = "2026-06-01"


# -- building Word files -----------------------------------------------------------------------------
def header_block(document) -> None:
    """What a hand-made report starts with: the header table, the title, the summary, the rule."""
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ĐẢNG ỦY XÃ LÙNG PHÌNH"
    table.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    table.cell(1, 0).text = "Số 430-BC/ĐU"
    table.cell(1, 1).text = "Lùng Phình, ngày 08 tháng 6 năm 2025"
    for text in ("BÁO CÁO", "Khái quát tình hình từ ngày 02 đến ngày 08/6/2025", "-----"):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True


def closing_block(document) -> None:
    document.add_paragraph("Trên đây là báo cáo của Đảng ủy xã Lùng Phình./.")
    document.add_paragraph("Nơi nhận:")
    document.add_paragraph("- Ban Thường vụ Tỉnh ủy (b/c),")
    document.add_paragraph("T/M BAN THƯỜNG VỤ")


def bold_heading(document, text: str, italic: bool = False):
    p = document.add_paragraph()
    run = p.add_run(text)
    run.bold = not italic
    run.italic = italic
    return p


def add_footnote(document, paragraph, text_runs) -> None:
    """A real Word footnote (python-docx has no API for them): the part, the note, the reference."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn

    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FOOTNOTES), None)
    if part is None:
        root = parse_xml(f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
                         '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" '
                         'w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>')
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, document.part.package)
        document.part.relate_to(part, RT.FOOTNOTES)
    number = str(len(part.element.findall(qn("w:footnote"))) - 1)
    note = OxmlElement("w:footnote")
    note.set(qn("w:id"), number)
    p = OxmlElement("w:p")
    mark = OxmlElement("w:r")
    mark.append(OxmlElement("w:footnoteRef"))
    p.append(mark)
    for text, bold, italic in [(" ", False, False)] + list(text_runs):
        r = OxmlElement("w:r")
        if bold or italic:
            rpr = OxmlElement("w:rPr")
            for flag, tag in ((bold, "w:b"), (italic, "w:i")):
                if flag:
                    rpr.append(OxmlElement(tag))
            r.append(rpr)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
        p.append(r)
    note.append(p)
    part.element.append(note)
    ref_run = paragraph.add_run()
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), number)
    ref_run._r.append(ref)


@pytest.fixture
def texts(mini):
    def imported(path, **kwargs) -> dict:
        report_id = import_docx(mini, path, "mini_tuan", kwargs.pop("start", WEEK), **kwargs)
        return mini.report(report_id).texts
    return imported


# -- headings ---------------------------------------------------------------------------------------------
def test_heading_styles_are_matched_to_sections(mini, texts, tmp_path):
    document = docx.Document()
    header_block(document)
    document.add_heading("I. KẾT QUẢ", level=1)
    document.add_heading("1. Nông nghiệp", level=2)
    document.add_paragraph("Diện tích lúa mùa đạt 549/650 ha.")
    document.add_paragraph("Chăn nuôi ổn định.")
    document.add_heading("2. Ngân sách", level=2)
    document.add_paragraph("Thu ngân sách đạt 120 triệu đồng.")
    document.add_heading("II. PHƯƠNG HƯỚNG", level=1)
    document.add_paragraph("Tiếp tục chỉ đạo sản xuất vụ mùa.")
    closing_block(document)
    path = tmp_path / "tuần.docx"
    document.save(path)
    result = texts(path)
    assert result == {"I.1": "Diện tích lúa mùa đạt 549/650 ha.\nChăn nuôi ổn định.",
                      "I.2": "Thu ngân sách đạt 120 triệu đồng.",
                      "II": "Tiếp tục chỉ đạo sản xuất vụ mùa."}  # header, title, closing, signature left out


def test_bold_numbered_paragraphs_without_styles(mini, tmp_path):
    document = docx.Document()
    header_block(document)
    bold_heading(document, "I. Kết quả đạt được")  # case and wording differ a little from "KẾT QUẢ"
    bold_heading(document, "1. Về nông nghiệp")
    document.add_paragraph("Lúa mùa đạt 549 ha.")
    bold_heading(document, "2. Ngân sách:")
    document.add_paragraph("Thu đạt 120 triệu đồng.")
    bold_heading(document, "II. Phương hướng, nhiệm vụ")
    document.add_paragraph("1. Tiếp tục chỉ đạo vụ mùa.")  # numbered but not bold: text, not a heading
    closing_block(document)
    path = tmp_path / "không style.docx"
    document.save(path)
    result = import_docx_report(mini, path, "mini_tuan", WEEK)
    assert set(result.sections) == {"I", "I.1", "I.2", "II"}
    report = mini.report(result.report_id)
    assert report.texts["I.1"] == "Lúa mùa đạt 549 ha."
    assert report.texts["I.2"] == "Thu đạt 120 triệu đồng."
    assert report.texts["II"] == "1. Tiếp tục chỉ đạo vụ mùa."
    assert UNPLACED_PATH not in report.texts
    assert result.unplaced_paragraphs == 0 and result.skipped_paragraphs >= 4


def test_footnotes_and_bold_italic_underline_are_kept(mini, texts, tmp_path):
    document = docx.Document()
    document.add_heading("I. KẾT QUẢ", level=1)
    document.add_heading("1. Nông nghiệp", level=2)
    p = document.add_paragraph("Diện tích ")
    p.add_run("lúa mùa").bold = True
    p.add_run(" đạt ")
    p.add_run("549 ha").italic = True
    p.add_run(", ")
    p.add_run("vượt kế hoạch").underline = True
    add_footnote(document, p, [("Số liệu của ", False, False), ("Phòng Kinh tế", True, False),
                               (" ngày 05/6/2026.", False, True)])
    p.add_run(" trong tuần.")
    q = document.add_paragraph("Chăn nuôi ổn định")
    add_footnote(document, q, [("Tổng đàn 11.488 con.", False, False)])
    path = tmp_path / "chú thích.docx"
    document.save(path)
    result = texts(path)
    assert result["I.1"] == ("Diện tích **lúa mùa** đạt *549 ha*, __vượt kế hoạch"
                             "[^Số liệu của **Phòng Kinh tế*** ngày 05/6/2026.*]__ trong tuần.\n"
                             "Chăn nuôi ổn định[^Tổng đàn 11.488 con.]")
    first, second = richtext.parse(result["I.1"])
    R, F = richtext.Run, richtext.Footnote
    assert first == (R("Diện tích "), R("lúa mùa", bold=True), R(" đạt "), R("549 ha", italic=True), R(", "),
                     R("vượt kế hoạch", underline=True),
                     F(((R("Số liệu của "), R("Phòng Kinh tế", bold=True), R(" ngày 05/6/2026.", italic=True)),)),
                     R(" trong tuần."))
    assert second == (R("Chăn nuôi ổn định"), F(((R("Tổng đàn 11.488 con."),),)))


def test_unmatched_headings_go_to_unplaced(mini, tmp_path):
    document = docx.Document()
    header_block(document)
    document.add_paragraph("Thực hiện Kế hoạch số 12-KH/TU, Đảng ủy xã báo cáo như sau:")  # before any heading
    bold_heading(document, "I. KẾT QUẢ")
    bold_heading(document, "1. Nông nghiệp")
    document.add_paragraph("Lúa mùa đạt 549 ha.")
    bold_heading(document, "a) Trồng trọt", italic=True)  # a sub-heading the template does not have
    document.add_paragraph("Ngô đạt 1.110 ha.")
    bold_heading(document, "2. Văn hóa, xã hội")  # same number as "2. Ngân sách", another title
    document.add_paragraph("Tổ chức lễ hội Cúng rừng.")
    bold_heading(document, "III. CÔNG TÁC QUÂN SỰ ĐỊA PHƯƠNG")
    document.add_paragraph("Giao quân đạt 100% chỉ tiêu.")
    bold_heading(document, "II. PHƯƠNG HƯỚNG")
    document.add_paragraph("Tiếp tục chỉ đạo vụ mùa.")
    path = tmp_path / "lệch mục.docx"
    document.save(path)
    result = import_docx_report(mini, path, "mini_tuan", WEEK)
    report = mini.report(result.report_id)
    assert set(result.sections) == {"I", "I.1", "II"}
    assert report.texts["I.1"] == "Lúa mùa đạt 549 ha.\n*a) Trồng trọt*\nNgô đạt 1.110 ha."
    assert "I.2" not in report.texts
    # the paragraph before the first heading is the căn cứ, in the report's header
    assert report.basis == "Thực hiện Kế hoạch số 12-KH/TU, Đảng ủy xã báo cáo như sau:"
    assert report.texts[UNPLACED_PATH] == (
        "**2. Văn hóa, xã hội**\nTổ chức lễ hội Cúng rừng.\n"
        "**III. CÔNG TÁC QUÂN SỰ ĐỊA PHƯƠNG**\nGiao quân đạt 100% chỉ tiêu.")
    assert report.texts["II"] == "Tiếp tục chỉ đạo vụ mùa."
    assert result.unmatched_headings == ["a) Trồng trọt", "2. Văn hóa, xã hội", "III. CÔNG TÁC QUÂN SỰ ĐỊA PHƯƠNG"]
    # shown and exported as "Nội dung chưa xếp mục"
    shown = mini.report_json(result.report_id)["sections"][UNPLACED_PATH]
    assert shown["title"] == "Nội dung chưa xếp mục"
    blocks = mini.document_model(result.report_id).blocks
    assert any(getattr(b, "title", "") == "Nội dung chưa xếp mục" for b in blocks)


def test_every_demo_report_comes_back_from_its_docx(demo_workspace, tmp_path):
    """The office's own DOCX (as exported) comes back section by section, footnotes, formatting and
    the figure tables (filled into the template's tables) included."""
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
        assert {k: v for k, v in imported.texts.items() if v} == {k: v for k, v in original.texts.items() if v}, \
            source.template_code
        assert imported.tables == original.tables, source.template_code
        assert imported.basis == original.basis, source.template_code
        assert result.unmatched_headings == [] and result.unplaced_paragraphs == 0


def test_a_table_the_template_does_not_have_stays_a_table_of_the_text(mini, tmp_path):
    """Issue 15.2: kept as a table (rows, cells, its bold first row the header), never "a | b" lines."""
    document = docx.Document()
    bold_heading(document, "I. KẾT QUẢ")
    bold_heading(document, "1. Nông nghiệp")
    document.add_paragraph("Kết quả gieo trồng:")
    table = document.add_table(rows=3, cols=2)
    cells = {(0, 0): "Cây trồng", (0, 1): "Diện tích (ha)", (1, 0): "Lúa", (1, 1): "549", (2, 0): "Ngô", (2, 1): "1.020"}
    for (r, c), text in cells.items():
        table.cell(r, c).paragraphs[0].add_run(text).bold = r == 0
    document.add_paragraph("Sau bảng.")
    path = tmp_path / "bảng.docx"
    document.save(path)
    report = mini.report(import_docx(mini, path, "mini_tuan", WEEK))
    paragraphs = richtext.parse(report.texts["I.1"])
    assert richtext.plain_text(report.texts["I.1"]).split("\n")[0] == "Kết quả gieo trồng:"
    table = richtext.table_of(paragraphs[1])
    assert table is not None and table.header
    assert table.cell_texts() == [["Cây trồng", "Diện tích (ha)"], ["Lúa", "549"], ["Ngô", "1.020"]]
    assert richtext.plain_text(report.texts["I.1"]).split("\n")[2] == "Sau bảng."
    assert "Lúa | 549" not in report.texts["I.1"].replace("| Lúa | 549 |", "")


def test_run_in_heading_text_follows_it(mini, tmp_path):
    document = docx.Document()
    bold_heading(document, "I. KẾT QUẢ")
    p = document.add_paragraph()
    p.add_run("1. Nông nghiệp:").bold = True
    p.add_run(" diện tích lúa mùa đạt 549 ha.")
    p = document.add_paragraph()
    p.add_run("2. ").bold = False
    p.add_run("Ngân sách").bold = True
    p.add_run(" - thu đạt 120 triệu đồng.")
    path = tmp_path / "liền dòng.docx"
    document.save(path)
    report = mini.report(import_docx(mini, path, "mini_tuan", WEEK))
    assert report.texts["I.1"] == "diện tích lúa mùa đạt 549 ha."
    assert report.texts["I.2"] == "thu đạt 120 triệu đồng."


# -- bad files ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content, message", [
    (bytes(range(256)) * 40, "không phải tệp Word"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, r"Word cũ \(\.doc\)"),
    (b"%PDF-1.4\n" + b"x" * 100, "tệp PDF"),
    (b"", "rỗng"),
    (b"PK\x03\x04" + b"\0" * 100, "bị hỏng"),
])
def test_bad_file_is_refused_in_vietnamese_and_nothing_created(mini, tmp_path, content, message):
    path = tmp_path / "báo cáo.docx"
    path.write_bytes(content)
    with pytest.raises(ServiceError, match=message):
        import_docx(mini, path, "mini_tuan", WEEK)
    assert mini.list_reports() == []


def test_zip_that_is_not_word(mini, tmp_path):
    import zipfile
    path = tmp_path / "ảnh.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    with pytest.raises(ServiceError, match="không phải tài liệu Word"):
        import_docx(mini, path, "mini_tuan", WEEK)
    assert mini.list_reports() == []


def test_missing_file_and_empty_document(mini, tmp_path):
    with pytest.raises(ServiceError, match="Không tìm thấy tệp"):
        import_docx(mini, tmp_path / "không có.docx", "mini_tuan", WEEK)
    document = docx.Document()
    path = tmp_path / "trống.docx"
    document.save(path)
    with pytest.raises(ServiceError, match="không có chữ nào"):
        import_docx(mini, path, "mini_tuan", WEEK)
    assert mini.list_reports() == []


def test_period_taken_refuses_without_writing(mini, tmp_path):
    document = docx.Document()
    document.add_heading("I. KẾT QUẢ", level=1)
    document.add_paragraph("Nội dung.")
    path = tmp_path / "a.docx"
    document.save(path)
    import_docx(mini, path, "mini_tuan", WEEK)
    with pytest.raises(ServiceError, match="Đã có"):
        import_docx(mini, path, "mini_tuan", WEEK)
    assert len(mini.list_reports()) == 1


# -- pieces --------------------------------------------------------------------------------------------------
def test_title_similarity_ignores_case_diacritics_and_punctuation():
    assert title_similarity("KẾT QUẢ THỰC HIỆN NHIỆM VỤ", "Kết quả thực hiện nhiệm vụ:") == 1.0
    assert title_similarity("Công tác lâm nghiệp", "Công tác lâm nghiệp, quản lý bảo vệ rừng và PCCCR") >= 0.85
    assert title_similarity("Văn hóa, xã hội", "Ngân sách") < 0.4


def test_dash_lines_and_long_bold_paragraphs_are_not_headings(tmp_path):
    document = docx.Document()
    bold_heading(document, "- Ban Thường vụ Tỉnh ủy (b/c),")
    bold_heading(document, "1. " + "Nội dung rất dài " * 40)
    path = tmp_path / "x.docx"
    document.save(path)
    assert [detect_heading(p) for p in read_docx(path)] == [None, None]


def _calendar_bounds(kind, day):
    period = calendar_period(kind, day)
    return period.start, period.end
