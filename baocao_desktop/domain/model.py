"""The unit, its dated profile and a report's content, as plain data (no database, no Qt)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .dates import Period

STATUSES = ("draft", "for_signature", "signed", "sent")
STATUS_LABELS = {
    "draft": "Dự thảo",
    "for_signature": "Trình ký",
    "signed": "Đã ký",
    "sent": "Đã gửi",
}
VALUE_FIELDS = ("actual", "plan", "cumulative", "previous")
FIELD_LABELS = {
    "actual": "Thực hiện",
    "plan": "Kế hoạch",
    "cumulative": "Lũy kế",
    "previous": "Lũy kế kỳ trước",
}
LEVELS = ("xã", "phường", "đặc khu", "tỉnh")

# Text imported from a Word file that matched no section of the template; shown and exported as
# "Nội dung chưa xếp mục" until the user moves it.
UNPLACED_PATH = "_unplaced"
UNPLACED_TITLE = "Nội dung chưa xếp mục"
UNPLACED_GUIDANCE = ("Các đoạn dưới đây chưa khớp mục nào của mẫu. Hãy cắt và dán từng đoạn vào đúng mục; "
                     "đoạn nào còn lại vẫn được xuất ra cuối văn bản dưới tiêu đề này, và phải có giải trình "
                     "trước khi trình ký.")


@dataclass(frozen=True)
class Unit:
    id: str
    name: str  # "Đảng ủy xã Lùng Phình"
    level: str = "xã"
    upper_body: str = ""  # "Đảng bộ tỉnh Lào Cai"
    place_name: str = ""  # "Lùng Phình", for the date line
    symbol: str = ""  # "ĐU", issuer part of document symbols
    format: str = "party"
    founded_on: dt.date | None = None


@dataclass(frozen=True)
class Signer:
    id: str
    on_behalf: str  # "T/M BAN THƯỜNG VỤ"
    title: str  # "BÍ THƯ"
    name: str


@dataclass(frozen=True)
class SignerLines:
    """The signature block as printed on one report: the authority line(s) ("T/M BAN THƯỜNG VỤ", "TM. ỦY BAN
    NHÂN DÂN\nKT. CHỦ TỊCH"), the title ("BÍ THƯ") and the name."""
    on_behalf: str = ""
    title: str = ""
    name: str = ""


@dataclass(frozen=True)
class ProfileFact:
    id: str
    code: str
    label: str
    value: Decimal
    unit: str
    as_of: dt.date
    note: str = ""
    # the names the figure counts, in order (the old communes merged into this one, the villages):
    # a table may take its row labels from them (templates.model.Table.row_labels)
    names: tuple[str, ...] = ()


@dataclass
class Report:
    id: str
    unit_id: str
    template_code: str
    template_version: int
    period: Period
    number: str = ""
    report_date: dt.date | None = None
    place: str = ""
    basis: str = ""
    signer_id: str | None = None
    recipients: list[str] = field(default_factory=list)
    status: str = "draft"
    updated_at: str = ""
    # indicator code → field → exact value
    values: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    # section path → narrative markup (domain.richtext)
    texts: dict[str, str] = field(default_factory=dict)
    # table code → row code → column code → exact value
    tables: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)
    content_hash: str | None = None
    # the trích yếu, the closing sentence and the signature block as set for this report; None: nothing
    # stored (a report made before they were stored): the template's and the chosen signer's stand in
    subject: str | None = None
    closing: str | None = None
    signer: SignerLines | None = None
    # table code → row code → this report's row label, or None for a template row left out of this report;
    # a code the template lacks is a row this report added (templates.model.Table.for_report)
    table_rows: dict[str, dict[str, str | None]] = field(default_factory=dict)
    # the seal (services/signoff.py): Ed25519 signature over exchange.content.signed_content and the
    # fingerprint of the key that made it; None for a report not signed, or signed before schema 6
    signature: str | None = None
    signature_key: str | None = None

    def content_digest(self) -> str:
        """SHA-256 of everything a signature vouches for: header, period, template, figures, text."""
        import hashlib
        import json
        canonical = json.dumps(self.digest_document(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def digest_document(self) -> dict:
        """What content_digest hashes (as canonical JSON)."""
        from .numbers import to_storage
        content = {
            "template": [self.template_code, self.template_version],
            "period": [self.period.kind, self.period.start.isoformat(), self.period.end.isoformat()],
            "header": [self.number, self.report_date.isoformat() if self.report_date else None, self.place,
                       self.basis, self.signer_id, list(self.recipients)],
            "values": {code: {k: to_storage(v) for k, v in fields.items()} for code, fields in self.values.items()},
            "texts": {path: text for path, text in self.texts.items() if text},
            "tables": {t: {r: {c: to_storage(v) for c, v in cols.items()} for r, cols in rows.items()}
                       for t, rows in self.tables.items()},
        }
        # only when stored, so that the reports signed before schema 4 keep their hash
        if self.subject is not None or self.closing is not None or self.signer is not None:
            signer = self.signer
            content["document"] = [self.subject, self.closing,
                                   None if signer is None else [signer.on_behalf, signer.title, signer.name]]
        # only when some table has this report's own rows, so that the hashes of other reports stay
        if any(self.table_rows.values()):
            content["table_rows"] = {t: rows for t, rows in self.table_rows.items() if rows}
        return content

    def cell(self, table: str, row: str, column: str) -> Decimal | None:
        return self.tables.get(table, {}).get(row, {}).get(column)

    def value(self, code: str, field_name: str) -> Decimal | None:
        return self.values.get(code, {}).get(field_name)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def locked(self) -> bool:
        return self.status in ("signed", "sent")
