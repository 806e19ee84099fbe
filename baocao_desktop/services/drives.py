"""Removable drives (USB sticks) to offer as the place for a transfer file (no Qt here).

`removable_drives()` lists what is plugged in now, as Drive(path, label, free_bytes):
- Windows: every drive letter whose type is DRIVE_REMOVABLE (GetLogicalDrives/GetDriveTypeW), with
  its volume label (GetVolumeInformationW); no drive is touched if it has no medium (card readers
  without a card are skipped without the "insert a disk" system dialog: SetErrorMode);
- Linux: mounts under /media, /run/media (where desktops mount USB sticks) whose block device is
  removable (/sys/block/<dev>/removable) or on the usb bus.
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

DRIVE_REMOVABLE = 2
SEM_FAILCRITICALERRORS = 0x0001


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str
    free_bytes: int | None

    @property
    def title(self) -> str:
        """What to show: "USB_BAOCAO (E:)" on Windows, "USB_BAOCAO" elsewhere."""
        if sys.platform == "win32":
            letter = str(self.path).rstrip("\\")
            return f"{self.label} ({letter})" if self.label else f"Ổ đĩa di động ({letter})"
        return self.label or self.path.name or str(self.path)


def removable_drives() -> list[Drive]:
    try:
        return _windows_drives() if sys.platform == "win32" else _posix_drives()
    except OSError:
        return []


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def _windows_drives() -> list[Drive]:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.GetDriveTypeW.argtypes = [wintypes.LPCWSTR]
    kernel32.GetVolumeInformationW.argtypes = [
        wintypes.LPCWSTR, wintypes.LPWSTR, wintypes.DWORD, ctypes.POINTER(wintypes.DWORD),
        ctypes.POINTER(wintypes.DWORD), ctypes.POINTER(wintypes.DWORD), wintypes.LPWSTR, wintypes.DWORD]
    old_mode = kernel32.SetErrorMode(SEM_FAILCRITICALERRORS)
    try:
        mask = kernel32.GetLogicalDrives()
        drives = []
        for index in range(26):
            if not mask & (1 << index):
                continue
            root = f"{chr(ord('A') + index)}:\\"
            if kernel32.GetDriveTypeW(root) != DRIVE_REMOVABLE:
                continue
            label = ctypes.create_unicode_buffer(261)
            has_medium = kernel32.GetVolumeInformationW(root, label, 261, None, None, None, None, 0)
            if not has_medium:
                continue  # an empty card reader slot
            drives.append(Drive(Path(root), label.value, _free(Path(root))))
        return drives
    finally:
        kernel32.SetErrorMode(old_mode)


def _posix_drives(mounts_file: Path = Path("/proc/mounts"), sys_block: Path = Path("/sys/block")) -> list[Drive]:
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    drives = []
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        device, mount = parts[0], _unescape(parts[1])
        if not (mount.startswith("/media/") or mount.startswith("/run/media/")):
            continue
        if device.startswith("/dev/") and not _removable_device(Path(device).name, sys_block):
            continue
        path = Path(mount)
        drives.append(Drive(path, path.name, _free(path)))
    return drives


def _unescape(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes (\\040 ...)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def _removable_device(name: str, sys_block: Path) -> bool:
    """sdb1 → /sys/block/sdb: removable flag, or a USB device in its sysfs path."""
    disk = name
    while disk and not (sys_block / disk).exists():
        disk = disk[:-1]
    if not disk:
        return True  # unknown layout: trust the /media mount point
    try:
        if (sys_block / disk / "removable").read_text().strip() == "1":
            return True
    except OSError:
        pass
    try:
        return "/usb" in os.path.realpath(sys_block / disk)
    except OSError:
        return False
