"""The structured checks of one weekly report (`checks.report_checks.check_report`), as an import runs them
once per received file (issue 19 point 10: 5,200 weekly reports).

Set-up: a commune installation (temporary database) with the demo's unit, profile and signers, and the weeks
of bench/exchange.py (the demo's week, figures varied per week, lũy kế adding up week after week), each week's
report with its real context (`Workspace.check_context`, read once: not timed). Measured, CPU seconds
(time.process_time) per report, median of the rounds:
  (baseline) `copy.deepcopy(report)`, something stable to ratio against on a shared machine;
  (checks)   `check_report(template, report, context)`;
  (import)   the same with the context a received report has (another unit's: no profile, no header items).
Goal: ≤ 1 ms a report.

    python bench/check_report.py [--weeks 52] [--rounds 15] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import copy
import dataclasses
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import yaml  # noqa: E402

from baocao_desktop.checks.report_checks import check_report  # noqa: E402
from baocao_desktop.services.workspace import Workspace  # noqa: E402
from exchange import week_data, week_start  # noqa: E402  (bench/exchange.py: the import's weekly files)


def build(folder: Path, weeks: int) -> list[tuple]:
    """(template, report, context, received context) of each week's report."""
    demo = yaml.safe_load((ROOT / "resources" / "demo" / "lung_phinh.yaml").read_text(encoding="utf-8"))
    week = next(r for r in demo["reports"] if r["template"] == "bc_tuan")
    ws = Workspace(folder / "bench.sqlite3", author="bench")
    try:
        ws.save_unit(**demo["unit"])
        ws.set_signers(demo["signers"])
        for fact in demo.get("profile_facts") or []:
            ws.add_profile_fact(fact["code"], fact.get("label", ""), str(fact["value"]), fact.get("unit", ""),
                                fact["as_of"], fact.get("names") or ())
        ids = []
        for w in range(weeks):
            report = ws.create_report("bc_tuan", week_start(w), number=str(100 + w))
            ws.fill_report(report.id, week_data(week, 0, w, demo["unit"]["place_name"]))
            ids.append(report.id)
        out = []
        for report_id in ids:
            report = ws.report(report_id)
            context = ws.check_context(report)
            received = dataclasses.replace(context, profile={}, profile_later={}, document_items=None,
                                           unit_founded_on=None)
            out.append((ws.report_template(report), report, context, received))
        return out
    finally:
        ws.close()


def cpu_per_report(items, work, repeat: int) -> float:
    """CPU milliseconds of `work(item)` per report, over `repeat` passes over every item."""
    start = time.process_time()
    for _ in range(repeat):
        for item in items:
            work(item)
    return (time.process_time() - start) * 1000 / repeat / len(items)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=10, help="passes over the reports in one round")
    parser.add_argument("--profile", action="store_true", help="list check_report's functions by CPU time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        items = build(Path(tmp), args.weeks)
    findings = [len(check_report(t, r, c)) for t, r, c, _ in items]  # warm-up: the per-template cache filled
    baseline = lambda item: copy.deepcopy(item[1])  # noqa: E731
    checks = lambda item: check_report(item[0], item[1], item[2])  # noqa: E731
    received = lambda item: check_report(item[0], item[1], item[3])  # noqa: E731
    base, full, imported = [], [], []
    for _ in range(args.rounds):  # interleaved: a busy spell of the machine hits all three alike
        base.append(cpu_per_report(items, baseline, args.repeat))
        full.append(cpu_per_report(items, checks, args.repeat))
        imported.append(cpu_per_report(items, received, args.repeat))
    b, f, i = (statistics.median(x) for x in (base, full, imported))
    print(f"{len(items)} weekly reports (bc_tuan), {sum(findings)} findings, {args.rounds} rounds × "
          f"{args.repeat} passes; CPU ms a report (median)")
    print(f"(baseline) copy.deepcopy(report)            {b:7.3f} ms")
    print(f"(checks)   check_report, own context        {f:7.3f} ms   ratio {f / b:5.2f}   goal ≤ 1 ms")
    print(f"(import)   check_report, received context   {i:7.3f} ms   ratio {i / b:5.2f}   goal ≤ 1 ms")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            for item in items:
                received(item)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
