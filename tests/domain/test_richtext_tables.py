"""Free tables in the text (issue 15.2): the markup block, its round trip, and old markup read as before."""
from __future__ import annotations

from baocao_desktop.domain import richtext
from baocao_desktop.domain.richtext import Footnote, Run, Table, is_total_label, table_of

MARKUP = (
    "Kết quả thu ngân sách[^Số liệu của Kho bạc.]:\n"
    "[table header]\n"
    "| Nguồn thu | Kế hoạch | Thực hiện |\n"
    "| **Thuế** | 1.200 | 1.150[^Ước đến 30/6.\nKèm phụ lục.] |\n"
    "| Phí \\| lệ phí |  | 320 |\n"
    "| *Tổng cộng* | 1.500 | 1.470 |\n"
    "[/table]\n"
    "Sau bảng."
)


def test_a_table_round_trips_through_the_markup():
    paragraphs = richtext.parse(MARKUP)
    assert len(paragraphs) == 3
    table = table_of(paragraphs[1])
    assert table is not None and table.header
    assert table.cell_texts() == [["Nguồn thu", "Kế hoạch", "Thực hiện"], ["Thuế", "1.200", "1.150"],
                                  ["Phí | lệ phí", "", "320"], ["Tổng cộng", "1.500", "1.470"]]
    assert table.rows[1][0] == (Run("Thuế", bold=True),)
    assert table.rows[1][2][1] == Footnote(((Run("Ước đến 30/6."),), (Run("Kèm phụ lục."),)))
    assert richtext.serialize(paragraphs) == MARKUP
    assert richtext.parse(richtext.serialize(paragraphs)) == paragraphs


def test_a_table_built_in_code_serializes_and_reads_back():
    table = Table(((( Run("A|B"),), (Run("x", italic=True),)), ((Run("Cộng"),), (Run("3"),))), header=False)
    markup = richtext.serialize([(Run("Trước"),), (table,), (Run("Sau"),)])
    assert markup == "Trước\n[table]\n| A\\|B | *x* |\n| Cộng | 3 |\n[/table]\nSau"
    assert table_of(richtext.parse(markup)[1]) == table


def test_old_markup_without_tables_reads_as_before():
    old = "Văn bản có dấu | gạch đứng\n\\[table\\] là chữ\n[table] giữa dòng là chữ\n| a | b |"
    paragraphs = richtext.parse(old)
    assert [table_of(p) for p in paragraphs] == [None] * 4
    assert richtext.plain_text(old) == "Văn bản có dấu | gạch đứng\n[table] là chữ\n[table] giữa dòng là chữ\n| a | b |"


def test_a_table_is_one_line_of_plain_text_and_its_footnotes_count():
    # paragraph numbers of plain_text are those of parse (the proofreader and the figure checks rely on it)
    lines = richtext.plain_text(MARKUP).split("\n")
    assert len(lines) == len(richtext.parse(MARKUP)) == 3
    assert lines[1].startswith("Nguồn thu | Kế hoạch | Thực hiện / Thuế | 1.200")
    assert [f.plain_text() for f in richtext.footnotes(MARKUP)] == ["Số liệu của Kho bạc.", "Ước đến 30/6.\nKèm phụ lục."]
    assert len(richtext.tables(MARKUP)) == 1


def test_an_unclosed_table_ends_with_the_text():
    table = table_of(richtext.parse("[table]\n| a | b |\n| c")[0])
    assert table.cell_texts() == [["a", "b"], ["c", ""]]


def test_total_labels_are_whole_labels_only():
    assert all(map(is_total_label, ["Tổng", "Tổng cộng", "TỔNG CỘNG", "Tổng số", "Cộng:", " cộng "]))
    assert not any(map(is_total_label, ["Tổng số đảng viên", "Cộng đồng", "Tổng kết", ""]))


def test_an_empty_grid_is_no_content_but_a_filled_one_is():
    assert richtext.is_empty("[table header]\n|  |  |\n|  |  |\n[/table]")
    assert not richtext.is_empty("[table]\n|  | 5 |\n[/table]")
    assert not richtext.is_empty("Chữ\n[table]\n|  |  |\n[/table]")
