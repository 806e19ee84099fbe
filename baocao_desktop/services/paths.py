"""Per-user data folder (%LOCALAPPDATA%\\BaoCao on Windows, ~/.local/share/BaoCao on Linux)."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "BaoCao"


def data_dir() -> Path:
    override = os.environ.get("BAOCAO_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_db_path() -> Path:
    return data_dir() / "baocao.sqlite3"


def unused_path(folder: Path, stem: str, suffix: str) -> Path:
    """`folder/stem+suffix`, or `stem-2`, `stem-3`… when that file exists: a new file never overwrites one."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate
