"""The editor while another program holds the database's write lock (a batch import, a second window):
what was typed stays marked unsaved, a banner says so, the save is retried, and once the lock is released
the text reaches the database. Real widgets (pytest-qt, offscreen); the lock is held by another process."""
from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

import shiboken6  # noqa: E402

from baocao_desktop.ui.editor.window import UNSAVED_BANNER, ReportEditor  # noqa: E402
from tests.ui.keys import type_text  # noqa: E402
from tests.write_lock import write_lock_held  # noqa: E402

SECTION = "II.1.1.a"
WAIT = 20000  # ms, an upper bound only


@pytest.fixture
def report(workspace):
    workspace.save_unit(name="Đảng ủy xã Thử Nghiệm", place_name="Thử Nghiệm")
    return workspace.create_report("bc_tuan", "2026-06-01")


@pytest.fixture
def editor(qtbot, workspace, report):
    window = ReportEditor(workspace, report.id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    if shiboken6.isValid(window):
        window.close()
        shiboken6.delete(window)


def stored_text(workspace, report_id) -> str:
    return workspace.report(report_id).texts.get(SECTION) or ""


def test_typed_text_stays_unsaved_while_the_database_is_locked_then_reaches_it(qtbot, workspace, report, editor):
    editor.select_section(SECTION)
    with write_lock_held(workspace.path) as lock:
        type_text(editor.narrative, "Tổ chức 02 hội nghị.")
        # the autosave ran, found the lock held, and kept the edit
        qtbot.waitUntil(lambda: editor.unsaved_banner.isVisible(), timeout=WAIT)
        assert editor.unsaved_banner.text() == UNSAVED_BANNER
        assert editor.has_pending_changes()
        assert editor.save_pending_retry
        assert stored_text(workspace, report.id) == ""
        assert "Tổ chức 02 hội nghị." in editor.narrative.toPlainText()
        lock.release()
        # the retry goes through on its own
        qtbot.waitUntil(lambda: stored_text(workspace, report.id) == "Tổ chức 02 hội nghị.", timeout=WAIT)
    qtbot.waitUntil(lambda: not editor.unsaved_banner.isVisible(), timeout=WAIT)
    assert not editor.has_pending_changes()


def test_a_flush_on_a_locked_database_keeps_every_edit_pending(qtbot, workspace, report, editor, monkeypatch):
    from baocao_desktop.ui.editor import window as window_module
    monkeypatch.setattr(window_module, "WRITE_WAIT_SECONDS", 0.2)  # closing waits longer than autosave
    editor.select_section(SECTION)
    with write_lock_held(workspace.path):
        type_text(editor.narrative, "Nội dung chưa lưu")
        assert editor.flush() is False
        assert editor.has_pending_changes() and editor.unsaved_banner.isVisible()
    assert editor.flush() is True
    assert stored_text(workspace, report.id) == "Nội dung chưa lưu"
    assert not editor.unsaved_banner.isVisible()


def test_submitting_while_the_typed_text_cannot_be_saved_is_refused(qtbot, workspace, report, editor, monkeypatch):
    from baocao_desktop.ui.editor import window as window_module
    monkeypatch.setattr(window_module, "WRITE_WAIT_SECONDS", 0.2)
    editor.select_section(SECTION)
    with write_lock_held(workspace.path):
        type_text(editor.narrative, "Nội dung phải có trong bản trình ký")
        assert editor.request_submit() is False
        assert "Dữ liệu đang bận" in editor.message_box.text()
    assert workspace.report(report.id).status == "draft"
    assert editor.has_pending_changes()  # still waiting, as typed; the next save stores it
    assert editor.flush() is True
    assert stored_text(workspace, report.id) == "Nội dung phải có trong bản trình ký"
