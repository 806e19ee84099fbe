"""Start-up time and memory of the GUI against a bare PySide6 window, measured in the same run.

    python bench/startup.py [--runs 7] [--importtime]

(a) baseline: a bare PySide6 QMainWindow script, process start → first paint of the window;
(b) app: `python -m baocao_desktop --db DEMO.sqlite3` (the demo unit and its two reports already in the
    database, as on an ordinary working day), process start → first paint of the main window
    (the app paints its window before opening the database), and
(b') the same run, process start → the report list filled with the demo's reports;
runs alternate a, b, a, b, … after one warm-up of each; the ratio is median(b) / median(a), and
median(b') / median(a) is printed beside it. Each child also reports its own CPU time at the first
paint; their ratio moves less than the elapsed times when other work loads the machine.
(c) peak memory of the app with the demo report open in the report editor.

Goals: ratio ≤ 1.3, memory ≤ 250 MB. See bench/README.md.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 1.3
GOAL_MEMORY_MB = 250

BASELINE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window, self.done = window, False
        window.installEventFilter(self)
    def eventFilter(self, obj, event):
        if not self.done and obj is self.window and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, shown)
        return False

def shown():
    print(f"BAOCAO_BENCH shown={time.time() - float(os.environ['BAOCAO_BENCH_T0']):.4f} "
          f"shown_cpu={time.process_time():.4f}", flush=True)
    import resource
    print(f"BAOCAO_BENCH peak_rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)
    app.quit()

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("baseline")
window.resize(1200, 720)
hook = FirstPaint(window)
window.show()
app.exec()
"""


def start_display() -> subprocess.Popen | None:
    """Use the real display if there is one; else a private Xvfb; else Qt's offscreen platform."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    xvfb = shutil.which("Xvfb")
    if xvfb and sys.platform.startswith("linux"):
        for number in range(99, 120):
            if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
                continue
            proc = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):
                if Path(f"/tmp/.X11-unix/X{number}").exists():
                    os.environ["DISPLAY"] = f":{number}"
                    return proc
                if proc.poll() is not None:
                    break
                time.sleep(0.05)
            proc.kill()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return None


def run_child(cmd: list[str], env: dict, extra: dict | None = None) -> dict:
    child_env = {**env, **(extra or {}), "BAOCAO_BENCH_EXIT_AFTER_SHOW": "1", "BAOCAO_BENCH_T0": repr(time.time())}
    result = subprocess.run(cmd, env=child_env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    found = dict(re.findall(r"BAOCAO_BENCH .*?(\w+)=([\w.]+)", result.stdout))
    for line in result.stdout.splitlines():
        if line.startswith("BAOCAO_BENCH"):
            found.update(dict(part.split("=", 1) for part in line.split()[1:]))
    if "shown" not in found:
        raise SystemExit(f"no timing from {' '.join(cmd)} (exit {result.returncode}):\n"
                         f"{result.stdout}\n{result.stderr[-3000:]}")
    return found


def importtime_report(cmd: list[str], env: dict, top: int = 15) -> str:
    """The slowest imports (cumulative µs) on the way to the first window, from `python -X importtime`."""
    child_env = {**env, "BAOCAO_BENCH_EXIT_AFTER_SHOW": "1", "BAOCAO_BENCH_T0": repr(time.time()),
                 "BAOCAO_BENCH_MARK_STDERR": "1"}
    result = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], env=child_env, capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    before, _, after = result.stderr.partition("BAOCAO_BENCH shown")
    return (_import_table(before, top, "before the main window is painted") + "\n\n"
            + _import_table(after, top, "after the first paint, until the report list is filled"))


def _import_table(stderr: str, top: int, when: str) -> str:
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            rows.append((int(match.group(2)), len(match.group(3)), match.group(4)))
    top_level = sorted((r for r in rows if r[1] <= 2), reverse=True)[:top]
    heavy = sorted({name.split(".")[0] for _, _, name in rows} & {"docx", "lxml", "matplotlib", "numpy", "PIL"})
    lines = [f"Slowest imports {when} (cumulative):"]
    lines += [f"{us / 1000:8.1f} ms  {name}" for us, _, name in top_level]
    lines.append(f"heavy modules (docx, lxml, matplotlib, numpy, PIL): {', '.join(heavy) or 'none'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--importtime", action="store_true", help="also list the slowest start-up imports")
    args = parser.parse_args()

    display = start_display()
    tmp = Path(tempfile.mkdtemp(prefix="baocao-bench-"))
    try:
        # Compiled bytecode, as an installed app has: the warm-up runs write it to a private cache (also
        # for a read-only checkout). PYTHONDONTWRITEBYTECODE set to anything, even "0", would stop that.
        env = {**os.environ, "XDG_CONFIG_HOME": str(tmp / "config"), "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        db = tmp / "demo.sqlite3"
        subprocess.run([sys.executable, "-m", "baocao_desktop", "demo", "--db", str(db)], env=env, check=True,
                       capture_output=True, cwd=ROOT)
        baseline_file = tmp / "baseline.py"
        baseline_file.write_text(BASELINE, encoding="utf-8")
        baseline_cmd = [sys.executable, str(baseline_file)]
        app_cmd = [sys.executable, "-m", "baocao_desktop", "--db", str(db)]

        run_child(baseline_cmd, env)  # warm-up: page cache, .pyc files
        run_child(app_cmd, env)
        base_times, app_times, ready_times, base_cpu, app_cpu = [], [], [], [], []
        base_mem = 0
        for _ in range(args.runs):
            base = run_child(baseline_cmd, env)
            base_times.append(float(base["shown"]))
            base_cpu.append(float(base["shown_cpu"]))
            base_mem = max(base_mem, int(base.get("peak_rss_kb", 0)))
            app = run_child(app_cmd, env)
            app_times.append(float(app["shown"]))
            app_cpu.append(float(app["shown_cpu"]))
            ready_times.append(float(app["ready"]))
        run_child(app_cmd, env, {"BAOCAO_BENCH_OPEN_REPORT": "1"})  # warm-up: the editor's .pyc files
        editor_run = run_child(app_cmd, env, {"BAOCAO_BENCH_OPEN_REPORT": "1"})
        app_mem_kb = int(editor_run["peak_rss_kb"])
        children_kb = None
        if sys.platform.startswith("linux"):
            import resource
            children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child

        base_median, app_median = statistics.median(base_times), statistics.median(app_times)
        ratio = app_median / base_median
        pair_ratios = [b / a for a, b in zip(base_times, app_times)]
        platform = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "default")
        print(f"Qt platform: {platform}    runs: {args.runs} alternating (after one warm-up each)")
        print(f"{'':34}{'median':>9}{'min':>9}{'max':>9}")
        print(f"{'(a) bare PySide6 QMainWindow':34}{base_median:8.3f}s{min(base_times):8.3f}s{max(base_times):8.3f}s")
        print(f"{'(b) BaoCao main window, demo db':34}{app_median:8.3f}s{min(app_times):8.3f}s{max(app_times):8.3f}s")
        ready_median = statistics.median(ready_times)
        label = "(b') … report list filled"
        print(f"{label:34}{ready_median:8.3f}s{min(ready_times):8.3f}s{max(ready_times):8.3f}s")
        print(f"ratio median(b)/median(a) = {ratio:.2f}   (per-pair median {statistics.median(pair_ratios):.2f}; "
              f"goal ≤ {GOAL_RATIO})  {'OK' if ratio <= GOAL_RATIO else 'OVER GOAL'}")
        print(f"ratio median(b')/median(a) = {ready_median / base_median:.2f}   (window with data)")
        base_cpu_median, app_cpu_median = statistics.median(base_cpu), statistics.median(app_cpu)
        print(f"CPU time to the first paint: (a) {base_cpu_median:.3f}s  (b) {app_cpu_median:.3f}s  "
              f"ratio {app_cpu_median / base_cpu_median:.2f}   (load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs)")
        print(f"(c) peak memory, report open in the editor ({editor_run.get('editor', '?')}): "
              f"{app_mem_kb / 1024:.0f} MB (goal ≤ {GOAL_MEMORY_MB} MB)  "
              f"{'OK' if app_mem_kb / 1024 <= GOAL_MEMORY_MB else 'OVER GOAL'}")
        if children_kb is not None:
            print(f"    RUSAGE_CHILDREN ru_maxrss (largest child): {children_kb / 1024:.0f} MB; "
                  f"bare window: {base_mem / 1024:.0f} MB")
        if args.importtime:
            print()
            print(importtime_report(app_cmd, env))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if display is not None:
            display.terminate()
            display.wait(5)


if __name__ == "__main__":
    sys.exit(main())
