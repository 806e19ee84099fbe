"""The draft mark ("DỰ THẢO"), read back from the DOCX against each format file (Party and State).

A report that is not Đã ký / Đã gửi carries the format's mark at the top left of page 1, above the
header table, in a box; the signed export has none, nor has a document that is no report's (a summary).
"""
from __future__ import annotations

import dataclasses
import zipfile

import pytest
from lxml import etree

from baocao_desktop.document.docx_writer import write_docx
from baocao_desktop.document.formats import FormatError, load_format, parse_format
from baocao_desktop.document.layout import DraftMark, FrameTable, build_plan
from baocao_desktop.document.metrics import text_width_mm
from tests.document.test_format_readback import model_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FORMATS = ("party", "state")


def body_of(path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find(f"{W}body")


def style_of(path, style_id):
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    return next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == style_id)


def text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def mark_paragraphs(path_or_body) -> list:
    body = path_or_body if isinstance(path_or_body, etree._Element) else body_of(path_or_body)
    return [p for p in body.iter(f"{W}p")
            if (s := p.find(f"{W}pPr/{W}pStyle")) is not None and s.get(f"{W}val") == "DraftMark"]


@pytest.mark.parametrize("code", FORMATS)
def test_a_draft_carries_the_formats_mark_above_the_header(code, tmp_path):
    fmt = load_format(code)
    mark = fmt.draft_mark
    assert mark.text == "DỰ THẢO" and mark.style.bold and mark.frame
    path = write_docx(dataclasses.replace(model_for(code), status="draft"), tmp_path / "du-thao.docx")
    body = body_of(path)
    [p] = mark_paragraphs(body)
    assert text_of(p) == "DỰ THẢO"
    # top left of page 1: the first paragraph with text, before the header table
    children = list(body)
    assert children.index(p) < children.index(next(c for c in children if c.tag == f"{W}tbl"))
    assert [text_of(c) for c in children[:children.index(p)] if text_of(c)] == []
    # boxed: four borders, as thick as the format says, the padding as the border's space
    borders = p.find(f"{W}pPr/{W}pBdr")
    assert [b.tag.removeprefix(W) for b in borders] == ["top", "left", "bottom", "right"]
    for side in borders:
        assert side.get(f"{W}val") == "single"
        assert int(side.get(f"{W}sz")) == round(mark.border_pt * 8)
        assert int(side.get(f"{W}space")) == round(mark.padding_mm * 72 / 25.4)
    # the box is as wide as the text and its padding, from the left margin: the rest is the right indent
    ind = p.find(f"{W}pPr/{W}ind")
    left_mm, right_mm = int(ind.get(f"{W}left")) / 1440 * 25.4, int(ind.get(f"{W}right")) / 1440 * 25.4
    assert left_mm == pytest.approx(mark.padding_mm, abs=0.05)
    inner = fmt.text_width_mm - left_mm - right_mm
    assert text_width_mm("DỰ THẢO", mark.style.size, bold=True) < inner < text_width_mm(
        "DỰ THẢO", mark.style.size, bold=True) + 2
    # its style: the format's size, bold, centred in the box, the space after it
    style = style_of(path, "DraftMark")
    assert style.find(f"{W}rPr/{W}sz").get(f"{W}val") == str(round(mark.style.size * 2))
    assert style.find(f"{W}rPr/{W}b") is not None and style.find(f"{W}rPr/{W}b").get(f"{W}val") is None
    assert style.find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"
    assert style.find(f"{W}pPr/{W}spacing").get(f"{W}after") == str(round(mark.space_after_pt * 20))


@pytest.mark.parametrize("code", FORMATS)
@pytest.mark.parametrize("status", ["signed", "sent", ""])
def test_signed_export_and_summary_have_no_mark(code, status, tmp_path):
    path = write_docx(dataclasses.replace(model_for(code), status=status), tmp_path / "da-ky.docx")
    assert mark_paragraphs(path) == []
    assert "DỰ THẢO" not in text_of(body_of(path)).upper()


def test_for_signature_is_still_a_draft():
    model = dataclasses.replace(model_for("party"), status="for_signature")
    assert model.is_draft
    plan = build_plan(model)
    marks = [b for b in plan.blocks if isinstance(b, DraftMark)]
    assert len(marks) == 1 and marks[0].para.text == "DỰ THẢO"
    # it is planned before the header table, and is one of the plan's paragraphs (both renderers draw it)
    assert plan.blocks.index(marks[0]) < next(i for i, b in enumerate(plan.blocks) if isinstance(b, FrameTable))
    assert marks[0].para in list(plan.paragraphs())


def test_the_format_file_says_the_marks_text_and_box(tmp_path):
    source = load_format("party").source.read_text(encoding="utf-8")
    changed = source.replace("  text: DỰ THẢO\n", "  text: Dự thảo lần 2\n").replace(
        "  frame: true ", "  frame: false")
    fmt = parse_format(changed, "party.yaml")
    assert fmt.draft_mark.text == "Dự thảo lần 2" and not fmt.draft_mark.frame
    model = dataclasses.replace(model_for("party"), status="draft")
    [mark] = [b for b in build_plan(model, fmt).blocks if isinstance(b, DraftMark)]
    assert mark.para.text == "DỰ THẢO LẦN 2" and mark.border_pt == 0  # case: upper; no box
    path = tmp_path / "a.docx"
    write_docx(model, path, fmt)
    [p] = mark_paragraphs(path)
    assert text_of(p) == "DỰ THẢO LẦN 2" and p.find(f"{W}pPr/{W}pBdr") is None


@pytest.mark.parametrize("old, new, message", [
    ("  text: DỰ THẢO\n", "  text: ''\n", "trường draft_mark.text đang để trống"),
    ("  frame: true ", "  frame: có ", "trường draft_mark.frame phải là true hoặc false"),
    ("  border_pt: 0.75 ", "  border_pt: 20 ", "trường draft_mark.border_pt = 20 nằm ngoài khoảng cho phép"),
    ("  padding_mm: 1.5 ", "  padding_mm: rộng ", "trường draft_mark.padding_mm phải là một số"),
])
def test_a_wrong_draft_mark_is_said_in_vietnamese(old, new, message):
    source = load_format("state").source.read_text(encoding="utf-8")
    assert old in source
    with pytest.raises(FormatError, match=message):
        parse_format(source.replace(old, new), "state.yaml")


def test_a_format_without_draft_mark_still_marks_drafts():
    source = load_format("party").source.read_text(encoding="utf-8")
    start = source.index("draft_mark:")
    end = source.index("\ntitle:")
    fmt = parse_format(source[:start] + source[end + 1:], "party.yaml")
    assert fmt.draft_mark.text == "DỰ THẢO" and fmt.draft_mark.frame


@pytest.mark.parametrize("code", FORMATS)
def test_libreoffice_renders_the_mark_above_the_header_and_the_signed_page_without(code, tmp_path):
    """The mark is the first line of page 1, on its own above the header (not over it); the signed
    export's page 1 starts with the header."""
    import pypdf

    from tests.render import docx_to_pdf

    model = model_for(code)
    first_lines = {}
    for status in ("draft", "signed"):
        path = write_docx(dataclasses.replace(model, status=status), tmp_path / f"{status}.docx")
        page = pypdf.PdfReader(str(docx_to_pdf(path, tmp_path / status))).pages[0].extract_text()
        first_lines[status] = [line.strip() for line in page.splitlines() if line.strip()]
    draft, signed = first_lines["draft"], first_lines["signed"]
    assert draft[0] == "DỰ THẢO"
    assert draft[1:4] == signed[:3]  # the header follows, whole, as in the signed export
    assert not any("DỰ THẢO" in line for line in signed)
