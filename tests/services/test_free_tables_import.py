"""Word in, Word out for free tables and footnotes (issue 15, points 2 and 3): a table the template does not
have and the footnotes in and around it come back from the office's own DOCX as they were written."""
from __future__ import annotations

import datetime as dt

import pytest

from baocao_desktop.domain import richtext
from baocao_desktop.services.docx_import import import_docx_report

pytest.importorskip("docx")

TABLE = ("Thu ngân sách như sau[^Số liệu của Kho bạc Nhà nước.]:\n[table header]\n"
         "| Nguồn thu | Kế hoạch | Thực hiện |\n| **Thuế** | 1.200 | 1.150[^Ước đến 30/6.] |\n"
         "| Phí, lệ phí | 300 | 320 |\n| Tổng cộng | 1.500 | 1.470 |\n[/table]\nCác khoản thu đều đạt kế hoạch.")


def test_a_free_table_and_its_footnotes_come_back_from_the_exported_docx(demo_workspace, tmp_path):
    ws = demo_workspace
    source = ws.list_reports()[0]
    template = ws.template(source.template_code)
    section = next(s for s in template.walk() if not s.tables and not s.children)
    before = ws.report(source.id).texts.get(section.path) or ""
    text = (before + "\n" if before else "") + TABLE
    ws.set_section_text(source.id, section.path, text)
    path = ws.export_docx(source.id, tmp_path / "bang.docx")
    start = dt.date(2027, 1, 4)
    end = None if source.period.kind == "week" else start + dt.timedelta(days=27)
    result = import_docx_report(ws, path, source.template_code, start, end)
    imported = ws.report(result.report_id).texts.get(section.path)
    assert imported == ws.report(source.id).texts[section.path]
    [table] = richtext.tables(imported)
    assert table.header and table.cell_texts()[3] == ["Tổng cộng", "1.500", "1.470"]
    assert result.unplaced_paragraphs == 0
