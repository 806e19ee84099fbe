"""The single-instance guard: one GUI per database file, released by the OS when the process ends."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from baocao_desktop.services.instance_lock import acquire, lock_path

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent("""
    import sys, time
    from baocao_desktop.services.instance_lock import acquire
    lock = acquire(sys.argv[1])
    print("held" if lock is not None and lock.held else "refused", flush=True)
    time.sleep(60)
""")


def start_holder(db: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_window_on_the_same_file_is_refused_and_freed_when_the_first_ends(tmp_path):
    db = tmp_path / "Dữ liệu xã" / "baocao.sqlite3"  # Vietnamese folder, not yet existing
    holder = start_holder(db)
    try:
        assert acquire(db) is None
        other = acquire(tmp_path / "khác.sqlite3")  # another database: no conflict
        assert other is not None and other.held
        other.release()
    finally:
        holder.kill()  # like a crash: no clean release
        holder.wait()
    for _ in range(50):
        lock = acquire(db)
        if lock is not None:
            break
        time.sleep(0.1)
    assert lock is not None and lock.held
    assert lock_path(db).read_text(encoding="ascii").startswith("BaoCao pid ")
    lock.release()
    assert not lock.held


def test_release_lets_the_next_window_in(tmp_path):
    db = tmp_path / "baocao.sqlite3"
    with acquire(db) as first:
        assert first.held
    second = acquire(db)
    assert second is not None and second.held
    second.release()
    second.release()  # twice is harmless


def test_no_lock_file_possible_means_no_guard_not_a_refusal(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    lock = acquire(blocker / "baocao.sqlite3")  # the parent is a file: the lock file cannot be made
    assert lock is not None and not lock.held
    lock.release()


def test_gui_guard_says_so_in_vietnamese_and_gives_up_on_quit(tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from baocao_desktop.ui import instance_guard

    db = tmp_path / "baocao.sqlite3"
    shown = []

    def fake_exec(box):
        shown.append((box.text(), box.informativeText(), [b.text() for b in box.buttons()]))
        box.quit_button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    holder = start_holder(db)
    try:
        assert instance_guard.guard_database(db) is None
    finally:
        holder.kill()
        holder.wait()
    text, info, buttons = shown[0]
    assert "“baocao.sqlite3” đang được mở trong một cửa sổ BaoCao khác" in text
    assert "thanh tác vụ" in info and set(buttons) == {"Thử lại", "Thoát"}
    lock = instance_guard.guard_database(db)  # free again: no box
    assert lock is not None and lock.held and len(shown) == 1
    lock.release()
