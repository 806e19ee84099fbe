"""A report's full content as one JSON-able dict: what travels in a transfer file, what a stored
version keeps, and what two versions are compared on. Pure (no database, no Qt)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from ..domain import richtext
from ..domain.dates import Period
from ..domain.model import FIELD_LABELS, STATUS_LABELS, Report, SignerLines
from ..domain.numbers import format_number, from_storage, to_storage
from ..domain.table_rows import cleaned as table_rows_cleaned
from ..domain.table_rows import decode as decode_table_rows

HEADER_LABELS = {
    "number": "Số văn bản", "report_date": "Ngày báo cáo", "place": "Địa danh", "basis": "Căn cứ",
    "signer_id": "Người ký", "recipients": "Nơi nhận", "subject": "Trích yếu", "closing": "Câu kết",
    "signed_by": "Khối chữ ký",
}


def _signed_by(on_behalf, title, name) -> list | None:
    """A report's stored signature block as it travels: [on_behalf, title, name], None when not stored."""
    if on_behalf is None and title is None and name is None:
        return None
    return [on_behalf or "", title or "", name or ""]


def content_from_rows(report_row: dict, values: list[dict], texts: list[dict], cells: list[dict],
                      justifications: list[dict], signer: dict | None = None,
                      template_sha256: str = "") -> dict:
    """Rows of reports/indicator_values/section_texts/table_cells/justifications → content dict."""
    content = {
        "report_id": report_row["id"],
        "unit_id": report_row["unit_id"],
        "template": {"code": report_row["template_code"], "version": int(report_row["template_version"]),
                     "sha256": template_sha256},
        "period": {"kind": report_row["period_kind"], "start": report_row["period_start"],
                   "end": report_row["period_end"]},
        "header": {
            "number": report_row.get("number") or "",
            "report_date": report_row.get("report_date"),
            "place": report_row.get("place") or "",
            "basis": report_row.get("basis") or "",
            "signer_id": report_row.get("signer_id"),
            "recipients": json.loads(report_row.get("recipients") or "[]"),
            "subject": report_row.get("subject"),
            "closing": report_row.get("closing"),
            "signed_by": _signed_by(report_row.get("signer_on_behalf"), report_row.get("signer_title"),
                                    report_row.get("signer_name")),
        },
        "signer": ({k: signer.get(k, "") for k in ("on_behalf", "title", "name")} if signer else None),
        "status": report_row.get("status") or "draft",
        "content_hash": report_row.get("content_hash"),
        "signature": report_row.get("signature"),
        "signature_key": report_row.get("signature_key"),
        "signed_at": report_row.get("signed_at"),
        "created_at": report_row.get("created_at"),
        "updated_at": report_row.get("updated_at"),
        "values": {},
        "texts": {},
        "tables": {},
        "justifications": {},
    }
    table_rows = decode_table_rows(report_row.get("table_rows"))
    if table_rows:  # only when the report has its own rows: other reports' content stays as it was
        content["table_rows"] = table_rows
    for row in values:
        if row.get("value") is not None:
            content["values"].setdefault(row["indicator_code"], {})[row["field"]] = row["value"]
    for row in texts:
        if row.get("markup"):
            content["texts"][row["section_path"]] = row["markup"]
    for row in cells:
        if row.get("value") is not None:
            content["tables"].setdefault(row["table_code"], {}).setdefault(row["row_code"], {})[
                row["column_code"]] = row["value"]
    for row in justifications:
        if not row.get("deleted_at"):
            content["justifications"][row["finding_key"]] = {
                "reason": row["reason"], "author": row.get("author") or "", "created_at": row.get("created_at")}
    return content


def content_from_report(report: Report, justifications: dict[str, dict], signer: dict | None = None,
                        template_sha256: str = "", signed_at: str | None = None,
                        created_at: str | None = None) -> dict:
    """A live report (Workspace.report) → content dict, e.g. to keep a local edit as a version."""
    return {
        "report_id": report.id,
        "unit_id": report.unit_id,
        "template": {"code": report.template_code, "version": report.template_version, "sha256": template_sha256},
        "period": {"kind": report.period.kind, "start": report.period.start.isoformat(),
                   "end": report.period.end.isoformat()},
        "header": {"number": report.number,
                   "report_date": report.report_date.isoformat() if report.report_date else None,
                   "place": report.place, "basis": report.basis, "signer_id": report.signer_id,
                   "recipients": list(report.recipients), "subject": report.subject, "closing": report.closing,
                   "signed_by": (None if report.signer is None else
                                 [report.signer.on_behalf, report.signer.title, report.signer.name])},
        "signer": signer,
        "status": report.status,
        "content_hash": report.content_hash,
        "signature": report.signature,
        "signature_key": report.signature_key,
        "signed_at": signed_at,
        "created_at": created_at,
        "updated_at": report.updated_at,
        "values": {c: {f: to_storage(v) for f, v in fields.items()} for c, fields in report.values.items() if fields},
        "texts": {p: t for p, t in report.texts.items() if t},
        "tables": {t: {r: {c: to_storage(v) for c, v in cols.items()} for r, cols in rows.items()}
                   for t, rows in report.tables.items()},
        "justifications": dict(justifications),
        **({"table_rows": {t: dict(rows) for t, rows in report.table_rows.items() if rows}}
           if any(report.table_rows.values()) else {}),
    }


def report_from_content(content: dict, report_id: str | None = None) -> Report:
    period = content["period"]
    header = content["header"]
    report = Report(
        id=report_id or content["report_id"], unit_id=content["unit_id"],
        template_code=content["template"]["code"], template_version=int(content["template"]["version"]),
        period=Period(period["kind"], dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])),
        number=header.get("number") or "",
        report_date=dt.date.fromisoformat(header["report_date"]) if header.get("report_date") else None,
        place=header.get("place") or "", basis=header.get("basis") or "", signer_id=header.get("signer_id"),
        recipients=list(header.get("recipients") or []), status=content.get("status") or "draft",
        updated_at=content.get("updated_at") or "", content_hash=content.get("content_hash"),
        subject=header.get("subject"), closing=header.get("closing"),
        signer=SignerLines(*header["signed_by"]) if header.get("signed_by") else None,
        signature=content.get("signature"), signature_key=content.get("signature_key"),
    )
    for code, fields in content.get("values", {}).items():
        for name, value in fields.items():
            if value is not None:
                report.values.setdefault(code, {})[name] = from_storage(value)
    report.texts.update({p: t for p, t in content.get("texts", {}).items() if t})
    report.table_rows.update(table_rows_cleaned(content.get("table_rows")))
    for table, rows in content.get("tables", {}).items():
        for row, cols in rows.items():
            for col, value in cols.items():
                if value is not None:
                    report.tables.setdefault(table, {}).setdefault(row, {})[col] = from_storage(value)
    return report


SIGNED_CONTENT_FORMAT = "baocao-signed-report 1"


def signed_content(content: dict, report: Report | None = None,
                   shared: "SharedEncoding | None" = None) -> bytes:
    """THE canonical signed content of a report (the one function the seal is made and checked over, at the
    commune when signing, opening, exporting, printing and sending, and at the upper level on import):
    canonical JSON (sorted keys, no spaces, UTF-8) of the report's identity (report id, unit id, template
    code and version, period), every header item (number, date, place, basis, subject, closing, recipients,
    signer and the printed signature block), the figures, texts and tables, and the giải trình (reason per
    finding key). Anything new that prints on a signed report must be added HERE (e.g. per-report table
    row labels: the "table_rows" entry below), and nowhere else. `report`: report_from_content(content)
    when the caller has it already; `shared`: the encoding its content digest was made with (digest_of), so
    that the figures, texts and tables both cover are encoded once."""
    return (shared or SharedEncoding()).encode(_signed_document(content, report))


def _signed_document(content: dict, report: Report | None) -> dict:
    if report is None:
        report = report_from_content(content)  # numbers in one spelling, empty values and texts dropped
    canonical = {
        "format": SIGNED_CONTENT_FORMAT,
        "report_id": content["report_id"], "unit_id": content["unit_id"],
        "template": [report.template_code, report.template_version],
        "period": [report.period.kind, report.period.start.isoformat(), report.period.end.isoformat()],
        "header": {
            "number": report.number, "report_date": report.report_date.isoformat() if report.report_date else None,
            "place": report.place, "basis": report.basis, "signer_id": report.signer_id,
            "recipients": list(report.recipients), "subject": report.subject, "closing": report.closing,
            "signed_by": None if report.signer is None else [report.signer.on_behalf, report.signer.title,
                                                             report.signer.name],
        },
        "values": {c: {f: to_storage(v) for f, v in fields.items()} for c, fields in report.values.items() if fields},
        "texts": dict(report.texts),
        "tables": {t: {r: {c: to_storage(v) for c, v in cols.items()} for r, cols in rows.items() if cols}
                   for t, rows in report.tables.items() if any(rows.values())},
        "justifications": {key: (j or {}).get("reason") or ""
                           for key, j in (content.get("justifications") or {}).items()},
    }
    # per-report table row labels (renamed, added or removed rows, issue 14 point 5), when the content has them
    if content.get("table_rows"):
        canonical["table_rows"] = content["table_rows"]
    return canonical


def digest(content: dict) -> str:
    """The same content hash a commune's sign-off stores (domain.model.Report.content_digest)."""
    return report_from_content(content).content_digest()


# one encoder for every canonical JSON text (json.dumps would build it again on each call)
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json(value) -> str:
    """json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")): what is hashed and signed."""
    return _CANONICAL.encode(value)


# the parts of a report's content digest and its signed content that are usually the same (and the bulk)
_SHAREABLE = ("values", "texts", "tables")


class SharedEncoding:
    """Canonical JSON as UTF-8 (json.dumps with sorted keys, no spaces, ensure_ascii off) of documents that
    have parts in common: a part equal to one encoded before is not encoded again. The bytes are the same
    as json.dumps(…).encode("utf-8") would make; only the work is saved (checking a received report encodes
    its figures, texts and tables for its digest, then again for its seal)."""

    def __init__(self):
        self._parts: dict[str, tuple[object, bytes]] = {}

    def encode(self, document: dict) -> bytes:
        members = []
        for key in sorted(document):
            value = document[key]
            known = self._parts.get(key)
            # equal parts encode alike: their leaves are text (stored figures, markup), never 1 vs True vs 1.0
            if known is not None and known[0] == value:
                text = known[1]
            else:
                text = _CANONICAL.encode(value).encode("utf-8")
                if key in _SHAREABLE:
                    self._parts[key] = (value, text)
            members.append(_CANONICAL.encode(key).encode("utf-8") + b":" + text)
        return b"{" + b",".join(members) + b"}"


def digest_of(report: Report, shared: SharedEncoding) -> str:
    """report.content_digest(), encoded with `shared` (then signed_content(…, shared) reuses the parts)."""
    return hashlib.sha256(shared.encode(report.digest_document())).hexdigest()


@dataclass(frozen=True)
class Change:
    """One difference between two versions, for "what changed since the last import"."""
    kind: str  # value | text | cell | row (a table row's name, added, left out) | header | justification
    key: str  # "lua_mua_dien_tich.actual", "II.1.1.a", "bang.row.col", "number"
    label: str  # Vietnamese, for people
    old: str | None
    new: str | None

    def to_json(self) -> dict:
        return {"kind": self.kind, "key": self.key, "label": self.label, "old": self.old, "new": self.new}

    def describe(self, width: int = 60) -> str:
        def short(text):
            if text is None or text == "":
                return "(trống)"
            text = text.replace("\n", " ")
            return text if len(text) <= width else text[:width - 1] + "…"
        return f"{self.label}: {short(self.old)} → {short(self.new)}"


def diff(old: dict, new: dict, template=None) -> list[Change]:
    """Differences old → new; figures shown in Vietnamese format, texts as plain text."""
    changes: list[Change] = []

    def indicator_label(code: str, field: str) -> str:
        ind = template.indicator(code) if template else None
        return f"{ind.label if ind else code} ({FIELD_LABELS.get(field, field).lower()})"

    def section_label(path: str) -> str:
        section = template.section(path) if template else None
        return f"Mục {section.heading}" if section else f"Mục {path}"

    def row_name(content: dict, table: str, row: str) -> str | None:
        """The row's name in one version: its own (table_rows), else the template's; None: not in it."""
        own = (content.get("table_rows") or {}).get(table, {})
        if row in own:
            return own[row]
        t = template.table(table) if template else None
        return t.row(row).label if t and t.row(row) else None

    def cell_label(table: str, row: str, col: str) -> str:
        t = template.table(table) if template else None
        name = row_name(new, table, row) or row_name(old, table, row)
        if t and name and t.column(col):
            return f"{t.title}: {name}, {t.column(col).label}"
        return f"Bảng {table}: {row}, {col}"

    def fmt(value: str | None) -> str | None:
        return format_number(from_storage(value)) if value not in (None, "") else None

    for key in HEADER_LABELS:
        a, b = old["header"].get(key), new["header"].get(key)
        if a != b:
            if key in ("recipients", "signed_by"):
                a, b = "; ".join(a or []), "; ".join(b or [])
            changes.append(Change("header", key, HEADER_LABELS[key], None if a is None else str(a),
                                  None if b is None else str(b)))
    if old.get("status") != new.get("status"):
        changes.append(Change("header", "status", "Trạng thái", STATUS_LABELS.get(old.get("status"), old.get("status")),
                              STATUS_LABELS.get(new.get("status"), new.get("status"))))
    codes = sorted(set(old["values"]) | set(new["values"]))
    for code in codes:
        fields = sorted(set(old["values"].get(code, {})) | set(new["values"].get(code, {})))
        for field in fields:
            a, b = old["values"].get(code, {}).get(field), new["values"].get(code, {}).get(field)
            if a != b:
                changes.append(Change("value", f"{code}.{field}", indicator_label(code, field), fmt(a), fmt(b)))
    for path in sorted(set(old["texts"]) | set(new["texts"])):
        a, b = old["texts"].get(path), new["texts"].get(path)
        if (a or "") != (b or ""):
            changes.append(Change("text", path, section_label(path), richtext.plain_text(a) if a else None,
                                  richtext.plain_text(b) if b else None))
    for table in sorted(set(old["tables"]) | set(new["tables"])):
        rows_a, rows_b = old["tables"].get(table, {}), new["tables"].get(table, {})
        for row in sorted(set(rows_a) | set(rows_b)):
            for col in sorted(set(rows_a.get(row, {})) | set(rows_b.get(row, {}))):
                a, b = rows_a.get(row, {}).get(col), rows_b.get(row, {}).get(col)
                if a != b:
                    changes.append(Change("cell", f"{table}.{row}.{col}", cell_label(table, row, col), fmt(a), fmt(b)))
    named_a, named_b = old.get("table_rows") or {}, new.get("table_rows") or {}
    for table in sorted(set(named_a) | set(named_b)):
        for row in sorted(set(named_a.get(table, {})) | set(named_b.get(table, {}))):
            a, b = row_name(old, table, row), row_name(new, table, row)
            if a != b:
                t = template.table(table) if template else None
                changes.append(Change("row", f"{table}.{row}", f"{t.title if t else table}: tên dòng", a, b))
    ja, jb = old.get("justifications", {}), new.get("justifications", {})
    for key in sorted(set(ja) | set(jb)):
        a, b = (ja.get(key) or {}).get("reason"), (jb.get(key) or {}).get("reason")
        if a != b:
            changes.append(Change("justification", key, "Giải trình cảnh báo", a, b))
    return changes
