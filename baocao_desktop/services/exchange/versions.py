"""Versions of received reports and conflicts: every version received (and local edits, kept as versions
before anything replaces them) stays stored; one is current; a version received over local edits waits
in conflict until the user chooses which one to use."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from ...domain.model import STATUS_LABELS
from ...exchange.bundle import BundleContents
from ...exchange.content import Change, content_from_report, diff, digest
from ...store import received
from ...store import templates as template_store
from ...store import versions as version_store
from .. import events
from ..errors import ServiceError
from .checks import store_check_summary, with_following


@dataclass(frozen=True)
class VersionInfo:
    id: str
    report_id: str
    origin: str  # received | local
    state: str  # current | superseded | conflict
    status: str
    content_hash: str
    sent_at: str | None
    received_at: str
    file_name: str | None
    author: str

    @property
    def label(self) -> str:
        who = "Sửa tại đây" if self.origin == "local" else f"Nhận từ tệp {self.file_name or ''}".strip()
        state = {"current": "đang dùng", "superseded": "bản cũ", "conflict": "xung đột, chờ chọn"}[self.state]
        return f"{who} ({state}, {STATUS_LABELS.get(self.status, self.status)})"

    def to_json(self) -> dict:
        return {**dataclasses.asdict(self), "label": self.label}


def report_versions(ws, report_id: str) -> list[VersionInfo]:
    return [VersionInfo(*row) for row in version_store.list_versions(ws.store, report_id)]


def version_content(ws, version_id: str) -> dict:
    row = version_store.version_content(ws.store, version_id)
    if not row:
        raise ServiceError(f"Không có phiên bản “{version_id}”.")
    return json.loads(row[0])


def template_or_none(ws, code: str, version: int):
    try:
        return ws.template(code, version)
    except ServiceError:
        return None


def compare_versions(ws, old_version_id: str, new_version_id: str) -> list[Change]:
    """Both sides of a conflict (or any two versions), field by field."""
    old, new = version_content(ws, old_version_id), version_content(ws, new_version_id)
    return diff(old, new, template_or_none(ws, new["template"]["code"], new["template"]["version"]))


def resolve_conflict(ws, report_id: str, version_id: str) -> None:
    """Use one version (received or local) as the report's content. Every other version stays stored;
    edits made here since the last import are first kept as a local version, so nothing is lost."""
    store = ws.store
    row = version_store.version_content(store, version_id, report_id)
    if not row:
        raise ServiceError("Phiên bản không thuộc báo cáo này.")
    content = json.loads(row[0])
    with events.batched(), ws.store.transaction():
        keep_local_edits(ws, report_id)
        pinned = content["template"]  # the version this content was written with (the sender's)
        installed = (template_store.find_content(store, pinned["code"], pinned["version"], pinned.get("sha256", ""))
                     or template_store.find(store, pinned["code"], pinned["version"]))
        template_id = installed.id if installed else None
        old = version_store.current_hash(store, report_id)
        version_store.supersede_current(store, report_id, also_conflicts=True)
        version_store.make_current(store, version_id)
        content = {**content, "report_id": report_id}
        received.write_report(store, report_id, content, template_id, insert=False)
        ws.store.log_revision(report_id, "exchange", "resolve", old, row[1], ws.author, coalesce=False)
        checked = with_following(ws, [report_id])
        for rid in checked:
            store_check_summary(ws, rid)
        ws.announce(events.REPORTS, *checked)
        ws.announce(events.INBOX)


def conflicts(ws) -> list[str]:
    """Ids of reports with a version waiting for a choice."""
    return version_store.reports_in_conflict(ws.store)


def live_content(ws, report_id: str) -> dict:
    """A report's content as stored in the live tables now (with the edits made here)."""
    report = ws.report(report_id)
    justs = {k: {"reason": v} for k, v in ws.justifications(report_id).items()}
    return content_from_report(report, justs)


def add_received_version(ws, report_id: str, content: dict, content_hash: str, contents: BundleContents,
                         state: str) -> str:
    """Store a version received in a transfer file; returns its id."""
    return version_store.add_version(ws.store, report_id, content, origin="received", state=state,
                             content_hash=content_hash, source_report_id=content["report_id"],
                             bundle_id=contents.bundle_id, sent_at=contents.created_at, author=ws.author)


def keep_local_edits(ws, report_id: str) -> None:
    """Before anything else happens to a report edited here, keep its live content as a local version."""
    store = ws.store
    live = live_content(ws, report_id)
    live_hash = digest(live)
    known = version_store.version_with_hash(store, report_id, live_hash)
    if known:
        if known[1] != "current":
            version_store.supersede_current(store, report_id)
            version_store.make_current(store, known[0])
        return
    version_store.supersede_current(store, report_id)
    version_store.add_version(store, report_id, live, origin="local", state="current", content_hash=live_hash,
                      source_report_id=report_id, bundle_id=None, sent_at=None, author=ws.author)
