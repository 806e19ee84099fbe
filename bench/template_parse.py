"""Reading a template is linear in its size (issue 19.1): the time of a template with 2n sections and
indicators over the time of one with n, in the same run (≈2 is linear; 4 would be quadratic), and how
fast the limits refuse hostile templates (an alias bomb, 200,000 sections).

    .venv/bin/python bench/template_parse.py [--n 1500]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from baocao_desktop.templates.model import TemplateError, parse_template  # noqa: E402


def template(n: int) -> str:
    indicators = "".join(f"  - {{code: ct_{i}, label: Chỉ tiêu {i}, unit: hộ, kind: count, range: [0, 9]}}\n"
                         for i in range(n))
    sections = "".join(f'  - {{number: "{i + 1}.", title: Mục {i}, indicators: [ct_{i}]}}\n' for i in range(n))
    return f"code: lon\nversion: 1\nname: Mẫu lớn\nperiod: month\nindicators:\n{indicators}sections:\n{sections}"


def best(text: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            parse_template(text, origin="bench")
        except TemplateError:
            pass
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1500)
    args = parser.parse_args()
    small, large = best(template(args.n)), best(template(2 * args.n))
    print(f"{args.n} sections: {small * 1000:.0f} ms; {2 * args.n}: {large * 1000:.0f} ms; "
          f"ratio {large / small:.2f} (linear ≈ 2, quadratic ≈ 4)")
    bomb = "code: x\n" + 'a0: &a0 ["ha", "ha", "ha"]\n' + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 30))
    huge = "code: x\nsections:\n" + "".join(f'  - {{number: "{i}.", title: M}}\n' for i in range(1, 200_001))
    for name, text in (("alias bomb", bomb), ("200,000 sections", huge)):
        print(f"{name}: refused in {best(text, 3) * 1000:.1f} ms "
              f"(a {len(text) / 1024:.0f} KB text)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
