"""Print (Qt) of a free table of the text (issue 15.2): the same layout plan as the DOCX, a long table's
header row repeated on the next page, a table without header row repeats nothing, footnotes in cells
numbered and printed."""
from __future__ import annotations

import dataclasses

import pytest

pytest.importorskip("pytestqt")

from baocao_desktop.document.model import Body, Heading  # noqa: E402
from baocao_desktop.domain import richtext  # noqa: E402
from baocao_desktop.ui.print_document import PrintDocument  # noqa: E402
from tests.ui.test_print import long_model  # noqa: E402


def model_with_table(header: bool, rows: int = 70):
    lines = [f"| Thôn số {i} | {100 + i} |" for i in range(1, rows + 1)]
    markup = ("[table header]\n| Tên thôn | Số hộ[^Theo sổ hộ khẩu.] |\n" if header else "[table]\n") \
        + "\n".join(lines) + "\n[/table]"
    blocks = (Heading(1, "I.", "KẾT QUẢ"),) + tuple(Body(p) for p in richtext.parse(markup))
    return dataclasses.replace(long_model(3), blocks=blocks)


def test_a_long_free_table_repeats_its_header_row(qapp):
    document = PrintDocument(model_with_table(header=True))
    table_pages = [i for i, p in enumerate(document.pages) if any(
        u.table is not None for u in document.units if any(s.top <= u.top < s.bottom for s in p.slices))]
    assert len(table_pages) >= 2
    assert document.page_text(table_pages[1]).startswith("Tên thôn")
    assert "Theo sổ hộ khẩu." in document.page_text(table_pages[0])  # the footnote of a header cell


def test_a_free_table_without_header_row_repeats_nothing(qapp):
    document = PrintDocument(model_with_table(header=False))
    table_pages = [i for i, p in enumerate(document.pages) if any(
        u.table is not None for u in document.units if any(s.top <= u.top < s.bottom for s in p.slices))]
    assert len(table_pages) >= 2
    assert document.page_text(table_pages[1]).startswith("Thôn số")
