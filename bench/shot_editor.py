"""Screenshot of the report editor on the demo (week 2, section II.1.1.a) at 1366×768.

Usage: QT_QPA_PLATFORM=offscreen python bench/shot_editor.py OUT.png [SECTION_PATH] [--week 1|2]
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    section = argv[1] if len(argv) > 1 and not argv[1].startswith("--") else "II.1.1.a"
    week = 2
    if "--week" in argv:
        week = int(argv[argv.index("--week") + 1])

    from PySide6.QtWidgets import QApplication

    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    from baocao_desktop.ui.report_editor import ReportEditor

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "demo.sqlite3", author="bench")
        ids = load_demo(ws)
        reports = sorted((ws.report(i, with_content=False) for i in ids), key=lambda r: r.period.start)
        editor = ReportEditor(ws, reports[week - 1].id)
        editor.resize(1366, 768)
        editor.show()
        app.processEvents()
        editor.select_section(section)
        for _ in range(5):
            app.processEvents()
        editor.grab().save(str(out))
        editor.flush()
        editor.close()
        ws.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
