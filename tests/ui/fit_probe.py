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


def in_scroll_area(widget) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


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
        if inner.isEmpty() and in_scroll_area(button):
            continue  # scrolled out of view: the scroll area (checked as a whole) brings it
        if not area.contains(rect) or button.width() < button.minimumSizeHint().width() * 0.6 \
                or inner.height() < button.height() - 1:
            problems.append(f"nút “{button.text()}” {rect.getRect()} (thấy {inner.getRect()}) "
                            f"ngoài màn hình {area.getRect()}")
    return problems


def every_window(app, tmp: Path, settings):
    """Opens each top-level window and dialog of the app on a demo database, one at a time: yields
    (name, widget) with the widget shown; closes it when the caller asks for the next one. Shared by the
    fit probe and the keyboard audit (tests/ui/test_keyboard_reach.py)."""
    import datetime as dt

    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace

    def shown(widget):
        widget.show()
        for _ in range(5):
            app.processEvents()
        return widget

    def done(widget):
        widget.close()
        app.processEvents()

    empty = Workspace(tmp / "trong.sqlite3", author="fit")
    from baocao_desktop.ui.setup_dialog import SetupDialog
    dialog = SetupDialog(empty, first_run=True)
    for step in range(dialog.steps.count()):
        dialog.go_to_step(step)
        yield f"SetupDialog bước {step + 1}", shown(dialog)
        done(dialog)
        dialog.setProperty("_baocao_fitted", False)
    ws = Workspace(tmp / "demo.sqlite3", author="fit")
    load_demo(ws)
    week = next(r for r in ws.list_reports() if r.template_code == "bc_tuan")
    from baocao_desktop.ui.main_window import MainWindow
    window = MainWindow(ws, settings())
    yield "MainWindow", shown(window)
    done(window)
    from baocao_desktop.ui.editor.window import ReportEditor
    alone = ReportEditor(ws, week.id)
    yield "ReportEditor", shown(alone)
    done(alone)
    window.show()
    window.open_report(week.id)
    yield "MainWindow + ReportEditor", shown(window)
    done(window)
    editor = window.editor
    window.show()
    editor.select_section(next(section.path for section in editor.session.template.walk()
                               if len(section.indicators) > 1))  # figures: a “Chèn câu” per row
    yield "MainWindow + ReportEditor (mục có số liệu)", shown(window)
    done(window)
    from baocao_desktop.ui.editor.navigator import HEADER_PATH
    window.show()
    editor.select_section(HEADER_PATH)
    yield "MainWindow + Thông tin văn bản", shown(window)
    done(window)
    from baocao_desktop.ui.editor.signoff_dialogs import BlockedDialog, ReasonDialog
    editor.session.show_every_finding()
    editor.run_checks()
    many = editor.session.blocking() * 8  # a long list: the dialog scrolls, its button stays
    dialogs = [
        ("BlockedDialog", lambda: BlockedDialog("ký", many, lambda path: path, window)),
        ("ReasonDialog", lambda: ReasonDialog("Giải trình cảnh báo", "Giữ lại cảnh báo này với lý do:",
                                              "Lưu giải trình", window, quoted="x " * 400,
                                              note="Giải trình được lưu cùng báo cáo.",
                                              remove_text="&Bỏ giải trình")),
    ]
    from baocao_desktop.ui.editor.narrative_edit import TableDialog as FreeTableDialog
    dialogs.append(("FreeTableDialog", lambda: FreeTableDialog(editor.narrative)))
    for name, make in dialogs:
        made = make()
        yield name, shown(made)
        done(made)
    window.close_editor()
    from baocao_desktop.ui.new_report_dialog import NewReportDialog
    from baocao_desktop.ui.send_dialog import SendDialog
    from baocao_desktop.ui.receive_dialog import ReceiveDialog
    from baocao_desktop.ui.inbox_window import InboxWindow
    from baocao_desktop.ui.aggregation_window import AggregationWindow
    from baocao_desktop.ui.template_manager import TemplateManagerDialog
    from baocao_desktop.services import template_editing as te
    from baocao_desktop.ui.template_editor import TemplateEditorDialog
    from baocao_desktop.ui.template_table_editor import TableDialog
    from baocao_desktop.ui.key_dialogs import KeyDialog, PassphraseDialog, UnitRegistryDialog
    from baocao_desktop.ui.proofread_dialog import ProofreadDialog
    from baocao_desktop.ui.migrate_dialog import MigrateDialog
    from baocao_desktop.ui.import_docx_dialog import ImportDocxDialog
    from baocao_desktop.ui.backup_dialog import BackupDialog, RestoreDialog
    from baocao_desktop.ui.help_window import HelpWindow
    editable = te.edit_copy(ws.template("bc_tuan"))

    def duplicate(dialog):
        dialog.show_error("Đã có báo cáo tuần cho kỳ này. Hãy mở báo cáo đó.", week.id)  # its button shown
        return dialog
    dialogs = [
        ("SetupDialog (đơn vị có sẵn)", lambda: SetupDialog(ws, window)),
        ("NewReportDialog", lambda: NewReportDialog(ws, window, today=dt.date(2026, 6, 17))),
        ("NewReportDialog (kỳ đã có báo cáo)",
         lambda: duplicate(NewReportDialog(ws, window, today=dt.date(2026, 6, 17)))),
        ("SendDialog", lambda: SendDialog(ws, window, drives_provider=lambda: [], settings=settings())),
        ("ReceiveDialog", lambda: ReceiveDialog(ws, window, drives_provider=lambda: [])),
        ("InboxWindow", lambda: InboxWindow(ws, today=dt.date(2026, 6, 17))),
        ("AggregationWindow", lambda: AggregationWindow(ws)),
        ("TemplateManagerDialog", lambda: TemplateManagerDialog(ws, window)),
        ("TemplateEditorDialog", lambda: TemplateEditorDialog(ws, te.edit_copy(ws.template("bc_tuan")), window)),
        ("TableDialog (mẫu)", lambda: TableDialog(editable, editable.sections[0], None, window)),
        ("KeyDialog", lambda: KeyDialog(ws, window, settings=settings())),
        ("PassphraseDialog", lambda: PassphraseDialog(window)),
        ("UnitRegistryDialog", lambda: UnitRegistryDialog(ws, window)),
        ("ProofreadDialog", lambda: ProofreadDialog(window, workspace=ws)),
        ("MigrateDialog", lambda: MigrateDialog(ws, week.id, window)),
        ("ImportDocxDialog", lambda: ImportDocxDialog(ws, tmp / "bao_cao.docx", window,
                                                      today=dt.date(2026, 6, 17))),
        ("BackupDialog", lambda: BackupDialog(ws.path, window, settings())),
        ("RestoreDialog", lambda: RestoreDialog(ws.path, window)),
        ("HelpWindow", lambda: HelpWindow(window)),
    ]
    for name, make in dialogs:
        made = make()
        yield name, shown(made)
        done(made)
    window.close()


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="baocao-fit-"))
    from PySide6.QtCore import QSettings
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from baocao_desktop.ui.app import create_application
    from baocao_desktop.ui.screen_fit import install_screen_fit
    app = create_application([])
    install_screen_fit(app)  # as ui/app.run_gui does once the main window is painted
    screen = app.primaryScreen()
    report = {"screen": [screen.geometry().width(), screen.geometry().height()],
              "ratio": screen.devicePixelRatio(), "checked": [], "problems": {}}

    def settings() -> QSettings:
        return QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat)

    for name, widget in every_window(app, tmp, settings):
        report["checked"].append(name)
        problems = buttons_off_screen(widget)
        if problems:
            report["problems"][name] = problems
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
