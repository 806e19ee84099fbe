"""A long import commits in parts (about half a second each, whole files only), so that another writer
(the editor's autosave, another window) waits for one part, never for the whole batch."""
import threading

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import receive
from baocao_desktop.services.workspace import Workspace
from tests.exchange.conftest import WEEK1, WEEK2, WEEK3


def three_files(two_communes, stick):
    a, b = two_communes
    paths = []
    for week in (WEEK1, WEEK2, WEEK3):
        a.weekly(week)
        paths.append(a.send(stick).path)
    b.weekly(WEEK1)
    paths.append(b.send(stick).path)
    return paths


def test_a_cancelled_long_import_keeps_the_whole_files_of_the_committed_parts(two_communes, upper, stick,
                                                                               monkeypatch):
    monkeypatch.setattr(receive, "CHUNK_SECONDS", 0.0)  # every file is a part
    paths = three_files(two_communes, stick)
    calls = []

    def cancel_at_the_third_file():
        calls.append(1)
        return len(calls) >= 3
    with ex.prepare_import(upper, paths) as plan:
        with pytest.raises(ex.Cancelled, match="2 tệp đầu đã nhập trọn vẹn"):
            ex.apply_import(upper, plan, cancel=cancel_at_the_third_file)
    imported = upper.list_reports(own_only=False)
    assert len(imported) == 2
    # importing everything again takes the rest and finds the two files already there
    result = ex.import_bundles(upper, paths)
    assert result.counts()["new"] == 2
    assert [f.code for f in result.plan.files].count("duplicate") == 2
    assert len(upper.list_reports(own_only=False)) == 4


def test_another_writer_gets_in_between_two_parts(two_communes, upper, stick, monkeypatch):
    monkeypatch.setattr(receive, "CHUNK_SECONDS", 0.0)
    paths = three_files(two_communes, stick)
    other = Workspace(upper.path, author="nguoi-sua")
    outcome = []

    def write_meanwhile():
        try:
            with other.store.waiting_at_most(2.0):  # more than one part takes, far less than the batch
                other.store.set_setting("ghi_chu", "đã ghi trong lúc nhập")
            outcome.append("written")
        except Exception as exc:  # noqa: BLE001 (the test says what happened)
            outcome.append(repr(exc))
    writer = threading.Thread(target=write_meanwhile)

    def progress(step):
        if step.stage == "import" and step.done == 1 and not writer.is_alive() and not outcome:
            writer.start()  # the import holds the lock now: the writer must wait for the next gap
            slow_files.set()
    slow_files = threading.Event()
    real_write = receive.write_file

    def slow_write_file(*args, **kwargs):
        if slow_files.is_set():
            threading.Event().wait(0.3)  # each file takes a while, as a big batch's do
        return real_write(*args, **kwargs)
    monkeypatch.setattr(receive, "write_file", slow_write_file)
    try:
        with ex.prepare_import(upper, paths) as plan:
            ex.apply_import(upper, plan, progress=progress)
        writer.join(10)
        assert outcome == ["written"]
        assert upper.store.get_setting("ghi_chu") == "đã ghi trong lúc nhập"
        assert len(upper.list_reports(own_only=False)) == 4
    finally:
        other.close()
