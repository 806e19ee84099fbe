"""Backups of the database (services/backup.py): rolling copies checked with integrity_check, what a backup
holds, restoring one with the current file kept aside, and bad files refused with nothing changed."""
import datetime as dt
import sqlite3

import pytest

from baocao_desktop.domain.error_text import english_sentences
from baocao_desktop.services import backup
from baocao_desktop.services.workspace import Workspace


def at(hour: int, day: int = 7) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, 0, 0)


def test_backup_is_a_checked_copy_that_says_what_it_holds(demo_workspace):
    made = backup.create_backup(demo_workspace.path, now=at(9))
    assert made.parent == demo_workspace.path.parent / "backups"
    assert made.name == "baocao-2026-12-07_090000.sqlite3"
    info = backup.inspect_backup(made)
    assert info.unit == demo_workspace.own_unit().name
    assert info.reports == len(demo_workspace.list_reports()) > 0
    assert info.newest_report == max(r.report_date for r in demo_workspace.list_reports())
    assert info.made_at.replace(tzinfo=None) == at(9)
    text = "\n".join(info.lines())
    assert "Lùng Phình" in text and f"Số báo cáo: {info.reports}" in text and "07/12/2026" in text
    assert not english_sentences(text)
    # a consistent, self-contained copy: no -wal beside it, the same reports inside
    assert not made.with_name(made.name + "-wal").exists()
    copy = Workspace(made)
    try:
        assert [r.id for r in copy.list_reports()] == [r.id for r in demo_workspace.list_reports()]
    finally:
        copy.close()


def test_rolling_backups_keep_the_newest_and_are_due_daily(demo_workspace):
    path = demo_workspace.path
    assert backup.backup_due(path, now=at(8))
    for hour in range(1, 6):
        backup.rolling_backup(path, keep=3, now=at(hour))
    kept = backup.list_backups(path)
    assert [p.name for p in kept] == [f"baocao-2026-12-07_0{h}0000.sqlite3" for h in (5, 4, 3)]
    assert not backup.backup_due(path, now=at(23))
    assert backup.backup_due(path, now=at(5, day=8))
    assert backup.newest_good_backup(path).path == kept[0]


def test_newest_good_backup_skips_a_damaged_one(demo_workspace):
    path = demo_workspace.path
    good = backup.rolling_backup(path, now=at(1))
    bad = backup.rolling_backup(path, now=at(2))
    bad.write_bytes(bad.read_bytes()[:3000])
    assert backup.newest_good_backup(path).path == good


def test_restore_keeps_the_current_file_aside(demo_workspace, tmp_path):
    path = demo_workspace.path
    before = len(demo_workspace.list_reports())
    made = backup.create_backup(path, tmp_path / "usb", now=at(9))
    demo_workspace.delete_report(demo_workspace.list_reports()[0].id)
    demo_workspace.close()
    aside = backup.restore_backup(made, path, now=at(10))
    assert aside.name == "baocao.truoc-khoi-phuc-2026-12-07_100000.sqlite3" and aside.parent == path.parent
    restored = Workspace(path)
    try:
        assert len(restored.list_reports()) == before
    finally:
        restored.close()
    kept = Workspace(aside)  # the file as it was before: one report fewer, never deleted
    try:
        assert len(kept.list_reports()) == before - 1
    finally:
        kept.close()


def corrupt(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 997):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make, expected", [
    (lambda p, good: p.write_bytes(b"this is not a database at all" * 10), "không phải tệp dữ liệu SQLite"),
    (lambda p, good: p.write_bytes(good.read_bytes()[:9000]), "bị cắt cụt"),
    (lambda p, good: sqlite3.connect(p).execute("CREATE TABLE x (a)").connection.commit(), "không phải dữ liệu BaoCao"),
    (lambda p, good: (p.write_bytes(good.read_bytes()),
                      sqlite3.connect(p).execute("PRAGMA user_version = 99").connection.commit()), "mới hơn"),
    (lambda p, good: (p.write_bytes(good.read_bytes()), corrupt(p)), "hỏng"),
])
def test_bad_backup_is_refused_and_nothing_changes(demo_workspace, tmp_path, make, expected):
    good = backup.create_backup(demo_workspace.path, tmp_path / "usb", now=at(9))
    demo_workspace.close()
    bad = tmp_path / "bad.sqlite3"
    make(bad, good)
    content = demo_workspace.path.read_bytes()
    with pytest.raises(backup.BackupError) as caught:
        backup.restore_backup(bad, demo_workspace.path)
    assert expected in str(caught.value)
    assert not english_sentences(str(caught.value))
    assert demo_workspace.path.read_bytes() == content
    assert sorted(p.name for p in demo_workspace.path.parent.iterdir() if "truoc-khoi-phuc" in p.name
                  or "dang-" in p.name) == []


def test_disk_full_while_writing_a_backup_leaves_nothing(demo_workspace, tmp_path, monkeypatch):
    from baocao_desktop.store import backups as stored_backups
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(stored_backups, "copy_database", full)
    with pytest.raises(backup.BackupError) as caught:
        backup.create_backup(demo_workspace.path, tmp_path / "usb")
    assert "Ổ đĩa đã đầy" in str(caught.value) and not english_sentences(str(caught.value))
    assert list((tmp_path / "usb").iterdir()) == []


def test_backup_into_a_file_instead_of_a_folder_is_refused(demo_workspace, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    with pytest.raises(backup.BackupError) as caught:
        backup.create_backup(demo_workspace.path, not_a_folder)
    assert not english_sentences(str(caught.value))
