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
