"""Import from Word, headings without formatting: plain run-in headings ("a) Trồng trọt: …") found by
their numbering and context (tests/fixtures/outlines/plain_run_in_report.*, built by make_docx.py),
a heading wrapped onto a second paragraph, Markdown marks; plain numbered list items stay text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from baocao_desktop.domain.richtext import Run
from baocao_desktop.services.docx_import import detect_headings, import_docx_report, plan_import, read_docx
from baocao_desktop.templates.model import parse_template
from tests.conftest import ROOT, SEEDS

docx = pytest.importorskip("docx")

CORPUS = Path(__file__).parents[1] / "fixtures" / "outlines"
TEMPLATE = parse_template((CORPUS / "plain_run_in_report.template.yaml").read_text(encoding="utf-8"), origin="t")


def plain(paragraph) -> str:
    return "".join(x.text for x in paragraph if isinstance(x, Run))


def placed(template, path):
    texts, unplaced, result = plan_import(template, read_docx(path))
    return {k: [plain(p) for p in v] for k, v in texts.items() if v}, [plain(p) for p in unplaced], result


def test_plain_run_in_headings_go_to_their_sections():
    expected = json.loads((CORPUS / "plain_run_in_report.expected.json").read_text(encoding="utf-8"))
    texts, unplaced, result = placed(TEMPLATE, CORPUS / "plain_run_in_report.docx")
    assert texts == expected
    assert unplaced == []
    assert {"I.1.a", "I.1.b", "I.1.c", "I.2.a", "I.2.b"} <= set(result.sections)
    # the numbered list inside a) Giáo dục is text of that section, not headings
    assert not any("Trường" in heading for heading in result.unmatched_headings)


def test_the_fixture_is_what_its_script_builds(tmp_path, monkeypatch):
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_docx", CORPUS / "make_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.report()
    built = [(p.text, p.heading_level) for p in read_docx(tmp_path / "plain_run_in_report.docx")]
    assert built == [(p.text, p.heading_level) for p in read_docx(CORPUS / "plain_run_in_report.docx")]


def save(tmp_path, paragraphs) -> Path:
    document = docx.Document()
    for text, bold in paragraphs:
        document.add_paragraph().add_run(text).bold = bold
    path = tmp_path / "báo cáo.docx"
    document.save(path)
    return path


def test_a_plain_numbered_line_that_matches_no_section_stays_text(tmp_path):
    path = save(tmp_path, [("I. KẾT QUẢ", True), ("1. Kinh tế", True), ("a) Trồng trọt: lúa mùa 549 ha.", False),
                           ("1. Xã Bản Mế", False), ("2. Xã Lùng Phình", False), ("b) Chăn nuôi", False),
                           ("Tổng đàn 3.200 con.", False)])
    texts, unplaced, result = placed(TEMPLATE, path)
    assert texts["I.1.a"] == ["lúa mùa 549 ha.", "1. Xã Bản Mế", "2. Xã Lùng Phình"]
    assert texts["I.1.b"] == ["Tổng đàn 3.200 con."]
    assert unplaced == [] and result.unmatched_headings == []


def test_a_bold_heading_wrapped_onto_the_next_paragraph_is_one_heading(tmp_path):
    path = save(tmp_path, [("I. KẾT QUẢ", True), ("1. Kinh tế", True),
                           ("c) Thu ngân sách, quản lý tài chính và đầu tư xây dựng cơ bản trên địa bàn", True),
                           ("xã trong tháng", True), ("Thu đạt 120 triệu đồng.", False)])
    texts, _, result = placed(TEMPLATE, path)
    assert texts["I.1.c"] == ["Thu đạt 120 triệu đồng."]
    assert "xã trong tháng" not in sum(texts.values(), [])


def test_markdown_marks_around_headings_are_read(tmp_path):
    path = save(tmp_path, [("## **I. KẾT QUẢ**", False), ("**1. Kinh tế**", False),
                           ("**a) Trồng trọt**", False), ("Lúa mùa 549 ha.", False), ("## **II. PHƯƠNG HƯỚNG**", False),
                           ("Tiếp tục chỉ đạo sản xuất.", False)])
    headings = detect_headings(read_docx(path))
    assert [(h.number, h.title) for h in headings if h] == [
        ("I.", "KẾT QUẢ"), ("1.", "Kinh tế"), ("a)", "Trồng trọt"), ("II.", "PHƯƠNG HƯỚNG")]
    texts, _, _ = placed(TEMPLATE, path)
    assert texts == {"I.1.a": ["Lúa mùa 549 ha."], "II": ["Tiếp tục chỉ đạo sản xuất."]}


def test_import_writes_the_plain_run_in_texts(mini):
    workspace = mini  # a unit set up (tests/services/conftest.py)
    workspace.install_template(TEMPLATE)
    result = import_docx_report(workspace, CORPUS / "plain_run_in_report.docx", "thang_thu", "2026-06-01", "2026-06-30")
    texts = workspace.report(result.report_id).texts
    assert texts["I.1.b"] == "tổng đàn gia súc 3.200 con."
    assert "Trồng trọt" not in texts.get("I.1", "")


def test_a_report_typed_without_any_bold_finds_its_headings(tmp_path):
    path = save(tmp_path, [("I. KẾT QUẢ", False), ("1. Kinh tế", False), ("a) Trồng trọt", False),
                           ("Lúa mùa đạt 549 ha.", False), ("b) Chăn nuôi: tổng đàn 3.200 con.", False),
                           ("2. Văn hóa - xã hội", False), ("b) Y tế", False), ("Khám cho 1.250 lượt người.", False),
                           ("II. PHƯƠNG HƯỚNG", False), ("Tiếp tục chỉ đạo sản xuất.", False)])
    texts, unplaced, result = placed(TEMPLATE, path)
    assert texts == {"I.1.a": ["Lúa mùa đạt 549 ha."], "I.1.b": ["tổng đàn 3.200 con."],
                     "I.2.b": ["Khám cho 1.250 lượt người."], "II": ["Tiếp tục chỉ đạo sản xuất."]}
    assert unplaced == [] and result.basis == []


def test_markdown_run_in_heading_keeps_its_text_without_the_marks(tmp_path):
    path = save(tmp_path, [("**I. KẾT QUẢ**", False), ("**1. Kinh tế**", False),
                           ("**a) Trồng trọt:** lúa mùa **549 ha**.", False), ("**b) Chăn nuôi**", False),
                           ("Tổng đàn 3.200 con.", False)])
    texts, unplaced, _ = placed(TEMPLATE, path)
    assert texts == {"I.1.a": ["lúa mùa 549 ha."], "I.1.b": ["Tổng đàn 3.200 con."]}
    assert unplaced == []


def test_nothing_of_a_plain_heading_line_is_dropped(tmp_path):
    path = save(tmp_path, [("I. KẾT QUẢ", True), ("1. Kinh tế", True), ("a) Trồng trọt: tốt.", False),
                           ("b) Chăn nuôi ổn định", False), ("2. Văn hóa - xã hội", True), ("a) Giáo dục", False),
                           ("Các trường hoàn thành năm học.", False)])
    texts, unplaced, _ = placed(TEMPLATE, path)
    assert texts["I.1.a"] == ["tốt."]  # a one-word run-in text is text
    assert texts["I.1.b"] == ["b) Chăn nuôi ổn định"]  # the line says more than the section's title
    assert texts["I.2.a"] == ["Các trường hoàn thành năm học."]  # the heading itself is not repeated
    assert unplaced == []


def test_a_plain_number_with_its_title_on_the_next_paragraph(tmp_path):
    path = save(tmp_path, [("I.", False), ("KẾT QUẢ", False), ("1. Kinh tế", False), ("a) Trồng trọt", False),
                           ("Lúa mùa 549 ha.", False), ("II.", False), ("PHƯƠNG HƯỚNG", False), ("Tiếp tục.", False)])
    texts, unplaced, result = placed(TEMPLATE, path)
    assert texts == {"I.1.a": ["Lúa mùa 549 ha."], "II": ["Tiếp tục."]}
    assert "I" in result.sections and unplaced == []


def test_text_after_the_colon_of_a_heading_all_in_bold_is_kept(tmp_path):
    path = save(tmp_path, [("I. KẾT QUẢ", True), ("1. Kinh tế", True), ("a) Trồng trọt: tốt.", True),
                           ("b) Chăn nuôi", True)])
    texts, _, _ = placed(TEMPLATE, path)
    assert texts == {"I.1.a": ["tốt."]}


def test_dash_run_in_headings_take_the_sections_under_the_current_one(tmp_path):
    path = save(tmp_path, [("I. KẾT QUẢ", True), ("1. Kinh tế", True), ("- Trồng trọt: lúa mùa 549 ha.", False),
                           ("- Xã Bản Mế: 20 ha;", False), ("- Chăn nuôi: tổng đàn 3.200 con.", False),
                           ("II. PHƯƠNG HƯỚNG", True), ("- Y tế: khám định kỳ cho người cao tuổi.", False)])
    texts, unplaced, _ = placed(TEMPLATE, path)
    assert texts["I.1.a"] == ["lúa mùa 549 ha.", "- Xã Bản Mế: 20 ha;"]
    assert texts["I.1.b"] == ["tổng đàn 3.200 con."]
    # "Y tế" is a section of the template, but not under II: the dash line stays text of II
    assert texts["II"] == ["- Y tế: khám định kỳ cho người cao tuổi."]
    assert unplaced == []


SEED_TEMPLATES = {"000": "bc_giam_sat", "001": "bc_tuan", "002": "bc_so_ket_mot_nam"}


@pytest.mark.parametrize("seed", sorted(SEED_TEMPLATES))
def test_a_seed_report_typed_as_plain_paragraphs_finds_its_sections(seed, tmp_path):
    """The seed reports (real reports) as a Word file without any formatting: every line a plain
    paragraph, as text copied from a PDF or a web page lands in Word."""
    code = SEED_TEMPLATES[seed]
    template = parse_template((ROOT / "resources" / "templates" / f"{code}.yaml").read_text(encoding="utf-8"),
                              origin=code)
    text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    path = save(tmp_path, [(line.strip(), False) for line in text.splitlines() if line.strip()])
    texts, unplaced, result = plan_import(template, read_docx(path))
    assert len(result.sections) >= 40  # of 55-80 sections; the others have no heading in the report
    assert sum(len(v) for v in texts.values()) > 3 * len(result.basis)  # the body is in sections, not the căn cứ
    assert unplaced == []
    if seed == "002":  # dash run-in headings ("- *Về quy định …:*") found under their section
        assert {"II.2.2.a", "II.2.2.b", "II.2.2.c", "III.1.3.b"} <= set(result.sections)
