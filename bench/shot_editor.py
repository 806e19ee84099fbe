"""Screenshot of the report editor on the demo (week 2, section II.1.1.a) at 1366×768.

Usage: QT_QPA_PLATFORM=offscreen python bench/shot_editor.py OUT.png [SECTION_PATH] [--week 1|2] [--slip] [--click]

--slip   puts two deliberate slips in the narrative of II.1.1.a (a percentage that does not follow from its
         own figures, a total that is not the sum of its parts) and waits for the live proofreading, so that
         the faults are underlined in the text and listed in the checks panel.
--click  then clicks the first proofreading finding in the panel (its text gets selected).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SLIP_SECTION = "II.1.1.a"
SLIP_TEXT = ("Sản xuất nông nghiệp tiếp tục được chỉ đạo bảo đảm khung thời vụ; Nhân dân tập trung cấy lúa mùa, "
             "chăm sóc ngô và cây dược liệu. Diện tích lúa mùa thực hiện đạt 590/650 ha, bằng 92,8% kế hoạch; "
             "diện tích ngô duy trì 1.110 ha, đạt 100% kế hoạch; rau các loại đạt 94/132 ha, bằng 71,21% kế "
             "hoạch.\n"
             "Trồng rau vụ đông: tổng số hộ tham gia 120 hộ, gồm thôn Lùng Phình 70 hộ và thôn Pả Chư Tỷ "
             "45 hộ. Cây ăn quả tổng diện tích 581 ha.")


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
    from baocao_desktop.ui.editor.window import ReportEditor

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "demo.sqlite3", author="bench")
        ids = load_demo(ws)
        reports = sorted((ws.report(i, with_content=False) for i in ids if ws.report(i).template_code == "bc_tuan"),
                         key=lambda r: r.period.start)
        report_id = reports[week - 1].id
        if "--slip" in argv:
            ws.set_section_text(report_id, SLIP_SECTION, SLIP_TEXT)
        editor = ReportEditor(ws, report_id)
        editor.resize(1366, 768)
        editor.show()
        app.processEvents()
        editor.select_section(section)
        while editor.proofreading:  # the live proofreading runs on a worker thread
            app.processEvents()
        for _ in range(5):
            app.processEvents()
        if "--click" in argv:
            item = editor.finding_item(lambda f: f.section == SLIP_SECTION and f.paragraph is not None)
            if item is not None:
                editor.checks_tree.setCurrentItem(item)
                editor.findings_panel.activate(item)
                for _ in range(5):
                    app.processEvents()
        editor.grab().save(str(out))
        for mark in editor.text_marks():
            print(f"{mark.severity}: {mark.cursor.selectedText()!r} — {mark.message}")
        editor.flush()
        editor.close()
        ws.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
