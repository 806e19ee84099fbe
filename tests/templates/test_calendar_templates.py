"""The report calendar's templates (issue 17 points 1, 2, 5): the Đảng ủy xã and UBND xã reports of a month,
quarter, 6 months, 9 months and year; their `format` (party | state) and `due` (when the report is due)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from baocao_desktop.domain.dates import DateError, Period, calendar_period, parse_due
from baocao_desktop.resources import resource_path
from baocao_desktop.templates.model import TemplateError, due_date, load_template_file, parse_template
from baocao_desktop.templates.packs import read_templates, write_pack
from tests.conftest import run_cli

SHIPPED = sorted(resource_path("templates").glob("*.yaml"))
KINDS = ("month", "quarter", "half_year", "nine_months", "year")
SUFFIX = {"month": "thang", "quarter": "quy", "half_year": "6_thang", "nine_months": "9_thang", "year": "nam"}
CALENDAR = {f"bc_{body}_{SUFFIX[kind]}": (body, kind) for body in ("dang_uy", "ubnd") for kind in KINDS}


def _load(code):
    return load_template_file(resource_path("templates", f"{code}.yaml"))


def _titles(template):
    return " | ".join(s.title.lower() for s in template.walk())


@pytest.mark.parametrize("code", sorted(CALENDAR))
def test_each_calendar_template_has_its_period_format_due_and_parts(code):
    body, kind = CALENDAR[code]
    template = _load(code)
    assert template.period == kind
    assert template.format == ("party" if body == "dang_uy" else "state")
    assert template.due_rule is not None
    titles = _titles(template)
    for part in ("kinh tế", "văn hóa - xã hội", "quốc phòng - an ninh", "hạn chế", "nguyên nhân"):
        assert part in titles, (code, part)
    assert ("phương hướng" in titles) if body == "dang_uy" else ("nhiệm vụ trọng tâm" in titles)
    if body == "dang_uy":
        assert "xây dựng đảng và hệ thống chính trị" in titles
    else:
        assert "cải cách hành chính" in titles and template.signer_on_behalf == "TM. ỦY BAN NHÂN DÂN"
    assert "{period}" in template.summary and "{period}" in template.closing


def test_the_same_measure_has_the_same_code_in_every_kind():
    """Weekly, monthly… annual figures line up: a measure the weekly report has keeps its code."""
    weekly = {i.code for i in _load("bc_tuan").indicators}
    for body in ("dang_uy", "ubnd"):
        codes = [{i.code for i in _load(f"bc_{body}_{SUFFIX[k]}").indicators} for k in KINDS]
        shared = set.intersection(*codes)
        assert {"thu_ngan_sach_tren_dia_ban", "chi_ngan_sach", "kham_chua_benh", "cap_gcn_lan_dau",
                "tong_dan_gia_suc", "giai_ngan_von_dau_tu_cong"} <= shared & weekly
    assert "ket_nap_dang_vien" in {i.code for i in _load("bc_dang_uy_nam").indicators}
    assert "ket_nap_dang_vien" not in {i.code for i in _load("bc_ubnd_nam").indicators}


def test_longer_periods_are_checked_against_their_months():
    for code, (_, kind) in CALENDAR.items():
        kinds = {r.kind for r in _load(code).rules}
        assert ("sum_of_months" in kinds) == (kind != "month"), code


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_template_goes_through_a_pack_unchanged(path, tmp_path):
    template = load_template_file(path)
    pack = write_pack([template], tmp_path / "mau.bcmau")
    [back] = read_templates(pack)
    assert back == template and back.source == template.source and back.sha256 == template.sha256
    assert (back.format, back.due, back.due_rule) == (template.format, template.due, template.due_rule)


# ---------------------------------------------------------------- due


def test_due_forms():
    assert parse_due(None) is None
    assert parse_due(-5).offset == -5 and parse_due(10).offset == 10
    assert (parse_due("ngày 25").day, parse_due("ngày 25").month) == (25, None)
    assert (parse_due("15/11").day, parse_due("15/11").month) == (15, 11)
    for bad in ("tháng 11", "ngày 32", "31/2", "400", True, 400, "15-11"):
        with pytest.raises(DateError) as info:
            parse_due(bad)
        assert "“due” là số ngày" in str(info.value)


def test_due_date_by_each_form():
    june = calendar_period("month", dt.date(2026, 6, 1))
    feb = calendar_period("month", dt.date(2026, 2, 1))
    q2 = calendar_period("quarter", dt.date(2026, 4, 1))
    year = calendar_period("year", dt.date(2026, 1, 1))
    h1 = calendar_period("half_year", dt.date(2026, 1, 1))
    assert parse_due("ngày 25").date_for(june) == dt.date(2026, 6, 25)
    assert parse_due("ngày 31").date_for(feb) == dt.date(2026, 2, 28)  # the month's last day
    assert parse_due(-5).date_for(q2) == dt.date(2026, 6, 25)
    assert parse_due("ngày 20").date_for(q2) == dt.date(2026, 6, 20)  # the quarter's last month
    assert parse_due("15/11").date_for(year) == dt.date(2026, 11, 15)
    assert parse_due("15/1").date_for(year) == dt.date(2027, 1, 15)  # after its year, not at its start
    assert parse_due("ngày 15").date_for(h1) == dt.date(2026, 6, 15)
    assert parse_due(5).date_for(june) == dt.date(2026, 7, 5)
    assert due_date(_load("bc_dang_uy_nam"), year) == dt.date(2026, 11, 15)
    assert due_date(_load("bc_tuan"), Period("week", dt.date(2026, 6, 1), dt.date(2026, 6, 7))) is None


def test_a_template_says_due_and_format_in_words_it_can_fix():
    source = _load("bc_ubnd_thang").source
    with pytest.raises(TemplateError) as info:
        parse_template(source.replace("due: ngày 20", "due: cuối tháng"), origin="x.yaml")
    assert "Mẫu x.yaml" in str(info.value) and "“ngày 25”" in str(info.value)
    with pytest.raises(TemplateError) as info:
        parse_template(source.replace("format: state", "format: nha_nuoc"), origin="x.yaml")
    assert "thể thức “nha_nuoc” không có" in str(info.value) and "state" in str(info.value)
    plain = parse_template(source.replace("format: state\n", "").replace("due: ngày 20\n", ""), origin="x")
    assert plain.format == "" and plain.print_format == "party" and plain.due_rule is None and plain.due is None


# ---------------------------------------------------------------- format and the command line


def test_a_ubnd_template_prints_in_the_state_format_for_a_party_unit(demo_workspace):
    ws = demo_workspace
    assert ws.own_unit().format == "party"
    by_code = {r.template_code: r for r in ws.list_reports()
               if r.template_code != "bc_dang_uy_thang" or r.period.start.month == 6}  # the demo has Jan–Jun
    state = ws.document_model(by_code["bc_ubnd_quy"].id)
    party = ws.document_model(by_code["bc_dang_uy_thang"].id)
    weekly = ws.document_model(by_code["bc_tuan"].id)  # no format of its own: the unit's
    assert (state.format_code, party.format_code, weekly.format_code) == ("state", "party", "party")
    assert state.summary.startswith("Tình hình kinh tế - xã hội, quốc phòng - an ninh quý II/2026")
    assert "tháng 6/2026" in party.summary


def test_template_list_json_gives_period_format_and_due(db_with_demo):
    code, out, err = run_cli("template", "list", "--db", db_with_demo, "--json")
    assert code == 0, err
    listed = {t["code"]: t for t in json.loads(out)["templates"]}
    assert (listed["bc_ubnd_quy"]["period"], listed["bc_ubnd_quy"]["format"]) == ("quarter", "state")
    assert (listed["bc_dang_uy_9_thang"]["period"], listed["bc_dang_uy_9_thang"]["format"]) == ("nine_months", "party")
    assert listed["bc_dang_uy_nam"]["due"] == "15/11" and listed["bc_dang_uy_quy"]["due"] == "-5"
    assert listed["bc_tuan"]["format"] == "party" and listed["bc_tuan"]["due"] == ""


@pytest.fixture
def db_with_demo(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    assert run_cli("demo", "--db", db)[0] == 0
    return db


# ---------------------------------------------------------------- due soon, late, and the inbox


def test_a_ubnd_lists_its_own_templates(demo_workspace):
    import dataclasses

    from baocao_desktop.services.deadlines import deadlines
    ws = demo_workspace
    ubnd = dataclasses.replace(ws.own_unit(), format="state")
    ws.own_unit = lambda: ubnd
    found = {(d.template_code, d.period.label()): d for d in deadlines(ws, dt.date(2026, 6, 20))}
    assert found[("bc_ubnd_thang", "Tháng 5/2026")].state == "late"  # due 20/5
    assert found[("bc_ubnd_thang", "Tháng 6/2026")].state == "soon"  # due today, a draft
    assert not any(code.startswith("bc_dang_uy") for code, _ in found)


def test_deadlines_list_late_and_soon_by_the_templates_rule(demo_workspace):
    from baocao_desktop.services.deadlines import deadlines
    today = dt.date(2026, 6, 20)
    found = {(d.template_code, d.period.label()): d for d in deadlines(demo_workspace, today)}
    assert found[("bc_dang_uy_thang", "Tháng 5/2026")].state == "late"  # due 25/5, never written
    assert found[("bc_dang_uy_thang", "Tháng 6/2026")].state == "soon"  # due 25/6, a draft
    june = found[("bc_dang_uy_thang", "Tháng 6/2026")]
    assert june.text(today) == ("Báo cáo tháng của Đảng ủy xã – Tháng 6/2026: hạn 25/6/2026 (còn 5 ngày, dự thảo)")
    assert not any(code == "bc_tuan" for code, _ in found)  # the weekly template declares no due day
    assert not any(code.startswith("bc_ubnd") for code, _ in found)  # State templates: not a Đảng ủy's
    assert not any(label.endswith("2025") for _, label in found)  # periods begun before the unit existed


def test_a_sent_report_is_no_longer_owed(demo_workspace, monkeypatch):
    import dataclasses

    from baocao_desktop.services.deadlines import deadlines
    ws = demo_workspace
    listed = [dataclasses.replace(r, status="sent") if r.template_code == "bc_dang_uy_thang" else r
              for r in ws.list_reports()]
    monkeypatch.setattr(ws, "list_reports", lambda: listed)
    found = {(d.template_code, d.period.label()) for d in deadlines(ws, dt.date(2026, 6, 20))}
    assert ("bc_dang_uy_thang", "Tháng 6/2026") not in found
    assert ("bc_dang_uy_quy", "Quý II/2026") in found


def test_the_inbox_uses_the_templates_due_rule():
    from baocao_desktop.services.inbox import due_date as inbox_due
    june = calendar_period("month", dt.date(2026, 6, 1))
    assert inbox_due(june) == dt.date(2026, 7, 5)  # no template rule: DUE_AFTER_DAYS
    assert inbox_due(june, _load("bc_ubnd_thang")) == dt.date(2026, 6, 20)
    assert inbox_due(june, _load("bc_tuan")) == dt.date(2026, 7, 5)  # declares none


def test_an_edited_copy_keeps_format_and_due():
    from baocao_desktop.services.template_editing import edit_copy
    template = _load("bc_ubnd_quy")
    edited = edit_copy(template)
    edited.name = "Báo cáo quý của UBND xã (sửa)"
    built = edited.build(version=2)
    assert (built.format, built.due_rule, built.version) == ("state", template.due_rule, 2)
