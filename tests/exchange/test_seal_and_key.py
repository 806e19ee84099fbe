"""Issue 19 points 7 and 8 across the exchange: the upper level checks each report's seal with the sender's
key; the unit's private key is kept out of the database (a copied database cannot sign), backed up and
restored with a passphrase, and moved out of an older database when it opens."""
import os
import shutil
import sqlite3

import pytest

from baocao_desktop.exchange import bundle as bundle_module
from baocao_desktop.exchange import key_protection, keys
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.workspace import Workspace
from tests.conftest import run_cli

from .conftest import WEEK1, WEEK2, WEEK3, register


def file_bytes(db_path) -> bytes:
    """The database and whatever SQLite keeps beside it (write-ahead log)."""
    return b"".join(p.read_bytes() for p in (db_path, db_path.with_name(db_path.name + "-wal")) if p.exists())


def forged_bundle(ws, stick, report_id, monkeypatch):
    """A transfer file signed with the genuine key by a writer that checks nothing (the commune's own checks,
    and the read-back of the file it writes, switched off)."""
    with monkeypatch.context() as patched:
        patched.setattr(type(ws), "refuse_unless_sendable", lambda self, report_id: None)
        patched.setattr(bundle_module, "_check_report_seal", lambda *args: None)
        return ex.export_bundle(ws, stick, [report_id], mark_sent=False).path


def test_a_report_changed_after_signing_is_refused_by_the_upper_level(make_commune, upper, stick, tmp_path,
                                                                     monkeypatch):
    """The attack of issue 19: the database changed and its hash recomputed, then a transfer file signed with
    the genuine key (the commune's own check bypassed). The upper level still refuses the file."""
    commune = make_commune()
    register(upper, commune, tmp_path)
    report_id = commune.weekly(WEEK1)
    ws = commune.ws
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE indicator_values SET value = '9999' WHERE report_id = ? "
                              "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report_id,))
        ws.store.conn.execute("UPDATE reports SET content_hash = ? WHERE id = ?",
                              (ws.report(report_id).content_digest(), report_id))
    path = forged_bundle(ws, stick, report_id, monkeypatch)
    result = ex.import_bundles(upper, [path])
    refused = result.plan.refused
    assert refused and "chữ ký số của báo cáo không khớp" in refused[0].message
    assert upper.store.conn.execute("SELECT COUNT(*) FROM reports WHERE unit_id = ?",
                                    (commune.unit_id,)).fetchone()[0] == 0
    check = ex.verify_file(upper, path)
    assert not check.ok and "đã bị thay đổi sau khi ký" in check.message


def test_a_worker_process_refuses_a_changed_signed_report_with_the_same_reason(make_commune, upper, stick, tmp_path,
                                                                             monkeypatch):
    """A batch is verified in worker processes (services/exchange/verify.py): the seal is checked there over
    the same signed bytes, and the refusal comes back with the reason the importing process would give;
    the other files of the batch are imported."""
    from baocao_desktop.services.exchange import verify
    commune = make_commune()
    register(upper, commune, tmp_path)
    genuine = [ex.export_bundle(commune.ws, stick, [commune.weekly(start)]).path for start in (WEEK1, WEEK2)]
    report_id = commune.weekly(WEEK3)
    ws = commune.ws
    with ws.store.transaction():
        ws.store.conn.execute("UPDATE section_texts SET markup = markup || ' (sửa)' WHERE report_id = ?",
                              (report_id,))
        ws.store.conn.execute("UPDATE reports SET content_hash = ? WHERE id = ?",
                              (ws.report(report_id).content_digest(), report_id))
    forged = forged_bundle(ws, stick, report_id, monkeypatch)
    here = ex.verify_file(upper, forged)
    assert not here.ok and "đã bị thay đổi sau khi ký" in here.message
    pools = []
    real_pool = verify.ProcessPoolExecutor
    monkeypatch.setattr(verify, "ProcessPoolExecutor", lambda *a, **k: pools.append(real_pool(*a, **k)) or pools[-1])
    monkeypatch.setattr(verify, "PROCESS_MIN_FILES", 2)
    monkeypatch.setattr(verify.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("BAOCAO_IMPORT_PROCESSES", raising=False)
    monkeypatch.setattr(verify, "pool_failed", lambda exc: pytest.fail(f"the worker processes failed: {exc!r}"))
    result = ex.import_bundles(upper, [*genuine, forged])
    assert [(f.path, f.code, f.message) for f in result.plan.refused] == [(forged, "tampered", here.message)]
    assert result.counts()["new"] == 2 and len(pools) == 1


def test_a_signed_report_without_its_signature_is_refused_by_the_upper_level(make_commune, upper, stick, tmp_path,
                                                                            monkeypatch):
    commune = make_commune()
    register(upper, commune, tmp_path)
    report_id = commune.weekly(WEEK1)
    with commune.ws.store.transaction():
        commune.ws.store.conn.execute("UPDATE reports SET signature = NULL WHERE id = ?", (report_id,))
    path = forged_bundle(commune.ws, stick, report_id, monkeypatch)
    refused = ex.import_bundles(upper, [path]).plan.refused
    assert refused and "không có chữ ký số" in refused[0].message


def test_a_sealed_report_is_accepted_and_its_seal_checks_at_the_upper_level(make_commune, upper, stick, tmp_path):
    commune = make_commune()
    register(upper, commune, tmp_path)
    report_id = commune.weekly(WEEK1)
    result = ex.import_bundles(upper, [commune.send(stick).path])
    assert not result.plan.refused and result.counts()["new"] == 1
    received = upper.report(report_id)
    assert received.signature == commune.ws.report(report_id).signature
    assert upper.verify_signed(report_id)
    # the received copy changed in the upper level's database, hash recomputed: found there too
    with upper.store.transaction():
        upper.store.conn.execute("UPDATE section_texts SET markup = 'khác' WHERE report_id = ?", (report_id,))
        upper.store.conn.execute("UPDATE reports SET content_hash = ? WHERE id = ?",
                                 (upper.report(report_id).content_digest(), report_id))
    assert not upper.verify_signed(report_id)


def test_the_private_key_is_not_in_the_database_file_and_the_file_is_the_users_only(make_commune):
    commune = make_commune()
    commune.weekly(WEEK1)
    pair = ex.own_key_pair(commune.ws)
    raw = file_bytes(commune.ws.path)
    assert pair.private_key.encode() not in raw and keys.unb64(pair.private_key) not in raw
    stored = commune.ws.store.conn.execute("SELECT private_key FROM unit_keys WHERE role = 'self'").fetchone()[0]
    assert key_protection.is_protected(stored)
    if os.name == "posix":
        fresh = Workspace(commune.tmp / "new.sqlite3")
        fresh.close()
        assert (commune.tmp / "new.sqlite3").stat().st_mode & 0o777 == 0o600
        key_file = next((key_protection_folder() / key_protection.KEY_FOLDER).glob("*.key"))
        assert key_file.stat().st_mode & 0o777 == 0o600


def key_protection_folder():
    from baocao_desktop.services import paths
    return paths.data_dir()


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """Another account or machine: its own data folder, without the unit's key."""
    folder = tmp_path / "may-khac"
    folder.mkdir()

    def move():
        monkeypatch.setenv("BAOCAO_DATA_DIR", str(folder))
        return folder
    return move


def test_a_copied_database_cannot_sign_and_says_how_to_restore(make_commune, tmp_path, elsewhere):
    commune = make_commune()
    commune.weekly(WEEK1)
    draft = commune.weekly(WEEK2, sign=False)
    commune.ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "ban-sao.sqlite3"
    shutil.copyfile(commune.ws.path, copy)
    elsewhere()
    ws = Workspace(copy)
    try:
        with pytest.raises(key_protection.KeyUnavailable) as refused:
            ws.sign(draft)
        message = str(refused.value)
        assert "khôi phục khóa" in message and "unit key restore" in message and "đăng ký lại" in message
        assert ws.report(draft).status == "draft"
        with pytest.raises(key_protection.KeyUnavailable):
            ex.export_bundle(ws, tmp_path)
    finally:
        ws.close()
    code, _out, err = run_cli("--db", str(copy), "report", "status", draft, "--to", "signed")
    assert code == 2 and "khôi phục khóa" in err and "Traceback" not in err


def test_key_backup_and_restore_with_a_passphrase(make_commune, tmp_path, elsewhere):
    commune = make_commune()
    commune.weekly(WEEK1)
    draft = commune.weekly(WEEK2, sign=False)
    fingerprint = ex.own_key(commune.ws).fingerprint
    phrase = tmp_path / "mat-khau.txt"
    phrase.write_text("Mật khẩu dài của xã\n", encoding="utf-8")
    code, out, err = run_cli("--db", str(commune.ws.path), "unit", "key", "export", str(tmp_path),
                             "--passphrase-file", str(phrase))
    assert code == 0, err
    backup = next(tmp_path.glob(f"*{key_protection.BACKUP_SUFFIX}"))
    text = backup.read_text(encoding="utf-8")
    assert ex.own_key_pair(commune.ws).private_key not in text and fingerprint in text
    commune.ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "ban-sao.sqlite3"
    shutil.copyfile(commune.ws.path, copy)
    elsewhere()
    wrong = tmp_path / "sai.txt"
    wrong.write_text("không phải mật khẩu\n", encoding="utf-8")
    code, _out, err = run_cli("--db", str(copy), "unit", "key", "restore", str(backup), "--passphrase-file", str(wrong))
    assert code == 2 and "Mật khẩu không đúng" in err and "Traceback" not in err
    code, out, err = run_cli("--db", str(copy), "unit", "key", "restore", str(backup), "--passphrase-file", str(phrase))
    assert code == 0 and fingerprint in out, err
    ws = Workspace(copy)
    try:
        ws.sign(draft)  # the same key: signs, and nothing needs registering again
        report = ws.report(draft)
        assert report.signature_key == fingerprint and ws.verify_signed(draft)
    finally:
        ws.close()


def test_a_short_passphrase_and_a_foreign_backup_are_refused(make_commune, tmp_path):
    a, b = make_commune(), make_commune("Đảng ủy xã Cốc San", "Cốc San")
    with pytest.raises(key_protection.BackupError, match="ít nhất 8 ký tự"):
        ex.export_private_key(a.ws, tmp_path / "a.baocaokhoa", "ngan")
    path = ex.export_private_key(a.ws, tmp_path / "a.baocaokhoa", "mật khẩu đủ dài")
    with pytest.raises(ServiceError, match="không phải của đơn vị"):
        ex.restore_private_key(b.ws, path, "mật khẩu đủ dài")
    (tmp_path / "rac.baocaokhoa").write_text("{}", encoding="utf-8")
    with pytest.raises(key_protection.BackupError, match="không phải tệp sao lưu khóa"):
        ex.restore_private_key(a.ws, tmp_path / "rac.baocaokhoa", "mật khẩu đủ dài")


def test_a_lost_key_is_replaced_and_the_upper_level_registers_it_again(make_commune, upper, stick, tmp_path):
    commune = make_commune()
    register(upper, commune, tmp_path)
    old = commune.weekly(WEEK1)
    code, out, err = run_cli("--db", str(commune.ws.path), "unit", "key", "new")
    assert code == 0 and "đăng ký lại" in out, err
    assert commune.ws.verify_signed(old)  # still verifies with the key that signed it
    with pytest.raises(ServiceError, match="khóa cũ"):
        commune.send(stick, [old])
    fresh = commune.weekly(WEEK2)
    refused = ex.import_bundles(upper, [commune.send(stick, [fresh]).path]).plan.refused
    assert refused and refused[0].code == "wrong_key"
    (tmp_path / "k2").mkdir()
    ex.register_unit(upper, commune.key_file(tmp_path / "k2"), replace=True)
    assert not ex.import_bundles(upper, [commune.send(stick, [fresh]).path]).plan.refused


def test_an_older_database_with_a_clear_key_moves_it_out_when_it_opens(make_commune):
    commune = make_commune()
    commune.weekly(WEEK1)
    pair = ex.own_key_pair(commune.ws)
    path = commune.ws.path
    # as a database of schema ≤ 5 kept it: the seed in clear in unit_keys.private_key
    with commune.ws.store.transaction():
        commune.ws.store.conn.execute("UPDATE unit_keys SET private_key = ? WHERE role = 'self'", (pair.private_key,))
    commune.ws.close()
    for key_file in (key_protection_folder() / key_protection.KEY_FOLDER).glob(f"{pair.fingerprint.replace('-', '')}*"):
        key_file.unlink()
    assert pair.private_key.encode() in file_bytes(path)
    commune.ws = Workspace(path)
    raw = file_bytes(path)
    assert pair.private_key.encode() not in raw and keys.unb64(pair.private_key) not in raw
    assert ex.own_key_pair(commune.ws).private_key == pair.private_key  # still the same key, now protected
    stored = sqlite3.connect(path).execute("SELECT private_key FROM unit_keys WHERE role = 'self'").fetchone()[0]
    assert key_protection.is_protected(stored)


@pytest.mark.skipif(os.name != "nt", reason="DPAPI is Windows only (the Windows smoke test runs it under wine)")
def test_dpapi_round_trip():
    pair = keys.generate_key_pair()
    stored = key_protection.protect(pair.private_key, pair.fingerprint, key_protection_folder())
    assert stored.startswith(key_protection.DPAPI_PREFIX) and pair.private_key not in stored
    assert key_protection.unprotect(stored, key_protection_folder()) == pair.private_key
