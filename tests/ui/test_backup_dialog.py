"""Tệp → Sao lưu… / Khôi phục… and the newest backup offered for a corrupt database at start-up, driven
through the real dialogs (pytest-qt, offscreen; the file dialogs are monkeypatched)."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from baocao_desktop.domain.error_text import english_sentences  # noqa: E402
from baocao_desktop.services import backup  # noqa: E402
from baocao_desktop.services.workspace import Workspace  # noqa: E402
from baocao_desktop.ui import app as app_module  # noqa: E402
from baocao_desktop.ui.backup_dialog import BackupDialog, RestoreDialog, open_restore_dialog  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_backup_dialog_writes_a_checked_copy_to_the_chosen_folder(qtbot, demo_workspace, tmp_path, monkeypatch,
                                                                   settings):
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    dialog = BackupDialog(demo_workspace.path, None, settings)
    qtbot.addWidget(dialog)
    dialog.choose_button.click()
    assert dialog.folder_edit.text() == str(usb)
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.success_label.isVisibleTo(dialog) or dialog.error_label.isVisibleTo(dialog),
                    timeout=20000)
    text = dialog.success_label.text()
    assert "Đã sao lưu vào" in text and "Lùng Phình" in text and "Số báo cáo:" in text
    made = list(usb.iterdir())
    assert len(made) == 1 and backup.inspect_backup(made[0]).reports == len(demo_workspace.list_reports())
    assert settings.value("backup/folder") == str(usb)


def test_backup_dialog_says_in_vietnamese_when_the_folder_cannot_be_written(qtbot, demo_workspace, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    dialog = BackupDialog(demo_workspace.path)
    qtbot.addWidget(dialog)
    dialog.folder_edit.setText(str(blocker / "sub"))
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog), timeout=20000)
    assert dialog.error_label.text() and not english_sentences(dialog.error_label.text())
    assert dialog.backup_button.isEnabled()


def test_restore_dialog_shows_what_a_backup_holds_and_restores_it(qtbot, demo_workspace, tmp_path, monkeypatch,
                                                                  settings):
    count = len(demo_workspace.list_reports())
    made = backup.rolling_backup(demo_workspace.path)
    made_day = backup.made_time(made).strftime("%d/%m/%Y")
    demo_workspace.delete_report(demo_workspace.list_reports()[0].id)
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    from baocao_desktop.ui.inbox_window import open_inbox
    inbox = open_inbox(window)
    assert inbox.isVisible()
    shown = {}

    def run(dialog):
        shown["list"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.list.setCurrentRow(0)
        shown["details"] = dialog.details.text()
        assert dialog.restore_button.isEnabled()
        dialog.restore_button.click()
        return dialog.result()
    monkeypatch.setattr(RestoreDialog, "exec", run)
    infos = []
    monkeypatch.setattr("baocao_desktop.ui.common.show_info", lambda parent, title, text, *a: infos.append(text))
    open_restore_dialog(window)
    assert len(shown["list"]) == 1 and shown["list"][0].endswith(f"ngày {made_day} — {made.name}")
    assert "Lùng Phình" in shown["details"] and f"Số báo cáo: {count}" in shown["details"]
    assert "Sao lưu lúc:" in shown["details"] and not english_sentences(shown["details"])
    assert window.workspace is not demo_workspace and len(window.workspace.list_reports()) == count
    assert infos and "giữ lại" in infos[0]
    # the inbox read the database just closed: it is closed too, and opens again on the restored data
    assert not inbox.isVisible() and window.inbox_window is None
    again = open_inbox(window)
    assert again is not inbox and again.workspace is window.workspace
    again.close()
    aside = [p for p in demo_workspace.path.parent.iterdir() if "truoc-khoi-phuc" in p.name and p.suffix == ".sqlite3"]
    assert len(aside) == 1
    kept = Workspace(aside[0])
    try:
        assert len(kept.list_reports()) == count - 1
    finally:
        kept.close()
    window.workspace.close()


def test_restore_dialog_refuses_a_bad_file_in_vietnamese(qtbot, demo_workspace, tmp_path, monkeypatch):
    bad = tmp_path / "usb.sqlite3"
    bad.write_bytes(b"PK\x03\x04 not a database" * 20)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog = RestoreDialog(demo_workspace.path)
    qtbot.addWidget(dialog)
    dialog.file_button.click()
    assert dialog.error_label.isVisibleTo(dialog)
    assert "không phải bản sao lưu BaoCao" in dialog.error_label.text()
    assert not english_sentences(dialog.error_label.text())
    assert not dialog.restore_button.isEnabled()


def test_corrupt_database_at_start_offers_the_newest_good_backup(qtbot, demo_workspace, tmp_path, monkeypatch,
                                                                 settings):
    path = demo_workspace.path
    count = len(demo_workspace.list_reports())
    backup.rolling_backup(path)
    demo_workspace.close()
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    damaged = b"SQLite format 3\x00" + bytes(range(256)) * 40
    path.write_bytes(damaged)
    shown = []
    real_box = app_module.db_error_box

    def fake_box(p, error, parent=None, newest_backup=None):
        box = real_box(p, error, parent, newest_backup)
        shown.append((box.informativeText(), [b.text() for b in box.buttons()]))
        box.exec = lambda: box.backup_button.click()
        return box
    monkeypatch.setattr(app_module, "db_error_box", fake_box)
    ws = app_module.open_workspace_interactive(path, settings)
    try:
        assert ws is not None and ws.path == path and len(ws.list_reports()) == count
        text, buttons = shown[0]
        assert "Mở bản sao lưu mới nhất" in buttons and "Lùng Phình" in text
        assert not english_sentences(text)
        aside = [p for p in path.parent.iterdir() if "truoc-khoi-phuc" in p.name]
        assert len(aside) == 1 and aside[0].read_bytes() == damaged
    finally:
        ws.close()


def test_the_app_backs_up_on_close_and_once_a_day(qtbot, demo_workspace, settings):
    path = demo_workspace.path
    window = MainWindow(demo_workspace, settings)
    qtbot.addWidget(window)
    app_module.daily_backup(window)  # none yet: one is made on the task runner
    qtbot.waitUntil(lambda: len(backup.list_backups(path)) == 1, timeout=20000)
    app_module.daily_backup(window)  # made less than a day ago: nothing more
    qtbot.wait(300)
    assert len(backup.list_backups(path)) == 1
    app_module.backup_on_close(path)
    kept = backup.list_backups(path)
    assert len(kept) == 2 and backup.inspect_backup(kept[0]).reports == len(demo_workspace.list_reports())
