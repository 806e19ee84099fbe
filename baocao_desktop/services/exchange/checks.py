"""Checks of received reports: each report written by an import (and the unit's next one, whose
cumulative figures compare with it) is checked against its own unit's profile, and the result is stored
for the inbox and the aggregation."""
from __future__ import annotations

from ...checks.findings import Finding, sort_key
from ...checks.report_checks import check_report
from ...domain.model import Report
from ...store import profile as profile_store
from ...store import received
from ...store import reports as report_store
from ...store import units as unit_store
from ..signoff import INTEGRITY_CODE


def check_received(ws, report_id: str) -> list[Finding]:
    """Structured checks of any report, with *its* unit's profile (Workspace.check only knows the own
    unit's). The proofreader is not run here: it takes ~0.1 s a report, too slow for 5,000 files."""
    return _check_loaded(ws, ws.report(report_id))


def _check_loaded(ws, report: Report, verified_hash: str | None = None, sources=None) -> list[Finding]:
    """check_received on a loaded report. `verified_hash`: the report was written in this import from
    content whose digest was verified equal to it, so when the stored hash is that one the signed-content
    check (a digest of the whole report) is already done. `sources`: a period_figures.SourceCache shared by
    the checks of one batch."""
    report_id = report.id
    template = ws.report_template(report)
    context = ws.check_context(report, sources)
    own = ws.own_unit()
    if not own or own.id != report.unit_id:
        store = ws.store
        sender = unit_store.unit(store, report.unit_id)
        context.unit_founded_on = sender.founded_on if sender else None
        day = report.report_date or report.period.end
        context.profile.update(profile_store.valid_on(store, report.unit_id, day))
    done = verified_hash is not None and report.content_hash == verified_hash
    findings = ([] if done else ws.integrity_findings(report)) + check_report(template, report, context)
    return ws.with_justifications(report_id, sorted(findings, key=sort_key))


def store_check_summary(ws, report_id: str, verified_hash: str | None = None, sources=None,
                        report: Report | None = None) -> dict:
    """Check a received report and store the counts and findings the inbox shows (see _check_loaded for
    `verified_hash` and `sources`). `report`: the report as just written, when the caller has it in memory
    (an import: exchange.content.report_from_content of what it wrote, equal to reading it back). Inside the
    caller's transaction."""
    report = report if report is not None else ws.report(report_id)
    findings = _check_loaded(ws, report, verified_hash, sources)
    summary = {
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" and not f.justification for f in findings),
        "kept_warnings": sum(f.severity == "warning" and bool(f.justification) for f in findings),
    }
    if report.status in ("signed", "sent") and not any(f.code == INTEGRITY_CODE for f in findings):
        content_hash = report.content_hash  # the integrity check just found it equal to the digest
    else:
        content_hash = report.content_digest()
    received.save_check_summary(ws.store, report_id, content_hash, summary,
                                [f.to_json() for f in findings if f.severity != "info"])
    return summary


def with_following(ws, report_ids: list[str]) -> list[str]:
    """The reports written plus, for each, the unit's next report of the same template: its cumulative
    checks compare with the one just written."""
    result = list(dict.fromkeys(report_ids))
    seen = set(result)
    for report_id in list(result):
        following = report_store.next_id(ws.store, report_id)
        if following and following not in seen:
            seen.add(following)
            result.append(following)
    return result
