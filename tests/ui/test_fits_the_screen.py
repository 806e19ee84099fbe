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


def probe(tmp_path: Path, width: int, height: int, scale: str, script: str = "fit_probe.py") -> dict:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=scale,
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "ui" / script)], env=env, cwd=tmp_path,
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


@pytest.mark.parametrize("width, height, scale", [(1366, 768, "1.25"), (1366, 768, "1"), (1920, 1080, "1")])
def test_the_figures_card_never_scrolls_sideways(tmp_path, width, height, scale):
    """A monthly report's figures with Lũy kế kỳ trước, Lũy kế and Cùng kỳ năm trước (tests/ui/figures_fit_probe.py),
    in the main window at its first-run size and maximized, with the default splitter sizes: every field, “Chèn
    câu”, Tỷ lệ and source line lies inside the form's viewport, which has no horizontal scroll bar."""
    result = probe(tmp_path, width, height, scale, "figures_fit_probe.py")
    assert result["ratio"] == float(scale)
    assert set(result["windows"]) == {"first-run", "maximized"}
    for how, seen in result["windows"].items():
        assert seen["fields"] == 8, how  # Thực hiện, Lũy kế kỳ trước and Lũy kế ×2, Thực hiện and Kế hoạch
        assert {"Lũy kế kỳ trước", "Lũy kế", "Cùng kỳ năm trước"} <= set(seen["headers"]), how
        assert seen["outside"] == [], how
        assert not seen["scrolls_sideways"], how
    if (width, scale) == (1366, "1.25"):  # 1093 logical pixels: each name on its own line above its figures
        assert result["windows"]["maximized"]["stacked"]
    if (width, scale) == (1920, "1"):  # room for the printed table's shape
        assert not result["windows"]["maximized"]["stacked"]


def test_the_editor_keeps_where_its_panels_were_left(qtbot, demo_workspace, tmp_path):
    from PySide6.QtCore import QSettings
    from baocao_desktop.ui.main_window import MainWindow
    ws = demo_workspace
    report = next(r for r in ws.list_reports() if r.template_code == "bc_tuan")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ws, settings)
    qtbot.addWidget(window)
    window.resize(1300, 700)
    window.show()
    window.open_report(report.id)
    splitter = window.editor.splitter
    qtbot.waitUntil(lambda: splitter.sizes()[0] > 0, timeout=5000)
    splitter.moveSplitter(420, 1)  # the user drags the section tree wider
    wider = splitter.sizes()[0]
    assert wider > 380
    window.editor.close()  # its background proofreading stops with it, not after the database
    window.close_editor()
    window.open_report(report.id)
    qtbot.waitUntil(lambda: window.editor.splitter.sizes()[0] == wider, timeout=5000)
    # the checks panel folds away when dragged to the edge; the page itself never does
    assert window.editor.splitter.isCollapsible(2) and not window.editor.splitter.isCollapsible(1)
    window.editor.close()
    window.close_editor()
    window.close()


def test_the_writing_guidance_folds_away_and_stays_so(qtbot, demo_workspace, tmp_path):
    from PySide6.QtCore import QSettings
    from baocao_desktop.ui.main_window import MainWindow
    ws = demo_workspace
    report = next(r for r in ws.list_reports() if r.template_code == "bc_tuan")
    window = MainWindow(ws, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.open_report(report.id)
    page = window.editor.page
    window.editor.select_section("II.1.1.a")
    button = page.guidance_button
    assert button.isVisible()
    button.setChecked(True)
    assert page.guidance_frame.isVisible() and "Ví dụ" in page.guidance_label.text()
    button.setChecked(False)
    assert not page.guidance_frame.isVisible()
    window.editor.close()
    window.close_editor()
    window.open_report(report.id)
    window.editor.select_section("II.1.1.a")
    assert not window.editor.page.guidance_button.isChecked()
    assert not window.editor.page.guidance_frame.isVisible()
    window.editor.close()
    window.close_editor()
    window.close()
