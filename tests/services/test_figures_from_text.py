"""Figures from text (issue 15.5): the values an imported sentence states for the template's indicators."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao_desktop.domain.sentences import MissingValues, generate_sentence
from baocao_desktop.resources import resource_path
from baocao_desktop.services.figures_from_text import extract_figures, fill_data
from baocao_desktop.templates.model import parse_template

DEMO_TEMPLATES = ("bc_tuan", "bc_giam_sat", "bc_so_ket_mot_nam", "bc_chuyen_de")


def _template(code):
    return parse_template(resource_path("templates", f"{code}.yaml").read_text(encoding="utf-8"), origin="test")


TEMPLATES = {code: _template(code) for code in DEMO_TEMPLATES}
INDICATORS = [(code, ind.code) for code, t in TEMPLATES.items() for ind in t.indicators]


def _home(template, code):
    return next((s.path for s in template.walk() if code in s.indicators), "I")


def _values(ind, draw):
    """Values an office could type for the indicator: counts whole, the rest with up to 2 decimals."""
    def number():
        whole = draw(st.integers(min_value=0, max_value=2_000_000))
        if ind.kind == "count":
            return Decimal(whole)
        return Decimal(whole).scaleb(-draw(st.integers(min_value=0, max_value=2)))
    values = {}
    for name, on in (("actual", ind.actual), ("cumulative", ind.cumulative)):
        if on:
            values[name] = number()
    if ind.plan:
        values["plan"] = number() + Decimal(1)  # a plan of 0 has no percentage: no sentence
    if ind.cumulative:
        values["previous"] = number()
    return values


def _stated(ind, values) -> dict:
    """The fields the indicator's sentence names (those that must come back)."""
    from baocao_desktop.domain.sentences import default_pattern
    pattern = ind.sentence or default_pattern(ind)
    return {name: value for name, value in values.items() if "{" + name + "}" in pattern}


@pytest.mark.parametrize("template_code,code", INDICATORS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_generated_sentence_reads_back_to_its_values(template_code, code, data):
    template = TEMPLATES[template_code]
    ind = template.indicator(code)
    values = _values(ind, data.draw)
    previous = values.get("previous")
    try:
        sentence = generate_sentence(ind, values, previous)
    except MissingValues:
        return
    # as the exported document prints it: the section's sentences joined, capitalised, full stop
    text = "Trong kỳ, " + sentence + "; các nhiệm vụ khác triển khai theo kế hoạch."
    proposals = extract_figures(template, {_home(template, code): text})
    got = {p.field: p.value for p in proposals if p.indicator == code and not p.derived}
    assert got == _stated(ind, values), sentence
    assert all(p.indicator == code for p in proposals if not p.derived), sentence


def test_all_indicators_of_a_section_in_one_paragraph_read_back():
    """The export joins a section's generated sentences with "; " into one paragraph."""
    template = TEMPLATES["bc_tuan"]
    section = next(s for s in template.walk() if len(s.indicators) >= 4)
    values = {}
    for i, code in enumerate(section.indicators):
        ind = template.indicator(code)
        values[code] = {name: Decimal(10 + i) * (2 if name == "plan" else 1)
                        for name, on in (("actual", ind.actual), ("plan", ind.plan), ("cumulative", ind.cumulative))
                        if on}
    sentences = [generate_sentence(template.indicator(c), v, Decimal(0)) for c, v in values.items()]
    text = "; ".join(sentences) + "."
    proposals = extract_figures(template, {section.path: text[0].upper() + text[1:]})
    got = {(p.indicator, p.field): p.value for p in proposals}
    for code, fields in values.items():
        for name, value in _stated(template.indicator(code), fields).items():
            assert got[(code, name)] == value, (code, name)


MINI = """
code: mini_so
version: 1
name: Báo cáo thử số liệu
period: month
indicators:
  - {code: cay_an_qua_dien_tich, label: Tổng diện tích cây ăn quả, unit: ha, kind: area, plan: true}
  - {code: tong_dan_gia_suc, label: Tổng đàn gia súc, unit: con, kind: count, plan: true}
  - {code: tong_dan_gia_cam, label: Tổng đàn gia cầm, unit: con, kind: count, plan: true}
  - {code: tthc, label: Hồ sơ thủ tục hành chính tiếp nhận, unit: hồ sơ, kind: count, cumulative: true}
  - {code: ty_le, label: Tỷ lệ lao động qua đào tạo, unit: "%", kind: percent}
sections:
  - {number: "1.", title: Nông nghiệp, indicators: [cay_an_qua_dien_tich, tong_dan_gia_suc, tong_dan_gia_cam]}
  - {number: "2.", title: Hành chính, indicators: [tthc, ty_le]}
"""


def _found(text, path="1"):
    template = parse_template(MINI, origin="test")
    return {(p.indicator, p.field): p for p in extract_figures(template, {path: text})}


def test_free_text_label_or_synonym_then_figure_in_its_unit():
    got = _found("Cây ăn quả tổng diện tích 565,19/868 ha (65,1% KH); tổng đàn gia súc 11.488 con, "
                 "đàn gia cầm đạt 54.913/86.000 con, đạt 63,85%.")
    assert got[("cay_an_qua_dien_tich", "actual")].value == Decimal("565.19")  # a synonym of the dictionary
    assert got[("cay_an_qua_dien_tich", "plan")].value == Decimal(868)
    assert got[("tong_dan_gia_suc", "actual")].value == Decimal(11488)
    assert ("tong_dan_gia_suc", "plan") not in got  # the 86.000 is the poultry's, not the cattle's
    assert got[("tong_dan_gia_cam", "actual")].value == Decimal(54913)
    assert got[("tong_dan_gia_cam", "plan")].value == Decimal(86000)


def test_cumulative_after_luy_ke_and_percent_indicator():
    got = _found("Trong tháng tiếp nhận 68 hồ sơ thủ tục hành chính; lũy kế 1.203 hồ sơ. Tỷ lệ lao động qua "
                 "đào tạo đạt 67,1%, vượt chỉ tiêu.", path="2")
    assert got[("tthc", "actual")].value == Decimal(68)
    assert got[("tthc", "cumulative")].value == Decimal(1203)
    assert got[("ty_le", "actual")].value == Decimal("67.1")


def test_what_is_not_a_figure_of_the_indicator_is_not_proposed():
    # a date, a document symbol, another unit, another section's indicator, a contradicting percentage
    got = _found("Thực hiện Kế hoạch số 30-KH/ĐU ngày 25/9/2025, tổng đàn gia súc tăng 12%; "
                 "Tổng diện tích cây ăn quả đạt 500/1.000 ha, bằng 80% kế hoạch. Hồ sơ thủ tục hành chính "
                 "tiếp nhận 68 hồ sơ.")
    assert ("tong_dan_gia_suc", "actual") not in got
    assert ("cay_an_qua_dien_tich", "actual") not in got  # 500/1.000 is 50%, not 80%: not this indicator's
    assert ("tthc", "actual") not in got  # stated in section 1, not where the indicator is


def test_approximate_figures_are_marked_and_proposals_fill_like_report_fill():
    got = _found("Tổng đàn gia súc khoảng 11.500 con.")
    proposal = got[("tong_dan_gia_suc", "actual")]
    assert proposal.approximate and "số ước" in proposal.description()
    assert fill_data(got.values()) == {"indicators": {"tong_dan_gia_suc": {"actual": "11.500"}}}
    assert proposal.to_json()["value_exact"] == "11500"
