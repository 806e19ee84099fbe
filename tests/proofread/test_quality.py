"""The fault-injection bench (bench/proofread_quality.py) on a small sample: faults of every category injected at
known lines into clean text and the smallest seed must be found, with few stray findings, and the clean text
written for the bench must raise no finding. The full measurement (both halves, all hosts) is the bench's."""
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from proofread_quality import CATEGORIES, hosts, measure  # noqa: E402


def test_injected_faults_are_found_and_clean_text_is_quiet():
    small = [h for h in hosts() if h.name.startswith("clean") or h.name == "001"]
    table, alarms, pages, misses = measure(trials_per_category=6, seed=7, hosts_=small)
    assert set(table) == set(CATEGORIES)
    found = injected = true = added = 0
    for category, halves in table.items():
        f, i, t, a = (sum(row[k] for row in halves.values()) for k in range(4))
        assert f >= i - 1, f"{category}: {f}/{i} found; {[m for m in misses if m[0] == category]}"
        found, injected, true, added = found + f, injected + i, true + t, added + a
    assert found / injected >= 0.9
    assert true / added >= 0.95, [m for m in misses if any(not hit for _, hit in m[4])]
    assert [f for name, f in alarms if name.startswith("clean")] == []
