"""Every top-level window and dialog is usable on an office laptop at 1366×768 with Windows' 125% scaling
(and on 1920×1080 at 150%): opened in a child process whose offscreen screen has that size and whose
QT_SCALE_FACTOR is set (Qt reads both only at start-up), each one's buttons must lie inside the screen."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ("SetupDialog bước 1", "SetupDialog bước 3", "MainWindow + ReportEditor", "ReportEditor",
            "NewReportDialog", "SendDialog", "ReceiveDialog", "InboxWindow", "AggregationWindow",
            "TemplateManagerDialog", "TemplateEditorDialog", "KeyDialog", "UnitRegistryDialog",
            "ProofreadDialog", "ImportDocxDialog", "MigrateDialog", "BlockedDialog", "ReasonDialog")


def probe(tmp_path: Path, width: int, height: int, scale: str) -> dict:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=scale,
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / "fit_probe.py")], env=env, cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("width, height, scale, logical", [(1366, 768, "1.25", [1093, 614]),
                                                           (1920, 1080, "1.5", [1280, 720])])
def test_every_window_and_dialog_keeps_its_buttons_on_screen(tmp_path, width, height, scale, logical):
    result = probe(tmp_path, width, height, scale)
    assert result["screen"] == logical and result["ratio"] == float(scale)  # the scaling really applied
    missing = [name for name in EXPECTED if name not in result["checked"]]
    assert not missing
    assert result["problems"] == {}
