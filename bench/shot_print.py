"""Screenshots of the print preview (demo weekly report), the Word import dialog and the PDF box.

Usage: python bench/shot_print.py OUTDIR [--report bc_tuan|bc_giam_sat|...]

Uses a private Xvfb when one is available and there is no display (like scripts/screenshots.py),
else Qt's offscreen platform. Writes preview-1.png (single page), preview-2.png (facing pages, page 2
and 3), import.png and pdf-done.png into OUTDIR.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    template = argv[argv.index("--report") + 1] if "--report" in argv else "bc_tuan"
    from screenshots import start_xvfb
    xvfb = start_xvfb()
    try:
        return shoot(out, template)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def settle(app, rounds: int = 20) -> None:
    import time
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def shoot(out: Path, template: str) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    from baocao_desktop.ui.app import create_application
    from baocao_desktop.ui.import_docx_dialog import ImportDocxDialog
    from baocao_desktop.ui.main_window import MainWindow
    from baocao_desktop.ui.print_preview import pdf_done_box

    app = create_application([])
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        ws = Workspace(Path(tmp) / "demo.sqlite3", author="bench")
        load_demo(ws)
        report = next(r for r in ws.list_reports() if r.template_code == template)
        window = MainWindow(ws, QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window.resize(1366, 768)
        window.show()
        settle(app)
        dialogs = []
        window.preview_hook = dialogs.append
        window.print_preview(report.id)
        dialog = dialogs[0]
        dialog.resize(1366, 768)
        dialog.show()
        settle(app)
        preview = dialog.findChild(QPrintPreviewWidget)
        preview.fitInView()
        settle(app)
        dialog.grab().save(str(out / "preview-1.png"))
        preview.setViewMode(QPrintPreviewWidget.ViewMode.FacingPagesView)
        preview.setCurrentPage(2)
        preview.fitInView()
        settle(app)
        dialog.grab().save(str(out / "preview-2.png"))
        print(f"{out / 'preview-1.png'} ({preview.pageCount()} trang)")
        dialog.close()

        docx = ws.export_docx(report.id, Path(tmp) / "Báo cáo tuần cũ.docx")
        importer = ImportDocxDialog(ws, docx, window)
        importer.show()
        settle(app)
        importer.grab().save(str(out / "import.png"))
        importer.close()

        box = pdf_done_box(window, str(Path.home() / "Tài liệu" / "Báo cáo tuần 08-6 đến 14-6-2026.pdf"), "qt")
        box.show()
        settle(app)
        box.grab().save(str(out / "pdf-done.png"))
        box.close()
        window.close()
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
