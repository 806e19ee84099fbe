"""DOCX writer for official documents (Party format now; the layout comes from a format file).

`write_docx(model, path)` lays a DocumentModel out as Word expects a hand-made report to be, so the
office can keep editing it in Word: paragraph styles (Normal, Heading 1-5, footnote text, one named
style per header/signature element), real Word footnotes (python-docx has no footnote API, so the
footnotes part is added here), a PAGE field centred in the header with no number on page 1, and
borderless tables for the header and the signature block. All text is written in Unicode NFC.

python-docx is imported inside the functions: it must stay off the application's start-up path.
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..domain.dates import format_date_line
from ..domain.richtext import Footnote, Run
from .formats import DocumentFormat, Spacing, TextStyle, load_format
from .model import Body, DocumentModel, Heading, TableBlock

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document as DocxDocument

# Style ids (ASCII, stable: tests and later readers look them up) → shown names in Word.
STYLE_NAMES = {
    "PageTop": "Dòng neo đầu trang",
    "UpperBody": "Cơ quan cấp trên",
    "Issuer": "Cơ quan ban hành",
    "IssuerStar": "Dấu sao",
    "DocNumber": "Số và ký hiệu",
    "PartyMotto": "Tiêu đề Đảng",
    "MottoRule": "Đường kẻ dưới tiêu đề",
    "DateLine": "Địa danh và ngày tháng",
    "DocTitle": "Tên loại văn bản",
    "DocSummary": "Trích yếu",
    "SummaryRule": "Gạch dưới trích yếu",
    "Closing": "Đoạn kết",
    "SignerAuthority": "Quyền hạn người ký",
    "SignerTitle": "Chức vụ người ký",
    "SignatureSpace": "Chỗ ký",
    "SignerName": "Họ tên người ký",
    "RecipientsLabel": "Nơi nhận",
    "RecipientItem": "Danh sách nơi nhận",
    "TableTitle": "Tên bảng",
    "TableHeader": "Tiêu đề cột bảng",
    "TableLabel": "Tên dòng bảng",
    "TableCell": "Ô số liệu",
    "TableTotalLabel": "Tên dòng tổng",
    "TableTotal": "Ô tổng cộng",
    "TableAfter": "Sau bảng",
}
HEADING_LEVELS = 5
FOOTNOTE_TEXT_ID = "FootnoteText"
FOOTNOTE_REF_ID = "FootnoteReference"

# Characters XML 1.0 cannot hold (Word pastes sometimes carry them): dropped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str | None) -> str:
    """NFC, no characters XML cannot store."""
    return _XML_INVALID.sub("", unicodedata.normalize("NFC", text or ""))


def number_line(model: DocumentModel, fmt: DocumentFormat) -> str:
    """ "Số 12-BC/ĐU", or the blank to fill by hand when the number is not given yet."""
    line = fmt.header.number
    pattern = line.pattern if clean_text(model.number).strip() else line.blank
    return clean_text(pattern.format(number=clean_text(model.number).strip(), doc_type=clean_text(model.doc_type),
                                     issuer_symbol=clean_text(model.issuer_symbol)))


def date_line(model: DocumentModel, fmt: DocumentFormat) -> str:
    """ "Lùng Phình, ngày 08 tháng 6 năm 2026", or the blank "…, ngày    tháng    năm 20  "."""
    place = clean_text(model.place).strip()
    if model.date is None:
        return clean_text(fmt.header.date_line.blank.format(place=place))
    return clean_text(format_date_line(place, model.date))


def write_docx(model: DocumentModel, path: str | os.PathLike, fmt: DocumentFormat | None = None) -> Path:
    """Write `model` as a .docx at `path` (replaced atomically: never a half-written file)."""
    if fmt is None:
        fmt = load_format(model.format_code)
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"Thư mục “{target.parent}” không tồn tại; chọn nơi lưu khác.")
    document = build_document(model, fmt)
    fd, tmp_name = tempfile.mkstemp(prefix="." + target.stem[:40] + "-", suffix=".docx.tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            document.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise PermissionError(
                f"Không ghi được “{target.name}”: tệp đang mở trong Word hoặc thư mục không cho ghi. "
                "Hãy đóng tệp rồi thử lại.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def build_document(model: DocumentModel, fmt: DocumentFormat) -> "DocxDocument":
    """The python-docx Document for `model` (not saved)."""
    import docx

    document = docx.Document()
    writer = _Writer(document, fmt)
    writer.setup()
    writer.header_table(model)
    writer.title_block(model)
    for block in model.blocks:
        if isinstance(block, Heading):
            writer.heading(block)
        elif isinstance(block, Body):
            writer.body(block.content)
        elif isinstance(block, TableBlock):
            writer.data_table(block)
        else:  # pragma: no cover - the model allows only these two
            raise TypeError(f"unknown block {block!r}")
    if clean_text(model.closing).strip():
        writer.closing(model.closing)
    writer.signature_table(model)
    writer.page_numbers()
    writer.finish_footnotes()
    writer.core_properties(model)
    return document


class _Writer:
    def __init__(self, document, fmt: DocumentFormat):
        self.doc = document
        self.fmt = fmt
        self.footnotes: list[Footnote] = []

    # ------------------------------------------------------------------ set-up
    def setup(self) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.shared import Mm

        package_rels = self.doc.part.package.rels
        for rid, rel in list(package_rels.items()):  # the template's thumbnail is not our page
            if rel.reltype == RT.THUMBNAIL:
                del package_rels[rid]
        fmt = self.fmt
        section = self.doc.sections[0]
        section.page_width = Mm(fmt.page.width_mm)
        section.page_height = Mm(fmt.page.height_mm)
        section.top_margin = Mm(fmt.margins.top)
        section.bottom_margin = Mm(fmt.margins.bottom)
        section.left_margin = Mm(fmt.margins.left)
        section.right_margin = Mm(fmt.margins.right)
        section.header_distance = Mm(fmt.page.header_distance_mm)
        section.footer_distance = Mm(fmt.page.footer_distance_mm)
        section.gutter = Mm(0)
        self._setup_styles()

    def _setup_styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn

        fmt = self.fmt
        styles = self.doc.styles
        # Document defaults: the font on every script, the size, the language (no English spell check).
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for child in list(rpr):
            rpr.remove(child)
        _fill_rpr(rpr, fmt.font_name, fmt.body.text.size, language=fmt.language)
        ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        for child in list(ppr):
            ppr.remove(child)
        ppr.append(_el("w:spacing", {"w:after": "0", "w:line": "240", "w:lineRule": "auto"}))

        normal = styles["Normal"]
        self._define(normal, fmt.body.text, fmt.body.spacing, widow=fmt.widow_control)
        for level in range(1, HEADING_LEVELS + 1):
            style = styles[f"Heading {level}"]
            pf = fmt.heading(level)
            self._define(style, pf.text, pf.spacing, keep_next=True, outline=level - 1)
            style.element.remove_all("w:semiHidden", "w:unhideWhenUsed", "w:link")
        header = styles["Header"]
        pn = fmt.page_number
        self._define(header, TextStyle(size=pn.size, align=pn.align), Spacing())

        h = fmt.header
        table_sp = h.spacing
        self._custom("PageTop", TextStyle(size=1), Spacing(line_rule="exact", line_spacing=1))
        self._custom("UpperBody", h.upper_body, table_sp)
        self._custom("Issuer", h.issuer, table_sp)
        self._custom("IssuerStar", h.star, table_sp)
        self._custom("DocNumber", h.number.style, table_sp)
        self._custom("PartyMotto", h.motto.style, table_sp)
        gap = max(h.motto.rule_gap_pt, 1.0)
        self._custom("MottoRule", TextStyle(size=1, align="center"),
                     Spacing(line_rule="exact", line_spacing=gap))
        self._custom("DateLine", h.date_line.style, table_sp)
        self._custom("DocTitle", fmt.title.text, fmt.title.spacing, keep_next=True)
        self._custom("DocSummary", fmt.summary.text, fmt.summary.spacing, keep_next=True)
        self._custom("SummaryRule", fmt.separator.style, fmt.separator.spacing)
        self._custom("Closing", fmt.closing.text, fmt.closing.spacing, keep_next=True)
        s = fmt.signature
        self._custom("SignerAuthority", s.on_behalf, s.spacing, keep_next=True)
        self._custom("SignerTitle", s.title, s.spacing, keep_next=True)
        space_pt = max(s.signature_space_mm * 72 / 25.4, 1.0)
        self._custom("SignatureSpace", TextStyle(size=s.name.size, align="center"),
                     Spacing(line_rule="exact", line_spacing=space_pt), keep_next=True)
        self._custom("SignerName", s.name, s.spacing)
        t = fmt.tables
        if t is not None:
            cell_sp = Spacing(line_rule="single", line_spacing=1)
            self._custom("TableTitle", t.title.text, t.title.spacing, keep_next=True)
            self._custom("TableHeader", t.header, cell_sp)
            self._custom("TableLabel", t.label, cell_sp)
            self._custom("TableCell", t.cell, cell_sp)
            self._custom("TableTotalLabel", TextStyle(size=t.total.size, bold=t.total.bold,
                                                      italic=t.total.italic, align="left"), cell_sp)
            self._custom("TableTotal", t.total, cell_sp)
            self._custom("TableAfter", TextStyle(size=1), Spacing(space_after_pt=t.space_after_pt,
                                                                  line_rule="exact", line_spacing=1))
        r = fmt.recipients
        self._custom("RecipientsLabel", r.label_style, s.spacing, keep_next=True)
        self._custom("RecipientItem", r.item, s.spacing)

        # Footnotes: Word's own built-in styles, so "Insert footnote" in Word matches ours.
        fn = fmt.footnotes
        text_style = self._get_or_add(FOOTNOTE_TEXT_ID, "footnote text", WD_STYLE_TYPE.PARAGRAPH)
        self._define(text_style, fn.text, fn.spacing)
        ref_style = self._get_or_add(FOOTNOTE_REF_ID, "footnote reference", WD_STYLE_TYPE.CHARACTER)
        ref_style.element.remove_all("w:rPr")
        ref_style.font.superscript = True
        text_style.base_style = self.doc.styles["Normal"]
        ref_style.base_style = self.doc.styles["Default Paragraph Font"]
        for style in (text_style, ref_style):
            style.element.attrib.pop(qn("w:customStyle"), None)  # Word's built-in styles
            style.element.remove_all("w:semiHidden")
            style.priority = 99
            style.unhide_when_used = True

    def _get_or_add(self, style_id: str, name: str, style_type):
        from docx.oxml.ns import qn

        for el in self.doc.styles.element.findall(qn("w:style")):
            if el.get(qn("w:styleId")) == style_id:
                return self.doc.styles[el.name_val]
        style = self.doc.styles.add_style(name, style_type)
        style.style_id = style_id
        return style

    def _custom(self, style_id: str, text: TextStyle, spacing: Spacing, keep_next: bool = False) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        style = self._get_or_add(style_id, STYLE_NAMES[style_id], WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles["Normal"]
        style.quick_style = True
        self._define(style, text, spacing, keep_next=keep_next)

    def _define(self, style, text: TextStyle, spacing: Spacing, keep_next: bool = False,
                outline: int | None = None, widow: bool | None = None) -> None:
        """Rewrite a paragraph style's formatting completely from the format file."""
        element = style.element
        element.remove_all("w:pPr", "w:rPr")
        _apply_paragraph(style.paragraph_format, text, spacing)
        pf = style.paragraph_format
        pf.keep_with_next = True if keep_next else None
        if widow is not None:
            pf.widow_control = widow
        if outline is not None:
            ppr = element.get_or_add_pPr()
            ppr.insert_element_before(_el("w:outlineLvl", {"w:val": str(outline)}),
                                      "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
        rpr = element.get_or_add_rPr()
        _fill_rpr(rpr, self.fmt.font_name, text.size, bold=text.bold, italic=text.italic,
                  underline=text.underline)

    # ------------------------------------------------------------------ paragraphs
    def _paragraph(self, container, style_id: str, text: str = "", first: bool = False):
        """A paragraph in `container` (document or table cell); `first` reuses the cell's empty one."""
        paragraph = container.paragraphs[0] if first else container.add_paragraph()
        paragraph.style = self.doc.styles[STYLE_NAMES.get(style_id, style_id)]
        if text:
            lines = clean_text(text).split("\n")
            for index, line in enumerate(lines):
                if index:
                    paragraph._p.append(_br())
                paragraph._p.append(_run(line))
        return paragraph

    def header_table(self, model: DocumentModel) -> None:
        h = self.fmt.header
        left: list[tuple[str, str]] = []
        if clean_text(model.upper_body).strip():
            left.append(("UpperBody", h.upper_body.apply_case(clean_text(model.upper_body).strip())))
        left.append(("Issuer", h.issuer.apply_case(clean_text(model.issuer).strip())))
        left.append(("IssuerStar", h.star_text))
        left.append(("DocNumber", number_line(model, self.fmt)))
        # A 1 pt paragraph before the table: LibreOffice otherwise adds a body-sized blank line above
        # a table that opens a document with footnotes (and Word keeps a paragraph there anyway).
        self._paragraph(self.doc, "PageTop")
        table = self._table(len(left), h.left_width_mm, h.right_width_mm, h.indent_mm, h.cell_margin_mm)
        for row, (style_id, text) in enumerate(left):
            self._paragraph(table.cell(row, 0), style_id, text, first=True)
        motto_cell = table.cell(0, 1)
        self._paragraph(motto_cell, "PartyMotto", h.motto.style.apply_case(h.motto.text), first=True)
        if h.motto.rule == "underline":
            for run in motto_cell.paragraphs[0].runs:
                run.underline = True
        elif h.motto.rule_length_mm > 0:
            rule = self._paragraph(motto_cell, "MottoRule")
            side = max((h.right_width_mm - 2 * h.cell_margin_mm - h.motto.rule_length_mm) / 2, 0)
            from docx.shared import Mm
            rule.paragraph_format.left_indent = Mm(side)
            rule.paragraph_format.right_indent = Mm(side)
            _bottom_border(rule, h.motto.rule_width_pt)
        for row in range(1, len(left) - 1):
            table.cell(row, 1).paragraphs[0].style = self.doc.styles[STYLE_NAMES["DateLine"]]
        self._paragraph(table.cell(len(left) - 1, 1), "DateLine", date_line(model, self.fmt), first=True)

    def title_block(self, model: DocumentModel) -> None:
        fmt = self.fmt
        body = self.doc
        if clean_text(model.title).strip():
            self._paragraph(body, "DocTitle", fmt.title.text.apply_case(clean_text(model.title).strip()))
        if clean_text(model.summary).strip():
            self._paragraph(body, "DocSummary", fmt.summary.text.apply_case(clean_text(model.summary).strip()))
        self._paragraph(body, "SummaryRule", fmt.separator.text)

    def heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), HEADING_LEVELS)
        number = clean_text(block.number).strip()
        title = clean_text(block.title).strip()
        text = f"{number} {title}" if number and title else (number or title)
        text = self.fmt.heading(level).text.apply_case(text)
        paragraph = self.doc.add_paragraph(style=self.doc.styles[f"Heading {level}"])
        paragraph._p.append(_run(text))

    def body(self, content) -> None:
        paragraph = self.doc.add_paragraph(style=self.doc.styles["Normal"])
        self._inline(paragraph._p, content)

    def _inline(self, p, content: Iterable) -> None:
        for item in content:
            if isinstance(item, Run):
                if item.text:
                    p.append(_run(item.text, item.bold, item.italic, item.underline))
            elif isinstance(item, Footnote):
                self.footnotes.append(item)
                p.append(_footnote_reference(len(self.footnotes)))
            else:
                raise TypeError(f"Body.content holds runs and footnotes, not {type(item).__name__}")

    def data_table(self, block: TableBlock) -> None:
        """A bordered grid of figures; the header row repeats on every page, rows never split."""
        from docx.shared import Mm

        t = self.fmt.tables
        if clean_text(block.title).strip():
            self._paragraph(self.doc, "TableTitle", block.title)
        columns = len(block.header)
        table = self.doc.add_table(rows=1 + len(block.rows), cols=columns)
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        tbl_pr.remove_all("w:tblStyle")
        borders = _el("w:tblBorders")
        size = str(max(2, round(t.border_pt * 8)))  # eighths of a point
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_el(f"w:{side}", {"w:val": "single", "w:sz": size, "w:space": "0", "w:color": "000000"}))
        tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
        tbl_pr.insert_element_before(_el("w:tblLayout", {"w:type": "fixed"}), "w:tblCellMar", "w:tblLook")
        margins = _el("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            mm = t.cell_margin_mm if side in ("left", "right") else t.cell_margin_mm / 3
            margins.append(_el(f"w:{side}", {"w:w": str(_twips(Mm(mm))), "w:type": "dxa"}))
        tbl_pr.insert_element_before(margins, "w:tblLook")
        width = self.fmt.text_width_mm
        label_mm = width * t.label_width_ratio if columns > 1 else width
        other_mm = (width - label_mm) / (columns - 1) if columns > 1 else 0
        for index, column in enumerate(table.columns):
            column_width = Mm(label_mm if index == 0 else other_mm)
            column.width = column_width
            for cell in column.cells:
                cell.width = column_width
        for row_index, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(_el("w:cantSplit"))
            if row_index == 0:
                tr_pr.append(_el("w:tblHeader"))
        for col, text in enumerate(block.header):
            self._paragraph(table.cell(0, col), "TableHeader", text, first=True)
        totals = set(block.total_rows)
        for r, values in enumerate(block.rows):
            total = r in totals
            for col in range(columns):
                text = values[col] if col < len(values) else ""
                style = ("TableTotalLabel" if col == 0 else "TableTotal") if total else \
                    ("TableLabel" if col == 0 else "TableCell")
                self._paragraph(table.cell(r + 1, col), style, text, first=True)
        for cell in table._cells:
            tc_pr = cell._tc.get_or_add_tcPr()
            tc_pr.append(_el("w:vAlign", {"w:val": "center"}))
        self._paragraph(self.doc, "TableAfter")

    def closing(self, text: str) -> None:
        self._paragraph(self.doc, "Closing", text)

    def signature_table(self, model: DocumentModel) -> None:
        fmt = self.fmt
        s, r = fmt.signature, fmt.recipients
        recipients = [clean_text(x).strip() for x in model.recipients if clean_text(x).strip()]
        signer = model.signer
        if not recipients and signer is None:
            return
        from docx.shared import Pt

        table = self._table(1, s.left_width_mm, s.right_width_mm, s.indent_mm, s.cell_margin_mm)
        left, right = table.cell(0, 0), table.cell(0, 1)
        first_left = first_right = None
        if recipients:
            first_left = self._paragraph(left, "RecipientsLabel", r.label_style.apply_case(r.label), first=True)
            for item in recipients:
                if r.item_prefix and not item.startswith(("-", "–", "+")):
                    item = r.item_prefix + item
                self._paragraph(left, "RecipientItem", r.item.apply_case(item))
        if signer is not None:
            first = True
            for style_id, ts, value in (("SignerAuthority", s.on_behalf, signer.on_behalf),
                                        ("SignerTitle", s.title, signer.title)):
                value = clean_text(value).strip()
                if value:
                    paragraph = self._paragraph(right, style_id, ts.apply_case(value), first=first)
                    first_right = first_right or paragraph
                    first = False
            space = self._paragraph(right, "SignatureSpace", first=first)
            first_right = first_right or space
            self._paragraph(right, "SignerName", s.name.apply_case(clean_text(signer.name).strip()))
        for paragraph in (first_left, first_right):
            if paragraph is not None and s.space_before_pt:
                paragraph.paragraph_format.space_before = Pt(s.space_before_pt)
        # The signature block never splits across pages.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        tr_pr.append(_el("w:cantSplit"))
        self._paragraph(self.doc, "PageTop")  # a body must end with a paragraph, not a table

    def _table(self, rows: int, left_mm: float, right_mm: float, indent_mm: float, cell_margin_mm: float):
        """A borderless fixed-width 2-column table."""
        from docx.oxml.ns import qn
        from docx.shared import Mm

        table = self.doc.add_table(rows=rows, cols=2)
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        for tag in ("w:tblStyle",):
            tbl_pr.remove_all(tag)
        widths = (Mm(left_mm), Mm(right_mm))
        total = widths[0] + widths[1]
        tbl_w = tbl_pr.find(qn("w:tblW"))
        if tbl_w is None:
            tbl_w = _el("w:tblW")
            tbl_pr.insert_element_before(tbl_w, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                                         "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
        tbl_w.set(qn("w:w"), str(_twips(total)))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_pr.insert_element_before(_el("w:tblInd", {"w:w": str(_twips(Mm(indent_mm))), "w:type": "dxa"}),
                                     "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
        borders = _el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_el(f"w:{side}", {"w:val": "nil"}))
        tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
        tbl_pr.remove_all("w:tblLayout")
        tbl_pr.insert_element_before(_el("w:tblLayout", {"w:type": "fixed"}), "w:tblCellMar", "w:tblLook")
        margins = _el("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            width = 0 if side in ("top", "bottom") else _twips(Mm(cell_margin_mm))
            margins.append(_el(f"w:{side}", {"w:w": str(width), "w:type": "dxa"}))
        tbl_pr.insert_element_before(margins, "w:tblLook")
        for index, column in enumerate(table.columns):
            column.width = widths[index]
            for cell in column.cells:
                cell.width = widths[index]
        return table

    # ------------------------------------------------------------------ page numbers
    def page_numbers(self) -> None:
        pn = self.fmt.page_number
        section = self.doc.sections[0]
        section.different_first_page_header_footer = not pn.show_on_first_page
        if pn.position == "top":
            main, first = section.header, section.first_page_header
        else:
            main, first = section.footer, section.first_page_footer
        main.is_linked_to_previous = False
        paragraph = main.paragraphs[0]
        paragraph.style = self.doc.styles["Header"]
        for el in _page_field():
            paragraph._p.append(el)
        if not pn.show_on_first_page:
            first.is_linked_to_previous = False
            first.paragraphs[0].style = self.doc.styles["Header"]

    # ------------------------------------------------------------------ footnotes part
    def finish_footnotes(self) -> None:
        if not self.footnotes:
            return
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        root = parse_xml(
            f"<w:footnotes {nsdecls('w', 'r')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>'
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            "<w:r><w:separator/></w:r></w:p></w:footnote>"
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
            "</w:footnotes>"
        )
        for number, note in enumerate(self.footnotes, start=1):
            footnote = _el("w:footnote", {"w:id": str(number)})
            paragraphs = [p for p in note.paragraphs] or [()]
            for index, runs in enumerate(paragraphs):
                p = _el("w:p")
                ppr = _el("w:pPr")
                ppr.append(_el("w:pStyle", {"w:val": FOOTNOTE_TEXT_ID}))
                p.append(ppr)
                if index == 0:
                    mark = _el("w:r")
                    rpr = _el("w:rPr")
                    rpr.append(_el("w:rStyle", {"w:val": FOOTNOTE_REF_ID}))
                    mark.append(rpr)
                    mark.append(_el("w:footnoteRef"))
                    p.append(mark)
                    p.append(_run(" "))
                for run in runs:
                    if isinstance(run, Run) and run.text:
                        p.append(_run(run.text, run.bold, run.italic, run.underline))
                footnote.append(p)
            root.append(footnote)
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)
        # settings: Word lists the separator notes it uses.
        settings = self.doc.settings.element
        settings.remove_all("w:footnotePr")
        footnote_pr = _el("w:footnotePr")
        footnote_pr.append(_el("w:footnote", {"w:id": "-1"}))
        footnote_pr.append(_el("w:footnote", {"w:id": "0"}))
        settings.insert_element_before(
            footnote_pr, "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
            "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
            "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
            "w:decimalSymbol", "w:listSeparator")

    def core_properties(self, model: DocumentModel) -> None:
        import datetime as dt

        props = self.doc.core_properties
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        title = " ".join(x for x in (clean_text(model.title).strip(), clean_text(model.summary).strip()) if x)
        props.title = title[:250]
        props.subject = ""
        props.author = clean_text(model.issuer).strip()[:250]
        props.last_modified_by = props.author
        props.comments = ""
        props.keywords = ""
        props.category = ""
        props.language = self.fmt.language
        props.revision = 1
        props.created = now
        props.modified = now


# ---------------------------------------------------------------------- XML helpers
def _el(tag: str, attrs: dict[str, str] | None = None):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        element.set(qn(key), value)
    return element


def _twips(length) -> int:
    return int(round(length / 635))  # EMU → twentieths of a point


def _run(text: str, bold: bool = False, italic: bool = False, underline: bool = False):
    """A w:r with text (tabs become w:tab), NFC, with direct bold/italic/underline only when set."""
    from docx.oxml.ns import qn

    run = _el("w:r")
    if bold or italic or underline:
        rpr = _el("w:rPr")
        if bold:
            rpr.append(_el("w:b"))
            rpr.append(_el("w:bCs"))
        if italic:
            rpr.append(_el("w:i"))
            rpr.append(_el("w:iCs"))
        if underline:
            rpr.append(_el("w:u", {"w:val": "single"}))
        run.append(rpr)
    for index, piece in enumerate(clean_text(text).split("\t")):
        if index:
            run.append(_el("w:tab"))
        if piece:
            t = _el("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = piece
            run.append(t)
    return run


def _br():
    run = _el("w:r")
    run.append(_el("w:br"))
    return run


def _footnote_reference(number: int):
    run = _el("w:r")
    rpr = _el("w:rPr")
    rpr.append(_el("w:rStyle", {"w:val": FOOTNOTE_REF_ID}))
    run.append(rpr)
    run.append(_el("w:footnoteReference", {"w:id": str(number)}))
    return run


def _page_field() -> list:
    """PAGE as a complex field (begin / instrText / separate / result / end)."""
    from docx.oxml.ns import qn

    out = []
    begin = _el("w:r")
    begin.append(_el("w:fldChar", {"w:fldCharType": "begin"}))
    out.append(begin)
    instr = _el("w:r")
    text = _el("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instr.append(text)
    out.append(instr)
    separate = _el("w:r")
    separate.append(_el("w:fldChar", {"w:fldCharType": "separate"}))
    out.append(separate)
    out.append(_run("2"))
    end = _el("w:r")
    end.append(_el("w:fldChar", {"w:fldCharType": "end"}))
    out.append(end)
    return out


def _bottom_border(paragraph, width_pt: float) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    border = _el("w:pBdr")
    border.append(_el("w:bottom", {"w:val": "single", "w:sz": str(max(2, round(width_pt * 8))),
                                   "w:space": "0", "w:color": "000000"}))
    ppr.insert_element_before(
        border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
        "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
        "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
        "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
        "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _fill_rpr(rpr, font_name: str, size: float, bold: bool | None = None, italic: bool | None = None,
              underline: bool | None = None, language: str | None = None) -> None:
    """Explicit font on every script (ascii, hAnsi, eastAsia, cs) so Vietnamese stays in the font."""
    from docx.shared import Pt

    rpr.remove_all("w:rFonts")
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(_qn(attr), font_name)
    if bold is not None:
        rpr.remove_all("w:b", "w:bCs")
        b = rpr._add_b()
        b.val = bold
        b_cs = rpr._add_bCs()
        b_cs.val = bold
    if italic is not None:
        rpr.remove_all("w:i", "w:iCs")
        i = rpr._add_i()
        i.val = italic
        i_cs = rpr._add_iCs()
        i_cs.val = italic
    rpr.sz_val = Pt(size)
    rpr.remove_all("w:szCs")
    sz_cs = _el("w:szCs", {"w:val": str(int(round(size * 2)))})
    rpr.find(_qn("w:sz")).addnext(sz_cs)
    if underline is not None:
        from docx.enum.text import WD_UNDERLINE

        rpr.u_val = WD_UNDERLINE.SINGLE if underline else WD_UNDERLINE.NONE
    if language:
        rpr.remove_all("w:lang")
        rpr.append(_el("w:lang", {"w:val": language, "w:eastAsia": language, "w:bidi": "ar-SA"}))


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _apply_paragraph(pf, text: TextStyle, spacing: Spacing) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm, Pt

    pf.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[text.align]
    pf.space_before = Pt(spacing.space_before_pt)
    pf.space_after = Pt(spacing.space_after_pt)
    if spacing.line_rule == "single":
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    elif spacing.line_rule == "multiple":
        pf.line_spacing = float(spacing.line_spacing)
    elif spacing.line_rule == "exact":
        pf.line_spacing = Pt(spacing.line_spacing)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    else:
        pf.line_spacing = Pt(spacing.line_spacing)
        pf.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    pf.first_line_indent = Cm(spacing.first_line_indent_cm)
    pf.left_indent = Cm(0)
    pf.right_indent = Cm(0)
