import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from baocao_desktop.services.workspace import Workspace
from baocao_desktop.store.db import Store, StoreError, latest_schema_version, migrations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_migrations_are_numbered_without_gaps():
    numbers = [n for n, _, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_*.sqlite")))
def test_databases_of_every_released_schema_open_and_upgrade(fixture, tmp_path):
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    ws = Workspace(copy, author="tester")
    assert ws.store.schema_version == latest_schema_version()
    report = ws.report("r1")
    assert report.values["thu_ns"] == {"cumulative": Decimal("1561"), "actual": Decimal("13")}
    assert report.texts["I"] == "Thu **ngân sách**[^chi tiết]"
    assert ws.own_unit().name == "Đảng ủy xã Lùng Phình"
    assert ws.fact_as_of("tong_dang_vien", report.period.end).value == 730
    # the old template stays as it was, and the shipped ones are installed beside it
    assert ws.template("cu_tuan", 1).name == "Báo cáo tuần (mẫu cũ)"
    ws.set_value("r1", "thu_ns", "actual", "14")
    ws.close()


def test_ids_are_text_uuids_and_rows_have_updated_at(workspace):
    workspace.save_unit(name="Đảng ủy xã A")
    row = workspace.store.conn.execute("SELECT id, updated_at FROM units").fetchone()
    assert len(row[0]) == 36 and row[0].count("-") == 4
    assert row[1].endswith("+00:00")


def test_a_file_that_is_not_a_database_is_refused_and_kept(tmp_path):
    bogus = tmp_path / "baocao.sqlite3"
    bogus.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 100)
    before = bogus.read_bytes()
    with pytest.raises(StoreError, match="bị hỏng hoặc không phải cơ sở dữ liệu"):
        Store(bogus)
    assert bogus.read_bytes() == before


def test_truncated_database_is_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    ws = Workspace(path)
    ws.save_unit(name="Đảng ủy xã A")
    ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError):
        Workspace(path)


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_schema_version() + 1}")
    conn.close()
    with pytest.raises(StoreError, match="phiên bản BaoCao mới hơn"):
        Store(path)


def test_vietnamese_folder_names_work(tmp_path):
    path = tmp_path / "Dữ liệu Lùng Phình" / "báo cáo.sqlite3"
    ws = Workspace(path)
    ws.save_unit(name="Đảng ủy xã Lùng Phình")
    ws.close()
    assert Workspace(path).own_unit().name == "Đảng ủy xã Lùng Phình"
