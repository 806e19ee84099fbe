"""Render test of the demo's calendar reports (issue 17 points 6 and 8): the Đảng ủy's 6-month report built
from its months and the March monthly report, exported to DOCX, converted by LibreOffice to PDF (and to PNG
pages to look at) and read back."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata

import pytest

from tests.render import docx_to_pdf

pytestmark = pytest.mark.render


def _rendered(ws, code, start, tmp_path) -> str:
    from pypdf import PdfReader
    report = next(r for r in ws.list_reports() if r.template_code == code and r.period.start == start)
    pdf = docx_to_pdf(ws.export_docx(report.id, tmp_path / f"{code}.docx"), tmp_path)
    if shutil.which("pdftoppm"):  # the pages as pictures, to look at (tmp_path/<code>-1.png …)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / code)], check=True, timeout=120)
    text = " ".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def test_the_demo_six_month_and_monthly_reports_render(demo_workspace, tmp_path):
    half = _rendered(demo_workspace, "bc_dang_uy_6_thang", dt.date(2026, 1, 1), tmp_path)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in half and "Số 202-BC/ĐU" in half
    assert "6 tháng đầu năm 2026" in half
    assert "khám, chữa bệnh cho 7.480 lượt người" in half
    assert "53.520" in half and "108.800" in half  # the budget table
    assert "Tết trồng cây đầu xuân" in half
    assert "T/M BAN THƯỜNG VỤ" in half and "Lù Văn Chính" in half

    march = _rendered(demo_workspace, "bc_dang_uy_thang", dt.date(2026, 3, 1), tmp_path)
    assert "tháng 3/2026" in march
    assert "khám, chữa bệnh cho 1.720 lượt người; lũy kế từ đầu năm 3.760 lượt người" in march  # the slip as typed
    assert "Hoàn thành giao quân" in march
