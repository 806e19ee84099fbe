"""What an exported document contains, independent of DOCX or print.

services/ builds a DocumentModel from a report, its template and its unit; document/layout.py lays
it out once following a format file (resources/formats/*.yaml), and the DOCX writer and the print
preview draw that layout plan.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..domain.richtext import Paragraph
from .figures_part import FiguresPart


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = "I.", 2 = "1.", 3 = "1.1.", 4 = "a)", 5 = "-"
    number: str
    title: str


@dataclass(frozen=True)
class Body:
    """One body paragraph: runs and footnotes (domain.richtext)."""
    content: Paragraph


@dataclass(frozen=True)
class TableBlock:
    """A grid of figures: a header row (repeated on every page), rows of text, total rows in bold."""
    title: str
    header: tuple[str, ...]  # first cell is the row-label column's heading
    rows: tuple[tuple[str, ...], ...]
    total_rows: tuple[int, ...] = ()  # indices into rows


@dataclass(frozen=True)
class ChartBlock:
    """A chart: the title is printed above it as its caption; the picture is width_mm wide on the page
    (never wider than the format allows). Either `png` is already rendered, or `spec` (a
    document.charts.ChartSpec) is drawn when the document is written, so the drawing (and importing
    matplotlib) happens in the export's worker thread, not while the model is built."""
    title: str
    png: bytes = field(default=b"", repr=False)
    width_mm: float = 150.0
    spec: Any = field(default=None, repr=False, compare=False)

    def picture(self) -> bytes:
        """The PNG: `png`, or `spec` drawn now (raises charts.ChartError if it cannot be drawn)."""
        if self.png:
            return self.png
        from .charts import render_chart
        return render_chart(self.spec, width_mm=self.width_mm)


Block = Heading | Body | TableBlock | ChartBlock


@dataclass(frozen=True)
class Signer:
    on_behalf: str  # "T/M BAN THƯỜNG VỤ"; two lines ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH") stay two
    title: str  # "BÍ THƯ"
    name: str  # "Nguyễn Văn A"


@dataclass(frozen=True)
class DocumentModel:
    format_code: str  # "party" | "state": which resources/formats/<code>.yaml lays it out
    upper_body: str  # "Đảng bộ tỉnh Lào Cai" (writers upper-case it as the format says)
    issuer: str  # "Đảng ủy xã Lùng Phình"
    issuer_symbol: str  # "ĐU" in "430-BC/ĐU"
    doc_type: str  # "BC"
    number: str  # "12"; empty leaves the blank for a hand-written number
    place: str  # "Lùng Phình"
    date: dt.date | None  # None leaves "ngày … tháng … năm …" blank
    title: str  # "BÁO CÁO"
    summary: str  # trích yếu: "Khái quát tình hình từ ngày 01 đến 07/6/2026"
    basis: tuple[str, ...] = ()  # căn cứ: the first body paragraphs, "Thực hiện Kế hoạch số …, … báo cáo như sau:"
    blocks: tuple[Block, ...] = ()
    closing: str = ""  # "Trên đây là … ./."
    signer: Signer | None = None
    recipients: tuple[str, ...] = field(default_factory=tuple)  # "- Ban Thường vụ Tỉnh ủy (b/c),"
    # the report's status (domain.model.STATUS_LABELS): "draft", "for_signature", "signed", "sent";
    # empty for a document that is no report's (a summary of received reports)
    status: str = ""
    # the report's template, period and every figure, carried in the DOCX for import (document/figures_part.py);
    # None for a document that is no report's
    figures: FiguresPart | None = None

    @property
    def is_draft(self) -> bool:
        """Not signed yet (any status but Đã ký and Đã gửi): every export and print of it carries the
        format's draft mark."""
        return bool(self.status) and self.status not in SIGNED_STATUSES


SIGNED_STATUSES = ("signed", "sent")
