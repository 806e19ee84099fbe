"""Gửi cấp trên… and Khóa chữ ký số của đơn vị… driven with real widgets (issue 7)."""
import os
import stat

import pytest
from PySide6.QtCore import Qt

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import send as sending
from baocao_desktop.ui import send_dialog as sd
from baocao_desktop.ui.key_dialogs import KeyDialog
from baocao_desktop.ui.send_dialog import DriveChoice, SendDialog
from tests.exchange.conftest import (WEEK1, WEEK2, WEEK3, blank_db, make_commune, no_pdf_converter,  # noqa: F401
                                     stick, upper)


def usb(path, read_only=False, free=3_900_000_000):
    return DriveChoice(path, "USB_BAOCAO", free, read_only)


def rows(dialog):
    table = dialog.table
    return [[table.item(r, c).text() for c in range(1, table.columnCount())] for r in range(table.rowCount())]


def check_state(dialog, row):
    item = dialog.table.item(row, 0)
    checkable = bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable)
    return checkable, item.checkState() == Qt.CheckState.Checked


@pytest.fixture
def commune(make_commune):
    c = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    c.signed = [c.weekly(WEEK1), c.weekly(WEEK2)]
    c.draft = c.weekly(WEEK3, sign=False)
    return c


def send(qtbot, dialog):
    with qtbot.waitSignal(dialog.work_finished, timeout=60000):
        assert dialog.start_export()


def test_signed_reports_are_pre_checked_and_drafts_are_listed_but_explained(qtbot, commune, stick):
    dialog = SendDialog(commune.ws, drives_provider=lambda: [usb(stick)])
    qtbot.addWidget(dialog)
    shown = rows(dialog)
    assert [r[3] for r in shown] == ["Đã ký", "Đã ký", "Dự thảo"]
    assert [check_state(dialog, r) for r in range(3)] == [(True, True), (True, True), (False, False)]
    assert "ký trước khi gửi" in shown[2][4]
    assert dialog.count_label.text() == "Đã chọn 2 báo cáo để gửi."
    assert dialog.name_edit.text() == ex.suggested_bundle_name(commune.ws, dialog.checked_report_ids())
    assert dialog.name_edit.text().startswith("Đảng ủy xã Bản Phố - Báo cáo tuần (2 kỳ) 01-06-2026 đến 14-06-2026")
    # the only stick plugged in is chosen already, shown with its free space in Vietnamese format
    assert dialog.drive_list.selected_folder() == stick
    assert "còn trống 3,6 GB" in dialog.drive_list.item(0).text()


def test_writing_to_the_stick_verifies_the_file_and_marks_the_reports_sent(qtbot, commune, stick, upper, tmp_path):
    from baocao_desktop.services import events
    announced = []  # the main window's list refreshes from the REPORTS change the export announces
    unsubscribe = events.subscribe(announced.append)
    dialog = SendDialog(commune.ws, drives_provider=lambda: [usb(stick)])
    qtbot.addWidget(dialog)
    dialog.set_checked([commune.signed[0]])
    name = dialog.name_edit.text()
    assert name == "Đảng ủy xã Bản Phố - Báo cáo tuần 01-06-2026 đến 07-06-2026.baocao"
    send(qtbot, dialog)
    written = stick / name
    # the transfer file and, beside it, the report's readable Word copy; no temporary file left behind
    assert written.is_file() and sorted(p.suffix for p in stick.iterdir()) == [".baocao", ".docx"]
    assert not [p for p in stick.iterdir() if p.name.startswith(".")]
    message = dialog.success_label.text()
    assert message.startswith(f"Đã ghi và kiểm tra lại tệp “{name}” trên USB “USB_BAOCAO” (1 báo cáo, ")
    assert "có thể rút USB" in message and dialog.success_label.isVisibleTo(dialog)
    assert not dialog.error_label.isVisibleTo(dialog)
    unsubscribe()
    assert events.REPORTS in {change.kind for change in announced}
    assert commune.ws.report(commune.signed[0]).status == "sent"
    assert commune.ws.report(commune.signed[1]).status == "signed"
    # the list now says so, and nothing is pre-checked for a second send by mistake
    assert [r[3] for r in rows(dialog)] == ["Đã ký", "Đã gửi", "Dự thảo"]
    assert dialog.checked_report_ids() == []
    # the upper level can verify what was written
    ex.register_unit(upper, commune.key_file(tmp_path))
    checked = ex.verify_file(upper, written)
    assert checked.ok and [r.action for r in checked.reports] == ["new"]


def test_a_chosen_folder_says_folder_not_usb(qtbot, commune, tmp_path):
    folder = tmp_path / "Gửi đi"
    folder.mkdir()
    dialog = SendDialog(commune.ws, drives_provider=lambda: [])
    qtbot.addWidget(dialog)
    dialog.drive_list.select_folder(folder)
    send(qtbot, dialog)
    assert f"trong thư mục “{folder}”" in dialog.success_label.text()
    assert "rút USB" not in dialog.success_label.text()
    assert len(list(folder.glob("*.baocao"))) == 1


def test_nothing_to_write_to_and_nothing_chosen_get_clear_messages(qtbot, commune, stick):
    dialog = SendDialog(commune.ws, drives_provider=lambda: [])
    qtbot.addWidget(dialog)
    assert dialog.drive_list.item(0).text().startswith("Chưa thấy USB nào")
    assert not dialog.start_export()
    assert "Hãy chọn nơi ghi tệp" in dialog.error_label.text()
    dialog.set_checked([])
    assert not dialog.send_button.isEnabled()
    assert not dialog.start_export()
    assert dialog.error_label.text() == "Hãy đánh dấu ít nhất một báo cáo để gửi."


def test_a_removed_stick_is_reported_and_nothing_changes(qtbot, commune, tmp_path):
    gone = tmp_path / "USB đã rút"
    gone.mkdir()
    dialog = SendDialog(commune.ws, drives_provider=lambda: [usb(gone)])
    qtbot.addWidget(dialog)
    gone.rmdir()
    assert not dialog.start_export()
    assert "USB đã bị rút ra?" in dialog.error_label.text()
    assert commune.ws.report(commune.signed[0]).status == "signed"


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_stick_is_refused_in_vietnamese(qtbot, commune, stick):
    stick.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        dialog = SendDialog(commune.ws, drives_provider=lambda: [usb(stick)])
        qtbot.addWidget(dialog)
        assert not dialog.start_export()
    finally:
        stick.chmod(stat.S_IRWXU)
    assert "chỉ cho phép đọc" in dialog.error_label.text()


def test_a_drive_marked_read_only_is_refused(qtbot, commune, stick):
    dialog = SendDialog(commune.ws, drives_provider=lambda: [usb(stick, read_only=True)])
    qtbot.addWidget(dialog)
    assert "chỉ đọc" in dialog.drive_list.item(0).text()
    assert not dialog.start_export()
    assert "chỉ cho phép đọc" in dialog.error_label.text()
    assert list(stick.iterdir()) == []


def test_a_write_failure_in_the_worker_is_shown_and_reports_stay_signed(qtbot, commune, stick, monkeypatch):
    def full_disk(source, final):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(sending, "write_atomically", full_disk)
    dialog = SendDialog(commune.ws, drives_provider=lambda: [usb(stick)])
    qtbot.addWidget(dialog)
    send(qtbot, dialog)
    assert "USB có thể đã đầy, bị khóa ghi hoặc đã rút ra" in dialog.error_label.text()
    assert not dialog.success_label.isVisibleTo(dialog)
    assert {commune.ws.report(i).status for i in commune.signed} == {"signed"}
    assert dialog.send_button.isEnabled()


def test_an_existing_file_is_only_overwritten_when_confirmed(qtbot, commune, stick, monkeypatch):
    dialog = SendDialog(commune.ws, drives_provider=lambda: [usb(stick)])
    qtbot.addWidget(dialog)
    (stick / dialog.name_edit.text()).write_bytes(b"old")
    asked = []
    monkeypatch.setattr(sd, "ask_yes_no", lambda parent, title, text, **kw: asked.append(text) or False)
    assert not dialog.start_export()
    assert "Ghi đè" in asked[0] and (stick / dialog.name_edit.text()).read_bytes() == b"old"


# == key dialog ===============================================================================================
def test_key_dialog_shows_the_fingerprint_for_the_phone_and_exports_the_key(qtbot, commune, upper, tmp_path):
    dialog = KeyDialog(commune.ws)
    qtbot.addWidget(dialog)
    fingerprint = ex.own_key(commune.ws).fingerprint
    assert dialog.fingerprint_label.text() == " – ".join(fingerprint.split("-"))
    assert "Chưa đăng ký khóa của cấp trên" in dialog.upper_label.text()
    written = dialog.export_key(tmp_path / "khoa.baocaokey")
    assert written.is_file() and fingerprint in dialog.success_label.text()
    registration = ex.register_unit(upper, written)
    assert registration.fingerprint == fingerprint and registration.unit_name == "Đảng ủy xã Bản Phố"


def test_key_dialog_registers_the_upper_levels_key_and_refuses_a_bad_file(qtbot, commune, upper, tmp_path,
                                                                         monkeypatch):
    upper_key = ex.export_public_key(upper, tmp_path / "tinh.baocaokey")
    dialog = KeyDialog(commune.ws)
    qtbot.addWidget(dialog)
    bad = tmp_path / "hong.baocaokey"
    bad.write_text("đây không phải khóa", encoding="utf-8")
    assert not dialog.register_upper(bad)
    assert "không phải tệp khóa BaoCao" in dialog.error_label.text()
    assert ex.upper_level_key(commune.ws) is None
    assert dialog.register_upper(upper_key)
    assert "Đã đăng ký cấp trên Văn phòng Tỉnh ủy Lào Cai" in dialog.success_label.text()
    assert "Văn phòng Tỉnh ủy Lào Cai" in dialog.upper_label.text()
    assert ex.own_key(upper).fingerprint in dialog.upper_label.text()
    assert dialog.register_upper_button.text() == "Thay khóa cấp &trên…"
    # a tampered key file: refused with the reason, the registered key stays
    text = upper_key.read_text(encoding="utf-8").replace("Lào Cai", "Lao Cai")
    tampered = tmp_path / "sua.baocaokey"
    tampered.write_text(text, encoding="utf-8")
    assert not dialog.register_upper(tampered)
    assert dialog.error_label.isVisibleTo(dialog) and "Tệp khóa" in dialog.error_label.text()
    assert ex.upper_level_key(commune.ws).fingerprint == ex.own_key(upper).fingerprint


def test_removable_drives_get_name_free_space_and_read_only_from_qstorageinfo(tmp_path, monkeypatch):
    from baocao_desktop.services import drives
    monkeypatch.setattr(drives, "removable_drives", lambda: [drives.Drive(tmp_path, "USB_BAOCAO", None)])
    (found,) = sd.list_drives()
    assert found.path == tmp_path and found.title and found.free_bytes > 0 and found.read_only is False
    assert sd.drive_of(tmp_path / "thu-muc", [found]) is found


def test_the_readable_copy_option_is_on_by_default_remembered_and_followed(qtbot, commune, stick, tmp_path):
    from PySide6.QtCore import QSettings
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = SendDialog(commune.ws, drives_provider=lambda: [usb(stick)], settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.readable_check.text() == "Kèm bản Word/PDF để đọc" and dialog.readable_check.isChecked()
    dialog.set_checked([commune.signed[0]])
    send(qtbot, dialog)
    (docx,) = stick.glob("*.docx")
    assert docx.name.endswith(" - Đảng ủy xã Bản Phố.docx") and docx.name.startswith("01-BC-ĐU ")
    message = dialog.success_label.text()
    assert "Kèm bản để đọc (mở được khi không có BaoCao): 1 tệp Word." in message
    assert "chưa có bản PDF" in message  # no converter on this machine (the fixture): said, not an error
    assert not dialog.error_label.isVisibleTo(dialog)

    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.readable_check, Qt.MouseButton.LeftButton)  # the clerk turns it off
    assert not dialog.readable_check.isChecked()
    dialog.close()
    again = SendDialog(commune.ws, drives_provider=lambda: [usb(stick)], settings=settings)
    qtbot.addWidget(again)
    assert not again.readable_check.isChecked()  # remembered for the next send
    again.set_checked([commune.signed[1]])
    send(qtbot, again)
    assert len(list(stick.glob("*.baocao"))) == 2 and len(list(stick.glob("*.docx"))) == 1
    assert "Kèm bản" not in again.success_label.text()
