"""What the document needs before it is signed (DESIGN §9): the unit's ký hiệu and cơ quan cấp trên, and
the report's Số (in the unit's numbering form), địa danh, a signer with a name and a Nơi nhận list.
Each missing item is an error (it blocks Trình ký and Ký, see services/signoff.py) pointing at its field:
"header.<item>" opens the editor's “Thông tin văn bản” page, "unit.<item>" names the unit's settings."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.doc_number import number_form_problem, symbol_suffix
from .findings import Finding

UNIT_SETTINGS = "menu Đơn vị → “Thông tin đơn vị…”"


@dataclass(frozen=True)
class DocumentItems:
    """The header items as the report prints them and the unit's, for `document_item_findings`
    (built by the services: Workspace.check_context)."""
    number: str
    place: str
    signer_name: str  # "" when there is no signature block
    recipients: tuple[str, ...]
    doc_type: str  # the template's "BC"
    unit_symbol: str  # "ĐU"
    upper_body: str  # "Đảng bộ tỉnh Lào Cai"
    number_pattern: str  # the format's "Số {number}-{doc_type}/{issuer_symbol}"


def _error(code: str, field: str, message: str, **values) -> Finding:
    return Finding(code, "document", "error", message, "", field, values)


def document_item_findings(items: DocumentItems) -> list[Finding]:
    out = []
    if not items.unit_symbol.strip():
        out.append(_error(
            "unit.symbol_missing", "unit.symbol",
            f"Đơn vị chưa có ký hiệu (ví dụ ĐU, UBND): số văn bản sẽ in thiếu ký hiệu (“Số 108-BC/”). "
            f"Nhập ký hiệu ở {UNIT_SETTINGS}."))
    if not items.upper_body.strip():
        out.append(_error(
            "unit.upper_body_missing", "unit.upper_body",
            f"Đơn vị chưa có cơ quan cấp trên (ví dụ Đảng bộ tỉnh Lào Cai), in ở góc trên bên trái văn bản. "
            f"Nhập ở {UNIT_SETTINGS}."))
    number = items.number.strip()
    suffix = symbol_suffix(items.number_pattern, items.doc_type, items.unit_symbol)
    if not number:
        out.append(_error(
            "header.number_missing", "header.number",
            "Báo cáo chưa có số văn bản. Nhập Số (chỉ ghi số, ví dụ 108) trước khi trình ký."))
    elif (problem := number_form_problem(number, suffix, bool(items.unit_symbol.strip()))) is not None:
        example = f"108{suffix}" if items.unit_symbol.strip() else "108"
        out.append(_error("header.number_form", "header.number", problem, number=number, expected=example))
    if not items.place.strip():
        out.append(_error(
            "header.place_missing", "header.place",
            "Báo cáo chưa có địa danh ở dòng ngày tháng (“Lùng Phình, ngày … tháng … năm …”). Nhập Địa danh ở "
            "trang “Thông tin văn bản” (địa danh mặc định lấy từ Thông tin đơn vị)."))
    if not items.signer_name.strip():
        out.append(_error(
            "header.signer_missing", "header.signer_name",
            "Báo cáo chưa có người ký (họ tên): văn bản sẽ không có khối chữ ký. Chọn hoặc nhập người ký ở "
            "trang “Thông tin văn bản”."))
    if not any(line.strip() for line in items.recipients):
        out.append(_error(
            "header.recipients_missing", "header.recipients",
            "Báo cáo chưa có Nơi nhận. Nhập Nơi nhận ở trang “Thông tin văn bản”, mỗi nơi một dòng "
            "(ví dụ “- Ban Thường vụ Tỉnh ủy (b/c),”, “- Lưu Văn phòng.”)."))
    return out
