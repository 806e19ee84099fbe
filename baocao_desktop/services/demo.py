"""The demo: Lùng Phình with two consecutive weekly reports filled from seed 001, the supervision, one-year and
thematic reports, and the 2026 calendar reports (the Đảng ủy's months January–June with one deliberate slip in
March, its quarter II and 6-month report as their sums; one report of each other calendar template). The data
is resources/demo/lung_phinh.yaml."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..resources import resource_path
from .errors import ServiceError

DEMO_FILE = "lung_phinh.yaml"


def load_demo(workspace, path: Path | None = None) -> list[str]:
    """Set up the demo unit and its reports; safe to repeat (existing periods are kept as they are).

    Returns the ids of the demo reports.
    """
    path = path or resource_path("demo", DEMO_FILE)
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    unit = workspace.own_unit()
    if unit and unit.name != data["unit"]["name"]:
        raise ServiceError(
            f"Cơ sở dữ liệu này đã có đơn vị “{unit.name}”. Dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống "
            f"hoặc của chính đơn vị mẫu; hãy dùng --db với một tệp khác.")
    with workspace.store.transaction():
        workspace.save_unit(**{k: v for k, v in data["unit"].items()})
        if not workspace.signers():
            workspace.set_signers(data.get("signers") or [])
        known = {(f.code, f.as_of.isoformat()) for f in workspace.profile_facts()}
        for fact in data.get("profile_facts") or []:
            if (fact["code"], str(fact["as_of"])) not in known:
                workspace.add_profile_fact(fact["code"], fact.get("label", ""), str(fact["value"]),
                                           fact.get("unit", ""), fact["as_of"], fact.get("names") or ())
        existing = {(r.template_code, r.period.start.isoformat()): r.id for r in workspace.list_reports()}
        ids = []
        for entry in data.get("reports") or []:
            key = (entry["template"], str(entry["period_start"]))
            if key in existing:
                ids.append(existing[key])
                continue
            report = workspace.create_report(entry["template"], entry["period_start"], entry.get("period_end"),
                                             number=str(entry.get("number", "")), report_date=entry.get("date"))
            header = {key: entry[key] for key in ("subject", "basis", "closing") if entry.get(key)}
            if header:
                workspace.set_header(report.id, **header)
            workspace.fill_report(report.id, {
                "indicators": entry.get("indicators") or {},
                "tables": entry.get("tables") or {},
                "sections": {path: {"text": text} for path, text in (entry.get("sections") or {}).items()},
            })
            ids.append(report.id)
    return ids
