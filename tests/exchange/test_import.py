"""Receiving: verify, dry-run, import in one transaction, versions, conflicts, many files with progress."""
import json

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.exchange import plan as import_plan, receive, verify
from baocao_desktop.services.errors import ServiceError
from tests.exchange.conftest import WEEK1, WEEK2, WEEK3, correct_and_resend, db_state, week_values


def test_dry_run_shows_what_would_happen_and_changes_nothing(two_communes, upper, stick):
    a, b = two_communes
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    paths = [a.send(stick).path, b.send(stick).path]
    before = db_state(upper)
    result = ex.import_bundles(upper, paths, dry_run=True)
    assert result.dry_run and result.counts() == {"files": 2, "files_refused": 0, "new": 2, "new_version": 0,
                                                  "unchanged": 0, "older": 0, "conflict": 0, "rejected": 0}
    assert db_state(upper) == before
    text = result.summary_text()
    assert text.startswith("Chạy thử (chưa nhập gì):") and "Báo cáo tuần Tuần 23 (01/6–07/6/2026): Báo cáo mới" in text
    assert json.loads(json.dumps(result.to_json()))["files"][0]["reports"][0]["action"] == "new"


def test_import_puts_each_units_reports_under_that_unit(two_communes, upper, stick):
    a, b = two_communes
    ra = a.weekly(WEEK1)
    b.weekly(WEEK1, week_values(lua="200", lua_plan="250"))
    result = ex.import_bundles(upper, [a.send(stick).path, b.send(stick).path])
    assert result.counts()["new"] == 2 and len(result.touched_reports) == 2
    reports = {upper.unit(r.unit_id).name: r for r in upper.list_reports(own_only=False)}
    assert set(reports) == {"Đảng ủy xã Bản Phố", "Đảng ủy xã Lùng Phình"}
    assert upper.own_unit().name == "Văn phòng Tỉnh ủy Lào Cai"  # the senders never become "self"
    got = upper.report(reports["Đảng ủy xã Bản Phố"].id)
    sent = a.ws.report(ra)
    assert got.id == ra and got.content_digest() == sent.content_digest() == got.content_hash
    assert got.status == "sent" and got.locked
    assert str(upper.report(reports["Đảng ủy xã Lùng Phình"].id).values["lua_mua_dien_tich"]["actual"]) == "200"
    versions = ex.report_versions(upper, ra)
    assert [(v.origin, v.state) for v in versions] == [("received", "current")]
    summary = upper.store.conn.execute("SELECT errors, warnings, kept_warnings FROM check_summaries "
                                       "WHERE report_id = ?", (ra,)).fetchone()
    assert summary == (0, 0, 0)
    # the sender's profile travels with it
    a.ws.add_profile_fact("dan_so", "Dân số", "9.876", "người", "2026-01-01")


def test_the_report_list_shows_only_own_reports_received_ones_stay_in_the_upper_level_screens(
        two_communes, upper, stick):
    a, _ = two_communes
    received = a.weekly(WEEK1)
    ex.import_bundles(upper, [a.send(stick).path])
    own = upper.create_report("bc_tuan", WEEK2)
    assert [r.id for r in upper.list_reports()] == [own.id]
    assert {r.id for r in upper.list_reports(own_only=False)} == {own.id, received}
    assert [r.id for r in a.ws.list_reports()] == [received]  # the commune still sees the report it sent


def test_the_same_file_twice_changes_nothing(two_communes, upper, stick):
    a, _ = two_communes
    a.weekly(WEEK1)
    path = a.send(stick).path
    ex.import_bundles(upper, [path])
    before = db_state(upper)
    again = ex.import_bundles(upper, [path])
    assert again.plan.files[0].code == "duplicate" and again.counts()["unchanged"] == 1
    assert "đã được nhập" in again.plan.files[0].message
    assert db_state(upper) == before
    # the same file twice in one batch, and a re-export of unchanged reports: nothing new either
    assert ex.import_bundles(upper, [path, path]).counts()["new"] == 0
    resent = a.send(stick).path
    assert ex.import_bundles(upper, [resent]).counts() == {"files": 1, "files_refused": 0, "new": 0,
                                                           "new_version": 0, "unchanged": 1, "older": 0,
                                                           "conflict": 0, "rejected": 0}
    assert upper.store.conn.execute("SELECT COUNT(*) FROM report_versions").fetchone()[0] == 1


def test_a_corrected_resend_becomes_a_new_version_and_the_old_one_is_kept(two_communes, upper, stick):
    a, _ = two_communes
    report = a.weekly(WEEK1)
    first = a.send(stick).path
    ex.import_bundles(upper, [first])
    second = correct_and_resend(a, report, stick)
    plan = ex.prepare_import(upper, [second])
    entry = plan.files[0].reports[0]
    assert entry.action == "new_version"
    assert [c.describe() for c in entry.changes] == ["Diện tích lúa mùa (thực hiện): 300 → 350"]
    ex.apply_import(upper, plan)
    plan.close()
    assert str(upper.report(report).values["lua_mua_dien_tich"]["actual"]) == "350"
    versions = ex.report_versions(upper, report)
    assert [v.state for v in versions] == ["superseded", "current"]
    old = ex.version_content(upper, versions[0].id)
    assert old["values"]["lua_mua_dien_tich"]["actual"] == "300"
    assert [c.key for c in ex.compare_versions(upper, versions[0].id, versions[1].id)] == ["lua_mua_dien_tich.actual"]
    # the first file arriving late (another stick) is kept as an older version, not made current
    assert ex.import_bundles(upper, [first]).counts()["unchanged"] == 1
    log = [r for r in upper.revisions(report) if r["entity"] == "exchange"]
    assert len(log) == 1


def test_versions_arriving_out_of_order(two_communes, upper, stick, tmp_path):
    a, _ = two_communes
    report = a.weekly(WEEK1)
    first = a.send(stick).path
    second = correct_and_resend(a, report, stick)
    other = upper.path.parent / "other.sqlite3"
    from baocao_desktop.services.workspace import Workspace
    ws2 = Workspace(other, author="x")
    ws2.save_unit(name="Tỉnh ủy thử", level="tỉnh")
    try:
        # the newer file first, the older one later: the older is kept but not used
        ex.import_bundles(ws2, [second], register_new=True)
        result = ex.import_bundles(ws2, [first])
        assert result.plan.reports[0].action == "older"
        assert str(ws2.report(report).values["lua_mua_dien_tich"]["actual"]) == "350"
        assert [v.state for v in ex.report_versions(ws2, report)] == ["superseded", "current"]
    finally:
        ws2.close()
    # both files in one batch, given newest first: applied oldest first, the newest ends current
    result = ex.import_bundles(upper, [second, first])
    assert [r.action for r in result.plan.reports] == ["new", "new_version"]
    assert str(upper.report(report).values["lua_mua_dien_tich"]["actual"]) == "350"


def test_a_local_edit_and_a_new_version_conflict_and_both_are_kept(two_communes, upper, stick):
    a, _ = two_communes
    report = a.weekly(WEEK1)
    ex.import_bundles(upper, [a.send(stick).path])
    # the upper level corrects a figure itself (unlock with a reason, edit)
    upper.unlock(report, "Sửa số gia súc theo điện thoại của xã")
    upper.set_value(report, "tong_dan_gia_suc", "actual", "5.100")
    resent = correct_and_resend(a, report, stick)
    before = db_state(upper)
    plan = ex.prepare_import(upper, [resent])
    entry = plan.reports[0]
    assert entry.action == "conflict" and "đã được sửa" in entry.reason
    described = {c.key: (c.old, c.new) for c in entry.changes}
    assert described["lua_mua_dien_tich.actual"] == ("300", "350")  # incoming side
    assert described["tong_dan_gia_suc.actual"] == ("5.100", "5.000")  # local side
    assert db_state(upper) == before
    ex.apply_import(upper, plan)
    plan.close()
    live = upper.report(report)
    assert str(live.values["tong_dan_gia_suc"]["actual"]) == "5100"  # the local edit stays in use
    assert str(live.values["lua_mua_dien_tich"]["actual"]) == "300"
    versions = {(v.origin, v.state): v for v in ex.report_versions(upper, report)}
    assert set(versions) == {("received", "superseded"), ("local", "current"), ("received", "conflict")}
    assert ex.conflicts(upper) == [report]
    incoming = versions[("received", "conflict")]
    assert ex.version_content(upper, incoming.id)["values"]["lua_mua_dien_tich"]["actual"] == "350"
    # a further re-send while the conflict is open is queued beside it, never applied over the edit
    third = correct_and_resend(a, report, stick, value="360")
    assert ex.import_bundles(upper, [third]).plan.reports[0].action == "conflict"
    # choose the commune's latest version: the local edit remains stored as a version
    latest = [v for v in ex.report_versions(upper, report) if v.state == "conflict"][-1]
    ex.resolve_conflict(upper, report, latest.id)
    assert str(upper.report(report).values["lua_mua_dien_tich"]["actual"]) == "360"
    states = [(v.origin, v.state) for v in ex.report_versions(upper, report)]
    assert states.count(("received", "current")) == 1 and ("local", "superseded") in states
    assert ex.conflicts(upper) == []
    local = next(v for v in ex.report_versions(upper, report) if v.origin == "local")
    assert ex.version_content(upper, local.id)["values"]["tong_dan_gia_suc"]["actual"] == "5100"


def test_an_unknown_unit_is_refused_with_its_fingerprint_until_registered(make_commune, upper, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    path = commune.send(stick).path
    fingerprint = ex.own_key(commune.ws).fingerprint
    before = db_state(upper)
    result = ex.import_bundles(upper, [path])
    refused = result.plan.files[0]
    assert not refused.ok and refused.code == "unknown_unit" and refused.needs_registration
    # the reason is the same for the GUI and the command line: no command-line option in it
    assert fingerprint in refused.message and "đăng ký đơn vị mới" in refused.message and "--" not in refused.message
    assert db_state(upper) == before
    result = ex.import_bundles(upper, [path], register_new=True)
    assert result.registered == [commune.unit_id] and result.counts()["new"] == 1
    assert [k.fingerprint for k in ex.registered_units(upper)] == [fingerprint]


def test_a_folder_is_searched_for_transfer_files(two_communes, upper, stick):
    a, b = two_communes
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    a.send(stick)
    (stick / "xa2").mkdir()
    b.send(stick / "xa2")
    (stick / "ghi chú.txt").write_text("không phải tệp gửi", encoding="utf-8")
    (stick / ".dang-ghi.tmp.baocao").write_bytes(b"half")
    assert len(ex.find_bundles(stick)) == 2
    assert ex.import_bundles(upper, [stick]).counts()["new"] == 2


def test_progress_and_cancel_leave_nothing_half_imported(two_communes, upper, stick, monkeypatch):
    monkeypatch.setattr(receive, "CHUNK_SECONDS", float("inf"))  # a short import: one part
    a, b = two_communes
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    paths = [a.send(stick).path, b.send(stick).path]
    seen = []
    plan = ex.prepare_import(upper, paths, progress=seen.append)
    assert [p.stage for p in seen][:2] == ["copy", "copy"] and seen[-1].stage == "plan"
    for p in paths:
        p.unlink()  # the stick is gone: the local copies are enough
    before = db_state(upper)
    calls = []

    def cancel_on_second_file():
        calls.append(1)
        return len(calls) >= 2
    with pytest.raises(ex.Cancelled, match="dữ liệu không thay đổi"):
        ex.apply_import(upper, plan, cancel=cancel_on_second_file)
    assert db_state(upper) == before
    progress = []
    result = ex.apply_import(upper, plan, progress=progress.append)
    plan.close()
    assert result.counts()["new"] == 2
    assert {"import", "check"} <= {p.stage for p in progress}


def test_own_file_is_not_imported(make_commune, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    path = commune.send(stick).path
    result = ex.import_bundles(commune.ws, [path], register_new=True)
    assert result.plan.files[0].code == "own_unit"


def test_a_new_template_comes_with_the_file(two_communes, upper, stick):
    a, _ = two_communes
    a.weekly(WEEK1)
    path = a.send(stick).path
    upper.store.conn.execute("DELETE FROM templates WHERE code = 'bc_tuan'")
    ex.import_bundles(upper, [path])
    assert upper.template("bc_tuan", 1).name == "Báo cáo tuần"  # what the commune's report pins
    with pytest.raises(ServiceError):  # but never the upper level's own current template (issue 19.2)
        upper.template("bc_tuan")
    assert upper.template("bc_tuan", received_too=True).version == 1  # the inbox and aggregation read with it


def test_received_checks_counts_errors_and_kept_warnings(two_communes, upper, stick):
    a, _ = two_communes
    ws = a.ws
    report = a.weekly(WEEK1, sign=False)
    ws.set_section_text(report, "IV", "")
    warning = next(f for f in ws.check(report) if f.code == "required.empty")
    ws.justify(report, warning.key, "Tuần này chưa có phương hướng, sẽ bổ sung trong báo cáo tháng.")
    ws.sign(report)
    draft = a.weekly(WEEK2, week_values(kham_cum="999", kham_prev="500"), sign=False)  # cumulative error
    ex.import_bundles(upper, [a.send(stick, [report, draft]).path])
    rows = dict((r[0], r[1:]) for r in upper.store.conn.execute(
        "SELECT report_id, errors, warnings, kept_warnings FROM check_summaries"))
    assert rows[report] == (0, 0, 1)
    assert rows[draft][0] == 1
    kept = ex.check_received(upper, report)
    assert [f.justification for f in kept if f.code == "required.empty"] == [
        "Tuần này chưa có phương hướng, sẽ bổ sung trong báo cáo tháng."]
    assert upper.report(draft).status == "draft"


def test_registration_from_a_bundle_and_later_name_change(make_commune, upper, stick):
    commune = make_commune()
    commune.weekly(WEEK1)
    ex.import_bundles(upper, [commune.send(stick).path], register_new=True)
    commune.ws.save_unit(name="Đảng ủy xã Bản Phố Mới")
    commune.weekly(WEEK2)
    ex.import_bundles(upper, [commune.send(stick).path])
    assert upper.unit(commune.unit_id).name == "Đảng ủy xã Bản Phố Mới"


def test_resolve_conflict_refuses_a_foreign_version(two_communes, upper, stick):
    a, _ = two_communes
    report = a.weekly(WEEK1)
    ex.import_bundles(upper, [a.send(stick).path])
    with pytest.raises(ServiceError, match="không thuộc báo cáo"):
        ex.resolve_conflict(upper, report, "khong-co")


def test_a_draft_then_the_signed_report_with_the_same_content(two_communes, upper, stick):
    a, _ = two_communes
    report = a.weekly(WEEK1, sign=False)
    ex.import_bundles(upper, [a.send(stick, [report]).path])  # a draft sent for comment
    assert upper.report(report).status == "draft"
    a.ws.sign(report)
    result = ex.import_bundles(upper, [a.send(stick).path])
    entry = result.plan.reports[0]
    assert entry.action == "new_version"
    assert [c.describe() for c in entry.changes] == ["Trạng thái: Dự thảo → Đã gửi"]
    assert upper.report(report).status == "sent"


def test_register_only_the_units_whose_fingerprint_was_confirmed(make_commune, upper, stick):
    a = make_commune("Đảng ủy xã An Bình", "An Bình")
    b = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    paths = [a.send(stick).path, b.send(stick).path]
    with ex.prepare_import(upper, paths, register_new={ex.own_key(a.ws).fingerprint}) as plan:
        temp = plan.files[0].local_copy.parent
        assert temp.is_dir()
        by_unit = {f.unit_name: f for f in plan.files}
        assert by_unit["Đảng ủy xã An Bình"].will_register and "sẽ đăng ký" in plan.summary_text()
        assert by_unit["Đảng ủy xã Bản Phố"].code == "unknown_unit"
        result = ex.apply_import(upper, plan)
    assert not temp.exists()  # the local copies are gone with the plan
    assert "đã đăng ký đơn vị mới" in result.summary_text()
    assert [k.unit_name for k in ex.registered_units(upper)] == ["Đảng ủy xã An Bình"]


def test_large_batches_are_read_again_from_the_verified_local_copies(two_communes, upper, stick, monkeypatch):
    a, b = two_communes
    report = a.weekly(WEEK1)
    b.weekly(WEEK1)
    first, other = a.send(stick).path, b.send(stick).path
    second = correct_and_resend(a, report, stick)
    monkeypatch.setattr(receive, "CACHE_BYTES", 0)  # nothing stays in memory between the steps
    plan = ex.prepare_import(upper, [second, other, first])
    assert all(f._contents is None for f in plan.files)
    assert sorted(r.action for r in plan.reports) == ["new", "new", "new_version"]
    # the new version's changes come from the first file, read again from its copy (not kept in the plan)
    resent = next(r for r in plan.reports if r.action == "new_version")
    assert [(c.key, c.old, c.new) for c in resent.changes if c.kind == "value"] == [
        ("lua_mua_dien_tich.actual", "300", "350")]
    # a local copy changed behind our back is refused at import; the rest still goes in
    victim = next(f for f in plan.files if f.path == other)
    data = bytearray(victim.local_copy.read_bytes())
    data[-10] ^= 1
    victim.local_copy.write_bytes(bytes(data))
    result = ex.apply_import(upper, plan)
    plan.close()
    refused = [f for f in result.plan.files if not f.ok]
    assert [f.path for f in refused] == [other] and "đã thay đổi" in refused[0].message
    assert str(upper.report(report).values["lua_mua_dien_tich"]["actual"]) == "350"
    assert len(upper.list_reports(own_only=False)) == 1


def test_rows_of_a_received_report_get_increasing_time_ordered_ids(two_communes, upper, stick):
    """Bulk rows get version-7 UUIDs in increasing order (the id index grows at its end); the report keeps
    the sender's id, so a short prefix still names it on the command line."""
    import uuid
    a, _ = two_communes
    report_id = a.weekly(WEEK1)
    ex.import_bundles(upper, [a.send(stick).path], register_new=True)
    ids = [r[0] for r in upper.store.conn.execute(
        "SELECT id FROM indicator_values WHERE report_id = ? ORDER BY rowid", (report_id,))]
    assert len(ids) > 5 and ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 7 and uuid.UUID(i).variant == uuid.RFC_4122 for i in ids)
    assert uuid.UUID(upper.report(report_id).id).version == 4


def test_a_large_batch_is_verified_in_worker_processes_with_the_same_verdicts(two_communes, upper, stick,
                                                                              monkeypatch):
    """From PROCESS_MIN_FILES files on, other processes verify the copies; a damaged file is refused with
    the same Vietnamese reason (the error crosses the process boundary), the others are imported."""
    pools = []
    real_pool = verify.ProcessPoolExecutor

    def recording_pool(*args, **kwargs):
        pools.append(real_pool(*args, **kwargs))
        return pools[-1]

    monkeypatch.setattr(verify, "ProcessPoolExecutor", recording_pool)
    monkeypatch.setattr(verify, "PROCESS_MIN_FILES", 3)
    monkeypatch.setattr(verify.os, "cpu_count", lambda: 2)  # as on the offices' PCs, whatever CI has
    monkeypatch.delenv("BAOCAO_IMPORT_PROCESSES", raising=False)
    # a worker that cannot start or answer falls back silently in the app; here that is a failure
    monkeypatch.setattr(verify, "pool_failed", lambda exc: pytest.fail(f"the worker processes failed: {exc!r}"))
    a, b = two_communes
    files = []
    for start in (WEEK1, WEEK2, WEEK3):
        a.weekly(start)
        files.append(a.send(stick, [r.id for r in a.ws.list_reports() if r.period.start == start]).path)
    b.weekly(WEEK1)
    files.append(b.send(stick).path)
    tampered = stick / "sua.baocao"
    data = bytearray(files[0].read_bytes())
    spot = data.find("Tình hình".encode())
    data[spot] ^= 0x01
    tampered.write_bytes(bytes(data))
    with ex.prepare_import(upper, [*files, tampered], register_new=True) as plan:  # the GUI's dry run
        assert len(pools) == 1
        assert [f.ok for f in plan.files] == [True] * 4 + [False] and plan.counts()["new"] == 4
        assert plan.files[-1].path == tampered and "gửi lại" in plan.files[-1].message
    result = ex.import_bundles(upper, [*files, tampered], register_new=True)
    assert len(pools) == 2
    refused = [f for f in result.plan.files if not f.ok]
    assert [f.path for f in refused] == [tampered]
    assert refused[0].code in ("tampered", "corrupt") and "gửi lại" in refused[0].message
    assert result.counts()["new"] == 4
    assert len(upper.list_reports(own_only=False)) == 4
    summaries = upper.store.conn.execute("SELECT COUNT(*) FROM check_summaries").fetchone()[0]
    assert summaries == 4


@pytest.mark.parametrize("breaks", ["result", "submit"])
def test_a_pool_that_breaks_leaves_the_verification_to_the_importing_process(two_communes, upper, stick,
                                                                            monkeypatch, caplog, breaks):
    """A worker killed (the future fails) or a pool that refuses work (submit raises): every file is still
    verified and imported, in the importing process, and the log says why; in both the dry run and the
    import. With BAOCAO_IMPORT_PROCESSES=require it is an error instead."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool
    pools = []

    class BrokenPool:
        def __init__(self, *args, **kwargs):
            self.submitted = 0
            pools.append(self)

        def submit(self, fn, *args):
            self.submitted += 1
            if breaks == "submit":
                raise BrokenProcessPool("the pool is gone")
            future = Future()
            future.set_exception(BrokenProcessPool("a worker died"))
            return future

        def shutdown(self, wait=True, cancel_futures=False):
            pass

    monkeypatch.setattr(verify, "ProcessPoolExecutor", BrokenPool)
    monkeypatch.setattr(verify, "PROCESS_MIN_FILES", 2)
    monkeypatch.setattr(verify.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("BAOCAO_IMPORT_PROCESSES", raising=False)
    a, b = two_communes
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    paths = [a.send(stick).path, b.send(stick).path]
    with ex.prepare_import(upper, paths, register_new=True) as plan:
        assert plan.counts()["new"] == 2 and plan.counts()["files_refused"] == 0
    result = ex.import_bundles(upper, paths, register_new=True)
    assert result.counts()["new"] == 2 and result.counts()["files_refused"] == 0
    assert len(pools) == 2 and all(p.submitted > 0 for p in pools)
    assert "verifying in worker processes failed" in caplog.text
    monkeypatch.setenv("BAOCAO_IMPORT_PROCESSES", "require")
    with pytest.raises(ServiceError, match="Không chạy được tiến trình phụ"):
        ex.prepare_import(upper, paths, register_new=True)


def test_bundle_errors_and_contents_survive_pickling(two_communes, stick):
    """What a verifying process sends back: a refusal keeps its code, message and details; contents keep
    their reports once (as contents, not also as rows)."""
    import pickle

    from baocao_desktop.exchange.bundle import REPORT_CHILD_TABLES, BundleError, read_bundle
    error = pickle.loads(pickle.dumps(BundleError("newer_schema", "Tệp mới hơn.", schema=9)))
    assert (error.code, error.message, error.details, str(error)) == ("newer_schema", "Tệp mới hơn.",
                                                                      {"schema": 9}, "Tệp mới hơn.")
    a, _ = two_communes
    a.weekly(WEEK1)
    contents = read_bundle(a.send(stick).path)
    assert pickle.loads(pickle.dumps(contents)).rows == contents.rows  # a plain copy keeps everything
    copy = pickle.loads(pickle.dumps(contents.without_report_rows()))
    assert copy.report_contents() == contents.report_contents()
    assert copy.report_contents()[0]["values"]["lua_mua_dien_tich"]["actual"] == "300"
    assert not set(REPORT_CHILD_TABLES) & set(copy.rows) and copy.rows["reports"] == contents.rows["reports"]


def test_a_batch_import_verifies_each_file_once_in_the_order_they_were_written(two_communes, upper, stick,
                                                                               monkeypatch):
    """`bundle import` without a dry run reads and verifies each file once, inside the import (no
    classification pass before, no second read); a damaged file in the batch is still refused."""
    from baocao_desktop.exchange import bundle
    a, b = two_communes
    a.weekly(WEEK1)
    b.weekly(WEEK1)
    first = b.send(stick).path  # written first: imported first whatever the names say
    a.weekly(WEEK2)
    second = a.send(stick, [r.id for r in a.ws.list_reports() if r.period.start == WEEK2]).path
    broken = stick / "hong.baocao"
    broken.write_bytes(first.read_bytes()[:5000])
    reads = []
    real = bundle.read_bundle
    monkeypatch.setattr(verify, "read_bundle", lambda path, *args, **kw: reads.append(path) or real(path, *args, **kw))
    for module in (verify, import_plan):  # every caller of reread
        monkeypatch.setattr(module, "reread", lambda *args: pytest.fail("a verified file was read again"))
    result = ex.import_bundles(upper, [second, broken, first])
    assert len(reads) == 3
    assert [(f.name, f.ok) for f in result.plan.files] == [("hong.baocao", False), (first.name, True),
                                                            (second.name, True)]
    assert result.plan.files[0].code == "truncated" and "cắt cụt" in result.plan.files[0].message
    assert result.counts()["new"] == 2
