"""placeholder_left: a blank document number ("Số       -BC/ĐU"), a blank date ("ngày   tháng   năm 2026"),
text pasted from the plan ("Kế hoạch này" in a report), leftover blanks ("……", "xxx", "[tên xã]")."""
from __future__ import annotations

import re

from .util import check_whole, no_cross

CATEGORY = "placeholder_left"
_BLANK_NUMBER = re.compile(r"^\s*Số\s*:?(?P<gap>[\s_.…]*)(?P<sym>[-/]\s*[A-ZĐ][A-Za-zĐđ]{0,5}\s*[-/]\s*[A-ZĐ][A-Za-zĐđ-]*)")
_BLANK_DATE = re.compile(r"ngày(?P<d>[\s_.…]*)tháng(?P<m>[\s_.…]*|\s*[0-9]{1,2}\s+)năm\s*(?P<y>[0-9]{4}|[\s_.…]*)", re.IGNORECASE)
_BLANK_DATE2 = re.compile(r"ngày\s*(?:\.{2,}|…+|_+)\s*/\s*(?:\.{2,}|…+|_+|[0-9]{1,2})\s*/\s*[0-9]{4}", re.IGNORECASE)
_THIS = re.compile(r"\b(Kế hoạch|Nghị quyết|Quyết định|Chương trình|Hướng dẫn|Quy chế|Quy định|Đề án|Công văn|"
                   r"Thông báo|Chỉ thị|Tờ trình|Phương án) này\b")
_LEFTOVER = re.compile(r"(?<![\w.])(?:x{3,}|X{3,})(?![\w])|\.{5,}|…{2,}|_{4,}|"
                       r"\[\s*(?:tên|số|ngày|họ và tên|họ tên|địa danh|đơn vị|nội dung)[^\]]{0,30}\]|"
                       r"<\s*(?:tên|số|ngày|đơn vị)[^>]{0,30}>", re.IGNORECASE)


def check(doc):
    return check_whole(doc, local, cross)


cross = no_cross


def local(doc, para):
    out = []
    kind = doc.facts.doc_kind
    text = para.text
    m = _BLANK_NUMBER.match(text)
    if m:
        out.append(doc.finding(
            para, "placeholder.number", CATEGORY, "warning",
            f"Số văn bản còn để trống (“{text.strip()}”): điền số khi đăng ký văn bản, trước khi ký và gửi.",
            m.start(), m.end()))
    for m in _BLANK_DATE.finditer(text):
        if not m.group("d").strip(" ") or not m.group("m").strip(" ") or re.fullmatch(r"[\s_.…]*", m.group("y") or ""):
            if re.search(r"[0-9]", m.group("d")):
                continue
            # a draft leaves the day for the signing; a report past its draft must not
            final = doc.facts.final
            severity = "error" if final else "info" if final is False else "warning"
            when = " trước khi trình ký" if final else " khi ký văn bản"
            out.append(doc.finding(
                para, "placeholder.date", CATEGORY, severity,
                f"Ngày tháng còn để trống (“{' '.join(m.group().split())}”): điền ngày{when}.",
                m.start(), m.end()))
    for m in _BLANK_DATE2.finditer(text):
        out.append(doc.finding(para, "placeholder.date", CATEGORY, "warning",
                               f"Ngày còn để trống (“{m.group()}”): điền ngày.", m.start(), m.end()))
    if kind == "báo cáo":
        for m in _THIS.finditer(text):
            out.append(doc.finding(
                para, "placeholder.pasted_this", CATEGORY, "warning",
                f"“{m.group()}” trong một báo cáo: câu này có lẽ chép từ văn bản {m.group(1).lower()}. "
                f"Sửa thành “{m.group(1)} số …” hoặc viết lại theo lời báo cáo.",
                m.start(), m.end()))
    for m in _LEFTOVER.finditer(text):
        out.append(doc.finding(
            para, "placeholder.blank", CATEGORY, "warning",
            f"Chỗ trống chưa điền: “{m.group()}”.", m.start(), m.end()))
    return out
