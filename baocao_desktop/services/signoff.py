"""Sign-off: Dự thảo → Trình ký → Đã ký → Đã gửi, kept warnings (giải trình) and the seal.

The seal (issue 19 point 7): Ký stores an Ed25519 signature by the unit's key over the canonical signed
content (exchange.content.signed_content: header items, signer, texts, figures, tables, giải trình, template,
period, unit). Every open (the integrity finding of `check`), export, print and transfer file verifies it
(`seal_problem`); recomputing a hash in the database no longer hides a change, the signature needs the
private key, which the database does not hold. The upper level verifies the same signature on import
(exchange/bundle.py) with the sender's key.

Reports signed before schema 6 have no signature ("ký theo cách cũ"): their SHA-256 content_hash is still
checked when they open, export and print, but they are not sent until signed again (unlock with a reason,
Ký): a signature cannot be made afterwards for what was signed then without vouching for whatever the
database holds now, and a marker in the database that says "old" could be forged by anyone who edits it.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..checks.findings import SEVERITY_LABELS, Finding
from ..domain.model import STATUS_LABELS
from ..exchange import keys
from ..exchange.content import content_from_report, signed_content
from ..store import registry as stored_registry
from ..store import justifications as stored_justifications
from ..store import reports as stored_reports
from ..store.db import now_iso
from . import events
from .errors import ServiceError


@dataclass(frozen=True)
class ExportNotice:
    """What an export says besides the file: a report not signed yet is a draft (its pages carry the draft
    mark) with `errors` errors and `warnings` warnings without giải trình still open."""
    status: str
    errors: int = 0
    warnings: int = 0

    @property
    def is_draft(self) -> bool:
        return self.status not in ("signed", "sent")

    def text(self) -> str:
        """ "Bản dự thảo (có dấu “DỰ THẢO”): còn 2 lỗi phải sửa và 1 cảnh báo chưa có giải trình." or ""."""
        if not self.is_draft:
            return ""
        parts = [f"{self.errors} lỗi phải sửa"] if self.errors else []
        if self.warnings:
            parts.append(f"{self.warnings} cảnh báo chưa có giải trình")
        state = f"còn {' và '.join(parts)}" if parts else "không còn lỗi"
        return f"Bản {STATUS_LABELS.get(self.status, self.status).lower()} (có dấu “DỰ THẢO”, chưa ký): {state}."


class SignOffBlocked(ServiceError):
    """Finalising refused: errors, or warnings without a written reason. `findings` lists them."""

    def __init__(self, message: str, findings: list[Finding]):
        super().__init__(message)
        self.findings = findings


INTEGRITY_CODE = "integrity.changed_after_signing"
ERROR_NOT_JUSTIFIABLE = "Lỗi không thể giữ lại bằng giải trình: hãy sửa số liệu hoặc nội dung cho đúng."


def blocking_findings(findings: list[Finding], unsaved: tuple[Finding, ...] | list[Finding] = ()) -> list[Finding]:
    """What blocks Trình ký and Ký, the one rule for the service and the editor: typed input that could not
    be saved (the editor's; signing would ignore it), every error, every warning without a giải trình."""
    return list(unsaved) + [f for f in findings
                            if f.severity == "error" or (f.severity == "warning" and not f.justification)]


def blocked_summary(action: str, blocking: list[Finding]) -> str:
    """“Chưa thể ký: còn 2 lỗi phải sửa và 1 cảnh báo chưa có giải trình” (no full stop)."""
    errors = sum(1 for f in blocking if f.severity == "error")
    warnings = len(blocking) - errors
    parts = []
    if errors:
        parts.append(f"{errors} lỗi phải sửa")
    if warnings:
        parts.append(f"{warnings} cảnh báo chưa có giải trình")
    return f"Chưa thể {action}: còn {' và '.join(parts)}"


class SignOffMixin:
    """Methods of Workspace (services/workspace.py) for the workflow."""

    # -- justifications ---------------------------------------------------------------------------
    def justifications(self, report_id: str) -> dict[str, str]:
        return stored_justifications.live(self.store, report_id)

    def justify(self, report_id: str, finding_key: str, reason: str) -> None:
        """Keep a warning with a written reason; an empty reason removes it."""
        report = self._editable(report_id)
        reason = (reason or "").strip()
        current = {f.key: f for f in self.check(report.id)}
        finding = current.get(finding_key)
        if reason and finding is None:
            raise ServiceError("Cảnh báo này không còn trong báo cáo; hãy kiểm tra lại.")
        if finding is not None and finding.severity == "error":
            raise ServiceError(ERROR_NOT_JUSTIFIABLE)
        old = self.justifications(report.id).get(finding_key)
        with self.store.transaction():
            stored_justifications.withdraw(self.store, report.id, finding_key)
            if reason:
                stored_justifications.insert(self.store, report.id, finding_key, reason, self.author)
            self.store.log_revision(report.id, "justification", finding_key, old, reason or None, self.author,
                                    coalesce=False)
            self.announce(events.REPORTS, report.id)

    def justify_open_warnings(self, report_id: str, reason: str) -> list[Finding]:
        """The same giải trình for every warning still without one (the command line's --justify-all), in one
        transaction and one run of the checks; errors are left alone (never justifiable). Returns the
        warnings now kept, each with its reason."""
        report = self._editable(report_id)
        reason = (reason or "").strip()
        if not reason:
            raise ServiceError("Giải trình không được để trống: ghi rõ vì sao giữ lại các cảnh báo.")
        open_warnings = [f for f in self.check(report.id) if f.severity == "warning" and not f.justification]
        with self.store.transaction():
            for key in dict.fromkeys(f.key for f in open_warnings):  # one reason per key, as `justify` keeps
                stored_justifications.insert(self.store, report.id, key, reason, self.author)
                self.store.log_revision(report.id, "justification", key, None, reason, self.author,
                                        coalesce=False)
            if open_warnings:
                self.announce(events.REPORTS, report.id)
        return [dataclasses.replace(f, justification=reason) for f in open_warnings]

    def with_justifications(self, report_id: str, findings: list[Finding]) -> list[Finding]:
        reasons = self.justifications(report_id)
        return [dataclasses.replace(f, justification=reasons[f.key])
                if f.severity == "warning" and f.key in reasons else f for f in findings]

    # -- the seal ----------------------------------------------------------------------------------
    def signed_content_of(self, report) -> bytes:
        """The canonical signed content of a report with its content loaded (see exchange.content)."""
        reasons = {key: {"reason": reason} for key, reason in self.justifications(report.id).items()}
        return signed_content(content_from_report(report, reasons))

    def seal_problem(self, report) -> str | None:
        """Why a signed report (content loaded) no longer matches what was signed, None when it matches
        (or is not signed). The SHA-256 content_hash is checked first (cheap, and all a report signed
        before schema 6 has), then the Ed25519 signature with the key that made it."""
        if report.status not in ("signed", "sent"):
            return None
        if report.content_hash != report.content_digest():
            return "mã kiểm tra nội dung không khớp"
        if report.signature is None:
            return None  # ký theo cách cũ: the hash above is all there is
        public_key = stored_registry.public_key_of(self.store, report.unit_id, report.signature_key or "")
        if public_key is None:
            return "không có khóa công khai đã đăng ký của đơn vị đã ký để kiểm tra chữ ký số"
        if not keys.verify(public_key, keys.PURPOSE_REPORT, self.signed_content_of(report), report.signature):
            return "chữ ký số không khớp nội dung"
        return None

    @staticmethod
    def signed_the_old_way(report) -> bool:
        """Signed before schema 6: no digital signature, only the content hash (“ký theo cách cũ”)."""
        return report.status in ("signed", "sent") and report.signature is None

    def integrity_findings(self, report) -> list[Finding]:
        problem = self.seal_problem(report)
        if problem:
            return [Finding(
                INTEGRITY_CODE, "integrity", "error",
                f"Nội dung báo cáo “{report.status_label}” đã bị thay đổi ngoài chương trình sau khi ký "
                f"({problem}). Không gửi báo cáo này: mở khóa (ghi rõ lý do), "
                f"kiểm tra lại và ký lại.", "", "header.status", {"status": report.status})]
        return []

    def verify_signed(self, report_id: str) -> bool:
        """True when a signed report's content is exactly what was signed."""
        return self.seal_problem(self.report(report_id)) is None

    def refuse_if_tampered(self, report) -> None:
        """A signed report whose content no longer matches its seal is neither exported nor printed: the
        pages would pass for the signed document (ServiceError saying why and what to do)."""
        problem = self.seal_problem(report)
        if problem:
            raise ServiceError(
                f"Không xuất, không in báo cáo “{report.status_label}” này: nội dung đã bị thay đổi ngoài "
                f"chương trình sau khi ký ({problem}), nên bản xuất không còn là văn bản "
                f"đã ký. Hãy mở khóa (ghi rõ lý do), kiểm tra lại và ký lại rồi xuất.")

    def refuse_unless_sendable(self, report_id: str) -> None:
        """What a transfer file may carry: a seal that matches, made with the unit's current key (the one the
        upper level has registered). A report signed the old way, or with a replaced key, is signed again."""
        report = self.report(report_id)
        findings = self.integrity_findings(report)
        if findings:
            raise ServiceError(findings[0].message)
        if self.signed_the_old_way(report):
            raise ServiceError(
                f"Báo cáo {report.period.label()} được ký theo cách cũ (trước khi có chữ ký số), cấp trên không "
                f"kiểm tra được. Hãy mở khóa (lý do: “ký lại bằng chữ ký số”) và ký lại rồi gửi.")
        if report.status in ("signed", "sent"):
            from .exchange.registry import own_key
            current = own_key(self)
            if current is None or current.fingerprint != report.signature_key:
                raise ServiceError(
                    f"Báo cáo {report.period.label()} được ký bằng khóa cũ của đơn vị (khóa đã thay). Hãy mở khóa "
                    f"(lý do: “ký lại bằng khóa mới”) và ký lại rồi gửi.")

    def export_notice(self, report_id: str) -> ExportNotice:
        """For the export's message: the report's status and, for a draft, what still blocks Ký."""
        report = self.report(report_id, with_content=False)
        if report.status in ("signed", "sent"):
            return ExportNotice(report.status)
        blocking = blocking_findings(self.check(report_id))
        errors = sum(1 for f in blocking if f.severity == "error")
        return ExportNotice(report.status, errors, len(blocking) - errors)

    def open_error_count(self, report_id: str) -> int:
        """Errors still to fix before Ký (0 for a signed report)."""
        return self.export_notice(report_id).errors

    # -- transitions -------------------------------------------------------------------------------
    def _set_status(self, report, status: str, extra: dict | None = None, note: str = "") -> None:
        with self.store.transaction():
            stored_reports.update(self.store, report.id, {"status": status, **(extra or {})})
            new = STATUS_LABELS[status] + (f" — {note}" if note else "")
            self.store.log_revision(report.id, "status", "status", STATUS_LABELS[report.status], new, self.author,
                                    coalesce=False)
            self.announce(events.REPORTS, report.id)

    def _require_status(self, report, allowed: tuple[str, ...], action: str) -> None:
        if report.status not in allowed:
            raise ServiceError(f"Không thể {action}: báo cáo đang ở trạng thái “{report.status_label}”.")

    def _refuse_if_blocked(self, report_id: str, action: str) -> None:
        blocking = blocking_findings(self.check(report_id))
        if not blocking:
            return
        first = blocking[0]
        raise SignOffBlocked(
            f"{blocked_summary(action, blocking)}. Đầu tiên: [{SEVERITY_LABELS[first.severity]}] {first.message}",
            blocking)

    def submit_for_signature(self, report_id: str) -> None:
        report = self.report(report_id, with_content=False)
        self._require_status(report, ("draft",), "trình ký")
        self._refuse_if_blocked(report_id, "trình ký")
        self._set_status(report, "for_signature")

    def return_to_draft(self, report_id: str) -> None:
        report = self.report(report_id, with_content=False)
        self._require_status(report, ("for_signature",), "trả về dự thảo")
        self._set_status(report, "draft")

    def sign(self, report_id: str) -> None:
        """Finalise: every check runs, errors block, warnings need reasons; the content is then locked."""
        report = self.report(report_id, with_content=False)
        self._require_status(report, ("draft", "for_signature"), "ký")
        self._refuse_if_blocked(report_id, "ký")
        from .exchange.registry import own_key_pair
        pair = own_key_pair(self)  # first: a database copied without its key says so before anything changes
        with self.store.transaction():
            self.settle_header(report_id)  # what is signed prints the same whatever the unit becomes
            full = self.report(report_id)
            signature = keys.sign(pair.private_key, keys.PURPOSE_REPORT, self.signed_content_of(full))
            self._set_status(report, "signed", {"content_hash": full.content_digest(), "signature": signature,
                                                "signature_key": pair.fingerprint, "signed_at": now_iso()})

    def mark_sent(self, report_id: str) -> None:
        report = self.report(report_id)
        self._require_status(report, ("signed",), "đánh dấu đã gửi")
        integrity = self.integrity_findings(report)
        if integrity:
            raise ServiceError(integrity[0].message)
        self._set_status(report, "sent")

    def unlock(self, report_id: str, reason: str) -> None:
        report = self.report(report_id, with_content=False)
        self._require_status(report, ("signed", "sent"), "mở khóa")
        reason = (reason or "").strip()
        if len(reason) < 5:
            raise ServiceError("Hãy ghi rõ lý do mở khóa báo cáo đã ký (ít nhất vài chữ).")
        self._set_status(report, "draft", {"content_hash": None, "signature": None, "signature_key": None,
                                           "signed_at": None}, note=f"mở khóa: {reason}")
