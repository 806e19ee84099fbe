"""UI-thread time of typing in the report editor on a report the size of seed 002 (600 paragraphs, 300 figures).

Measures, in one run (medians, and ratios against the baseline (a)). A keystroke is typed every 4 ms (a
fast typist); its time runs from the moment it was due (the end of the 4 ms) until press and release are
handled, so waiting for the GIL held by the worker counts:

 (a) baseline: a keystroke into a bare QTextEdit holding the same section text;
 (b) a keystroke into the editor's narrative, nothing else running;
 (c) a keystroke into the editor's narrative while the proofreader works on the worker thread (only the
     keystrokes typed while the proofreading function runs count), with Python's default GIL switch
     interval (5 ms) and with the editor's shorter one while a job runs (alternating runs);
 (d) the check cycle that follows a burst of typing, as the UI thread sees it:
     before: the whole check on the UI thread (`Workspace.check` with the proofreader, then the panel),
             which is how long every keystroke typed meanwhile had to wait;
     after:  `ReportEditor.run_checks()`: figure checks and the panel on the UI thread, the proofreading
             handed to a worker;
 (e) the worker's proofreading of the whole text: first run, and after one paragraph changed (the readings
     of unchanged paragraphs are reused).

    QT_QPA_PLATFORM=offscreen python bench/editor_typing.py [--keys 200] [--runs 9]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def median_ms(samples) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent, QTextCursor
    from PySide6.QtWidgets import QApplication, QTextEdit

    import baocao_desktop.checks.proofread as proofread_module
    import baocao_desktop.ui.editor.proofreading as editor_module
    from baocao_desktop.ui.editor.window import ReportEditor
    from checks import PARAGRAPHS_PER_SECTION, SECTIONS, build  # bench/checks.py: the same big report

    app = QApplication.instance() or QApplication([])

    def key(widget, ch: str) -> float:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

    def typed_key(widget, ch: str) -> float:
        """Wait 4 ms, then type: the time from when the key was due until it is handled."""
        due = time.perf_counter() + 0.004
        time.sleep(0.004)
        key(widget, ch)
        return time.perf_counter() - due

    # the proofreading function, timed where it runs (the worker), and a flag while it runs
    running = threading.Event()
    worker_times: list[float] = []
    original = proofread_module.proofread_report

    def timed(*a, **kw):
        running.set()
        start = time.perf_counter()
        try:
            return original(*a, **kw)
        finally:
            worker_times.append(time.perf_counter() - start)
            running.clear()

    proofread_module.proofread_report = timed

    with tempfile.TemporaryDirectory() as tmp:
        ws, report_id = build(Path(tmp))
        editor = ReportEditor(ws, report_id)
        editor.resize(1366, 768)
        editor.show()
        section = "50"
        editor.select_section(section)
        while editor.proofreading:
            app.processEvents()
        first_run = worker_times[-1]
        narrative = editor.narrative
        narrative.setFocus()

        bare = QTextEdit()
        bare.setDocument(narrative.document().clone(bare))
        bare.resize(700, 300)
        bare.show()
        bare.moveCursor(QTextCursor.MoveOperation.End)
        app.processEvents()

        text = "abc "
        a, b = [], []
        shipped = editor_module.WORKER_SWITCH_INTERVAL
        c: dict = {None: [], shipped: []}
        for i in range(args.keys):
            a.append(typed_key(bare, text[i % 4]))
        narrative.moveCursor(QTextCursor.MoveOperation.End)
        for i in range(args.keys):
            b.append(typed_key(narrative, text[i % 4]))
        editor._save_timer.stop()  # (b) measured the keystroke only
        editor._check_timer.stop()

        # (c): start a proofreading of the saved text, type while it runs; events are not processed
        # meanwhile, so no save or check of the typed text interferes with the measurement
        before_cycle, after_cycle, recheck = [], [], []
        for _ in range(args.runs):
            for interval in (None, shipped):
                editor_module.WORKER_SWITCH_INTERVAL = interval
                key(narrative, "y")  # a change, so that there is something to proofread
                editor.flush()
                editor._check_timer.stop()
                editor.run_checks()  # starts the job (the text changed)
                deadline = time.perf_counter() + 10
                while not running.is_set() and editor.proofreading and time.perf_counter() < deadline:
                    time.sleep(0.0005)
                typed = 0
                while running.is_set() and typed < args.keys:
                    duration = typed_key(narrative, text[typed % 4])
                    if running.is_set():
                        c[interval].append(duration)
                    typed += 1
                while editor.proofreading:
                    app.processEvents()
                recheck.append(worker_times[-1])
                editor._save_timer.stop()
                editor._check_timer.stop()
            editor_module.WORKER_SWITCH_INTERVAL = shipped
            # (d) before: the whole check on the UI thread, then the panel
            editor.flush()
            editor._check_timer.stop()
            start = time.perf_counter()
            editor.session.figure_findings = ws.check(report_id)
            editor.session.merge_findings()
            editor._show_findings()
            before_cycle.append(time.perf_counter() - start)
            # (d) after: what the editor does now after a burst of typing
            key(narrative, "x")
            editor.flush()
            editor._check_timer.stop()
            start = time.perf_counter()
            editor.run_checks()
            after_cycle.append(time.perf_counter() - start)
            while editor.proofreading:
                app.processEvents()
        editor.close()
        bare.close()
        ws.close()
    proofread_module.proofread_report = original

    ma = median_ms(a)
    print(f"report: {SECTIONS * PARAGRAPHS_PER_SECTION} paragraphs in {SECTIONS} sections, 300 figures; "
          f"{args.keys} keys per sample, {args.runs} check cycles")
    rows = [
        ("(a) keystroke, bare QTextEdit (baseline)", ma, len(a)),
        ("(b) keystroke, editor, idle", median_ms(b), len(b)),
        ("(c) keystroke, proofreader running, 5 ms", median_ms(c[None]) if c[None] else float("nan"),
         len(c[None])),
        (f"(c) keystroke, proofreader running, {shipped * 1000:g} ms",
         median_ms(c[shipped]) if c[shipped] else float("nan"), len(c[shipped])),
        ("(d) check cycle on the UI thread, before", median_ms(before_cycle), len(before_cycle)),
        ("(d) check cycle on the UI thread, after", median_ms(after_cycle), len(after_cycle)),
    ]
    for label, value, n in rows:
        print(f"{label:46s} {value:9.3f} ms   ratio {value / ma:8.1f}×   (n={n})")
    for interval, samples in c.items():
        if samples:
            samples = sorted(samples)
            label = f"    (c) {interval * 1000 if interval else 5:g} ms: 90th percentile / slowest"
            print(f"{label:46s} {samples[int(len(samples) * 0.9)] * 1000:9.3f} ms / {samples[-1] * 1000:.3f} ms")
    print(f"(e) worker: proofreading, first run             {first_run * 1000:9.1f} ms")
    print(f"(e) worker: after one paragraph changed         {median_ms(recheck):9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
