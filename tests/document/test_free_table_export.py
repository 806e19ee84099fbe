"""A free table of the text (issue 15.2) is exported as a real table: bordered, its header row repeated
(w:tblHeader), cells keeping bold and footnotes, numbers and the total row set like a table of figures;
one layout plan for DOCX and print."""
from __future__ import annotations

import dataclasses

import docx
import pytest

from baocao_desktop.document.docx_writer import write_docx
from baocao_desktop.document.layout import DataTable, NoteRef, Para, build_plan
from baocao_desktop.document.model import Body
from baocao_desktop.domain import richtext
from tests.document.test_docx_writer import make_model

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = ("Thu ngân sách như sau:\n[table header]\n| Nguồn thu | Kế hoạch | Thực hiện |\n"
        "| **Thuế** | 1.200 | 1.150[^Ước đến 30/6.] |\n| Phí, lệ phí | 300 | 320 |\n"
        "| Tổng cộng | 1.500 | 1.470 |\n[/table]")


def model_with(text: str):
    base = make_model()
    return dataclasses.replace(base, blocks=base.blocks + tuple(Body(p) for p in richtext.parse(text)))


def test_the_plan_lays_out_a_free_table_as_a_data_table():
    plan = build_plan(model_with(TEXT))
    [table] = [b for b in plan.blocks if isinstance(b, DataTable) and b.header
               and b.header[0].runs and b.header[0].runs[0].text == "Nguồn thu"]
    assert [p.style for p in table.rows[0]] == ["TableLabel", "TableCell", "TableCell"]
    assert [p.style for p in table.rows[2]] == ["TableTotalLabel", "TableTotal", "TableTotal"]
    assert table.rows[0][0].runs[0].bold
    assert isinstance(table.rows[0][2].runs[-1], NoteRef)
    assert plan.footnotes[table.rows[0][2].runs[-1].number - 1].plain_text() == "Ước đến 30/6."
    assert sum(table.widths_mm) == pytest.approx(plan.fmt.text_width_mm)
    # the end mark never goes into a table: it gets a paragraph of its own after it
    assert not any(isinstance(b, Para) and b.end_mark and b.style == "Normal" for b in plan.blocks)


def test_docx_of_a_free_table_reads_back_bordered_with_its_header_row_repeated(tmp_path):
    document = docx.Document(str(write_docx(model_with(TEXT), tmp_path / "bang.docx")))
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "Nguồn thu")
    assert [[c.text for c in row.cells] for row in grid.rows] == [
        ["Nguồn thu", "Kế hoạch", "Thực hiện"], ["Thuế", "1.200", "1.150"], ["Phí, lệ phí", "300", "320"],
        ["Tổng cộng", "1.500", "1.470"]]
    borders = grid._tbl.tblPr.find(f"{W}tblBorders")
    assert {b.tag.removeprefix(W) for b in borders} == {"top", "left", "bottom", "right", "insideH", "insideV"}
    assert all(b.get(f"{W}val") == "single" for b in borders)
    trs = grid._tbl.tr_lst
    assert trs[0].trPr.find(f"{W}tblHeader") is not None
    assert all(tr.trPr.find(f"{W}tblHeader") is None for tr in trs[1:])
    assert grid.rows[1].cells[0].paragraphs[0].runs[0].bold
    refs = grid.rows[1].cells[2]._tc.findall(f".//{W}footnoteReference")
    assert len(refs) == 1
    footnotes_xml = next(rel.target_part.blob for rel in document.part.rels.values()
                         if rel.reltype.endswith("/footnotes")).decode("utf-8")
    assert "Ước đến 30/6." in footnotes_xml


def test_a_table_without_header_row_repeats_nothing(tmp_path):
    document = docx.Document(str(write_docx(model_with("[table]\n| a | 1 |\n| b | 2 |\n[/table]"), tmp_path / "b.docx")))
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "a")
    assert len(grid.rows) == 2
    assert all(tr.trPr.find(f"{W}tblHeader") is None for tr in grid._tbl.tr_lst)
