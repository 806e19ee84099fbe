"""The indicator dictionary: shared codes keep one meaning in every template."""
import pytest

from baocao_desktop.resources import resource_path
from baocao_desktop.templates.dictionary import dictionary_problems, load_dictionary
from baocao_desktop.templates.model import TemplateError, load_template_file, parse_template

SHIPPED = sorted(resource_path("templates").glob("*.yaml"))


def test_dictionary_loads_with_unique_codes():
    entries = load_dictionary()
    assert len(entries) >= 40
    assert entries["lua_mua_dien_tich"].unit == "ha"
    assert entries["thu_ngan_sach_tren_dia_ban"].unit == "triệu đồng"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_template_uses_dictionary_codes_consistently(path):
    template = load_template_file(path)
    assert dictionary_problems(template) == []
    entries = load_dictionary()
    local = [i.code for i in template.indicators if i.code not in entries]
    assert local == [], f"{path.name}: add these codes to resources/indicators.yaml: {local}"


def test_a_template_that_changes_a_shared_unit_is_refused(workspace):
    text = """
code: sai_don_vi
version: 1
name: Mẫu sai đơn vị
period: week
summary: x
indicators:
  - {code: thu_ngan_sach_tren_dia_ban, label: Thu ngân sách, unit: tỷ đồng, kind: money}
sections:
  - {number: "I.", title: A, indicators: [thu_ngan_sach_tren_dia_ban]}
"""
    with pytest.raises(TemplateError) as info:
        workspace.install_template(parse_template(text))
    assert "đơn vị “tỷ đồng” nhưng từ điển chỉ tiêu ghi “triệu đồng”" in str(info.value)
    assert "sai_don_vi" not in [t.code for t in workspace.templates()]
