"""Data tables are written as XML directly (bench/export.py): what python-docx reads back is what the
plan says, cell by cell, with the widths, borders, repeated header row and rows that never split."""
from __future__ import annotations

import dataclasses

import docx
import pytest

from baocao_desktop.document.docx_writer import write_docx
from baocao_desktop.document.formats import load_format
from baocao_desktop.document.layout import DataTable, build_plan
from baocao_desktop.document.model import TableBlock
from tests.document.test_docx_writer import make_model

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODD_CELLS = (("Xã <cũ> & “mới”", "1.234", "a\tb"), ("Hai dòng\nthứ hai", "", "cuối\n"), ("Tổng số", "9", "10"))


@pytest.mark.parametrize("code", ["party", "state"])
def test_table_cells_widths_and_rows_read_back(code, tmp_path):
    table = TableBlock("Bảng thử", ("Nội dung", "Cột một (người)", "Cột hai (%)"), ODD_CELLS, (2,))
    model = dataclasses.replace(make_model(), format_code=code, blocks=make_model().blocks + (table,))
    [planned] = [b for b in build_plan(model).blocks if isinstance(b, DataTable)]
    document = docx.Document(str(write_docx(model, tmp_path / "bang.docx")))
    grid = document.tables[1]  # after the header table
    assert [[c.text for c in row.cells] for row in grid.rows] == [list(table.header)] + [list(r) for r in ODD_CELLS]
    styles = [[c.paragraphs[0].style.style_id for c in row.cells] for row in grid.rows]
    assert styles[0] == ["TableHeader"] * 3 and styles[1] == ["TableLabel", "TableCell", "TableCell"]
    assert styles[3] == ["TableTotalLabel", "TableTotal", "TableTotal"]
    for row in grid.rows:
        for cell, width in zip(row.cells, planned.widths_mm):
            assert cell.width.mm == pytest.approx(width, abs=0.05)
            assert cell._tc.tcPr.find(f"{W}vAlign").get(f"{W}val") == "center"
    tbl_pr = grid._tbl.tblPr
    assert len(tbl_pr.findall(f"{W}tblLayout")) == 1 and tbl_pr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    size = str(round(load_format(code).tables.border_pt * 8))
    assert [b.get(f"{W}sz") for b in tbl_pr.find(f"{W}tblBorders")] == [size] * 6
    trs = grid._tbl.tr_lst
    assert trs[0].trPr.find(f"{W}tblHeader") is not None
    assert all(tr.trPr.find(f"{W}cantSplit") is not None for tr in trs)
    assert all(tr.trPr.find(f"{W}tblHeader") is None for tr in trs[1:])
