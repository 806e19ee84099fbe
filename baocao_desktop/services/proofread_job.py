"""The narrative proofreading of one report as a job on plain data, so that it can run on any thread.

`Workspace.proofread_job(report_id)` copies what the proofreader needs out of the database (the template, the
report's texts and dates, the unit's names); `ProofreadJob.run()` touches no database and no Qt. The editor
runs it on a worker thread while the user types (the SQLite connection stays on the UI thread);
`Workspace.check` runs the same job in line. The editor keeps a `report_proofreader()` for the open report and
hands it to each job: a run after an edit then reads only the changed paragraphs again.
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

    def run(self, proofreader=None) -> list[Finding]:
        """Findings in document order, without giải trình (the caller adds the ones stored). `proofreader`: a
        `report_proofreader()` that ran on the same report before (one job at a time); the findings are the
        same as without it."""
        from ..checks.proofread import proofread_report
        return proofread_report(self.template, self.report, self.context, proofreader=proofreader)


def report_proofreader():
    """A proofreader to keep for one open report and hand to each of its jobs (not to two at once)."""
    from ..checks.proofread import IncrementalProofreader
    return IncrementalProofreader()
