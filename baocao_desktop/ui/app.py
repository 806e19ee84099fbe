"""Starting the GUI: `python -m baocao_desktop [--db PATH] [--demo]`.

The start-up path is kept lean: dialogs, the report editor and the DOCX writer load when first used.

The main window is shown first (saying "Đang mở dữ liệu…") and the database is opened right after its
first paint, so the window appears about as fast as a bare Qt window. That paint builds only what it
shows and no `Qt` namespace (ui/main_window.py says how; tests/ui/test_startup.py checks it).

Bench hooks (bench/startup.py), inert unless the variables are set:
  BAOCAO_BENCH_T0=<parent's time.time()>  with  BAOCAO_BENCH_EXIT_AFTER_SHOW=1  prints
  "BAOCAO_BENCH shown=<seconds since T0> shown_cpu=<CPU seconds>" when the main window is first painted
  and "BAOCAO_BENCH ready=<seconds> ready_cpu=<CPU seconds>" when the report list is filled, then quits;
  BAOCAO_BENCH_OPEN_REPORT=1 instead opens the newest report in the editor and prints
  "BAOCAO_BENCH peak_rss_kb=<n>" before quitting.
"""
from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .common import (
    APP_TITLE,
    VietnameseQtTranslator,
    localize_message_box,
    ui_font,
    vietnamese_locale,
    widen_message_box,
)

ORG_NAME = "BaoCao"
APP_NAME = "BaoCao"


# == arguments ======================================================================================
class GuiArgs:
    def __init__(self, db: str | None = None, demo: bool = False, transfer_file: str | None = None):
        self.db = db
        self.demo = demo
        self.transfer_file = transfer_file  # a .baocao opened from Explorer: receive it once the window is up


def parse_gui_args(argv: list[str]) -> tuple[GuiArgs, list[str]]:
    """`--db PATH` / `--db=PATH` and `--demo`; everything else is passed on to Qt (e.g. `-platform`).
    (No argparse: this runs on every start.)"""
    args, rest = GuiArgs(), []
    items = iter(argv)
    for item in items:
        if item == "--db":
            args.db = next(items, None)
        elif item.startswith("--db="):
            args.db = item.split("=", 1)[1]
        elif item == "--demo":
            args.demo = True
        elif item.lower().endswith(".baocao") and not item.startswith("-"):
            args.transfer_file = item
        else:
            rest.append(item)
    return args, rest


# == application ====================================================================================
def create_application(qt_args: list[str] | None = None) -> QApplication:
    """The QApplication with names, Vietnamese locale, Qt-strings translator and a Vietnamese-capable font."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "baocao", *(qt_args or [])])
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QLocale.setDefault(vietnamese_locale())
    install_translator(app)
    app.setFont(ui_font(10))
    return app


def install_translator(app: QCoreApplication) -> VietnameseQtTranslator:
    existing = getattr(app, "_baocao_translator", None)
    if existing is not None:
        return existing
    translator = VietnameseQtTranslator(app)
    app.installTranslator(translator)
    app._baocao_translator = translator  # keep a Python reference: Qt does not own it
    return translator


# == opening the database ===========================================================================
def open_errors() -> tuple[type[Exception], ...]:
    from ..services.errors import ServiceError
    from ..store.db import StoreError
    from ..templates.model import TemplateError
    return StoreError, TemplateError, ServiceError


def db_error_box(path: Path, error: Exception, parent: QWidget | None = None, newest_backup=None) -> QMessageBox:
    """The Vietnamese message for a database that cannot be opened, with what the user can do.
    `newest_backup` (services.backup.BackupInfo): the newest good rolling backup, offered first."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(f"{APP_TITLE} — không mở được dữ liệu")
    box.setText(f"Không mở được tệp dữ liệu “{Path(path).name}”.")
    message = str(error).strip()
    if "giữ nguyên" not in message:
        message += " Tệp cũ được giữ nguyên, không bị xóa."
    offer = ""
    if newest_backup is not None:
        made = newest_backup.made_at.strftime("%H:%M ngày %d/%m/%Y") if newest_backup.made_at else ""
        offer = (f"Có bản sao lưu tự động lúc {made} ({newest_backup.unit or 'chưa thiết lập đơn vị'}, "
                 f"{newest_backup.reports} báo cáo). Bấm “Mở bản sao lưu mới nhất” để dùng bản đó; tệp hiện "
                 "tại được giữ lại bên cạnh, đổi tên kèm ngày giờ.\n\n")
    box.setInformativeText(
        f"{message}\n\n{offer}Bấm “Chọn tệp khác…” để mở một tệp dữ liệu khác, hoặc "
        "“Tạo tệp mới…” để bắt đầu với dữ liệu trống. Tệp cũ không bao giờ bị xóa hay ghi đè.")
    box.backup_button = None
    if newest_backup is not None:
        box.backup_button = box.addButton("Mở bản sao lưu mới nhất", QMessageBox.ButtonRole.AcceptRole)
    box.choose_button = box.addButton("Chọn tệp khác…", QMessageBox.ButtonRole.AcceptRole)
    box.new_button = box.addButton("Tạo tệp mới…", QMessageBox.ButtonRole.ActionRole)
    box.quit_button = box.addButton("Thoát", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(box.backup_button or box.choose_button)
    box.setEscapeButton(box.quit_button)
    widen_message_box(box, 480)
    return localize_message_box(box)


def open_workspace_interactive(path: Path, settings: QSettings, parent: QWidget | None = None):
    """Open the database at `path`; when it cannot be opened, let the user choose another file or a new
    one (never deleting the old file). Returns the Workspace, or None when the user gives up."""
    from ..services import backup
    from ..services.paths import unused_path
    from ..services.workspace import Workspace
    errors = open_errors()
    while True:
        try:
            return Workspace(path)
        except errors as exc:
            error = exc
        newest = backup.newest_good_backup(path) if Path(path).is_file() else None
        box = db_error_box(path, error, parent, **({"newest_backup": newest} if newest is not None else {}))
        box.exec()
        clicked = box.clickedButton()
        from PySide6.QtWidgets import QFileDialog
        if clicked is not None and clicked is box.backup_button:
            try:
                backup.restore_backup(newest.path, path)
            except backup.BackupError as exc:
                warn = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, str(exc), QMessageBox.StandardButton.Ok,
                                   parent)
                localize_message_box(warn).exec()
            continue
        if clicked is box.choose_button:
            chosen, _ = QFileDialog.getOpenFileName(
                parent, "Chọn tệp dữ liệu BaoCao", str(Path(path).parent),
                "Dữ liệu BaoCao (*.sqlite3 *.sqlite *.db);;Tất cả các tệp (*)")
        elif clicked is box.new_button:
            chosen, _ = QFileDialog.getSaveFileName(
                parent, "Tạo tệp dữ liệu mới", str(unused_path(Path(path).parent, "baocao-moi", ".sqlite3")),
                "Dữ liệu BaoCao (*.sqlite3)")
            if chosen and Path(chosen).exists() and Path(chosen).stat().st_size > 0:
                warn = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE,
                                   f"Tệp “{chosen}” đã có. Để không mất dữ liệu, hãy chọn một tên tệp mới.",
                                   QMessageBox.StandardButton.Ok, parent)
                localize_message_box(warn).exec()
                continue
        else:
            return None
        if chosen:
            path = Path(chosen)
            settings.setValue("db/path", str(path))


def default_database(settings: QSettings) -> Path:
    """The file chosen last time after a failure, if it still exists, else the per-user default."""
    from ..services.paths import default_db_path
    remembered = settings.value("db/path")
    if remembered and Path(str(remembered)).is_file():
        return Path(str(remembered))
    return default_db_path()


# == first paint =================================================================================
class _FirstPaint(QObject):
    """Calls `callback` once, right after `window` has been painted for the first time (or after
    `fallback_ms` if no paint comes, e.g. a minimised start)."""

    def __init__(self, window: QWidget, callback, fallback_ms: int = 1000):
        super().__init__(window)
        self.window = window
        self.callback = callback
        self.done = False
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self.fire)

    def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
        if not self.done and obj is self.window and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self.fire)
        return False

    def fire(self) -> None:
        if not self.done:
            self.done = True
            self.window.removeEventFilter(self)
            self.callback()


def peak_rss_kb() -> int:
    """Peak resident memory of this process in KiB (Linux ru_maxrss; Windows PeakWorkingSetSize)."""
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                        ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                        ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                        ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]
        counters = Counters()
        counters.cb = ctypes.sizeof(Counters)
        handle = ctypes.windll.kernel32.GetCurrentProcess()
        ctypes.windll.psapi.GetProcessMemoryInfo(handle, ctypes.byref(counters), counters.cb)
        return counters.PeakWorkingSetSize // 1024
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


class _Bench:
    """Bench hooks (see the module docstring); inert unless BAOCAO_BENCH_EXIT_AFTER_SHOW=1."""

    def __init__(self):
        self.active = os.environ.get("BAOCAO_BENCH_EXIT_AFTER_SHOW") == "1"
        self.t0 = float(os.environ.get("BAOCAO_BENCH_T0") or 0)
        self.open_report = os.environ.get("BAOCAO_BENCH_OPEN_REPORT") == "1"

    def mark(self, name: str) -> None:
        if self.active:
            elapsed = time.time() - self.t0 if self.t0 else time.perf_counter()
            # and this process's CPU time: steadier than the elapsed time on a loaded machine
            print(f"BAOCAO_BENCH {name}={elapsed:.4f} {name}_cpu={time.process_time():.4f}", flush=True)
            if os.environ.get("BAOCAO_BENCH_MARK_STDERR") == "1":  # splits `python -X importtime` output
                print(f"BAOCAO_BENCH {name}", file=sys.stderr, flush=True)

    def ready(self, app: QApplication, window) -> None:
        """The data is in the window: quit now, or after opening the newest report in the editor."""
        if not self.active:
            return
        self.mark("ready")
        if not self.open_report:
            app.quit()
            return
        reports = window.workspace.list_reports()
        if reports:
            window.open_report(reports[0].id)

        def finish() -> None:
            window.flush_editor()
            editor = type(window.editor).__name__ if window.editor is not None else "-"
            print(f"BAOCAO_BENCH peak_rss_kb={peak_rss_kb()} editor={editor}", flush=True)
            app.quit()
        QTimer.singleShot(1500, finish)


def open_transfer_file(window, path: str) -> None:
    """The receive dialog, already verifying the file the app was started with."""
    from .receive_dialog import open_receive_dialog
    open_receive_dialog(window, [Path(path)])


# == entry point ====================================================================================
def run_gui(argv: list[str] | None = None) -> int:
    """Show the main window first, then open the database once it has been painted: the window appears
    as fast as a bare Qt window would, and the data (and any first-run or error dialog) follows."""
    args, qt_args = parse_gui_args(list(sys.argv[1:] if argv is None else argv))
    bench = _Bench()
    app = create_application(qt_args)
    settings = QSettings()
    from .main_window import MainWindow
    window = MainWindow(None, settings)
    opened: list = []

    def load() -> None:
        bench.mark("shown")
        gc.enable()  # paused by __main__ until the window is painted
        from .errors import install_gui_excepthook  # the bug log and hooks, after the first paint
        install_gui_excepthook()
        # every window and dialog fits a 1366×768 laptop at 125%; after the paint, as the filter sees every
        # object and would build their Python classes before it
        from .screen_fit import fit_to_screen, install_screen_fit
        install_screen_fit(app)
        fit_to_screen(window)
        from .composed_typing import install_composed_typing
        from .help_window import install_help_key
        install_help_key(app)  # F1 in every dialog, modal ones too
        install_composed_typing(app)  # Vietnamese typed decomposed is composed in every field
        path = Path(args.db) if args.db else default_database(settings)
        # single-instance guard: one window per database file (ui/instance_guard.py)
        from .instance_guard import guard_database
        window._database_lock = guard_database(path, window)
        if window._database_lock is None:
            app.exit(1)
            return
        workspace = open_workspace_interactive(path, settings, window)
        if workspace is None:
            app.exit(1)
            return
        opened.append(workspace)
        if args.demo:
            from ..services.demo import load_demo
            try:
                load_demo(workspace)
            except open_errors() as exc:
                box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, f"Không nạp được dữ liệu mẫu.\n\n{exc}",
                                  QMessageBox.StandardButton.Ok, window)
                localize_message_box(box).exec()
        if workspace.own_unit() is None:
            from .setup_dialog import SetupDialog
            SetupDialog(workspace, window, first_run=True).exec()
        window.set_workspace(workspace)
        bench.ready(app, window)
        if not bench.active:
            QTimer.singleShot(3000, lambda: daily_backup(window))
        if args.transfer_file:
            QTimer.singleShot(0, lambda: open_transfer_file(window, args.transfer_file))

    window._first_paint = _FirstPaint(window, load)
    window.show()
    try:
        return app.exec()
    finally:
        for workspace in {id(w): w for w in [*opened, window.workspace] if w is not None}.values():
            workspace.close()
        if window.workspace is not None:
            backup_on_close(window.workspace.path)


def backup_on_close(path: Path) -> None:
    """The rolling backup made each time the app closes (services/backup.py). A failure must not stop
    the app from closing: it goes to the bug log."""
    from ..services import backup
    try:
        backup.rolling_backup(path)
    except Exception as exc:  # noqa: BLE001
        from ..services import logs
        logs.log_bug(exc, "sao lưu khi đóng")


def daily_backup(window) -> None:
    """Once a day (no rolling backup in the last 24 hours): one on the task runner, quietly; a failure is
    logged, the user is not interrupted."""
    from ..services import backup
    if window.workspace is None or not backup.backup_due(window.workspace.path):
        return
    from .tasks import run_task
    path = window.workspace.path
    run_task(lambda _control: backup.rolling_backup(path), owner=window, what="sao lưu hằng ngày",
             on_failure=lambda failure: None)
