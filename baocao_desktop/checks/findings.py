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

    def to_json(self) -> dict:
        location = {}
        if self.section:
            location["section"] = self.section
        if self.field:
            location["field"] = self.field
        return {
            "code": self.code,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "location": location,
            "values": self.values,
        }


def sort_key(finding: Finding):
    return (SEVERITIES.index(finding.severity), finding.section, finding.field)
