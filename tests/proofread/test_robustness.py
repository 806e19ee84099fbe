"""Whatever the text, the proofreader answers (no exception) and its locations point inside the text."""
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao_desktop.checks.findings import SEVERITIES
from baocao_desktop.checks.proofread import CATEGORIES, proofread_text
from baocao_desktop.domain.richtext import normalize

PIECES = ["Tổng số ", "trong đó: ", "gồm ", "(", ")", "; ", ", ", ". ", "đạt ", "bằng ", "chiếm ", "% ", "/",
          "kế hoạch ", "vượt kế hoạch ", "hồ sơ ", "người ", "tỷ đồng ", "ha ", "xã ", "phường ", "Lùng Phình ",
          "Nghị quyết số ", "03-QĐ/ĐU ", "12/BC-UBND ", "ngày ", "01/7/2025 ", "31/6/2026 ", "tháng ", "năm ",
          "a) ", "đ) ", "1. ", "2.2. ", "IV ", "tiếp nhận ", "đã giải quyết ", "đang giải quyết ", "khoảng ",
          "trên ", "về về ", "Số   -BC/ĐU", "Kế hoạch này ", "\u0301", "…… ", "còn lại ", "ngày  tháng  năm 2026"]
NUMBERS = st.sampled_from(["0", "03", "7", "45", "1.000", "10.100,78", "84,5", "4754", "1.5", "2025", "99,99"])
LINE = st.lists(st.one_of(st.sampled_from(PIECES), NUMBERS, st.text(max_size=6)), max_size=25).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, min_size=1, max_size=8), st.sampled_from(["line", "paragraph"]))
def test_any_text_gives_well_formed_findings(lines, location):
    findings = proofread_text(lines, location=location, footnotes=lines[:1])
    texts = [normalize(x).replace("\n", " ") for x in lines]
    for f in findings:
        assert f.category in CATEGORIES and f.severity in SEVERITIES and f.message
        text = texts[0] if f.footnote is not None else texts[(f.line - 1) if location == "line" else f.paragraph]
        if f.start is not None:
            assert 0 <= f.start <= f.end <= len(text)


def test_python_docx_is_not_loaded_to_proofread_text():
    code = ("import sys; from baocao_desktop.checks.proofread import proofread_text; "
            "proofread_text(['Tổng 5 người (2 người, 4 người).']); print('docx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
