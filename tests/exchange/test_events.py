"""What the exchange announces (services/events.py), without Qt: an import announces INBOX and REPORTS once
for the whole batch, after its commit, and nothing when nothing was written; registering a unit announces
INBOX; making the own key announces UNIT; marking reports sent announces REPORTS."""
import pytest

from baocao_desktop.services import events
from baocao_desktop.services import exchange as ex
from tests.exchange.conftest import WEEK1, WEEK2, WEEK3, correct_and_resend


@pytest.fixture
def heard():
    """The changes announced while a test runs, in order."""
    changes: list[events.Change] = []
    unsubscribe = events.subscribe(changes.append)
    yield changes
    unsubscribe()


def of_kind(changes, kind):
    return [c for c in changes if c.kind == kind]


def first_weeks(communes, stick) -> list:
    """Each commune's week 1, sent: one transfer file each."""
    for commune in communes:
        commune.weekly(WEEK1)
    return [commune.send(stick).path for commune in communes]


def test_a_batch_import_announces_once_with_every_report_received(two_communes, upper, stick, heard):
    a, _ = two_communes
    paths = first_weeks(two_communes, stick)
    for start in (WEEK2, WEEK3):
        paths.append(a.send(stick, [a.weekly(start)]).path)
    heard.clear()
    result = ex.import_bundles(upper, paths)
    assert result.counts()["new"] == 4 and len(result.touched_reports) == 4
    reports = of_kind(heard, events.REPORTS)
    assert len(reports) == 1
    assert reports[0].ids == frozenset(result.touched_reports)
    assert reports[0].ids == frozenset(r.id for r in upper.list_reports(own_only=False))
    assert len(of_kind(heard, events.INBOX)) == 1
    assert not of_kind(heard, events.UNIT) and not of_kind(heard, events.TEMPLATES)


def test_announcements_come_after_the_commit(two_communes, upper, stick, heard):
    """A listener that reads the database when it hears the change sees the imported reports."""
    a, _ = two_communes
    a.weekly(WEEK1)
    path = a.send(stick).path
    seen = []
    unsubscribe = events.subscribe(lambda change: seen.append(
        (change.kind, upper.store.conn.in_transaction, len(upper.list_reports(own_only=False)))))
    try:
        ex.import_bundles(upper, [path])
    finally:
        unsubscribe()
    assert (events.REPORTS, False, 1) in seen and (events.INBOX, False, 1) in seen


def test_the_two_steps_of_the_dialog_announce_once_at_the_import(two_communes, upper, stick, heard):
    paths = first_weeks(two_communes, stick)
    heard.clear()
    with ex.prepare_import(upper, paths) as plan:
        assert plan.counts()["new"] == 2
        assert heard == []  # the dry run writes nothing
        result = ex.apply_import(upper, plan)
    assert [c.kind for c in heard] == [events.REPORTS, events.INBOX]
    assert heard[0].ids == frozenset(result.touched_reports) and len(result.touched_reports) == 2


def test_a_refused_file_announces_nothing(make_commune, upper, stick, heard):
    commune = make_commune()  # not registered at the upper level
    commune.weekly(WEEK1)
    path = commune.send(stick).path
    heard.clear()
    result = ex.import_bundles(upper, [path])
    assert result.plan.refused and result.plan.refused[0].code == "unknown_unit"
    assert heard == []
    assert ex.import_bundles(upper, [path], dry_run=True).plan.refused
    assert heard == []


def test_a_file_imported_again_announces_nothing(two_communes, upper, stick, heard):
    a, _ = two_communes
    a.weekly(WEEK1)
    path = a.send(stick).path
    ex.import_bundles(upper, [path])
    heard.clear()
    again = ex.import_bundles(upper, [path])
    assert again.plan.files[0].code == "duplicate" and not again.touched_reports
    assert heard == []


def test_a_cancelled_import_announces_nothing(two_communes, upper, stick, heard, monkeypatch):
    from baocao_desktop.services.exchange import receive
    monkeypatch.setattr(receive, "CHUNK_SECONDS", float("inf"))  # a short import: one part
    paths = first_weeks(two_communes, stick)
    heard.clear()
    calls = []

    def cancel_at_the_second_file():
        calls.append(1)
        return len(calls) > 1  # checked once a file: the first goes in, then Cancel
    with ex.prepare_import(upper, paths) as plan:
        with pytest.raises(ex.Cancelled):
            ex.apply_import(upper, plan, cancel=cancel_at_the_second_file)
    assert upper.list_reports(own_only=False) == []
    assert heard == []


def test_registering_a_unit_from_a_key_file_or_a_file_announces_inbox(make_commune, upper, stick, tmp_path, heard):
    commune = make_commune()
    key = commune.key_file(tmp_path)
    heard.clear()
    ex.register_unit(upper, key)
    assert [c.kind for c in heard] == [events.INBOX]
    # registering from the file itself (after confirming the fingerprint) is part of the import's one INBOX
    other = make_commune("Đảng ủy xã Lùng Phình", "Lùng Phình")
    other.weekly(WEEK1)
    path = other.send(stick).path
    heard.clear()
    result = ex.import_bundles(upper, [path], register_new=True)
    assert result.registered == [other.unit_id]
    assert sorted(c.kind for c in heard) == sorted([events.INBOX, events.REPORTS])


def test_a_refused_key_announces_nothing_and_a_replaced_one_inbox(make_commune, upper, tmp_path, heard):
    commune = make_commune()
    ex.register_unit(upper, commune.key_file(tmp_path))
    # the commune reinstalls: a new key, refused until the fingerprint is confirmed
    commune.ws.store.conn.execute("UPDATE unit_keys SET revoked_at = 'x' WHERE role = 'self'")
    (tmp_path / "moi").mkdir()
    new_key = commune.key_file(tmp_path / "moi")
    heard.clear()
    with pytest.raises(ex.KeyClash):
        ex.register_unit(upper, new_key)
    assert heard == []
    assert ex.register_unit(upper, new_key, replace=True).outcome == "replaced"
    assert [c.kind for c in heard] == [events.INBOX]


def test_making_the_own_key_announces_unit_once(make_commune, heard):
    commune = make_commune()
    heard.clear()
    info = ex.ensure_own_key(commune.ws)
    assert [c.kind for c in heard] == [events.UNIT]
    heard.clear()
    assert ex.ensure_own_key(commune.ws) == info  # already made: nothing changes
    assert heard == []


def test_marking_reports_sent_announces_them(make_commune, stick, heard):
    commune = make_commune()
    ex.ensure_own_key(commune.ws)
    first, second = commune.weekly(WEEK1), commune.weekly(WEEK2)
    heard.clear()
    result = commune.send(stick)
    assert sorted(result.marked_sent) == sorted([first, second])
    reports = of_kind(heard, events.REPORTS)
    assert len(reports) == 1 and reports[0].ids == frozenset([first, second])
    heard.clear()
    commune.send(stick, [first])  # already Đã gửi: nothing changes
    assert of_kind(heard, events.REPORTS) == []
    third = commune.weekly(WEEK3)
    heard.clear()  # making and signing it announced its own changes
    commune.send(stick, [third], mark_sent=False)  # --keep-status
    assert of_kind(heard, events.REPORTS) == []
    assert commune.ws.report(third).status == "signed"


def test_resolving_a_conflict_announces_the_report(two_communes, upper, stick, heard):
    a, _ = two_communes
    report = a.weekly(WEEK1)
    ex.import_bundles(upper, [a.send(stick).path])
    upper.unlock(report, "Sửa số gia súc theo điện thoại của xã")  # edited here, then a new version comes
    upper.set_value(report, "tong_dan_gia_suc", "actual", "5.100")
    ex.import_bundles(upper, [correct_and_resend(a, report, stick)])
    incoming = next(v for v in ex.report_versions(upper, report) if v.state == "conflict")
    heard.clear()
    ex.resolve_conflict(upper, report, incoming.id)
    reports = of_kind(heard, events.REPORTS)
    assert len(reports) == 1 and report in reports[0].ids
    assert len(of_kind(heard, events.INBOX)) == 1
