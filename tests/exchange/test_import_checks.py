"""The checks an import stores for each received report (the inbox's counts and findings) are the checks of
that report run afterwards on its own: reading the unit's earlier weeks once for the batch
(period_figures.SourceCache) changes nothing they find, in one part or in many."""
import datetime as dt
import json

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.errors import ServiceError
from baocao_desktop.services.exchange import receive
from tests.exchange.conftest import WEEK1, week_values


def stored_findings(upper, report_id):
    (text,) = upper.store.conn.execute(
        "SELECT findings FROM check_summaries WHERE report_id = ?", (report_id,)).fetchone()
    return json.loads(text)


def checked_afterwards(upper, report_id):
    return [f.to_json() for f in ex.check_received(upper, report_id) if f.severity != "info"]


@pytest.mark.parametrize("chunk_seconds", [100.0, 0.0], ids=["one part", "a part per file"])
def test_an_import_of_consecutive_weeks_finds_what_checking_each_report_afterwards_finds(
        two_communes, upper, stick, tmp_path, monkeypatch, chunk_seconds):
    monkeypatch.setattr(receive, "CHUNK_SECONDS", chunk_seconds)
    a, b = two_communes
    paths = []
    for n in range(6):  # one file a week, as a commune sends them
        week = WEEK1 + dt.timedelta(weeks=n)
        folder = tmp_path / f"a{n}"
        folder.mkdir()
        if n == 3:  # a lũy kế that does not follow from last week's: this week's error, and next week's base
            report = a.weekly(week, week_values(kham_cum="999", kham_prev="700"), sign=False)
        else:
            report = a.weekly(week, sign=n < 3)  # drafts after it: its lũy kế is the base of theirs
        paths.append(a.send(folder, [report]).path)
    for n in range(2):
        folder = tmp_path / f"b{n}"
        folder.mkdir()
        b.weekly(WEEK1 + dt.timedelta(weeks=n))
        paths.append(b.send(folder).path)
    result = ex.import_bundles(upper, paths)
    assert result.counts()["new"] == 8
    reports = upper.list_reports(own_only=False)
    assert len(reports) == 8
    findings = {}
    for report in reports:
        findings[report.id] = stored_findings(upper, report.id)
        assert findings[report.id] == checked_afterwards(upper, report.id), report.period.label()
    wrong = next(r for r in reports if r.unit_id == a.unit_id and r.period.start == WEEK1 + dt.timedelta(weeks=3))
    assert any(f["severity"] == "error" for f in findings[wrong.id])  # the checks did run on the batch


def test_the_report_an_import_checks_in_memory_is_the_report_it_wrote(upper, stick, tmp_path, blank_db, monkeypatch):
    """An import checks each report it wrote from the content it wrote (exchange.content.report_from_content),
    not by reading it back: for every kind of the demo (figures, texts, tables with rows of their own, header
    items, giải trình, signed or not) that report equals the one the database gives back, apart from when it
    was last written; and the stored findings are those of checking it afterwards."""
    import dataclasses
    import shutil
    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    shutil.copyfile(blank_db, tmp_path / "demo.sqlite3")
    demo = Workspace(tmp_path / "demo.sqlite3", author="lung-phinh")
    try:
        load_demo(demo)
        reports = demo.list_reports()
        for report in reports[::2]:  # signed and unsigned ones
            if report.status == "draft":
                try:
                    demo.sign(report.id)
                except ServiceError:  # a demo report with a finding left to fix stays a draft
                    pass
        ex.register_unit(upper, ex.export_public_key(demo, tmp_path / "lung_phinh.baocaokey"))
        path = ex.export_bundle(demo, stick / "lung-phinh.baocao", [r.id for r in reports]).path
    finally:
        demo.close()
    seen = {}
    real = receive.store_check_summary

    def recording(ws, report_id, verified_hash=None, sources=None, report=None):
        seen[report_id] = report
        return real(ws, report_id, verified_hash, sources, report)

    monkeypatch.setattr(receive, "store_check_summary", recording)
    result = ex.import_bundles(upper, [path])
    assert result.counts()["new"] == len(reports) > 10
    assert len({r.template_code for r in reports}) >= 10
    assert {r.status for r in upper.list_reports(own_only=False)} >= {"sent", "draft"}  # signed ones are sent
    assert all(seen[r.id] is not None for r in reports)
    for report in reports:
        in_memory, read_back = dataclasses.asdict(seen[report.id]), dataclasses.asdict(upper.report(report.id))
        in_memory.pop("updated_at"), read_back.pop("updated_at")
        assert in_memory == read_back, report.template_code
        assert stored_findings(upper, report.id) == checked_afterwards(upper, report.id), report.template_code
