"""Schema 6 (the seal and the protected key, issue 19 points 7 and 8): an older database upgrades; its
signed report is "ký theo cách cũ" (hash checked, exports, re-signed before sending) and its clear private
key leaves the database file."""
import shutil
import sqlite3
from pathlib import Path

import pytest

from baocao_desktop.exchange import key_protection, keys
from baocao_desktop.services import exchange as ex
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.workspace import Workspace

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "schema_0003.sqlite"


def test_a_report_signed_before_schema_6_is_signed_the_old_way(tmp_path):
    copy = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, copy)
    ws = Workspace(copy, author="tester")
    try:
        signed = ws.report("r2")
        assert ws.store.schema_version >= 6 and signed.signature is None
        assert ws.signed_the_old_way(signed) and ws.verify_signed("r2")
        assert ws.document_model("r2") is not None  # exports and prints as before
        with pytest.raises(ServiceError, match="ký theo cách cũ"):
            ws.refuse_unless_sendable("r2")
    finally:
        ws.close()


def test_a_clear_key_of_a_schema_5_database_leaves_the_file_when_it_opens(tmp_path):
    path = tmp_path / "cu.sqlite3"
    ws = Workspace(path)
    ws.save_unit(name="Đảng ủy xã Bản Phố", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Bản Phố", symbol="ĐU")
    pair = ex.own_key_pair(ws)
    ws.close()
    # the database as schema 5 left it: no seal columns, the seed in clear in unit_keys.private_key
    conn = sqlite3.connect(path)
    conn.execute("UPDATE unit_keys SET private_key = ? WHERE role = 'self'", (pair.private_key,))
    conn.execute("ALTER TABLE reports DROP COLUMN signature")
    conn.execute("ALTER TABLE reports DROP COLUMN signature_key")
    for index in ("templates_own_version", "templates_received_content", "received_bundles_by_unit"):  # schema 8
        conn.execute(f"DROP INDEX {index}")
    conn.execute("ALTER TABLE templates DROP COLUMN origin")  # schema 7's columns (template origins)
    conn.execute("ALTER TABLE templates DROP COLUMN origin_unit_id")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    assert pair.private_key.encode() in path.read_bytes()
    ws = Workspace(path)
    try:
        raw = b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())
        assert pair.private_key.encode() not in raw and keys.unb64(pair.private_key) not in raw
        stored = ws.store.conn.execute("SELECT private_key FROM unit_keys WHERE role = 'self'").fetchone()[0]
        assert key_protection.is_protected(stored)
        assert ex.own_key_pair(ws).private_key == pair.private_key  # the same key, registered above as it was
    finally:
        ws.close()
