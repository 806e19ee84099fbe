"""The DOCX writer, read back against the format file (resources/formats/party.yaml).

Every expected layout number comes from the format file, never from this test, so a new guide
changes the file and the tests follow. The render test converts with LibreOffice and reads the PDF.
"""
from __future__ import annotations

import errno
import datetime as dt
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from baocao_desktop.document.docx_writer import write_docx
from baocao_desktop.document.layout import date_line, number_line
from baocao_desktop.document.formats import FormatError, format_path, load_format
from baocao_desktop.document.model import Body, DocumentModel, Heading, Signer
from baocao_desktop.domain.richtext import Footnote, Run, parse
from tests.render import docx_to_pdf

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

NOTE_1 = "Trong tuần tổ chức 02 hội nghị: giao ban Thường trực Đảng ủy, HĐND, UBND xã."
NOTE_2_P1 = "Triển khai Đề án số 01-ĐA/TU ngày 29/12/2025 của Tỉnh ủy Lào Cai."
NOTE_2_P2_BOLD = "Nghị quyết số 57-NQ/TW"
NOTE_2_P2_TAIL = " của Bộ Chính trị về khoa học, công nghệ."
NOTE_3 = "Ủy ban MTTQ xã triển khai chương trình công tác năm 2026."


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def make_model(number: str = "12", date: dt.date | None = dt.date(2026, 6, 8), decompose: bool = False,
               ) -> DocumentModel:
    t = nfd if decompose else (lambda s: s)
    body1 = parse(t(
        "Trong tuần Thường trực Đảng ủy xã Lùng Phình đã **tập trung lãnh đạo**, chỉ đạo toàn diện "
        f"các nhiệm vụ chính trị[^{NOTE_1}] của địa phương; *giữ vững ổn định* tình hình, "
        "__không để bị động__."))[0]
    body2 = parse(t(
        f"Quán triệt các nghị quyết, chỉ thị của cấp trên[^{NOTE_2_P1}\n**{NOTE_2_P2_BOLD}**{NOTE_2_P2_TAIL}]."))[0]
    body3 = (Run(t("Diện tích lúa mùa đạt 549/650 ha, bằng 84,5% kế hoạch")),
             Footnote(((Run(t(NOTE_3)),),)),
             Run(t(".")))
    blocks = (
        Heading(1, "I.", t("Công tác lãnh đạo, chỉ đạo của Đảng ủy")),
        Heading(2, "1.", t("Công tác lãnh đạo, chỉ đạo, điều hành")),
        Body(body1),
        Heading(3, "1.1.", t("Các hội nghị, cuộc họp")),
        Body(body2),
        Heading(4, "a)", t("Sản xuất nông nghiệp")),
        Body(body3),
    )
    return DocumentModel(
        format_code="party",
        upper_body=t("Đảng bộ tỉnh Lào Cai"),
        issuer=t("Đảng ủy xã Lùng Phình"),
        issuer_symbol=t("ĐU"),
        doc_type="BC",
        number=number,
        place=t("Lùng Phình"),
        date=date,
        title=t("Báo cáo"),
        summary=t("Khái quát tình hình từ ngày 01 đến 07/6/2026"),
        blocks=blocks,
        closing=t("Trên đây là Báo cáo khái quát tình hình tuần của Thường trực Đảng ủy xã Lùng Phình./."),
        signer=Signer(t("T/M Ban Thường vụ"), t("Bí thư"), t("Nguyễn Văn Thành")),
        recipients=(t("- Ban Thường vụ Tỉnh ủy (b/c),"), t("Văn phòng Tỉnh ủy,"), t("- Lưu Văn phòng Đảng ủy.")),
    )


@pytest.fixture(scope="module")
def fmt():
    return load_format("party")


@pytest.fixture(scope="module")
def written(tmp_path_factory, fmt):
    path = tmp_path_factory.mktemp("docx") / "bao_cao.docx"
    result = write_docx(make_model(), path)
    assert result == path
    return path


@pytest.fixture(scope="module")
def doc(written):
    import docx
    return docx.Document(str(written))


def part_xml(path: Path, name: str):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def texts(element) -> str:
    return "".join(element.itertext())


def style_el(doc, style_id):
    for el in doc.styles.element.findall(f"{{{W}}}style"):
        if el.get(f"{{{W}}}styleId") == style_id:
            return el
    raise AssertionError(f"style {style_id} missing")


def style_prop(doc, style_id, tag):
    """The w:val (or presence) of rPr/<tag> on a style or its base styles; None when unset."""
    while style_id:
        el = style_el(doc, style_id)
        found = el.find(f"w:rPr/w:{tag}", NS)
        if found is not None:
            val = found.get(f"{{{W}}}val")
            if tag in ("b", "i"):
                return val not in ("0", "false")
            return val
        based = el.find("w:basedOn", NS)
        style_id = based.get(f"{{{W}}}val") if based is not None else None
    return None


def size_pt(doc, style_id) -> float:
    return int(style_prop(doc, style_id, "sz")) / 2


def fonts(doc, style_id) -> dict:
    el = style_el(doc, style_id).find("w:rPr/w:rFonts", NS)
    return {k.split("}")[1]: v for k, v in el.attrib.items()}


def paragraphs_with_style(doc, style_id):
    return [p for p in doc.paragraphs if p.style is not None and p.style.style_id == style_id]


# ---------------------------------------------------------------------------------- page
def test_page_size_and_margins_follow_the_format_file(doc, fmt):
    section = doc.sections[0]
    assert section.page_width.mm == pytest.approx(fmt.page.width_mm, abs=0.05)
    assert section.page_height.mm == pytest.approx(fmt.page.height_mm, abs=0.05)
    assert section.top_margin.mm == pytest.approx(fmt.margins.top, abs=0.05)
    assert section.bottom_margin.mm == pytest.approx(fmt.margins.bottom, abs=0.05)
    assert section.left_margin.mm == pytest.approx(fmt.margins.left, abs=0.05)
    assert section.right_margin.mm == pytest.approx(fmt.margins.right, abs=0.05)
    assert section.header_distance.mm == pytest.approx(fmt.page.header_distance_mm, abs=0.05)
    # the Party defaults of DESIGN §9, so a broken format file cannot pass unnoticed
    assert (fmt.page.width_mm, fmt.page.height_mm) == (210, 297)
    assert (fmt.margins.top, fmt.margins.bottom, fmt.margins.left, fmt.margins.right) == (20, 20, 30, 15)


# ---------------------------------------------------------------------------------- fonts and styles
def test_every_script_uses_the_format_font(doc, fmt):
    defaults = doc.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert defaults.get(f"{{{W}}}{attr}") == fmt.font_name
    for style_id in ("Normal", "Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "FootnoteText",
                     "DocTitle", "DocSummary", "PartyMotto", "DateLine", "SignerName", "RecipientItem"):
        assert fonts(doc, style_id) == {"ascii": fmt.font_name, "hAnsi": fmt.font_name,
                                        "eastAsia": fmt.font_name, "cs": fmt.font_name}, style_id
    # no theme font can override the explicit one
    styles_xml = etree.tostring(doc.styles.element).decode()
    assert "asciiTheme" not in etree.tostring(style_el(doc, "Heading1")).decode()
    assert 'w:lang w:val="vi-VN"' in styles_xml


def test_body_style_follows_the_format_file(doc, fmt):
    normal = doc.styles["Normal"]
    pf = normal.paragraph_format
    assert size_pt(doc, "Normal") == fmt.body.text.size == 14
    assert pf.alignment == 3  # WD_ALIGN_PARAGRAPH.JUSTIFY
    assert pf.first_line_indent.cm == pytest.approx(fmt.body.spacing.first_line_indent_cm, abs=0.01)
    assert pf.space_after.pt == pytest.approx(fmt.body.spacing.space_after_pt)
    assert fmt.body.spacing.space_after_pt >= 6
    assert fmt.body.spacing.line_rule == "exact"
    assert pf.line_spacing.pt == pytest.approx(fmt.body.spacing.line_spacing)
    body = paragraphs_with_style(doc, "Normal")
    assert any("Trong tuần Thường trực Đảng ủy xã Lùng Phình" in p.text for p in body)


def test_headings_use_word_heading_styles_with_number_and_title(doc, fmt):
    expected = {
        1: "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO CỦA ĐẢNG ỦY",
        2: "1. Công tác lãnh đạo, chỉ đạo, điều hành",
        3: "1.1. Các hội nghị, cuộc họp",
        4: "a) Sản xuất nông nghiệp",
    }
    for level, text in expected.items():
        style_id = f"Heading{level}"
        found = paragraphs_with_style(doc, style_id)
        assert [p.text for p in found] == [text]
        heading = fmt.heading(level)
        assert size_pt(doc, style_id) == heading.text.size
        assert style_prop(doc, style_id, "b") is heading.text.bold
        assert style_prop(doc, style_id, "i") is heading.text.italic
        assert doc.styles[f"Heading {level}"].paragraph_format.keep_with_next is True
        outline = style_el(doc, style_id).find("w:pPr/w:outlineLvl", NS)
        assert outline.get(f"{{{W}}}val") == str(level - 1)
    # I. bold upper; 1. bold; 1.1. bold italic; a) italic; - regular (format file = brief)
    assert [(fmt.heading(n).text.bold, fmt.heading(n).text.italic) for n in range(1, 6)] == [
        (True, False), (True, False), (True, True), (False, True), (False, False)]
    assert size_pt(doc, "Heading5") == fmt.heading(5).text.size


def test_title_block(doc, fmt):
    title = paragraphs_with_style(doc, "DocTitle")
    assert [p.text for p in title] == ["BÁO CÁO"]
    assert size_pt(doc, "DocTitle") == fmt.title.text.size == 16
    assert style_prop(doc, "DocTitle", "b") is True
    assert doc.styles["Tên loại văn bản"].paragraph_format.alignment == 1  # centre
    summary = paragraphs_with_style(doc, "DocSummary")
    assert [p.text for p in summary] == ["Khái quát tình hình từ ngày 01 đến 07/6/2026"]
    assert size_pt(doc, "DocSummary") == fmt.summary.text.size
    assert style_prop(doc, "DocSummary", "b") is True
    assert [p.text for p in paragraphs_with_style(doc, "SummaryRule")] == [fmt.separator.text] == ["-----"]


# ---------------------------------------------------------------------------------- header table
def no_borders(table) -> bool:
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find("w:tblBorders", NS)
    if borders is None or len(borders) < 6:
        return False
    if any(b.get(f"{{{W}}}val") not in ("nil", "none") for b in borders):
        return False
    if tbl_pr.find("w:tblStyle", NS) is not None:
        return False
    return not table._tbl.findall(".//w:tcBorders", NS)


def test_header_table_is_borderless_with_the_two_columns(doc, fmt):
    header = doc.tables[0]
    assert no_borders(header)
    left = [c.text for c in header.columns[0].cells]
    assert left == ["ĐẢNG BỘ TỈNH LÀO CAI", "ĐẢNG ỦY XÃ LÙNG PHÌNH", "*", "Số 12-BC/ĐU"]
    right = [c.paragraphs[0].text for c in header.columns[1].cells]
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right[-1] == "Lùng Phình, ngày 08 tháng 6 năm 2026"  # on the row of the number line
    widths = [col.width.mm for col in header.columns]
    assert widths == pytest.approx([fmt.header.left_width_mm, fmt.header.right_width_mm], abs=0.1)
    assert header._tbl.find("w:tblPr/w:tblLayout", NS).get(f"{{{W}}}type") == "fixed"

    assert size_pt(doc, "UpperBody") == fmt.header.upper_body.size == 14
    assert style_prop(doc, "UpperBody", "b") is False
    assert size_pt(doc, "Issuer") == fmt.header.issuer.size and style_prop(doc, "Issuer", "b") is True
    assert size_pt(doc, "PartyMotto") == fmt.header.motto.style.size == 15
    assert style_prop(doc, "PartyMotto", "b") is True
    assert size_pt(doc, "DateLine") == fmt.header.date_line.style.size
    assert style_prop(doc, "DateLine", "i") is True
    assert size_pt(doc, "DocNumber") == fmt.header.number.style.size
    # the line under "ĐẢNG CỘNG SẢN VIỆT NAM": a bottom border as long as the format says
    motto_cell = header.cell(0, 1)
    rule = [p for p in motto_cell.paragraphs if p._p.find("w:pPr/w:pBdr/w:bottom", NS) is not None]
    assert fmt.header.motto.rule == "border" and len(rule) == 1
    indent = rule[0].paragraph_format.left_indent.mm + rule[0].paragraph_format.right_indent.mm
    inner = fmt.header.right_width_mm - 2 * fmt.header.cell_margin_mm
    assert inner - indent == pytest.approx(fmt.header.motto.rule_length_mm, abs=0.1)


def test_number_and_date_lines():
    f = load_format("party")
    assert number_line(make_model(), f) == "Số 12-BC/ĐU"
    # a Số typed in full, in the unit's form, prints once; one in another form prints as typed
    assert number_line(make_model(number="12-BC/ĐU"), f) == "Số 12-BC/ĐU"
    assert number_line(make_model(number="5-bc/đu"), f) == "Số 05-BC/ĐU"  # padded as a plain 5
    assert date_line(make_model(), f) == "Lùng Phình, ngày 08 tháng 6 năm 2026"
    assert date_line(make_model(date=dt.date(2026, 2, 5)), f) == "Lùng Phình, ngày 05 tháng 02 năm 2026"


def test_blank_number_and_blank_date_leave_room_to_write_by_hand(tmp_path, fmt):
    import docx

    path = write_docx(make_model(number="", date=None), tmp_path / "blank.docx")
    header = docx.Document(str(path)).tables[0]
    number = header.columns[0].cells[-1].text
    date = header.columns[1].cells[-1].text
    assert number == fmt.header.number.blank.format(number="", doc_type="BC", issuer_symbol="ĐU")
    assert re.fullmatch(r"Số {3,}-BC/ĐU", number)
    assert date == fmt.header.date_line.blank.format(place="Lùng Phình")
    assert re.fullmatch(r"Lùng Phình, ngày {3,}tháng {3,}năm 20 *", date)
    # the blanks survive as spaces in the XML (xml:space="preserve")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "ngày      tháng" in xml


# ---------------------------------------------------------------------------------- footnotes
def test_real_word_footnotes_in_order(written, fmt):
    root = part_xml(written, "word/footnotes.xml")
    notes = root.findall("w:footnote", NS)
    special = [(n.get(f"{{{W}}}id"), n.get(f"{{{W}}}type")) for n in notes if n.get(f"{{{W}}}type")]
    assert special == [("-1", "separator"), ("0", "continuationSeparator")]
    real = [n for n in notes if not n.get(f"{{{W}}}type")]
    assert [n.get(f"{{{W}}}id") for n in real] == ["1", "2", "3"]
    texts_ = [[texts(p) for p in n.findall("w:p", NS)] for n in real]
    assert texts_ == [[" " + NOTE_1], [" " + NOTE_2_P1, NOTE_2_P2_BOLD + NOTE_2_P2_TAIL], [" " + NOTE_3]]
    for note in real:
        paragraphs = note.findall("w:p", NS)
        assert all(p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "FootnoteText" for p in paragraphs)
        mark = paragraphs[0].find("w:r", NS)
        assert mark.find("w:footnoteRef", NS) is not None
        assert mark.find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "FootnoteReference"
    # the bold run of the second paragraph of footnote 2 stays bold
    bold_runs = [texts(r) for r in real[1].findall(".//w:r", NS) if r.find("w:rPr/w:b", NS) is not None]
    assert bold_runs == [NOTE_2_P2_BOLD]


def test_footnote_references_styles_and_package(written, doc, fmt):
    body = part_xml(written, "word/document.xml")
    refs = body.findall(".//w:footnoteReference", NS)
    assert [r.get(f"{{{W}}}id") for r in refs] == ["1", "2", "3"]
    for ref in refs:
        assert ref.getparent().find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "FootnoteReference"
    assert style_el(doc, "FootnoteReference").find("w:rPr/w:vertAlign", NS).get(f"{{{W}}}val") == "superscript"
    assert style_el(doc, "FootnoteText").find("w:name", NS).get(f"{{{W}}}val") == "footnote text"
    assert size_pt(doc, "FootnoteText") == fmt.footnotes.text.size == 12
    content_types = zipfile.ZipFile(written).read("[Content_Types].xml").decode()
    assert f'PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_CT}"' in content_types
    rels = zipfile.ZipFile(written).read("word/_rels/document.xml.rels").decode()
    assert 'relationships/footnotes" Target="footnotes.xml"' in rels
    settings = part_xml(written, "word/settings.xml")
    assert [f.get(f"{{{W}}}id") for f in settings.findall("w:footnotePr/w:footnote", NS)] == ["-1", "0"]


def test_runs_keep_bold_italic_underline(doc):
    paragraph = next(p for p in paragraphs_with_style(doc, "Normal") if p.text.startswith("Trong tuần"))
    formatted = {(r.text, bool(r.bold), bool(r.italic), bool(r.underline)) for r in paragraph.runs if r.text}
    assert ("tập trung lãnh đạo", True, False, False) in formatted
    assert ("giữ vững ổn định", False, True, False) in formatted
    assert ("không để bị động", False, False, True) in formatted


# ---------------------------------------------------------------------------------- page numbers
def test_page_number_field_in_header_not_on_page_one(written, doc, fmt):
    section = doc.sections[0]
    assert section.different_first_page_header_footer is True
    assert section._sectPr.find("w:titlePg", NS) is not None
    default_header = section.header._element
    instr = "".join(t.text for t in default_header.iter(f"{{{W}}}instrText"))
    assert instr.strip() == "PAGE"
    assert default_header.find(".//w:fldChar", NS) is not None
    first = section.first_page_header._element
    assert not list(first.iter(f"{{{W}}}instrText")) and not list(first.iter(f"{{{W}}}fldSimple"))
    header_style = doc.styles["Header"]
    assert header_style.paragraph_format.alignment == 1  # centred
    assert size_pt(doc, "Header") == fmt.page_number.size
    assert fmt.page_number.position == "top" and fmt.page_number.show_on_first_page is False


# ---------------------------------------------------------------------------------- signature
def test_signature_block_and_recipients(doc, fmt):
    table = doc.tables[-1]
    assert no_borders(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    assert [p.text for p in left.paragraphs] == [
        "Nơi nhận:", "- Ban Thường vụ Tỉnh ủy (b/c),", "- Văn phòng Tỉnh ủy,", "- Lưu Văn phòng Đảng ủy."]
    assert [p.text for p in right.paragraphs] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Nguyễn Văn Thành"]
    widths = [col.width.mm for col in table.columns]
    assert widths == pytest.approx([fmt.signature.left_width_mm, fmt.signature.right_width_mm], abs=0.1)
    assert size_pt(doc, "RecipientsLabel") == fmt.recipients.label_style.size == 14
    assert style_prop(doc, "RecipientsLabel", "u") == "single"
    assert size_pt(doc, "RecipientItem") == fmt.recipients.item.size == 12
    for style_id, ts in (("SignerAuthority", fmt.signature.on_behalf), ("SignerTitle", fmt.signature.title),
                         ("SignerName", fmt.signature.name)):
        assert size_pt(doc, style_id) == ts.size == 14
        assert style_prop(doc, style_id, "b") is ts.bold is True
    # room for the signature and the seal
    space = doc.styles["Chỗ ký"].paragraph_format.line_spacing
    assert space.mm == pytest.approx(fmt.signature.signature_space_mm, abs=0.2)
    assert fmt.signature.signature_space_mm >= 25
    assert table.rows[0]._tr.find("w:trPr/w:cantSplit", NS) is not None
    closing = paragraphs_with_style(doc, "Closing")
    assert [p.text for p in closing] == [
        "Trên đây là Báo cáo khái quát tình hình tuần của Thường trực Đảng ủy xã Lùng Phình./."]


# ---------------------------------------------------------------------------------- text, files
def test_text_is_nfc_even_from_nfd_input(tmp_path):
    path = write_docx(make_model(decompose=True), tmp_path / "nfd.docx")
    for name in ("word/document.xml", "word/footnotes.xml"):
        root = part_xml(path, name)
        for t in root.iter(f"{{{W}}}t"):
            assert unicodedata.is_normalized("NFC", t.text or ""), repr(t.text)
    document = texts(part_xml(path, "word/document.xml"))
    assert "Lùng Phình, ngày 08 tháng 6 năm 2026" in document
    assert "ĐẢNG ỦY XÃ LÙNG PHÌNH" in document
    assert NOTE_3 in texts(part_xml(path, "word/footnotes.xml"))


def test_write_replaces_atomically_and_leaves_no_temp_file(tmp_path, monkeypatch):
    import docx.document

    target = tmp_path / "bc.docx"
    target.write_bytes(b"old report")
    write_docx(make_model(), target)
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.docx"]
    good = target.read_bytes()

    def broken_save(self, stream):
        stream.write(b"PK half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(OSError, match="ổ đĩa đã hết chỗ trống"):
        write_docx(make_model(), target)
    assert target.read_bytes() == good  # the previous file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bc.docx"]


def test_missing_folder_has_a_vietnamese_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="không tồn tại"):
        write_docx(make_model(), tmp_path / "khong_co" / "bc.docx")


def test_python_docx_is_not_imported_until_a_document_is_written():
    code = ("import sys, baocao_desktop.document.docx_writer, baocao_desktop.document.formats;"
            "print('docx' in sys.modules, 'yaml' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_document_without_footnotes_has_no_footnotes_part(tmp_path):
    model = make_model()
    plain = DocumentModel(**{**model.__dict__, "blocks": (Heading(1, "I.", "Kết quả"),
                                                          Body((Run("Không có chú thích."),)))})
    path = write_docx(plain, tmp_path / "plain.docx")
    names = zipfile.ZipFile(path).namelist()
    assert "word/footnotes.xml" not in names
    assert part_xml(path, "word/settings.xml").find("w:footnotePr", NS) is None


# ---------------------------------------------------------------------------------- format file
def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = format_path("party").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "party.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_format_file_errors_are_clear_vietnamese(tmp_path):
    with pytest.raises(FormatError, match=r"^Tệp định dạng party.yaml thiếu trường margins.top\.$"):
        load_format(broken_copy(tmp_path, "  top: 20\n", ""))
    with pytest.raises(FormatError, match=r"trường body.size phải là một số \(đang là “mười bốn”\)"):
        load_format(broken_copy(tmp_path, "  size: 14                 # cách đoạn", "  size: mười bốn  #"))
    with pytest.raises(FormatError, match=r"headings.4.align = “giữa” không hợp lệ"):
        load_format(broken_copy(tmp_path, "    italic: true\n    case: as_is\n    align: justify\n    first_line_indent_cm: 1.27\n    space_before_pt: 0\n    space_after_pt: 6\n    line_rule: exact\n    line_spacing: 18\n  5:",
                                "    italic: true\n    case: as_is\n    align: giữa\n    first_line_indent_cm: 1.27\n    space_before_pt: 0\n    space_after_pt: 6\n    line_rule: exact\n    line_spacing: 18\n  5:"))
    with pytest.raises(FormatError, match=r"mẫu header.number.pattern dùng trường \{so\}"):
        load_format(broken_copy(tmp_path, 'pattern: "Số {number}', 'pattern: "Số {so}'))
    with pytest.raises(FormatError, match=r"lỗi cú pháp YAML ở dòng \d+"):
        load_format(broken_copy(tmp_path, "margins:", "margins: [\n"))
    with pytest.raises(FormatError, match=r"Không tìm thấy tệp định dạng khong_co.yaml"):
        load_format("khong_co")


# ---------------------------------------------------------------------------------- render
@pytest.mark.render
def test_render_with_libreoffice(tmp_path, written):
    from pypdf import PdfReader

    pdf = docx_to_pdf(written, tmp_path)
    reader = PdfReader(str(pdf))
    assert 1 <= len(reader.pages) <= 3
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(595.28, abs=1)  # A4 in pt
        assert float(box.height) == pytest.approx(841.89, abs=1)
    text = unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))
    squashed = re.sub(r"\s+", " ", text)
    assert "BÁO CÁO" in squashed
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in squashed
    assert "Số 12-BC/ĐU" in squashed
    assert NOTE_1 in squashed
    assert NOTE_3 in squashed
    assert "Nguyễn Văn Thành" in squashed
    fonts_used = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if embedded:
                fonts_used.add(str(font["/BaseFont"]))
    assert any(re.search(r"Times|LiberationSerif|Tinos", name) for name in fonts_used), fonts_used


@pytest.mark.render
def test_render_page_number_only_from_page_two(tmp_path):
    """A report long enough for two pages: no number on page 1, "2" at the top of page 2."""
    from pypdf import PdfReader

    model = make_model()
    filler = tuple(Body((Run(f"Đoạn {i}: công tác lãnh đạo, chỉ đạo được triển khai kịp thời, đồng bộ, "
                             "bảo đảm đúng tiến độ và chất lượng theo kế hoạch đề ra."),)) for i in range(30))
    long_model = DocumentModel(**{**model.__dict__, "blocks": model.blocks + filler})
    docx_path = write_docx(long_model, tmp_path / "dai.docx")
    reader = PdfReader(str(docx_to_pdf(docx_path, tmp_path)))
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text().strip().splitlines()
    second = reader.pages[1].extract_text().strip().splitlines()
    assert first[0].strip() != "1"
    assert second[0].strip() == "2"


def test_data_table_has_borders_repeated_header_and_bold_totals(tmp_path, fmt):
    from baocao_desktop.document.model import TableBlock
    model = make_model()
    table = TableBlock("Tổ chức đảng trước và sau sắp xếp", ("Nội dung", "Trước", "Sau"),
                       (("Chi bộ", "35", "36"), ("Đảng bộ cơ sở", "2", "2"), ("Tổng cộng", "37", "38")), (2,))
    path = write_docx(DocumentModel(**{**model.__dict__, "blocks": model.blocks + (table,)}), tmp_path / "bang.docx")
    document = docx.Document(str(path))
    grid = document.tables[1]  # [0] is the header table
    assert [c.text for c in grid.rows[0].cells] == ["Nội dung", "Trước", "Sau"]
    assert [c.text for c in grid.rows[3].cells] == ["Tổng cộng", "37", "38"]
    tr_pr = grid.rows[0]._tr.trPr
    assert tr_pr.find(f"{{{W}}}tblHeader") is not None  # repeated on every page
    borders = grid._tbl.tblPr.find(f"{{{W}}}tblBorders")
    assert {b.get(f"{{{W}}}val") for b in borders} == {"single"}
    assert int(borders[0].get(f"{{{W}}}sz")) == round(fmt.tables.border_pt * 8)
    total_style = grid.rows[3].cells[1].paragraphs[0].style
    assert total_style.font.bold is fmt.tables.total.bold is True
    assert total_style.font.size.pt == fmt.tables.total.size
    assert grid.rows[1].cells[1].paragraphs[0].style.font.bold in (None, False)
    title = next(p for p in document.paragraphs if p.text == "Tổ chức đảng trước và sau sắp xếp")
    assert title.style.font.size.pt == fmt.tables.title.text.size
