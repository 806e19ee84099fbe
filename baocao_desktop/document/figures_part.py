"""The report's figures carried inside the DOCX the app writes (issue 15.7): a custom XML part.

A document prints only some of a report's figures (a section with its own text prints that text; "Lũy kế
kỳ trước" and many plans are never printed), so a report exported to Word and imported back would lose
them. The DOCX writer therefore adds the figures as a Word custom XML data item (/customXml/itemN.xml with
its itemPropsN.xml, related from the document part: what Word itself uses for data it keeps with a
document and carries through editing and saving). Nothing of it is visible on the page. It holds what the
document is (template code and version, period) and the figures, nothing more: no unit, no author, no id.

On import (services.docx_import) the part is read back as figures proposed like figures read from the
text; the printed text wins where it says otherwise (the clerk edited the document in Word).

The part comes from a file from outside like the rest of the document: `read_figures_part` refuses a part
over MAX_PART_BYTES or MAX_INDICATORS, any DTD or entity declaration (no entity is ever expanded, nothing
is fetched), a malformed tree or a value that is not an exact decimal, with a Vietnamese reason
(FiguresPartError). lxml is imported only when a part is written or read.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain import untrusted

NAMESPACE = "urn:baocao-desktop:figures:1"
FIELDS = ("actual", "plan", "cumulative", "previous")  # domain.model.VALUE_FIELDS
MAX_PART_BYTES = 1024 * 1024  # a report of 500 indicators with every field is ~60 KB
MAX_INDICATORS = 5_000
_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,100}")
_VALUE = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]{1,12})?")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.IGNORECASE)
_NS = "{" + NAMESPACE + "}"
_DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


class FiguresPartError(ValueError):
    """The part is not one the app can use; str(e) says why, in Vietnamese (a clause after "bị bỏ qua vì")."""


@dataclass(frozen=True)
class FiguresPart:
    """What the DOCX carries: the report's template, period and every figure it holds."""
    template_code: str
    template_version: int
    period_start: dt.date
    period_end: dt.date
    values: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # indicator → field → value

    def count(self) -> int:
        return sum(len(fields) for fields in self.values.values())


def figures_part_xml(part: FiguresPart) -> bytes:
    """The custom XML item: one element per indicator, one attribute per figure (exact decimal text)."""
    from lxml import etree

    from ..domain.numbers import to_storage
    root = etree.Element(_NS + "figures", nsmap={"bc": NAMESPACE})
    root.set("template", part.template_code)
    root.set("version", str(part.template_version))
    root.set("start", part.period_start.isoformat())
    root.set("end", part.period_end.isoformat())
    for code, fields in part.values.items():
        stored = {name: to_storage(fields.get(name)) for name in FIELDS if fields.get(name) is not None}
        if stored:
            etree.SubElement(root, _NS + "indicator", {"code": code, **stored})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def item_properties_xml(item: bytes) -> bytes:
    """The item's itemProps part: its data-store id (derived from its content, so the same report gives the
    same file) and the schema it follows, as Word writes them."""
    item_id = uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE + "#" + hashlib.sha256(item).hexdigest())
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<ds:datastoreItem xmlns:ds="{_DATASTORE}" ds:itemID="{{{str(item_id).upper()}}}">'
            f'<ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>').encode()


def is_figures_part(blob: bytes) -> bool:
    """Whether a custom XML item is (or claims to be) ours: its root names our namespace. Only the start is
    looked at, so a huge foreign item costs nothing."""
    return NAMESPACE.encode() in blob[:2048]


def read_figures_part(blob: bytes) -> FiguresPart:
    """The part's content; FiguresPartError when it is too large, declares a DTD or entities, or is not
    the shape figures_part_xml writes."""
    from lxml import etree

    if len(blob) > MAX_PART_BYTES:
        raise FiguresPartError(f"quá lớn ({len(blob) // 1024} KB, tối đa {MAX_PART_BYTES // 1024} KB)")
    if _DECLARATION.search(blob):
        raise FiguresPartError("có khai báo DTD hoặc thực thể (không bao giờ có trong tệp chương trình xuất)")
    try:
        root = untrusted.parse_xml(blob)
    except (etree.XMLSyntaxError, ValueError):
        raise FiguresPartError("bị hỏng (không đọc được XML)") from None
    if root.tag != _NS + "figures":
        raise FiguresPartError("không đúng dạng số liệu của chương trình")
    try:
        version = int(root.get("version", ""))
        start, end = dt.date.fromisoformat(root.get("start", "")), dt.date.fromisoformat(root.get("end", ""))
    except ValueError:
        raise FiguresPartError("thiếu hoặc sai phiên bản mẫu, kỳ báo cáo") from None
    code = root.get("template", "")
    if not _CODE.fullmatch(code) or end < start:
        raise FiguresPartError("thiếu hoặc sai mã mẫu, kỳ báo cáo")
    children = list(root)
    if len(children) > MAX_INDICATORS:
        raise FiguresPartError(f"có quá nhiều chỉ tiêu ({len(children)}, tối đa {MAX_INDICATORS})")
    values: dict[str, dict[str, Decimal]] = {}
    for child in children:
        indicator = child.get("code", "")
        if child.tag != _NS + "indicator" or not _CODE.fullmatch(indicator) or indicator in values:
            raise FiguresPartError("có phần tử chỉ tiêu không hợp lệ hoặc trùng mã")
        unknown = set(child.keys()) - {"code", *FIELDS}
        if unknown:
            raise FiguresPartError(f"có trường lạ “{sorted(unknown)[0][:40]}”")
        fields = {}
        for name in FIELDS:
            raw = child.get(name)
            if raw is None:
                continue
            if not _VALUE.fullmatch(raw):
                raise FiguresPartError(f"có số liệu không hợp lệ (“{raw[:40]}” ở chỉ tiêu {indicator})")
            fields[name] = Decimal(raw)
        values[indicator] = fields
    return FiguresPart(code, version, start, end, values)
