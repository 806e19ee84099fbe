"""Faults (issue 7 point 4): truncated, flipped, forged, foreign, newer, not a transfer file at all, on a
read-only stick. Each is refused with a Vietnamese reason and nothing is half-imported."""
import json
import os
import random
import re
import shutil
import sqlite3
import stat

import pytest

from baocao_desktop.exchange import bundle as bundle_module
from baocao_desktop.exchange import keys
from baocao_desktop.exchange.bundle import MANIFEST_TABLE, BundleError, read_bundle
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import receive
from baocao_desktop.store.db import latest_schema_version
from tests.exchange.conftest import WEEK1, db_state, register

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
FLIP_SEED = 20260601
FLIPS = 1000


@pytest.fixture
def sent(make_commune, upper, stick, tmp_path):
    """A registered commune's signed weekly report on the stick, and the upper level ready to import."""
    commune = make_commune()
    register(upper, commune, tmp_path)
    commune.weekly(WEEK1)
    return commune, commune.send(stick).path


def assert_refused(upper, paths, codes):
    """Import refuses every file with a Vietnamese reason among `codes`, and the database is unchanged."""
    before = db_state(upper)
    result = ex.import_bundles(upper, paths)
    for file in result.plan.files:
        assert not file.ok, file.name
        assert file.code in codes, (file.name, file.code, file.message)
        assert VIETNAMESE.search(file.message), file.message
    assert db_state(upper) == before
    return result.plan.files


def rewrite(path, sql: str, params=(), resign_with: str | None = None, manifest_edit=None):
    """Edit a copy of a transfer file the way a forger (or a future version) would."""
    conn = sqlite3.connect(path, isolation_level=None)
    if sql:
        conn.execute(sql, params)
    if manifest_edit or resign_with:
        text = conn.execute(f"SELECT value FROM {MANIFEST_TABLE} WHERE key = 'manifest'").fetchone()[0]
        manifest = json.loads(text)
        if manifest_edit:
            manifest_edit(manifest)
        text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        conn.execute(f"UPDATE {MANIFEST_TABLE} SET value = ? WHERE key = 'manifest'", (text,))
        if resign_with:
            conn.execute(f"UPDATE {MANIFEST_TABLE} SET value = ? WHERE key = 'signature'",
                         (keys.sign(resign_with, keys.PURPOSE_BUNDLE, text.encode()),))
    conn.close()


def private_key(commune) -> str:
    return ex.own_key_pair(commune.ws).private_key


def test_truncated_at_every_4_kib_offset(sent, upper, tmp_path):
    _, path = sent
    data = path.read_bytes()
    folder = tmp_path / "cut"
    folder.mkdir()
    cuts = sorted(set(range(0, len(data), 4096)) | {50, 100, 1000, len(data) - 1})
    for size in cuts:
        (folder / f"cut-{size:07d}.baocao").write_bytes(data[:size])
        with pytest.raises(BundleError) as info:
            read_bundle(folder / f"cut-{size:07d}.baocao")
        assert info.value.code in ("truncated", "not_bundle", "corrupt"), (size, info.value.code)
    files = assert_refused(upper, [folder], {"truncated", "not_bundle", "corrupt"})
    assert len(files) == len(cuts)
    by_size = {int(f.name[4:11]): f for f in files}
    assert by_size[4096].code == "truncated" and "cắt cụt" in by_size[4096].message
    assert by_size[0].code == "not_bundle" and "rỗng" in by_size[0].message


def test_a_thousand_single_byte_flips(sent, upper, tmp_path):
    """Every flip is refused, or, when it hit bytes SQLite never reads as content, the file verifies and
    its content is exactly the signed content (what the signature covers is what gets imported)."""
    _, path = sent
    data = path.read_bytes()
    genuine = read_bundle(path)
    ex.import_bundles(upper, [path])  # the genuine file is in: any accepted flip can only be a duplicate
    rng = random.Random(FLIP_SEED)
    offsets = sorted(rng.sample(range(len(data)), min(FLIPS, len(data))))
    probe = tmp_path / "flip.baocao"
    folder = tmp_path / "flips"
    folder.mkdir()
    outcomes = {}
    for n, offset in enumerate(offsets):
        flipped = bytearray(data)
        flipped[offset] ^= rng.randrange(1, 256)
        probe.write_bytes(bytes(flipped))
        try:
            got = read_bundle(probe)
        except BundleError as exc:
            assert VIETNAMESE.search(exc.message), exc.message
            outcomes[exc.code] = outcomes.get(exc.code, 0) + 1
        else:
            assert got.manifest_text == genuine.manifest_text and got.signature == genuine.signature
            assert got.rows == genuine.rows
            outcomes["accepted"] = outcomes.get("accepted", 0) + 1
        if n % 25 == 0:
            shutil.copyfile(probe, folder / f"flip-{offset:07d}.baocao")
    print(f"\n{len(offsets)} flips of a {len(data):,}-byte file: {outcomes}")
    assert sum(outcomes.values()) == len(offsets)
    # a sanity bound: only unused page space (empty tables' pages, slack at the end of pages) may pass
    assert outcomes.get("accepted", 0) < len(offsets) * 0.35
    # and a flip inside the signed content itself is always refused
    for marker in ("Tình hình trên địa bàn xã".encode(), genuine.signature.encode()[:40],
                   b'"payload_sha256"', "Thu ngân sách".encode()):
        start = data.find(marker)
        assert start > 0, marker
        for offset in range(start, start + len(marker), 7):
            flipped = bytearray(data)
            flipped[offset] ^= 0x01
            probe.write_bytes(bytes(flipped))
            with pytest.raises(BundleError):
                read_bundle(probe)
    before = db_state(upper)
    result = ex.import_bundles(upper, [folder])
    for file in result.plan.files:
        assert (not file.ok) or file.code == "duplicate", (file.name, file.code)
    assert db_state(upper) == before


def test_an_unregistered_unit_is_offered_for_registration(make_commune, upper, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    path = commune.send(stick).path
    (file,) = assert_refused(upper, [path], {"unknown_unit"})
    assert file.needs_registration and file.fingerprint == ex.own_key(commune.ws).fingerprint
    assert file.fingerprint in file.message and "gọi điện" in file.message


def test_a_file_signed_with_another_key_than_the_registered_one(sent, upper, stick):
    commune, _ = sent
    registered = ex.own_key(commune.ws).fingerprint
    commune.ws.store.conn.execute("UPDATE unit_keys SET revoked_at = 'x' WHERE role = 'self'")  # a new PC
    fresh = commune.weekly(WEEK1.replace(day=8))  # signed with the new key
    path = commune.send(stick / "moi.baocao", [fresh]).path
    (file,) = assert_refused(upper, [path], {"wrong_key"})
    assert registered in file.message and ex.own_key(commune.ws).fingerprint in file.message
    # --register-new never replaces a registered key
    before = db_state(upper)
    assert not ex.import_bundles(upper, [path], register_new=True).plan.files[0].ok
    assert db_state(upper) == before


def test_a_forged_file_claiming_a_registered_unit(sent, upper, tmp_path):
    commune, path = sent
    forged = tmp_path / "gia.baocao"
    shutil.copyfile(path, forged)
    attacker = keys.generate_key_pair()

    def claim_other_key(manifest):
        manifest["key"]["public_key"] = attacker.public_key
        manifest["key"]["fingerprint"] = attacker.fingerprint
    rewrite(forged, "UPDATE indicator_values SET value = '9999' WHERE indicator_code = 'lua_mua_dien_tich' "
                    "AND field = 'actual'", resign_with=attacker.private_key, manifest_edit=claim_other_key)
    assert_refused(upper, [forged], {"wrong_key", "tampered"})


def test_tampered_manifest_or_rows(sent, upper, tmp_path):
    _, path = sent
    renamed = tmp_path / "doi-ten.baocao"
    shutil.copyfile(path, renamed)
    rewrite(renamed, "", manifest_edit=lambda m: m["unit"].update(name="Đảng ủy xã Giả"))
    figures = tmp_path / "doi-so.baocao"
    shutil.copyfile(path, figures)
    rewrite(figures, "UPDATE indicator_values SET value = '9999' WHERE indicator_code = 'lua_mua_dien_tich' "
                     "AND field = 'actual'")
    extra = tmp_path / "them-dong.baocao"
    shutil.copyfile(path, extra)
    rewrite(extra, "INSERT INTO section_texts (id, report_id, section_path, markup, updated_at) "
                   "SELECT 'x', id, 'II.9', 'chèn thêm', '2026' FROM reports")
    files = {f.name: f for f in assert_refused(upper, [renamed, figures, extra], {"bad_signature", "tampered"})}
    assert files["doi-ten.baocao"].code == "bad_signature" and "Chữ ký số" in files["doi-ten.baocao"].message
    assert files["doi-so.baocao"].code == "tampered" and "đã bị sửa" in files["doi-so.baocao"].message
    assert files["them-dong.baocao"].code == "tampered"


def test_a_newer_schema_is_refused(sent, upper, tmp_path):
    commune, path = sent
    newer = tmp_path / "moi-hon.baocao"
    shutil.copyfile(path, newer)
    future = latest_schema_version() + 1
    rewrite(newer, f"PRAGMA user_version = {future}", resign_with=private_key(commune),
            manifest_edit=lambda m: m.update(schema_version=future))
    (file,) = assert_refused(upper, [newer], {"newer_schema"})
    assert "phiên bản BaoCao mới hơn" in file.message and "cập nhật" in file.message
    newer_format = tmp_path / "dinh-dang-moi.baocao"
    shutil.copyfile(path, newer_format)
    rewrite(newer_format, "", resign_with=private_key(commune), manifest_edit=lambda m: m.update(format_version=2))
    assert_refused(upper, [newer_format], {"newer_schema"})


def test_files_that_are_not_transfer_files(sent, upper, tmp_path):
    commune, _ = sent
    docx = tmp_path / "bao-cao.baocao"
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 2000)
    text = tmp_path / "ghi-chu.baocao"
    text.write_text("Đây là ghi chú, không phải tệp gửi.", encoding="utf-8")
    empty = tmp_path / "rong.baocao"
    empty.write_bytes(b"")
    database = tmp_path / "csdl.baocao"  # the commune's working database, picked by mistake
    commune.ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(commune.ws.path, database)
    files = {f.name: f for f in assert_refused(upper, [docx, text, empty, database], {"not_bundle"})}
    assert "không phải định dạng SQLite" in files["bao-cao.baocao"].message
    assert "không phải tệp gửi báo cáo" in files["csdl.baocao"].message
    missing = assert_refused(upper, [tmp_path / "khong-co.baocao"], {"unreadable"})
    assert "Không tìm thấy tệp" in missing[0].message


def test_a_read_only_stick_is_read_and_left_untouched(sent, upper, tmp_path):
    _, path = sent
    folder = tmp_path / "usb-chi-doc"
    folder.mkdir()
    copy = folder / path.name
    shutil.copyfile(path, copy)
    data = copy.read_bytes()
    os.chmod(copy, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    try:
        result = ex.import_bundles(upper, [folder])
        assert result.counts()["new"] == 1
        assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no journal, no -wal, no temp file
        assert copy.read_bytes() == data
    finally:
        os.chmod(folder, stat.S_IRWXU)
        os.chmod(copy, stat.S_IRUSR | stat.S_IWUSR)


def test_an_unreadable_source_is_refused(sent, upper, monkeypatch):
    _, path = sent

    def denied(source, dest):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(receive, "copy_local", denied)
    (file,) = assert_refused(upper, [path], {"unreadable"})
    assert "Không đọc được tệp" in file.message


def test_a_report_changed_after_signing_at_the_sender_is_rejected(sent, upper, stick, monkeypatch):
    commune, _ = sent
    report = commune.weekly(WEEK1.replace(day=8))
    commune.ws.store.conn.execute("UPDATE indicator_values SET value = '777' WHERE report_id = ? "
                                  "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report,))
    # a faulty sender: checks nothing, not even the file it wrote
    monkeypatch.setattr(type(commune.ws), "refuse_unless_sendable", lambda self, rid: None)
    monkeypatch.setattr(bundle_module, "_check_report_seal", lambda *args: None)
    path = commune.send(stick / "loi.baocao", [report], mark_sent=False).path
    monkeypatch.undo()
    (file,) = assert_refused(upper, [path], {"tampered"})
    assert "đã bị thay đổi sau khi ký" in file.message and "chữ ký số" in file.message


def test_verify_cli_exit_codes(sent, upper, tmp_path):
    from tests.conftest import run_cli
    _, path = sent
    code, out, err = run_cli("bundle", "verify", str(path), "--db", str(upper.path))
    assert code == 0 and "hợp lệ" in out, err
    bad = tmp_path / "hong.baocao"
    bad.write_bytes(path.read_bytes()[:8192])
    code, out, err = run_cli("bundle", "verify", str(bad), "--db", str(upper.path))
    assert code == 2 and "cắt cụt" in err and "Traceback" not in err
