"""Figures refused at the door in the services (issue 18 point 2): the indicator's kind and the dictionary's
bounds apply to every way in — a typed field, a table cell, a profile fact, `report fill`."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from baocao_desktop.domain.numbers import NumberFormatError
from baocao_desktop.services.editing import EditSession
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.templates.dictionary import column_rule, fact_rule, indicator_rule, kind_of_unit, load_dictionary
from baocao_desktop.templates.model import TableLine
from tests.conftest import run_cli


@pytest.fixture
def week(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm", symbol="ĐU")
    return workspace.create_report("bc_tuan", "2026-06-01")


def test_rules_come_from_the_template_kind_and_the_dictionary(workspace):
    template = workspace.template("bc_tuan")
    herd = indicator_rule(template.indicator("tong_dan_gia_suc"))
    assert herd.kind == "count" and herd.integer and herd.minimum == 0
    assert kind_of_unit("người") == "count" and kind_of_unit("triệu đồng") == "money"
    assert kind_of_unit("%") == "percent" and kind_of_unit("") == "number"
    assert column_rule(TableLine("so_nguoi", "Số người", "người")).integer
    assert not column_rule(TableLine("ke_hoach", "Kế hoạch", "triệu đồng")).integer
    assert column_rule(TableLine("x", "X", "người", kind="number")).kind == "number"  # declared wins
    assert fact_rule("tong_dang_vien", "đảng viên").minimum == 0
    assert load_dictionary()["so_dan_toc"].maximum == 54
    assert fact_rule("ty_le_dan_toc_khac", "%").maximum == 100


def test_a_count_field_refuses_12_345_and_keeps_nothing(workspace, week):
    with pytest.raises(NumberFormatError) as info:
        workspace.set_value(week.id, "tong_dan_gia_suc", "actual", "12,345")
    assert "Có phải ý bạn là 12.345?" in str(info.value)
    assert workspace.report(week.id).value("tong_dan_gia_suc", "actual") is None
    for bad in ("-5", "1e5"):
        with pytest.raises(NumberFormatError):
            workspace.set_value(week.id, "tong_dan_gia_suc", "actual", bad)
    assert workspace.set_value(week.id, "tong_dan_gia_suc", "actual", "12.345") == Decimal(12345)


def test_the_editing_session_keeps_the_refused_text_with_its_message(workspace, week):
    session = EditSession(workspace, week.id)
    session.edit_figure("tong_dan_gia_suc", "actual", "12,345")
    assert session.current("tong_dan_gia_suc", "actual") is None  # not a figure of this field
    session.flush()
    assert "Có phải ý bạn là 12.345?" in session.invalid[("tong_dan_gia_suc", "actual")]
    assert session.field_text("tong_dan_gia_suc", "actual") == "12,345"  # nothing typed is lost
    assert workspace.report(week.id).value("tong_dan_gia_suc", "actual") is None


def test_a_table_cell_of_people_refuses_a_fraction(demo_workspace):
    ws = demo_workspace
    report = next(r for r in ws.list_reports() if r.template_code == "bc_giam_sat")
    table = next(t for t in ws.template("bc_giam_sat").tables
                 if any(c.unit == "người" for c in t.columns) and not t.rows_vary)
    column = next(c for c in table.columns if c.unit == "người")
    row = table.rows[0]
    with pytest.raises(NumberFormatError) as info:
        ws.set_cell(report.id, table.code, row.code, column.code, "2,5")
    assert "số nguyên" in str(info.value)
    assert ws.set_cell(report.id, table.code, row.code, column.code, "3") == Decimal(3)


def test_a_negative_number_of_party_members_is_refused(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    with pytest.raises(NumberFormatError) as info:
        workspace.add_profile_fact("tong_dang_vien", "Tổng số đảng viên", "-12", "đảng viên", dt.date(2025, 7, 1))
    assert "không thể âm" in str(info.value)
    assert workspace.profile_facts() == []


def test_implausible_dictionary_value_is_a_warning_not_a_refusal(demo_workspace):
    ws = demo_workspace
    report = next(r for r in ws.list_reports() if r.template_code == "bc_giam_sat")
    rule = indicator_rule(ws.template("bc_giam_sat").indicator("so_dan_toc"))
    assert rule.maximum == 54
    with pytest.raises(NumberFormatError):
        ws.set_value(report.id, "so_dan_toc", "actual", "60")  # impossible: Vietnam has 54 ethnic groups
    assert ws.set_value(report.id, "dan_so", "actual", "50") == Decimal(50)  # implausible for a commune: kept
    warnings = [f for f in ws.check(report.id, proofread=False)
                if f.code == "range.implausible" and f.field == "dan_so.actual"]
    assert [f.severity for f in warnings] == ["warning"]


def test_report_fill_refuses_with_exit_2_and_writes_nothing(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    run_cli("demo", "--db", db)
    week = json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"][1]["id"]
    before = json.loads(run_cli("report", "show", week, "--db", db, "--json")[1])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"indicators": {"lua_mua_dien_tich": {"actual": "600"},
                                              "tong_dan_gia_suc": {"actual": "12,345"}}}), encoding="utf-8")
    code, _, err = run_cli("report", "fill", week, "--from", str(bad), "--db", db)
    assert code == 2 and "Có phải ý bạn là 12.345?" in err
    for text in ("1e5", "-4"):
        bad.write_text(json.dumps({"indicators": {"tong_dan_gia_suc": {"actual": text}}}), encoding="utf-8")
        code, _, err = run_cli("report", "fill", week, "--from", str(bad), "--db", db)
        assert code == 2 and f"“{text}”" in err
    after = json.loads(run_cli("report", "show", week, "--db", db, "--json")[1])
    assert after["indicators"] == before["indicators"]  # not even the good figure was written


def test_a_declared_column_kind_survives_the_template_editor(workspace):
    from baocao_desktop.services import template_editing as te
    editable = te.edit_copy(workspace.template("bc_giam_sat"))
    section = editable.sections[0]
    code = editable.add_table(section, "Kinh phí theo thôn", ["Thôn A", {"label": "Tổng số", "total": True}],
                              [{"label": "Số tiền", "unit": "triệu đồng", "kind": "number"}])
    column = editable.table(code)["columns"][0]
    assert column["kind"] == "number"
    # edited again through the form, which does not show the kind: it stays
    editable.update_table(code, "Kinh phí theo thôn", editable.table(code)["rows"],
                          [{"code": column["code"], "label": "Số tiền (triệu đồng)", "unit": "triệu đồng"}])
    assert editable.table(code)["columns"][0]["kind"] == "number"
