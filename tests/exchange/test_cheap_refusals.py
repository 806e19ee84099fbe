"""Cheap refusals first (issue 19 point 5): a transfer file's size is checked before it is copied, its
schema before any statement of its own can run, its sender before any of its rows is read."""
import shutil
import sqlite3

import pytest

from baocao_desktop.exchange import bundle
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import receive
from tests.exchange.conftest import WEEK1


@pytest.fixture
def rows_read(monkeypatch):
    """Every table whose rows a transfer file reader reads (in this process: small batches are verified
    here, not in worker processes)."""
    seen = []
    real = bundle.read_rows

    def recording(conn, table):
        seen.append(table)
        return real(conn, table)
    monkeypatch.setattr(bundle, "read_rows", recording)
    return seen


def test_an_oversized_file_is_refused_before_any_copy(upper, stick, tmp_path, monkeypatch):
    huge = stick / "qua-lon.baocao"
    with open(huge, "wb") as handle:  # sparse: 3 GiB announced, nothing written
        handle.truncate(3 * 1024 ** 3)
    copies = []
    monkeypatch.setattr(receive, "copy_local", lambda source, dest: copies.append(source) or "")
    plan = ex.prepare_import(upper, [huge])
    try:
        refused = plan.files[0]
        assert not refused.ok and "quá lớn" in refused.message and "tối đa 256 MB" in refused.message
        assert copies == []
        assert list(tmp_path.glob("**/baocao-nhan-*/*")) == []
    finally:
        plan.close()


def test_an_unregistered_sender_is_refused_before_its_rows_are_read(make_commune, upper, stick, rows_read):
    stranger = make_commune("Đảng ủy xã Lạ", "Lạ")
    stranger.weekly(WEEK1)
    path = stranger.send(stick).path
    rows_read.clear()  # sending read the file back
    plan = ex.prepare_import(upper, [path])
    try:
        refused = plan.files[0]
        assert not refused.ok and refused.code == "unknown_unit" and refused.needs_registration
        assert "chưa được đăng ký" in refused.message and refused.fingerprint in refused.message
        assert refused.unit_name == "Đảng ủy xã Lạ"
        assert rows_read == []
    finally:
        plan.close()
    # once the user confirmed the fingerprint, the same file is read and imported
    result = ex.import_bundles(upper, [path], register_new={refused.fingerprint})
    assert result.counts()["new"] == 1 and rows_read


def forged(path, tmp_path, name: str, sql: str):
    copy = tmp_path / name
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute(sql)
    conn.close()
    return copy


@pytest.mark.parametrize("name, sql, said", [
    ("trigger.baocao", "CREATE TRIGGER t AFTER INSERT ON reports BEGIN DELETE FROM reports; END", "trigger"),
    ("view.baocao", "CREATE VIEW v AS SELECT * FROM reports", "view"),
    ("generated.baocao", "ALTER TABLE reports ADD COLUMN nang INTEGER GENERATED ALWAYS AS "
                         "(length(hex(zeroblob(100000000)))) VIRTUAL", "generated column"),
    ("extra-table.baocao", "CREATE TABLE ghi_chu (id TEXT PRIMARY KEY, text TEXT)", "bảng"),
    ("extra-index.baocao", "CREATE INDEX i ON reports (length(hex(zeroblob(100000000))))", "chỉ mục"),
])
def test_a_payload_with_sql_of_its_own_is_refused_before_it_runs(two_communes, upper, stick, tmp_path, rows_read,
                                                                 name, sql, said):
    a, _ = two_communes
    a.weekly(WEEK1)
    genuine = a.send(stick).path
    path = forged(genuine, tmp_path, name, sql)
    rows_read.clear()  # sending read the file back
    with pytest.raises(bundle.BundleError) as refused:
        bundle.read_bundle(path)
    assert refused.value.code == "tampered"
    assert said in refused.value.message and "không thuộc cấu trúc tệp gửi BaoCao" in refused.value.message
    assert rows_read == []
    plan = ex.prepare_import(upper, [path])  # the same through the import, with its reason
    try:
        assert not plan.files[0].ok and said in plan.files[0].message
    finally:
        plan.close()
    assert upper.list_reports(own_only=False) == []


def test_a_genuine_file_passes_the_schema_check(two_communes, upper, stick):
    a, _ = two_communes
    a.weekly(WEEK1)
    contents = bundle.read_bundle(a.send(stick).path)
    assert contents.rows["reports"]
