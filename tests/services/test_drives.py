"""Removable drives for transfer files: the Linux reading tested on fake /proc and /sys trees; the
Windows branch runs in the wine smoke test (installer/wine_smoke.py)."""
from __future__ import annotations

from pathlib import Path

from baocao_desktop.services import drives


def fake_system(tmp_path: Path) -> tuple[Path, Path]:
    sys_block = tmp_path / "sys" / "block"
    for disk, removable in (("sda", "0"), ("sdb", "1"), ("sdc", "0"), ("nvme0n1", "0")):
        (sys_block / disk).mkdir(parents=True)
        (sys_block / disk / "removable").write_text(removable + "\n")
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "/dev/sdb1 /media/can_bo/USB\\040BAOCAO vfat rw 0 0\n"       # a USB stick, space in its label
        "/dev/sdc1 /media/can_bo/Data ext4 rw 0 0\n"                # a fixed second disk under /media
        "/dev/nvme0n1p2 /home ext4 rw 0 0\n"
        "/dev/sdb2 /run/media/can_bo/Ảnh vfat rw 0 0\n"             # another partition of the stick
        "tmpfs /run/user/1000 tmpfs rw 0 0\n", encoding="utf-8")
    return mounts, sys_block


def test_posix_lists_removable_mounts_only(tmp_path, monkeypatch):
    mounts, sys_block = fake_system(tmp_path)
    monkeypatch.setattr(drives, "_free", lambda path: 123)
    found = drives._posix_drives(mounts, sys_block)
    assert [str(d.path) for d in found] == ["/media/can_bo/USB BAOCAO", "/run/media/can_bo/Ảnh"]
    assert [d.title for d in found] == ["USB BAOCAO", "Ảnh"]
    assert all(d.free_bytes == 123 for d in found)


def test_missing_proc_means_no_drives(tmp_path):
    assert drives._posix_drives(tmp_path / "nope", tmp_path) == []


def test_windows_title(monkeypatch):
    monkeypatch.setattr(drives.sys, "platform", "win32")
    assert drives.Drive(Path("E:\\"), "USB_XA", 1).title == "USB_XA (E:)"
    assert drives.Drive(Path("F:\\"), "", None).title == "Ổ đĩa di động (F:)"


def test_removable_drives_never_raises():
    assert isinstance(drives.removable_drives(), list)
