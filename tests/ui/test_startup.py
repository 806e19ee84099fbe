"""Start-up: what exists when the main window is first painted (bench/startup.py times it; this does not).

The real start path (`run_gui`) runs in a child process on a demo database, with the main window's
`paintEvent` recording, the first time, which modules are imported and which PySide6 classes have been
built (PySide6 builds a class and its enum types on first access: the `Qt` namespace alone costs ~15 ms).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from baocao_desktop.services.demo import load_demo
from baocao_desktop.services.workspace import Workspace

CHILD = textwrap.dedent("""
    import json, sys
    from PySide6 import QtCore, QtWidgets
    from baocao_desktop.ui import main_window

    seen = {}

    class Watched(main_window.MainWindow):
        def paintEvent(self, event):
            if not seen:
                seen["modules"] = sorted(sys.modules)
                seen["built"] = sorted(name for module in (QtCore, QtWidgets) for name in vars(module))
                seen["title"] = self.windowTitle()
                seen["menus"] = [action.text() for action in self.menuBar().actions()]
                seen["toolbar"] = [action.text() for action in self.toolbar.actions()]
                seen["list"] = self.list_stack.currentWidget().text()
            super().paintEvent(event)

    main_window.MainWindow = Watched
    from baocao_desktop.ui.app import run_gui
    code = run_gui(["--db", sys.argv[1]])
    print(json.dumps({"code": code, **seen}))
""")

# Opened or used only after the first paint: the database and what reads it, document writers, charts,
# signatures; and the classes only the report table and the dialogs need.
NOT_BEFORE_PAINT = (
    "baocao_desktop.services.workspace", "baocao_desktop.store", "baocao_desktop.domain.dates",
    "baocao_desktop.ui.report_editor", "baocao_desktop.ui.setup_dialog", "sqlite3", "sqlite_utils", "yaml",
    "docx", "lxml", "matplotlib", "numpy", "cryptography", "babel", "datetime",
)
# QStyle: its ~20 enum types cost ≈ 5 ms (the tool bar takes its icons from Qt's resources instead);
# QFileDialog: only a database that cannot be opened needs it.
CLASSES_NOT_BEFORE_PAINT = ("Qt", "QAbstractItemView", "QHeaderView", "QTableWidget", "QDialogButtonBox", "QStyle",
                            "QFileDialog")


@pytest.fixture(scope="module")
def first_paint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("startup")
    db = folder / "demo.sqlite3"
    workspace = Workspace(db)
    try:
        load_demo(workspace)
    finally:
        workspace.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(folder / "config"),
           "BAOCAO_BENCH_EXIT_AFTER_SHOW": "1"}  # quit once the list is filled (ui/app.py)
    result = subprocess.run([sys.executable, "-c", CHILD, str(db)], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    return report


def test_first_paint_is_the_whole_window_saying_the_data_is_opening(first_paint):
    assert first_paint["title"] == "BaoCao"
    assert first_paint["menus"] == ["&Tệp", "&Mẫu", "&Cấp trên", "Đơ&n vị", "Trợ &giúp"]
    assert first_paint["toolbar"] == ["Báo cáo &mới…", "&Mở", "&Xuất DOCX…"]
    assert first_paint["list"] == "Đang mở dữ liệu…"


def test_the_database_and_heavy_modules_load_after_the_first_paint(first_paint):
    loaded = [name for name in first_paint["modules"]
              if any(name == lazy or name.startswith(lazy + ".") for lazy in NOT_BEFORE_PAINT)]
    assert loaded == []


def test_no_qt_namespace_or_table_classes_before_the_first_paint(first_paint):
    """`Qt.AlignmentFlag…` or `setShortcut` (its Qt.Key overload) anywhere on the path builds the whole
    `Qt` namespace: import `Qt` inside the function that runs after the paint, or use
    `ui.common.set_enum_property` / `QAction.setShortcuts` for what the first paint needs."""
    built = [name for name in CLASSES_NOT_BEFORE_PAINT if name in first_paint["built"]]
    assert built == []
