"""The fault campaign (scripts/fault_campaign.py, issue 19 point 9), short: one random point per scenario.
Kill -9 while editing and importing, two writers, a held lock and every hostile input: nothing crashes,
nothing committed is lost or half-imported, nothing hostile gets in, every refusal is in Vietnamese."""
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_campaign():
    spec = importlib.util.spec_from_file_location("fault_campaign", ROOT / "scripts" / "fault_campaign.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_short_fault_campaign(tmp_path):
    campaign = load_campaign()
    said = []
    tally = campaign.run(points=1, seed=20261207, work=tmp_path / "campaign", weeks=2, out=said.append)

    assert tally.total("crashed") == 0, tally.notes
    assert tally.total("lost") == 0, tally.notes
    assert tally.total("accepted") == 0, tally.notes
    for scenario in ("kill -9 while editing", "kill -9 while importing", "two writers at once", "a held write lock",
                     "hostile transfer file", "hostile Word document", "copied database without the key"):
        assert tally.counts[scenario]["tried"] >= 1, scenario
    # every hostile input is refused (not merely survived), each with a Vietnamese reason
    for scenario in ("hostile transfer file", "hostile Word document", "copied database without the key",
                     "a held write lock"):
        assert tally.counts[scenario]["refused"] == tally.counts[scenario]["tried"], scenario
    assert tally.refusals and all(campaign.VIETNAMESE.search(message) and "Traceback" not in message
                                  for _scenario, message in tally.refusals)
    reasons = " ".join(message for _scenario, message in tally.refusals)
    for expected in ("không dùng .nan", "bí danh YAML", "trùng", "quá lớn", "cắt cụt", "trigger", "khóa",
                     "đang bận"):
        assert expected in reasons, expected
    assert "TOTAL" in tally.table()
