"""The exchange from the command line (DESIGN §11): keys, bundle export/verify/import, versions,
inbox and aggregate, with exit status 2 and a Vietnamese message for refused files."""
import json
import shutil

from baocao_desktop.services.workspace import Workspace
from tests.conftest import run_cli
from tests.exchange.conftest import WEEK1, Commune, db_state


def test_commune_to_province_round_trip(tmp_path, blank_db):
    commune_db, upper_db = tmp_path / "xa.sqlite3", tmp_path / "tinh.sqlite3"
    stick = tmp_path / "USB"
    stick.mkdir()
    shutil.copyfile(blank_db, commune_db)
    shutil.copyfile(blank_db, upper_db)
    assert run_cli("demo", "--db", str(commune_db))[0] == 0
    ws = Workspace(commune_db, author="xa")
    week1 = next(r for r in ws.list_reports() if r.template_code == "bc_tuan" and r.period.start == WEEK1)
    ws.sign(week1.id)
    ws.close()
    key = tmp_path / "khoa.baocaokey"
    code, out, err = run_cli("unit", "key", "export", str(key), "--db", str(commune_db))
    assert code == 0, err
    fingerprint = out.strip().split()[-1]
    assert run_cli("unit", "set", "--name", "Văn phòng Tỉnh ủy Lào Cai", "--level", "tỉnh", "--db", str(upper_db))[0] == 0
    code, out, err = run_cli("unit", "register", str(key), "--db", str(upper_db))
    assert code == 0 and fingerprint in out, err

    code, out, err = run_cli("bundle", "export", "--out", str(stick), "--report", week1.id[:8], "--json",
                             "--db", str(commune_db))
    assert code == 0, err
    exported = json.loads(out)
    path = exported["path"]
    assert exported["file_name"].startswith("Đảng ủy xã Lùng Phình - Báo cáo tuần 01-06-2026")
    assert exported["marked_sent"] == [week1.id] and exported["fingerprint"] == fingerprint

    code, out, err = run_cli("bundle", "verify", path, "--db", str(upper_db))
    assert code == 0 and "hợp lệ, ký bởi Đảng ủy xã Lùng Phình" in out, err
    upper = Workspace(upper_db)
    before = db_state(upper)
    upper.close()
    code, out, err = run_cli("bundle", "import", path, "--dry-run", "--json", "--db", str(upper_db))
    assert code == 0 and json.loads(out)["counts"]["new"] == 1 and json.loads(out)["dry_run"], err
    upper = Workspace(upper_db)
    assert db_state(upper) == before
    upper.close()
    code, out, err = run_cli("bundle", "import", path, "--db", str(upper_db))
    assert code == 0 and "1 mới" in out, err
    code, out, _ = run_cli("bundle", "import", path, "--db", str(upper_db))
    assert code == 0 and out.startswith("Không có gì mới để nhập:") and "1 không đổi" in out
    assert "đã nhập trước đây" in out

    code, out, _ = run_cli("report", "list", "--json", "--db", str(upper_db))
    assert [r["id"] for r in json.loads(out)["reports"]] == [week1.id]
    code, out, _ = run_cli("bundle", "versions", week1.id[:8], "--json", "--db", str(upper_db))
    versions = json.loads(out)["versions"]
    assert [(v["origin"], v["state"]) for v in versions] == [("received", "current")]
    code, out, err = run_cli("bundle", "resolve", week1.id[:8], versions[0]["id"][:8], "--db", str(upper_db))
    assert code == 0 and "Đã chọn dùng bản" in out, err

    code, out, _ = run_cli("inbox", "--json", "--today", "2026-06-09", "--db", str(upper_db))
    cells = json.loads(out)["cells"]
    assert [(c["unit"], c["state"]) for c in cells] == [("Đảng ủy xã Lùng Phình", "late")]  # sent just now
    code, out, err = run_cli("aggregate", "--template", "bc_tuan", "--period", "01/6/2026", "--db", str(upper_db))
    assert code == 0 and "Diện tích lúa mùa: 549 ha, bằng 84,5% kế hoạch (1/1 đơn vị)" in out, err


def test_unknown_unit_exit_code_then_register_new(tmp_path, blank_db):
    stick = tmp_path / "USB"
    stick.mkdir()
    (tmp_path / "xa").mkdir()
    commune = Commune(tmp_path / "xa" / "baocao.sqlite3", "Đảng ủy xã Bản Phố", "Bản Phố", blank=blank_db)
    commune.weekly(WEEK1)
    path = str(commune.send(stick).path)
    from baocao_desktop.services import exchange as ex
    fingerprint = ex.own_key(commune.ws).fingerprint
    commune.ws.close()
    upper_db = tmp_path / "tinh.sqlite3"
    shutil.copyfile(blank_db, upper_db)
    run_cli("unit", "set", "--name", "Văn phòng Tỉnh ủy", "--db", str(upper_db))
    code, out, err = run_cli("bundle", "import", str(stick), "--db", str(upper_db))
    assert code == 2 and "chưa được đăng ký" in err and fingerprint in err and "Traceback" not in err
    assert "(Dòng lệnh: nhập lại với --register-new sau khi đã đối chiếu mã.)" in err  # the CLI says how
    code, out, err = run_cli("bundle", "import", path, "--register-new", "--db", str(upper_db))
    assert code == 0 and "1 mới" in out and "đã đăng ký đơn vị mới" in out, err
    code, out, _ = run_cli("unit", "registry", "--db", str(upper_db))
    assert fingerprint in out
    code, _, err = run_cli("bundle", "export", "--out", str(stick), "--db", str(upper_db))
    assert code == 2 and "Chưa có báo cáo “Đã ký”" in err


def test_report_list_names_the_sender_of_received_reports(tmp_path, blank_db):
    stick = tmp_path / "USB"
    stick.mkdir()
    (tmp_path / "xa").mkdir()
    commune = Commune(tmp_path / "xa" / "baocao.sqlite3", "Đảng ủy xã Bản Phố", "Bản Phố", blank=blank_db)
    commune.weekly(WEEK1)
    path = str(commune.send(stick).path)
    commune.ws.close()
    upper_db = tmp_path / "tinh.sqlite3"
    shutil.copyfile(blank_db, upper_db)
    run_cli("unit", "set", "--name", "Văn phòng Tỉnh ủy", "--db", str(upper_db))
    assert run_cli("bundle", "import", path, "--register-new", "--db", str(upper_db))[0] == 0
    code, out, _ = run_cli("report", "list", "--json", "--db", str(upper_db))
    assert [r["unit"] for r in json.loads(out)["reports"]] == ["Đảng ủy xã Bản Phố"]
