"""Smoke test of the Windows installer under wine (run by installer/wine_smoke.sh).

    python installer/wine_smoke.py [build/windows/BaoCao-Setup.exe]

In a fresh 64-bit wine prefix (and a private HOME, so nothing reaches the host's desktop or menus):
 1. silent install (`/S`) into %LOCALAPPDATA%\\Programs\\BaoCao; check files, shortcuts, .baocao
    association and the uninstall entry;
 2. with the installed baocao-cmd.exe: `demo` (default data folder: %LOCALAPPDATA%\\BaoCao),
    `report list --json`, `check ID --json`, `export ID --docx` (a valid DOCX: zip with
    word/document.xml), and the same on a database and an output path with Vietnamese letters;
 3. the GUI (BaoCao.exe, offscreen) until the main window is shown and the report list filled
    (the app's BAOCAO_BENCH_EXIT_AFTER_SHOW hook), and once more opened on a .baocao file;
 4. silent uninstall: program, shortcuts, association and uninstall entry gone, data kept;
    reinstall, then `uninstall.exe /S /REMOVEDATA`: data gone.

Test-only helpers (never shipped): stub icuuc.dll (wine lacks Windows' system ICU, which Qt 6.10+
loads) and, if the build contains cryptography, a bcryptprimitives.dll with ProcessPrng.
Wine quirks handled (DESIGN §13): stdout/stderr always pipes; every call under a time limit;
QT_QPA_PLATFORM passed as WINEQT_QPA_PLATFORM.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALL_TIMEOUT = int(os.environ.get("BAOCAO_WINE_TIMEOUT", "240"))
results: list[tuple[str, bool, str]] = []


class Abandon(Exception):
    """A step failed that every later step needs."""


WINDOWS_PROBE = r"""
import json, os, subprocess, sys
from pathlib import Path
result = {}
from baocao_desktop.services import paths
result["data_dir"] = str(paths.data_dir())
result["data_dir_ok"] = Path(paths.data_dir()) == Path(os.environ["LOCALAPPDATA"]) / "BaoCao"
try:
    from baocao_desktop.services.instance_lock import acquire
    db = sys.argv[1]
    lock = acquire(db)
    child = ("import sys; from baocao_desktop.services.instance_lock import acquire; "
             "l = acquire(sys.argv[1]); print('refused' if l is None else 'held')")
    run = lambda: subprocess.run([sys.executable, "-X", "utf8", "-c", child, db], capture_output=True, text=True,
                                 timeout=120).stdout.strip()
    result["second"] = run()
    lock.release()
    result["after_release"] = run()
except Exception as exc:  # reported, not raised: the other probes still run
    result["lock_error"] = repr(exc)
try:
    from baocao_desktop.services.drives import removable_drives
    result["drives"] = [d.title for d in removable_drives()]
except Exception as exc:
    result["drives_error"] = repr(exc)
try:
    from baocao_desktop.document.pdf import find_soffice
    result["soffice"] = str(find_soffice())
except Exception as exc:
    result["soffice_error"] = repr(exc)
try:
    from baocao_desktop.document.windows_office import find_word, libreoffice_from_registry
    result["word"] = str(find_word())
    result["soffice_registry"] = str(libreoffice_from_registry())
except Exception as exc:
    result["word_error"] = repr(exc)
print(json.dumps(result, ensure_ascii=False))
"""


class Wine:
    def __init__(self, base: Path):
        self.base = base
        self.prefix = base / "prefix"
        self.home = base / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.user = os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True,
                                                             text=True).stdout.strip() or "root"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "USER": self.user,
            "LANG": "C.UTF-8",
            "WINEPREFIX": str(self.prefix),
            "WINEARCH": "win64",
            "WINEDEBUG": "-all",
            # no Mono/Gecko download prompts, no menu entries on the host
            "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d",
            "WINEQT_QPA_PLATFORM": "offscreen",
            "DISPLAY": "",
        }
        self.wine = shutil.which("wine") or shutil.which("wine64")
        if not self.wine:
            raise SystemExit("wine is not installed (installer/wine_smoke.sh installs it)")

    @property
    def local_appdata(self) -> Path:
        return self.prefix / "drive_c" / "users" / self.user / "AppData" / "Local"

    def win_path(self, path: Path) -> str:
        """Z:\\... for a host path, C:\\... when inside drive_c."""
        path = Path(path)
        drive_c = self.prefix / "drive_c"
        try:
            return "C:\\" + str(path.relative_to(drive_c)).replace("/", "\\")
        except ValueError:
            return "Z:" + str(path).replace("/", "\\")

    def run(self, args: list[str], extra_env: dict | None = None, timeout: int = CALL_TIMEOUT):
        """wine ARGS with stdout and stderr as pipes (Python aborts in wine if they are not)."""
        env = {**self.env, **(extra_env or {})}
        start = time.time()
        try:
            proc = subprocess.run([self.wine, *args], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or b"").decode("utf-8", "replace")
            err = (exc.stderr or b"").decode("utf-8", "replace")
            return 124, out, err + f"\n[timeout after {timeout}s]", time.time() - start
        return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                proc.stderr.decode("utf-8", "replace"), time.time() - start)

    def reg_query(self, key: str, value: str | None = None) -> str | None:
        args = ["reg", "query", key] + (["/v", value] if value else ["/ve"])
        code, out, _err, _ = self.run(args, timeout=60)
        return out if code == 0 else None

    def wait_server(self) -> None:
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=120, check=False)


def check(name: str, ok: bool, detail: str = "") -> bool:
    results.append((name, bool(ok), detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  — {detail}" if detail else ""), flush=True)
    return bool(ok)


def short(text: str, limit: int = 1500) -> str:
    text = text.strip()
    return text if len(text) <= limit else "…" + text[-limit:]


def build_stubs(base: Path, with_bcrypt: bool) -> list[Path]:
    gcc = shutil.which("x86_64-w64-mingw32-gcc")
    if not gcc:
        raise SystemExit("x86_64-w64-mingw32-gcc missing (installer/wine_smoke.sh installs it)")
    out = []
    sources = [("icuuc_stub.c", "icuuc.dll")] + ([("bcryptprimitives_stub.c", "bcryptprimitives.dll")]
                                                   if with_bcrypt else [])
    for source, dll in sources:
        target = base / "stubs" / dll
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([gcc, "-O2", "-s", "-shared", "-o", str(target), str(ROOT / "installer" / "wine" / source)],
                       check=True)
        out.append(target)
    return out


def docx_ok(path: Path) -> tuple[bool, str]:
    if not path.is_file():
        return False, f"{path} not written"
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = set(archive.namelist())
            xml = archive.read("word/document.xml").decode("utf-8") if "word/document.xml" in names else ""
    except zipfile.BadZipFile as exc:
        return False, f"not a zip: {exc}"
    if bad:
        return False, f"corrupt member {bad}"
    if not xml:
        return False, "no word/document.xml"
    return "BÁO CÁO" in xml or "BÁO CÁO".upper() in xml, f"{path.stat().st_size} bytes, {len(names)} parts"


def main() -> int:
    setup = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build" / "windows" / "BaoCao-Setup.exe").resolve()
    if not setup.is_file():
        raise SystemExit(f"{setup} not found: run installer/build_windows.sh first")
    stage = setup.parent / "stage"
    with_bcrypt = (stage / "Lib" / "site-packages" / "cryptography").is_dir()
    base = Path(tempfile.mkdtemp(prefix="baocao-wine-"))
    keep = os.environ.get("BAOCAO_WINE_KEEP") == "1"
    wine = Wine(base)
    t_start = time.time()
    try:
        # -- prefix -------------------------------------------------------------------------------
        code, _out, err, secs = wine.run(["wineboot", "--init"], timeout=300)
        wine.wait_server()
        system32 = wine.prefix / "drive_c" / "windows" / "system32"
        check("fresh wine prefix (wineboot --init)", code == 0 and system32.is_dir(), f"{secs:.0f} s")
        for stub in build_stubs(base, with_bcrypt):
            shutil.copy2(stub, system32 / stub.name)
        if with_bcrypt:
            wine.env["WINEDLLOVERRIDES"] += ";bcryptprimitives=n,b"

        # -- install ------------------------------------------------------------------------------
        install_dir = wine.local_appdata / "Programs" / "BaoCao"
        data_dir = wine.local_appdata / "BaoCao"
        # wine 8's default prefix says Windows 7: the installer must refuse it (Qt 6 needs 10 1809+)
        code, out, err, secs = wine.run([wine.win_path(setup), "/S"], timeout=600)
        wine.wait_server()
        check("installer refuses Windows 7 (wine's default version)",
              code != 0 and not (install_dir / "BaoCao.exe").exists(), f"exit {code}")
        wine.run(["winecfg", "/v", "win10"], timeout=120)
        wine.wait_server()
        code, out, err, secs = wine.run([wine.win_path(setup), "/S"], timeout=600)
        wine.wait_server()
        if not check("silent install (setup.exe /S) on Windows 10", code == 0 and (install_dir / "BaoCao.exe").is_file(),
                     f"exit {code}, {secs:.0f} s {short(err, 300) if code else ''}"):
            raise Abandon("the installer did not install")
        installed = sum(f.stat().st_size for f in install_dir.rglob("*") if f.is_file())
        check("installed size", installed > 0, f"{installed / 1048576:.0f} MiB in {install_dir}")
        roaming = wine.local_appdata.parent / "Roaming"
        start_menu = roaming / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "BaoCao"
        check("Start-menu shortcuts", (start_menu / "BaoCao.lnk").is_file()
              and (start_menu / "Gỡ cài đặt BaoCao.lnk").is_file(), str(start_menu))
        desktop = wine.prefix / "drive_c" / "users" / wine.user / "Desktop" / "BaoCao.lnk"
        check("desktop shortcut", desktop.is_file(), str(desktop))
        assoc = wine.reg_query(r"HKCU\Software\Classes\.baocao") or ""
        command = wine.reg_query(r"HKCU\Software\Classes\BaoCao.TepGuiBaoCao\shell\open\command") or ""
        check(".baocao association (HKCU)", "BaoCao.TepGuiBaoCao" in assoc and "BaoCao.exe" in command
              and "%1" in command, short(command.strip().splitlines()[-1] if command.strip() else "missing", 200))
        uninst = wine.reg_query(r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\BaoCao",
                                "UninstallString") or ""
        check("uninstall entry (HKCU)", "uninstall.exe" in uninst)

        cmd = wine.win_path(install_dir / "baocao-cmd.exe")
        gui = wine.win_path(install_dir / "BaoCao.exe")

        # -- command line on the default database (%LOCALAPPDATA%\BaoCao) -----------------------------
        code, out, err, secs = wine.run([cmd, "demo"])
        default_db = data_dir / "baocao.sqlite3"
        check("baocao-cmd demo (default data folder)", code == 0 and default_db.is_file(),
              f"exit {code}, {secs:.1f} s, {default_db}" + ("" if code == 0 else "\n" + short(out + err)))
        code, out, err, secs = wine.run([cmd, "report", "list", "--json"])
        reports = []
        try:
            reports = json.loads(out)["reports"]
        except (ValueError, KeyError) as exc:
            err += f"\n[json: {exc}]"
        check("baocao-cmd report list --json", code == 0 and len(reports) >= 1,
              f"{len(reports)} reports, {secs:.1f} s" + ("" if reports else "\n" + short(out + err)))
        report_id = reports[0]["id"] if reports else "missing"
        code, out, err, secs = wine.run([cmd, "check", report_id, "--json"])
        findings = None
        try:
            findings = json.loads(out)["findings"]
        except (ValueError, KeyError) as exc:
            err += f"\n[json: {exc}]"
        check("baocao-cmd check ID --json", code == 0 and isinstance(findings, list),
              f"{len(findings or [])} findings, {secs:.1f} s" + ("" if findings is not None else "\n" + short(out + err)))
        out_docx = wine.prefix / "drive_c" / "users" / wine.user / "bc.docx"
        code, out, err, secs = wine.run([cmd, "export", report_id, "--docx", wine.win_path(out_docx)])
        ok, detail = docx_ok(out_docx)
        check("baocao-cmd export ID --docx → valid DOCX", code == 0 and ok,
              f"{detail}, {secs:.1f} s" + ("" if code == 0 else "\n" + short(out + err)))

        # -- Vietnamese letters in the database and output paths ---------------------------------------
        viet_dir = wine.prefix / "drive_c" / "Dữ liệu xã Lùng Phình"
        viet_dir.mkdir(parents=True, exist_ok=True)
        viet_db = viet_dir / "Báo cáo tuần.sqlite3"
        code, out, err, _ = wine.run([cmd, "demo", "--db", wine.win_path(viet_db)])
        code2, out2, err2, _ = wine.run([cmd, "report", "list", "--json", "--db", wine.win_path(viet_db)])
        viet_reports = []
        try:
            viet_reports = json.loads(out2)["reports"]
        except (ValueError, KeyError):
            pass
        viet_docx = viet_dir / "Báo cáo tuần số 1.docx"
        if viet_reports:
            code3, out3, err3, _ = wine.run([cmd, "export", viet_reports[0]["id"], "--db", wine.win_path(viet_db),
                                             "--docx", wine.win_path(viet_docx)])
        else:
            code3, out3, err3 = 1, "", "no report"
        ok, detail = docx_ok(viet_docx)
        check("Vietnamese paths (database and DOCX)", code == 0 and code2 == 0 and code3 == 0 and ok
              and viet_db.is_file(), detail + ("" if ok else "\n" + short(out + err + out2 + err2 + out3 + err3)))

        # -- Windows code paths, in the installed Python ------------------------------------------------
        probe = wine.prefix / "drive_c" / "probe_windows.py"
        probe.write_text(WINDOWS_PROBE, encoding="utf-8")
        code, out, err, secs = wine.run([wine.win_path(install_dir / "python.exe"), "-X", "utf8",
                                         wine.win_path(probe), wine.win_path(viet_dir / "khóa.sqlite3")])
        try:
            probed = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            probed = {}
        check("data folder is %LOCALAPPDATA%\\BaoCao (platformdirs)", probed.get("data_dir_ok") is True,
              probed.get("data_dir", short(out + err, 600)))
        check("single-instance lock (msvcrt) refuses a second process", probed.get("second") == "refused"
              and probed.get("after_release") == "held", f"{probed.get('second')}, then {probed.get('after_release')}")
        check("removable drives listed without error (GetDriveTypeW)", isinstance(probed.get("drives"), list),
              f"{probed.get('drives')} (wine has no USB sticks)")
        check("LibreOffice lookup runs (find_soffice)", "soffice" in probed, str(probed.get("soffice")))
        check("Word and LibreOffice registry lookups run (winreg)", "word" in probed and "soffice_registry" in probed,
              f"Word: {probed.get('word', probed.get('word_error'))}, LibreOffice (registry): "
              f"{probed.get('soffice_registry')} (neither is installed in the wine prefix)")

        # -- signed transfer file (when the build has cryptography and the CLI has `bundle`) ----------
        code, out, err, _ = wine.run([cmd, "--help"])
        if with_bcrypt and "bundle" in out:
            # commune: key file + signed transfer file; upper level: register the key, verify, import
            bundle = viet_dir / "gửi cấp trên.baocao"
            key = viet_dir / "khóa Lùng Phình.pub"
            upper = viet_dir / "cấp trên.sqlite3"
            args = [cmd, "bundle", "export", "--out", wine.win_path(bundle), "--keep-status"]
            for report in reports:
                args += ["--report", report["id"]]
            steps = [("export", args),
                     ("key export", [cmd, "unit", "key", "export", wine.win_path(key)]),
                     ("register", [cmd, "unit", "register", wine.win_path(key), "--db", wine.win_path(upper)]),
                     ("verify", [cmd, "bundle", "verify", wine.win_path(bundle), "--db", wine.win_path(upper)]),
                     ("import", [cmd, "bundle", "import", wine.win_path(bundle), "--db", wine.win_path(upper)])]
            log, failed_step, secs_total = "", None, 0.0
            # verify and import read the file in a worker process, as a large batch does: the worker must
            # start under the launcher (spawn_context → pythonw.exe); "require" makes a fallback to the
            # main process an error
            workers = {"BAOCAO_IMPORT_PROCESSES": "require"}
            for name, step in steps:
                code, out, err, secs = wine.run(step, workers if name in ("verify", "import") else None)
                secs_total += secs
                log += f"[{name}] exit {code}\n{out}{err}"
                if code != 0 or "worker processes failed" in err:
                    failed_step = name
                    break
            code, out, err, _ = wine.run([cmd, "report", "list", "--json", "--db", wine.win_path(upper)])
            try:
                received = len(json.loads(out)["reports"])
            except (ValueError, KeyError):
                received = 0
            check("signed transfer file: export, register key, verify, import (cryptography, Ed25519; "
                  "verified in a worker process)",
                  failed_step is None and received == len(reports),
                  f"{bundle.stat().st_size if bundle.is_file() else 0} bytes, {received} reports at the upper "
                  f"level, {secs_total:.1f} s" + ("" if failed_step is None else f"\nfailed at {failed_step}:\n"
                                                   + short(log)))

        # -- GUI, offscreen -----------------------------------------------------------------------------
        bench = {"BAOCAO_BENCH_EXIT_AFTER_SHOW": "1"}
        for label, exe in (("GUI BaoCao.exe", gui), ("GUI via baocao-cmd.exe", cmd)):
            code, out, err, secs = wine.run([exe, "--db", wine.win_path(viet_db)],
                                            {**bench, "BAOCAO_BENCH_T0": repr(time.time())})
            marks = dict(part.split("=", 1) for line in out.splitlines() if line.startswith("BAOCAO_BENCH")
                         for part in line.split()[1:] if "=" in part)
            if exe == gui and code == 0 and not marks:
                # a GUI-subsystem exe may have no std handles under wine: exit 0 is all we can see
                check(f"{label} starts and quits after show (exit code only)", True, f"{secs:.1f} s")
                continue
            check(f"{label}: main window shown, report list filled", code == 0 and "ready" in marks,
                  f"shown {marks.get('shown', '?')} s, ready {marks.get('ready', '?')} s (wine, offscreen)"
                  + ("" if code == 0 and "ready" in marks else f"\nexit {code}\n" + short(out + err)))
        transfer = viet_dir / "gói gửi.baocao"
        transfer.write_bytes(b"")
        code, out, err, secs = wine.run([gui, wine.win_path(transfer)], {**bench, "BAOCAO_BENCH_T0": repr(time.time())})
        check("BaoCao.exe FILE.baocao (what the association runs) opens the GUI", code == 0,
              f"exit {code}, {secs:.1f} s" + ("" if code == 0 else "\n" + short(out + err)))

        # -- BaoCao still open: reinstall and uninstall must refuse and change nothing --------------------
        running = subprocess.Popen([wine.wine, gui], env=wine.env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lock_file = data_dir / "baocao.sqlite3.lock"
        began = time.time()
        while time.time() - began < 120 and not (lock_file.is_file() and lock_file.stat().st_size > 0):
            time.sleep(1)
        time.sleep(3)
        code_setup, _o, _e, _s = wine.run([wine.win_path(setup), "/S"], timeout=600)
        wine.run([wine.win_path(install_dir / "uninstall.exe"), "/S"], timeout=120)
        time.sleep(15)  # the uninstaller runs from %TEMP% after `wine` returns
        intact = all((install_dir / name).exists() for name in ("BaoCao.exe", "python311.dll", "Lib", "app",
                                                                 "uninstall.exe"))
        check("while BaoCao is open, setup /S and uninstall /S refuse and remove nothing",
              running.poll() is None and code_setup != 0 and intact,
              f"GUI running: {running.poll() is None}, setup exit {code_setup}, program intact: {intact}")
        subprocess.run(["wineserver", "-k"], env=wine.env, timeout=60, check=False)
        running.wait(timeout=60)

        # -- uninstall (data kept) ----------------------------------------------------------------------
        def uninstall(extra: list[str]) -> tuple[int, float]:
            code, _o, _e, _s = wine.run([wine.win_path(install_dir / "uninstall.exe"), "/S", *extra], timeout=120)
            began = time.time()  # the NSIS uninstaller copies itself to %TEMP% and returns at once
            while (install_dir / "BaoCao.exe").exists() and time.time() - began < 120:
                time.sleep(1)
            wine.wait_server()
            return code, time.time() - began

        code, secs = uninstall([])
        check("silent uninstall removes the program", code == 0 and not (install_dir / "BaoCao.exe").exists()
              and not (install_dir / "Lib").exists(), f"{secs:.0f} s")
        check("uninstall removes shortcuts", not (start_menu / "BaoCao.lnk").exists() and not desktop.exists())
        check("uninstall removes association and entry",
              wine.reg_query(r"HKCU\Software\Classes\BaoCao.TepGuiBaoCao") is None
              and wine.reg_query(r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\BaoCao",
                                 "UninstallString") is None)
        check("uninstall keeps the user's data", default_db.is_file(), str(default_db))

        # -- reinstall, then uninstall /REMOVEDATA ------------------------------------------------------
        code, _o, err, _ = wine.run([wine.win_path(setup), "/S"], timeout=600)
        wine.wait_server()
        code2, out2, err2, _ = wine.run([cmd, "report", "list", "--json"])
        try:
            kept = json.loads(out2).get("reports", [])
        except ValueError:
            kept = []
        check("reinstall finds the kept data", code == 0 and code2 == 0 and len(kept) == len(reports),
              f"{len(kept)} reports" + ("" if kept else "\n" + short(out2 + err2, 600)))
        code, secs = uninstall(["/REMOVEDATA"])
        check("uninstall /S /REMOVEDATA removes the data too", code == 0 and not data_dir.exists()
              and not (install_dir / "BaoCao.exe").exists(), f"{secs:.0f} s")
    except Abandon as exc:
        check("smoke test abandoned", False, str(exc))
    finally:
        subprocess.run(["wineserver", "-k"], env=wine.env, timeout=60, check=False)
        if keep:
            print(f"(prefix kept: {base})")
        else:
            shutil.rmtree(base, ignore_errors=True)
    failed = [name for name, ok, _ in results if not ok]
    print()
    print(f"wine smoke test: {len(results) - len(failed)} passed, {len(failed)} failed "
          f"in {time.time() - t_start:.0f} s")
    print("Not testable under wine: real look and feel (fonts, DPI, themes), printing, removable "
          "drives, SmartScreen/anti-virus reactions, Explorer double-click and Start-menu launch, "
          "the real Windows ICU.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
