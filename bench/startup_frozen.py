"""Start-up of the frozen (PyInstaller onedir) app next to the unfrozen one, measured in the same run.

    bash installer/build_linux.sh                  # makes build/linux/dist/BaoCao/BaoCao
    .venv/bin/python bench/startup_frozen.py [--runs 7] [--app build/linux/dist/BaoCao/BaoCao]

(u) unfrozen: `python -m baocao_desktop --db DEMO` (the venv's Python, .pyc files warm)
(f) frozen:   `build/linux/dist/BaoCao/BaoCao --db DEMO`
each: process start → first paint of the main window (shown) and → report list filled (ready);
runs alternate u, f, u, f, … after one warm-up of each; the ratio is median(f) / median(u).
Same display handling and hooks as bench/startup.py (Xvfb if there is no display, else offscreen).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import ROOT, run_child, start_display  # noqa: E402

DEFAULT_APP = ROOT / "build" / "linux" / "dist" / "BaoCao" / "BaoCao"


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1048576


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--app", type=Path, default=DEFAULT_APP)
    args = parser.parse_args()
    if not args.app.is_file():
        raise SystemExit(f"{args.app} not found: run `bash installer/build_linux.sh` first")

    display = start_display()
    tmp = Path(tempfile.mkdtemp(prefix="baocao-bench-frozen-"))
    try:
        env = {**os.environ, "XDG_CONFIG_HOME": str(tmp / "config")}
        db = tmp / "demo.sqlite3"
        subprocess.run([sys.executable, "-m", "baocao_desktop", "demo", "--db", str(db)], env=env, check=True,
                       capture_output=True, cwd=ROOT)
        commands = {"u": [sys.executable, "-m", "baocao_desktop", "--db", str(db)],
                    "f": [str(args.app), "--db", str(db)]}
        for cmd in commands.values():
            run_child(cmd, env)  # warm-up: page cache, .pyc files
        shown = {"u": [], "f": []}
        ready = {"u": [], "f": []}
        for _ in range(args.runs):
            for key, cmd in commands.items():
                marks = run_child(cmd, env)
                shown[key].append(float(marks["shown"]))
                ready[key].append(float(marks["ready"]))

        platform = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "default")
        print(f"Qt platform: {platform}    runs: {args.runs} alternating (after one warm-up each)")
        print(f"frozen app: {args.app}  ({folder_mb(args.app.parent):.0f} MiB on disk)")
        print(f"{'':40}{'median':>9}{'min':>9}{'max':>9}")
        rows = (("(u) unfrozen, main window shown", shown["u"]), ("(f) frozen, main window shown", shown["f"]),
                ("(u') unfrozen, report list filled", ready["u"]), ("(f') frozen, report list filled", ready["f"]))
        for label, values in rows:
            print(f"{label:40}{statistics.median(values):8.3f}s{min(values):8.3f}s{max(values):8.3f}s")
        print(f"ratio frozen/unfrozen: shown {statistics.median(shown['f']) / statistics.median(shown['u']):.2f}, "
              f"ready {statistics.median(ready['f']) / statistics.median(ready['u']):.2f}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if display is not None:
            display.terminate()
            display.wait(5)


if __name__ == "__main__":
    sys.exit(main())
