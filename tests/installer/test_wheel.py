"""A wheel is the whole app (issue 13 point 10): `pip wheel` of the project, installed (not editable) into
a fresh virtual environment and run from a folder that is not the checkout, gives a working `baocao
demo`, command line and GUI, with the templates, formats, dictionary and demo read as package data.

Offline: the new environment gets no downloads. It sees the test environment's installed dependencies
through a .pth file (those of scripts/test.sh's .venv), and the wheel is built without build isolation
when this environment has a build backend (the `test` extra installs one), else with it.
"""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("baocao_desktop", "resources", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
TIMEOUT = 600


def has_offline_backend() -> bool:
    """setuptools ≥ 70.1 builds wheels itself; an older one (≥ 68, pyproject.toml's floor) needs `wheel`."""
    if importlib.util.find_spec("setuptools") is None:
        return False
    import setuptools
    version = tuple(int(x) for x in re.findall(r"\d+", setuptools.__version__)[:2])
    return version >= (70, 1) or (version >= (68, 0) and importlib.util.find_spec("wheel") is not None)


def clean_env(home: Path, **extra) -> dict:
    """No PYTHONPATH (a checkout on it would hide the installed wheel) and a home of its own (the default
    database goes to the user data folder)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__")}
    for name in ("HOME", "USERPROFILE", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "LOCALAPPDATA",
                 "APPDATA"):
        env[name] = str(home / name.lower())
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    env.update(extra)
    return env


def run(cmd, cwd, env, timeout=TIMEOUT):
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=timeout)
    assert result.returncode == 0, f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built from a copy of the sources (a build writes build/ and *.egg-info)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "resources_data")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    out = tmp / "dist"
    isolation = ["--no-build-isolation"] if has_offline_backend() else []
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "--wheel-dir", out, source], tmp,
        clean_env(tmp / "home"))
    (built,) = out.glob("baocao_desktop-*.whl")
    return built


def test_the_wheel_carries_the_data_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    data = "baocao_desktop/resources_data/"
    for path in sorted((ROOT / "resources").rglob("*")):
        if path.is_file():
            assert data + path.relative_to(ROOT / "resources").as_posix() in names
    for required in ("templates/bc_tuan.yaml", "formats/party.yaml", "formats/state.yaml", "demo/lung_phinh.yaml",
                     "indicators.yaml"):
        assert data + required in names
    assert "baocao_desktop/store/migrations/001_initial.sql" in names or any(
        n.startswith("baocao_desktop/store/migrations/") and n.endswith(".sql") for n in names)
    assert not any(n.startswith(("resources/", "tests/")) for n in names)  # nothing at the top of site-packages
    assert any(n.endswith(".dist-info/entry_points.txt") for n in names)


def test_the_installed_wheel_runs_the_demo_cli_and_gui_from_any_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    env = clean_env(tmp_path / "home")
    run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path,
                    env).strip())
    # the dependencies (and pip) of this test environment, without its .pth files: no editable checkout
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "test_environment.pth").write_text("\n".join(sorted(here)) + "\n", encoding="utf-8")
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "--no-compile", wheel],
        tmp_path, env)
    baocao = venv / ("Scripts/baocao.exe" if os.name == "nt" else "bin/baocao")
    elsewhere = tmp_path / "somewhere else"
    elsewhere.mkdir()
    where = run([python, "-c", "import baocao_desktop.resources as r; print(r.__file__); print(r.resources_dir())"],
                elsewhere, env).splitlines()
    assert Path(where[0]).is_relative_to(site) and Path(where[1]) == site / "baocao_desktop" / "resources_data"

    demo = json.loads(run([baocao, "demo", "--json"], elsewhere, env))
    assert "Lùng Phình" in demo["unit"] and len(demo["reports"]) >= 2
    reports = json.loads(run([baocao, "report", "list", "--json"], elsewhere, env))["reports"]
    assert sorted(r["id"] for r in reports) == sorted(demo["reports"])
    assert {r["unit"] for r in reports} == {demo["unit"]} and "bc_tuan" in {r["template"] for r in reports}
    templates = run([baocao, "template", "list"], elsewhere, env)
    assert "bc_tuan" in templates and "bc_giam_sat" in templates
    out = tmp_path / "bao-cao.docx"
    run([baocao, "export", reports[0]["id"], "--docx", out], elsewhere, env)  # formats/party.yaml
    assert zipfile.is_zipfile(out)

    gui = run([baocao], elsewhere, {**env, "BAOCAO_BENCH_EXIT_AFTER_SHOW": "1", "BAOCAO_BENCH_OPEN_REPORT": "1",
                                    "BAOCAO_BENCH_T0": repr(time.time())})
    assert "BAOCAO_BENCH ready=" in gui and "peak_rss_kb=" in gui and "editor=-" not in gui
