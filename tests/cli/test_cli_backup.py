"""`baocao backup create|list|restore`: the same backups as the app, exit 2 with a Vietnamese message and
nothing changed on a bad file; restore works even when the current database cannot be opened."""
import json

from baocao_desktop.domain.error_text import english_sentences
from tests.conftest import run_cli


def demo_db(tmp_path):
    db = tmp_path / "baocao.sqlite3"
    assert run_cli("demo", "--db", str(db))[0] == 0
    return db


def test_backup_create_list_and_restore(tmp_path):
    db = demo_db(tmp_path)
    code, out, err = run_cli("backup", "create", "--db", str(db))
    assert code == 0, err
    assert "Đã sao lưu vào" in out and "Lùng Phình" in out and "Số báo cáo:" in out
    code, out, err = run_cli("backup", "create", "--out", str(tmp_path / "usb"), "--db", str(db), "--json")
    assert code == 0, err
    on_usb = json.loads(out)
    assert on_usb["file"].startswith(str(tmp_path / "usb")) and on_usb["reports"] > 0
    code, out, _ = run_cli("backup", "list", "--db", str(db), "--json")
    listed = json.loads(out)["backups"]
    assert len(listed) == 1 and listed[0]["ok"] and listed[0]["unit"] == on_usb["unit"]
    assert "(trong " in run_cli("backup", "list", "--db", str(db))[1]
    # the current file is damaged: restore still works and keeps it aside
    db.write_bytes(b"garbage" * 500)
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)
    assert run_cli("report", "list", "--db", str(db))[0] == 2
    code, out, err = run_cli("backup", "restore", on_usb["file"], "--db", str(db))
    assert code == 0, err
    assert "Đã khôi phục" in out and "giữ lại" in out
    aside = [p for p in tmp_path.iterdir() if "truoc-khoi-phuc" in p.name and p.suffix == ".sqlite3"]
    assert len(aside) == 1 and aside[0].read_bytes() == b"garbage" * 500
    code, out, _ = run_cli("report", "list", "--db", str(db), "--json")
    assert code == 0 and len(json.loads(out)["reports"]) == on_usb["reports"]


def test_backup_restore_refuses_a_bad_file(tmp_path):
    db = demo_db(tmp_path)
    content = db.read_bytes()
    bad = tmp_path / "usb.sqlite3"
    bad.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    code, out, err = run_cli("backup", "restore", str(bad), "--db", str(db))
    assert code == 2 and out == ""
    assert "không phải bản sao lưu BaoCao" in err and not english_sentences(err)
    code, _, err = run_cli("backup", "restore", str(tmp_path / "missing.sqlite3"), "--db", str(db))
    assert code == 2 and "Không tìm thấy" in err
    assert db.read_bytes() == content
    assert not [p for p in tmp_path.iterdir() if "truoc-khoi-phuc" in p.name]


def test_backup_list_without_backups(tmp_path):
    db = demo_db(tmp_path)
    code, out, _ = run_cli("backup", "list", "--db", str(db))
    assert code == 0 and "Chưa có bản sao lưu" in out
