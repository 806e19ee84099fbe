"""The layout plan (document/layout.py) on its own: no Qt, no python-docx. Both renderers draw this
plan, so what is asserted here holds for the DOCX and the print preview alike."""
from __future__ import annotations

import dataclasses

import pytest

from baocao_desktop.document import charts
from baocao_desktop.document.formats import load_format
from baocao_desktop.document.layout import (
    Anchor,
    DataTable,
    FrameTable,
    NoteRef,
    Para,
    Picture,
    build_plan,
)
from baocao_desktop.document.model import Body, ChartBlock, Heading, TableBlock
from baocao_desktop.domain.richtext import Footnote, Run
from tests.document.test_docx_writer import NOTE_1, NOTE_2_P1, NOTE_3, make_model
from tests.document.test_format_readback import state_model

PARTY = load_format("party")
STATE = load_format("state")


def text_of(para: Para) -> str:
    return para.text or "".join(r.text for r in para.runs if isinstance(r, Run))


def marked(plan) -> list[Para]:
    return [p for p in plan.paragraphs() if p.end_mark]


def with_mark(plan) -> list[str]:
    return [text_of(p) for p in plan.paragraphs() if "./." in text_of(p)]


# == the end mark ===================================================================================
def test_without_closing_the_end_mark_goes_once_on_the_last_body_paragraph_and_the_signature_follows():
    plan = build_plan(dataclasses.replace(make_model(), closing=""))
    [last] = marked(plan)
    assert last.style == "Normal"
    body = [b for b in plan.blocks if isinstance(b, Para) and b.style == "Normal"]
    assert body[-1] is last
    # "… 84,5% kế hoạch" + footnote + "." → the mark replaces the full stop, the footnote stays cited
    assert [type(x) for x in last.runs] == [Run, NoteRef, Run]
    assert last.runs[-1].text == "./."
    assert with_mark(plan) == ["Diện tích lúa mùa đạt 549/650 ha, bằng 84,5% kế hoạch./."]
    assert not [b for b in plan.blocks if isinstance(b, Para) and b.style == "Closing"]
    index = plan.blocks.index(last)
    signature, anchor = plan.blocks[index + 1:]
    assert isinstance(signature, FrameTable) and signature.role == "signature"
    assert isinstance(anchor, Anchor)


def test_with_a_closing_the_closing_carries_the_mark_and_the_body_does_not():
    model = dataclasses.replace(make_model(), closing="Trên đây là báo cáo tuần của Đảng ủy xã;  ")
    plan = build_plan(model)
    [closing] = marked(plan)
    assert closing.style == "Closing" and closing.text == "Trên đây là báo cáo tuần của Đảng ủy xã./."
    assert with_mark(plan) == [closing.text]
    assert plan.blocks[plan.blocks.index(closing) + 1].role == "signature"


def test_a_closing_that_has_the_mark_is_not_marked_twice():
    plan = build_plan(make_model())  # its closing ends with "./." already
    assert [p.text for p in marked(plan)] == [
        "Trên đây là Báo cáo khái quát tình hình tuần của Thường trực Đảng ủy xã Lùng Phình./."]


def test_a_text_ending_with_a_table_gets_the_mark_in_a_paragraph_of_its_own_after_it():
    table = TableBlock("Kết quả", ("Nội dung", "Số"), (("Lúa", "5"),))
    plan = build_plan(dataclasses.replace(make_model(), closing="", blocks=make_model().blocks + (table,)))
    [mark] = marked(plan)
    assert (mark.style, mark.text) == ("Closing", "./.")
    assert isinstance(plan.blocks[plan.blocks.index(mark) - 1], DataTable)
    assert len(with_mark(plan)) == 1


def test_no_text_no_end_mark():
    plan = build_plan(dataclasses.replace(make_model(), closing="", blocks=()))
    assert marked(plan) == [] and with_mark(plan) == []


# == headings, styles, keep-with-next ================================================================
def test_headings_keep_with_next_by_level_with_the_formats_case():
    plan = build_plan(make_model())
    headings = [p for p in plan.paragraphs() if p.style.startswith("Heading")]
    assert [(p.style, text_of(p)) for p in headings] == [
        ("Heading1", "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO CỦA ĐẢNG ỦY"),
        ("Heading2", "1. Công tác lãnh đạo, chỉ đạo, điều hành"),
        ("Heading3", "1.1. Các hội nghị, cuộc họp"),
        ("Heading4", "a) Sản xuất nông nghiệp"),
    ]
    for level in range(1, 6):
        style = plan.style(f"Heading{level}")
        assert style.keep_with_next and style.outline_level == level - 1
        assert style.text == PARTY.heading(level).text and style.spacing == PARTY.heading(level).spacing


def test_heading_levels_outside_1_to_5_are_clamped():
    model = dataclasses.replace(make_model(), blocks=(Heading(0, "", "Mở đầu"), Heading(9, "-", "ý")))
    plan = build_plan(model)
    assert [(p.style, text_of(p)) for p in plan.paragraphs() if p.style.startswith("Heading")] == [
        ("Heading1", "MỞ ĐẦU"), ("Heading5", "- ý")]


def test_what_stays_with_the_next_paragraph():
    plan = build_plan(make_model())
    keep = {s.id for s in plan.styles if s.keep_with_next}
    assert keep == {f"Heading{n}" for n in range(1, 6)} | {
        "DocTitle", "DocSummary", "Closing", "TableTitle", "ChartTitle", "SignerAuthority", "SignerTitle",
        "SignatureSpace", "RecipientsLabel"}
    normal = plan.style("Normal")
    assert normal.widow_control is PARTY.widow_control and not normal.keep_with_next
    assert normal.spacing.first_line_indent_cm == 1.27 and normal.text.align == "justify"
    # every paragraph of the plan names a style the plan defines
    assert all(plan.style(p.style) for p in plan.paragraphs())


def test_signature_space_is_as_high_as_the_format_says():
    style = build_plan(make_model()).style("SignatureSpace")
    assert style.spacing.line_rule == "exact"
    assert style.spacing.line_spacing == pytest.approx(PARTY.signature.signature_space_mm * 72 / 25.4)


# == order of the blocks, header, signature ==========================================================
def test_block_order_from_header_to_signature():
    plan = build_plan(make_model())
    kinds = [type(b).__name__ if not isinstance(b, Para) else b.style for b in plan.blocks]
    assert kinds == ["Anchor", "FrameTable", "DocTitle", "DocSummary", "SummaryRule",
                     "Heading1", "Heading2", "Normal", "Heading3", "Normal", "Heading4", "Normal",
                     "Closing", "FrameTable", "Anchor"]
    assert [b.role for b in plan.blocks if isinstance(b, FrameTable)] == ["header", "signature"]
    assert [text_of(p) for p in plan.blocks[2:5]] == [
        "BÁO CÁO", "Khái quát tình hình từ ngày 01 đến 07/6/2026", "-----"]


def test_party_header_table():
    header = build_plan(make_model()).blocks[1]
    left = [(p.style, p.text) for cell, _ in header.rows for p in cell]
    assert left == [("UpperBody", "ĐẢNG BỘ TỈNH LÀO CAI"), ("Issuer", "ĐẢNG ỦY XÃ LÙNG PHÌNH"),
                    ("IssuerStar", "*"), ("DocNumber", "Số 12-BC/ĐU")]
    right = [[(p.style, p.text, p.rule) for p in cell] for _, cell in header.rows]
    assert right[0][0][:2] == ("PartyMotto", "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert right[0][1][0] == "MottoRule" and right[0][1][2].length_mm == PARTY.header.motto.rule_length_mm
    assert right[1:3] == [[("DateLine", "", None)]] * 2
    assert right[3] == [("DateLine", "Lùng Phình, ngày 08 tháng 6 năm 2026", None)]
    assert (header.left_mm, header.right_mm, header.indent_mm) == (80, 90, -5)
    assert not header.keep_together and header.space_before_pt == 0


def test_state_header_rules_and_summary_rule():
    plan = build_plan(state_model())
    header = plan.blocks[1]
    h = STATE.header
    star = next(p for cell, _ in header.rows for p in cell if p.style == "IssuerStar")
    assert star.text == "" and star.rule.length_mm == h.mark().rule_length_mm
    assert star.rule.available_mm == pytest.approx(h.left_width_mm - 2 * h.cell_margin_mm)
    assert [p.text for p, in (cell for cell, _ in header.rows)][:2] == ["ỦY BAN NHÂN DÂN\nXÃ LÙNG PHÌNH", ""]
    assert [p.text for p in header.rows[0][1] if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    rule = next(p for p in plan.blocks if isinstance(p, Para) and p.style == "SummaryRule")
    assert rule.text == "" and rule.rule.length_mm == STATE.separator.rule_length_mm
    assert rule.rule.available_mm == STATE.text_width_mm
    assert plan.style("SummaryRule").spacing == STATE.separator.spacing


def test_signature_block_recipients_and_signer():
    plan = build_plan(make_model())
    signature = plan.blocks[-2]
    [(left, right)] = signature.rows
    assert [(p.style, p.text) for p in left] == [
        ("RecipientsLabel", "Nơi nhận:"), ("RecipientItem", "- Ban Thường vụ Tỉnh ủy (b/c),"),
        ("RecipientItem", "- Văn phòng Tỉnh ủy,"), ("RecipientItem", "- Lưu Văn phòng Đảng ủy.")]
    assert [(p.style, p.text) for p in right] == [
        ("SignerAuthority", "T/M BAN THƯỜNG VỤ"), ("SignerTitle", "BÍ THƯ"), ("SignatureSpace", ""),
        ("SignerName", "Nguyễn Văn Thành")]
    assert signature.keep_together and signature.space_before_pt == PARTY.signature.space_before_pt
    assert (signature.left_mm, signature.right_mm, signature.indent_mm) == (80, 85, 0)


def test_no_signer_and_no_recipients_no_signature_block():
    plan = build_plan(dataclasses.replace(make_model(), signer=None, recipients=("  ",)))
    assert [b.role for b in plan.blocks if isinstance(b, FrameTable)] == ["header"]
    assert isinstance(plan.blocks[-1], Para) and plan.blocks[-1].style == "Closing"


# == footnotes, tables, charts, page numbers =========================================================
def test_footnotes_are_numbered_in_reading_order():
    plan = build_plan(make_model())
    refs = [r.number for p in plan.paragraphs() for r in p.runs if isinstance(r, NoteRef)]
    assert refs == [1, 2, 3]
    assert [n.paragraphs[0][0].text for n in plan.footnotes] == [NOTE_1, NOTE_2_P1, NOTE_3]
    assert plan.style("FootnoteText").text == PARTY.footnotes.text


def test_body_content_must_be_runs_and_footnotes():
    model = dataclasses.replace(make_model(), blocks=(Body((Run("a"), "b")),))
    with pytest.raises(TypeError, match="runs and footnotes, not str"):
        build_plan(model)


def test_data_table_title_widths_and_total_row():
    plan = build_plan(state_model())
    [table] = [b for b in plan.blocks if isinstance(b, DataTable)]
    title = plan.blocks[plan.blocks.index(table) - 1]
    assert (title.style, title.text) == ("TableTitle", "Kết quả sản xuất")
    assert sum(table.widths_mm) == pytest.approx(STATE.text_width_mm)
    assert [(p.style, p.text) for p in table.header] == [
        ("TableHeader", "Nội dung"), ("TableHeader", "Kế hoạch (ha)"), ("TableHeader", "Thực hiện (ha)")]
    assert [[p.style for p in row] for row in table.rows] == [
        ["TableLabel", "TableCell", "TableCell"], ["TableLabel", "TableCell", "TableCell"],
        ["TableTotalLabel", "TableTotal", "TableTotal"]]
    assert (table.border_pt, table.space_after_pt) == (STATE.tables.border_pt, STATE.tables.space_after_pt)


def test_chart_title_then_picture_no_wider_than_the_format_allows():
    model = dataclasses.replace(make_model(), blocks=(ChartBlock("Thu ngân sách", b"\x89PNG fake", 400.0),))
    plan = build_plan(model)
    title, picture = [b for b in plan.blocks if isinstance(b, (Para, Picture))
                      and getattr(b, "style", "") in ("ChartTitle", "ChartPicture")]
    assert (title.style, title.text) == ("ChartTitle", "Thu ngân sách")
    assert picture.width_mm == min(PARTY.charts.max_width_mm, PARTY.text_width_mm) == 160
    assert picture.description == "Thu ngân sách" and picture.png == b"\x89PNG fake"


def test_a_chart_that_cannot_be_drawn_is_left_out_with_its_title(monkeypatch):
    def fail(*args, **kwargs):
        raise charts.ChartError("no matplotlib")

    monkeypatch.setattr(charts, "render_chart", fail)
    model = dataclasses.replace(make_model(), closing="", blocks=(
        Body((Run("Đoạn đầu."),)), ChartBlock("Biểu đồ", spec=object())))
    plan = build_plan(model)
    assert not [b for b in plan.blocks if isinstance(b, Picture)]
    assert "ChartTitle" not in [p.style for p in plan.paragraphs()]
    # the text still ends with the mark, after the (left out) chart
    assert [(p.style, p.text) for p in marked(plan)] == [("Closing", "./.")]


@pytest.mark.parametrize("code, first, position", [("party", False, "top"), ("state", False, "top")])
def test_page_numbers(code, first, position):
    fmt = load_format(code)
    plan = build_plan(state_model() if code == "state" else make_model())
    pn = plan.page_numbers
    assert (pn.position, pn.align, pn.size) == (fmt.page_number.position, fmt.page_number.align, fmt.page_number.size)
    assert position == pn.position
    assert pn.shown_on(1) is first and pn.shown_on(2) and pn.shown_on(30)
    assert plan.style("Header").text.size == fmt.page_number.size


def test_page_number_on_the_first_page_when_the_format_asks():
    fmt = dataclasses.replace(PARTY, page_number=dataclasses.replace(PARTY.page_number, show_on_first_page=True))
    assert build_plan(make_model(), fmt).page_numbers.shown_on(1)


def test_document_name_and_author():
    plan = build_plan(make_model())
    assert plan.document_name == "Báo cáo Khái quát tình hình từ ngày 01 đến 07/6/2026"
    assert plan.author == "Đảng ủy xã Lùng Phình"


def test_text_is_nfc_in_the_plan():
    import unicodedata
    plan = build_plan(make_model(decompose=True))
    for p in plan.paragraphs():
        assert unicodedata.is_normalized("NFC", p.text)
    assert plan.blocks[1].rows[1][0][0].text == "ĐẢNG ỦY XÃ LÙNG PHÌNH"


def test_footnote_inside_the_marked_paragraph_keeps_its_place():
    note = Footnote(((Run("Chú thích."),),))
    model = dataclasses.replace(make_model(), closing="", blocks=(Body((Run("Kết quả tốt"), note)),))
    [last] = marked(build_plan(model))
    assert [type(x) for x in last.runs] == [Run, NoteRef] and last.runs[0].text == "Kết quả tốt./."
