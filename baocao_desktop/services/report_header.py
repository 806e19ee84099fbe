"""The header and closing of one report as printed (DESIGN §9): Số, ngày, địa danh, trích yếu, căn cứ,
closing sentence, Nơi nhận and the signature block.

A report stores what the clerk set; what it does not store (a report made before these were stored)
comes from the template and the unit, the same defaults a new report is created with. The editor, the
document and `report show --json` all read the header through `effective_header`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from ..domain import richtext
from ..domain.dates import format_date, format_day_month
from ..domain.model import Report, Signer, SignerLines, Unit
from ..templates.model import Template


def pattern_fields(report: Report, unit: Unit) -> dict:
    start, end = report.period.start, report.period.end
    return {
        "start": format_date(start),
        "end": format_date(end),
        # "01/6" when the period stays in one year; the year is said once, after "end"
        "start_dm": format_day_month(start) if start.year == end.year else format_date(start),
        "period": _lower_first(report.period.label()),  # "tháng 6/2026", "quý II/2026", "năm 2026"
        "unit_name": unit.name,
    }


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def fill_pattern(pattern: str, report: Report, unit: Unit) -> str:
    try:
        return pattern.format(**pattern_fields(report, unit))
    except (KeyError, IndexError, ValueError):
        return pattern


@dataclasses.dataclass(frozen=True)
class ReportHeader:
    """Every header item of a report as it prints."""
    number: str
    date: dt.date | None
    place: str
    subject: str  # trích yếu
    basis: str  # căn cứ: one paragraph per line
    closing: str  # "Trên đây là báo cáo …"
    recipients: tuple[str, ...]  # Nơi nhận, one per line
    signer: SignerLines | None  # None: no signature block
    signer_id: str | None  # the unit's signer it was chosen from (None: typed)

    @property
    def basis_paragraphs(self) -> list[str]:
        return split_lines(self.basis)

    def to_json(self) -> dict:
        """`report show --json`'s "header" (DESIGN §11)."""
        signer = self.signer or SignerLines()
        return {"number": self.number, "date": self.date.isoformat() if self.date else None, "place": self.place,
                "subject": self.subject, "basis": self.basis, "closing": self.closing,
                "recipients": list(self.recipients),
                "signer": {"on_behalf": signer.on_behalf, "title": signer.title, "name": signer.name}}


def split_lines(text: str | None) -> list[str]:
    """The non-empty lines of a text, trimmed (căn cứ paragraphs, Nơi nhận items)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def clean_line(text) -> str:
    return richtext.normalize(str(text or "")).strip()


def clean_lines(text) -> str:
    """A multi-line item (căn cứ, the T/M line(s)) in NFC, each line trimmed, no empty lines."""
    return "\n".join(split_lines(richtext.normalize(str(text or ""))))


def signer_of(signer: Signer, template: Template) -> SignerLines:
    """A unit's signer as printed on a report of `template` (the template's T/M line when the signer has none)."""
    return SignerLines(signer.on_behalf or template.signer_on_behalf, signer.title, signer.name)


def default_signer(report: Report, template: Template, signers: list[Signer]) -> SignerLines | None:
    chosen = next((s for s in signers if s.id == report.signer_id), None)
    return signer_of(chosen, template) if chosen else None


def effective_header(report: Report, template: Template, unit: Unit, signers: list[Signer]) -> ReportHeader:
    """What prints: what the report stores, else the defaults from the template and the unit."""
    signer = report.signer if report.signer is not None else default_signer(report, template, signers)
    if signer is not None and not any((signer.on_behalf, signer.title, signer.name)):
        signer = None
    return ReportHeader(
        number=report.number or "",
        date=report.report_date,
        place=report.place or unit.place_name,
        subject=report.subject if report.subject is not None else fill_pattern(template.summary, report, unit),
        basis=report.basis or "",
        closing=report.closing if report.closing is not None else fill_pattern(template.closing, report, unit),
        # an empty list is never what prints (a Nơi nhận list is required): the template's stands in
        recipients=tuple(report.recipients) if report.recipients else tuple(template.recipients),
        signer=signer,
        signer_id=report.signer_id,
    )
