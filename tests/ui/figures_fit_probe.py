"""Opens the report editor on a monthly report whose figures card has Lũy kế kỳ trước, Lũy kế and Cùng kỳ năm
trước columns, in the main window at its first-run size and maximized, with the default splitter sizes, and
prints as JSON, for each: whether the form scrolls sideways and which fields or labels stick out of its
viewport. Run in its own process by tests/ui/test_fits_the_screen.py, with QT_SCALE_FACTOR and an offscreen
screen of a given size (Qt reads both only at start-up). `python figures_fit_probe.py OUTDIR` also saves what
it saw as PNGs."""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

CODE = "thu_ngan_sach_tren_dia_ban"
SECTION = "I.2.2"


def add_reports(ws):
    """January–May 2026 with a consistent lũy kế (June's Lũy kế kỳ trước is their sum), and June 2025 (June's
    Cùng kỳ năm trước)."""
    have = {(r.period.start.year, r.period.start.month) for r in ws.list_reports()
            if r.template_code == "bc_dang_uy_thang"}
    running = 0
    for month, actual in ((1, 300), (2, 280), (3, 340), (4, 330), (5, 311)):
        running += actual
        if (2026, month) not in have:
            report = ws.create_report("bc_dang_uy_thang", f"2026-{month:02d}-01")
            ws.set_value(report.id, CODE, "actual", str(actual))
            ws.set_value(report.id, CODE, "cumulative", str(running))
    if (2025, 6) not in have:
        last_year = ws.create_report("bc_dang_uy_thang", "2025-06-01")
        for code in ws.template("bc_dang_uy_thang").section(SECTION).indicators:
            ws.set_value(last_year.id, code, "actual", "1234")


def what_sticks_out(editor) -> dict:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QLabel
    page = editor.page
    area = page.form_scroll
    viewport = area.viewport()
    seen = QRect(QPoint(0, 0), viewport.size())
    figures = page.figures
    out = []
    widgets = [(f"{code}.{name}", edit) for (code, name), edit in figures.fields.items()]
    widgets += [(f"{code}.Chèn câu", button) for code, button in figures.sentence_buttons.items()]
    widgets += [(f"{code}.Tỷ lệ", label) for code, label in figures.percent.items()]
    widgets += [(f"{code}.nguồn", label) for code, label in figures.sources.items() if label.isVisible()]
    for name, widget in widgets:
        rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
        if rect.right() > seen.right() or rect.left() < 0 or widget.width() < 20:
            out.append(f"{name} {rect.getRect()} ngoài {seen.getRect()}")
    headers = [label.text() for label in figures.findChildren(QLabel)
               if label.objectName() == "gridHeader" and label.isVisible()]
    return {"scrolls_sideways": area.horizontalScrollBar().isVisible(), "outside": out, "headers": headers,
            "stacked": getattr(figures, "stacked", False), "viewport": [viewport.width(), viewport.height()],
            "fields": len(figures.fields)}


def main(argv: list[str]) -> int:
    import datetime as dt
    tmp = Path(tempfile.mkdtemp(prefix="baocao-figfit-"))
    shots = Path(argv[0]) if argv else None
    from PySide6.QtCore import QSettings
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    from baocao_desktop.ui.app import create_application
    from baocao_desktop.ui.main_window import MainWindow
    from baocao_desktop.ui.screen_fit import install_screen_fit
    app = create_application([])
    install_screen_fit(app)
    screen = app.primaryScreen()
    ws = Workspace(tmp / "demo.sqlite3", author="fit")
    load_demo(ws)
    add_reports(ws)
    june = next(r for r in ws.list_reports()
                if r.template_code == "bc_dang_uy_thang" and r.period.start == dt.date(2026, 6, 1))
    report = {"screen": [screen.geometry().width(), screen.geometry().height()],
              "ratio": screen.devicePixelRatio(), "windows": {}}

    def settle():
        for _ in range(8):
            app.processEvents()

    for how in ("first-run", "maximized"):
        settings = QSettings(str(tmp / f"{how}.ini"), QSettings.Format.IniFormat)  # default splitter sizes
        window = MainWindow(ws, settings)
        if how == "maximized":
            window.setGeometry(screen.availableGeometry())
        window.show()
        settle()
        window.open_report(june.id)
        settle()
        window.editor.select_section(SECTION)
        settle()
        found = what_sticks_out(window.editor)
        found["window"] = [window.width(), window.height()]
        report["windows"][how] = found
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(shots / f"figures_{how}.png"))
        window.editor.close()
        window.close_editor()
        window.close()
        settle()
    ws.close()
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
