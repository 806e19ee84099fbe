"""Profile facts start at the unit's founding date unless told (the first fact of a code), and a report
dated before every fact of a code its template compares with says so instead of skipping the check."""
import datetime as dt

from baocao_desktop.checks.report_checks import profile_codes_used
from tests.conftest import run_cli

FOUNDED = dt.date(2025, 7, 1)


def founded_unit(workspace):
    workspace.save_unit(name="Đảng ủy xã Tả Van", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Tả Van",
                        symbol="ĐU", format="party", founded_on=FOUNDED)
    return workspace


def test_first_fact_of_a_code_starts_at_the_founding_date_a_change_today(workspace):
    ws = founded_unit(workspace)
    first = ws.add_profile_fact("so_chi_bo", "Số chi bộ trực thuộc", "37", "chi bộ")
    assert first.as_of == FOUNDED
    later = ws.add_profile_fact("so_chi_bo", "Số chi bộ trực thuộc", "38", "chi bộ")
    assert later.as_of == dt.date.today()
    assert ws.fact_as_of("so_chi_bo", dt.date(2025, 8, 1)).value == 37
    dated = ws.add_profile_fact("so_thon", "Số thôn", "20", "thôn", "2026-01-01")
    assert dated.as_of == dt.date(2026, 1, 1)  # a date given is kept


def test_without_a_founding_date_the_default_stays_today(workspace):
    workspace.save_unit(name="Đảng ủy xã Tả Van")
    assert workspace.add_profile_fact("so_thon", "Số thôn", "20", "thôn").as_of == dt.date.today()


def test_cli_unit_fact_without_as_of(tmp_path):
    db = str(tmp_path / "b.sqlite3")
    assert run_cli("unit", "set", "--name", "Đảng ủy xã Tả Van", "--founded-on", "2025-07-01", "--db", db)[0] == 0
    code, out, err = run_cli("unit", "fact", "so_thon", "20", "--label", "Số thôn", "--db", db, "--json")
    assert code == 0, err
    assert "2025-07-01" in out and '"so_thon"' in out


def test_report_dated_before_every_fact_of_a_code_says_so(workspace):
    ws = founded_unit(workspace)
    ws.add_profile_fact("so_chi_bo", "Số chi bộ trực thuộc", "37", "chi bộ", "2026-06-01")
    ws.add_profile_fact("dan_so", "Dân số", "15486", "người")  # from the founding date: valid
    template = ws.template("bc_tuan")
    assert "so_chi_bo" in profile_codes_used(template) and "dan_so" in profile_codes_used(template)
    early = ws.create_report("bc_tuan", "2026-05-04")
    found = [f for f in ws.check(early.id) if f.code == "profile.not_yet_valid"]
    assert len(found) == 1 and found[0].values["fact"] == "so_chi_bo"
    assert "Số chi bộ trực thuộc" in found[0].message and "01/6/2026" in found[0].message
    assert found[0].severity == "warning"
    late = ws.create_report("bc_tuan", "2026-06-08")
    assert not [f for f in ws.check(late.id) if f.code == "profile.not_yet_valid"]
