"""Nhận báo cáo từ USB/thư mục…, conflicts and Đơn vị cấp dưới và khóa… driven with real widgets (issue 7):
a commune workspace signs and exports, the upper-level workspace receives through the dialog."""
import shutil

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import verify
from baocao_desktop.ui import key_dialogs as kd
from baocao_desktop.ui import receive_dialog as rd
from baocao_desktop.ui.app import parse_gui_args
from baocao_desktop.ui.key_dialogs import UnitRegistryDialog
from baocao_desktop.ui.receive_dialog import (
    COL_DETAIL,
    ConflictDialog,
    ReceiveDialog,
)
from baocao_desktop.ui.send_dialog import DriveChoice
from tests.exchange.conftest import (  # noqa: F401
    WEEK1,
    WEEK2,
    blank_db,
    db_state,
    make_commune,
    no_pdf_converter,
    register,
    stick,
    upper,
)
from tests.exchange.test_faults import rewrite


def table(dialog):
    t = dialog.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def action_button(dialog, row):
    """The button beside the detail panel, for the selected row (None when that row offers none)."""
    dialog.table.selectRow(row)
    return dialog.row_action_button if dialog.row_action_button.isVisibleTo(dialog) else None


def run(qtbot, dialog, start):
    with qtbot.waitSignal(dialog.work_finished, timeout=60000):
        assert start()


@pytest.fixture
def communes(make_commune, upper, tmp_path):
    a = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    b = make_commune("Đảng ủy xã Lùng Phình", "Lùng Phình")
    register(upper, a, tmp_path)  # b is not registered yet
    return a, b


@pytest.fixture
def dialog(qtbot, upper):
    """The dialog; `refreshed` counts the INBOX changes open windows were told of (through the bridge)."""
    from baocao_desktop.services import events
    from baocao_desktop.ui.changes import changes
    refreshed = []
    d = ReceiveDialog(upper, drives_provider=lambda: [])
    changes().flush()  # what earlier steps announced is not this dialog's
    d.refreshed = refreshed
    changes().changed.connect(lambda changed: changed.touches(events.INBOX) and refreshed.append(1))
    qtbot.addWidget(d)
    return d


def test_a_folder_is_verified_shown_as_a_dry_run_then_imported(qtbot, communes, upper, stick, dialog, monkeypatch,
                                                               changes_arrived):
    a, b = communes
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    a_file, b_file = a.send(stick).path, b.send(stick).path
    before = db_state(upper)
    dialog.drive_list.extra_folder = None
    run(qtbot, dialog, lambda: dialog.start_verify([stick]))
    assert dialog.source_label.text() == f"Nguồn: {stick} — 2 tệp .baocao"
    rows = table(dialog)
    assert rows[0][:5] == [a_file.name, "Đảng ủy xã Bản Phố", "Báo cáo tuần", "Tuần 23 (01/6–07/6/2026)", "Mới"]
    unknown = rows[1]
    assert unknown[:5] == [b_file.name, "Đảng ủy xã Lùng Phình", "—", "—", "Đơn vị chưa đăng ký"]
    fingerprint = ex.own_key(b.ws).fingerprint
    assert fingerprint in unknown[COL_DETAIL] and "Gọi điện" in unknown[COL_DETAIL]
    assert dialog.summary_label.text().startswith("Kết quả kiểm tra (chưa nhập gì): 2 tệp (1 hợp lệ, 1 bị từ chối)")
    assert db_state(upper) == before  # the dry run wrote nothing
    # the unit read its fingerprint over the phone: register it from its file
    assert dialog.table.currentRow() == 1  # what needs the user is selected and explained below the table
    assert fingerprint in dialog.detail_label.text()
    assert action_button(dialog, 0) is None
    button = action_button(dialog, 1)
    assert button.text() == "Đăng &ký đơn vị này…"
    asked = []
    monkeypatch.setattr(rd, "ask_yes_no", lambda parent, title, text, **kw: asked.append(text) or True)
    with qtbot.waitSignal(dialog.work_finished, timeout=60000):
        button.click()
    assert fingerprint in asked[0]
    rows = table(dialog)
    assert [r[4] for r in rows] == ["Mới", "Mới"]
    assert f"Sẽ đăng ký đơn vị mới, mã khóa {fingerprint}" in rows[1][COL_DETAIL]
    assert db_state(upper) == before
    assert dialog.import_button.isEnabled()
    changes_arrived()
    dialog.refreshed.clear()  # what the communes announced while sending is not the import's
    run(qtbot, dialog, dialog.start_import)
    assert dialog.summary_label.text().startswith("Đã nhập: 2 tệp (2 hợp lệ, 0 bị từ chối); 2 báo cáo mới")
    assert "Đã nhập xong" in dialog.success_label.text() and "Đã đăng ký 1 đơn vị mới" in dialog.success_label.text()
    assert f"Đã đăng ký đơn vị mới, mã khóa {fingerprint}" in table(dialog)[1][COL_DETAIL]
    changes_arrived()
    assert not dialog.import_button.isEnabled() and dialog.refreshed == [1]
    received = {upper.unit(r.unit_id).name for r in upper.list_reports(own_only=False)}
    assert received == {"Đảng ủy xã Bản Phố", "Đảng ủy xã Lùng Phình"}
    assert {k.unit_name for k in ex.registered_units(upper)} == received
    # the same folder again: nothing new, nothing to import
    after = db_state(upper)
    run(qtbot, dialog, lambda: dialog.start_verify([stick]))
    assert [r[4] for r in table(dialog)] == ["Không đổi", "Không đổi"]
    assert "đã được nhập" in table(dialog)[0][COL_DETAIL]
    assert not dialog.import_button.isEnabled()
    assert db_state(upper) == after


def test_the_readable_copies_on_the_stick_are_passed_over_quietly(qtbot, communes, upper, stick, dialog):
    a, _ = communes
    a.weekly(WEEK1)
    sent = a.send(stick, readable=True)
    (docx,) = stick.glob("*.docx")
    (stick / docx.name.replace(".docx", ".pdf")).write_bytes(b"%PDF-1.4 as LibreOffice writes it")
    run(qtbot, dialog, lambda: dialog.start_verify([stick]))
    assert dialog.source_label.text() == f"Nguồn: {stick} — 1 tệp .baocao"
    assert [r[0] for r in table(dialog)] == [sent.file_name]  # only the transfer file, no row for the copies
    assert [r[4] for r in table(dialog)] == ["Mới"]
    assert dialog.summary_label.text().startswith("Kết quả kiểm tra (chưa nhập gì): 1 tệp (1 hợp lệ, 0 bị từ chối)")
    assert not dialog.error_label.isVisibleTo(dialog)
    run(qtbot, dialog, dialog.start_import)
    assert "Đã nhập xong" in dialog.success_label.text() and not dialog.error_label.isVisibleTo(dialog)
    # a Word copy chosen by hand as if it were a transfer file is refused in plain words
    run(qtbot, dialog, lambda: dialog.start_verify([docx]))
    assert table(dialog)[0][COL_DETAIL] == "Tệp không phải tệp gửi báo cáo BaoCao (không phải định dạng SQLite)."


def test_tampered_and_truncated_files_are_refused_in_vietnamese_and_nothing_is_imported(
        qtbot, communes, upper, stick, tmp_path, dialog):
    a, _ = communes
    a.weekly(WEEK1)
    genuine = a.send(stick).path
    folder = tmp_path / "hong"
    folder.mkdir()
    truncated = folder / "cat-cut.baocao"
    truncated.write_bytes(genuine.read_bytes()[:4096])
    tampered = folder / "doi-so.baocao"
    shutil.copyfile(genuine, tampered)
    rewrite(tampered, "UPDATE indicator_values SET value = '9999' WHERE indicator_code = 'lua_mua_dien_tich' "
                      "AND field = 'actual'")
    before = db_state(upper)
    run(qtbot, dialog, lambda: dialog.start_verify([truncated, tampered]))
    rows = {r[0]: r for r in table(dialog)}
    assert rows["cat-cut.baocao"][4] == "Từ chối" and "cắt cụt" in rows["cat-cut.baocao"][COL_DETAIL]
    assert rows["doi-so.baocao"][4] == "Từ chối" and "đã bị sửa" in rows["doi-so.baocao"][COL_DETAIL]
    assert dialog.summary_label.text().startswith("Kết quả kiểm tra (chưa nhập gì): 2 tệp (0 hợp lệ, 2 bị từ chối)")
    assert not dialog.import_button.isEnabled()
    assert not dialog.start_import()
    assert db_state(upper) == before


def test_an_empty_folder_says_so(qtbot, upper, tmp_path, dialog):
    assert not dialog.start_verify([tmp_path])
    assert "Không có tệp .baocao nào" in dialog.error_label.text()


def test_cancel_while_verifying_leaves_nothing(qtbot, communes, upper, stick, dialog, monkeypatch):
    a, _ = communes
    a.weekly(WEEK1)
    a.weekly(WEEK2)
    a.send(stick, [a.ws.list_reports()[0].id])
    a.send(stick)
    original = ex.prepare_import

    def press_cancel_after_the_first_file(ws, paths, register_new=False, progress=None, cancel=None):
        def hook(p):
            progress(p)
            if p.stage == "copy" and p.done == 1:
                cancel.set()  # what the Hủy button does (Task.cancel)
        return original(ws, paths, register_new, hook, cancel)
    monkeypatch.setattr(ex, "prepare_import", press_cancel_after_the_first_file)
    before = db_state(upper)
    run(qtbot, dialog, lambda: dialog.start_verify([stick]))
    assert dialog.error_label.text() == "Đã hủy kiểm tra. Chưa nhập gì; dữ liệu không thay đổi."
    assert dialog.plan is None and not dialog.import_button.isEnabled()
    assert db_state(upper) == before


def test_cancel_while_importing_leaves_nothing_imported(qtbot, communes, upper, stick, dialog, monkeypatch):
    from baocao_desktop.services.exchange import receive
    monkeypatch.setattr(receive, "CHUNK_SECONDS", float("inf"))  # a short import: one part
    a, _ = communes
    first = a.weekly(WEEK1)
    a.send(stick, [first])
    a.weekly(WEEK2)
    a.send(stick)
    run(qtbot, dialog, lambda: dialog.start_verify([stick]))
    assert [r[4] for r in table(dialog)].count("Mới") == 2
    original = ex.apply_import

    def press_cancel_during_the_second_file(ws, plan, progress=None, cancel=None):
        def hook(p):
            progress(p)
            if p.stage == "import" and p.done == 1:
                cancel.set()
        return original(ws, plan, hook, cancel)
    monkeypatch.setattr(ex, "apply_import", press_cancel_during_the_second_file)
    before = db_state(upper)
    run(qtbot, dialog, dialog.start_import)
    assert dialog.error_label.text() == "Đã hủy. Chưa nhập gì; dữ liệu không thay đổi."
    assert db_state(upper) == before and upper.list_reports(own_only=False) == []
    assert dialog.import_button.isEnabled()  # the dry run still stands: the user may import after all
    monkeypatch.setattr(ex, "apply_import", original)
    run(qtbot, dialog, dialog.start_import)
    assert len(upper.list_reports(own_only=False)) == 2


def test_a_conflict_shows_both_sides_and_the_user_chooses(qtbot, communes, upper, stick, dialog, tmp_path):
    a, _ = communes
    report = a.weekly(WEEK1)
    ex.import_bundles(upper, [a.send(stick).path])
    upper.unlock(report, "Sửa số gia súc theo điện thoại của xã")
    upper.set_value(report, "tong_dan_gia_suc", "actual", "5.100")
    a.ws.unlock(report, "Sửa diện tích lúa")
    a.ws.set_value(report, "lua_mua_dien_tich", "actual", "350")
    a.ws.sign(report)
    resent = a.send(tmp_path).path
    run(qtbot, dialog, lambda: dialog.start_verify([resent]))
    row = table(dialog)[0]
    assert row[4] == "Xung đột — cần chọn" and "đã được sửa" in row[COL_DETAIL]
    run(qtbot, dialog, dialog.start_import)
    assert "Có báo cáo xung đột" in dialog.success_label.text()
    assert action_button(dialog, 0).text() == "&So sánh, chọn bản…"
    assert dialog.conflicts_button.text() == "&Xung đột chờ chọn (1)…"
    conflict = ConflictDialog(upper, report, dialog)
    qtbot.addWidget(conflict)
    sides = {conflict.changes[r].key: (conflict.table.item(r, 1).text(), conflict.table.item(r, 2).text())
             for r in range(conflict.table.rowCount())}
    labels = [conflict.table.item(r, 0).text() for r in range(conflict.table.rowCount())]
    assert any(label.endswith("(thực hiện)") and "lúa" in label for label in labels), labels
    assert sides["lua_mua_dien_tich.actual"] == ("300", "350")
    assert sides["tong_dan_gia_suc.actual"] == ("5.100", "5.000")
    assert conflict.table.horizontalHeaderItem(1).text() == "Bản đang dùng\n(sửa tại đây)"
    assert conflict.table.horizontalHeaderItem(2).text().startswith("Bản mới nhận\n(đơn vị gửi lúc ")
    assert conflict.choose(conflict.incoming)
    dialog.after_conflict(conflict)
    assert str(upper.report(report).values["lua_mua_dien_tich"]["actual"]) == "350"
    assert ex.conflicts(upper) == [] and not dialog.conflicts_button.isVisibleTo(dialog)
    assert "Đã dùng bản mới nhận" in dialog.success_label.text()
    assert ("local", "superseded") in [(v.origin, v.state) for v in ex.report_versions(upper, report)]


def test_a_transfer_file_on_the_command_line_opens_the_receive_dialog_on_it(qtbot, communes, upper, stick):
    args, rest = parse_gui_args(["--db", "x.sqlite3", r"E:\thang6.baocao"])
    assert args.transfer_file == r"E:\thang6.baocao" and rest == []
    a, _ = communes
    a.weekly(WEEK1)
    path = a.send(stick).path
    dialog = ReceiveDialog(upper, drives_provider=lambda: [], paths=[path])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.work_finished, timeout=60000):
        pass  # verification starts by itself once the event loop runs
    assert table(dialog)[0][4] == "Mới" and dialog.import_button.isEnabled()


def test_a_drive_in_the_list_is_verified_when_chosen(qtbot, communes, upper, stick):
    a, _ = communes
    a.weekly(WEEK1)
    a.send(stick)
    dialog = ReceiveDialog(upper, drives_provider=lambda: [DriveChoice(stick, "USB_XA", 1_000_000_000)])
    qtbot.addWidget(dialog)
    assert "USB_XA" in dialog.drive_list.item(0).text()
    with qtbot.waitSignal(dialog.work_finished, timeout=60000):
        dialog.drive_list._activated(dialog.drive_list.item(0))
    assert table(dialog)[0][1] == "Đảng ủy xã Bản Phố"


# == registry =================================================================================================
def test_the_registry_lists_units_and_registers_from_a_key_file(qtbot, communes, upper, tmp_path, monkeypatch):
    a, b = communes
    registry = UnitRegistryDialog(upper)
    qtbot.addWidget(registry)
    assert registry.table.rowCount() == 1
    assert registry.table.item(0, 0).text() == "Đảng ủy xã Bản Phố"
    assert registry.table.item(0, 1).text() == ex.own_key(a.ws).fingerprint
    assert registry.count_label.text() == "1 đơn vị đã đăng ký."
    bad = tmp_path / "khong-phai.baocaokey"
    bad.write_bytes(b"\xff\xfe\x00 binary")
    assert not registry.register_file(bad)
    assert "không phải tệp khóa BaoCao" in registry.error_label.text()
    assert registry.register_file(b.key_file(tmp_path))
    assert "Đã đăng ký đơn vị Đảng ủy xã Lùng Phình" in registry.success_label.text()
    assert registry.table.rowCount() == 2
    # a different key for a registered unit: replaced only once the user confirms the new fingerprint
    (tmp_path / "moi").mkdir()
    a.ws.store.conn.execute("UPDATE unit_keys SET revoked_at = '2026-01-01' WHERE role = 'self'")
    new_key = a.key_file(tmp_path / "moi")
    new_fingerprint = ex.own_key(a.ws).fingerprint
    asked = []
    monkeypatch.setattr(kd, "ask_yes_no", lambda parent, title, text, **kw: asked.append(text) or False)
    assert not registry.register_file(new_key)
    assert new_fingerprint in asked[0] and "Chưa thay khóa" in registry.error_label.text()
    monkeypatch.setattr(kd, "ask_yes_no", lambda parent, title, text, **kw: True)
    assert registry.register_file(new_key)
    assert "Đã thay khóa" in registry.success_label.text()
    assert new_fingerprint in [registry.table.item(r, 1).text() for r in range(registry.table.rowCount())]


def test_the_main_window_menu_entries_find_their_screens():
    import importlib
    for module, function in (("send_dialog", "open_send_dialog"), ("key_dialogs", "open_key_dialog"),
                             ("receive_dialog", "open_receive_dialog"), ("key_dialogs", "open_unit_registry")):
        assert callable(getattr(importlib.import_module(f"baocao_desktop.ui.{module}"), function))


def test_a_large_batch_is_verified_by_worker_processes_from_the_dialogs_thread(qtbot, communes, upper, stick,
                                                                                dialog, monkeypatch, tmp_path):
    """The dialog's worker thread starts the verifying processes (spawned, not forked from a Qt process)
    for the dry run; the table and the import read as for a small batch."""
    import pytest as _pytest
    monkeypatch.setattr(verify, "PROCESS_MIN_FILES", 2)
    monkeypatch.setattr(verify.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("BAOCAO_IMPORT_PROCESSES", raising=False)
    monkeypatch.setattr(verify, "pool_failed", lambda exc: _pytest.fail(f"the worker processes failed: {exc!r}"))
    pools = []
    real_pool = verify.ProcessPoolExecutor
    monkeypatch.setattr(verify, "ProcessPoolExecutor", lambda *args, **kw: pools.append(real_pool(*args, **kw)) or pools[-1])
    a, _ = communes
    for start in (WEEK1, WEEK2):
        a.weekly(start)
        a.send(stick, [r.id for r in a.ws.list_reports() if r.period.start == start])
    dialog.drive_list.extra_folder = None
    run(qtbot, dialog, lambda: dialog.start_verify([stick]))
    assert [r[4] for r in table(dialog)] == ["Mới", "Mới"]
    run(qtbot, dialog, dialog.start_import)
    assert dialog.summary_label.text().startswith("Đã nhập: 2 tệp (2 hợp lệ, 0 bị từ chối); 2 báo cáo mới")
    assert len(upper.list_reports(own_only=False)) == 2
    assert len(pools) == 1  # the dry run's; the import uses the files it kept in memory
