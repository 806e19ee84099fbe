"""Screenshots of the main screens on a temporary demo database, at 1366×768.

    python scripts/screenshots.py OUTDIR

With no DISPLAY and an `Xvfb` binary on PATH, starts `Xvfb :99 -screen 0 1366x768x24` itself (real
X11 rendering, like a user's screen); otherwise falls back to Qt's offscreen platform. Nothing is
written outside OUTDIR and a temporary folder (settings included).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCREEN_W, SCREEN_H = 1366, 768


def start_xvfb() -> subprocess.Popen | None:
    """Start a private Xvfb when there is no display; returns the process (None: use offscreen)."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return None
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    for number in range(99, 120):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        proc = subprocess.Popen([xvfb, f":{number}", "-screen", "0", f"{SCREEN_W}x{SCREEN_H}x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                os.environ["DISPLAY"] = f":{number}"
                os.environ["QT_QPA_PLATFORM"] = "xcb"
                return proc
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.kill()
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Cách dùng: python scripts/screenshots.py THƯ_MỤC_ẢNH", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    xvfb = start_xvfb()
    tmp = Path(tempfile.mkdtemp(prefix="baocao-shots-"))
    try:
        return take_all(out, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def take_all(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))

    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    from baocao_desktop.ui.app import create_application, db_error_box
    from baocao_desktop.ui.main_window import MainWindow, editor_class
    from baocao_desktop.ui.new_report_dialog import NewReportDialog
    from baocao_desktop.ui.setup_dialog import SetupDialog

    app = create_application([])
    platform = QApplication.platformName()
    real_screen = platform == "xcb"
    saved: list[str] = []

    def settle(ms: int = 250) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def shoot(name: str, widget, whole_screen: bool = False) -> None:
        settle()
        if whole_screen and real_screen:
            pixmap = widget.screen().grabWindow(0)
        else:
            pixmap = widget.grab()
        path = out / f"{name}.png"
        pixmap.save(str(path))
        saved.append(f"{path} ({pixmap.width()}×{pixmap.height()})")

    def settings() -> QSettings:
        return QSettings(str(tmp / "window.ini"), QSettings.Format.IniFormat)

    def place(window) -> None:
        window.setGeometry(0, 0, SCREEN_W, SCREEN_H)
        if real_screen:  # no window manager under Xvfb: the frame is the window itself
            window.move(0, 0)

    # -- a fresh installation: first-run setup and the empty list ----------------------------------
    empty = Workspace(tmp / "trong.sqlite3", author="screenshots")
    dialog = SetupDialog(empty, first_run=True)
    dialog.show()
    shoot("01_thiet_lap_lan_dau", dialog)
    # a typed unit with a malformed figure: the message quotes it and nothing is lost
    dialog.name_edit.setText("Đảng ủy xã Tả Van")
    dialog.place_edit.setText("Tả Van")
    dialog.add_signer_row(name="Giàng A Chư")
    row = dialog.add_fact_row("Diện tích tự nhiên", "7,3.0", "km²")
    dialog.facts_table.setCurrentCell(row, dialog.COL_VALUE)
    dialog.buttons.accepted.emit()
    shoot("01b_thiet_lap_so_sai", dialog)
    dialog.reject()
    empty.save_unit(name="Đảng ủy xã Tả Van", level="xã", upper_body="Đảng bộ tỉnh Lào Cai", place_name="Tả Van",
                    symbol="ĐU")
    window = MainWindow(empty, settings())
    place(window)
    window.show()
    shoot("02_danh_sach_trong", window, whole_screen=True)
    window.close()

    # -- the demo database ------------------------------------------------------------------------------
    ws = Workspace(tmp / "demo.sqlite3", author="screenshots")
    load_demo(ws)
    window = MainWindow(ws, settings())
    place(window)
    window.show()
    shoot("03_danh_sach_bao_cao", window, whole_screen=True)

    dialog = SetupDialog(ws, window)
    dialog.show()
    shoot("04_thong_tin_don_vi", dialog)
    dialog.reject()

    import datetime as dt
    dialog = NewReportDialog(ws, window, today=dt.date(2026, 6, 17))
    dialog.show()
    shoot("05_bao_cao_moi", dialog)
    dialog.buttons.accepted.emit()  # the week of 08/6 exists: shows the duplicate message
    shoot("06_bao_cao_moi_trung_ky", dialog)
    dialog.reject()

    if editor_class() is not None:
        first = ws.list_reports()[-1]  # Tuần 23 (01/6–07/6/2026)
        window.open_report(first.id)
        settle(600)
        if hasattr(window.editor, "select_section"):
            window.editor.select_section("II.1.1.a")
        settle(600)
        shoot("07_soan_bao_cao_II_1_1_a", window, whole_screen=True)
        window.show_list()
    else:
        print("(ReportEditor chưa có: bỏ qua ảnh trình soạn báo cáo)")

    box = window.export_done_box(str(Path.home() / "Tài liệu" / ws.suggested_file_name(ws.list_reports()[0].id)))
    QTimer.singleShot(0, lambda: None)
    box.show()
    shoot("08_da_xuat_docx", box)
    box.hide()

    bad = tmp / "hong.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    try:
        Workspace(bad)
    except Exception as exc:  # the StoreError shown at start-up
        box = db_error_box(bad, exc)
        box.show()
        shoot("09_loi_co_so_du_lieu", box)
        box.hide()

    window.close()
    ws.close()
    empty.close()
    print(f"Nền tảng Qt: {platform}")
    print("\n".join(saved))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
