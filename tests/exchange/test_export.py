"""Sending: a signed transfer file with the chosen reports, written safely to the stick and read back."""
import json
import sqlite3

from decimal import Decimal

import pytest

from baocao_desktop.exchange import keys
from baocao_desktop.exchange.bundle import APPLICATION_ID, MANIFEST_TABLE, PAYLOAD_TABLES, payload_sha256, read_bundle
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import send
from baocao_desktop.services.errors import ServiceError
from tests.exchange.conftest import WEEK1, WEEK2, open_bundle


def test_export_writes_only_signed_reports_with_a_telling_name(make_commune, stick):
    commune = make_commune()
    signed = commune.weekly(WEEK1)
    draft = commune.weekly(WEEK2, sign=False)
    result = commune.send(stick)
    assert result.path.parent == stick
    assert result.file_name == "Đảng ủy xã Bản Phố - Báo cáo tuần 01-06-2026 đến 07-06-2026.baocao"
    assert [r["id"] for r in result.reports] == [signed]
    assert result.reports[0]["period"] == {"kind": "week", "start": "2026-06-01", "end": "2026-06-07"}
    assert result.reports[0]["findings"] == {"errors": 0, "warnings": 0, "kept_warnings": 0}
    # after a verified write the signed report is Đã gửi; the draft is untouched
    assert commune.ws.report(signed).status == "sent"
    assert commune.ws.report(draft).status == "draft"
    assert result.marked_sent == [signed]
    assert sorted(p.name for p in stick.iterdir()) == [result.file_name]  # no temporary file left


def test_the_file_is_a_single_file_snapshot_with_nothing_else_in_it(make_commune, stick):
    commune = make_commune()
    sent = commune.weekly(WEEK1)
    commune.weekly(WEEK2)  # signed too, but not chosen
    result = commune.send(stick, [sent])
    raw = result.path.read_bytes()
    assert raw[18] == 1 and raw[19] == 1  # rollback journal, not WAL: one self-contained file
    private = ex.own_key_pair(commune.ws).private_key
    assert private.encode() not in raw and keys.unb64(private) not in raw
    conn = open_bundle(result.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == set(PAYLOAD_TABLES) | {MANIFEST_TABLE}
    assert [r[0] for r in conn.execute("SELECT id FROM reports")] == [sent]
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(DISTINCT report_id) FROM indicator_values").fetchone()[0] == 1
    assert [r[0] for r in conn.execute("SELECT code FROM templates")] == ["bc_tuan"]
    manifest_text, signature = [conn.execute(f"SELECT value FROM {MANIFEST_TABLE} WHERE key = ?", (k,)).fetchone()[0]
                                for k in ("manifest", "signature")]
    manifest = json.loads(manifest_text)
    assert keys.verify(ex.own_key(commune.ws).public_key, keys.PURPOSE_BUNDLE, manifest_text.encode(), signature)
    assert manifest["unit"]["name"] == "Đảng ủy xã Bản Phố"
    assert manifest["schema_version"] == conn.execute("PRAGMA user_version").fetchone()[0]
    assert manifest["reports"][0]["content_hash"] == commune.ws.report(sent).content_hash
    assert manifest["reports"][0]["status"] == "sent"
    contents = read_bundle(result.path)
    assert payload_sha256(PAYLOAD_TABLES, contents.rows) == manifest["payload_sha256"]


def test_export_to_a_named_file_and_name_clashes(make_commune, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    named = commune.send(stick / "gửi tỉnh")
    assert named.path == stick / "gửi tỉnh.baocao"
    first = commune.send(stick)
    second = commune.send(stick)
    assert second.path.name == first.path.name.replace(".baocao", " (2).baocao")
    assert read_bundle(second.path).bundle_id != read_bundle(first.path).bundle_id


def test_several_reports_are_summed_up_in_the_name(make_commune, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    commune.weekly(WEEK2)
    assert commune.send(stick).file_name == \
        "Đảng ủy xã Bản Phố - Báo cáo tuần (2 kỳ) 01-06-2026 đến 14-06-2026.baocao"


def test_safe_file_names():
    assert ex.safe_file_name('Xã A/B: "báo cáo"?.baocao') == "Xã A-B- -báo cáo--.baocao"
    assert ex.safe_file_name("CON.baocao") == "_CON.baocao"
    assert ex.safe_file_name("Lu\u0300ng Phi\u0300nh.baocao") == "Lùng Phình.baocao"  # NFC


def test_keep_status_leaves_signed_reports_signed(make_commune, stick):
    commune = make_commune()
    report = commune.weekly(WEEK1)
    result = commune.send(stick, mark_sent=False)
    assert commune.ws.report(report).status == "signed" and result.marked_sent == []
    assert result.reports[0]["status"] == "signed"


def test_nothing_signed_nothing_sent(make_commune, stick):
    commune = make_commune()
    commune.weekly(WEEK1, sign=False)
    with pytest.raises(ServiceError, match="Chưa có báo cáo “Đã ký”"):
        commune.send(stick)
    assert list(stick.iterdir()) == []


def test_a_report_changed_after_signing_is_not_sent(make_commune, stick):
    commune = make_commune()
    report = commune.weekly(WEEK1)
    commune.ws.store.conn.execute("UPDATE indicator_values SET value = '999' WHERE report_id = ? "
                                  "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report,))
    with pytest.raises(ServiceError, match="đã bị thay đổi ngoài chương trình"):
        commune.send(stick)
    assert list(stick.iterdir()) == []


def test_missing_folder_and_unwritable_stick(make_commune, stick, monkeypatch):
    commune = make_commune()
    commune.weekly(WEEK1)
    with pytest.raises(ServiceError, match="Không có thư mục"):
        commune.send(stick / "không có" / "x.baocao")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(send, "write_atomically", full)
    with pytest.raises(ServiceError, match="USB có thể đã đầy"):
        commune.send(stick)
    assert list(stick.iterdir()) == []
    assert commune.ws.list_reports()[0].status == "signed"  # not marked sent


def test_a_stick_without_room_is_refused_before_writing_with_the_sizes(make_commune, stick, monkeypatch):
    import collections
    import shutil
    commune = make_commune()
    commune.weekly(WEEK1)
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(8 * 1024 ** 3, 8 * 1024 ** 3 - 21_500, 21_500))
    with pytest.raises(ServiceError) as refused:
        commune.send(stick)
    message = str(refused.value)
    # 21.500 bytes = 20,996 KB: the free space is rounded down (half up would say 21,0)
    assert "không đủ chỗ trống" in message and "ổ chỉ còn 20,9 KB" in message and "chưa có gì thay đổi" in message
    need = Decimal(message.split("tệp gửi cần ")[1].split(" KB")[0].replace(".", "").replace(",", "."))
    assert need > 64  # the file and the margin
    assert list(stick.iterdir()) == []
    assert commune.ws.list_reports()[0].status == "signed"
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(8 * 1024 ** 3, 0, 5 * 1024 ** 3))
    assert commune.send(stick).path.is_file()


def test_a_bad_read_back_removes_the_file_and_says_so(make_commune, stick, monkeypatch):
    commune = make_commune()
    report = commune.weekly(WEEK1)
    real_copy = send.copy_local

    def flaky(source, dest):  # the stick returns different bytes than were written
        sha = real_copy(source, dest)
        data = bytearray(dest.read_bytes())
        data[len(data) // 2] ^= 0xFF
        dest.write_bytes(bytes(data))
        return sha
    monkeypatch.setattr(send, "copy_local", flaky)
    with pytest.raises(ServiceError, match="Đọc lại tệp vừa ghi"):
        commune.send(stick)
    assert list(stick.iterdir()) == []
    assert commune.ws.report(report).status == "signed"


def test_progress_and_cancel(make_commune, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    seen = []
    commune.send(stick, progress=seen.append)
    stages = [p.stage for p in seen]
    assert stages[0] == "snapshot" and "write" in stages and stages[-1] == "readback"
    assert seen[-1].fraction == 1.0
    for p in list(stick.iterdir()):
        p.unlink()
    with pytest.raises(ex.Cancelled):
        commune.send(stick, cancel=lambda: True)
    assert list(stick.iterdir()) == []


def test_only_own_reports_are_sent(make_commune, upper, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    path = commune.send(stick).path
    ex.import_bundles(upper, [path], register_new=True)
    received = upper.list_reports(own_only=False)[0]
    with pytest.raises(ServiceError, match="Chỉ gửi được báo cáo của chính đơn vị"):
        ex.export_bundle(upper, stick / "lai.baocao", [received.id])


def test_bundle_opens_read_only_and_is_not_a_working_database(make_commune, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    path = commune.send(stick).path
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
