"""EditSession: one open report's editing state and rules, without Qt.

The report editor (ui/editor/) shows a session and sends it what the user types; everything that decides
something lives here and is tested without a display: figures typed but not yet saved (and why they were
refused), the computed values (percentages, the lũy kế filled in, table values), the generated sentences a
section's text follows while the clerk has not made it theirs, the texts and header waiting to be saved,
which sections are done, the findings for the current state (the figures' checks,
joined by a proofreading result while it is about the current text), what blocks Trình ký / Ký, and
saving through the Workspace's public methods.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Callable

from ..checks.findings import Finding, finding_counts
from ..checks.report_checks import REQUIRED_EMPTY
from ..domain import richtext
from ..domain.model import FIELD_LABELS
from ..domain.numbers import FigureRule, NumberFormatError, format_number, parse_figure
from ..domain.sentences import (MissingValues, follow_figures, generate_sentence, has_reported_figures,
                                indicator_percent, section_text)
from ..store.db import StoreBusy
from ..templates.dictionary import column_rule, indicator_rule
from .errors import ServiceError
from .report_migration import comparison_figures
from .signoff import ERROR_NOT_JUSTIFIABLE, INTEGRITY_CODE, blocking_findings

GRID_FIELDS = ("actual", "plan", "previous", "cumulative")
INPUT_INVALID = "input.invalid"
INFO_NOT_JUSTIFIABLE = "Gợi ý không chặn việc ký, không cần giải trình."
LOCKED_NO_JUSTIFY = "Báo cáo đã ký: nội dung và giải trình bị khóa. Mở khóa để sửa."
NO_FINDING_CHOSEN = "Chọn một cảnh báo trong danh sách."

# How long one autosave waits for another program's write (an import in chunks) before it gives up and
# the editor retries later: short, because the editor saves on the GUI thread.
SAVE_WAIT_SECONDS = 0.5

FigureKey = tuple[str, str]  # (indicator code, field)
CellKey = tuple[str, str, str]  # (table, row, column)


@dataclasses.dataclass
class Flushed:
    """What one save stored: the figures and cells (to show them formatted), and whether anything changed."""
    values: list[FigureKey] = dataclasses.field(default_factory=list)
    cells: list[CellKey] = dataclasses.field(default_factory=list)
    saved: bool = False


@dataclasses.dataclass
class ProofreadingRun:
    """A proofreading job handed out by the session, with the text generation it reads."""
    job: object
    generation: int
    texts: dict[str, str]


def has_field(indicator, name: str) -> bool:
    """Whether an indicator has the grid column `name` (lũy kế kỳ trước goes with lũy kế)."""
    return {"actual": indicator.actual, "plan": indicator.plan, "cumulative": indicator.cumulative,
            "previous": indicator.cumulative}[name]


class EditSession:
    """One report open for editing. Every figure or cell typed is kept as typed until `flush` stores it;
    a refused one stays with its message and blocks signing."""

    def __init__(self, workspace, report_id: str):
        self.workspace = workspace
        self.report_id = report_id
        self.report = workspace.report(report_id)
        if not self.report.locked and workspace.prefill_period_sums(report_id):
            self.report = workspace.report(report_id)  # reports inside the period came or changed since
        self.template = workspace.editing_template(self.report)
        self.context = workspace.check_context(self.report)
        # figures the program prefilled ("tự tính": sums of the reports inside the period) not yet confirmed
        self.auto: set[FigureKey] = workspace.auto_figures(report_id)
        # last period's figures when the report was started from it "for comparison" (a read-only column)
        self.comparison = comparison_figures(workspace, report_id)
        # intro figures that repeat the unit profile: their fields say from which dated fact
        self.profile_figures = workspace.profile_figures(
            workspace.report_template(self.report),
            self.report.report_date or self.report.period.end)
        # figures: text typed but not yet stored (pending or refused), and the last value parsed from it
        self.raw: dict[FigureKey, str] = {}
        self.dirty_values: set[FigureKey] = set()
        self.invalid: dict[FigureKey, str] = {}
        self._last: dict[FigureKey, Decimal | None] = {}
        # table cells, the same way
        self.cell_raw: dict[CellKey, str] = {}
        self.cell_dirty: set[CellKey] = set()
        self.cell_invalid: dict[CellKey, str] = {}
        # narrative and header waiting to be saved; the header items as they print (report_header)
        self.dirty_texts: set[str] = set()
        # section path → its generated sentences as of the figures before the latest figure edits, until the
        # text has followed them (text_after_figures): while the text is exactly those, it is not the clerk's
        self._text_basis: dict[str, str] = {}
        self.pending_header: dict | None = None
        self.header = workspace.report_header(self.report)
        # findings: the figures' (checked on demand, milliseconds) and the last proofreading's (slow, off the
        # UI thread); `text_generation` counts the edits the proofreader reads (narrative, report date), so
        # that a result about older text is dropped
        self.figure_findings: list[Finding] = []
        self.proof_findings: list[Finding] = []
        self.proof_texts: dict[str, str] = {}  # the section texts `proof_findings` were found in
        self.text_generation = 0
        self.proof_generation = -1  # generation of the text `proof_findings` are about
        self.checked_findings: list[Finding] = []  # everything the checks found: what blocks signing
        self.findings: list[Finding] = []  # what the editor shows (checked_findings, see merge_findings)
        # "Mục … chưa có nội dung" is noise on a report nobody has touched yet: shown once the clerk has
        # worked on it (worked_on) or asked for Trình ký / Ký (show_every_finding)
        self.every_finding_shown = False
        # header item ("number") → (what was typed, why it is not saved): shown as typed, marked, until corrected
        self.header_invalid: dict[str, tuple[str, str]] = {}

    # == status ==================================================================================
    @property
    def locked(self) -> bool:
        return self.report.locked

    @property
    def status(self) -> str:
        return self.report.status

    @property
    def title(self) -> str:
        return f"{self.template.name} — {self.report.period.label()}"

    def reload_status(self) -> bool:
        """Read the status again after a transition; True when it changed."""
        fresh = self.workspace.report(self.report_id, with_content=False)
        changed = fresh.status != self.report.status
        self.report.status = fresh.status
        self.report.content_hash = fresh.content_hash
        self.report.signature, self.report.signature_key = fresh.signature, fresh.signature_key
        return changed

    # == figures =================================================================================
    def stored(self, code: str, name: str) -> Decimal | None:
        return self.report.values.get(code, {}).get(name)

    def current(self, code: str, name: str) -> Decimal | None:
        """What the field shows now, parsed (None when empty or not a number yet)."""
        key = (code, name)
        if key in self.raw:
            try:
                return parse_figure(self.raw[key], self.figure_rule(code))
            except NumberFormatError:
                return None
        return self.stored(code, name)

    def figure_rule(self, code: str) -> FigureRule | None:
        """What an indicator's figures may be (kind, impossible and plausible bounds)."""
        ind = self.template.indicator(code)
        return indicator_rule(ind) if ind is not None else None

    def cell_rule(self, code: str, column: str) -> FigureRule | None:
        table = self.template.table(code)
        line = table.column(column) if table is not None else None
        return column_rule(line) if line is not None else None

    def field_text(self, code: str, name: str) -> str:
        """The text a field shows: as typed while pending, else the stored figure formatted."""
        key = (code, name)
        return self.raw[key] if key in self.raw else format_number(self.stored(code, name))

    def previous_of(self, code: str) -> Decimal | None:
        if code in self.context.previous_cumulative:
            return self.context.previous_cumulative[code]
        return self.current(code, "previous")

    # == figures from other periods (services/period_figures.py) ================================
    def is_auto(self, code: str, name: str) -> bool:
        """A figure the program prefilled and the clerk has neither typed over nor confirmed."""
        return (code, name) in self.auto and (code, name) not in self.raw

    def confirm_figure(self, code: str, name: str) -> bool:
        """The clerk keeps a "tự tính" figure as it is."""
        if self.locked or not self.is_auto(code, name):
            return False
        self.workspace.confirm_figure(self.report_id, code, name)
        self.auto.discard((code, name))
        return True

    def figure_sources(self, code: str, name: str) -> str:
        """Where a field's computed figure comes from, in Vietnamese ("" when it comes from nowhere else):
        lũy kế kỳ trước and lũy kế from the year's earlier reports, a longer period's sum of its reports."""
        from .period_figures import explain_cumulative, explain_previous, explain_sum
        found = self.context.period_sums.get(f"{code}.{name}")
        if found is not None and (found.parts or found.gaps):
            return explain_sum(found)
        previous = self.context.previous_sources.get(code)
        if previous is None:
            return ""
        if name == "previous":
            return explain_previous(previous)
        if name == "cumulative":
            own = self.report.period.label()
            return explain_cumulative(previous, own[:1].lower() + own[1:], self.current(code, "actual"))
        return ""

    def last_year(self, code: str) -> tuple[Decimal, str] | None:
        """Cùng kỳ năm trước: (the figure, the period it is from), None when last year has no such report."""
        return self.context.last_year.get(code, {}).get("actual")

    def values_of(self, code: str) -> dict[str, Decimal]:
        values = {}
        for name in ("actual", "plan", "cumulative"):
            value = self.current(code, name)
            if value is not None:
                values[name] = value
        return values

    def percent(self, code: str) -> Decimal | None:
        """Tỷ lệ % of an indicator from the figures shown now (None: not computable yet)."""
        ind = self.template.indicator(code)
        return None if ind is None else indicator_percent(ind, self.values_of(code))

    def sentence(self, code: str) -> str:
        """The sentence written from an indicator's figures; MissingValues says what is missing."""
        return generate_sentence(self.template.indicator(code), self.values_of(code), self.previous_of(code))

    def sentences(self, codes: list[str]) -> tuple[list[str], list[str]]:
        """The sentences of `codes` that can be written, and why the others cannot."""
        sentences, problems = [], []
        for code in codes:
            ind = self.template.indicator(code)
            if ind is None:
                continue
            if any((code, f) in self.invalid for f in GRID_FIELDS):
                problems.append(f"“{ind.label}”: có số không hợp lệ, hãy sửa trước.")
                continue
            try:
                sentences.append(self.sentence(code))
            except MissingValues as exc:
                problems.append(str(exc))
        return sentences, problems

    def generated_text(self, path: str) -> str:
        """A section's generated sentences (markup, one paragraph) from the figures shown now; "" when none
        can be written."""
        section = self.template.section(path)
        if section is None:
            return ""
        indicators = [i for i in (self.template.indicator(c) for c in section.indicators) if i is not None]
        return section_text(indicators, self.values_of, self.previous_of)

    def text_after_figures(self, path: str, shown: str | None) -> str | None:
        """The text a section should show after its figures were edited, given the text it shows now
        (`shown`, markup): its generated sentences while the text is empty or still exactly the sentences
        written from the figures before; None: leave the text (it is the clerk's, or nothing changed). The
        editor writes the result into the text as ordinary, editable, saved text."""
        if self.locked or path not in self._text_basis:
            return None
        section = self.template.section(path)
        if any(self.current(code, name) is None and (code, name) in self.raw and self.raw[(code, name)].strip()
               for code in section.indicators for name in GRID_FIELDS):
            return None  # a figure is being typed and does not read as a number yet: wait for it
        return follow_figures(shown, self._text_basis.pop(path), self.generated_text(path))

    def edit_figure(self, code: str, name: str, text: str) -> dict[FigureKey, str]:
        """The user typed `text` in a field. Returns the other fields this filled in (key → text); the
        section's text may follow (text_after_figures)."""
        if self.locked:
            return {}
        section = self.template.section_of_indicator(code)
        if section is not None and section.path not in self._text_basis:
            self._text_basis[section.path] = self.generated_text(section.path)
        key = (code, name)
        before = self._last.get(key, self.stored(code, name))
        self.raw[key] = text
        self.dirty_values.add(key)
        try:
            now = parse_figure(text, self.figure_rule(code))
        except NumberFormatError:
            return {}
        self._last[key] = now
        return self._auto_cumulative(code, name, before, now)

    def _auto_cumulative(self, code: str, name: str, before, now) -> dict[FigureKey, str]:
        """Lũy kế = lũy kế kỳ trước + thực hiện, while the user has not typed a different lũy kế."""
        ind = self.template.indicator(code)
        if not (ind and ind.cumulative and ind.actual) or name not in ("actual", "previous") or now is None:
            return {}
        if name == "actual":
            previous = self.previous_of(code)
            old_sum = None if previous is None else previous + (before or 0)
            new_sum = None if previous is None else previous + now
        else:
            actual = self.current(code, "actual")
            old_sum = None if (actual is None or before is None) else before + actual
            new_sum = None if actual is None else now + actual
        if new_sum is None:
            return {}
        key = (code, "cumulative")
        try:
            cumulative = parse_figure(self.field_text(code, "cumulative"), self.figure_rule(code))
        except NumberFormatError:
            return {}
        if cumulative is not None and cumulative != old_sum:
            return {}  # the user typed their own lũy kế: leave it, the checks will compare
        text = format_number(new_sum)
        self.raw[key] = text
        self._last[key] = new_sum
        self.dirty_values.add(key)
        return {key: text}

    def figure_where(self, code: str, name: str) -> str:
        ind = self.template.indicator(code)
        return f"{ind.label} – {FIELD_LABELS[name]}" if ind else code

    # == table cells =============================================================================
    def cell_text(self, key: CellKey) -> str:
        return self.cell_raw[key] if key in self.cell_raw else format_number(self.report.cell(*key))

    def cell_value(self, key: CellKey) -> Decimal | None:
        """What the cell shows now, parsed (None when empty or not a number yet)."""
        if key in self.cell_raw:
            try:
                return parse_figure(self.cell_raw[key], self.cell_rule(key[0], key[2]))
            except NumberFormatError:
                return None
        return self.report.cell(*key)

    def table_values(self, code: str) -> dict[tuple[str, str], Decimal | None]:
        """Every cell of a table as shown now (the table view sums them beside a typed total)."""
        table = self.table(code)
        return {(r.code, c.code): self.cell_value((code, r.code, c.code)) for r in table.rows for c in table.columns}

    # == table rows (issue 14: named after the profile or typed, added, left out) =================
    def table(self, code: str):
        """The table as this report has it (its own row names, added rows, rows left out)."""
        table = self.template.table(code)
        return table.for_report(self.report.table_rows.get(code)) if table is not None else None

    def rows_changeable(self, code: str) -> bool:
        table = self.template.table(code)
        return bool(table is not None and table.rows_vary and not self.locked)

    def can_add_row(self, code: str) -> bool:
        table = self.template.table(code)
        if not self.rows_changeable(code):
            return False
        limit = table.max_rows if table.rows_editable else len(table.part_rows)
        return len(self.table(code).part_rows) < limit

    def row_removable(self, code: str, row: str) -> bool:
        """A row other than the total, with no figure shown in it now (typed or stored)."""
        table = self.table(code)
        return (self.rows_changeable(code) and table.row(row) is not None and row != table.total_row
                and all(self.cell_value((code, row, c.code)) is None and not self.cell_raw.get((code, row, c.code))
                        for c in table.columns))

    def rename_row(self, code: str, row: str, label: str) -> None:
        self.workspace.set_row_label(self.report_id, code, row, label)
        self._reload_rows()

    def add_row(self, code: str, label: str = "") -> str:
        row = self.workspace.add_table_row(self.report_id, code, label)
        self._reload_rows()
        return row

    def remove_row(self, code: str, row: str) -> None:
        self.workspace.remove_table_row(self.report_id, code, row)
        for key in [k for k in self.cell_raw if k[:2] == (code, row)]:  # empty text typed in it
            self.cell_raw.pop(key)
            self.cell_dirty.discard(key)
            self.cell_invalid.pop(key, None)
        self._reload_rows()

    def rows_from_profile(self, code: str) -> None:
        self.workspace.rows_from_profile(self.report_id, code)
        self._reload_rows()

    def _reload_rows(self) -> None:
        fresh = self.workspace.report(self.report_id, with_content=False)
        self.report.table_rows = fresh.table_rows
        self.report.updated_at = fresh.updated_at
        self.check_figures()

    def edit_cell(self, code: str, row: str, column: str, text: str) -> None:
        if self.locked:
            return
        key = (code, row, column)
        self.cell_raw[key] = text
        self.cell_dirty.add(key)

    def cell_where(self, key: CellKey) -> str:
        table = self.table(key[0])
        row, column = table.row(key[1]), table.column(key[2])
        return f"{table.title}: {row.label if row else key[1]} – {column.label if column else key[2]}"

    def invalid_messages(self, section_path: str | None) -> list[tuple[str, str]]:
        """(where, message) of every refused figure and cell; those of other sections say “(mục khác)”."""
        section = self.template.section(section_path) if section_path else None
        codes = set(section.indicators) if section else set()
        tables = set(section.tables) if section else set()
        lines = []
        for (code, name), message in sorted(self.invalid.items()):
            prefix = "" if code in codes else "(mục khác) "
            lines.append((prefix + self.figure_where(code, name), message))
        for key, message in sorted(self.cell_invalid.items()):
            prefix = "" if key[0] in tables else "(mục khác) "
            lines.append((prefix + self.cell_where(key), message))
        return lines

    # == texts and header ========================================================================
    def text_edited(self, path: str) -> None:
        """The narrative of a section changed; its markup is asked for when saving."""
        if self.locked:
            return
        self.dirty_texts.add(path)
        self.text_generation += 1

    def edit_header(self, number: str, report_date: dt.date) -> None:
        """The header strip's Số and Ngày."""
        self.edit_header_items(number=number, report_date=report_date)

    def edit_header_items(self, **items) -> None:
        """Header items typed (workspace HEADER_FIELDS: number, report_date, place, subject, basis, closing,
        recipients (one per line), signer_id, signer (SignerLines)); saved with the next flush."""
        if self.locked or not items:
            return
        if "number" in items:  # a Số not in the unit's numbering form is kept as typed, not saved
            problem = self.workspace.number_problem(self.report.template_code, str(items["number"] or ""))
            if problem:
                self.header_invalid["number"] = (str(items["number"]), problem)
                items = {k: v for k, v in items.items() if k != "number"}
                if self.pending_header and "number" in self.pending_header:
                    self.pending_header = {k: v for k, v in self.pending_header.items() if k != "number"} or None
                if not items:
                    return
            else:
                self.header_invalid.pop("number", None)
        self.pending_header = {**(self.pending_header or {}), **items}
        if {"number", "report_date", "place"} & set(items):
            self.text_generation += 1  # context for the proofreader (the report date above all)

    def header_value(self, name: str):
        """A header item as the editor shows it now: typed and pending, else as it prints."""
        if name in self.header_invalid:
            return self.header_invalid[name][0]
        if self.pending_header and name in self.pending_header:
            return self.pending_header[name]
        header = self.header
        return {"report_date": header.date, "recipients": "\n".join(header.recipients)}.get(
            name, getattr(header, name, None))

    def default_header(self):
        """The header items a new report of this template and unit would start with."""
        return self.workspace.default_report_header(self.report)

    def header_state(self) -> str:
        """"filled" when Số, ngày, địa danh, a signer with a name and a Nơi nhận list are there, else "partial"."""
        header = self.header
        done = (header.number and header.date and header.place and header.signer and header.signer.name
                and header.recipients)
        return "filled" if done else "partial"

    def has_pending_changes(self) -> bool:
        return bool(self.dirty_texts or self.dirty_values or self.pending_header is not None or self.cell_dirty)

    def has_pending_text(self) -> bool:
        """Text the proofreader reads is waiting to be saved (a job now would read the old text)."""
        return bool(self.dirty_texts or self.pending_header is not None)

    # == saving ==================================================================================
    def flush(self, text_of: Callable[[str], str | None] = lambda _path: None,
              wait: float = SAVE_WAIT_SECONDS) -> Flushed:
        """Store every pending edit. `text_of(path)` gives a dirty section's markup (None: nothing to save).
        A refused figure stays pending with its message; a ServiceError drops the pending edits and is raised.
        StoreBusy (another program held the write lock longer than `wait` seconds) keeps every edit not yet
        stored pending, as typed, and is raised: the caller retries later. An edit is marked saved only
        once its write succeeded."""
        done = Flushed()
        if not self.has_pending_changes():
            return done
        try:
            with self.workspace.store.waiting_at_most(wait):
                self._save_values(done)
                self._save_cells(done)
                self._save_texts(done, text_of)
                self._save_header(done)
        except StoreBusy:
            raise
        except ServiceError:
            self.dirty_texts.clear()
            self.dirty_values.clear()
            self.cell_dirty.clear()
            self.pending_header = None
            raise
        return done

    def _save_values(self, done: Flushed) -> None:
        for key in sorted(self.dirty_values):
            code, name = key
            try:
                value = self.workspace.set_value(self.report_id, code, name, self.raw.get(key, ""))
            except NumberFormatError as exc:
                self.dirty_values.discard(key)
                self.invalid[key] = exc.message
                continue
            self.dirty_values.discard(key)
            self.invalid.pop(key, None)
            self.raw.pop(key, None)
            if key in self.auto:  # typed over (or typed the same figure again): the clerk's own now
                self.auto.discard(key)
                self.workspace.confirm_figure(self.report_id, code, name)
            fields = self.report.values.setdefault(code, {})
            if value is None:
                fields.pop(name, None)
            else:
                fields[name] = value
            done.values.append(key)
            done.saved = True

    def _save_cells(self, done: Flushed) -> None:
        for key in sorted(self.cell_dirty):
            code, row, column = key
            try:
                value = self.workspace.set_cell(self.report_id, code, row, column, self.cell_raw.get(key, ""))
            except NumberFormatError as exc:
                self.cell_dirty.discard(key)
                self.cell_invalid[key] = exc.message
                continue
            self.cell_dirty.discard(key)
            self.cell_invalid.pop(key, None)
            self.cell_raw.pop(key, None)
            cells = self.report.tables.setdefault(code, {}).setdefault(row, {})
            if value is None:
                cells.pop(column, None)
            else:
                cells[column] = value
            done.cells.append(key)
            done.saved = True

    def _save_texts(self, done: Flushed, text_of) -> None:
        for path in sorted(self.dirty_texts):
            markup = text_of(path)
            if markup is None or markup == (self.report.texts.get(path) or ""):
                self.dirty_texts.discard(path)
                continue
            self.workspace.set_section_text(self.report_id, path, markup)
            self.dirty_texts.discard(path)  # only now: a refused write leaves the text waiting
            self.report.texts[path] = markup
            done.saved = True

    def _save_header(self, done: Flushed) -> None:
        if self.pending_header is None:
            return
        items = self.pending_header
        fresh = self.workspace.set_header(self.report_id, **items)
        if self.pending_header is items:  # not edited again meanwhile
            self.pending_header = None
        for name in ("number", "report_date", "place", "basis", "signer_id", "recipients", "subject", "closing",
                     "signer"):
            setattr(self.report, name, getattr(fresh, name))
        self.header = self.workspace.report_header(self.report)
        done.saved = True

    # == sections ================================================================================
    def section_has_content(self, section) -> bool:
        if not richtext.is_empty(self.report.texts.get(section.path)):
            return True
        return (any(self.report.values.get(code) for code in section.indicators)
                or any(self.report.tables.get(code) for code in section.tables))

    def section_state(self, path: str) -> str:
        """"filled", "partial", "empty" or "required" (required and still empty), from what is saved."""
        section = self.template.section(path)
        if richtext.is_empty(self.report.texts.get(path)) and has_reported_figures(section.indicators,
                                                                                   self.report.values):
            return "partial"  # figures and no text: they print nowhere (a finding says so)
        if self.section_has_content(section):
            return "filled"
        descendants = [s for s in section.walk() if s is not section]
        filled = [s for s in descendants if self.section_has_content(s)]
        if descendants and filled:
            leaves_missing = [s for s in descendants if s.required and not self.section_has_content(s)
                              and not any(self.section_has_content(c) for c in s.walk() if c is not s)]
            return "partial" if leaves_missing else "filled"
        if section.required or any(s.required for s in descendants):
            return "required"
        return "empty"

    # == findings ================================================================================
    def check_figures(self) -> None:
        """Run the report's checks but the proofreader (on what is saved) and merge the findings."""
        self.figure_findings = self.workspace.check(self.report_id, proofread=False)
        self.merge_findings()

    def merge_findings(self) -> list[Finding]:
        """The figures' findings and the last proofreading's, with today's giải trình."""
        self.checked_findings = self.workspace.merge_findings(self.report_id, self.figure_findings,
                                                              self.proof_findings)
        self.findings = self.checked_findings if self.worked_on() else [
            f for f in self.checked_findings if f.code != REQUIRED_EMPTY]
        return self.findings

    def worked_on(self) -> bool:
        """Whether the clerk has worked on the report: a section's text, a figure of the period (plans are
        carried over from the last report) or a table cell, saved or typed in this session."""
        if not self.every_finding_shown:
            report = self.report
            self.every_finding_shown = bool(
                self.dirty_texts or self.dirty_values or self.cell_dirty or self.raw or self.cell_raw
                or any(not richtext.is_empty(text) for text in report.texts.values())
                or any(value is not None for fields in report.values.values()
                       for name, value in fields.items() if name != "plan")
                or any(report.tables.values()))
        return self.every_finding_shown

    def show_every_finding(self) -> None:
        """Trình ký / Ký was asked for: what blocks it is shown even on an untouched report."""
        self.every_finding_shown = True
        self.merge_findings()

    @property
    def proofreading_stale(self) -> bool:
        """The last proofreading result is not about the current text."""
        return self.proof_generation != self.text_generation

    def proofreading_run(self) -> ProofreadingRun:
        """A job proofreading the saved text, tagged with the generation it reads."""
        job = self.workspace.proofread_job(self.report_id)
        return ProofreadingRun(job, self.text_generation, dict(job.report.texts))

    def proofreading_done(self, run: ProofreadingRun, findings: list[Finding]) -> bool:
        """A job's findings: kept when about the current text (True), else dropped as stale."""
        if run.generation != self.text_generation:
            return False
        self.proof_findings = list(findings)
        self.proof_generation = run.generation
        self.proof_texts = run.texts
        self.merge_findings()
        return True

    def proofreading_failed(self, run: ProofreadingRun, reason: str = "", log_path=None) -> str:
        """Not again on the same text (it would fail the same way); the notice to show. `reason`: what the
        user can fix (a UserError's message); a bug gives none and names the log holding its traceback."""
        self.proof_generation = run.generation
        where = f" Chi tiết lỗi đã được ghi vào tệp nhật ký: {log_path}." if log_path else ""
        return (f"Không soát được lỗi nội dung{': ' + reason.rstrip('.') if reason else ''}. "
                f"Các kiểm tra số liệu vẫn chạy; hãy báo lỗi này cho người quản trị.{where}")

    def finding_counts(self) -> tuple[int, int]:
        """(errors, open warnings) of the findings shown; a warning kept with a giải trình is no longer open."""
        counts = finding_counts(self.findings)
        return counts.errors, counts.warnings

    def findings_by_field(self) -> dict[str, Finding]:
        """The first open finding per field (kept warnings no longer mark anything); errors first."""
        by_field: dict[str, Finding] = {}
        for finding in sorted(self.findings, key=lambda f: f.severity != "error"):
            if finding.field and finding.field not in by_field and not finding.justification:
                by_field[finding.field] = finding
        return by_field

    def integrity_finding(self) -> Finding | None:
        """The content changed outside the program after signing."""
        return next((f for f in self.findings if f.code == INTEGRITY_CODE), None)

    def justify_block_reason(self, finding: Finding | None) -> str:
        """Why a finding cannot be kept with a giải trình now ("" when it can)."""
        if finding is None:
            return NO_FINDING_CHOSEN
        if finding.severity == "error":
            return ERROR_NOT_JUSTIFIABLE
        if finding.severity != "warning":
            return INFO_NOT_JUSTIFIABLE
        if self.locked:
            return LOCKED_NO_JUSTIFY
        return ""

    def justify(self, finding: Finding, reason: str) -> None:
        """Store (or, with an empty reason, remove) the written reason that keeps a warning."""
        self.workspace.justify(self.report_id, finding.key, reason)

    # == sign-off ================================================================================
    def unsaved_input(self) -> list[Finding]:
        """Typed figures and cells that were refused: signing would ignore them, so they block like errors."""
        out = []
        for (code, name), message in sorted(self.invalid.items()):
            section = self.template.section_of_indicator(code)
            out.append(Finding(INPUT_INVALID, "input", "error",
                               f"{self.figure_where(code, name)}: {message} (số chưa được lưu)",
                               section.path if section else "", f"{code}.{name}"))
        for key, message in sorted(self.cell_invalid.items()):
            section = self.template.section_of_table(key[0])
            out.append(Finding(INPUT_INVALID, "input", "error", f"{self.cell_where(key)}: {message} (số chưa được lưu)",
                               section.path if section else "", ".".join(key)))
        return out

    def blocking(self) -> list[Finding]:
        """What blocks Trình ký / Ký now, by the one rule of services.signoff (the findings should be complete:
        proofread about the current text)."""
        return blocking_findings(self.checked_findings, self.unsaved_input())
