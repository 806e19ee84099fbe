"""Every shipped template (resources/templates/*.yaml): it loads, installs, reads well as a guided form, and
its demo report in resources/demo/lung_phinh.yaml is clean under the checks and exports to DOCX."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import docx
import pytest
import yaml

from baocao_desktop.domain import richtext
from baocao_desktop.domain.numbers import parse_number
from baocao_desktop.resources import resource_path
from baocao_desktop.templates.dictionary import load_dictionary
from baocao_desktop.templates.model import load_template_file

SHIPPED = sorted(resource_path("templates").glob("*.yaml"))
DEMO_FILE = resource_path("demo", "lung_phinh.yaml")
LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"]
ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
ids = [p.stem for p in SHIPPED]


@pytest.fixture(scope="module", params=SHIPPED, ids=ids)
def template(request):
    return load_template_file(request.param)


@pytest.fixture(scope="module")
def demo_data():
    return yaml.safe_load(Path(DEMO_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shipped_demo(tmp_path_factory):
    """One demo workspace for the read-only tests (the `demo_workspace` fixture rebuilds it for every test)."""
    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    ws = Workspace(tmp_path_factory.mktemp("shipped") / "demo.sqlite3", author="tester")
    load_demo(ws)
    yield ws
    ws.close()


def demo_report_of(ws, code):
    reports = [r for r in ws.list_reports() if r.template_code == code]
    assert reports, f"resources/demo/lung_phinh.yaml has no report for the shipped template {code}"
    return reports


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


# ---------------------------------------------------------------- the template itself


def test_there_is_a_template_for_every_report_kind():
    assert {"bc_tuan", "bc_giam_sat", "bc_so_ket_mot_nam", "bc_chuyen_de"} <= set(ids)


@pytest.mark.parametrize("path", SHIPPED, ids=ids)
def test_file_is_clean_text(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "\u00a0" not in text
    for s in _strings(yaml.safe_load(text)):
        assert "  " not in s, s[:60]


def test_loads_and_installs(template, workspace):
    template_id = workspace.install_template(template)
    assert template_id
    installed = workspace.template(template.code)
    assert installed.version == template.version and installed.sha256 == template.sha256
    assert template.code in [t.code for t in workspace.templates()]


def test_identity(template):
    assert template.name and template.title == "BÁO CÁO" and template.doc_type == "BC"
    assert template.summary and not template.summary.endswith(".")
    assert template.closing.endswith("./.") and "{unit_name}" in template.closing
    assert template.recipients and template.recipients[-1].startswith("- Lưu")


def test_every_section_has_guidance_and_every_leaf_an_example(template):
    for s in template.walk():
        assert s.guidance, f"{s.path} has no guidance"
        if not s.children:
            assert s.example, f"leaf {s.path} has no example"
        assert not s.title.endswith(":") and s.title == s.title.strip(), s.path


def test_numbering_of_siblings_is_consistent(template):
    """a) b) c) d) đ) e); 1. 2. 3.; 1.1. then 1.2. under “1.”; no 4.2 without 4.1; I. II. III. at the top."""
    assert [s.number for s in template.sections] == [f"{r}." for r in ROMANS[:len(template.sections)]]

    def check(parent, siblings):
        where = parent.path if parent else "gốc"
        letters = [s.number for s in siblings if s.number.endswith(")")]
        assert letters == [f"{x})" for x in LETTERS[:len(letters)]], f"{where}: {letters}"
        dotted = [s.number for s in siblings if s.number.endswith(".") and s.number[0].isdigit()]
        if dotted:
            parts = [n.rstrip(".").split(".") for n in dotted]
            assert len({len(p) for p in parts}) == 1, f"{where}: mixed levels {dotted}"
            assert [p[-1] for p in parts] == [str(i) for i in range(1, len(parts) + 1)], f"{where}: {dotted}"
            if len(parts[0]) > 1:  # “1.1.” lives under “1.”, “2.3.” under “2.”
                assert parent is not None and all(p[:-1] == parent.number.rstrip(".").split(".") for p in parts), \
                    f"{where}: {dotted} under {parent.number}"
        assert len(letters) + len(dotted) == len(siblings), f"{where}: {[s.number for s in siblings]}"
        for s in siblings:
            check(s, s.children)

    for top in template.sections:
        check(top, top.children)


def test_indicators_are_placed_once_and_well_formed(template):
    placed = [code for s in template.walk() for code in s.indicators]
    assert sorted(placed) == sorted(i.code for i in template.indicators)
    for ind in template.indicators:
        assert ind.sentence, ind.code
        assert ind.range is not None and ind.range[0] < ind.range[1], ind.code
        assert ind.actual or ind.cumulative, ind.code
        if ind.kind == "percent":
            assert ind.unit == "%", ind.code


def test_tables_are_placed_once(template):
    placed = [code for s in template.walk() for code in s.tables]
    assert sorted(placed) == sorted(t.code for t in template.tables)
    for table in template.tables:
        assert template.section_of_table(table.code).children == (), f"{table.code} is on a parent section"


def test_indicators_are_in_the_shared_dictionary_with_the_same_unit_and_kind(template):
    entries = load_dictionary()
    for ind in template.indicators:
        assert ind.code in entries, f"{ind.code}: add it to resources/indicators.yaml"
        assert (ind.unit, ind.kind) == (entries[ind.code].unit, entries[ind.code].kind), ind.code


def test_shared_codes_mean_one_thing_in_every_template():
    seen = {}
    for path in SHIPPED:
        for ind in load_template_file(path).indicators:
            first = seen.setdefault(ind.code, (ind.unit, ind.kind, path.name))
            assert first[:2] == (ind.unit, ind.kind), f"{ind.code}: {path.name} vs {first[2]}"


# ---------------------------------------------------------------- its demo report


def test_demo_report_references_exist(template, demo_data):
    entries = [r for r in demo_data["reports"] if r["template"] == template.code]
    assert entries, f"no demo report for {template.code}"
    for entry in entries:
        for code, values in (entry.get("indicators") or {}).items():
            ind = template.indicator(code)
            assert ind is not None, code
            for name, raw in values.items():
                assert name in ("actual", "plan", "cumulative", "previous"), (code, name)
                assert isinstance(raw, str) and parse_number(raw) is not None, (code, raw)
        for path, markup in (entry.get("sections") or {}).items():
            section = template.section(path)
            assert section is not None, path
            assert not section.children, f"text on a parent section {path}"
            assert unicodedata.is_normalized("NFC", markup) and "  " not in markup, path
            assert markup.count("[") == markup.count("[^") == markup.count("]"), path
            assert markup == markup.strip() and "\n\n" not in markup, path
        for code, table in (entry.get("tables") or {}).items():
            assert template.table(code) is not None, code


def test_demo_report_fills_required_sections_and_every_table(template, shipped_demo):
    for summary in demo_report_of(shipped_demo, template.code):
        report = shipped_demo.report(summary.id)
        for section in template.walk():
            if section.required and not section.children:
                assert not richtext.is_empty(report.texts.get(section.path)), section.path
        for table in template.tables:
            assert report.tables.get(table.code), f"demo report leaves table {table.code} empty"


def _deliberate_slip(finding) -> bool:
    """The demo's one deliberate mistake (resources/demo/lung_phinh.yaml): March 2026's khám chữa bệnh typed
    1.720 for 1.270, found by March's lũy kế and by the 6-month reports' sum of the months
    (tests/services/test_demo_months.py)."""
    return finding.field.startswith("kham_chua_benh.") and (
        finding.code.startswith("sum_of_months") or finding.code == "cumulative.mismatch")


def test_demo_report_has_no_error_findings(template, shipped_demo):
    for summary in demo_report_of(shipped_demo, template.code):
        findings = [f for f in shipped_demo.check(summary.id) if not _deliberate_slip(f)]
        errors = [f"{f.code} {f.section}: {f.message}" for f in findings if f.severity == "error"]
        assert errors == []
        if template.code != "bc_tuan":  # the new demo reports are clean of warnings too
            assert [f.message for f in findings if f.severity == "warning"] == []


def test_demo_report_exports_to_docx(template, shipped_demo, tmp_path):
    summary = demo_report_of(shipped_demo, template.code)[0]
    out = shipped_demo.export_docx(summary.id, tmp_path / f"{template.code}.docx")
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    first = template.sections[0]
    assert f"{first.number} {first.title}" in text
    assert unicodedata.is_normalized("NFC", text)
    report = shipped_demo.report(summary.id)
    for table in template.tables:
        if report.tables.get(table.code):
            cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
            shown = table.for_report(report.table_rows.get(table.code))  # the report's own row names
            assert shown.rows[0].label in cells, f"table {table.code} is not in the DOCX"


# ---------------------------------------------------------------- the supervision report's table checks


@pytest.fixture
def supervision(demo_workspace):
    ws = demo_workspace
    report = demo_report_of(ws, "bc_giam_sat")[0]
    assert not [f for f in ws.check(report.id) if f.severity == "error"]
    return ws, report


def _errors(ws, report_id):
    return [f for f in ws.check(report_id) if f.severity == "error"]


def test_party_organisation_balance_fires_when_a_cell_changes(supervision):
    ws, report = supervision
    ws.set_cell(report.id, "to_chuc_dang", "chi_bo_thon", "hien_nay", "21")
    found = {f.code: f for f in _errors(ws, report.id)}
    balance = found["table_balance.to_chuc_dang_bien_dong"]
    assert "(21) khác" in balance.message and "(20 + 0 − 0 = 20): chênh 1." in balance.message
    assert balance.section == "III.1.1.a" and balance.field == "to_chuc_dang.chi_bo_thon.hien_nay"
    assert found["table.total"].message == (
        "Bảng “Tổ chức đảng trực thuộc Đảng ủy xã”, cột “Hiện nay”: tổng ghi 37 khác cộng các ô "
        "(0 + 0 + 21 + 17 = 38): chênh 1.")


def test_administrative_procedure_totals_fire_when_a_cell_changes(supervision):
    """The seed's own fault: 696 resolved in the total row while the fields add up to 699."""
    ws, report = supervision
    ws.set_cell(report.id, "tthc_linh_vuc", "tong", "da_giai_quyet", "696")
    messages = [f.message for f in _errors(ws, report.id)]
    assert ("Bảng “Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính theo lĩnh vực”, cột “Đã giải quyết”: "
            "tổng ghi 696 khác cộng các ô (270 + 380 + 18 + 12 + 19 + 0 = 699): chênh 3.") in messages
    assert ("Bảng “Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính theo lĩnh vực”, dòng “Tổng số”: "
            "tổng ghi 747 khác cộng các ô (696 + 25 + 1 + 5 + 15 + 2 = 744): chênh 3.") in messages
    assert any(m.startswith("Tỷ lệ hồ sơ thủ tục hành chính đã giải quyết ghi 93,6% nhưng") and "= 93,2%" in m
               for m in messages)


def test_a_row_that_does_not_add_up_across_columns_fires(supervision):
    ws, report = supervision
    ws.set_cell(report.id, "tthc_linh_vuc", "dat_dai", "tra_lai", "4")
    messages = [f.message for f in _errors(ws, report.id)]
    assert ("Bảng “Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính theo lĩnh vực”, dòng “Đất đai”: "
            "tổng ghi 43 khác cộng các ô (18 + 12 + 1 + 5 + 4 + 2 = 42): chênh 1.") in messages


def test_severance_table_total_fires(supervision):
    """The seed wrote 15 people for 06 + 05 + 08."""
    ws, report = supervision
    ws.set_cell(report.id, "thoi_viec_xa_cu", "tong", "so_nguoi", "15")
    messages = [f.message for f in _errors(ws, report.id)]
    assert any("tổng ghi 15 khác cộng các ô (6 + 5 + 8 = 19): chênh 4." in m for m in messages)


def test_council_delegates_and_profile_checks_fire(supervision):
    ws, report = supervision
    ws.set_value(report.id, "hdnd_dai_bieu_chuyen_tiep", "actual", "49")  # the seed's figure
    ws.set_value(report.id, "tong_dang_vien", "actual", "690")
    found = {f.code: f for f in ws.check(report.id)}
    assert found["total_parts.hdnd_theo_nguon"].severity == "error"
    assert "(49 + 4 = 53): chênh 5." in found["total_parts.hdnd_theo_nguon"].message
    assert found["profile_equals.dang_vien_theo_ho_so"].message.startswith(
        "Tổng số đảng viên (690) khác hồ sơ đơn vị: Tổng số đảng viên là 691 đảng viên (từ ngày 01/7/2025).")


def test_one_year_review_checks_fire(demo_workspace):
    ws = demo_workspace
    report = demo_report_of(ws, "bc_so_ket_mot_nam")[0]
    ws.set_cell(report.id, "to_chuc_dang", "chi_bo_co_so", "hien_nay", "3")  # the seed's kind of slip
    ws.set_cell(report.id, "co_cau_can_bo", "nu", "khoi_dang", "15")
    ws.set_value(report.id, "tthc_dang_giai_quyet", "actual", "18")
    codes = {f.code for f in _errors(ws, report.id)}
    assert {"table_balance.to_chuc_dang_bien_dong", "table.total", "expression.co_cau_gioi_tinh_dang",
            "total_parts.tthc_can_doi"} <= codes


def test_weekly_reports_are_still_two_consecutive_weeks(demo_data):
    weekly = [r for r in demo_data["reports"] if r["template"] == "bc_tuan"]
    assert [str(r["period_start"]) for r in weekly] == ["2026-06-01", "2026-06-08"]
    others = {r["template"] for r in demo_data["reports"]} - {"bc_tuan"}
    assert others == {p.stem for p in SHIPPED} - {"bc_tuan"}
    assert all(re.fullmatch(r"\d+", str(r["number"])) for r in demo_data["reports"])
