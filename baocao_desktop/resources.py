"""Where the shipped data files (templates, formats, indicator dictionary, demo) live.

The top-level `resources/` folder of the repository is their source. A wheel carries a copy as package
data, `baocao_desktop/resources_data/` (setup.py's build step), read through importlib.resources; a
checkout (and the Windows installer's app folder, the same layout) reads `resources/` beside the package;
a PyInstaller build unpacks it to `_MEIPASS/resources`. BAOCAO_RESOURCES overrides all three.
"""
from __future__ import annotations

import os
import sys
from importlib import resources as importlib_resources
from pathlib import Path

PACKAGE_DATA = "resources_data"  # inside the package, in a wheel only


def resources_dir() -> Path:
    override = os.environ.get("BAOCAO_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    packaged = importlib_resources.files(__package__) / PACKAGE_DATA
    if packaged.is_dir():  # an installed wheel: a folder on disk (the package is never imported from a zip)
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
