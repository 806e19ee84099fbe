"""The task runner (ui/tasks.py), the error dialog (ui/errors.py) and the change bridge (ui/changes.py)."""
from __future__ import annotations

import sys
import threading
import time

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QMessageBox, QWidget  # noqa: E402

from baocao_desktop.domain.errors import UserError  # noqa: E402
from baocao_desktop.services import events, logs  # noqa: E402
from baocao_desktop.ui import errors as ui_errors  # noqa: E402
from baocao_desktop.ui.changes import ChangeBridge, Changes, changes  # noqa: E402
from baocao_desktop.ui.tasks import Cancelled, TaskRunner, in_own_workspace, run_task  # noqa: E402

MAIN = threading.main_thread()


@pytest.fixture
def log_file(tmp_path):
    path = logs.setup_logging(tmp_path / "logs" / "baocao.log")
    yield path
    logs.stop_logging()


@pytest.fixture
def owner(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def boxes(widget) -> list[QMessageBox]:
    return [box for box in widget.findChildren(QMessageBox) if box.isVisible()]


# == the runner ======================================================================================
def test_the_work_runs_off_the_ui_thread_and_the_result_arrives_on_it(qtbot):
    seen = {}

    def work(control):
        seen["work"] = threading.current_thread()
        return 42

    def success(value):
        seen["success"] = (threading.current_thread(), value)
    finished = []
    task = run_task(work, on_success=success, on_finished=lambda: finished.append(task.state))
    qtbot.waitUntil(lambda: bool(finished), timeout=10000)
    assert seen["work"] is not MAIN
    assert seen["success"] == (MAIN, 42)
    assert finished == ["done"] and not task.running and task.wait(0)


def test_progress_is_delivered_on_the_ui_thread_latest_first_and_before_the_result(qtbot):
    events_seen = []

    def work(control):
        for done in range(1, 51):
            control.report(done, 50, f"Tệp {done}")
        return "xong"
    run_task(work, on_progress=lambda done, total, text: events_seen.append(
        ("progress", done, total, text, threading.current_thread() is MAIN)),
        on_success=lambda value: events_seen.append(("done", value)))
    qtbot.waitUntil(lambda: bool(events_seen) and events_seen[-1][0] == "done", timeout=10000)
    progress = [e for e in events_seen if e[0] == "progress"]
    assert progress[-1] == ("progress", 50, 50, "Tệp 50", True)
    assert len(progress) <= 50  # a burst of reports is shown as its latest
    assert [e[1] for e in progress] == sorted(e[1] for e in progress)


def test_cancel_stops_the_work_and_calls_on_cancelled(qtbot):
    started = threading.Event()
    outcome = []

    def work(control):
        started.set()
        while True:
            control.check()
            time.sleep(0.005)
    task = run_task(work, on_success=outcome.append, on_cancelled=lambda error: outcome.append(error),
                    on_failure=outcome.append)
    assert started.wait(10)
    task.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=10000)
    assert isinstance(outcome[0], Cancelled) and task.state == "cancelled"
    assert str(outcome[0]) == "Đã hủy theo yêu cầu; dữ liệu không thay đổi."


def test_a_service_refusal_after_cancel_counts_as_cancelled(qtbot):
    """The services raise their own Cancelled (a UserError) when `cancel=control` is set."""
    from baocao_desktop.services import exchange as ex
    from baocao_desktop.services.exchange.progress import check_cancel
    outcome = []

    def work(control):
        control.set()  # Event-like, as the services' cancel argument
        check_cancel(control)
    run_task(work, on_cancelled=outcome.append, on_failure=lambda f: outcome.append(("failed", f)))
    qtbot.waitUntil(lambda: bool(outcome), timeout=10000)
    assert isinstance(outcome[0], ex.Cancelled)


def test_a_user_error_is_shown_as_its_message_and_hint(qtbot, owner, log_file):
    def work(control):
        raise UserError("Không ghi được tệp “a.docx”.", hint="Hãy đóng tệp trong Word rồi thử lại.")
    task = run_task(work, owner=owner, title="Không xuất được")
    qtbot.waitUntil(lambda: bool(boxes(owner)), timeout=10000)
    box = boxes(owner)[0]
    assert box.windowTitle() == "Không xuất được" and box.icon() == QMessageBox.Icon.Critical
    assert box.text() == "Không ghi được tệp “a.docx”."
    assert box.informativeText() == "Hãy đóng tệp trong Word rồi thử lại."
    assert not box.failure.bug and task.state == "failed"
    assert not log_file.exists() or "a.docx" not in log_file.read_text(encoding="utf-8")  # not a bug
    box.close()


def test_a_bug_is_logged_with_its_traceback_and_shown_as_lỗi_chương_trình(qtbot, owner, log_file):
    def export_summary(control):
        raise ValueError("invalid literal for int() with base 10: 'x'")
    run_task(export_summary, owner=owner, title="Không xuất được", what="xuất báo cáo tổng hợp")
    qtbot.waitUntil(lambda: bool(boxes(owner)), timeout=10000)
    box = boxes(owner)[0]
    assert box.windowTitle() == "Lỗi chương trình"
    assert box.text().startswith("Lỗi chương trình")
    assert str(log_file) in box.informativeText()
    assert "invalid literal" not in box.text() + box.informativeText()  # never str(ValueError)
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "ValueError: invalid literal for int() with base 10: 'x'" in logged
    assert "xuất báo cáo tổng hợp" in logged and "in export_summary" in logged
    box.close()


def test_latest_wins_drops_the_stale_result(qtbot):
    release = threading.Event()
    results = []

    def slow(control):
        release.wait(10)
        return "cũ"
    first = run_task(slow, key="proofread:1", on_success=results.append, on_failure=results.append,
                     on_cancelled=results.append)
    second = run_task(lambda control: "mới", key="proofread:1", on_success=results.append)
    assert second.token > first.token and first.cancelled and not second.cancelled
    qtbot.waitUntil(lambda: second.state == "done", timeout=10000)
    release.set()
    qtbot.waitUntil(lambda: first.state == "dropped", timeout=10000)
    assert results == ["mới"]
    # other keys do not interfere
    third = run_task(lambda control: "khác", key="proofread:2", on_success=results.append)
    qtbot.waitUntil(lambda: third.state == "done", timeout=10000)
    assert results == ["mới", "khác"]


def test_nothing_is_called_back_on_a_deleted_owner(qtbot):
    release = threading.Event()
    widget = QWidget()
    called = []
    task = run_task(lambda control: release.wait(10), owner=widget, on_success=called.append,
                    on_finished=lambda: called.append("finished"))
    widget.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(widget), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: task.state == "dropped", timeout=10000)
    assert called == []


def test_a_work_gets_a_workspace_of_its_own(qtbot, demo_workspace):
    seen = []

    def count_reports(ws, control):
        seen.append(ws is not demo_workspace and ws.path == demo_workspace.path)
        return len(ws.list_reports())
    task = run_task(in_own_workspace(demo_workspace, count_reports), on_success=seen.append)
    qtbot.waitUntil(lambda: task.state == "done", timeout=10000)
    assert seen == [True, len(demo_workspace.list_reports())]


def test_a_runner_of_its_own_and_its_shutdown(qtbot):
    runner = TaskRunner()
    done = []
    runner.run(lambda control: 1, on_success=done.append)
    qtbot.waitUntil(lambda: done == [1], timeout=10000)
    runner.shutdown()


# == the error dialog and the hooks ==================================================================
def test_failure_of_words_a_bug_without_its_text(log_file):
    failure = ui_errors.failure_of(RuntimeError("list index out of range"))
    assert failure.bug and failure.message == ui_errors.BUG_MESSAGE and failure.log_path == log_file
    assert "index" not in failure.text and str(log_file) in failure.text
    # an error of the machine (a missing folder, a full disk) is said in Vietnamese, its text in the log only
    machine = ui_errors.failure_of(OSError(2, "No such file or directory"))
    assert not machine.bug and "Không tìm thấy tệp hoặc thư mục" in machine.message
    assert "No such file" not in machine.text and str(log_file) in machine.text
    user = ui_errors.failure_of(UserError("Thiếu tên đơn vị.", hint="Hãy nhập tên."))
    assert not user.bug and user.text == "Thiếu tên đơn vị.\nHãy nhập tên."


def test_an_uncaught_exception_on_the_ui_thread_is_logged_and_shown(qtbot, log_file, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", lambda *args: None)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    shown = []
    monkeypatch.setattr(ui_errors, "show_failure", lambda parent, title, failure, wait=True: shown.append(failure))
    ui_errors.install_gui_excepthook()
    try:
        raise KeyError("cột lạ")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    assert len(shown) == 1 and shown[0].bug and shown[0].log_path == log_file
    worker = threading.Thread(target=lambda: 1 / 0, name="worker-x")
    worker.start()
    worker.join()
    assert len(shown) == 1  # a worker's bug is logged, not shown from its thread
    logged = log_file.read_text(encoding="utf-8")
    assert "KeyError: 'cột lạ'" in logged and "ZeroDivisionError" in logged and "worker-x" in logged


# == the change bridge ===============================================================================
def test_an_announcement_from_a_worker_reaches_the_ui_thread(qtbot):
    bus = events.ChangeBus()
    bridge = ChangeBridge(bus=bus)
    received = []
    bridge.changed.connect(lambda changed: received.append((changed, threading.current_thread())))
    worker = threading.Thread(target=lambda: bus.announce(events.REPORTS, ["r1"]))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(received), timeout=5000)
    changed, thread = received[0]
    assert thread is MAIN
    assert changed.touches(events.REPORTS, "r1") and not changed.touches(events.REPORTS, "r2")
    assert not changed.touches(events.INBOX)
    bridge.close()


def test_a_burst_is_coalesced_into_one_change(qtbot):
    bus = events.ChangeBus()
    bridge = ChangeBridge(bus=bus)
    received = []
    bridge.changed.connect(received.append)

    def autosaves():
        for n in range(200):
            bus.announce(events.REPORTS, [f"r{n % 3}"])
        bus.announce(events.UNIT)
    worker = threading.Thread(target=autosaves)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(received), timeout=5000)
    qtbot.wait(100)
    assert len(received) == 1
    assert received[0].kinds == {events.REPORTS: {"r0", "r1", "r2"}, events.UNIT: None}
    assert received[0].touches_any(events.UNIT, events.INBOX) and not received[0].touches_any(events.INBOX)
    bridge.close()


def test_changes_merge_any_with_ids():
    merged = Changes.of([events.Change(events.REPORTS, frozenset({"a"})), events.Change(events.REPORTS),
                         events.Change(events.REPORTS, frozenset({"b"}))])
    assert merged.kinds == {events.REPORTS: None} and merged.touches(events.REPORTS, "z")


def test_the_application_bridge_is_one(qapp):
    assert changes() is changes()


# == the main window's list ==========================================================================
def test_the_report_list_refreshes_from_changes_once_per_burst_and_only_when_shown(
        qtbot, demo_workspace, tmp_path, monkeypatch, changes_arrived):
    from PySide6.QtCore import QSettings

    from baocao_desktop.ui.main_window import MainWindow
    window = MainWindow(demo_workspace, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    changes().flush()
    refreshed = []
    original = window.refresh_reports
    monkeypatch.setattr(window, "refresh_reports", lambda: (refreshed.append(1), original()))
    report_id = window.selected_report_id()

    def autosave_burst():  # the editor saves every second; a signing announces once
        for _ in range(25):
            events.announce(events.REPORTS, [report_id])
    worker = threading.Thread(target=autosave_burst)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: refreshed == [1], timeout=5000)
    changes_arrived()
    assert refreshed == [1]
    # INBOX alone (reports of other units) is not this list's business
    events.announce(events.INBOX)
    changes_arrived()
    assert refreshed == [1]
    # while the editor is shown the list is only marked stale, and read on the way back
    window.stack.setCurrentIndex(window.PAGE_EDITOR)
    for _ in range(5):
        events.announce(events.REPORTS, [report_id])
        changes_arrived()
    assert refreshed == [1]
    window.show_list()
    assert refreshed == [1, 1]
    window.show_list()  # nothing changed since: not read again
    assert refreshed == [1, 1]
    # the unit's name in the title follows UNIT
    demo_workspace.save_unit(name="Đảng ủy xã Mới", level=demo_workspace.own_unit().level)
    changes_arrived()
    assert window.windowTitle() == "BaoCao — Đảng ủy xã Mới"


def test_drop_cancels_a_keyed_run_and_drops_its_result(qtbot):
    release = threading.Event()
    called = []
    task = run_task(lambda control: release.wait(10), key="proofread:r1", on_success=called.append,
                    on_finished=lambda: called.append("finished"))
    from baocao_desktop.ui.tasks import runner
    runner().drop("proofread:r1")
    assert task.cancelled
    release.set()
    qtbot.waitUntil(lambda: task.state == "dropped", timeout=10000)
    assert called == []


def test_pause_gc_stops_automatic_collection_while_the_work_runs(qtbot):
    import gc
    seen = []
    assert gc.isenabled()
    task = run_task(lambda control: seen.append(gc.isenabled()), pause_gc=True)
    qtbot.waitUntil(lambda: task.state == "done", timeout=10000)
    assert seen == [False] and gc.isenabled()
