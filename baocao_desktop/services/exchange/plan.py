"""What an import does, file by file and report by report: the plan shown before importing (the GUI's
table, `bundle import --dry-run`) and, once applied, the result (the same plan, as really done)."""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...exchange.bundle import BundleContents, reread
from ...exchange.content import Change

ACTION_LABELS = {
    "new": "Báo cáo mới",
    "new_version": "Bản sửa mới của báo cáo đã nhận",
    "unchanged": "Không đổi (đã nhận trước đây)",
    "older": "Bản cũ hơn bản đang dùng (vẫn lưu lại)",
    "conflict": "Xung đột với bản đã sửa tại đây (giữ cả hai, cần chọn)",
    "rejected": "Bị từ chối",
}


@dataclass
class ReportPlan:
    action: str  # new | new_version | unchanged | older | conflict | rejected
    report_id: str  # the id minted by the sender
    unit_id: str
    unit_name: str
    template_code: str
    template_name: str
    template_version: int
    period_kind: str
    period_start: str
    period_end: str
    status: str
    content_hash: str
    reason: str = ""
    local_report_id: str | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        from ...domain.dates import Period
        return Period(self.period_kind, dt.date.fromisoformat(self.period_start),
                      dt.date.fromisoformat(self.period_end)).label()

    def to_json(self) -> dict:
        return {"action": self.action, "action_label": ACTION_LABELS[self.action], "report_id": self.report_id,
                "local_report_id": self.local_report_id, "unit_id": self.unit_id, "unit": self.unit_name,
                "template": self.template_code, "template_name": self.template_name,
                "template_version": self.template_version,
                "period": {"kind": self.period_kind, "start": self.period_start, "end": self.period_end,
                           "label": self.period_label},
                "status": self.status, "content_hash": self.content_hash, "reason": self.reason,
                "changes": [c.to_json() for c in self.changes]}


@dataclass
class FilePlan:
    path: Path
    ok: bool
    code: str  # ok | duplicate | <BundleError code> | unknown_unit | wrong_key | own_unit
    message: str = ""
    unit_id: str = ""
    unit_name: str = ""
    fingerprint: str = ""
    bundle_id: str = ""
    created_at: str = ""
    needs_registration: bool = False
    will_register: bool = False
    reports: list[ReportPlan] = field(default_factory=list)
    local_copy: Path | None = None
    file_sha256: str = ""
    payload_sha256: str = ""
    _contents: BundleContents | None = field(default=None, repr=False)  # kept in memory while small
    _verified: bool = field(default=True, repr=False)  # False: copied only, apply_import verifies it

    @property
    def name(self) -> str:
        return self.path.name

    def contents(self) -> BundleContents:
        """The verified file: kept in memory, or read again from its local copy (checked to be the same)."""
        return self._contents or reread(self.local_copy, self.file_sha256, self.payload_sha256)

    def to_json(self) -> dict:
        return {"file": str(self.path), "name": self.name, "ok": self.ok, "code": self.code, "message": self.message,
                "unit_id": self.unit_id, "unit": self.unit_name, "fingerprint": self.fingerprint,
                "bundle_id": self.bundle_id, "created_at": self.created_at,
                "needs_registration": self.needs_registration, "will_register": self.will_register,
                "sha256": self.file_sha256, "reports": [r.to_json() for r in self.reports]}


# Verified files up to this size in total stay in memory between prepare_import and apply_import; beyond
# it, apply_import reads (and verifies) the local copies again.
CACHE_BYTES = 48 * 1024 * 1024
COUNT_KEYS = ("new", "new_version", "unchanged", "older", "conflict", "rejected")


@dataclass
class ImportPlan:
    files: list[FilePlan]
    register_new: "bool | set[str]" = False
    applied: bool = False  # True for the plan an ImportResult carries: this is what was done
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def accepted(self) -> list[FilePlan]:
        return [f for f in self.files if f.ok]

    @property
    def refused(self) -> list[FilePlan]:
        return [f for f in self.files if not f.ok]

    @property
    def reports(self) -> list[ReportPlan]:
        return [r for f in self.files for r in f.reports]

    def counts(self) -> dict:
        counts = {k: 0 for k in COUNT_KEYS}
        for report in self.reports:
            counts[report.action] += 1
        return {"files": len(self.files), "files_refused": len(self.refused), **counts}

    @property
    def changes_anything(self) -> bool:
        return any(r.action in ("new", "new_version", "older", "conflict") for r in self.reports) or \
            any(f.will_register for f in self.accepted)

    def to_json(self) -> dict:
        return {"counts": self.counts(), "files": [f.to_json() for f in self.files]}

    def summary_text(self, details: bool = True) -> str:
        c = self.counts()
        lines = [f"{c['files']} tệp: {c['files'] - c['files_refused']} hợp lệ, {c['files_refused']} bị từ chối. "
                 f"Báo cáo: {c['new']} mới, {c['new_version']} bản sửa mới, {c['unchanged']} không đổi, "
                 f"{c['older']} bản cũ hơn, {c['conflict']} xung đột, {c['rejected']} bị từ chối."]
        for f in self.files:
            if not f.ok:
                lines.append(f"✗ {f.name}: {f.message}")
                continue
            note = " (đã nhập trước đây)" if f.code == "duplicate" else ""
            verb = "đã đăng ký" if self.applied else "sẽ đăng ký"
            reg = f" — {verb} đơn vị mới, mã khóa {f.fingerprint}" if f.will_register else ""
            lines.append(f"✓ {f.name}: {f.unit_name}{note}{reg}")
            if details:
                for r in f.reports:
                    line = f"    {r.template_name} {r.period_label}: {ACTION_LABELS[r.action]}"
                    if r.reason:
                        line += f" — {r.reason}"
                    lines.append(line)
                    for change in r.changes[:10]:
                        lines.append(f"        {change.describe()}")
                    if len(r.changes) > 10:
                        lines.append(f"        … và {len(r.changes) - 10} thay đổi khác")
        return "\n".join(lines)

    def close(self) -> None:
        for file in self.files:
            file._contents = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass
class ImportResult:
    plan: ImportPlan  # as applied (classification redone inside the import transaction)
    dry_run: bool
    touched_reports: list[str] = field(default_factory=list)  # local report ids written
    registered: list[str] = field(default_factory=list)  # unit ids registered from files

    def counts(self) -> dict:
        return self.plan.counts()

    def to_json(self) -> dict:
        return {"dry_run": self.dry_run, **self.plan.to_json(), "touched_reports": self.touched_reports,
                "registered_units": self.registered}

    def summary_text(self) -> str:
        if self.dry_run:
            head = "Chạy thử (chưa nhập gì):"
        else:
            head = "Đã nhập:" if self.plan.changes_anything else "Không có gì mới để nhập:"
        return f"{head} {self.plan.summary_text()}"
