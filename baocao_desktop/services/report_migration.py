"""Moving a report to the newest version of its template, and starting a report from last period's (or, for a
quarter, 6 or 9 months, a year, from the reports inside it).

Both need the same answer: where does each piece of an old report go in a (possibly different) template
version? Sections are matched by what identifies them (a section code, the indicator and table codes
they hold, their titles), never by their position or number, since a new version may renumber, insert
or reorder sections. Whatever has no place in the new version goes to the visible section
"Nội dung chưa xếp mục" (figures as a line of text), so nothing is silently lost; the report's
content before the move is kept in the revision log and can be read back.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain import richtext
from ..domain.model import FIELD_LABELS, Report
from ..domain.numbers import format_number, from_storage, to_storage
from ..store import cells as stored_cells
from ..store import reports as stored_reports
from ..store import revisions as stored_revisions
from ..store import templates as stored_templates
from ..store import texts as stored_texts
from ..store import values as stored_values
from ..templates.model import Section, Template
from . import events
from .errors import ServiceError
from ..domain.model import UNPLACED_PATH, UNPLACED_TITLE
from .workspace import as_date

KEPT, MOVED, UNPLACED = "kept", "moved", "unplaced"
STATUS_LABELS = {
    KEPT: "Giữ nguyên mục",
    MOVED: "Chuyển sang mục khác",
    UNPLACED: f"Không có chỗ trong mẫu mới: đưa vào “{UNPLACED_TITLE}”",
}
FIGURES_CLEAR, FIGURES_PREVIOUS = "clear", "previous"
START_EMPTY, START_PREVIOUS, START_PARTS = "empty", "previous", "parts"  # what a new report starts from
MIGRATION_ENTITY = "template_migration"  # revisions.entity of the snapshot taken before a move
STARTED_FROM_KEY = "started_from"  # revisions.entity_key: the report a new one was started from
STARTED_FROM_PARTS_KEY = "started_from_parts"  # …: the reports inside the period a longer one started from


@dataclass(frozen=True)
class MigrationItem:
    kind: str  # text | value | cell
    key: str  # old section path, "<indicator>.<field>" or "<table>.<row>.<column>"
    label: str  # what it is, in Vietnamese
    source: str  # the section it was in ("Mục I.1: Nông nghiệp")
    target: str  # the section it goes to (UNPLACED_TITLE when it has no place)
    status: str  # kept | moved | unplaced
    new_key: str = ""  # where it is written in the new version ("" for unplaced figures)
    preview: str = ""  # the text's first words or the figure, to recognise it

    @property
    def renumbered(self) -> bool:
        """Kept in its section, which the new version numbers differently."""
        return self.status == KEPT and self.source != self.target

    @property
    def status_label(self) -> str:
        if self.renumbered:
            return "Giữ nguyên mục (mục được đánh số lại)"
        return STATUS_LABELS[self.status]


@dataclass
class MigrationPlan:
    report_id: str
    template_code: str
    template_name: str
    from_version: int
    to_version: int
    items: list[MigrationItem] = field(default_factory=list)
    # the report's content in the new version: section path → markup, values, table cells
    texts: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    tables: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)

    @property
    def up_to_date(self) -> bool:
        return self.from_version >= self.to_version

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    def renumbered(self) -> int:
        return sum(1 for item in self.items if item.status == KEPT and item.renumbered)

    def summary(self) -> str:
        """One Vietnamese sentence: how many pieces stay, move, have no place."""
        if not self.items:
            return "Báo cáo chưa có nội dung: chỉ đổi sang phiên bản mẫu mới."
        parts = []
        if self.count(KEPT):
            parts.append(f"{self.count(KEPT)} nội dung giữ nguyên mục" + (
                f" ({self.renumbered()} chỉ đổi số thứ tự mục)" if self.renumbered() else ""))
        if self.count(MOVED):
            parts.append(f"{self.count(MOVED)} chuyển sang mục khác")
        unplaced = self.count(UNPLACED)
        parts.append(f"{unplaced} không có chỗ trong mẫu mới (đưa vào “{UNPLACED_TITLE}”, không mất)"
                     if unplaced else "không có nội dung nào bị bỏ")
        return "; ".join(parts) + "."


# == matching sections ============================================================================
def _norm(title: str) -> str:
    text = unicodedata.normalize("NFC", title or "").lower()
    text = re.sub(r"[\s\u00a0]+", " ", re.sub(r"[.,:;!?()\"“”'’\-–]", " ", text))
    return text.strip()


def _parents(template: Template) -> dict[str, Section | None]:
    found: dict[str, Section | None] = {}

    def visit(section: Section, parent: Section | None) -> None:
        found[section.path] = parent
        for child in section.children:
            visit(child, section)

    for top in template.sections:
        visit(top, None)
    return found


def _title_path(template: Template, section: Section, parents: dict) -> tuple[str, ...]:
    titles = []
    current: Section | None = section
    while current is not None:
        titles.append(_norm(current.title))
        current = parents[current.path]
    return tuple(reversed(titles))


def match_sections(old: Template, new: Template) -> dict[str, str | None]:
    """Old section path → the new section that is the same section, or None.

    In order: the same section code; the new section holding most of the old one's indicators and
    tables; the same chain of titles from the top; a title found once in the new version."""
    new_sections = list(new.walk())
    by_code = {s.code: s.path for s in new_sections if s.code}
    old_parents, new_parents = _parents(old), _parents(new)
    by_title_path: dict[tuple, list[str]] = {}
    by_title: dict[str, list[str]] = {}
    for s in new_sections:
        by_title_path.setdefault(_title_path(new, s, new_parents), []).append(s.path)
        by_title.setdefault(_norm(s.title), []).append(s.path)
    result: dict[str, str | None] = {}
    for section in old.walk():
        if section.code and section.code in by_code:
            result[section.path] = by_code[section.code]
            continue
        held = section.indicators + section.tables
        votes: dict[str, int] = {}
        for code in held:
            target = new.section_of_indicator(code) or new.section_of_table(code)
            if target is not None:
                votes[target.path] = votes.get(target.path, 0) + 1
        if votes:
            result[section.path] = max(votes, key=lambda p: votes[p])
            continue
        same_chain = by_title_path.get(_title_path(old, section, old_parents), [])
        if len(same_chain) == 1:
            result[section.path] = same_chain[0]
            continue
        same_title = by_title.get(_norm(section.title), [])
        result[section.path] = same_title[0] if len(same_title) == 1 else None
    return result


# == the plan =====================================================================================
def _preview(markup: str, limit: int = 90) -> str:
    text = " ".join(richtext.plain_text(markup).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _place(section: Section | None) -> str:
    """Where a section is, said in full ("Mục II.1.1.a: Sản xuất nông nghiệp"): local numbers such as
    "a)" repeat under every parent."""
    return f"Mục {section.path}: {section.title}" if section is not None else ""


def _same_section(old: Section | None, new: Section | None) -> bool:
    """Kept: the same title (a new version may only have renumbered it); moved: another section."""
    return old is not None and new is not None and _norm(old.title) == _norm(new.title)


def _figure(value: Decimal, unit: str) -> str:
    return f"{format_number(value)} {unit}".strip()


def map_content(report: Report, old: Template, new: Template) -> MigrationPlan:
    """Where every text, figure and table cell of `report` (made with `old`) goes in `new`."""
    plan = MigrationPlan(report.id, new.code, new.name, old.version, new.version)
    sections = match_sections(old, new)
    unplaced_lines: list[str] = []
    if report.texts.get(UNPLACED_PATH, "").strip():
        plan.texts[UNPLACED_PATH] = report.texts[UNPLACED_PATH]
        plan.items.append(MigrationItem("text", UNPLACED_PATH, "Đoạn văn", UNPLACED_TITLE, UNPLACED_TITLE, KEPT,
                                        UNPLACED_PATH, _preview(report.texts[UNPLACED_PATH])))

    def status_of(old_section: Section | None, new_section: Section | None) -> str:
        return KEPT if _same_section(old_section, new_section) else MOVED

    # narrative text, section by section in the old order
    for section in old.walk():
        markup = report.texts.get(section.path, "")
        if richtext.is_empty(markup):
            continue
        target_path = sections.get(section.path)
        if target_path is None:
            unplaced_lines.append(f"**{section.heading}**")
            unplaced_lines.extend(line for line in markup.split("\n") if line.strip())
            plan.items.append(MigrationItem("text", section.path, "Đoạn văn", _place(section), UNPLACED_TITLE,
                                            UNPLACED, "", _preview(markup)))
            continue
        target = new.section(target_path)
        previous = plan.texts.get(target_path)
        plan.texts[target_path] = f"{previous}\n{markup}" if previous else markup
        same = _same_section(section, target) and previous is None
        plan.items.append(MigrationItem("text", section.path, "Đoạn văn", _place(section), _place(target),
                                        KEPT if same else MOVED, target_path, _preview(markup)))
    # figures of indicators
    for ind in old.indicators:
        fields = report.values.get(ind.code, {})
        old_section = old.section_of_indicator(ind.code)
        source = _place(old_section)
        new_ind = new.indicator(ind.code)
        new_section = new.section_of_indicator(ind.code) if new_ind else None
        for name in ("actual", "plan", "cumulative", "previous"):
            if name not in fields:
                continue
            label = f"{ind.label} ({FIELD_LABELS[name].lower()})"
            allowed = new_ind is not None and (new_ind.cumulative if name == "previous" else getattr(new_ind, name))
            if allowed:
                plan.values.setdefault(ind.code, {})[name] = fields[name]
                plan.items.append(MigrationItem(
                    "value", f"{ind.code}.{name}", label, source,
                    _place(new_section), status_of(old_section, new_section),
                    f"{ind.code}.{name}", _figure(fields[name], ind.unit)))
            else:
                unplaced_lines.append(f"{label}: {_figure(fields[name], ind.unit)}")
                plan.items.append(MigrationItem("value", f"{ind.code}.{name}", label, source, UNPLACED_TITLE,
                                                UNPLACED, "", _figure(fields[name], ind.unit)))
    # table cells
    for table in old.tables:
        cells = report.tables.get(table.code, {})
        old_section = old.section_of_table(table.code)
        new_table = new.table(table.code)
        # the rows this report has (named, added): they move by code where the new version allows them
        table = table.for_report(report.table_rows.get(table.code))
        new_table = new_table.for_report(report.table_rows.get(table.code)) if new_table else None
        new_section = new.section_of_table(table.code) if new_table else None
        for row in table.rows:
            for column in table.columns:
                value = cells.get(row.code, {}).get(column.code)
                if value is None:
                    continue
                key = f"{table.code}.{row.code}.{column.code}"
                label = f"{table.title}: {row.label}, {column.label}"
                figure = _figure(value, column.unit or row.unit)
                if new_table and new_table.row(row.code) and new_table.column(column.code):
                    plan.tables.setdefault(table.code, {}).setdefault(row.code, {})[column.code] = value
                    plan.items.append(MigrationItem(
                        "cell", key, label, _place(old_section),
                        _place(new_section), status_of(old_section, new_section), key,
                        figure))
                else:
                    unplaced_lines.append(f"{label}: {figure}")
                    plan.items.append(MigrationItem("cell", key, label, _place(old_section),
                                                    UNPLACED_TITLE, UNPLACED, "", figure))
    if unplaced_lines:
        note = (f"*Chuyển từ mẫu phiên bản {old.version} sang phiên bản {new.version}: các nội dung dưới đây "
                f"không có mục tương ứng, hãy chuyển vào đúng mục hoặc xóa.*")
        existing = plan.texts.get(UNPLACED_PATH)
        plan.texts[UNPLACED_PATH] = "\n".join(([existing] if existing else []) + [note] + unplaced_lines)
    return plan


def migration_plan(ws, report_id: str) -> MigrationPlan:
    """The preview of moving `report_id` to the newest version of its template."""
    report = ws.report(report_id)
    old = ws.report_template(report)
    new = ws.template(report.template_code)
    return map_content(report, old, new)


def _refuse_locked(report: Report) -> None:
    if report.locked:
        raise ServiceError(
            f"Báo cáo đang ở trạng thái “{report.status_label}”: nội dung đã khóa nên không chuyển sang phiên bản "
            f"mẫu mới được. Hãy mở khóa báo cáo (ghi rõ lý do) rồi chuyển, sau đó kiểm tra và ký lại.")


def _snapshot(report: Report) -> str:
    return json.dumps({
        "template": report.template_code, "template_version": report.template_version,
        "values": {c: {f: to_storage(v) for f, v in fields.items()} for c, fields in report.values.items()},
        "texts": {p: t for p, t in report.texts.items() if t},
        "tables": {t: {r: {c: to_storage(v) for c, v in cols.items()} for r, cols in rows.items()}
                   for t, rows in report.tables.items()},
    }, ensure_ascii=False, sort_keys=True)


def apply_migration(ws, report_id: str) -> MigrationPlan:
    """Move the report to the newest version of its template as a new revision: the content before
    the move is logged (see `migration_history`), every text that changes place is logged too."""
    report = ws.report(report_id)
    _refuse_locked(report)
    plan = migration_plan(ws, report_id)
    if plan.up_to_date:
        raise ServiceError(f"Báo cáo đã dùng phiên bản mới nhất của mẫu “{plan.template_name}” "
                           f"(phiên bản {plan.from_version}).")
    new = ws.template(report.template_code)
    store, author = ws.store, ws.author
    template_id = stored_templates.find(store, new.code, new.version)[0]
    with store.transaction():
        store.log_revision(report.id, MIGRATION_ENTITY, "template_version", _snapshot(report),
                           json.dumps({"template_version": new.version}), author, coalesce=False)
        stored_reports.update(store, report.id, {"template_id": template_id, "template_version": new.version})
        # texts: rewrite every row to its new place
        for path, markup in report.texts.items():
            if path not in plan.texts:
                stored_texts.delete(store, report.id, path)
                if markup:
                    store.log_revision(report.id, "section", path, markup, None, author, coalesce=False)
        for path, markup in plan.texts.items():
            old = report.texts.get(path)
            if old == markup:
                continue
            stored_texts.put(store, report.id, path, markup)
            store.log_revision(report.id, "section", path, old, markup, author, coalesce=False)
        # figures without a place were written into the unplaced text above
        for code, fields in report.values.items():
            for name, value in fields.items():
                if plan.values.get(code, {}).get(name) is None:
                    stored_values.delete(store, report.id, code, name)
                    store.log_revision(report.id, "value", f"{code}.{name}", to_storage(value), None, author,
                                       coalesce=False)
        for table, rows in report.tables.items():
            for row_code, columns in rows.items():
                for column, value in columns.items():
                    if plan.tables.get(table, {}).get(row_code, {}).get(column) is None:
                        stored_cells.delete(store, report.id, table, row_code, column)
                        store.log_revision(report.id, "cell", f"{table}.{row_code}.{column}", to_storage(value),
                                           None, author, coalesce=False)
        # intro figures the new version takes from the unit's profile
        ws.prefill_profile_figures(new, report.id, report.report_date or report.period.end, only_empty=True)
        ws.announce(events.REPORTS, report.id)
    return plan


def migration_history(ws, report_id: str) -> list[dict]:
    """Every move of the report to another template version, oldest first: when, who, the versions, and
    the content as it was just before (values and cells as exact decimals)."""
    found = []
    for row in stored_revisions.of_entity(ws.store, report_id, MIGRATION_ENTITY):
        before = json.loads(row[0])
        found.append({
            "at": row[3], "author": row[2], "from_version": before["template_version"],
            "to_version": json.loads(row[1])["template_version"],
            "values": {c: {f: from_storage(v) for f, v in fields.items()} for c, fields in before["values"].items()},
            "texts": before["texts"],
            "tables": {t: {r: {c: from_storage(v) for c, v in cols.items()} for r, cols in rows.items()}
                       for t, rows in before["tables"].items()},
        })
    return found


# == start from the previous period ===============================================================
def find_previous(ws, template_code: str, period_start) -> Report | None:
    """The unit's latest report of this template that ended before `period_start`."""
    unit = ws.own_unit()
    if unit is None:
        return None
    start = as_date(period_start)
    found = stored_reports.earlier_ids(ws.store, unit.id, template_code, start)
    return ws.report(found[0]) if found else None


def create_from_previous(ws, template_code: str, period_start, period_end=None, number: str = "",
                         report_date=None, figures: str = FIGURES_CLEAR) -> Report:
    """A new Dự thảo for the new period with last period's text and structure (sections, the basis and
    recipients); figures cleared (`clear`) or last period's kept as "kỳ trước" for comparison (`previous`).
    Annual plans and intro figures from the profile are filled as for any new report."""
    if figures not in (FIGURES_CLEAR, FIGURES_PREVIOUS):
        raise ServiceError("Chọn “xóa số liệu” hoặc “giữ số liệu kỳ trước để so sánh”.")
    with events.batched(), ws.store.transaction():
        report = ws.create_report(template_code, period_start, period_end, number=number, report_date=report_date)
        previous = ws.previous_report(report)
        if previous is None:
            # nothing written: the transaction is rolled back with this error
            raise ServiceError("Chưa có báo cáo kỳ trước của mẫu này để chép nội dung. Hãy bỏ chọn "
                               "“Dùng nội dung kỳ trước” để tạo báo cáo trống.")
        new = ws.report_template(report)
        old = ws.report_template(previous)
        texts_only = Report(**{**previous.__dict__, "values": {}, "tables": {}})
        plan = map_content(texts_only, old, new)
        for path, markup in plan.texts.items():
            ws.set_section_text(report.id, path, markup)
        header = {"basis": previous.basis} if previous.basis else {}
        if previous.recipients:
            header["recipients"] = previous.recipients
        if header:
            ws.set_header(report.id, **header)
        if figures == FIGURES_PREVIOUS and previous.period.start.year == report.period.start.year:
            # the model's "kỳ trước" of a cumulative figure (cumulatives restart on 1 January)
            for ind in new.indicators:
                value = previous.value(ind.code, "cumulative")
                if ind.cumulative and value is not None:
                    ws.write_value(report.id, ind.code, "previous", value)
        ws.store.log_revision(report.id, "report", STARTED_FROM_KEY, None,
                              json.dumps({"report": previous.id, "figures": figures}), ws.author, coalesce=False)
    return ws.report(report.id)


def create_from_parts(ws, template_code: str, period_start, period_end=None, number: str = "",
                      report_date=None) -> tuple[Report, list[str]]:
    """A quarter, 6 or 9 months or a year started from the unit's reports inside it (months first, else
    quarters…): its figures the sums of theirs ("tự tính", services/period_figures.prefill_sums, as for any new
    report), each section's text the texts of those reports in order, each under its period ("*Tháng 1/2026:*"),
    to be condensed by the clerk. Returns the report and the stretches no report covers ("tháng 5/2026")."""
    from .period_figures import reports_inside
    with events.batched(), ws.store.transaction():
        report = ws.create_report(template_code, period_start, period_end, number=number, report_date=report_date)
        parts, gaps = reports_inside(ws, report)
        if not parts:
            raise ServiceError(f"Chưa có báo cáo nào của đơn vị trong {report.period.label()} (báo cáo tháng, "
                               f"quý…) để bắt đầu từ đó. Hãy bỏ chọn “Bắt đầu từ các báo cáo trong kỳ”.")
        new = ws.report_template(report)
        texts = dict(ws.report(report.id).texts)  # the sentences of the prefilled sums come first
        for part in parts:
            source = ws.report(part.report_id)
            old = ws.report_template(source)
            plan = map_content(Report(**{**source.__dict__, "values": {}, "tables": {}}), old, new)
            for path, markup in plan.texts.items():
                if richtext.is_empty(markup) or path == UNPLACED_PATH:  # still in that report, not lost
                    continue
                block = f"*{source.period.label()}:*\n{markup}"
                texts[path] = f"{texts[path]}\n{block}" if texts.get(path) else block
        for path, markup in texts.items():
            ws.set_section_text(report.id, path, markup)
        ws.store.log_revision(report.id, "report", STARTED_FROM_PARTS_KEY, None,
                              json.dumps({"reports": [p.report_id for p in parts], "gaps": gaps},
                                         ensure_ascii=False), ws.author, coalesce=False)
    return ws.report(report.id), gaps


def parts_available(ws, template_code: str, period) -> tuple[list[str], list[str]]:
    """For the new-report dialog: the periods of the unit's reports inside `period` a longer report can start
    from ("tháng 1/2026", …) and the stretches none covers; ([], []) when the period is not several months."""
    from .period_figures import reports_inside
    unit = ws.own_unit()
    if unit is None:
        return [], []
    probe = Report("", unit.id, template_code, 0, period)
    parts, gaps = reports_inside(ws, probe)
    return [p.label for p in parts], gaps


def started_from(ws, report_id: str) -> tuple[Report | None, str]:
    """(the report this one was started from, "clear" | "previous"); (None, "") when started empty."""
    logged = stored_revisions.latest_new(ws.store, report_id, "report", STARTED_FROM_KEY)
    if not logged:
        return None, ""
    data = json.loads(logged)
    try:
        return ws.report(data["report"]), data["figures"]
    except ServiceError:  # the source report was deleted since
        return None, data["figures"]


def comparison_figures(ws, report_id: str) -> dict:
    """Last period's figures kept "for comparison": {"label", "values", "tables"} of the report this one
    was started from with figures kept; {} when started empty or with figures cleared."""
    source, figures = started_from(ws, report_id)
    if source is None or figures != FIGURES_PREVIOUS:
        return {}
    return {"label": source.period.label(), "values": source.values, "tables": source.tables}
