"""The outline corpus (tests/fixtures/outlines): outlines written in the shapes that broke headings
(plain a)–d) under a bold "2.", long ";"-joined titles, lines wrapped by a PDF, Markdown from a chat tool
and a web page, a mix), each with the heading tree it must give (NAME.expected.json: one line per
heading, indented two spaces per level). Every expected heading must be found, and nothing else."""
import json
from pathlib import Path

import pytest

from baocao_desktop.templates.model import parse_template
from baocao_desktop.templates.outline import outline_from_file, outline_from_text

CORPUS = Path(__file__).parents[1] / "fixtures" / "outlines"
CASES = sorted(p for p in CORPUS.iterdir()
               if p.suffix in (".txt", ".md", ".docx") and not p.stem.endswith("_report"))


def heading_lines(sections, depth=0):
    out = []
    for s in sections:
        out.append("  " * depth + (f"{s.number} " if s.number else "") + s.title)
        out += heading_lines(s.children, depth + 1)
    return out


def measure(path: Path) -> tuple[int, int, list[str], list[str]]:
    """(right, expected, missing, extra) for one outline of the corpus."""
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got = heading_lines(outline_from_file(path).sections)
    missing = [e for e in expected if e not in got]
    return len(expected) - len(missing), len(expected), missing, [g for g in got if g not in expected]


def test_corpus_has_every_shape():
    assert {p.stem for p in CASES} >= {"bold_numbers_plain_letters", "semicolon_long", "wrapped_pdf",
                                        "markdown_chat", "markdown_web", "mixed_plain"}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_every_heading_of_the_corpus_is_found_and_nothing_else(path):
    right, total, missing, extra = measure(path)
    assert (missing, extra) == ([], [])
    assert right == total > 0
    outline = outline_from_file(path)
    parse_template(outline.to_yaml(), origin=path.name)  # the template is valid


def find(outline, title):
    return next(s for s in outline.walk() if s.title.startswith(title))


def test_text_under_the_headings_stays_guidance():
    mixed = outline_from_file(CORPUS / "mixed_plain.txt")
    # the list after "Kết quả cụ thể gồm:" (a), b) restarting, ending with ";") is text of d)
    assert find(mixed, "Việc thực hiện Quy chế dân chủ").guidance == (
        "Kết quả cụ thể gồm:\na) số cuộc đối thoại đã tổ chức;\nb) số kiến nghị đã giải quyết.")
    # run-in text after the colon of a short title is its guidance
    assert find(mixed, "Phong trào thi đua").guidance.startswith("Số mô hình được công nhận")
    letters = outline_from_file(CORPUS / "bold_numbers_plain_letters.docx")
    assert find(letters, "Công tác chăm sóc, bảo vệ trẻ em").guidance == (
        "Kết quả gồm:\n1. số trẻ em được cấp thẻ bảo hiểm y tế;\n2. số trẻ em có hoàn cảnh đặc biệt được hỗ trợ.")
    wrapped = outline_from_file(CORPUS / "wrapped_pdf.txt")
    # a wrapped guidance line stays as written; only the heading took its continuation
    assert find(wrapped, "Giáo dục và đào tạo").guidance == (
        "Tỷ lệ học sinh hoàn thành chương trình tiểu học, tỷ lệ huy động trẻ ra lớp.")


def test_markdown_marks_are_read_not_kept():
    chat = outline_from_file(CORPUS / "markdown_chat.md")
    text = "\n".join(f"{s.title}\n{s.guidance}" for s in chat.walk())
    for mark in ("**", "\\*", "##", "-----"):
        assert mark not in text
    assert find(chat, "Công tác lãnh đạo").guidance == "* Nêu các văn bản đã ban hành, số hội nghị đã tổ chức."
    assert find(chat, "Chính quyền số").guidance.startswith("Tỷ lệ hồ sơ giải quyết trực tuyến")
    assert chat.name == "Báo cáo tổng kết công tác chuyển đổi số năm 2026"


def test_plain_text_is_not_read_as_markdown():
    # one "*" line (the emblem under the unit's name) and "____" blanks are not Markdown
    outline = outline_from_text("ĐẢNG ỦY XÃ A\n*\nĐỀ CƯƠNG\nI. KẾT QUẢ\n1. Nông nghiệp\n"
                                "Diện tích ____ ha, *ghi rõ* số liệu.\n2. Ngân sách\nII. NHIỆM VỤ")
    assert heading_lines(outline.sections) == ["I. KẾT QUẢ", "  1. Nông nghiệp", "  2. Ngân sách", "II. NHIỆM VỤ"]
    assert find(outline, "Nông nghiệp").guidance == "Diện tích ____ ha, *ghi rõ* số liệu."


def test_a_short_heading_is_not_joined_with_the_next_line():
    outline = outline_from_text("ĐỀ CƯƠNG\nI. KẾT QUẢ\n1. Nông nghiệp\nsố liệu cụ thể về diện tích.\n"
                                "2. Kết quả thực hiện các chỉ tiêu kinh tế - xã hội năm 2026.\nnêu rõ số liệu\n"
                                "II. NHIỆM VỤ")
    assert heading_lines(outline.sections) == [
        "I. KẾT QUẢ", "  1. Nông nghiệp", "  2. Kết quả thực hiện các chỉ tiêu kinh tế - xã hội năm 2026",
        "II. NHIỆM VỤ"]


def test_multi_level_numbers_ending_with_a_slash():
    outline = outline_from_text("ĐỀ CƯƠNG\n1/ Công tác chỉ đạo\n2/ Tình hình sản xuất\n2.1/ Trồng trọt\n"
                                "2.1.1/ Vụ Hè Thu\n2.2/ Chăn nuôi\n3/ Nhiệm vụ tháng tới")
    assert heading_lines(outline.sections) == [
        "1/ Công tác chỉ đạo", "2/ Tình hình sản xuất", "  2.1/ Trồng trọt", "    2.1.1/ Vụ Hè Thu",
        "  2.2/ Chăn nuôi", "3/ Nhiệm vụ tháng tới"]


def test_a_capital_heading_then_an_unnumbered_capital_sub_heading_stay_two():
    outline = outline_from_text("ĐỀ CƯƠNG\nI. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026\nNHỮNG KẾT QUẢ ĐẠT ĐƯỢC\n"
                                "1. Kinh tế\n2. Xã hội\nNHỮNG HẠN CHẾ\n1. Hạn chế\nII. NHIỆM VỤ NĂM 2027")
    titles = [s.title for s in outline.walk()]
    assert "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026" in titles and "NHỮNG KẾT QUẢ ĐẠT ĐƯỢC" in titles
