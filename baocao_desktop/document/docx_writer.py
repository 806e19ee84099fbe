"""DOCX renderer of the layout plan, for official documents (Party and State formats).

`write_docx(model, path)` writes the plan of document/layout.py (every layout decision is made there,
once, for this writer and the print renderer alike) as Word expects a hand-made report to be, so the
office can keep editing it in Word: paragraph styles (Normal, Heading 1-5, footnote text, one named
style per header/signature element), real Word footnotes (python-docx has no footnote API, so the
footnotes part is added here), a PAGE field in the header with no number on page 1, borderless tables
for the header and the signature block, bordered data tables whose heading row repeats on every page,
and charts as pictures. All text is written in Unicode NFC. A report's document also carries its figures in a
custom XML part (document/figures_part.py: invisible, kept by Word, read back by the Word import).

A file that cannot be written raises DocumentWriteError (Vietnamese message) and leaves the target
as it was: the document goes to a temporary file in the same folder, is flushed and renamed.

python-docx is imported inside the functions: it must stay off the application's start-up path.
Paragraphs and styles are built as XML directly (see bench/README.md, "DOCX export") because
python-docx's lookups by style name made a long report many times slower.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.errors import UserError
from ..domain.richtext import Run
from .figures_part import FiguresPart, figures_part_xml, item_properties_xml
from .formats import DocumentFormat, Spacing, TextStyle, load_format
from .layout import (
    FOOTNOTE_REF_ID,
    FOOTNOTE_TEXT_ID,
    HEADER_ID,
    Anchor,
    DataTable,
    DraftMark,
    FrameTable,
    LayoutPlan,
    NoteRef,
    Para,
    ParagraphStyle,
    Picture,
    Rule,
    build_plan,
    clean_text,
    draw,
)
from .model import DocumentModel

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document as DocxDocument


class DocumentWriteError(UserError, OSError):
    """The document could not be written. The message is Vietnamese and says what to do; the target
    file (if any) is left exactly as it was and no half-written file is left under its name.

    `strerror` holds the short reason ("ổ đĩa đã hết chỗ trống"), `filename` the target."""

    def __init__(self, message: str, reason: str, path: Path, errno_: int | None = None):
        super().__init__(message)
        self.message = message
        self.errno = errno_
        self.strerror = reason
        self.filename = str(path)

    def __str__(self) -> str:
        return self.message


class TargetLockedError(DocumentWriteError, PermissionError):
    """The target is open in Word (Windows locks it), read-only, or the folder refuses writing."""


class FolderMissingError(DocumentWriteError, FileNotFoundError):
    """The chosen folder does not exist (a USB stick taken out, a deleted folder)."""


def _write_error(exc: OSError, target: Path, stage: str) -> DocumentWriteError:
    """A Vietnamese DocumentWriteError for an OSError met while writing `target`.

    stage: "temp" (creating the temporary file in the folder), "write" (writing it), "replace"
    (putting it in place of the target)."""
    import errno

    name = target.name
    code = exc.errno
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY):
        if stage == "replace":
            reason = "tệp đang mở trong Word (hoặc chương trình khác) hoặc đang đặt chế độ chỉ đọc"
            hint = "Hãy đóng tệp trong Word rồi xuất lại, hoặc lưu với tên khác."
        else:
            reason = "thư mục không cho phép ghi"
            hint = "Hãy chọn thư mục khác (ví dụ Tài liệu của bạn)."
        return TargetLockedError(f"Không ghi được “{name}”: {reason}. {hint}", reason, target, code)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        reason = "ổ đĩa đã hết chỗ trống"
        return DocumentWriteError(f"Không ghi được “{name}”: {reason}. Hãy xóa bớt tệp không cần hoặc "
                                  "lưu vào ổ đĩa khác rồi xuất lại.", reason, target, code)
    if code == errno.EROFS:
        reason = "ổ đĩa chỉ cho đọc (thẻ nhớ hoặc USB bị khóa ghi)"
        return TargetLockedError(f"Không ghi được “{name}”: {reason}. Hãy mở khóa ghi hoặc lưu vào nơi "
                                 "khác.", reason, target, code)
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        reason = f"thư mục “{target.parent}” không còn nữa"
        return FolderMissingError(f"Không ghi được “{name}”: {reason} (USB đã rút ra?). Hãy chọn nơi lưu "
                                  "khác.", reason, target, code)
    from ..domain.error_text import os_error_reason
    reason = os_error_reason(exc)
    return DocumentWriteError(f"Không ghi được “{name}”: {reason}. Hãy thử lại hoặc lưu vào nơi khác.",
                              reason, target, code)


def write_docx(model: DocumentModel, path: str | os.PathLike, fmt: DocumentFormat | None = None) -> Path:
    """Write `model` as a .docx at `path`.

    The file is written to a temporary name in the same folder, flushed to disk and then put in
    place of the target in one step, so the target is either the old file, byte for byte, or the
    complete new one. Failures raise DocumentWriteError (a Vietnamese message; subclasses
    TargetLockedError / FolderMissingError are also PermissionError / FileNotFoundError)."""
    import stat

    if fmt is None:
        fmt = load_format(model.format_code)
    target = Path(path)
    if not target.parent.is_dir():
        reason = f"thư mục “{target.parent}” không tồn tại"
        raise FolderMissingError(f"Không ghi được “{target.name}”: {reason}; chọn nơi lưu khác.", reason, target)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _write_error(exc, target, "replace") from None
    if mode is not None:
        if stat.S_ISDIR(mode):
            reason = "đã có một thư mục trùng tên"
            raise DocumentWriteError(f"Không ghi được “{target.name}”: {reason}. Hãy đặt tên tệp khác.",
                                     reason, target)
        if not mode & stat.S_IWUSR:
            reason = "tệp cũ đang đặt chế độ chỉ đọc"
            raise TargetLockedError(
                f"Không ghi được “{target.name}”: {reason}. Hãy bỏ chế độ chỉ đọc của tệp (Thuộc tính) "
                "hoặc lưu với tên khác.", reason, target)
    document = build_document(build_plan(model, fmt))
    if model.figures is not None:
        add_figures_part(document, model.figures)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix="." + target.stem[:40] + "-", suffix=".docx.tmp",
                                        dir=target.parent)
    except OSError as exc:
        raise _write_error(exc, target, "temp") from None
    tmp = Path(tmp_name)
    stage = "write"
    try:
        with os.fdopen(fd, "wb") as handle:
            document.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        stage = "replace"
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_error(exc, target, stage) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target



def build_document(plan: LayoutPlan) -> "DocxDocument":
    """The python-docx Document for a layout plan (not saved)."""
    import docx

    document = docx.Document()
    writer = _Writer(document, plan)
    writer.setup()
    draw(plan, writer)
    writer.page_numbers()
    writer.finish_footnotes()
    writer.core_properties()
    return document


def add_figures_part(document: "DocxDocument", figures: FiguresPart) -> None:
    """Carry the report's figures in a custom XML data item related from the document part (Word keeps
    such items through editing; nothing is shown): document/figures_part.py says what it holds."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import Part

    package = document.part.package
    item_name = package.next_partname("/customXml/item%d.xml")
    item = Part(item_name, CT.XML, figures_part_xml(figures), package)
    properties = Part(package.next_partname("/customXml/itemProps%d.xml"), CT.OFC_CUSTOM_XML_PROPERTIES,
                      item_properties_xml(item.blob), package)
    item.relate_to(properties, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


# Word's built-in styles the plan refers to by id → their names in Word's default template.
_BUILTIN_NAMES = {"Normal": "Normal", HEADER_ID: "Header",
                  **{f"Heading{level}": f"Heading {level}" for level in range(1, 10)}}


class _Writer:
    def __init__(self, document, plan: LayoutPlan):
        self.doc = document
        self.plan = plan
        self.fmt = plan.fmt
        self._style_ids: dict | None = None

    # ------------------------------------------------------------------ set-up
    def setup(self) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.shared import Mm

        package_rels = self.doc.part.package.rels
        for rid, rel in list(package_rels.items()):  # the template's thumbnail is not our page
            if rel.reltype == RT.THUMBNAIL:
                del package_rels[rid]
        fmt = self.fmt
        self._sect_pr = self.doc.element.body.sectPr
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
        """Word's styles from the plan's: the built-in ones rewritten, the plan's own added."""
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

        for ps in self.plan.styles:
            if ps.id == FOOTNOTE_TEXT_ID:
                self._footnote_styles(ps)
            elif ps.custom:
                style = self._get_or_add(ps.id, ps.name, WD_STYLE_TYPE.PARAGRAPH)
                style.element.basedOn_val = "Normal"
                style.quick_style = True
                self._define(style, ps)
            else:
                style = styles[_BUILTIN_NAMES[ps.id]]
                self._define(style, ps)
                if ps.outline_level is not None:  # a heading: shown in Word's style gallery
                    style.element.remove_all("w:semiHidden", "w:unhideWhenUsed", "w:link")

    def _footnote_styles(self, ps: ParagraphStyle) -> None:
        """Word's own built-in footnote styles, so "Insert footnote" in Word matches ours."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn

        text_style = self._get_or_add(FOOTNOTE_TEXT_ID, "footnote text", WD_STYLE_TYPE.PARAGRAPH)
        self._define(text_style, ps)
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
        """The style with `style_id`, added (as XML, without python-docx's scans by name) if missing."""
        from docx.styles.style import StyleFactory

        if self._style_ids is None:
            self._style_ids = {el.get(_qn("w:styleId")): el
                               for el in self.doc.styles.element.iterchildren(_qn("w:style"))}
        element = self._style_ids.get(style_id)
        if element is None:
            element = self.doc.styles.element.add_style_of_type(name, style_type, False)
            element.styleId = style_id
            self._style_ids[style_id] = element
        return StyleFactory(element)

    def _define(self, style, ps: ParagraphStyle) -> None:
        """Rewrite a paragraph style's formatting completely from the plan's style.

        The w:pPr and w:rPr are written as XML text in schema order and parsed once: python-docx's
        property setters look up each element's many possible successors and were most of the
        writer's set-up time."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        text = ps.text
        element = style.element
        element.remove_all("w:pPr", "w:rPr")
        ppr = parse_xml(f"<w:pPr {nsdecls('w')}>"
                        f"{_ppr_xml(text, ps.spacing, ps.keep_with_next, ps.outline_level, ps.widow_control)}</w:pPr>")
        rpr = parse_xml(f"<w:rPr {nsdecls('w')}>"
                        f"{_rpr_xml(self.fmt.font_name, text.size, text.bold, text.italic, text.underline)}</w:rPr>")
        anchor = None
        for tag in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
            anchor = element.find(_qn(tag))
            if anchor is not None:
                break
        if anchor is not None:
            anchor.addprevious(ppr)
            anchor.addprevious(rpr)
        else:
            element.append(ppr)
            element.append(rpr)

    # ------------------------------------------------------------------ paragraphs
    def paragraph(self, para: Para, container=None, first: bool = False):
        """The plan's paragraph at the end of the body, or in a table cell (`first` reuses the
        cell's empty paragraph). Returns the python-docx Paragraph for plain-text paragraphs."""
        if para.runs:  # body paragraphs and headings: straight to XML (most of a long report)
            p = _styled_p(para.style)
            self._sect_pr.addprevious(p)
            _append_runs(p, para.runs)
            return None
        paragraph = self._paragraph(self.doc if container is None else container, para.style, para.text, first)
        if para.rule is not None:
            self._rule(paragraph, para.rule)
        if para.underline:
            for run in paragraph.runs:
                run.underline = True
        return paragraph

    def anchor(self, block: Anchor) -> None:
        self._paragraph(self.doc, block.style)

    def draft_mark(self, block: DraftMark) -> None:
        """ "DỰ THẢO": a paragraph boxed by its own borders, its indents making the box as wide as the plan
        says (Word draws each border `w:space` points outside the text: the padding)."""
        from lxml.etree import SubElement

        paragraph = self._paragraph(self.doc, block.para.style, block.para.text)
        ppr = paragraph._p.find(_qn("w:pPr"))
        if block.border_pt:
            borders = SubElement(ppr, _qn("w:pBdr"))
            size, space = str(max(2, round(block.border_pt * 8))), str(min(31, round(block.padding_mm * 72 / 25.4)))
            for side in ("top", "left", "bottom", "right"):
                SubElement(borders, _qn(f"w:{side}"), {_qn("w:val"): "single", _qn("w:sz"): size,
                                                       _qn("w:space"): space, _qn("w:color"): "000000"})
        left = block.left_mm + block.padding_mm
        right = self.fmt.text_width_mm - (block.left_mm + block.width_mm - block.padding_mm)
        SubElement(ppr, _qn("w:ind"), {_qn("w:left"): str(_twip(left * 72 / 25.4)),
                                       _qn("w:right"): str(_twip(max(right, 0) * 72 / 25.4)),
                                       _qn("w:firstLine"): "0"})

    def _paragraph(self, container, style_id: str, text: str = "", first: bool = False):
        """A paragraph in `container` (document or table cell); `first` reuses the cell's empty one.

        Built as XML with the style's id: python-docx's style lookup by name scans every style and
        would make a long report many times slower."""
        from docx.text.paragraph import Paragraph

        if first:
            p = container._element.find(_qn("w:p"))
        elif container is self.doc:
            p = self._new_p()
        else:
            p = container._element._add_p()
        _set_style(p, style_id)
        if text:
            lines = clean_text(text).split("\n")
            for index, line in enumerate(lines):
                if index:
                    p.append(_br())
                p.append(_run(line))
        return Paragraph(p, container)

    def _new_p(self):
        """A new w:p at the end of the body (before the section properties)."""
        p = _el("w:p")
        self._sect_pr.addprevious(p)
        return p

    @staticmethod
    def _rule(paragraph, rule: Rule) -> None:
        """Make `paragraph` a centred horizontal rule: its bottom border between equal left and
        right indents."""
        from docx.shared import Mm

        side = max((rule.available_mm - rule.length_mm) / 2, 0)
        paragraph.paragraph_format.left_indent = Mm(side)
        paragraph.paragraph_format.right_indent = Mm(side)
        _bottom_border(paragraph, rule.width_pt)

    # ------------------------------------------------------------------ tables
    def frame_table(self, block: FrameTable) -> None:
        """The header or the signature block: a borderless two-column table."""
        from docx.shared import Pt

        table = self._table(len(block.rows), block.left_mm, block.right_mm, block.indent_mm, block.cell_margin_mm)
        for row, cells in enumerate(block.rows):
            for col, paragraphs in enumerate(cells):
                if not paragraphs:
                    continue
                cell = table.cell(row, col)
                for index, para in enumerate(paragraphs):
                    paragraph = self.paragraph(para, cell, first=index == 0)
                    if index == 0 and block.space_before_pt:
                        paragraph.paragraph_format.space_before = Pt(block.space_before_pt)
        if block.keep_together:  # never split across pages
            for row in table.rows:
                row._tr.get_or_add_trPr().append(_el("w:cantSplit"))

    def data_table(self, block: DataTable) -> None:
        """A bordered grid of figures; the header row repeats on every page, rows never split.

        Written as one XML text and parsed once (see bench/README.md, "DOCX export"): python-docx's
        `add_table`, `column.cells` and per-cell width setters walked the table for every cell and were
        most of the export time of a report with several tables. The XML is what they made."""
        from xml.sax.saxutils import quoteattr

        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        size = str(max(2, round(block.border_pt * 8)))  # eighths of a point
        border = f' w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'
        side_margin = _twips(_mm_emu(block.cell_margin_mm))
        top_margin = _twips(_mm_emu(block.cell_margin_mm / 3))
        widths = [_twips(_mm_emu(w)) for w in block.widths_mm]
        parts = [f"<w:tbl {nsdecls('w')}><w:tblPr>", '<w:tblW w:type="auto" w:w="0"/><w:tblBorders>',
                 *(f"<w:{side}{border}" for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
                 '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>',
                 f'<w:top w:w="{top_margin}" w:type="dxa"/><w:left w:w="{side_margin}" w:type="dxa"/>'
                 f'<w:bottom w:w="{top_margin}" w:type="dxa"/><w:right w:w="{side_margin}" w:type="dxa"/>',
                 '</w:tblCellMar><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
                 'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
                 *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
        cell_starts = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/><w:vAlign w:val="center"/></w:tcPr>'
                       for w in widths]
        rich: list[Para] = []  # cells of a free table with runs and footnotes: their runs are added below
        for index, row in enumerate((block.header, *block.rows) if block.header else block.rows):
            parts.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if index == 0 and block.header
                         else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for col, para in enumerate(row):
                parts.append(cell_starts[col])
                parts.append(f"<w:p><w:pPr><w:pStyle w:val={quoteattr(para.style)}/></w:pPr>")
                if para.text:
                    parts.append(_text_runs_xml(para.text))
                parts.append("</w:p></w:tc>")
                rich.append(para)
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        table = parse_xml("".join(parts))
        if any(para.runs for para in rich):
            for p, para in zip(table.iter(_qn("w:p")), rich):
                _append_runs(p, para.runs)
        self._sect_pr.addprevious(table)
        self._paragraph(self.doc, "TableAfter")  # the room below the table (its style's space after)

    def picture(self, block: Picture) -> None:
        import io

        from docx.shared import Mm

        paragraph = self._paragraph(self.doc, block.style)
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", block.description)  # alternative text: what the chart shows
        doc_pr.set("name", f"Biểu đồ {doc_pr.get('id')}")

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
        pn = self.plan.page_numbers
        section = self.doc.sections[0]
        section.different_first_page_header_footer = not pn.shown_on(1)
        if pn.position == "top":
            main, first = section.header, section.first_page_header
        else:
            main, first = section.footer, section.first_page_footer
        main.is_linked_to_previous = False
        paragraph = main.paragraphs[0]
        _set_style(paragraph._p, HEADER_ID)
        for el in _page_field():
            paragraph._p.append(el)
        if not pn.shown_on(1):
            first.is_linked_to_previous = False
            _set_style(first.paragraphs[0]._p, HEADER_ID)

    # ------------------------------------------------------------------ footnotes part
    def finish_footnotes(self) -> None:
        if not self.plan.footnotes:
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
        for number, note in enumerate(self.plan.footnotes, start=1):
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

    def core_properties(self) -> None:
        import datetime as dt

        props = self.doc.core_properties
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        props.title = self.plan.document_name[:250]
        props.subject = ""
        props.author = self.plan.author[:250]
        props.last_modified_by = props.author
        props.comments = ""
        props.keywords = ""
        props.category = ""
        props.language = self.fmt.language
        props.revision = 1
        props.created = now
        props.modified = now


# ---------------------------------------------------------------------- XML helpers
_NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
_CLARK: dict[str, str] = {}
_MAKE = None


def _qn(tag: str) -> str:
    """ "w:p" → "{http://…/main}p" (cached)."""
    try:
        return _CLARK[tag]
    except KeyError:
        prefix, local = tag.split(":")
        _CLARK[tag] = clark = f"{{{_NAMESPACES[prefix]}}}{local}"
        return clark


def _el(tag: str, attrs: dict[str, str] | None = None):
    """A python-docx (oxml) element `tag` ("w:p") with attributes ({"w:val": "x"})."""
    global _MAKE
    if _MAKE is None:
        from docx.oxml.parser import oxml_parser

        _MAKE = oxml_parser.makeelement
    element = _MAKE(_qn(tag), nsmap=_WNSMAP)
    if attrs:
        for key, value in attrs.items():
            element.set(_qn(key), value)
    return element


_WNSMAP = {"w": _NAMESPACES["w"]}


def _twips(length) -> int:
    return int(round(length / 635))  # EMU → twentieths of a point


def _mm_emu(mm: float) -> int:
    return int(mm * 36000)  # as docx.shared.Mm: whole EMU


def _text_runs_xml(text: str) -> str:
    """The runs of a plain-text paragraph as XML text, exactly as `_paragraph` builds them: lines split
    by w:br runs, tabs as w:tab, NFC, XML-escaped."""
    from xml.sax.saxutils import escape

    out = []
    for index, line in enumerate(clean_text(text).split("\n")):
        if index:
            out.append("<w:r><w:br/></w:r>")
        pieces = line.split("\t")
        run = []
        for number, piece in enumerate(pieces):
            if number:
                run.append("<w:tab/>")
            if piece:
                run.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
        out.append(f"<w:r>{''.join(run)}</w:r>" if run else "<w:r/>")
    return "".join(out)


def _append_runs(p, runs) -> None:
    """A plan paragraph's runs and footnote references appended to the XML paragraph `p`."""
    for item in runs:
        if isinstance(item, Run):
            if item.text:
                p.append(_run(item.text, item.bold, item.italic, item.underline))
        elif isinstance(item, NoteRef):
            p.append(_footnote_reference(item.number))


def _run(text: str, bold: bool = False, italic: bool = False, underline: bool = False):
    """A w:r with text (tabs become w:tab), NFC, with direct bold/italic/underline only when set."""
    from lxml.etree import SubElement

    run = _el("w:r")
    if bold or italic or underline:
        rpr = SubElement(run, _qn("w:rPr"))
        if bold:
            SubElement(rpr, _qn("w:b"))
            SubElement(rpr, _qn("w:bCs"))
        if italic:
            SubElement(rpr, _qn("w:i"))
            SubElement(rpr, _qn("w:iCs"))
        if underline:
            SubElement(rpr, _qn("w:u")).set(_qn("w:val"), "single")
    text = clean_text(text)
    pieces = text.split("\t") if "\t" in text else (text,)
    for index, piece in enumerate(pieces):
        if index:
            SubElement(run, _qn("w:tab"))
        if piece:
            t = SubElement(run, _qn("w:t"))
            t.set(_XML_SPACE, "preserve")
            t.text = piece
    return run


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _set_style(p, style_id: str) -> None:
    """Give the w:p element the paragraph style `style_id` (its w:pStyle is the first pPr child)."""
    from lxml.etree import SubElement

    ppr = p.find(_qn("w:pPr"))
    if ppr is None:
        ppr = _el("w:pPr")
        p.insert(0, ppr)
    style = ppr.find(_qn("w:pStyle"))
    if style is None:
        style = SubElement(ppr, _qn("w:pStyle"))
        ppr.insert(0, style)
    style.set(_qn("w:val"), style_id)


def _styled_p(style_id: str):
    """A new w:p with the paragraph style `style_id` (built in one go: most of a report's paragraphs)."""
    from lxml.etree import SubElement

    p = _el("w:p")
    SubElement(SubElement(p, _qn("w:pPr")), _qn("w:pStyle")).set(_qn("w:val"), style_id)
    return p


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


_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _twip(points: float) -> int:
    return int(round(points * 20))


def _ppr_xml(text: TextStyle, spacing: Spacing, keep_next: bool = False, outline: int | None = None,
             widow: bool | None = None) -> str:
    """A style's paragraph properties, children in the schema's order."""
    parts = []
    if keep_next:
        parts.append("<w:keepNext/>")
    if widow is not None:
        parts.append("<w:widowControl/>" if widow else '<w:widowControl w:val="0"/>')
    before, after = _twip(spacing.space_before_pt), _twip(spacing.space_after_pt)
    if spacing.line_rule in ("exact", "at_least"):
        line, rule = _twip(spacing.line_spacing), "exact" if spacing.line_rule == "exact" else "atLeast"
    else:
        line, rule = int(round(240 * (spacing.line_spacing if spacing.line_rule == "multiple" else 1))), "auto"
    parts.append(f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{rule}"/>')
    indent = int(round(spacing.first_line_indent_cm / 2.54 * 1440))
    first = f'w:firstLine="{indent}"' if indent >= 0 else f'w:hanging="{-indent}"'
    parts.append(f'<w:ind w:left="0" w:right="0" {first}/>')
    parts.append(f'<w:jc w:val="{_JC[text.align]}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    return "".join(parts)


def _rpr_xml(font_name: str, size: float, bold: bool | None = None, italic: bool | None = None,
             underline: bool | None = None) -> str:
    """Run properties: the font on every script (so Vietnamese stays in it), bold, italic, size, underline."""
    from xml.sax.saxutils import quoteattr

    font = quoteattr(font_name)
    parts = [f"<w:rFonts w:ascii={font} w:hAnsi={font} w:eastAsia={font} w:cs={font}/>"]
    if bold is not None:
        parts.append("<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
    if italic is not None:
        parts.append("<w:i/><w:iCs/>" if italic else '<w:i w:val="0"/><w:iCs w:val="0"/>')
    half_points = int(round(size * 2))
    parts.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    if underline is not None:
        parts.append(f'<w:u w:val="{"single" if underline else "none"}"/>')
    return "".join(parts)
