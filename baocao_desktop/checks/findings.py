"""Findings: what a check says, in the JSON shape of DESIGN §11."""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Gợi ý"}


@dataclass(frozen=True)
class Finding:
    code: str
    category: str
    severity: str
    message: str
    section: str = ""  # section path, "II.1.1.a"
    field: str = ""  # "<indicator code>.<actual|plan|cumulative|previous>" or "header.<name>"
    values: dict = dc_field(default_factory=dict)
    # Where in free text (proofreading, DESIGN §11): `line` is 1-based (a .txt file), `paragraph` 0-based
    # (a .docx body paragraph, or a paragraph of a section's narrative), `footnote` the footnote number;
    # `start`/`end` are character offsets in that line/paragraph/footnote text (NFC).
    line: int | None = None
    paragraph: int | None = None
    footnote: int | None = None
    start: int | None = None
    end: int | None = None
    # the written reason (giải trình) a user gave to keep this warning; shown to the level above
    justification: str = ""

    @property
    def key(self) -> str:
        """Stable identity of a finding within a report, to attach a justification to it."""
        return f"{self.code}|{self.section}|{self.field}|{self.paragraph}|{self.footnote}|{self.start}"

    def to_json(self) -> dict:
        location = {}
        if self.section:
            location["section"] = self.section
        if self.field:
            location["field"] = self.field
        for name in ("line", "paragraph", "footnote", "start", "end"):
            value = getattr(self, name)
            if value is not None:
                location[name] = value
        return {
            "code": self.code,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "location": location,
            "values": self.values,
            **({"justification": self.justification} if self.justification else {}),
        }


@dataclass(frozen=True)
class FindingCounts:
    """How many findings of each kind: errors, open warnings (without a giải trình), kept warnings (with
    one), gợi ý. The one count the editor's panel, filters, section tree and main window all show."""
    errors: int = 0
    warnings: int = 0
    kept: int = 0
    info: int = 0


def finding_counts(findings) -> FindingCounts:
    errors = warnings = kept = info = 0
    for finding in findings:
        if finding.severity == "error":
            errors += 1
        elif finding.severity == "warning":
            if finding.justification:
                kept += 1
            else:
                warnings += 1
        else:
            info += 1
    return FindingCounts(errors, warnings, kept, info)


def reading_rank(finding: Finding) -> int:
    """The order a reader meets findings in: errors, open warnings, gợi ý, then warnings already kept
    with a giải trình (settled, shown last)."""
    if finding.severity == "warning" and finding.justification:
        return len(SEVERITIES)
    return SEVERITIES.index(finding.severity)


def sort_key(finding: Finding):
    return (SEVERITIES.index(finding.severity), finding.section, finding.field)


def position_key(finding: Finding):
    """Document order: section, then footnotes after the body, line/paragraph, offset."""
    return (finding.section, finding.footnote is not None, finding.footnote or 0,
            finding.line if finding.line is not None else (finding.paragraph or 0),
            finding.start or 0, SEVERITIES.index(finding.severity))
