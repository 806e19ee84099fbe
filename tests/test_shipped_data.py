"""The shipped data files: the weekly template bc_tuan.yaml and the demo unit lung_phinh.yaml.

The demo also holds one report for each other shipped template; those are covered by
tests/templates/test_shipped_templates.py, the weekly-specific tests here look at the bc_tuan reports."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from baocao_desktop.domain import richtext
from baocao_desktop.domain.numbers import format_number, parse_number, percent
from baocao_desktop.templates.model import load_template_file

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_FILE = ROOT / "resources" / "templates" / "bc_tuan.yaml"
DEMO_FILE = ROOT / "resources" / "demo" / "lung_phinh.yaml"

# Vietnamese list letters, in order (no f, j, w, z; đ comes after d).
LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"]
FIGURES = ("actual", "plan", "cumulative", "previous")


@pytest.fixture(scope="module")
def template():
    return load_template_file(TEMPLATE_FILE)


@pytest.fixture(scope="module")
def demo():
    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))


def _weekly(demo):
    return [r for r in demo["reports"] if r["template"] == "bc_tuan"]


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


# ---------------------------------------------------------------- template


def test_template_identity(template):
    assert template.code == "bc_tuan"
    assert template.period == "week"
    assert "{start_dm}" in template.summary and "{end}" in template.summary
    assert "{unit_name}" in template.closing and template.closing.endswith("./.")
    assert template.recipients and template.recipients[-1].startswith("- Lưu")
    assert 30 <= len(template.indicators) <= 50


@pytest.mark.parametrize(
    "path",
    ["I.1", "I.2", "II.1.1.a", "II.1.2.đ", "II.2.4.a", "II.2.4.c", "II.4.1.a", "II.4.1.c",
     "II.4.2", "II.4.3", "II.5.3.d", "II.5.4", "III.1", "III.2", "III.3", "IV"],
)
def test_template_key_sections(template, path):
    assert template.section(path) is not None, path


def test_template_numbering_fixed(template):
    # the seed's faults must not come back: 2.4 uses a) b) c); 4.1 exists; 5.3 has no e)
    assert [c.number for c in template.section("II.2.4").children] == ["a)", "b)", "c)"]
    assert [c.number for c in template.section("II.4").children] == ["4.1.", "4.2.", "4.3."]
    assert [c.number for c in template.section("II.4.1").children] == ["a)", "b)", "c)"]
    assert template.section("II.5.3.e") is None
    assert "chuyển đổi số" in template.section("II.5.4").title.lower()


def test_template_sibling_order(template):
    def check(siblings, where):
        letters = [s.number.rstrip(")") for s in siblings if s.number.endswith(")")]
        assert letters == LETTERS[: len(letters)], f"{where}: {letters}"
        numbered = [s.path.rsplit(".", 1)[-1] for s in siblings if s.number.endswith(".")]
        if numbered and numbered[0].isdigit():
            assert numbered == [str(i) for i in range(1, len(numbered) + 1)], f"{where}: {numbered}"
        for s in siblings:
            check(s.children, s.path)

    check(template.sections, "root")
    romans = [s.number for s in template.sections]
    assert romans == ["I.", "II.", "III.", "IV."]


def test_template_indicators_placed_once(template):
    placed = [code for s in template.walk() for code in s.indicators]
    assert sorted(placed) == sorted(i.code for i in template.indicators)


def test_template_guidance_everywhere(template):
    for s in template.walk():
        assert s.guidance, f"{s.path} has no guidance"
        if not s.children:
            assert s.example, f"leaf {s.path} has no example"
        assert not s.title.endswith(":"), s.path


def test_template_indicator_fields(template):
    for ind in template.indicators:
        assert ind.sentence, ind.code
        assert ind.range is not None and ind.range[0] < ind.range[1], ind.code
        assert ind.actual or ind.cumulative, ind.code
        if ind.kind == "money":
            assert ind.unit == "triệu đồng", ind.code
        if ind.kind == "percent":
            assert ind.unit == "%", ind.code
        if ind.cumulative and ind.actual:
            assert "{cumulative}" in ind.sentence and "{actual}" in ind.sentence, ind.code


def test_template_is_nfc():
    text = TEMPLATE_FILE.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "\u00a0" not in text and "  " not in "".join(_strings(yaml.safe_load(text)))


# ---------------------------------------------------------------- demo


def test_demo_is_nfc(demo):
    text = DEMO_FILE.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    for s in _strings(demo):
        assert "\u00a0" not in s and "  " not in s and "[footnoteRef" not in s, s[:60]


def test_demo_unit_and_profile(demo):
    assert demo["unit"]["name"] == "Đảng ủy xã Lùng Phình"
    assert demo["unit"]["format"] == "party"
    assert len(demo["signers"]) >= 2
    facts = demo["profile_facts"]
    assert len({f["code"] for f in facts}) >= 6
    for fact in facts:
        assert isinstance(fact["as_of"], dt.date)
        assert parse_number(fact["value"]) is not None
    codes = [f["code"] for f in facts]
    assert any(codes.count(c) > 1 for c in codes), "one fact should show history"


def test_demo_references_exist(template, demo):
    assert len(_weekly(demo)) == 2
    for report in _weekly(demo):
        assert report["template"] == "bc_tuan"
        for code, values in report["indicators"].items():
            ind = template.indicator(code)
            assert ind is not None, code
            assert set(values) <= set(FIGURES), (code, values)
            for name in ("plan", "cumulative"):
                if name in values:
                    assert getattr(ind, name), (code, name)
            if "actual" in values:
                assert ind.actual, code
            for raw in values.values():
                assert isinstance(raw, str)
                assert parse_number(raw) is not None, (code, raw)
        for path in report["sections"]:
            assert template.section(path) is not None, path
            assert not template.section(path).children, f"text on a parent section {path}"


def test_demo_periods(demo):
    first, second = _weekly(demo)
    assert first["period_start"] == dt.date(2026, 6, 1)
    assert second["period_start"] == first["period_start"] + dt.timedelta(days=7)
    for report in _weekly(demo):
        assert report["period_start"].weekday() == 0
        assert report["date"] > report["period_start"] + dt.timedelta(days=6)


def test_demo_required_sections_filled(template, demo):
    required = [s.path for s in template.walk() if s.required and not s.children]
    for report in _weekly(demo):
        for path in required:
            assert not richtext.is_empty(report["sections"].get(path)), (report["number"], path)


def test_demo_cumulative_arithmetic(template, demo):
    first, second = _weekly(demo)
    for ind in template.indicators:
        if not ind.cumulative:
            continue
        w1, w2 = first["indicators"].get(ind.code), second["indicators"].get(ind.code)
        assert w1 and w2, ind.code
        if "previous" in w1:
            assert parse_number(w1["previous"]) + parse_number(w1["actual"]) == parse_number(w1["cumulative"]), ind.code
        assert "previous" not in w2, ind.code
        if ind.actual:
            expected = parse_number(w1["cumulative"]) + parse_number(w2["actual"])
            assert parse_number(w2["cumulative"]) == expected, ind.code
        else:
            assert parse_number(w2["cumulative"]) >= parse_number(w1["cumulative"]), ind.code
        if ind.plan:
            assert w1["plan"] == w2["plan"], ind.code


def test_demo_plans_unchanged(template, demo):
    first, second = _weekly(demo)
    for code, values in first["indicators"].items():
        if "plan" in values and code in second["indicators"]:
            assert second["indicators"][code]["plan"] == values["plan"], code


def _appears(raw: str, text: str) -> bool:
    number = parse_number(raw)
    variants = {format_number(number), raw}
    if number == number.to_integral_value() and 0 <= number < 10:
        variants.add(f"{int(number):02d}")
    return any(re.search(rf"(?<![\d.,]){re.escape(v)}(?![\d]|[.,]\d)", text) for v in variants)


def test_demo_text_matches_figures(template, demo):
    """Narrative and indicator fields agree: figures and computed percentages appear in the text."""
    for report in _weekly(demo):
        for code, values in report["indicators"].items():
            ind = template.indicator(code)
            section = template.section_of_indicator(code)
            text = richtext.plain_text(report["sections"].get(section.path), with_footnotes=True)
            for name in ("actual", "cumulative"):
                value = parse_number(values.get(name))
                if value:
                    assert _appears(values[name], text), (report["number"], code, name, values[name])
            if "{percent}" in ind.sentence:
                base = parse_number(values[ind.percent_base])
                pct = percent(base, parse_number(values["plan"]), ind.percent_decimals)
                assert f"{format_number(pct)}%" in text, (report["number"], code, format_number(pct))


def test_demo_budget_sane(demo):
    for report in _weekly(demo):
        ind = report["indicators"]
        assert parse_number(ind["chi_ngan_sach"]["cumulative"]) <= parse_number(
            ind["thu_ngan_sach_dia_phuong"]["cumulative"]
        )
        tthc = {k: parse_number(v["actual"]) for k, v in ind.items() if k.startswith("tthc_")}
        assert tthc["tthc_da_giai_quyet"] == tthc["tthc_dung_han"] + tthc["tthc_qua_han"]
        assert tthc["tthc_tiep_nhan"] == tthc["tthc_da_giai_quyet"] + tthc["tthc_dang_giai_quyet"] + tthc["tthc_tra_lai"]
        assert tthc["tthc_dang_giai_quyet_qua_han"] <= tthc["tthc_dang_giai_quyet"]


def test_demo_markup_clean(demo):
    for report in demo["reports"]:
        for path, markup in report["sections"].items():
            assert unicodedata.is_normalized("NFC", markup)
            # brackets only as footnotes: every '[' opens '[^' and the footnotes close
            assert markup.count("[") == markup.count("[^") == markup.count("]"), path
            assert markup.count("**") % 2 == 0 and markup.replace("**", "").count("*") % 2 == 0, path
            assert markup == markup.strip() and "\n\n" not in markup, path
            assert richtext.parse(markup), path
