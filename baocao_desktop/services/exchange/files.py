"""Files on the stick: names Windows and FAT accept, writing a file so that a pulled stick never leaves a
half-written one, the free-space check before writing, copying a file to a local folder, and finding the
transfer files in a folder or drive."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
import uuid
from pathlib import Path

from ...domain.numbers import size_text
from ...exchange.bundle import SUFFIX
from ..errors import ServiceError

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str, limit: int = 150) -> str:
    """Vietnamese letters kept (NFC); characters Windows/FAT refuse replaced; no trailing dot or space."""
    name = unicodedata.normalize("NFC", name)
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    stem = _UNSAFE.sub("-", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .") or "baocao"
    if stem.upper() in _RESERVED:
        stem = f"_{stem}"
    stem = stem[:limit].rstrip(" .")
    return f"{stem}{dot}{suffix}" if dot else stem


def file_date(day) -> str:
    """A date as file names write it: "01-06-2026" ("/" is refused in a name)."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; the file's own flush is what counts
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(source: Path, final: Path) -> None:
    """Copy to a temporary name beside the target, flush to the device, then rename over the target."""
    temp = final.with_name(f".{final.stem[:40]}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(source, "rb") as reader, open(temp, "xb") as writer:
            shutil.copyfileobj(reader, writer, 1024 * 1024)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(temp, final)
        _fsync_dir(final.parent)
    except BaseException:
        try:
            temp.unlink()
        except OSError:
            pass
        raise


ROOM_MARGIN = 64 * 1024  # the directory entry, the file system's own bookkeeping


def require_room(folder: Path, size: int) -> None:
    """Refuse before writing when the stick is too full: a half-written file is removed anyway, but the
    user should hear "đầy" in plain words, with how much to free."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # cannot tell: the write itself will say
    if free < size + ROOM_MARGIN:
        need, have = size_text(size + ROOM_MARGIN, round_up=True), size_text(free, round_up=False)
        raise ServiceError(f"“{folder}” không đủ chỗ trống: tệp gửi cần {need}, ổ chỉ còn {have}. Hãy xóa bớt tệp "
                           f"trên USB hoặc dùng USB khác; chưa có gì thay đổi.")


def copy_local(source: Path, dest: Path) -> str:
    """Copy a file (from the stick) to a local path, reading it once; returns its SHA-256."""
    h = hashlib.sha256()
    with open(source, "rb") as reader, open(dest, "wb") as writer:
        for chunk in iter(lambda: reader.read(1024 * 1024), b""):
            h.update(chunk)
            writer.write(chunk)
    return h.hexdigest()


def find_bundles(folder: Path) -> list[Path]:
    """Every .baocao file in a folder or drive (sub-folders included), oldest name first; temporary
    files of an interrupted export (".…tmp") are skipped."""
    found = [p for p in Path(folder).rglob(f"*{SUFFIX}") if p.is_file() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: str(p).lower())


def expand_paths(paths) -> list[Path]:
    """Files as given, folders replaced by the transfer files they hold."""
    result = []
    for p in paths:
        p = Path(p)
        result.extend(find_bundles(p) if p.is_dir() else [p])
    return result
