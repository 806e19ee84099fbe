import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tests.conftest import run_cli


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.sqlite3")


def test_demo_then_list_show_check_export(db, tmp_path):
    code, out, err = run_cli("demo", "--db", db)
    assert code == 0, err
    assert "Lùng Phình" in out
    code, out, _ = run_cli("report", "list", "--db", db, "--json")
    listed = json.loads(out)["reports"]
    # two weekly reports, plus one report for each other shipped template (giám sát, sơ kết, chuyên đề)
    reports = [r for r in listed if r["template"] == "bc_tuan"]
    assert [(r["period"]["start"], r["period"]["end"]) for r in reports] == [
        ("2026-06-08", "2026-06-14"), ("2026-06-01", "2026-06-07")]
    assert {r["template"] for r in listed} >= {"bc_tuan", "bc_giam_sat", "bc_so_ket_mot_nam", "bc_chuyen_de"}
    assert all(r["status"] == "draft" and r["unit"] == "Đảng ủy xã Lùng Phình" for r in listed)
    week2 = reports[0]["id"]
    code, out, _ = run_cli("report", "show", week2, "--db", db, "--json")
    shown = json.loads(out)
    assert shown["indicators"]["lua_mua_dien_tich"]["plan"] == "650"
    assert shown["sections"]["II.1.1.a"]["text"]
    # the demo is consistent: no cumulative errors in week 2
    code, out, _ = run_cli("check", week2, "--db", db, "--json")
    findings = json.loads(out)["findings"]
    assert code == 0
    assert not [f for f in findings if f["severity"] == "error"], findings
    # running the demo twice changes nothing
    assert run_cli("demo", "--db", db)[0] == 0
    assert len(json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"]) == len(listed)
    out_docx = tmp_path / "Báo cáo tuần 08-6.docx"
    code, out, err = run_cli("export", week2[:8], "--docx", str(out_docx), "--db", db)
    assert code == 0, err
    text = "\n".join(p.text for p in docx.Document(str(out_docx)).paragraphs)
    assert "ĐẢNG ỦY XÃ LÙNG PHÌNH" in text.upper()


def test_show_fill_round_trip_and_cumulative_error(db, tmp_path):
    run_cli("demo", "--db", db)
    listed = json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"]
    week2 = [r for r in listed if r["template"] == "bc_tuan"][0]["id"]
    shown = json.loads(run_cli("report", "show", week2, "--db", db, "--json")[1])
    code_cum = next(c for c, v in shown["indicators"].items()
                    if "cumulative" in v and v.get("actual") and v.get("previous"))
    entry = shown["indicators"][code_cum]
    shown["indicators"][code_cum]["cumulative"] = "999.999"
    values = tmp_path / "values.json"
    values.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    code, _, err = run_cli("report", "fill", week2, "--from", str(values), "--db", db)
    assert code == 0, err
    findings = json.loads(run_cli("check", week2, "--db", db, "--json")[1])["findings"]
    mismatch = [f for f in findings if f["code"] == "cumulative.mismatch"]
    assert mismatch and mismatch[0]["location"]["field"] == f"{code_cum}.cumulative"
    assert mismatch[0]["values"]["previous"] == entry["previous"]
    assert "999.999" in mismatch[0]["message"]


@pytest.mark.parametrize("args, message", [
    (("report", "show", "khong-co"), "Không tìm thấy báo cáo"),
    (("report", "new", "--template", "bc_tuan", "--period", "2026-06-03"), "thứ Hai đến Chủ nhật"),
    (("report", "new", "--template", "khong_co", "--period", "2026-06-01"), "Không có mẫu báo cáo"),
    (("report", "new", "--template", "bc_tuan", "--period", "31/2/2026"), "không hợp lệ"),
    (("report", "frobnicate"), "lỗi tham số"),
    (("check",), "lỗi tham số"),
])
def test_bad_input_exits_2_with_a_vietnamese_message(db, args, message):
    run_cli("demo", "--db", db)
    code, out, err = run_cli(*args, "--db", db)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_fill_with_a_bad_number_exits_2_quoting_it(db, tmp_path):
    run_cli("demo", "--db", db)
    listed = json.loads(run_cli("report", "list", "--db", db, "--json")[1])["reports"]
    week1 = [r for r in listed if r["template"] == "bc_tuan"][1]["id"]  # newest first: week 2, week 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"indicators": {"lua_mua_dien_tich": {"actual": "5x49"}}}), encoding="utf-8")
    code, _, err = run_cli("report", "fill", week1, "--from", str(bad), "--db", db)
    assert code == 2 and "“5x49”" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{ không phải json", encoding="utf-8")
    code, _, err = run_cli("report", "fill", week1, "--from", str(broken), "--db", db)
    assert code == 2 and "không phải JSON" in err


def test_a_corrupt_database_exits_2(tmp_path):
    bad = tmp_path / "hong.sqlite3"
    bad.write_bytes(b"\x00garbage" * 1000)
    code, _, err = run_cli("report", "list", "--db", str(bad))
    assert code == 2 and "bị hỏng" in err


def test_new_report_for_a_week(db):
    run_cli("demo", "--db", db)
    code, out, err = run_cli("report", "new", "--template", "bc_tuan", "--period", "15/6/2026", "--db", db, "--json")
    assert code == 0, err
    created = json.loads(out)
    assert created["period"] == {"start": "2026-06-15", "end": "2026-06-21"}
    shown = json.loads(run_cli("report", "show", created["id"], "--db", db, "--json")[1])
    # plans carry over from last week; last week's cumulatives are the new "previous"
    assert shown["indicators"]["lua_mua_dien_tich"]["plan"] == "650"
    assert any(v.get("previous") for v in shown["indicators"].values())


def test_module_entry_point_runs_as_a_process(db):
    result = subprocess.run([sys.executable, "-m", "baocao_desktop", "template", "list", "--db", db, "--json"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert "bc_tuan" in [t["code"] for t in json.loads(result.stdout)["templates"]]


def test_a_bug_is_logged_and_named_never_shown_as_a_traceback(db, tmp_path, monkeypatch):
    """Issue 13 point 5: what is not a UserError is a bug: its traceback goes to the log in the data folder,
    the user gets "Lỗi chương trình" and the log's path (exit 1), not the exception's text."""
    from baocao_desktop.services import logs, workspace
    log_file = logs.setup_logging(tmp_path / "logs" / "baocao.log")
    run_cli("--db", str(db), "demo")

    def broken(self, *args, **kwargs):
        raise KeyError("internal detail")
    monkeypatch.setattr(workspace.Workspace, "list_reports", broken)
    code, out, err = run_cli("--db", str(db), "report", "list", "--json")
    logs.stop_logging()
    assert code == 1 and out == ""
    assert err.startswith("baocao: Lỗi chương trình: lệnh chưa chạy xong.") and str(log_file) in err
    assert "internal detail" not in err and "Traceback" not in err
    logged = log_file.read_text(encoding="utf-8")
    assert "baocao report" in logged and "KeyError: 'internal detail'" in logged


def test_every_user_error_is_bad_input(db, tmp_path):
    """A refusal of any layer (here a date the period parser refuses) is exit 2 with its Vietnamese message."""
    run_cli("--db", str(db), "demo")
    code, out, err = run_cli("--db", str(db), "report", "new", "--template", "bc_tuan", "--period", "2026-02-30")
    assert code == 2 and out == "" and "2026-02-30" in err and "Traceback" not in err


def test_options_before_the_subcommand_are_kept(db, monkeypatch, tmp_path):
    """`--db`/`--json` before the subcommand were put back to their defaults by the subcommand's parser,
    which opened the user's real database instead of the one named."""
    monkeypatch.setenv("BAOCAO_DATA_DIR", str(tmp_path / "user-data"))  # where a default database would go
    code, out, err = run_cli("--db", db, "--json", "demo")
    assert code == 0, err
    assert json.loads(out)["unit"] == "Đảng ủy xã Lùng Phình"
    code, out, _ = run_cli("--json", "unit", "--db", db, "signer", "list")
    assert code == 0 and [s["name"] for s in json.loads(out)["signers"]] == ["Lù Văn Chính", "Sùng Thị Mai"]
    assert not (tmp_path / "user-data").exists()


def test_report_new_takes_each_kind_of_period(db, tmp_path):
    """`--period 2026-Q1 | 2026-06 | 2026-H1 | 2026-9M | 2026` for templates of those kinds (issue 17)."""
    assert run_cli("demo", "--db", db)[0] == 0
    source = (Path(__file__).resolve().parents[2] / "resources" / "templates" / "bc_chuyen_de.yaml").read_text(
        encoding="utf-8")
    for kind, spec, start, end in (("quarter", "2026-Q1", "2026-01-01", "2026-03-31"),
                                   ("month", "2026-06", "2026-06-01", "2026-06-30"),
                                   ("half_year", "2026-H1", "2026-01-01", "2026-06-30"),
                                   ("nine_months", "2026-9M", "2026-01-01", "2026-09-30"),
                                   ("year", "2026", "2026-01-01", "2026-12-31")):
        path = tmp_path / f"bc_{kind}.yaml"
        path.write_text(source.replace("code: bc_chuyen_de", f"code: bc_{kind}").replace(
            "period: custom", f"period: {kind}"), encoding="utf-8")
        code, out, err = run_cli("template", "import", str(path), "--db", db, "--json")
        assert code == 0, err
        code, out, err = run_cli("report", "new", "--template", f"bc_{kind}", "--period", spec, "--db", db, "--json")
        assert code == 0, err
        created = json.loads(out)
        assert (created["period"]["start"], created["period"]["end"]) == (start, end)
    code, out, err = run_cli("report", "new", "--template", "bc_quarter", "--period", "2026-06", "--db", db)
    assert code == 2 and "báo cáo theo quý" in err and "Ví dụ: 2026-Q2" in err
    listed = json.loads(run_cli("template", "list", "--db", db, "--json")[1])["templates"]
    assert {t["code"]: t["period"] for t in listed}["bc_nine_months"] == "nine_months"


def test_report_new_from_the_months_and_show_gives_the_sources(db):
    """`report new --from parts` (issue 17 point 4) and `report show --json` with the computed figures' sources."""
    assert run_cli("unit", "set", "--name", "Đảng ủy xã Lùng Phình", "--db", db)[0] == 0
    ids = {}
    for month, (actual, cumulative) in {4: ("70", "365"), 5: ("60", "425"), 6: ("50", "475")}.items():
        code, out, err = run_cli("report", "new", "--template", "bc_dang_uy_thang", "--period", f"2026-0{month}",
                                 "--db", db, "--json")
        assert code == 0, err
        ids[month] = json.loads(out)["id"]
    code, out, err = run_cli("report", "new", "--template", "bc_dang_uy_quy", "--period", "2026-Q1", "--from",
                             "parts", "--db", db)
    assert code == 2 and "Chưa có báo cáo nào của đơn vị trong Quý I/2026" in err
    for month, (actual, cumulative) in {4: ("70", "365"), 5: ("60", "425"), 6: ("50", "475")}.items():
        data = {"indicators": {"thu_ngan_sach_tren_dia_ban": {"actual": actual, "cumulative": cumulative}}}
        path = Path(db).with_name(f"m{month}.json")
        path.write_text(json.dumps(data), encoding="utf-8")
        assert run_cli("report", "fill", ids[month], "--from", str(path), "--db", db)[0] == 0
    code, out, err = run_cli("report", "new", "--template", "bc_dang_uy_quy", "--period", "2026-Q2", "--from",
                             "parts", "--db", db, "--json")
    assert code == 0, err
    quarter = json.loads(out)["id"]
    shown = json.loads(run_cli("report", "show", quarter, "--db", db, "--json")[1])
    figure = shown["indicators"]["thu_ngan_sach_tren_dia_ban"]
    assert figure["actual"] == "180" and figure["auto"] == ["actual"]
    assert figure["sources"]["sum_actual"]["text"] == (
        "Tổng các báo cáo trong kỳ = tháng 4/2026: 70 + tháng 5/2026: 60 + tháng 6/2026: 50 = 180")
    assert figure["sources"]["previous"]["gaps"] == ["tháng 1–3/2026"]  # no report before April: said
