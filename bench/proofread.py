"""Speed of the proofreader on the biggest seed (DESIGN §12: a ratio against a baseline in the same run).

    python bench/proofread.py [--seed FILE] [--runs 15]

Prints, as medians of N runs on the same machine: the full proofread of the file (read + all 12 categories),
a bare pass over the text (`re.findall(r"\\d", text)`), and a tokenize-only pass (every paragraph read by the
figure reader), with the ratios of the full run to each. Goal (issue 5): seed 002 (136 KB) in ≤ 1 s median.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao_desktop.checks.proofread import CHECKS, proofread_file, read_file  # noqa: E402
from baocao_desktop.checks.proofread.context import infer  # noqa: E402
from baocao_desktop.checks.proofread.document import Document, build  # noqa: E402
from baocao_desktop.checks.proofread.reader import _parse, scan  # noqa: E402
from baocao_desktop.domain.richtext import normalize  # noqa: E402

DEFAULT_SEED = ROOT / "tests" / "fixtures" / "seeds" / "002_23fbb3a3a871c589.txt"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    path = args.seed
    text = path.read_text(encoding="utf-8")
    lines = normalize(text).split("\n")

    def bare():
        return re.findall(r"\d", text)

    def tokenize():
        _parse.cache_clear()
        return [scan(line) for line in lines]

    def full():
        _parse.cache_clear()  # no help from an earlier run
        return proofread_file(path)

    findings = full()  # warm imports (python-docx is not loaded for a .txt)
    bare_ms = median_ms(bare, args.runs)
    token_ms = median_ms(tokenize, args.runs)
    full_ms = median_ms(full, args.runs)
    # where the time goes: one category at a time on a fresh document
    source = read_file(path)
    per = {}
    for name, module in CHECKS.items():
        def one(module=module):
            doc = Document(build(source.paragraphs, None, "line"))
            doc.facts = infer([p.text for p in doc.paras], None)
            for p in doc.paras:
                p.scan  # noqa: B018  read once, as the full run does
            start = time.perf_counter()
            module.check(doc)
            return time.perf_counter() - start
        per[name] = statistics.median(one() for _ in range(max(3, args.runs // 3))) * 1000

    size_kb = path.stat().st_size / 1024
    print(f"file: {path.name} ({size_kb:.0f} KB, {len(lines)} lines), {len(findings)} findings, {args.runs} runs")
    print(f"bare pass re.findall(\\d):     {bare_ms:8.2f} ms")
    print(f"tokenize only (reader.scan):  {token_ms:8.2f} ms")
    print(f"full proofread:               {full_ms:8.2f} ms   (goal ≤ 1000 ms: {'OK' if full_ms <= 1000 else 'TOO SLOW'})")
    print(f"ratio full / bare:            {full_ms / bare_ms:8.1f}×")
    print(f"ratio full / tokenize:        {full_ms / token_ms:8.1f}×")
    print("per category (median ms):     " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(per.items(), key=lambda kv: -kv[1])))
    return 0 if full_ms <= 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
