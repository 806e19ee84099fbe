"""Use cases over one database: the unit and its profile, templates, reports, checks, export.

The GUI, the CLI and the tests all go through a Workspace; nothing here knows about Qt.
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from ..checks.findings import Finding, sort_key
from ..checks.report_checks import CheckContext, check_report
from ..domain import richtext
from ..domain.dates import Period, format_date, format_day_month, parse_date
from ..domain.model import VALUE_FIELDS, ProfileFact, Report, Signer, Unit
from ..domain.numbers import format_number, from_storage, in_unit, parse_number, to_storage
from ..resources import resource_path
from ..store.db import Store, new_id, now_iso
from ..templates.dictionary import check_against_dictionary
from ..templates.model import Template, TemplateError, parse_template
from .errors import ServiceError
from .paths import default_db_path
from .proofread_job import ProofreadJob
from .signoff import SignOffMixin

UNIT_FIELDS = ("name", "level", "upper_body", "place_name", "symbol", "format", "founded_on")
HEADER_FIELDS = ("number", "report_date", "place", "basis", "signer_id", "recipients")
# Text imported from a Word file that matched no section of the template; shown and exported as
# "Nội dung chưa xếp mục" until the user moves it.
UNPLACED_PATH = "_unplaced"
UNPLACED_TITLE = "Nội dung chưa xếp mục"
UNPLACED_GUIDANCE = ("Các đoạn dưới đây chưa khớp mục nào của mẫu. Hãy cắt và dán từng đoạn vào đúng mục; "
                     "đoạn nào còn lại vẫn được xuất ra cuối văn bản dưới tiêu đề này.")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service accounts, some Windows setups)
        return "người dùng"


class Workspace(SignOffMixin):
    def __init__(self, db_path: Path | str | None = None, author: str | None = None):
        self.store = Store(db_path or default_db_path())
        self.author = author or current_user()
        self._templates: dict[tuple[str, int], Template] = {}
        self.install_shipped_templates()

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    # == templates ================================================================================
    def install_shipped_templates(self) -> None:
        """Install shipped templates not yet in the database; unchanged files are not even parsed."""
        folder = resource_path("templates")
        known = {row[0] for row in self.store.conn.execute("SELECT sha256 FROM templates")}
        for file in sorted(folder.glob("*.yaml")):
            text = file.read_text(encoding="utf-8")
            if hashlib.sha256(text.encode("utf-8")).hexdigest() in known:
                continue
            self.install_template(parse_template(text, origin=file.name))

    def install_template(self, template: Template) -> str:
        """Add a template version; an existing version is only replaced while no report pins it.
        A template that contradicts the indicator dictionary is refused (TemplateError)."""
        check_against_dictionary(template)
        conn = self.store.conn
        row = conn.execute("SELECT id, sha256 FROM templates WHERE code = ? AND version = ?",
                           (template.code, template.version)).fetchone()
        if row and row[1] == template.sha256:
            return row[0]
        with self.store.transaction() as db:
            if row:
                pinned = conn.execute("SELECT 1 FROM reports WHERE template_id = ? LIMIT 1", (row[0],)).fetchone()
                if pinned:
                    return row[0]
                db["templates"].update(row[0], {"name": template.name, "period": template.period,
                                                "source": template.source, "sha256": template.sha256,
                                                "updated_at": now_iso()})
                self._templates[(template.code, template.version)] = template
                return row[0]
            template_id = new_id()
            db["templates"].insert({
                "id": template_id, "code": template.code, "version": template.version, "name": template.name,
                "period": template.period, "source": template.source, "sha256": template.sha256,
                "installed_at": now_iso(), "updated_at": now_iso(),
            })
            self._templates[(template.code, template.version)] = template
            return template_id

    def template(self, code: str, version: int | None = None) -> Template:
        if version is None:
            row = self.store.conn.execute("SELECT MAX(version) FROM templates WHERE code = ?", (code,)).fetchone()
            if not row or row[0] is None:
                raise ServiceError(f"Không có mẫu báo cáo “{code}”.")
            version = row[0]
        key = (code, version)
        if key not in self._templates:
            row = self.store.conn.execute("SELECT source FROM templates WHERE code = ? AND version = ?",
                                          key).fetchone()
            if not row:
                raise ServiceError(f"Không có mẫu báo cáo “{code}” phiên bản {version}.")
            try:
                self._templates[key] = parse_template(row[0], origin=f"{code} v{version}")
            except TemplateError as exc:
                raise ServiceError(str(exc)) from None
        return self._templates[key]

    def templates(self) -> list[Template]:
        rows = self.store.conn.execute(
            # the most frequent kinds first (weekly, monthly … then one-off reports), then by name
            "SELECT code, MAX(version) FROM templates GROUP BY code ORDER BY CASE period WHEN 'week' THEN 0 "
            "WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half_year' THEN 3 WHEN 'year' THEN 4 ELSE 5 END, name"
        ).fetchall()
        return [self.template(code, version) for code, version in rows]

    # == unit and profile =========================================================================
    def own_unit(self) -> Unit | None:
        row = self.store.conn.execute(
            "SELECT * FROM units WHERE is_self = 1 AND deleted_at IS NULL LIMIT 1").fetchone()
        return self._unit_from_row(row) if row else None

    def _unit_from_row(self, row) -> Unit:
        cols = [d[0] for d in self.store.conn.execute("SELECT * FROM units LIMIT 0").description]
        data = dict(zip(cols, row))
        return Unit(
            id=data["id"], name=data["name"], level=data["level"], upper_body=data["upper_body"],
            place_name=data["place_name"], symbol=data["symbol"], format=data["format"],
            founded_on=dt.date.fromisoformat(data["founded_on"]) if data["founded_on"] else None,
        )

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
        with self.store.transaction() as db:
            if unit:
                db["units"].update(unit.id, {**clean, "updated_at": now_iso()})
                unit_id = unit.id
            else:
                if not clean.get("name"):
                    raise ServiceError("Tên đơn vị không được để trống (ví dụ: Đảng ủy xã Lùng Phình).")
                unit_id = new_id()
                db["units"].insert({"id": unit_id, **clean, "is_self": 1,
                                    "created_at": now_iso(), "updated_at": now_iso()})
            self.store.log_revision(None, "unit", unit_id, None, json.dumps(clean, ensure_ascii=False),
                                    self.author)
        return self.own_unit()

    def _require_unit(self) -> Unit:
        unit = self.own_unit()
        if unit is None:
            raise ServiceError("Chưa thiết lập đơn vị. Hãy nhập thông tin đơn vị trước (hoặc chạy “demo”).")
        return unit

    def signers(self) -> list[Signer]:
        unit = self.own_unit()
        if not unit:
            return []
        rows = self.store.conn.execute(
            "SELECT id, on_behalf, title, name FROM signers WHERE unit_id = ? AND deleted_at IS NULL "
            "ORDER BY position", (unit.id,)).fetchall()
        return [Signer(*row) for row in rows]

    def set_signers(self, signers: list[dict]) -> list[Signer]:
        """Replace the list of signers (on_behalf, title, name); removed ones become tombstones."""
        unit = self._require_unit()
        existing = {s.id: s for s in self.signers()}
        with self.store.transaction() as db:
            kept = set()
            for position, data in enumerate(signers):
                row = {k: richtext.normalize(str(data.get(k, ""))).strip() for k in ("on_behalf", "title", "name")}
                if not row["name"]:
                    continue
                signer_id = data.get("id")
                if signer_id in existing:
                    db["signers"].update(signer_id, {**row, "position": position, "updated_at": now_iso()})
                else:
                    signer_id = new_id()
                    db["signers"].insert({"id": signer_id, "unit_id": unit.id, **row, "position": position,
                                          "created_at": now_iso(), "updated_at": now_iso()})
                kept.add(signer_id)
            for signer_id in set(existing) - kept:
                db["signers"].update(signer_id, {"deleted_at": now_iso(), "updated_at": now_iso()})
        return self.signers()

    def profile_facts(self) -> list[ProfileFact]:
        unit = self.own_unit()
        if not unit:
            return []
        rows = self.store.conn.execute(
            "SELECT id, code, label, value, unit, as_of, note FROM profile_facts "
            "WHERE unit_id = ? AND deleted_at IS NULL ORDER BY code, as_of", (unit.id,)).fetchall()
        return [ProfileFact(r[0], r[1], r[2], Decimal(r[3]), r[4], dt.date.fromisoformat(r[5]), r[6])
                for r in rows]

    def add_profile_fact(self, code: str, label: str, value, unit: str, as_of) -> ProfileFact:
        owner = self._require_unit()
        parsed = parse_number(value)
        if parsed is None:
            raise ServiceError(f"Giá trị của “{label or code}” không được để trống.")
        if not code or not code.replace("_", "").isalnum():
            raise ServiceError(f"Mã dữ kiện “{code}” không hợp lệ.")
        fact_id = new_id()
        with self.store.transaction() as db:
            db["profile_facts"].insert({
                "id": fact_id, "unit_id": owner.id, "code": code, "label": richtext.normalize(label),
                "value": to_storage(parsed), "unit": unit, "as_of": _iso_date(as_of),
                "created_at": now_iso(), "updated_at": now_iso(),
            })
            self.store.log_revision(None, "profile_fact", code, None, f"{to_storage(parsed)} @ {_iso_date(as_of)}",
                                    self.author)
        return next(f for f in self.profile_facts() if f.id == fact_id)

    def delete_profile_fact(self, fact_id: str) -> None:
        with self.store.transaction() as db:
            db["profile_facts"].update(fact_id, {"deleted_at": now_iso(), "updated_at": now_iso()})

    def fact_as_of(self, code: str, day: dt.date) -> ProfileFact | None:
        """The value valid on `day`: the latest fact dated on or before it."""
        candidates = [f for f in self.profile_facts() if f.code == code and f.as_of <= day]
        return max(candidates, key=lambda f: f.as_of) if candidates else None

    # == reports ==================================================================================
    def list_reports(self, own_only: bool = True) -> list[Report]:
        """Newest period first. By default only this unit's own reports (the commune's report list);
        reports received from other units belong to the upper-level screens: own_only=False lists them too."""
        own = " AND unit_id IN (SELECT id FROM units WHERE is_self = 1 AND deleted_at IS NULL)" if own_only else ""
        rows = self.store.conn.execute(
            f"SELECT id FROM reports WHERE deleted_at IS NULL{own} ORDER BY period_start DESC, created_at DESC"
        ).fetchall()
        return [self.report(r[0], with_content=False) for r in rows]

    def create_report(self, template_code: str, period_start, period_end=None, number: str = "",
                      report_date=None) -> Report:
        unit = self._require_unit()
        template = self.template(template_code)
        start = _date(period_start)
        if template.period == "week":
            end = start + dt.timedelta(days=6)
            if period_end is not None and _date(period_end) != end:
                raise ServiceError("Báo cáo tuần phải từ thứ Hai đến Chủ nhật.")
        else:
            if period_end is None:
                raise ServiceError("Hãy chọn ngày kết thúc kỳ báo cáo.")
            end = _date(period_end)
        try:
            period = Period(template.period, start, end)
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        duplicate = self.store.conn.execute(
            "SELECT id FROM reports WHERE unit_id = ? AND template_code = ? AND period_start = ? "
            "AND period_end = ? AND deleted_at IS NULL", (unit.id, template.code, start.isoformat(),
                                                          end.isoformat())).fetchone()
        if duplicate:
            raise ServiceError(f"Đã có {template.name.lower()} cho kỳ {period.label()}. Hãy mở báo cáo đó.")
        template_id = self.store.conn.execute("SELECT id FROM templates WHERE code = ? AND version = ?",
                                              (template.code, template.version)).fetchone()[0]
        signers = self.signers()
        report_id = new_id()
        day = _date(report_date) if report_date else end + dt.timedelta(days=1)
        with self.store.transaction() as db:
            db["reports"].insert({
                "id": report_id, "unit_id": unit.id, "template_id": template_id, "template_code": template.code,
                "template_version": template.version, "period_kind": period.kind,
                "period_start": start.isoformat(), "period_end": end.isoformat(),
                "number": str(number or ""), "report_date": day.isoformat(), "place": unit.place_name,
                "signer_id": signers[0].id if signers else None,
                "recipients": json.dumps(list(template.recipients), ensure_ascii=False),
                "status": "draft", "created_at": now_iso(), "updated_at": now_iso(),
            })
            self.store.log_revision(report_id, "report", "created", None, period.label(), self.author)
            # Annual plans stay the same all year: carry them from last period's report.
            previous = self.previous_report(self.report(report_id))
            if previous and previous.period.start.year == start.year:
                for code, fields in previous.values.items():
                    ind = template.indicator(code)
                    if ind and ind.plan and "plan" in fields:
                        self._write_value(db, report_id, code, "plan", fields["plan"])
            self._prefill_profile_figures(db, template, report_id, day)
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

    def _prefill_profile_figures(self, db, template: Template, report_id: str, day: dt.date,
                                 only_empty: bool = False) -> None:
        """Intro figures (area, population, villages...) start as the unit's profile on the report date."""
        for code, (_fact, value) in self.profile_figures(template, day).items():
            if value is None:
                continue
            if only_empty and self.store.conn.execute(
                    "SELECT 1 FROM indicator_values WHERE report_id = ? AND indicator_code = ? AND field = 'actual' "
                    "AND value IS NOT NULL", (report_id, code)).fetchone():
                continue
            self._write_value(db, report_id, code, "actual", value)

    def report(self, report_id: str, with_content: bool = True, with_texts: bool = True) -> Report:
        """A report; `with_content` False: the header only; `with_texts` False: without the narrative (for
        the figures of another report that a check compares with)."""
        conn = self.store.conn
        cursor = conn.execute("SELECT * FROM reports WHERE id = ? AND deleted_at IS NULL", (report_id,))
        row = cursor.fetchone()
        if not row:
            raise ServiceError(f"Không tìm thấy báo cáo “{report_id}”.")
        data = dict(zip([d[0] for d in cursor.description], row))
        report = Report(
            id=data["id"], unit_id=data["unit_id"], template_code=data["template_code"],
            template_version=data["template_version"],
            period=Period(data["period_kind"], dt.date.fromisoformat(data["period_start"]),
                          dt.date.fromisoformat(data["period_end"])),
            number=data["number"], report_date=dt.date.fromisoformat(data["report_date"]) if data["report_date"] else None,
            place=data["place"], basis=data["basis"], signer_id=data["signer_id"],
            recipients=json.loads(data["recipients"] or "[]"), status=data["status"], updated_at=data["updated_at"],
            content_hash=data["content_hash"],
        )
        if with_content:
            for code, name, value in conn.execute(
                    "SELECT indicator_code, field, value FROM indicator_values WHERE report_id = ?", (report_id,)):
                if value is not None:
                    report.values.setdefault(code, {})[name] = from_storage(value)
            for path, markup in conn.execute(
                    "SELECT section_path, markup FROM section_texts WHERE report_id = ?",
                    (report_id,)) if with_texts else ():
                report.texts[path] = markup
            for table, row, column, value in conn.execute(
                    "SELECT table_code, row_code, column_code, value FROM table_cells WHERE report_id = ?",
                    (report_id,)):
                if value is not None:
                    report.tables.setdefault(table, {}).setdefault(row, {})[column] = from_storage(value)
        return report

    def delete_report(self, report_id: str) -> None:
        report = self._editable(report_id)
        with self.store.transaction() as db:
            db["reports"].update(report.id, {"deleted_at": now_iso(), "updated_at": now_iso()})
            self.store.log_revision(report.id, "report", "deleted", None, "deleted", self.author)

    def _editable(self, report_id: str) -> Report:
        report = self.report(report_id, with_content=False)
        if report.locked:
            raise ServiceError(f"Báo cáo đã ở trạng thái “{report.status_label}”: nội dung bị khóa, không sửa được.")
        return report

    def _touch(self, db, report_id: str) -> None:
        db["reports"].update(report_id, {"updated_at": now_iso()})

    def set_section_text(self, report_id: str, path: str, markup: str) -> None:
        report = self._editable(report_id)
        template = self.template(report.template_code, report.template_version)
        if template.section(path) is None and path != UNPLACED_PATH:
            raise ServiceError(f"Mẫu “{template.name}” không có mục “{path}”.")
        markup = richtext.normalize(markup or "")
        row = self.store.conn.execute("SELECT id, markup FROM section_texts WHERE report_id = ? AND section_path = ?",
                                      (report_id, path)).fetchone()
        old = row[1] if row else None
        if (old or "") == markup:
            return
        with self.store.transaction() as db:
            if row:
                db["section_texts"].update(row[0], {"markup": markup, "updated_at": now_iso()})
            else:
                db["section_texts"].insert({"id": new_id(), "report_id": report_id, "section_path": path,
                                            "markup": markup, "updated_at": now_iso()})
            self.store.log_revision(report_id, "section", path, old, markup, self.author)
            self._touch(db, report_id)

    def set_value(self, report_id: str, code: str, field_name: str, raw) -> Decimal | None:
        """Store one figure typed the Vietnamese way; raises NumberFormatError quoting bad input."""
        report = self._editable(report_id)
        template = self.template(report.template_code, report.template_version)
        indicator = template.indicator(code)
        if indicator is None:
            raise ServiceError(f"Mẫu “{template.name}” không có chỉ tiêu “{code}”.")
        allowed = {"actual": indicator.actual, "plan": indicator.plan, "cumulative": indicator.cumulative,
                   "previous": indicator.cumulative}
        if field_name not in VALUE_FIELDS or not allowed[field_name]:
            raise ServiceError(f"Chỉ tiêu “{indicator.label}” không có trường “{field_name}”.")
        value = parse_number(raw)
        with self.store.transaction() as db:
            changed = self._write_value(db, report_id, code, field_name, value)
            if changed:
                self._touch(db, report_id)
        return value

    def set_cell(self, report_id: str, table_code: str, row: str, column: str, raw) -> Decimal | None:
        """Store one table cell typed the Vietnamese way; raises NumberFormatError quoting bad input."""
        report = self._editable(report_id)
        template = self.template(report.template_code, report.template_version)
        table = template.table(table_code)
        if table is None or table.row(row) is None or table.column(column) is None:
            raise ServiceError(f"Mẫu “{template.name}” không có ô {table_code}.{row}.{column}.")
        value = parse_number(raw)
        new = to_storage(value)
        key = (report_id, table_code, row, column)
        with self.store.transaction() as db:
            existing = self.store.conn.execute(
                "SELECT id, value FROM table_cells WHERE report_id = ? AND table_code = ? AND row_code = ? "
                "AND column_code = ?", key).fetchone()
            old = existing[1] if existing else None
            if old == new:
                return value
            if existing:
                db["table_cells"].update(existing[0], {"value": new, "updated_at": now_iso()})
            else:
                db["table_cells"].insert({"id": new_id(), "report_id": report_id, "table_code": table_code,
                                          "row_code": row, "column_code": column, "value": new,
                                          "updated_at": now_iso()})
            self.store.log_revision(report_id, "cell", f"{table_code}.{row}.{column}", old, new, self.author)
            self._touch(db, report_id)
        return value

    def _write_value(self, db, report_id: str, code: str, field_name: str, value: Decimal | None) -> bool:
        new = to_storage(value)
        row = self.store.conn.execute(
            "SELECT id, value FROM indicator_values WHERE report_id = ? AND indicator_code = ? AND field = ?",
            (report_id, code, field_name)).fetchone()
        old = row[1] if row else None
        if old == new:
            return False
        if row:
            db["indicator_values"].update(row[0], {"value": new, "updated_at": now_iso()})
        else:
            db["indicator_values"].insert({"id": new_id(), "report_id": report_id, "indicator_code": code,
                                           "field": field_name, "value": new, "updated_at": now_iso()})
        self.store.log_revision(report_id, "value", f"{code}.{field_name}", old, new, self.author)
        return True

    def set_header(self, report_id: str, **fields) -> Report:
        report = self._editable(report_id)
        unknown = set(fields) - set(HEADER_FIELDS)
        if unknown:
            raise ServiceError(f"Trường không có: {', '.join(sorted(unknown))}.")
        clean = {}
        for key, value in fields.items():
            if key == "report_date":
                clean[key] = _iso_date(value) if value else None
            elif key == "recipients":
                clean[key] = json.dumps([richtext.normalize(str(v)) for v in value or []], ensure_ascii=False)
            elif key == "signer_id":
                if value and value not in {s.id for s in self.signers()}:
                    raise ServiceError("Người ký không có trong danh sách người ký của đơn vị.")
                clean[key] = value or None
            else:
                clean[key] = richtext.normalize(str(value or "")).strip()
        with self.store.transaction() as db:
            old_row = self.store.conn.execute(
                f"SELECT {', '.join(clean)} FROM reports WHERE id = ?", (report.id,)).fetchone() if clean else ()
            for (key, value), old in zip(clean.items(), old_row):
                self.store.log_revision(report.id, "header", key, old, value, self.author)
            db["reports"].update(report.id, {**clean, "updated_at": now_iso()})
        return self.report(report_id)

    def revisions(self, report_id: str) -> list[dict]:
        return list(self.store.db.query(
            "SELECT entity, entity_key, old, new, author, at FROM revisions WHERE report_id = ? ORDER BY at",
            [report_id]))

    # == previous period, checks ==================================================================
    def previous_report(self, report: Report, with_texts: bool = True) -> Report | None:
        row = self.store.conn.execute(
            "SELECT id FROM reports WHERE unit_id = ? AND template_code = ? AND period_end < ? "
            "AND deleted_at IS NULL ORDER BY period_end DESC LIMIT 1",
            (report.unit_id, report.template_code, report.period.start.isoformat())).fetchone()
        return self.report(row[0], with_texts=with_texts) if row else None

    def check_context(self, report: Report) -> CheckContext:
        context = CheckContext()
        previous = self.previous_report(report, with_texts=False)
        if previous and previous.period.start.year == report.period.start.year:
            # cumulatives run from 1 January: last year's report is no base
            context.previous_report_label = previous.period.label().lower()
            for code, fields in previous.values.items():
                if "cumulative" in fields:
                    context.previous_cumulative[code] = fields["cumulative"]
        unit = self.own_unit()
        if unit and unit.id == report.unit_id:
            context.unit_founded_on = unit.founded_on
            day = report.report_date or report.period.end
            for fact in self.profile_facts():
                if fact.as_of <= day and (fact.code not in context.profile
                                          or context.profile[fact.code].as_of <= fact.as_of):
                    context.profile[fact.code] = fact
        # figures "as of" the same day in the unit's other reports (stocks and cumulatives must agree)
        for row in self.store.conn.execute(
                "SELECT id FROM reports WHERE unit_id = ? AND period_end = ? AND id != ? AND deleted_at IS NULL",
                (report.unit_id, report.period.end.isoformat(), report.id)).fetchall():
            other = self.report(row[0], with_texts=False)
            name = self.template(other.template_code, other.template_version).name.lower()
            label = f"{name} {other.period.label().lower()}"
            for code, fields in other.values.items():
                for field_name, value in fields.items():
                    context.same_date_values.setdefault(f"{code}.{field_name}", []).append((label, value))
        template = self.template(report.template_code, report.template_version)
        if any(rule.kind == "sum_of_months" for rule in template.rules):
            context.months = self._month_values(report)
        return context

    def _month_values(self, report: Report) -> list:
        """For `sum_of_months`: each month of the report's period with the figures of the unit's monthly
        reports for it (any template; the newest report wins when two give the same figure)."""
        from ..checks.rules import months_of
        months = []
        for start, end in months_of(report.period.start, report.period.end):
            values: dict = {}
            for (report_id,) in self.store.conn.execute(
                    "SELECT id FROM reports WHERE unit_id = ? AND period_kind = 'month' AND period_start = ? "
                    "AND period_end = ? AND id != ? AND deleted_at IS NULL ORDER BY updated_at",
                    (report.unit_id, start.isoformat(), end.isoformat(), report.id)).fetchall():
                for code, fields in self.report(report_id, with_texts=False).values.items():
                    for field_name, value in fields.items():
                        values[f"{code}.{field_name}"] = value
            months.append((f"tháng {start.month}/{start.year}", values))
        return months

    def check(self, report_id: str, proofread: bool = True) -> list[Finding]:
        """Structured checks on the figures, then (unless `proofread` is False) the proofreader on the
        narrative, with the unit's names and level as context."""
        report = self.report(report_id)
        template = self.template(report.template_code, report.template_version)
        findings = self._integrity_findings(report) + check_report(template, report, self.check_context(report))
        if proofread:
            findings = sorted(findings + self._proofread_job(report, template).run(), key=sort_key)
        return self._with_justifications(report_id, findings)

    def proofread_job(self, report_id: str) -> ProofreadJob:
        """The proofreading of the report's narrative as a job on plain data (no database): the editor runs it
        off the UI thread, then joins its findings to the figures' with `merge_findings`."""
        report = self.report(report_id)
        return self._proofread_job(report, self.template(report.template_code, report.template_version))

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
        return self._with_justifications(report_id, [replace(f, justification="") if f.justification else f
                                                     for f in findings])

    def editing_template(self, report: Report) -> Template:
        """The report's template as the editor shows it: with the reserved section "Nội dung chưa xếp mục"
        at the end while the report holds text there (from a Word import or a template version move)."""
        template = self.template(report.template_code, report.template_version)
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
        template = self.template(report.template_code, report.template_version)
        context = self.check_context(report)
        signer = next((s for s in self.signers() if s.id == report.signer_id), None)
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
            indicators[ind.code] = entry
        return {
            "id": report.id,
            "template": report.template_code,
            "template_version": report.template_version,
            "period": {"kind": report.period.kind, "start": report.period.start.isoformat(),
                       "end": report.period.end.isoformat()},
            "status": report.status,
            "header": {
                "number": report.number,
                "date": report.report_date.isoformat() if report.report_date else None,
                "place": report.place,
                "basis": report.basis,
                "signer": ({"id": signer.id, "on_behalf": signer.on_behalf, "title": signer.title,
                            "name": signer.name} if signer else None),
                "recipients": report.recipients,
            },
            "indicators": indicators,
            "sections": {**{s.path: {"title": s.heading, "text": report.texts.get(s.path, "")}
                            for s in template.walk()},
                         **({UNPLACED_PATH: {"title": UNPLACED_TITLE, "text": report.texts[UNPLACED_PATH]}}
                            if report.texts.get(UNPLACED_PATH) else {})},
            "tables": {t.code: {"title": t.title,
                                "rows": {r.code: {c.code: (format_number(report.cell(t.code, r.code, c.code))
                                                           if report.cell(t.code, r.code, c.code) is not None
                                                           else None) for c in t.columns} for r in t.rows}}
                       for t in template.tables},
        }

    def fill_report(self, report_id: str, data: dict) -> None:
        """Merge a `report show --json` shaped dict; every figure is validated before anything is written."""
        if not isinstance(data, dict):
            raise ServiceError("Dữ liệu điền phải là một đối tượng JSON.")
        report = self._editable(report_id)
        template = self.template(report.template_code, report.template_version)
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
                if name in ("label", "unit"):
                    continue
                allowed = {"actual": ind.actual, "plan": ind.plan, "cumulative": ind.cumulative,
                           "previous": ind.cumulative}
                if not allowed.get(name):
                    errors.append(f"Chỉ tiêu “{ind.label}” không có trường “{name}”.")
                    continue
                try:
                    values.append((code, name, parse_number(raw)))
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
        for table_code, entry in (data.get("tables") or {}).items():
            table = template.table(table_code)
            rows = entry.get("rows") if isinstance(entry, dict) else None
            if table is None or not isinstance(rows, dict):
                errors.append(f"Mẫu không có bảng “{table_code}” (hoặc bảng thiếu “rows”).")
                continue
            for row_code, columns in rows.items():
                if table.row(row_code) is None or not isinstance(columns, dict):
                    errors.append(f"Bảng “{table.title}” không có dòng “{row_code}”.")
                    continue
                for column_code, raw in columns.items():
                    if table.column(column_code) is None:
                        errors.append(f"Bảng “{table.title}” không có cột “{column_code}”.")
                        continue
                    try:
                        cells.append((table_code, row_code, column_code, parse_number(raw)))
                    except Exception as exc:
                        errors.append(f"{table.title}, {table.row(row_code).label}, "
                                      f"{table.column(column_code).label}: {exc}")
        header = {}
        for key, value in (data.get("header") or {}).items():
            if key == "date":
                try:
                    header["report_date"] = _iso_date(value) if value else None
                except ServiceError as exc:
                    errors.append(str(exc))
            elif key in ("number", "place", "basis", "recipients"):
                header[key] = value
        if errors:
            raise ServiceError("Không điền được báo cáo, chưa ghi gì:\n- " + "\n- ".join(errors))
        with self.store.transaction():
            for code, name, value in values:
                self.set_value(report_id, code, name, value)
            for path, text in texts:
                self.set_section_text(report_id, path, text)
            for table_code, row_code, column_code, value in cells:
                self.set_cell(report_id, table_code, row_code, column_code, value)
            if header:
                self.set_header(report_id, **header)

    # == document =================================================================================
    def document_model(self, report_id: str):
        from .document_builder import build_document
        report = self.report(report_id)
        template = self.template(report.template_code, report.template_version)
        unit = self.own_unit() if self.own_unit() and self.own_unit().id == report.unit_id else self._unit(report.unit_id)
        signer = next((s for s in self.signers() if s.id == report.signer_id), None)
        history = None
        if any(c.kind == "trend" for s in template.walk() for c in s.charts):
            history = self.chart_history(report, max(c.periods for s in template.walk() for c in s.charts))
        return build_document(template, report, unit, signer, self.check_context(report).previous_cumulative,
                              history)

    def chart_history(self, report, periods: int) -> list:
        """[(short period label, values)] of the unit's last `periods` reports of this template up to
        this one, oldest first."""
        from ..document.charts import short_period_label
        rows = self.store.conn.execute(
            "SELECT id FROM reports WHERE unit_id = ? AND template_code = ? AND period_end < ? "
            "AND deleted_at IS NULL ORDER BY period_end DESC LIMIT ?",
            (report.unit_id, report.template_code, report.period.start.isoformat(), max(periods - 1, 0))).fetchall()
        reports = [self.report(r[0]) for r in reversed(rows)] + [report]
        return [(short_period_label(r.period.kind, r.period.start, r.period.end), r.values) for r in reports]

    def _unit(self, unit_id: str) -> Unit:
        row = self.store.conn.execute("SELECT * FROM units WHERE id = ?", (unit_id,)).fetchone()
        return self._unit_from_row(row)

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
        template = self.template(report.template_code, report.template_version)
        return (f"{template.name} {format_day_month(report.period.start).replace('/', '-')}"
                f" đến {format_date(report.period.end).replace('/', '-')}.docx")


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


def _iso_date(value) -> str | None:
    if value in (None, ""):
        return None
    return _date(value).isoformat()
