"""Opens every top-level window and dialog on a demo database and prints, as JSON, what does not fit the
screen: a visible button outside the screen's available area. Run in its own process by
tests/ui/test_fits_the_screen.py, with QT_SCALE_FACTOR and an offscreen screen of a given size (Qt reads
both only at start-up)."""
from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path


def buttons_off_screen(widget) -> list[str]:
    """Every visible QPushButton (dialog button boxes included) of `widget` not wholly inside the available
    geometry of its screen, or squeezed to nothing."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton, QPushButton
    area = widget.screen().availableGeometry()
    problems = []
    window = widget.frameGeometry()
    if not area.contains(window):
        problems.append(f"cửa sổ {window.getRect()} ngoài màn hình {area.getRect()}")
    for button in widget.findChildren(QAbstractButton):
        if not isinstance(button, QPushButton) or not button.isVisibleTo(widget) or not button.text():
            continue
        if not button.isVisible():
            continue
        rect = QRect(button.mapToGlobal(button.rect().topLeft()), button.size())
        inner = button.visibleRegion().boundingRect()
        if not area.contains(rect) or button.width() < button.minimumSizeHint().width() * 0.6 \
                or inner.height() < button.height() - 1:
            problems.append(f"nút “{button.text()}” {rect.getRect()} (thấy {inner.getRect()}) "
                            f"ngoài màn hình {area.getRect()}")
    return problems


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="baocao-fit-"))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    from baocao_desktop.ui.app import create_application
    from baocao_desktop.ui.screen_fit import install_screen_fit
    app = create_application([])
    install_screen_fit(app)  # as ui/app.run_gui does once the main window is painted
    screen = app.primaryScreen()
    report = {"screen": [screen.geometry().width(), screen.geometry().height()],
              "ratio": screen.devicePixelRatio(), "checked": [], "problems": {}}

    def settings() -> QSettings:
        return QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat)

    def check(name: str, widget) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()
        report["checked"].append(name)
        problems = buttons_off_screen(widget)
        if problems:
            report["problems"][name] = problems
        widget.close()
        app.processEvents()

    empty = Workspace(tmp / "trong.sqlite3", author="fit")
    from baocao_desktop.ui.setup_dialog import SetupDialog
    dialog = SetupDialog(empty, first_run=True)
    for step in range(dialog.steps.count()):
        dialog.go_to_step(step)
        check(f"SetupDialog bước {step + 1}", dialog)
        dialog.setProperty("_baocao_fitted", False)
    ws = Workspace(tmp / "demo.sqlite3", author="fit")
    load_demo(ws)
    week = next(r for r in ws.list_reports() if r.template_code == "bc_tuan")
    from baocao_desktop.ui.main_window import MainWindow
    window = MainWindow(ws, settings())
    check("MainWindow", window)
    from baocao_desktop.ui.editor.window import ReportEditor
    check("ReportEditor", ReportEditor(ws, week.id))
    window.show()
    window.open_report(week.id)
    check("MainWindow + ReportEditor", window)
    editor = window.editor
    from baocao_desktop.ui.editor.signoff_dialogs import BlockedDialog, ReasonDialog
    editor.session.show_every_finding()
    editor.run_checks()
    many = editor.session.blocking() * 8  # a long list: the dialog scrolls, its button stays
    check("BlockedDialog", BlockedDialog("ký", many, lambda path: path, window))
    check("ReasonDialog", ReasonDialog("Giải trình cảnh báo", "Giữ lại cảnh báo này với lý do:", "Lưu giải trình",
                                       window, quoted="x " * 400, note="Giải trình được lưu cùng báo cáo.",
                                       remove_text="Bỏ giải trình"))
    window.close_editor()
    check("SetupDialog (đơn vị có sẵn)", SetupDialog(ws, window))
    from baocao_desktop.ui.new_report_dialog import NewReportDialog
    check("NewReportDialog", NewReportDialog(ws, window, today=dt.date(2026, 6, 17)))
    from baocao_desktop.ui.send_dialog import SendDialog
    check("SendDialog", SendDialog(ws, window, drives_provider=lambda: [], settings=settings()))
    from baocao_desktop.ui.receive_dialog import ReceiveDialog
    check("ReceiveDialog", ReceiveDialog(ws, window, drives_provider=lambda: []))
    from baocao_desktop.ui.inbox_window import InboxWindow
    check("InboxWindow", InboxWindow(ws, today=dt.date(2026, 6, 17)))
    from baocao_desktop.ui.aggregation_window import AggregationWindow
    check("AggregationWindow", AggregationWindow(ws))
    from baocao_desktop.ui.template_manager import TemplateManagerDialog
    check("TemplateManagerDialog", TemplateManagerDialog(ws, window))
    from baocao_desktop.services import template_editing as te
    from baocao_desktop.ui.template_editor import TemplateEditorDialog
    check("TemplateEditorDialog", TemplateEditorDialog(ws, te.edit_copy(ws.template("bc_tuan")), window))
    from baocao_desktop.ui.key_dialogs import KeyDialog, UnitRegistryDialog
    check("KeyDialog", KeyDialog(ws, window, settings=settings()))
    check("UnitRegistryDialog", UnitRegistryDialog(ws, window))
    from baocao_desktop.ui.proofread_dialog import ProofreadDialog
    check("ProofreadDialog", ProofreadDialog(window, workspace=ws))
    from baocao_desktop.ui.migrate_dialog import MigrateDialog
    check("MigrateDialog", MigrateDialog(ws, week.id, window))
    from baocao_desktop.ui.import_docx_dialog import ImportDocxDialog
    check("ImportDocxDialog", ImportDocxDialog(ws, tmp / "bao_cao.docx", window, today=dt.date(2026, 6, 17)))
    window.close()
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
