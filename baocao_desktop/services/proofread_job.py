"""The narrative proofreading of one report as a job on plain data, so that it can run on any thread.

`Workspace.proofread_job(report_id)` copies what the proofreader needs out of the database (the template, the
report's texts and dates, the unit's names); `ProofreadJob.run()` touches no database and no Qt. The editor
runs it on a worker thread while the user types (the SQLite connection stays on the UI thread);
`Workspace.check` runs the same job in line.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..checks.findings import Finding
from ..domain.model import Report


@dataclass(frozen=True)
class ProofreadJob:
    template: object  # templates.model.Template (read only)
    report: Report  # a copy read for this job: nobody else holds it
    context: object | None  # checks.proofread.ProofreadContext of the unit, None for another unit's report

    def run(self, scans: dict | None = None) -> list[Finding]:
        """Findings in document order, without giải trình (the caller adds the ones stored). `scans`: the
        paragraph readings of the previous run on the same report, reused where a paragraph is unchanged."""
        from ..checks.proofread import proofread_report
        return proofread_report(self.template, self.report, self.context, scans=scans)
