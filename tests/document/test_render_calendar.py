"""Render test of the calendar templates (issue 17): a monthly Đảng ủy report (Party format) and a quarterly
UBND report (State format), created, given a few figures, exported to DOCX, converted by LibreOffice to PDF
and to PNG pages, and read back."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pytest

from tests.render import docx_to_pdf

pytestmark = pytest.mark.render


def _pdf_text(pdf) -> str:
    from pypdf import PdfReader
    text = " ".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _made(ws, code, period, figures, texts, tmp_path):
    report = ws.create_report(code, period[0], period[1], number="15", report_date=period[2])
    for (indicator, field_name), value in figures.items():
        ws.set_value(report.id, indicator, field_name, value)
    for path, markup in texts.items():
        ws.set_section_text(report.id, path, markup)
    docx = ws.export_docx(report.id, tmp_path / f"{code}.docx")
    pdf = docx_to_pdf(docx, tmp_path)
    if shutil.which("pdftoppm"):  # the pages as pictures, to look at (tmp_path/<code>-1.png …)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / code)], check=True, timeout=120)
    return _pdf_text(pdf)


def test_monthly_party_and_quarterly_state_reports_render(demo_workspace, tmp_path):
    ws = demo_workspace
    party = _made(ws, "bc_dang_uy_thang", ("2026-07-01", "2026-07-31", "2026-07-24"),  # the demo has Jan–Jun
                  {("thu_ngan_sach_tren_dia_ban", "actual"): "310", ("thu_ngan_sach_tren_dia_ban", "cumulative"): "1.561",
                   ("ket_nap_dang_vien", "actual"): "2", ("ket_nap_dang_vien", "cumulative"): "9",
                   ("ket_nap_dang_vien", "plan"): "25"},
                  {"I.1": "Trong tháng, Ban Thường vụ Đảng ủy lãnh đạo hoàn thành các nhiệm vụ trọng tâm.",
                   "II.2": "Tiến độ giải ngân vốn đầu tư công còn chậm."}, tmp_path)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in party and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" not in party
    assert "tháng 7/2026" in party and "I. KẾT QUẢ LÃNH ĐẠO, CHỈ ĐẠO THỰC HIỆN NHIỆM VỤ TRONG THÁNG" in party
    assert "Tiến độ giải ngân vốn đầu tư công còn chậm." in party
    assert "T/M BAN THƯỜNG VỤ" in party

    state = _made(ws, "bc_ubnd_quy", ("2026-01-01", "2026-03-31", "2026-03-20"),
                  {("tthc_tiep_nhan", "actual"): "1.102", ("tthc_da_giai_quyet", "actual"): "1.080",
                   ("tthc_dung_han", "actual"): "1.077", ("tthc_qua_han", "actual"): "3"},
                  {"I.1": "Trong quý, UBND xã duy trì họp giao ban hằng tuần.",
                   "I.5": "Tiếp nhận 1.102 hồ sơ thủ tục hành chính, đã giải quyết 1.080 hồ sơ."}, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in state and "Độc lập - Tự do - Hạnh phúc" in state
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in state
    assert "quý I/2026" in state and "5. Cải cách hành chính, tư pháp, tiếp công dân" in state
    assert "Tiếp nhận 1.102 hồ sơ thủ tục hành chính" in state
    assert "nhiệm vụ trọng tâm quý tới của Đảng ủy xã Lùng Phình./." in state  # the demo unit issues it
    assert "Số: 15/BC-" in state and "ngày 20 tháng 3 năm 2026" in state
