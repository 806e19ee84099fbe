"""Every layout number of each format file, read back from the DOCX the writer makes with it.

The same assertions run for the Party format (36-HD/VPTW) and the State format (Nghị định
30/2020/NĐ-CP): every expected number comes from resources/formats/<code>.yaml, so the tests follow
the file, and the writer has no code path of its own for either format.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import docx
import pytest

from baocao_desktop.document.docx_writer import write_docx
from baocao_desktop.document.layout import number_line
from baocao_desktop.document.formats import Spacing, TextStyle, load_format
from baocao_desktop.document.model import Body, DocumentModel, Heading, Signer, TableBlock
from baocao_desktop.domain.richtext import Footnote, Run
from tests.document.test_docx_writer import make_model
from tests.render import docx_to_pdf

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
FORMATS = ("party", "state")
ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
TWIP_MM = 25.4 / 1440
EMU_MM = 1 / 36000


def state_model(**changes) -> DocumentModel:
    """The test report of test_docx_writer, issued by a commune People's Committee."""
    model = dataclasses.replace(
        make_model(),
        format_code="state",
        upper_body="",
        issuer="Ủy ban nhân dân xã Lùng Phình",
        issuer_symbol="UBND",
        number="5",
        title="Báo cáo",
        summary="Tình hình kinh tế - xã hội tuần từ ngày 01 đến 07/6/2026",
        closing="Trên đây là báo cáo tình hình kinh tế - xã hội tuần của Ủy ban nhân dân xã Lùng Phình.",
        signer=Signer("TM. Ủy ban nhân dân", "Chủ tịch", "Nguyễn Văn Thành"),
        recipients=("- UBND tỉnh Lào Cai (b/c);", "- Thường trực Đảng ủy xã;", "- Lưu: VT."),
    )
    table = TableBlock("Kết quả sản xuất", ("Nội dung", "Kế hoạch (ha)", "Thực hiện (ha)"),
                       (("Lúa mùa", "650", "549"), ("Ngô", "1.110", "1.110"), ("Cộng", "1.760", "1.659")), (2,))
    model = dataclasses.replace(model, blocks=model.blocks + (table,))
    return dataclasses.replace(model, **changes)


def model_for(code: str) -> DocumentModel:
    if code == "state":
        return state_model()
    model = make_model()
    table = TableBlock("Tổ chức đảng", ("Nội dung", "Trước", "Sau"),
                       (("Chi bộ", "35", "36"), ("Tổng cộng", "35", "36")), (1,))
    return dataclasses.replace(model, blocks=model.blocks + (table,))


@pytest.fixture(scope="module", params=FORMATS)
def case(request, tmp_path_factory):
    code = request.param
    fmt = load_format(code)
    path = write_docx(model_for(code), tmp_path_factory.mktemp(code) / f"{code}.docx")
    return code, fmt, path, docx.Document(str(path))


# ---------------------------------------------------------------------------------- reading styles
def style_el(doc, style_id):
    for el in doc.styles.element.findall(f"{{{W}}}style"):
        if el.get(f"{{{W}}}styleId") == style_id:
            return el
    raise AssertionError(f"style {style_id} missing")


def prop(doc, style_id, path, attr="val"):
    """An attribute of the first element at `path` under a style or the styles it is based on."""
    while style_id:
        el = style_el(doc, style_id)
        found = el.find(path, NS)
        if found is not None:
            return found.get(f"{{{W}}}{attr}") if attr else found
        based = el.find("w:basedOn", NS)
        style_id = based.get(f"{{{W}}}val") if based is not None else None
    return None


def flag(doc, style_id, tag) -> bool:
    found = prop(doc, style_id, f"w:rPr/w:{tag}", attr=None)
    return found is not None and found.get(f"{{{W}}}val") not in ("0", "false")


def check_text(doc, style_id, ts: TextStyle, fmt):
    where = f"{style_id}"
    assert int(prop(doc, style_id, "w:rPr/w:sz")) == round(ts.size * 2), where
    assert int(prop(doc, style_id, "w:rPr/w:szCs")) == round(ts.size * 2), where
    assert flag(doc, style_id, "b") is ts.bold, where
    assert flag(doc, style_id, "i") is ts.italic, where
    underline = prop(doc, style_id, "w:rPr/w:u")
    assert (underline not in (None, "none")) is ts.underline, where
    assert prop(doc, style_id, "w:pPr/w:jc") == ALIGN[ts.align], where
    fonts = style_el(doc, style_id).find("w:rPr/w:rFonts", NS)
    assert {k.split("}")[1]: v for k, v in fonts.attrib.items()} == dict.fromkeys(
        ("ascii", "hAnsi", "eastAsia", "cs"), fmt.font_name), where


def check_spacing(doc, style_id, sp: Spacing):
    where = f"{style_id}"
    assert int(prop(doc, style_id, "w:pPr/w:spacing", "before")) == round(sp.space_before_pt * 20), where
    assert int(prop(doc, style_id, "w:pPr/w:spacing", "after")) == round(sp.space_after_pt * 20), where
    line = int(prop(doc, style_id, "w:pPr/w:spacing", "line"))
    rule = prop(doc, style_id, "w:pPr/w:spacing", "lineRule")
    if sp.line_rule in ("exact", "at_least"):
        assert rule == {"exact": "exact", "at_least": "atLeast"}[sp.line_rule], where
        assert line == round(sp.line_spacing * 20), where
    else:
        assert rule in (None, "auto") and line == round(sp.line_spacing * 240), where
    indent = prop(doc, style_id, "w:pPr/w:ind", "firstLine")
    assert int(indent or 0) * TWIP_MM / 10 == pytest.approx(sp.first_line_indent_cm, abs=0.002), where


def paragraphs(doc, style_id):
    return [p for p in doc.paragraphs if p.style is not None and p.style.style_id == style_id]


def rule_length_mm(paragraph, available_mm: float) -> float:
    ind = paragraph._p.find("w:pPr/w:ind", NS)
    left = int(ind.get(f"{{{W}}}left") or ind.get(f"{{{W}}}start") or 0)
    right = int(ind.get(f"{{{W}}}right") or ind.get(f"{{{W}}}end") or 0)
    return available_mm - (left + right) * TWIP_MM


def border_pt(paragraph) -> float | None:
    bottom = paragraph._p.find("w:pPr/w:pBdr/w:bottom", NS)
    return None if bottom is None else int(bottom.get(f"{{{W}}}sz")) / 8


# ---------------------------------------------------------------------------------- page
def test_page_and_margins(case):
    code, fmt, path, doc = case
    s = doc.sections[0]
    for got, want in ((s.page_width, fmt.page.width_mm), (s.page_height, fmt.page.height_mm),
                      (s.top_margin, fmt.margins.top), (s.bottom_margin, fmt.margins.bottom),
                      (s.left_margin, fmt.margins.left), (s.right_margin, fmt.margins.right),
                      (s.header_distance, fmt.page.header_distance_mm),
                      (s.footer_distance, fmt.page.footer_distance_mm)):
        assert got.mm == pytest.approx(want, abs=0.05)
    defaults = doc.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(f"{{{W}}}ascii") == fmt.font_name
    assert defaults.find("w:lang", NS).get(f"{{{W}}}val") == fmt.language


def test_every_paragraph_style_follows_the_file(case):
    code, fmt, path, doc = case
    h = fmt.header
    table_sp = h.spacing
    checks = [
        ("Normal", fmt.body.text, fmt.body.spacing),
        ("FootnoteText", fmt.footnotes.text, fmt.footnotes.spacing),
        ("UpperBody", h.upper_body, table_sp),
        ("Issuer", h.issuer, table_sp),
        ("DocNumber", h.number.style, table_sp),
        ("DateLine", h.date_line.style, table_sp),
        ("DocTitle", fmt.title.text, fmt.title.spacing),
        ("DocSummary", fmt.summary.text, fmt.summary.spacing),
        ("Closing", fmt.closing.text, fmt.closing.spacing),
        ("SignerAuthority", fmt.signature.on_behalf, fmt.signature.spacing),
        ("SignerTitle", fmt.signature.title, fmt.signature.spacing),
        ("SignerName", fmt.signature.name, fmt.signature.spacing),
        ("RecipientsLabel", fmt.recipients.label_style, fmt.signature.spacing),
        ("RecipientItem", fmt.recipients.item, fmt.signature.spacing),
        ("TableTitle", fmt.tables.title.text, fmt.tables.title.spacing),
        ("ChartTitle", fmt.charts.title.text, fmt.charts.title.spacing),
    ]
    checks += [(f"Heading{n}", fmt.heading(n).text, fmt.heading(n).spacing) for n in range(1, 6)]
    checks += [(sid, line.style, table_sp) for sid, line in zip(("PartyMotto", "Motto2"), h.motto.all_lines())]
    if fmt.separator.kind == "text":
        checks.append(("SummaryRule", fmt.separator.style, fmt.separator.spacing))
    else:
        check_spacing(doc, "SummaryRule", fmt.separator.spacing)
    if h.mark().kind == "text":
        checks.append(("IssuerStar", h.mark().style, table_sp))
    for style_id, ts, sp in checks:
        check_text(doc, style_id, ts, fmt)
        check_spacing(doc, style_id, sp)
    for style_id, ts in (("TableHeader", fmt.tables.header), ("TableLabel", fmt.tables.label),
                         ("TableCell", fmt.tables.cell), ("TableTotal", fmt.tables.total)):
        check_text(doc, style_id, ts, fmt)
    assert int(prop(doc, "Header", "w:rPr/w:sz")) == round(fmt.page_number.size * 2)
    assert prop(doc, "Header", "w:pPr/w:jc") == ALIGN[fmt.page_number.align]
    # headings are Word's own Heading 1-5 with outline levels, so the navigation pane works
    for n in range(1, 6):
        assert style_el(doc, f"Heading{n}").find("w:name", NS).get(f"{{{W}}}val") == f"heading {n}"
        assert prop(doc, f"Heading{n}", "w:pPr/w:outlineLvl") == str(n - 1)
    assert style_el(doc, "FootnoteText").find("w:name", NS).get(f"{{{W}}}val") == "footnote text"
    assert prop(doc, "Normal", "w:pPr/w:widowControl") in (None, "1", "true") if fmt.widow_control else True


# ---------------------------------------------------------------------------------- header
def test_header_table_layout(case):
    code, fmt, path, doc = case
    h = fmt.header
    table = doc.tables[0]
    tbl_pr = table._tbl.tblPr
    assert {b.get(f"{{{W}}}val") for b in tbl_pr.find("w:tblBorders", NS)} == {"nil"}
    assert [c.width.mm for c in table.columns] == pytest.approx([h.left_width_mm, h.right_width_mm], abs=0.05)
    assert int(tbl_pr.find("w:tblInd", NS).get(f"{{{W}}}w")) * TWIP_MM == pytest.approx(h.indent_mm, abs=0.05)
    margins = tbl_pr.find("w:tblCellMar", NS)
    assert int(margins.find("w:left", NS).get(f"{{{W}}}w")) * TWIP_MM == pytest.approx(h.cell_margin_mm, abs=0.05)

    # right column: the motto lines as the file lists them, then the rule as long as the file says
    motto_cell = table.cell(0, 1)
    lines = h.motto.all_lines()
    texts = [p.text for p in motto_cell.paragraphs]
    assert texts[:len(lines)] == [line.style.apply_case(line.text) for line in lines]
    if h.motto.rule == "border":
        rule = motto_cell.paragraphs[len(lines)]
        assert rule.text == "" and border_pt(rule) == pytest.approx(h.motto.rule_width_pt, abs=0.07)
        inner = h.right_width_mm - 2 * h.cell_margin_mm
        assert rule_length_mm(rule, inner) == pytest.approx(h.motto.rule_length_mm, abs=0.1)
    # the number line and the date line share the last row
    last = len(table.rows) - 1
    assert table.cell(last, 0).text == number_line(model_for(code), fmt)
    assert table.cell(last, 1).paragraphs[0].style.style_id == "DateLine"
    assert re.fullmatch(r"Lùng Phình, ngày 08 tháng 6 năm 2026", table.cell(last, 1).text)
    # under the issuer: the mark the file names (a "*" or a rule of the file's length)
    mark = h.mark()
    mark_cell = table.cell(last - 1, 0)
    if mark.kind == "text":
        assert mark_cell.text == mark.text
    else:
        paragraph = mark_cell.paragraphs[0]
        assert paragraph.text == "" and border_pt(paragraph) == pytest.approx(mark.rule_width_pt, abs=0.07)
        inner = h.left_width_mm - 2 * h.cell_margin_mm
        assert rule_length_mm(paragraph, inner) == pytest.approx(mark.rule_length_mm, abs=0.1)
        height = prop(doc, "IssuerStar", "w:pPr/w:spacing", "line")
        assert int(height) == round(max(mark.rule_gap_pt, 1) * 20)


def test_separator_under_the_summary(case):
    code, fmt, path, doc = case
    sep = paragraphs(doc, "SummaryRule")
    assert len(sep) == 1
    if fmt.separator.kind == "text":
        assert sep[0].text == fmt.separator.text
    else:
        assert sep[0].text == "" and border_pt(sep[0]) == pytest.approx(fmt.separator.rule_width_pt, abs=0.07)
        assert rule_length_mm(sep[0], fmt.text_width_mm) == pytest.approx(fmt.separator.rule_length_mm, abs=0.1)


def test_signature_recipients_and_end_mark(case):
    code, fmt, path, doc = case
    s = fmt.signature
    table = doc.tables[-1]
    assert [c.width.mm for c in table.columns] == pytest.approx([s.left_width_mm, s.right_width_mm], abs=0.05)
    left, right = table.cell(0, 0), table.cell(0, 1)
    assert left.paragraphs[0].text == fmt.recipients.label
    assert all(p.text.startswith("-") for p in left.paragraphs[1:])
    space = right.paragraphs[2]
    assert space.style.style_id == "SignatureSpace"
    assert int(prop(doc, "SignatureSpace", "w:pPr/w:spacing", "line")) * TWIP_MM == pytest.approx(
        s.signature_space_mm, abs=0.1)
    assert prop(doc, "SignatureSpace", "w:pPr/w:spacing", "lineRule") == "exact"
    for p in (left.paragraphs[0], right.paragraphs[0]):
        assert p.paragraph_format.space_before.pt == pytest.approx(s.space_before_pt)
    closing = paragraphs(doc, "Closing")
    assert len(closing) == 1 and closing[0].text.endswith(fmt.end_mark) and fmt.end_mark == "./."
    assert not closing[0].text.endswith(".." + fmt.end_mark)


def test_page_numbers_follow_the_file(case):
    code, fmt, path, doc = case
    section = doc.sections[0]
    pn = fmt.page_number
    assert section.different_first_page_header_footer is (not pn.show_on_first_page)
    part = section.header if pn.position == "top" else section.footer
    assert "".join(t.text for t in part._element.iter(f"{{{W}}}instrText")).strip() == "PAGE"


def test_data_table_follows_the_file(case):
    code, fmt, path, doc = case
    t = fmt.tables
    grid = doc.tables[1]
    borders = grid._tbl.tblPr.find("w:tblBorders", NS)
    assert {int(b.get(f"{{{W}}}sz")) for b in borders} == {round(t.border_pt * 8)}
    assert grid.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is not None
    widths = [c.width.mm for c in grid.columns]
    text_width = fmt.text_width_mm
    assert text_width * t.label_min_width_ratio - 0.1 <= widths[0] <= text_width * t.label_width_ratio + 0.1
    assert sum(widths) == pytest.approx(text_width, abs=0.2)
    after = paragraphs(doc, "TableAfter")
    assert after and int(prop(doc, "TableAfter", "w:pPr/w:spacing", "after")) == round(t.space_after_pt * 20)


# ---------------------------------------------------------------------------------- State specifics
@pytest.fixture(scope="module")
def state(tmp_path_factory):
    fmt = load_format("state")
    path = write_docx(state_model(), tmp_path_factory.mktemp("state") / "ubnd.docx")
    return fmt, path, docx.Document(str(path))


def test_state_header_text(state):
    fmt, path, doc = state
    header = doc.tables[0]
    assert [c.text for c in header.columns[0].cells] == ["ỦY BAN NHÂN DÂN\nXÃ LÙNG PHÌNH", "", "Số: 05/BC-UBND"]
    assert [p.text for p in header.cell(0, 1).paragraphs] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    # the numbers of Nghị định 30/2020/NĐ-CP, so a broken state.yaml cannot pass unnoticed
    h = fmt.header
    assert [(l.style.size, l.style.bold, l.style.case) for l in h.motto.all_lines()] == [
        (13, True, "upper"), (14, True, "as_is")]
    assert (h.issuer.size, h.issuer.bold, h.issuer.case) == (13, True, "upper")
    assert h.number.pattern == "Số: {number}/{doc_type}-{issuer_symbol}" and h.number.style.size == 13
    assert (h.date_line.style.italic, 13 <= h.date_line.style.size <= 14) == (True, True)
    assert h.mark().kind == "rule" and fmt.separator.kind == "rule"
    r = fmt.recipients
    assert (r.label, r.label_style.size, r.label_style.bold, r.label_style.italic, r.label_style.underline) == (
        "Nơi nhận:", 12, True, True, False)
    assert r.item.size == 11 and not r.item.bold
    assert 13 <= fmt.title.text.size <= 14 and fmt.title.text.bold
    assert (fmt.margins.top, fmt.margins.bottom, fmt.margins.left, fmt.margins.right) == (20, 20, 30, 15)


def test_state_signature_and_recipients(state):
    fmt, path, doc = state
    table = doc.tables[-1]
    assert [p.text for p in table.cell(0, 1).paragraphs] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "",
                                                            "Nguyễn Văn Thành"]
    assert [p.text for p in table.cell(0, 0).paragraphs] == [
        "Nơi nhận:", "- UBND tỉnh Lào Cai (b/c);", "- Thường trực Đảng ủy xã;", "- Lưu: VT."]
    assert [p.text for p in paragraphs(doc, "Closing")] == [
        "Trên đây là báo cáo tình hình kinh tế - xã hội tuần của Ủy ban nhân dân xã Lùng Phình./."]


def test_number_line_pads_and_blanks():
    state_fmt, party_fmt = load_format("state"), load_format("party")
    assert number_line(state_model(number="5"), state_fmt) == "Số: 05/BC-UBND"
    assert number_line(state_model(number="112"), state_fmt) == "Số: 112/BC-UBND"
    assert number_line(state_model(number=""), state_fmt) == "Số:      /BC-UBND"
    assert number_line(dataclasses.replace(make_model(), number="7"), party_fmt) == "Số 07-BC/ĐU"


def test_issuer_wraps_before_the_commune_name_only_when_the_file_says():
    from baocao_desktop.document.layout import issuer_lines
    state_fmt, party_fmt = load_format("state"), load_format("party")
    assert issuer_lines(state_model(), state_fmt) == "ỦY BAN NHÂN DÂN\nXÃ LÙNG PHÌNH"
    assert issuer_lines(state_model(issuer="Ủy ban nhân dân phường Sa Pa"), state_fmt) == \
        "ỦY BAN NHÂN DÂN\nPHƯỜNG SA PA"
    # "xã" inside another word ("xã hội") or at the start does not wrap
    assert issuer_lines(state_model(issuer="Xã hội học"), state_fmt) == "XÃ HỘI HỌC"
    assert issuer_lines(make_model(), party_fmt) == "ĐẢNG ỦY XÃ LÙNG PHÌNH"


def test_end_mark_is_added_once():
    from baocao_desktop.document.layout import with_end_mark
    assert with_end_mark("… xã Bình Lư.", "./.") == "… xã Bình Lư./."
    assert with_end_mark("… xã Bình Lư", "./.") == "… xã Bình Lư./."
    assert with_end_mark("… xã Bình Lư./.", "./.") == "… xã Bình Lư./."
    assert with_end_mark("… xã Bình Lư;  ", "./.") == "… xã Bình Lư./."


def test_end_mark_goes_on_the_last_paragraph_when_there_is_no_closing(tmp_path):
    model = dataclasses.replace(make_model(), closing="", blocks=(
        Heading(1, "I.", "Kết quả"), Body((Run("Hoàn thành kế hoạch."), Footnote(((Run("Chú thích."),),))))))
    doc = docx.Document(str(write_docx(model, tmp_path / "no_closing.docx")))
    normal = paragraphs(doc, "Normal")
    assert [p.text for p in normal] == ["Hoàn thành kế hoạch./."]
    assert not paragraphs(doc, "Closing")


def test_writer_has_no_branch_per_format():
    import baocao_desktop.document.docx_writer as writer
    source = Path(writer.__file__).read_text(encoding="utf-8")
    assert not re.search(r"""["'](party|state)["']""", source)
    assert "format_code ==" not in source


def test_state_rule_lengths_match_the_text_they_underline():
    """The file's numbers, checked against the font: the motto's rule is as long as "Độc lập - Tự do -
    Hạnh phúc", the issuer's rule 1/3-1/2 of "ỦY BAN NHÂN DÂN", and the lines fit their columns."""
    pytest.importorskip("fontTools")
    from fontTools.ttLib import TTFont
    fmt = load_format("state")
    h = fmt.header

    def font_file(bold: bool, italic: bool = False) -> str:
        font_manager = pytest.importorskip("matplotlib.font_manager")
        props = font_manager.FontProperties(family=["Times New Roman", "Liberation Serif", "Tinos"],
                                            weight="bold" if bold else "normal",
                                            style="italic" if italic else "normal")
        path = font_manager.findfont(props, fallback_to_default=False)
        if not re.search(r"(?i)times|liberationserif|tinos", Path(path).name):
            pytest.skip("no Times-compatible font installed")
        return path

    def width_mm(text: str, ts: TextStyle) -> float:
        font = TTFont(font_file(ts.bold, ts.italic))
        cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        units = sum(hmtx[cmap[ord(ch)]][0] for ch in unicodedata.normalize("NFC", ts.apply_case(text)))
        return units / upm * ts.size * 25.4 / 72

    quoc_hieu, tieu_ngu = h.motto.all_lines()
    inner_right = h.right_width_mm - 2 * h.cell_margin_mm
    assert width_mm(quoc_hieu.text, quoc_hieu.style) <= inner_right
    assert h.motto.rule_length_mm == pytest.approx(width_mm(tieu_ngu.text, tieu_ngu.style), abs=1.0)
    issuer_line = width_mm("Ủy ban nhân dân", h.issuer)
    assert issuer_line / 3 <= h.mark().rule_length_mm <= issuer_line / 2
    assert issuer_line <= h.left_width_mm - 2 * h.cell_margin_mm
    assert width_mm("Lùng Phình, ngày 28 tháng 12 năm 2026", h.date_line.style) <= inner_right


# ---------------------------------------------------------------------------------- render
@pytest.mark.render
def test_state_document_renders_with_libreoffice(state, tmp_path):
    from pypdf import PdfReader
    fmt, path, doc = state
    reader = PdfReader(str(docx_to_pdf(path, tmp_path)))
    assert 1 <= len(reader.pages) <= 3
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((fmt.page.width_mm * 72 / 25.4,
                                                                   fmt.page.height_mm * 72 / 25.4), abs=1)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", " ".join(p.extract_text() for p in reader.pages)))
    for expected in ("ỦY BAN NHÂN DÂN", "XÃ LÙNG PHÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 05/BC-UBND", "Lùng Phình, ngày 08 tháng 6 năm 2026",
                     "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nơi nhận:", "- Lưu: VT.",
                     "Ủy ban MTTQ xã triển khai chương trình công tác năm 2026."):
        assert expected in text, expected


# ---------------------------------------------------------------------------------- column widths
WIDE = TableBlock(
    "Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính theo lĩnh vực",
    ("Nội dung", "Tiếp nhận (hồ sơ)", "Đã giải quyết (hồ sơ)", "Đang giải quyết trong hạn (hồ sơ)",
     "Quá hạn (hồ sơ)", "Tạm dừng (hồ sơ)", "Trả lại, không đủ điều kiện (hồ sơ)", "Hủy (hồ sơ)"),
    (("Hộ tịch", "271", "270", "1", "0", "0", "0", "0"), ("Đăng ký kinh doanh", "20", "12", "2", "0", "0", "6", "0"),
     ("Tổng số", "1.747", "1.699", "25", "1", "5", "15", "2")), (2,))
MONEY = TableBlock(
    "Chính sách hỗ trợ cán bộ, công chức, viên chức chịu tác động của sắp xếp",
    ("Nội dung", "Thôi việc, nghỉ hưu theo Nghị định 178/2024/NĐ-CP: số người (người)",
     "Thôi việc, nghỉ hưu theo Nghị định 178/2024/NĐ-CP: kinh phí (đồng)", "Hỗ trợ theo chính sách của tỉnh: "
     "số người (người)", "Hỗ trợ theo chính sách của tỉnh: kinh phí (đồng)"),
    (("Khối chính quyền", "6", "5.575.813.000", "1", "3.600.000"),
     ("Khối Đảng, MTTQ, đoàn thể", "1", "916.011.000", "2", "7.200.000"),
     ("Tổng số", "7", "6.491.824.000", "3", "10.800.000")), (2,))


@pytest.mark.parametrize("code", FORMATS)
@pytest.mark.parametrize("block", [WIDE, MONEY], ids=["many_columns", "long_figures"])
def test_columns_fit_their_figures_and_heading_words(block, code):
    from baocao_desktop.document.layout import table_column_widths
    from baocao_desktop.document.metrics import text_width_mm
    fmt = load_format(code)
    t = fmt.tables
    widths = table_column_widths(block, fmt)
    assert sum(widths) == pytest.approx(fmt.text_width_mm, abs=0.01)
    assert fmt.text_width_mm * t.label_min_width_ratio - 0.01 <= widths[0] <= fmt.text_width_mm * t.label_width_ratio
    inner = [w - 2 * t.cell_margin_mm for w in widths]
    for row in block.rows:
        for col, text in enumerate(row[1:], start=1):
            assert text_width_mm(text, t.total.size, bold=True) < inner[col], (text, widths)
    for col, heading in enumerate(block.header[1:], start=1):
        for word in heading.split():
            assert text_width_mm(word, t.header.size, bold=t.header.bold) < inner[col], (word, widths)


def test_metrics_match_the_font_file():
    """The built-in Times metrics agree with the installed metric-compatible font (when fontTools is)."""
    pytest.importorskip("fontTools")
    font_manager = pytest.importorskip("matplotlib.font_manager")
    from fontTools.ttLib import TTFont

    from baocao_desktop.document.metrics import text_width_mm
    path = font_manager.findfont(font_manager.FontProperties(family=["Times New Roman", "Liberation Serif"],
                                                             weight="bold"), fallback_to_default=False)
    if not re.search(r"(?i)times|liberationserif", Path(path).name):
        pytest.skip("no Times-compatible font installed")
    font = TTFont(path)
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    text = "Thôi việc, nghỉ hưu theo Nghị định 178/2024/NĐ-CP: 5.575.813.000 đồng (ĐƠN VỊ)"
    exact = sum(hmtx[cmap[ord(ch)]][0] for ch in text) / upm * 12 * 25.4 / 72
    assert text_width_mm(text, 12, bold=True) == pytest.approx(exact, rel=0.01)


def test_a_state_unit_exports_in_the_state_format(workspace, tmp_path):
    """A commune People's Committee set up as a State unit: the export uses state.yaml end to end."""
    ws = workspace
    ws.save_unit(name="Ủy ban nhân dân xã Lùng Phình", level="xã", upper_body="", place_name="Lùng Phình",
                 symbol="UBND", format="state")
    ws.set_signers([{"on_behalf": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Lý Văn Sử"}])
    report = ws.create_report("bc_tuan", "2026-06-01", number="7", report_date="2026-06-08")
    ws.set_section_text(report.id, ws.template("bc_tuan").sections[0].path, "Tình hình ổn định.")
    doc = docx.Document(str(ws.export_docx(report.id, tmp_path / "ubnd.docx")))
    header = doc.tables[0]
    assert [c.text for c in header.columns[0].cells] == ["ỦY BAN NHÂN DÂN\nXÃ LÙNG PHÌNH", "", "Số: 07/BC-UBND"]
    assert header.cell(0, 1).paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    assert doc.tables[-1].cell(0, 1).paragraphs[0].text == "TM. ỦY BAN NHÂN DÂN"
    fmt = load_format("state")
    assert int(prop(doc, "RecipientItem", "w:rPr/w:sz")) == fmt.recipients.item.size * 2
