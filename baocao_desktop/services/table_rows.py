"""Table rows a report has as its own (issue 14): rows named after the unit profile (the old communes merged
into this one, the villages) or typed by the clerk, rows added up to the template's limit, empty rows left
out of this report. Codes stay the key: checks, aggregation and the transfer file match rows by code.

Methods of Workspace (services/workspace.py); the rules live here, the editor and `report fill` call them.
"""
from __future__ import annotations

import datetime as dt

from ..domain import richtext
from ..store import cells as stored_cells
from ..store import profile as stored_profile
from ..store import table_rows as stored_table_rows
from ..templates.model import CODE_RE, Table, Template
from .errors import ServiceError

MAX_ROW_LABEL = 200


def profile_row_edits(table: Table, names: tuple[str, ...]) -> dict[str, str | None]:
    """The rows of `table` named after a profile fact's names: the template's part rows take the names in
    order, those beyond the names are left out, names beyond the rows are added (up to max_rows)."""
    if not names:
        return {}
    parts = table.part_rows
    edits: dict[str, str | None] = {row.code: (names[i] if i < len(names) else None) for i, row in enumerate(parts)}
    room = max(table.max_rows, len(parts)) - len(parts)
    for name in names[len(parts):len(parts) + room]:
        edits[table.next_added_code(edits)] = name
    return edits


class TableRowsMixin:
    """Naming, adding and leaving out the rows of a report's tables."""

    def report_table(self, report, code: str) -> Table | None:
        """The table as this report has it (its own row names, added rows, rows left out)."""
        template = self.report_template(report)
        table = template.table(code)
        return table.for_report(report.table_rows.get(code)) if table is not None else None

    def profile_table_rows(self, template: Template, unit_id: str, day: dt.date) -> dict[str, dict[str, str | None]]:
        """The rows of the template's profile-named tables as the unit's profile has them on `day`."""
        facts = None
        found = {}
        for table in template.tables:
            if table.profile_fact:
                facts = facts if facts is not None else stored_profile.valid_on(self.store, unit_id, day)
                fact = facts.get(table.profile_fact)
                edits = profile_row_edits(table, fact.names) if fact is not None else {}
                if edits:
                    found[table.code] = edits
        return found

    def _rows_table(self, report_id: str, code: str):
        report = self._editable(report_id)
        template = self.report_template(report)
        table = template.table(code)
        if table is None:
            raise ServiceError(f"Mẫu “{template.name}” không có bảng “{code}”.")
        if not table.rows_vary:
            raise ServiceError(f"Bảng “{table.title}” có các dòng cố định theo mẫu: không đổi tên, thêm hay bỏ dòng.")
        return report, table, dict(report.table_rows.get(code, {}))

    def _write_rows(self, report, table: Table, edits: dict, what: str) -> None:
        rows = {**report.table_rows, table.code: edits}
        with self.store.transaction():
            stored_table_rows.put(self.store, report.id, rows)
            self.store.log_revision(report.id, "table_rows", table.code, None, what, self.author)
            self._touch(report.id)

    def set_row_label(self, report_id: str, code: str, row: str, label: str) -> None:
        """Name a row for this report; an empty name gives a template row back its template label."""
        report, table, edits = self._rows_table(report_id, code)
        shown = table.for_report(edits)
        line = shown.row(row)
        if line is None:
            raise ServiceError(f"Bảng “{table.title}” không có dòng “{row}” trong báo cáo này.")
        if row == table.total_row:
            raise ServiceError(f"“{line.label}” là dòng tổng của bảng: tên theo mẫu, không đổi được.")
        label = richtext.normalize(" ".join((label or "").split()))
        if len(label) > MAX_ROW_LABEL:
            raise ServiceError(f"Tên dòng dài quá {MAX_ROW_LABEL} ký tự.")
        if not label:
            if table.row(row) is None:
                raise ServiceError("Dòng thêm cần có tên; muốn bỏ dòng thì dùng “Xóa dòng”.")
            edits.pop(row, None)
        elif label == (table.row(row).label if table.row(row) else None):
            edits.pop(row, None)
        else:
            edits[row] = label
        if line.label != (label or table.row(row).label):
            self._write_rows(report, table, edits, f"{row}: {line.label} → {label or table.row(row).label}")

    def add_table_row(self, report_id: str, code: str, label: str = "") -> str:
        """Add a row to this report's table (a template row left out comes back first); its code."""
        report, table, edits = self._rows_table(report_id, code)
        shown = table.for_report(edits)
        limit = table.max_rows if table.rows_editable else len(table.part_rows)
        if len(shown.part_rows) >= limit:
            raise ServiceError(f"Bảng “{table.title}” có tối đa {limit} dòng (không kể dòng tổng) theo mẫu.")
        row = table.next_added_code(edits)
        label = richtext.normalize(" ".join((label or "").split()))[:MAX_ROW_LABEL]
        template_line = table.row(row)
        if template_line is not None:
            if label and label != template_line.label:
                edits[row] = label
            else:
                edits.pop(row, None)
        else:
            edits[row] = label or f"Dòng thêm {len(shown.part_rows) + 1}"
        self._write_rows(report, table, edits, f"thêm dòng {row}: {table.for_report(edits).row(row).label}")
        return row

    def _filled_rows(self, report_id: str, code: str) -> set[str]:
        return {r for r, cols in stored_cells.of_report(self.store, report_id).get(code, {}).items()
                if any(v is not None for v in cols.values())}

    def remove_table_row(self, report_id: str, code: str, row: str) -> None:
        """Leave an empty row out of this report (a filled row keeps its figures: clear them first)."""
        report, table, edits = self._rows_table(report_id, code)
        line = table.for_report(edits).row(row)
        if line is None:
            raise ServiceError(f"Bảng “{table.title}” không có dòng “{row}” trong báo cáo này.")
        if row == table.total_row:
            raise ServiceError(f"“{line.label}” là dòng tổng của bảng: không bỏ được.")
        if row in self._filled_rows(report_id, code):
            raise ServiceError(f"Dòng “{line.label}” còn số liệu: xóa các số của dòng trước khi bỏ dòng.")
        if table.row(row) is not None:
            edits[row] = None
        else:
            edits.pop(row, None)
        self._write_rows(report, table, edits, f"bỏ dòng {row}: {line.label}")

    def rows_from_profile(self, report_id: str, code: str) -> None:
        """Name the rows again after the unit profile valid on the report date (rows with figures stay)."""
        report, table, edits = self._rows_table(report_id, code)
        if not table.profile_fact:
            raise ServiceError(f"Bảng “{table.title}” không lấy tên dòng từ hồ sơ đơn vị.")
        day = report.report_date or report.period.end
        fresh = self.profile_table_rows(self.report_template(report),
                                        report.unit_id, day).get(code)
        if not fresh:
            raise ServiceError(f"Hồ sơ đơn vị chưa có danh sách tên cho “{table.profile_fact}” vào ngày "
                               f"{day:%d/%m/%Y}.")
        filled = self._filled_rows(report_id, code)
        kept = {r: edits.get(r) for r in filled if r not in fresh and table.for_report(edits).row(r) is not None}
        self._write_rows(report, table, {**fresh, **{r: l for r, l in kept.items() if l is not None}},
                         "tên dòng theo hồ sơ đơn vị")

    def fill_table_rows(self, report_id: str, code: str, labels: dict, errors: list[str]) -> dict | None:
        """`report fill`'s "labels" of a table ({row code: name, or null to leave the row out}) → the
        report's rows for that table; problems go to `errors` and nothing is returned."""
        report = self.report(report_id, with_content=False)
        table = self.report_template(report).table(code)
        if not isinstance(labels, dict):
            errors.append(f"Bảng “{table.title}”: “labels” phải là đối tượng {{mã dòng: tên}}.")
            return None
        current = {r.code: r.label for r in table.for_report(report.table_rows.get(code)).rows}
        if all(current.get(r) == l for r, l in labels.items()):
            return None  # as `report show --json` printed it: nothing to change
        if not table.rows_vary:
            errors.append(f"Bảng “{table.title}” có các dòng cố định theo mẫu.")
            return None
        edits = dict(report.table_rows.get(code, {}))
        filled = self._filled_rows(report_id, code)
        for row, label in labels.items():
            if row == table.total_row:
                if label != table.row(row).label:
                    errors.append(f"Bảng “{table.title}”: dòng tổng “{table.row(row).label}” không đổi tên được.")
                continue
            if not isinstance(row, str) or not CODE_RE.match(row):
                errors.append(f"Bảng “{table.title}”: mã dòng “{row}” không hợp lệ.")
                continue
            if label is not None and not isinstance(label, str):
                errors.append(f"Bảng “{table.title}”, dòng “{row}”: tên phải là chuỗi hoặc null.")
                continue
            label = None if label is None else " ".join(label.split())[:MAX_ROW_LABEL]
            if label is None or label == "":
                if table.row(row) is None and label == "":
                    errors.append(f"Bảng “{table.title}”, dòng “{row}”: dòng thêm cần có tên.")
                elif label is None:
                    if row in filled:
                        errors.append(f"Bảng “{table.title}”: dòng “{current.get(row, row)}” còn số liệu, "
                                      f"không bỏ được.")
                    elif table.row(row) is not None:
                        edits[row] = None
                    else:
                        edits.pop(row, None)
                else:
                    edits.pop(row, None)
            elif table.row(row) is not None and label == table.row(row).label:
                edits.pop(row, None)
            else:
                if table.row(row) is None and not table.rows_editable:
                    errors.append(f"Bảng “{table.title}” không cho thêm dòng “{row}”.")
                    continue
                edits[row] = label
        limit = table.max_rows if table.rows_editable else len(table.part_rows)
        if len(table.for_report(edits).part_rows) > limit:
            errors.append(f"Bảng “{table.title}” có tối đa {limit} dòng (không kể dòng tổng) theo mẫu.")
        return edits

    def write_table_rows(self, report_id: str, code: str, edits: dict) -> None:
        """Store checked rows of one table (report fill), inside the caller's transaction."""
        report = self.report(report_id, with_content=False)
        rows = {**report.table_rows, code: edits}
        stored_table_rows.put(self.store, report_id, rows)
        self.store.log_revision(report_id, "table_rows", code, None, "report fill", self.author)
        self._touch(report_id)
