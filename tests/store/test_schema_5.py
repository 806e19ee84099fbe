"""Schema 5 (a report's own table rows; the names a profile fact counts): the stored rows round-trip,
and a database of schema 3 upgrades with its signed report still matching its seal."""
import datetime as dt
import shutil
from pathlib import Path

from baocao_desktop.domain.table_rows import decode, encode
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.store import profile as stored_profile
from baocao_desktop.store import reports as stored_reports
from baocao_desktop.store import table_rows as stored_table_rows

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "schema_0003.sqlite"


def test_a_schema_3_database_upgrades_to_5_and_its_signed_report_stays_valid(tmp_path):
    copy = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, copy)
    ws = Workspace(copy, author="tester")
    assert ws.store.schema_version >= 5
    signed = ws.report("r2")
    assert signed.table_rows == {} and ws.verify_signed("r2")
    assert all(fact.names == () for fact in ws.profile_facts())
    ws.close()


def test_the_rows_round_trip_through_the_store(demo_workspace):
    store = demo_workspace.store
    report_id = demo_workspace.list_reports()[0].id
    rows = {"thoi_viec_xa_cu": {"xa_cu_1": "Xã Lùng Phình (cũ)", "xa_cu_4": None, "them_1": "Thôn “Mới”"},
            "empty": {}}
    with store.transaction():
        stored_table_rows.put(store, report_id, rows)
    assert stored_reports.header(store, report_id).table_rows == {
        "thoi_viec_xa_cu": {"xa_cu_1": "Xã Lùng Phình (cũ)", "xa_cu_4": None, "them_1": "Thôn “Mới”"}}
    with store.transaction():
        stored_table_rows.put(store, report_id, {})
    assert stored_reports.header(store, report_id).table_rows == {}
    assert store.conn.execute("SELECT table_rows FROM reports WHERE id = ?", (report_id,)).fetchone()[0] is None


def test_decode_drops_what_is_not_rows():
    assert decode(None) == {} and decode("") == {} and decode("không phải JSON") == {} and decode("[1]") == {}
    assert decode('{"t": {"a": "A", "b": null, "c": 5}, "u": "x", "v": {}}') == {"t": {"a": "A", "b": None, "c": None}}
    assert encode({"t": {}}) is None and decode(encode({"t": {"a": "Ă"}})) == {"t": {"a": "Ă"}}


def test_profile_fact_names_round_trip(workspace):
    workspace.save_unit(name="Đảng ủy xã Lùng Phình", place_name="Lùng Phình", symbol="ĐU")
    workspace.add_profile_fact("xa_cu", "Số xã (cũ)", "3", "xã", "2025-07-01",
                               names=[" Xã Lùng Phình ", "", "Xã Tả Van Chư", "Xã Lùng Thẩn"])
    workspace.add_profile_fact("so_thon", "Số thôn", "20", "thôn", "2025-07-01")
    facts = stored_profile.valid_on(workspace.store, workspace.own_unit().id, dt.date(2026, 1, 1))
    assert facts["xa_cu"].names == ("Xã Lùng Phình", "Xã Tả Van Chư", "Xã Lùng Thẩn")
    assert facts["so_thon"].names == ()
