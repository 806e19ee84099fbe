"""Sending to the level above ("Gửi cấp trên…", `bundle export`): the chosen signed reports written as one
signed transfer file on the stick, read back and verified, then marked Đã gửi; beside it, unless turned
off, the readable copy of each report (DOCX, and PDF when LibreOffice or Word is there: readable.py)."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...domain.model import Report
from ...exchange.bundle import SUFFIX, BundleError, read_bundle, write_bundle
from ...store import bundles
from ...store.db import new_id, now_iso
from .. import events
from ..errors import ServiceError
from .files import copy_local, file_date, require_room, safe_file_name, write_atomically
from .progress import ProgressFn, check_cancel, report_progress
from .readable import NO_CONVERTER, ReadableCopies, make_local_copies, pdf_converter, place_copies
from .registry import own_key_pair
from ...domain.error_text import os_error_reason

# Gửi cấp trên writes the readable copies unless the user turned them off (the send dialog remembers the
# choice; the command line has --no-readable)
READABLE_BY_DEFAULT = True


def app_version() -> str:
    try:
        from importlib.metadata import version
        return version("baocao-desktop")
    except Exception:
        return "0"


def suggested_bundle_name(ws, report_ids: list[str]) -> str:
    """"Đảng ủy xã Lùng Phình - Báo cáo tuần 01-06-2026 đến 07-06-2026.baocao"; several kinds or periods
    are summed up ("3 báo cáo", the whole date range)."""
    unit = ws.require_unit()
    reports = [ws.report(i, with_content=False) for i in report_ids]
    names = {ws.report_template(r).name for r in reports}
    start = min(r.period.start for r in reports)
    end = max(r.period.end for r in reports)
    kind = names.pop() if len(names) == 1 else f"{len(reports)} báo cáo"
    if len(reports) > 1 and len({r.template_code for r in reports}) == 1:
        kind = f"{kind} ({len(reports)} kỳ)"
    return safe_file_name(f"{unit.name} - {kind} {file_date(start)} đến {file_date(end)}{SUFFIX}")


@dataclass
class ExportResult:
    path: Path
    size: int
    file_sha256: str
    bundle_id: str
    fingerprint: str
    reports: list[dict]  # the manifest entries: id, template, period, status, content_hash, findings
    marked_sent: list[str] = field(default_factory=list)
    readable: ReadableCopies | None = None  # the DOCX/PDF beside the file; None when not asked for

    @property
    def file_name(self) -> str:
        return self.path.name

    def to_json(self) -> dict:
        return {"path": str(self.path), "file_name": self.file_name, "size": self.size, "sha256": self.file_sha256,
                "bundle_id": self.bundle_id, "fingerprint": self.fingerprint, "reports": self.reports,
                "marked_sent": self.marked_sent,
                "readable": self.readable.to_json() if self.readable is not None else None}

    def readable_text(self) -> str:
        """What the readable copies came to (Vietnamese; '' when they were not asked for)."""
        return self.readable.text() if self.readable is not None else ""

    def message(self) -> str:
        text = (f"Đã ghi và kiểm tra lại tệp “{self.path}” ({len(self.reports)} báo cáo, {self.size // 1024 + 1} KB). "
                f"Mã nhận dạng khóa của đơn vị: {self.fingerprint}.")
        return "\n".join(filter(None, (text, self.readable_text())))


def exportable_reports(ws) -> list[Report]:
    """This unit's reports that are normally sent: Đã ký and Đã gửi."""
    unit = ws.own_unit()
    if unit is None:
        return []
    return [r for r in ws.list_reports() if r.unit_id == unit.id and r.status in ("signed", "sent")]


def _target(ws, out: Path, report_ids: list[str]) -> tuple[Path, Path]:
    """(folder, file) to write: `out` itself, or a free name made from the reports in the folder `out`."""
    if out.is_dir() or str(out).endswith(("/", os.sep)):
        folder = out
        name = suggested_bundle_name(ws, report_ids)
        final = folder / name
        n = 2
        while final.exists():
            final = folder / name.replace(SUFFIX, f" ({n}){SUFFIX}")
            n += 1
    else:
        final = out if out.suffix.lower() == SUFFIX else out.with_name(out.name + SUFFIX)
        folder = final.parent
    return folder, final


def export_bundle(ws, out: Path | str, report_ids: list[str] | None = None, mark_sent: bool = True,
                  progress: ProgressFn | None = None, cancel=None, readable: bool = False) -> ExportResult:
    """Write a signed transfer file with the chosen reports (default: every Đã ký/Đã gửi report).

    `out` is a file path or a folder (the name is then made from unit, report kind and period). The
    file is made locally, copied under a temporary name, flushed, renamed, then read back and verified;
    only then are signed reports marked Đã gửi (unless mark_sent is False).

    `readable` (the interfaces pass READABLE_BY_DEFAULT unless the user turned it off): each report's DOCX,
    and PDF when a converter is there, is made locally before anything is written (Cancel there changes
    nothing) and placed beside the verified file; what could not be made or written is said in
    `result.readable.notes`, never an error: the transfer file is sent all the same."""
    unit = ws.require_unit()
    if report_ids is None:
        report_ids = [r.id for r in exportable_reports(ws)]
        if not report_ids:
            raise ServiceError("Chưa có báo cáo “Đã ký” để gửi. Hãy ký báo cáo trước, hoặc chọn báo cáo cụ thể.")
    report_ids = list(dict.fromkeys(report_ids))
    reports = [ws.report(i, with_content=False) for i in report_ids]
    for report in reports:
        if report.unit_id != unit.id:
            raise ServiceError("Chỉ gửi được báo cáo của chính đơn vị; báo cáo đã nhận từ đơn vị khác không gửi lại.")
        ws.refuse_unless_sendable(report.id)
    check_cancel(cancel)
    pair = own_key_pair(ws)
    folder, final = _target(ws, Path(out), report_ids)
    if not folder.is_dir():
        raise ServiceError(f"Không có thư mục “{folder}” (USB đã rút ra?).")
    extras = {}
    for i, report in enumerate(reports):
        report_progress(progress, "snapshot", i, len(reports) + 3, message=f"Kiểm tra {report.period.label()}")
        findings = ws.check(report.id)
        extras[report.id] = {"findings": {
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" and not f.justification for f in findings),
            "kept_warnings": sum(f.severity == "warning" and bool(f.justification) for f in findings)}}
    converter = pdf_converter() if readable else None
    readable_steps = len(reports) * (2 if converter else 1) if readable else 0
    total = len(reports) + 3 + readable_steps
    with tempfile.TemporaryDirectory(prefix="baocao-gui-") as tmp:
        local = Path(tmp) / "bundle.baocao"
        report_progress(progress, "snapshot", len(reports), total, message="Tạo bản sao nhất quán")
        bundles.snapshot_into(ws.store, local)
        try:
            written = write_bundle(local, unit_id=unit.id, report_ids=report_ids, key_pair=pair,
                                   created_by=ws.author, app_version=app_version(), bundle_id=new_id(),
                                   created_at=now_iso(), report_extras=extras, mark_sent=mark_sent)
        except BundleError as exc:
            raise ServiceError(exc.message) from None
        copies, notes = [], []
        if readable:
            readable_dir = Path(tmp) / "readable"
            readable_dir.mkdir()
            copies, notes = make_local_copies(ws, report_ids, readable_dir, progress, cancel, len(reports) + 1, total,
                                              converter)
            if converter is None:
                notes.insert(0, NO_CONVERTER)
        check_cancel(cancel)
        require_room(folder, written.size)
        step = len(reports) + 1 + readable_steps
        report_progress(progress, "write", step, total, str(final), "Ghi ra USB")
        try:
            write_atomically(local, final)
        except OSError as exc:
            raise ServiceError(f"Không ghi được tệp vào “{folder}” ({os_error_reason(exc)}). USB có thể đã đầy, bị khóa "
                               f"ghi hoặc đã rút ra; chưa có gì thay đổi.") from None
        report_progress(progress, "readback", step + 1, total, str(final), "Đọc lại và kiểm tra tệp đã ghi")
        back = Path(tmp) / "readback.baocao"
        try:
            sha = copy_local(final, back)
            again = read_bundle(back, sha256=sha)
            if sha != written.file_sha256 or again.payload_sha256 != written.payload_sha256:
                raise BundleError("mismatch", "tệp đọc lại khác tệp đã ghi")
        except (OSError, BundleError) as exc:
            try:
                final.unlink()
            except OSError:
                pass
            reason = exc.message if isinstance(exc, BundleError) else os_error_reason(exc)
            raise ServiceError(f"Đọc lại tệp vừa ghi trên “{folder}” không khớp ({reason}). Tệp lỗi đã bị xóa; "
                               f"hãy thử lại hoặc dùng USB khác.") from None
        placed = None
        if readable:  # the transfer file is written and verified: the copies can no longer cost it
            report_progress(progress, "readable", step + 2, total, str(final), "Ghi bản Word/PDF để đọc")
            placed = place_copies(copies, folder, f"vào “{folder}”")
            placed.notes[:0] = notes
    marked = []
    if mark_sent:
        # one REPORTS change for the file, whatever mark_sent announces itself
        with events.batched(), ws.store.transaction():
            for report in reports:
                if report.status == "signed":
                    ws.mark_sent(report.id)
                    marked.append(report.id)
            if marked:
                ws.announce(events.REPORTS, *marked)
    report_progress(progress, "readback", total, total, str(final), "Xong")
    return ExportResult(final, again.size, sha, again.bundle_id, pair.fingerprint, again.manifest["reports"], marked,
                        placed)
