"""A template's header values are checked when it is parsed (a file, a pack, the editor): a summary blank the
document cannot fill would be printed as it is in every report."""
import pytest

from baocao_desktop.domain.dates import Period
from baocao_desktop.domain.model import Report
from baocao_desktop.services.document_builder import pattern_fields
from baocao_desktop.templates.model import PATTERN_FIELDS, TemplateError, parse_template

BASE = """
code: thu
version: 1
name: Báo cáo thử
period: month
summary: "Tình hình tháng từ ngày {start_dm} đến ngày {end}"
closing: "Trên đây là báo cáo của {unit_name}./."
sections:
  - {number: "I.", title: TÌNH HÌNH CHUNG}
"""


def test_the_blanks_a_template_may_use_are_the_ones_the_document_fills():
    import datetime as dt
    from types import SimpleNamespace
    report = Report(id="r", unit_id="u", template_code="thu", template_version=1,
                    period=Period("month", dt.date(2026, 6, 1), dt.date(2026, 6, 30)))
    assert set(pattern_fields(report, SimpleNamespace(name="Đảng ủy xã"))) == set(PATTERN_FIELDS)
    assert parse_template(BASE, origin="thu").summary.endswith("{end}")


@pytest.mark.parametrize("change, message", [
    ("{end}", "Trích yếu dùng chỗ trống “{ngay_cuoi}” không có: chỉ dùng được {start} (ngày đầu kỳ)"),
    ("{unit_name}./.", "Câu kết có dấu ngoặc nhọn { } không khớp"),
])
def test_a_wrong_blank_is_refused_with_its_name(change, message):
    text = BASE.replace(change, "{ngay_cuoi}" if change == "{end}" else "{unit_name./.")
    with pytest.raises(TemplateError) as refused:
        parse_template(text, origin="thu.yaml")
    assert message in str(refused.value)


def test_a_document_type_must_be_an_abbreviation():
    with pytest.raises(TemplateError) as refused:
        parse_template(BASE + "doc_type: báo cáo 1\n", origin="thu.yaml")
    assert "Loại văn bản “báo cáo 1” phải là chữ viết tắt in hoa" in str(refused.value)
