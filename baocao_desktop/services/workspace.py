"""Use cases over one database: the unit and its profile, templates, reports, checks, export.

The GUI, the CLI and the tests all go through a Workspace; nothing here knows about Qt. The SQL is in
store/ (one query module per thing stored); the methods here own the transactions and, once one commits,
announce what changed (services/events.py).
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from ..checks.findings import Finding, sort_key
from ..checks.check_context import previous_value
from ..checks.report_checks import CheckContext, check_report
from ..domain import richtext
from ..domain.doc_number import number_form_problem, symbol_suffix
from ..domain.dates import Period, format_date, format_day_month, parse_date, parse_period
from ..domain.model import VALUE_FIELDS, ProfileFact, Report, Signer, SignerLines, Unit
from ..domain.model import UNPLACED_GUIDANCE, UNPLACED_PATH, UNPLACED_TITLE  # noqa: F401 (re-exported)
from ..domain.numbers import format_number, in_unit, parse_figure, to_storage
from ..domain.sentences import follow_figures, section_text
from ..resources import resource_path
from ..store import cells as stored_cells
from ..store import profile as stored_profile
from ..store import reports as stored_reports
from ..store import revisions as stored_revisions
from ..store import signers as stored_signers
from ..store import table_rows as stored_table_rows
from ..store import templates as stored_templates
from ..store import texts as stored_texts
from ..store import units as stored_units
from ..store import values as stored_values
from ..store.db import Store, new_id
from ..templates.dictionary import check_against_dictionary, column_rule, fact_rule, indicator_rule
from ..templates.model import Template, TemplateError, parse_template
from . import events
from .errors import DuplicateReport, ServiceError
from .paths import default_db_path
from .proofread_job import ProofreadJob
from .report_header import ReportHeader, clean_line, clean_lines, effective_header, signer_of, split_lines
from .signoff import SignOffMixin
from .table_rows import TableRowsMixin

UNIT_FIELDS = ("name", "level", "upper_body", "place_name", "symbol", "format", "founded_on")
HEADER_FIELDS = ("number", "report_date", "place", "subject", "basis", "closing", "signer_id", "signer", "recipients")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service accounts, some Windows setups)
        return "người dùng"


class Workspace(SignOffMixin, TableRowsMixin):
    def __init__(self, db_path: Path | str | None = None, author: str | None = None):
        self.store = Store(db_path or default_db_path())
        self.author = author or current_user()
        self._templates: dict[tuple[str, int], Template] = {}
        self._parsed: dict[str, Template] = {}  # SHA-256 of a template source → that source, read
        self.install_shipped_templates()
        self._protect_clear_keys()

    def _protect_clear_keys(self) -> None:
        """A database older than schema 6 keeps the unit's private key in clear: it moves into protected
        storage the first time the database opens (issue 19 point 8)."""
        from ..exchange.key_protection import is_protected
        from ..store import registry as stored_registry
        if any(not is_protected(row[1]) for row in stored_registry.own_private_keys(self.store)):
            from .exchange.registry import protect_own_keys
            protect_own_keys(self)

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def announce(self, kind: str, *ids: str) -> None:
        """Say what changed (services/events.py) once the current transaction commits; nothing is said if
        it rolls back. The same change announced twice in one transaction is said once."""
        self.store.after_commit(lambda: events.announce(kind, ids), key=(kind, ids))

    # == templates ================================================================================
    def install_shipped_templates(self) -> None:
        """Install shipped templates not yet in the database; unchanged files are not even parsed."""
        folder = resource_path("templates")
        known = stored_templates.hashes(self.store)
        shipped = set()
        for file in sorted(folder.glob("*.yaml")):
            text = file.read_text(encoding="utf-8")
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            shipped.add(sha)
            if sha in known:
                continue
            self.install_template(parse_template(text, origin=file.name), origin="shipped")
        stored_templates.mark_shipped(self.store, shipped & known)

    def install_template(self, template: Template, origin: str = "") -> str:
        """Add a template version; an existing version is only replaced while no report pins it.
        A template that contradicts the indicator dictionary is refused (TemplateError). `origin`
        (store.templates.ORIGINS): shipped, upper (a signed pack of the upper level), local (written here);
        a version that had only come in another unit's transfer file takes it and becomes current."""
        check_against_dictionary(template)
        # this installation's own version of that number; received ones (the communes' own versions) stay
        # pinned by their reports, except one with this very content, which becomes this installation's own
        row = stored_templates.own(self.store, template.code, template.version)
        same = stored_templates.find_content(self.store, template.code, template.version, template.sha256)
        if same and (row is None or row.id == same.id):
            if same.origin == "received" and origin:
                with self.store.transaction():
                    stored_templates.set_origin(self.store, same.id, origin)
                    self.announce(events.TEMPLATES, template.code)
            return same.id
        with self.store.transaction():
            if row:
                if stored_templates.used_by_reports(self.store, row.id):
                    return row.id
                stored_templates.update(self.store, row.id, {"name": template.name, "period": template.period,
                                                             "source": template.source, "sha256": template.sha256,
                                                             "origin": origin, "origin_unit_id": None})
                template_id = row.id
            else:
                template_id = stored_templates.insert(self.store, {
                    "code": template.code, "version": template.version, "name": template.name,
                    "period": template.period, "source": template.source, "sha256": template.sha256,
                }, origin=origin)
            self._templates[(template.code, template.version)] = template
            self.announce(events.TEMPLATES, template.code)
        return template_id

    def install_templates(self, templates, origin: str = "") -> None:
        """Install several templates in one transaction: all or none (the cache forgets a rolled-back one)."""
        before = dict(self._templates)
        try:
            with events.batched(), self.store.transaction():
                for template in templates:
                    self.install_template(template, origin=origin)
        except BaseException:
            self._templates.clear()
            self._templates.update(before)
            raise

    def template(self, code: str, version: int | None = None, received_too: bool = False) -> Template:
        """One version; without `version` the code's current one (never a version that only came in a unit's
        transfer file). `received_too`: for reading the units' reports (inbox, aggregation), a code that
        only the units below have is read with the latest version they sent."""
        if version is None:
            version = stored_templates.latest_version(self.store, code)
            if version is None and received_too:
                version = stored_templates.highest_version(self.store, code)
            if version is None:
                raise ServiceError(f"Không có mẫu báo cáo “{code}”.")
        key = (code, version)
        if key not in self._templates:
            source = stored_templates.source(self.store, code, version)
            if source is None:
                raise ServiceError(f"Không có mẫu báo cáo “{code}” phiên bản {version}.")
            try:
                self._templates[key] = self.parsed_template(source, origin=f"{code} v{version}")
            except TemplateError as exc:
                raise ServiceError(str(exc)) from None
        return self._templates[key]

    def report_template(self, report) -> Template:
        """The template version a report pins. At the upper level a commune's report is read (opened, checked,
        printed, aggregated) with the version that commune sent, which may differ from another commune's
        version with the same code and number; any other report with the (code, version) it names."""
        pinned = stored_templates.pinned(self.store, report.id)
        if pinned is None or pinned.origin != "received":
            return self.template(report.template_code, report.template_version)
        found = self._parsed.get(pinned.sha256)
        if found is None:
            try:
                found = self.parsed_template(stored_templates.source_of(self.store, pinned.id),
                                             origin=f"{report.template_code} v{report.template_version}")
            except TemplateError as exc:
                raise ServiceError(str(exc)) from None
        return found

    def parsed_template(self, source: str, origin: str) -> Template:
        """parse_template (the strict reader; TemplateError), once per distinct source in this workspace,
        known by its SHA-256: the template every transfer file of a batch carries is read and validated
        once, not once a file."""
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        found = self._parsed.get(digest)
        if found is None:
            found = self._parsed[digest] = parse_template(source, origin=origin)
        return found

    def templates(self, received_too: bool = False) -> list[Template]:
        """The current version of every template, the most frequent kinds first (weekly, monthly …).
        `received_too`: also the kinds only the units below have (the upper level's inbox and aggregation)."""
        return [self.template(code, version)
                for code, version in stored_templates.latest_versions(self.store, received_too)]

    # == unit and profile =========================================================================
    def own_unit(self) -> Unit | None:
        return stored_units.own_unit(self.store)

    def unit(self, unit_id: str) -> Unit:
        """Any unit by id: this one or one whose reports were received."""
        found = stored_units.unit(self.store, unit_id)
        if found is None:
            raise ServiceError(f"Không tìm thấy đơn vị “{unit_id}”.")
        return found

    def save_unit(self, **fields) -> Unit:
        """Create or update this installation's own unit."""
        unknown = set(fields) - set(UNIT_FIELDS)
        if unknown:
            raise ServiceError(f"Trường không có: {', '.join(sorted(unknown))}.")
        clean = {}
        for key, value in fields.items():
            if key == "founded_on":
                clean[key] = _iso_date(value)
            else:
                clean[key] = richtext.normalize(str(value or "")).strip()
        if "name" in clean and not clean["name"]:
            raise ServiceError("Tên đơn vị không được để trống (ví dụ: Đảng ủy xã Lùng Phình).")
        if clean.get("format", "party") not in ("party", "state"):
            raise ServiceError("Thể thức văn bản phải là “party” (Đảng) hoặc “state” (Nhà nước).")
        unit = self.own_unit()
        with self.store.transaction():
            if unit:
                stored_units.update_unit(self.store, unit.id, clean)
                unit_id = unit.id
            else:
                if not clean.get("name"):
                    raise ServiceError("Tên đơn vị không được để trống (ví dụ: Đảng ủy xã Lùng Phình).")
                unit_id = stored_units.insert_own_unit(self.store, clean)
            self.store.log_revision(None, "unit", unit_id, None, json.dumps(clean, ensure_ascii=False),
                                    self.author)
            self.announce(events.UNIT, unit_id)
        return self.own_unit()

    def save_setup(self, unit: dict, signers: list[dict], new_facts: list[dict] = (),
                   removed_fact_ids=()) -> None:
        """The set-up dialog's save: the unit, its signers, profile facts added and removed, all in one
        transaction (on any error nothing is saved). `new_facts`: code, label, value, unit, as_of, and
        optionally names (what the figure counts, by name)."""
        with events.batched(), self.store.transaction():
            self.save_unit(**unit)
            self.set_signers(signers)
            for fact in new_facts:
                self.add_profile_fact(fact["code"], fact["label"], fact["value"], fact["unit"], fact["as_of"],
                                      fact.get("names") or ())
            for fact_id in removed_fact_ids:
                self.delete_profile_fact(fact_id)

    def require_unit(self) -> Unit:
        """This installation's unit; ServiceError while it is not set up."""
        unit = self.own_unit()
        if unit is None:
            raise ServiceError("Chưa thiết lập đơn vị. Hãy nhập thông tin đơn vị trước (hoặc chạy “demo”).")
        return unit

    def signers(self) -> list[Signer]:
        unit = self.own_unit()
        if not unit:
            return []
        return stored_signers.live(self.store, unit.id)

    def set_signers(self, signers: list[dict]) -> list[Signer]:
        """Replace the list of signers (on_behalf, title, name); removed ones become tombstones."""
        unit = self.require_unit()
        existing = {s.id: s for s in self.signers()}
        with self.store.transaction():
            kept = set()
            for position, data in enumerate(signers):
                row = {k: richtext.normalize(str(data.get(k, ""))).strip() for k in ("on_behalf", "title", "name")}
                if not row["name"]:
                    continue
                signer_id = data.get("id")
                if signer_id in existing:
                    stored_signers.update(self.store, signer_id, {**row, "position": position})
                else:
                    signer_id = stored_signers.insert(self.store, unit.id, {**row, "position": position})
                kept.add(signer_id)
            for signer_id in set(existing) - kept:
                stored_signers.remove(self.store, signer_id)
            self.announce(events.UNIT, unit.id)
        return self.signers()

    def profile_facts(self) -> list[ProfileFact]:
        unit = self.own_unit()
        if not unit:
            return []
        return stored_profile.facts(self.store, unit.id)

    def default_fact_date(self, code: str) -> dt.date:
        """The date a new profile fact is valid from unless told: the unit's founding date for the first
        fact of a code (a figure entered weeks later must still count for the reports before), today for a
        later change of a code that has facts already (or when the founding date is not known)."""
        unit = self.own_unit()
        if unit and unit.founded_on and not any(f.code == code for f in self.profile_facts()):
            return unit.founded_on
        return dt.date.today()

    def add_profile_fact(self, code: str, label: str, value, unit: str, as_of=None, names=()) -> ProfileFact:
        """`as_of` None: default_fact_date. `names`: what the figure counts, by name (the old communes, the
        villages), for tables whose rows are named after the profile (templates: row_labels: profile:<code>)."""
        owner = self.require_unit()
        if as_of is None or as_of == "":
            as_of = self.default_fact_date(code)
        parsed = parse_figure(value, fact_rule(code, unit))
        if parsed is None:
            raise ServiceError(f"Giá trị của “{label or code}” không được để trống.")
        if not code or not code.replace("_", "").isalnum():
            raise ServiceError(f"Mã dữ kiện “{code}” không hợp lệ.")
        with self.store.transaction():
            fact_id = stored_profile.insert(self.store, owner.id, {
                "code": code, "label": richtext.normalize(label), "value": to_storage(parsed), "unit": unit,
                "as_of": _iso_date(as_of), "names": stored_profile.encode_names(names)})
            self.store.log_revision(None, "profile_fact", code, None, f"{to_storage(parsed)} @ {_iso_date(as_of)}",
                                    self.author)
            self.announce(events.UNIT, owner.id)
        return next(f for f in self.profile_facts() if f.id == fact_id)

    def delete_profile_fact(self, fact_id: str) -> None:
        with self.store.transaction():
            stored_profile.remove(self.store, fact_id)
            unit = self.own_unit()
            self.announce(events.UNIT, *([unit.id] if unit else []))

    def fact_as_of(self, code: str, day: dt.date) -> ProfileFact | None:
        """The value valid on `day`: the latest fact dated on or before it."""
        candidates = [f for f in self.profile_facts() if f.code == code and f.as_of <= day]
        return max(candidates, key=lambda f: f.as_of) if candidates else None

    # == reports ==================================================================================
    def list_reports(self, own_only: bool = True) -> list[Report]:
        """Newest period first. By default only this unit's own reports (the commune's report list);
        reports received from other units belong to the upper-level screens: own_only=False lists them too."""
        return [self.report(report_id, with_content=False)
                for report_id in stored_reports.ids(self.store, own_only=own_only)]

    def create_report(self, template_code: str, period_start, period_end=None, number: str = "",
                      report_date=None) -> Report:
        unit = self.require_unit()
        template = self.template(template_code)
        start = as_date(period_start)
        try:
            if period_end is not None:
                period = Period(template.period, start, as_date(period_end)).require_calendar()
            elif template.period == "custom":
                raise ServiceError("Hãy chọn ngày kết thúc kỳ báo cáo.")
            else:  # a week from its Monday; a month, quarter… from its first day
                period = parse_period(start.isoformat(), template.period)
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        end = period.end
        existing = stored_reports.find_same_period(self.store, unit.id, template.code, start, end)
        if existing:
            raise DuplicateReport(f"Đã có {template.name.lower()} cho kỳ {period.label()}. Hãy mở báo cáo đó.",
                                  existing)
        template_id = stored_templates.find(self.store, template.code, template.version)[0]
        signers = self.signers()
        report_id = new_id()
        day = as_date(report_date) if report_date else end + dt.timedelta(days=1)
        # the header starts as the unit and the template say; the clerk changes it per report
        defaults = self.default_report_header(Report(report_id, unit.id, template.code, template.version, period))
        with self.store.transaction():
            stored_reports.insert(self.store, {
                "id": report_id, "unit_id": unit.id, "template_id": template_id, "template_code": template.code,
                "template_version": template.version, "period_kind": period.kind,
                "period_start": start.isoformat(), "period_end": end.isoformat(),
                "number": str(number or ""), "report_date": day.isoformat(), "place": unit.place_name,
                "signer_id": defaults.signer_id,
                "recipients": json.dumps(list(defaults.recipients), ensure_ascii=False),
                "subject": defaults.subject, "closing": defaults.closing,
                **stored_reports.signer_columns(defaults.signer or SignerLines()),
                "status": "draft",
            })
            # tables named after the profile (the old communes, the villages) start with the names valid
            # on the report date; kept with the report, so a later profile change leaves it as signed
            rows = self.profile_table_rows(template, unit.id, day)
            if rows:
                stored_table_rows.put(self.store, report_id, rows)
            self.store.log_revision(report_id, "report", "created", None, period.label(), self.author)
            # Annual plans stay the same all year: carry them from last period's report.
            previous = self.previous_report(self.report(report_id))
            if previous and previous.period.start.year == start.year:
                for code, fields in previous.values.items():
                    ind = template.indicator(code)
                    if ind and ind.plan and "plan" in fields:
                        self.write_value(report_id, code, "plan", fields["plan"])
            self.prefill_profile_figures(template, report_id, day)
            # a quarter, 6 or 9 months, a year: its figures that are sums of the reports inside it, "tự tính"
            from .period_figures import prefill_sums
            prefill_sums(self, report_id)
            # the prefilled figures' sentences start the texts, visible and editable like the editor's
            self.write_sentences(report_id, {s.path: "" for s in template.walk() if s.indicators})
            self.announce(events.REPORTS, report_id)
        return self.report(report_id)

    def profile_figures(self, template: Template, day: dt.date) -> dict[str, tuple[ProfileFact, Decimal | None]]:
        """Indicator code → (the profile fact (hồ sơ đơn vị) its figure repeats, as valid on `day`; the
        value in the indicator's unit, None when the units cannot be converted)."""
        found = {}
        for ind in template.indicators:
            if ind.profile_fact and ind.actual:
                fact = self.fact_as_of(ind.profile_fact, day)
                if fact is not None:
                    found[ind.code] = (fact, in_unit(fact.value, fact.unit, ind.unit))
        return found

    def prefill_profile_figures(self, template: Template, report_id: str, day: dt.date,
                                only_empty: bool = False) -> None:
        """Intro figures (area, population, villages...) start as the unit's profile on the report date.
        To be called inside the caller's transaction."""
        for code, (_fact, value) in self.profile_figures(template, day).items():
            if value is None:
                continue
            if only_empty and stored_values.is_filled(self.store, report_id, code, "actual"):
                continue
            self.write_value(report_id, code, "actual", value)

    def generated_texts(self, report_id: str, paths) -> dict[str, str]:
        """Section path → its generated sentences (markup) from the stored figures, "" when none."""
        report = self.report(report_id)
        template = self.report_template(report)
        context = self.check_context(report)
        out = {}
        for path in paths:
            section = template.section(path)
            indicators = [i for i in (template.indicator(c) for c in section.indicators) if i is not None]
            out[path] = section_text(indicators, lambda code: report.values.get(code, {}),
                                     lambda code: previous_value(report, code, context))
        return out

    def write_sentences(self, report_id: str, before: dict[str, str]) -> None:
        """After figures were stored without the editor (`report fill`, a new report's prefilled figures):
        the texts of their sections follow them by the editor's rule (domain.sentences.follow_figures).
        `before`: section path → its generated sentences before the figures changed. Inside the caller's
        transaction."""
        texts = self.report(report_id).texts
        for path, now in self.generated_texts(report_id, before).items():
            text = follow_figures(texts.get(path), before[path], now)
            if text is not None:
                self.set_section_text(report_id, path, text)

    def report(self, report_id: str, with_content: bool = True, with_texts: bool = True) -> Report:
        """A report; `with_content` False: the header only; `with_texts` False: without the narrative (for
        the figures of another report that a check compares with)."""
        report = stored_reports.header(self.store, report_id)
        if report is None:
            raise ServiceError(f"Không tìm thấy báo cáo “{report_id}”.")
        if with_content:
            report.values.update(stored_values.of_report(self.store, report_id))
            if with_texts:
                report.texts.update(stored_texts.of_report(self.store, report_id))
            report.tables.update(stored_cells.of_report(self.store, report_id))
        return report

    def delete_report(self, report_id: str) -> None:
        report = self._editable(report_id)
        with self.store.transaction():
            stored_reports.mark_deleted(self.store, report.id)
            self.store.log_revision(report.id, "report", "deleted", None, "deleted", self.author)
            self.announce(events.REPORTS, report.id)

    def _editable(self, report_id: str) -> Report:
        report = self.report(report_id, with_content=False)
        if report.locked:
            raise ServiceError(f"Báo cáo đã ở trạng thái “{report.status_label}”: nội dung bị khóa, không sửa được.")
        return report

    def _touch(self, report_id: str) -> None:
        """The report's content changed (inside the caller's transaction): its time, and the announcement."""
        stored_reports.update(self.store, report_id)
        self.announce(events.REPORTS, report_id)

    def set_section_text(self, report_id: str, path: str, markup: str) -> None:
        report = self._editable(report_id)
        template = self.report_template(report)
        if template.section(path) is None and path != UNPLACED_PATH:
            raise ServiceError(f"Mẫu “{template.name}” không có mục “{path}”.")
        markup = richtext.normalize(markup or "")
        old = stored_texts.markup(self.store, report_id, path)
        if (old or "") == markup:
            return
        with self.store.transaction():
            stored_texts.put(self.store, report_id, path, markup)
            self.store.log_revision(report_id, "section", path, old, markup, self.author)
            self._touch(report_id)

    def set_value(self, report_id: str, code: str, field_name: str, raw) -> Decimal | None:
        """Store one figure typed the Vietnamese way; raises NumberFormatError quoting bad input."""
        report = self._editable(report_id)
        template = self.report_template(report)
        indicator = template.indicator(code)
        if indicator is None:
            raise ServiceError(f"Mẫu “{template.name}” không có chỉ tiêu “{code}”.")
        allowed = {"actual": indicator.actual, "plan": indicator.plan, "cumulative": indicator.cumulative,
                   "previous": indicator.cumulative}
        if field_name not in VALUE_FIELDS or not allowed[field_name]:
            raise ServiceError(f"Chỉ tiêu “{indicator.label}” không có trường “{field_name}”.")
        value = parse_figure(raw, indicator_rule(indicator))
        with self.store.transaction():
            if self.write_value(report_id, code, field_name, value):
                self._touch(report_id)
        return value

    def set_cell(self, report_id: str, table_code: str, row: str, column: str, raw) -> Decimal | None:
        """Store one table cell typed the Vietnamese way; raises NumberFormatError quoting bad input."""
        report = self._editable(report_id)
        template = self.report_template(report)
        table = template.table(table_code)
        table = table.for_report(report.table_rows.get(table_code)) if table is not None else None
        if table is None or table.row(row) is None or table.column(column) is None:
            raise ServiceError(f"Mẫu “{template.name}” không có ô {table_code}.{row}.{column}"
                               + (" trong báo cáo này." if table is not None and table.column(column) else "."))
        value = parse_figure(raw, column_rule(table.column(column)))
        new = to_storage(value)
        with self.store.transaction():
            changed, old = stored_cells.put(self.store, report_id, table_code, row, column, new)
            if not changed:
                return value
            self.store.log_revision(report_id, "cell", f"{table_code}.{row}.{column}", old, new, self.author)
            self._touch(report_id)
        return value

    def write_value(self, report_id: str, code: str, field_name: str, value: Decimal | None) -> bool:
        """Store one already-checked figure with its revision, inside the caller's transaction (no lock or
        template check: `set_value` is the user's way in). True when it changed."""
        new = to_storage(value)
        changed, old = stored_values.put(self.store, report_id, code, field_name, new)
        if changed:
            self.store.log_revision(report_id, "value", f"{code}.{field_name}", old, new, self.author)
            self.announce(events.REPORTS, report_id)
        return changed

    def number_problem(self, template_code: str, number: str) -> str | None:
        """Why a Số is not in the own unit's numbering form (the format's pattern, the template's doc type
        and the unit's symbol: "108" or "108-BC/ĐU"), or None when it is or is empty."""
        unit = self.own_unit()
        if unit is None:
            return None
        suffix = symbol_suffix(self.number_pattern(unit), self.template(template_code).doc_type, unit.symbol or "")
        return number_form_problem(number, suffix, bool((unit.symbol or "").strip()))

    def set_header(self, report_id: str, **fields) -> Report:
        """Change header items of a report (HEADER_FIELDS): `signer` is the signature block as printed
        (SignerLines or a dict with on_behalf, title, name); a `signer_id` alone prints that signer of the unit."""
        report = self._editable(report_id)
        unknown = set(fields) - set(HEADER_FIELDS)
        if unknown:
            raise ServiceError(f"Trường không có: {', '.join(sorted(unknown))}.")
        clean = {}
        for key, value in fields.items():
            if key == "number" and (problem := self.number_problem(report.template_code, str(value or ""))):
                raise ServiceError(problem)
            if key == "report_date":
                clean[key] = _iso_date(value) if value else None
            elif key == "recipients":
                items = split_lines(value) if isinstance(value, str) else [clean_line(v) for v in value or []]
                clean[key] = json.dumps([richtext.normalize(v) for v in items if v], ensure_ascii=False)
            elif key == "signer_id":
                signer = next((s for s in self.signers() if s.id == value), None)
                if value and signer is None:
                    raise ServiceError("Người ký không có trong danh sách người ký của đơn vị.")
                clean[key] = value or None
                if signer is not None and "signer" not in fields:
                    template = self.report_template(report)
                    clean.update(stored_reports.signer_columns(signer_of(signer, template)))
            elif key == "signer":
                clean.update(stored_reports.signer_columns(_signer_lines(value)))
            elif key in ("basis",):
                clean[key] = clean_lines(value)
            elif key in ("subject", "closing"):
                clean[key] = " ".join(clean_line(value).split())  # one paragraph each
            else:
                clean[key] = clean_line(value)
        with self.store.transaction():
            old_row = stored_reports.header_fields(self.store, report.id, clean)
            for (key, value), old in zip(clean.items(), old_row):
                self.store.log_revision(report.id, "header", key, old, value, self.author)
            stored_reports.update(self.store, report.id, clean)
            self.announce(events.REPORTS, report.id)
        return self.report(report_id)

    def report_header(self, report: Report) -> ReportHeader:
        """The report's header items as they print (stored ones, else the template's and the unit's)."""
        template = self.report_template(report)
        return effective_header(report, template, self.unit_of(report), self.signers())

    def default_report_header(self, report: Report) -> ReportHeader:
        """The header items a new report of this template, unit and period starts with (the editor's
        “Lấy lại theo mẫu”)."""
        from dataclasses import replace
        signers = self.signers()
        blank = replace(report, place="", subject=None, closing=None, signer=None, recipients=[],
                        signer_id=signers[0].id if signers else None)
        template = self.report_template(report)
        return effective_header(blank, template, self.unit_of(report), signers)

    def unit_of(self, report: Report) -> Unit:
        own = self.own_unit()
        return own if own and own.id == report.unit_id else self.unit(report.unit_id)

    def settle_header(self, report_id: str) -> None:
        """Store the header items a report still takes from its template and unit (before signing: what was
        signed then prints the same whatever the unit or its signers become). Inside the caller's transaction."""
        report = self.report(report_id, with_content=False)
        header = self.report_header(report)
        fields = {}
        if report.subject is None:
            fields["subject"] = header.subject
        if report.closing is None:
            fields["closing"] = header.closing
        if report.signer is None:
            fields.update(stored_reports.signer_columns(header.signer or SignerLines()))
        if not report.recipients and header.recipients:
            fields["recipients"] = json.dumps(list(header.recipients), ensure_ascii=False)
        if not report.place and header.place:
            fields["place"] = header.place
        if fields:
            with self.store.transaction():
                stored_reports.update(self.store, report.id, fields)
                self.announce(events.REPORTS, report.id)

    def revisions(self, report_id: str) -> list[dict]:
        return stored_revisions.of_report(self.store, report_id)

    # == previous period, checks ==================================================================
    def previous_report(self, report: Report, with_texts: bool = True) -> Report | None:
        found = stored_reports.earlier_ids(self.store, report.unit_id, report.template_code, report.period.start)
        return self.report(found[0], with_texts=with_texts) if found else None

    def check_context(self, report: Report, sources=None) -> CheckContext:
        """What a report's checks read besides the report. `sources`: a period_figures.SourceCache, the unit's
        other reports read once for a batch of checks (an import)."""
        from . import period_figures
        context = CheckContext()
        template = self.report_template(report)
        # lũy kế kỳ trước, a longer period's sums of its months, cùng kỳ năm trước: from the unit's other reports
        period_figures.fill_context(self, report, template, context, sources)
        unit = self.own_unit()
        if unit and unit.id == report.unit_id:
            context.unit_founded_on = unit.founded_on
            day = report.report_date or report.period.end
            context.profile.update(stored_profile.valid_on(self.store, unit.id, day))
            for fact in sorted(stored_profile.facts(self.store, unit.id), key=lambda f: f.as_of, reverse=True):
                if fact.code not in context.profile:
                    context.profile_later[fact.code] = fact  # the earliest, as the list runs newest first
            context.document_items = self._document_items(report, unit)
        # figures "as of" the same day in the unit's other reports (stocks and cumulatives must agree)
        for other_id in stored_reports.ids_ending_on(self.store, report.unit_id, report.period.end, report.id):
            other = self.report(other_id, with_texts=False)
            name = self.report_template(other).name.lower()
            label = f"{name} {other.period.label().lower()}"
            for code, fields in other.values.items():
                for field_name, value in fields.items():
                    context.same_date_values.setdefault(f"{code}.{field_name}", []).append((label, value))
        return context

    def prefill_period_sums(self, report_id: str) -> list[tuple[str, str]]:
        """A longer period's figures that are sums of the reports inside it, filled where empty or still
        "tự tính" (services/period_figures.py); the (code, field) written."""
        from .period_figures import months_inside, prefill_sums
        report = self.report(report_id, with_content=False)
        template = self.report_template(report)
        if report.locked or not months_inside(report.period) or not any(
                rule.kind == "sum_of_months" for rule in template.rules):
            return []  # nothing to prefill: no write transaction (opening a weekly report never waits for one)
        with self.store.transaction():
            return prefill_sums(self, report_id)

    def auto_figures(self, report_id: str) -> set[tuple[str, str]]:
        """The figures the program prefilled and nobody has typed or confirmed since ("tự tính")."""
        from .period_figures import auto_figures
        return auto_figures(self, report_id)

    def confirm_figure(self, report_id: str, code: str, field_name: str) -> bool:
        """Keep a "tự tính" figure as the clerk's own (logged); False when it was not one."""
        from .period_figures import confirm_figure
        self._editable(report_id)
        return confirm_figure(self, report_id, code, field_name)

    def _document_items(self, report: Report, unit: Unit):
        """What checks/document_items.py needs: the header as it prints, the unit's symbol, upper body and
        the number pattern of its document format."""
        from ..checks.document_items import DocumentItems
        header = self.report_header(report)
        template = self.report_template(report)
        pattern = self.number_pattern(unit, template.format)
        return DocumentItems(
            number=header.number, place=header.place,
            signer_name=header.signer.name if header.signer else "", recipients=header.recipients,
            doc_type=template.doc_type, unit_symbol=unit.symbol, upper_body=unit.upper_body,
            number_pattern=pattern)

    @staticmethod
    def number_pattern(unit: Unit, format_code: str = "") -> str:
        """How the unit's document format writes a Số ("Số {number}-{doc_type}/{issuer_symbol}"); "" when
        the format file is broken (the export reports that, not the checks or the import)."""
        from ..document.formats import FormatError, load_format
        try:
            # the template's own format first (a UBND template prints as State), as the document builder does
            return load_format(format_code or unit.format or "party").header.number.pattern
        except (FormatError, OSError):
            return ""

    def check(self, report_id: str, proofread: bool = True) -> list[Finding]:
        """Structured checks on the figures, then (unless `proofread` is False) the proofreader on the
        narrative, with the unit's names and level as context."""
        report = self.report(report_id)
        template = self.report_template(report)
        findings = self.integrity_findings(report) + check_report(template, report, self.check_context(report))
        if proofread:
            findings = sorted(findings + self._proofread_job(report, template).run(), key=sort_key)
        return self.with_justifications(report_id, findings)

    def proofread_job(self, report_id: str) -> ProofreadJob:
        """The proofreading of the report's narrative as a job on plain data (no database): the editor runs it
        off the UI thread, then joins its findings to the figures' with `merge_findings`."""
        report = self.report(report_id)
        return self._proofread_job(report, self.report_template(report))

    def _proofread_job(self, report: Report, template: Template) -> ProofreadJob:
        from ..checks.proofread import ProofreadContext
        unit = self.own_unit()
        context = ProofreadContext.from_unit(unit) if unit and unit.id == report.unit_id else None
        return ProofreadJob(template, report, context)

    def merge_findings(self, report_id: str, figures: list[Finding], proofread: list[Finding]) -> list[Finding]:
        """`check(report_id, proofread=False)` and a `proofread_job(...).run()` as one list, as `check` gives it,
        with the giải trình stored now (a reason given after the job ran shows at once)."""
        from dataclasses import replace
        findings = sorted(list(figures) + list(proofread), key=sort_key)
        # a reason removed since `figures` were read must not linger: the stored ones are applied afresh
        return self.with_justifications(report_id, [replace(f, justification="") if f.justification else f
                                                     for f in findings])

    def editing_template(self, report: Report) -> Template:
        """The report's template as the editor shows it: with the reserved section "Nội dung chưa xếp mục"
        at the end while the report holds text there (from a Word import or a template version move)."""
        template = self.report_template(report)
        if richtext.is_empty(report.texts.get(UNPLACED_PATH)):
            return template
        from dataclasses import replace

        from ..templates.model import Section
        unplaced = Section(number="", title=UNPLACED_TITLE, path=UNPLACED_PATH, level=1,
                           guidance=UNPLACED_GUIDANCE)
        return replace(template, sections=template.sections + (unplaced,))

    # == JSON (report show / fill) ================================================================
    def report_json(self, report_id: str) -> dict:
        report = self.report(report_id)
        template = self.report_template(report)
        context = self.check_context(report)
        from .period_figures import auto_figures, sources_json
        sources = sources_json(context, report, template)
        auto = auto_figures(self, report_id)
        indicators = {}
        for ind in template.indicators:
            fields = report.values.get(ind.code, {})
            entry = {"label": ind.label, "unit": ind.unit}
            for name in ("actual", "plan", "cumulative"):
                if getattr(ind, name):
                    entry[name] = format_number(fields[name]) if name in fields else None
            if ind.cumulative:
                prev = context.previous_cumulative.get(ind.code, fields.get("previous"))
                entry["previous"] = format_number(prev) if prev is not None else None
            if ind.code in sources:  # read only: where the computed figures come from (fill ignores it)
                entry["sources"] = sources[ind.code]
            if (ind.code, "actual") in auto or (ind.code, "cumulative") in auto:
                entry["auto"] = sorted(name for code, name in auto if code == ind.code)
            indicators[ind.code] = entry
        return {
            "id": report.id,
            "template": report.template_code,
            "template_version": report.template_version,
            "period": {"kind": report.period.kind, "start": report.period.start.isoformat(),
                       "end": report.period.end.isoformat()},
            "status": report.status,
            "header": self.report_header(report).to_json(),
            "indicators": indicators,
            "sections": {**{s.path: {"title": s.heading, "text": report.texts.get(s.path, "")}
                            for s in template.walk()},
                         **({UNPLACED_PATH: {"title": UNPLACED_TITLE, "text": report.texts[UNPLACED_PATH]}}
                            if report.texts.get(UNPLACED_PATH) else {})},
            "tables": {t.code: {"title": t.title,
                                "labels": {r.code: r.label for r in t.rows},
                                "rows": {r.code: {c.code: (format_number(report.cell(t.code, r.code, c.code))
                                                           if report.cell(t.code, r.code, c.code) is not None
                                                           else None) for c in t.columns} for r in t.rows}}
                       for t in (table.for_report(report.table_rows.get(table.code)) for table in template.tables)},
        }

    def fill_report(self, report_id: str, data: dict) -> None:
        """Merge a `report show --json` shaped dict; every figure is validated before anything is written."""
        if not isinstance(data, dict):
            raise ServiceError("Dữ liệu điền phải là một đối tượng JSON.")
        report = self._editable(report_id)
        template = self.report_template(report)
        values: list[tuple[str, str, Decimal | None]] = []
        errors = []
        for code, fields in (data.get("indicators") or {}).items():
            ind = template.indicator(code)
            if ind is None:
                errors.append(f"Mẫu không có chỉ tiêu “{code}”.")
                continue
            if not isinstance(fields, dict):
                errors.append(f"Chỉ tiêu “{code}”: phải là đối tượng với actual/plan/cumulative.")
                continue
            for name, raw in fields.items():
                if name in ("label", "unit", "sources", "auto"):  # what `report show` says, not figures
                    continue
                allowed = {"actual": ind.actual, "plan": ind.plan, "cumulative": ind.cumulative,
                           "previous": ind.cumulative}
                if not allowed.get(name):
                    errors.append(f"Chỉ tiêu “{ind.label}” không có trường “{name}”.")
                    continue
                try:
                    values.append((code, name, parse_figure(raw, indicator_rule(ind))))
                except Exception as exc:
                    errors.append(f"{ind.label} ({name}): {exc}")
        texts = []
        for path, entry in (data.get("sections") or {}).items():
            if template.section(path) is None and path != UNPLACED_PATH:
                errors.append(f"Mẫu không có mục “{path}”.")
                continue
            text = entry.get("text") if isinstance(entry, dict) else entry
            if not isinstance(text, str):
                errors.append(f"Mục “{path}”: nội dung phải là chuỗi.")
                continue
            texts.append((path, text))
        cells = []
        row_edits = {}
        for table_code, entry in (data.get("tables") or {}).items():
            table = template.table(table_code)
            rows = entry.get("rows", {}) if isinstance(entry, dict) else None
            if table is None or not isinstance(rows, dict):
                errors.append(f"Mẫu không có bảng “{table_code}” (hoặc bảng thiếu “rows”).")
                continue
            if "labels" in entry:  # the report's own row names, added rows, rows left out (null)
                edits = self.fill_table_rows(report_id, table_code, entry["labels"], errors)
                if edits is not None:
                    row_edits[table_code] = edits
            table = table.for_report(row_edits.get(table_code, report.table_rows.get(table_code)))
            for row_code, columns in rows.items():
                if table.row(row_code) is None or not isinstance(columns, dict):
                    errors.append(f"Bảng “{table.title}” không có dòng “{row_code}”.")
                    continue
                for column_code, raw in columns.items():
                    if table.column(column_code) is None:
                        errors.append(f"Bảng “{table.title}” không có cột “{column_code}”.")
                        continue
                    try:
                        cells.append((table_code, row_code, column_code,
                                      parse_figure(raw, column_rule(table.column(column_code)))))
                    except Exception as exc:
                        errors.append(f"{table.title}, {table.row(row_code).label}, "
                                      f"{table.column(column_code).label}: {exc}")
        header = _header_fill(data.get("header"), errors)
        if "number" in header and (problem := self.number_problem(report.template_code, header["number"])):
            errors.append(problem)
        if errors:
            raise ServiceError("Không điền được báo cáo, chưa ghi gì:\n- " + "\n- ".join(errors))
        # sections whose figures this fill sets and whose text it does not change (`report show --json` gives
        # every text back as it is): their text follows the figures as in the editor (an empty text gets the
        # sentences, the clerk's own text is kept)
        placed = (template.section_of_indicator(code) for code, _name, _value in values)
        stored = self.report(report_id).texts
        following = {s.path for s in placed if s is not None} - {
            path for path, text in texts if richtext.normalize(text) != (stored.get(path) or "")}
        with events.batched(), self.store.transaction():
            before = self.generated_texts(report_id, following)
            for table_code, edits in row_edits.items():
                self.write_table_rows(report_id, table_code, edits)
            for code, name, value in values:
                self.set_value(report_id, code, name, value)
            for path, text in texts:
                self.set_section_text(report_id, path, text)
            self.write_sentences(report_id, before)
            for table_code, row_code, column_code, value in cells:
                self.set_cell(report_id, table_code, row_code, column_code, value)
            if header:
                if isinstance(header.get("signer"), dict):  # merge: the lines not given stay as they print
                    now = self.report_header(report).signer or SignerLines()
                    header["signer"] = SignerLines(**{k: header["signer"].get(k, getattr(now, k))
                                                      for k in SIGNER_KEYS})
                self.set_header(report_id, **header)

    # == document =================================================================================
    def document_model(self, report_id: str):
        from .document_builder import build_document
        report = self.report(report_id)
        self.refuse_if_tampered(report)  # every export and print starts here
        template = self.report_template(report)
        unit = self.unit_of(report)
        header = effective_header(report, template, unit, self.signers())
        history = None
        if any(c.kind == "trend" for s in template.walk() for c in s.charts):
            history = self.chart_history(report, max(c.periods for s in template.walk() for c in s.charts))
        return build_document(template, report, unit, header, history)

    def chart_history(self, report, periods: int) -> list:
        """[(short period label, values)] of the unit's last `periods` reports of this template up to
        this one, oldest first."""
        from ..document.charts import short_period_label
        earlier = stored_reports.earlier_ids(self.store, report.unit_id, report.template_code, report.period.start,
                                             limit=max(periods - 1, 0))
        reports = [self.report(report_id) for report_id in reversed(earlier)] + [report]
        return [(short_period_label(r.period.kind, r.period.start, r.period.end), r.values) for r in reports]

    def export_docx(self, report_id: str, out: Path | str) -> Path:
        """Write the report's DOCX; a file that cannot be written raises ServiceError (Vietnamese
        message) and leaves both the report and any existing file at `out` as they were."""
        from ..document.docx_writer import DocumentWriteError, write_docx
        model = self.document_model(report_id)
        try:
            return write_docx(model, Path(out))
        except DocumentWriteError as exc:
            raise ServiceError(str(exc)) from exc

    def suggested_file_name(self, report_id: str) -> str:
        report = self.report(report_id, with_content=False)
        template = self.report_template(report)
        return (f"{template.name} {format_day_month(report.period.start).replace('/', '-')}"
                f" đến {format_date(report.period.end).replace('/', '-')}.docx")


def as_date(value) -> dt.date:
    """A date given as a date, ISO text or dd/mm/yyyy; ServiceError (Vietnamese) when it is none of them."""
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


HEADER_TEXT_KEYS = ("number", "place", "subject", "basis", "closing")
SIGNER_KEYS = ("on_behalf", "title", "name")


def _signer_lines(value) -> SignerLines:
    if isinstance(value, SignerLines):
        return SignerLines(clean_lines(value.on_behalf), clean_line(value.title), clean_line(value.name))
    value = value or {}
    return SignerLines(clean_lines(value.get("on_behalf")), clean_line(value.get("title")),
                       clean_line(value.get("name")))


def _header_fill(data, errors: list[str]) -> dict:
    """`report fill`'s "header" → set_header's fields (what is given; problems appended to `errors`)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        errors.append("“header” phải là một đối tượng JSON.")
        return {}
    header: dict = {}
    for key, value in data.items():
        if key == "date":
            try:
                header["report_date"] = _iso_date(value) if value else None
            except ServiceError as exc:
                errors.append(str(exc))
        elif key in HEADER_TEXT_KEYS:
            if value is not None and not isinstance(value, (str, int)):
                errors.append(f"Thông tin văn bản “{key}”: phải là chuỗi.")
            else:
                header[key] = "" if value is None else str(value)
        elif key == "recipients":
            if isinstance(value, str):
                value = value.splitlines()
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append("Nơi nhận (“recipients”) phải là danh sách chuỗi, mỗi nơi một dòng.")
            else:
                header["recipients"] = value
        elif key == "signer":
            if value is None:
                header["signer"] = SignerLines()
            elif not isinstance(value, dict) or set(value) - set(SIGNER_KEYS) - {"id"} or \
                    not all(isinstance(value.get(k, ""), str) for k in SIGNER_KEYS):
                errors.append("Người ký (“signer”) phải là đối tượng với on_behalf, title, name (chuỗi).")
            else:
                header["signer"] = {k: value[k] for k in SIGNER_KEYS if k in value}
        else:
            errors.append(f"Thông tin văn bản không có trường “{key}” (có: number, date, place, subject, "
                          f"basis, closing, recipients, signer).")
    return header


def _iso_date(value) -> str | None:
    if value in (None, ""):
        return None
    return as_date(value).isoformat()
