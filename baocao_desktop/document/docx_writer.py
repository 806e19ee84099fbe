"""DOCX writer for official documents (Party and State formats; the layout comes from a format file).

`write_docx(model, path)` lays a DocumentModel out as Word expects a hand-made report to be, so the
office can keep editing it in Word: paragraph styles (Normal, Heading 1-5, footnote text, one named
style per header/signature element), real Word footnotes (python-docx has no footnote API, so the
footnotes part is added here), a PAGE field centred in the header with no number on page 1, and
borderless tables for the header and the signature block, bordered data tables whose heading row
repeats on every page, charts (ChartBlock: a PNG picture under its title) and the end mark ("./.").
All text is written in Unicode NFC.

Party and State documents differ only by their format files: the motto's lines and its rule, the
mark under the issuer ("*" or a short rule), the number pattern ("Số 12-BC/ĐU" / "Số: 12/BC-UBND"),
where the issuer's name wraps, the separator under the summary, sizes and styles; there is no code
path per format.

A file that cannot be written raises DocumentWriteError (Vietnamese message) and leaves the target
as it was: the document goes to a temporary file in the same folder, is flushed and renamed.

python-docx is imported inside the functions: it must stay off the application's start-up path.
Paragraphs and styles are built as XML directly (see bench/README.md, "DOCX export") because
python-docx's lookups by style name made a long report many times slower.
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
from .model import Body, ChartBlock, DocumentModel, Heading, TableBlock
from ..domain.errors import UserError

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document as DocxDocument

# Style ids (ASCII, stable: tests and later readers look them up) → shown names in Word.
STYLE_NAMES = {
    "PageTop": "Dòng neo đầu trang",
    "UpperBody": "Cơ quan cấp trên",
    "Issuer": "Cơ quan ban hành",
    "IssuerStar": "Dấu sao",
    "DocNumber": "Số và ký hiệu",
    "PartyMotto": "Tiêu đề, Quốc hiệu",
    "Motto2": "Tiêu ngữ",
    "Motto3": "Tiêu đề dòng 3",
    "Motto4": "Tiêu đề dòng 4",
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
    "ChartTitle": "Tên biểu đồ",
    "ChartPicture": "Biểu đồ",
}
MOTTO_STYLES = ("PartyMotto", "Motto2", "Motto3", "Motto4")
HEADING_LEVELS = 5
FOOTNOTE_TEXT_ID = "FootnoteText"
FOOTNOTE_REF_ID = "FootnoteReference"

# Characters XML 1.0 cannot hold (Word pastes sometimes carry them): dropped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str | None) -> str:
    """NFC, no characters XML cannot store."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _XML_INVALID.sub("", text) if _XML_INVALID.search(text) else text


def number_line(model: DocumentModel, fmt: DocumentFormat) -> str:
    """ "Số 12-BC/ĐU" (Party), "Số: 12/BC-UBND" (State): the format's pattern, numbers below 10 padded
    as the format says ("05"); the blank to fill by hand when the number is not given yet."""
    line = fmt.header.number
    number = clean_text(model.number).strip()
    pattern = line.pattern if number else line.blank
    return clean_text(pattern.format(number=line.pad(number), doc_type=clean_text(model.doc_type).strip(),
                                     issuer_symbol=clean_text(model.issuer_symbol).strip()))


def issuer_lines(model: DocumentModel, fmt: DocumentFormat) -> str:
    """The issuer's name as printed: wrapped before the first word the format names (State:
    "ỦY BAN NHÂN DÂN" / "XÃ LÙNG PHÌNH"), in the format's case; lines joined by "\n"."""
    h = fmt.header
    name = " ".join(clean_text(model.issuer).split())
    if h.issuer_breaks and "\n" not in name:
        words = "|".join(re.escape(w) for w in sorted(h.issuer_breaks, key=len, reverse=True))
        match = re.search(rf"\s(?=(?:{words})(?!\w))", name, flags=re.IGNORECASE)
        if match is not None and match.start() > 0:
            name = name[:match.start()] + "\n" + name[match.end():]
    return h.issuer.apply_case(name)


_TRAILING = " \t.;,:/"


def with_end_mark(text: str, mark: str) -> str:
    """ "… xã Bình Lư." → "… xã Bình Lư./." (the format's end mark, once, after the last word)."""
    text = text.rstrip()
    if not mark or text.endswith(mark):
        return text
    return text.rstrip(_TRAILING) + mark


def date_line(model: DocumentModel, fmt: DocumentFormat) -> str:
    """ "Lùng Phình, ngày 08 tháng 6 năm 2026", or the blank "…, ngày    tháng    năm 20  "."""
    place = clean_text(model.place).strip()
    if model.date is None:
        return clean_text(fmt.header.date_line.blank.format(place=place))
    return clean_text(format_date_line(place, model.date))


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
    detail = exc.strerror or str(exc) or type(exc).__name__
    reason = f"lỗi hệ thống ({detail})"
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
    document = build_document(model, fmt)
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


def build_document(model: DocumentModel, fmt: DocumentFormat) -> "DocxDocument":
    """The python-docx Document for `model` (not saved)."""
    import docx

    document = docx.Document()
    writer = _Writer(document, fmt)
    writer.setup()
    writer.header_table(model)
    writer.title_block(model)
    blocks = list(model.blocks)
    has_closing = bool(clean_text(model.closing).strip())
    if not has_closing and fmt.end_mark and blocks and isinstance(blocks[-1], Body):
        blocks[-1] = Body(_content_with_end_mark(blocks[-1].content, fmt.end_mark))
        has_closing = True  # the mark is placed
    for block in blocks:
        if isinstance(block, Heading):
            writer.heading(block)
        elif isinstance(block, Body):
            writer.body(block.content)
        elif isinstance(block, TableBlock):
            writer.data_table(block)
        elif isinstance(block, ChartBlock):
            writer.chart(block)
        else:  # pragma: no cover - the model allows only these
            raise TypeError(f"unknown block {block!r}")
    if clean_text(model.closing).strip():
        writer.closing(model.closing)
    elif not has_closing and fmt.end_mark and blocks:
        writer.closing(fmt.end_mark)  # the text ends with a table or a chart: the mark after it
    writer.signature_table(model)
    writer.page_numbers()
    writer.finish_footnotes()
    writer.core_properties(model)
    return document


def table_column_widths(block: TableBlock, fmt: DocumentFormat) -> list[float]:
    """Column widths (mm) summing to the text width, sized to the content (Times metrics):

    the figure columns are at least as wide as their longest figure and the longest word of their
    heading (so "5.575.813.000" and "(người)" never break), the label column as wide as its longest
    label up to label_width_ratio of the text width (never below label_min_width_ratio), and the
    room left over is shared equally by the figure columns. When even that cannot fit, headings may
    wrap inside words but figures still fit; as a last resort the widths follow the figures."""
    from .metrics import text_width_mm

    t = fmt.tables
    total = fmt.text_width_mm
    columns = len(block.header)
    if columns <= 1:
        return [total] * columns
    pad = 2 * t.cell_margin_mm + 1.0
    totals = set(block.total_rows)

    def longest(texts, style, whole: bool = False) -> float:
        widest = 0.0
        for text in texts:
            for piece in ([clean_text(text)] if whole else clean_text(text).split()):
                widest = max(widest, text_width_mm(piece, style.size, style.bold, style.italic))
        return widest + pad

    def cells(col: int, total_rows: bool):
        return [row[col] for r, row in enumerate(block.rows) if col < len(row) and (r in totals) == total_rows]

    figures = [max(longest(cells(c, False), t.cell), longest(cells(c, True), t.total)) for c in range(1, columns)]
    wanted = [max(f, longest([block.header[c]], t.header)) for f, c in zip(figures, range(1, columns))]
    labels = cells(0, False)
    label_min = max(total * t.label_min_width_ratio,
                    min(longest(labels + cells(0, True), t.label), total * t.label_width_ratio))
    label = max(label_min, min(longest(labels, t.label, whole=True), total * t.label_width_ratio))
    for needs in (wanted, figures):
        for label_width in (label, label_min):
            rest = total - label_width
            if sum(needs) <= rest:
                extra = (rest - sum(needs)) / len(needs)
                return [label_width] + [n + extra for n in needs]
    rest = total - label_min
    if sum(figures) <= rest:  # pragma: no cover - covered by the loop above
        return [label_min] + figures
    return [label_min] + [rest * f / sum(figures) for f in figures]


def _content_with_end_mark(content, mark: str) -> tuple:
    """A body paragraph's runs with the end mark after its last word (before trailing footnotes)."""
    items = list(content)
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        if isinstance(item, Run) and item.text.strip():
            if "".join(i.text for i in items if isinstance(i, Run)).rstrip().endswith(mark):
                return tuple(items)
            items[index] = Run(with_end_mark(clean_text(item.text), mark), item.bold, item.italic, item.underline)
            return tuple(items)
    return tuple(items) + (Run(mark),)


class _Writer:
    def __init__(self, document, fmt: DocumentFormat):
        self.doc = document
        self.fmt = fmt
        self.footnotes: list[Footnote] = []
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
        mark = h.mark()
        if mark.kind == "rule":  # a paragraph as high as the gap, its bottom border is the rule
            self._custom("IssuerStar", TextStyle(size=1, align="center"),
                         Spacing(line_rule="exact", line_spacing=max(mark.rule_gap_pt, 1.0)))
        else:
            self._custom("IssuerStar", mark.style, table_sp)
        self._custom("DocNumber", h.number.style, table_sp)
        for style_id, line in zip(MOTTO_STYLES, h.motto.all_lines()):
            self._custom(style_id, line.style, table_sp)
        gap = max(h.motto.rule_gap_pt, 1.0)
        self._custom("MottoRule", TextStyle(size=1, align="center"),
                     Spacing(line_rule="exact", line_spacing=gap))
        self._custom("DateLine", h.date_line.style, table_sp)
        self._custom("DocTitle", fmt.title.text, fmt.title.spacing, keep_next=True)
        self._custom("DocSummary", fmt.summary.text, fmt.summary.spacing, keep_next=True)
        sep = fmt.separator
        if sep.kind == "rule":
            self._custom("SummaryRule", TextStyle(size=1, align="center"), sep.spacing)
        else:
            self._custom("SummaryRule", sep.style, sep.spacing)
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
        c = fmt.charts
        if c is not None:
            self._custom("ChartTitle", c.title.text, c.title.spacing, keep_next=True)
            self._custom("ChartPicture", TextStyle(size=fmt.body.text.size, align="center"),
                         Spacing(space_before_pt=c.space_before_pt, space_after_pt=c.space_after_pt))
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

    def _custom(self, style_id: str, text: TextStyle, spacing: Spacing, keep_next: bool = False) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        style = self._get_or_add(style_id, STYLE_NAMES[style_id], WD_STYLE_TYPE.PARAGRAPH)
        style.element.basedOn_val = "Normal"
        style.quick_style = True
        self._define(style, text, spacing, keep_next=keep_next)

    def _define(self, style, text: TextStyle, spacing: Spacing, keep_next: bool = False,
                outline: int | None = None, widow: bool | None = None) -> None:
        """Rewrite a paragraph style's formatting completely from the format file.

        The w:pPr and w:rPr are written as XML text in schema order and parsed once: python-docx's
        property setters look up each element's many possible successors and were most of the
        writer's set-up time."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        element = style.element
        element.remove_all("w:pPr", "w:rPr")
        ppr = parse_xml(f"<w:pPr {nsdecls('w')}>{_ppr_xml(text, spacing, keep_next, outline, widow)}</w:pPr>")
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

    def header_table(self, model: DocumentModel) -> None:
        h = self.fmt.header
        mark = h.mark()
        left: list[tuple[str, str]] = []
        if clean_text(model.upper_body).strip():
            left.append(("UpperBody", h.upper_body.apply_case(" ".join(clean_text(model.upper_body).split()))))
        left.append(("Issuer", issuer_lines(model, self.fmt)))
        left.append(("IssuerStar", mark.text if mark.kind == "text" else ""))
        left.append(("DocNumber", number_line(model, self.fmt)))
        # A 1 pt paragraph before the table: LibreOffice otherwise adds a body-sized blank line above
        # a table that opens a document with footnotes (and Word keeps a paragraph there anyway).
        self._paragraph(self.doc, "PageTop")
        table = self._table(len(left), h.left_width_mm, h.right_width_mm, h.indent_mm, h.cell_margin_mm)
        for row, (style_id, text) in enumerate(left):
            paragraph = self._paragraph(table.cell(row, 0), style_id, text, first=True)
            if style_id == "IssuerStar" and mark.kind == "rule":
                self._rule(paragraph, mark.rule_length_mm, h.left_width_mm - 2 * h.cell_margin_mm,
                           mark.rule_width_pt)
        motto_cell = table.cell(0, 1)
        lines = h.motto.all_lines()
        for index, (style_id, line) in enumerate(zip(MOTTO_STYLES, lines)):
            self._paragraph(motto_cell, style_id, line.style.apply_case(line.text), first=index == 0)
        if h.motto.rule == "underline":
            for run in motto_cell.paragraphs[len(lines) - 1].runs:
                run.underline = True
        elif h.motto.rule_length_mm > 0:
            rule = self._paragraph(motto_cell, "MottoRule")
            self._rule(rule, h.motto.rule_length_mm, h.right_width_mm - 2 * h.cell_margin_mm,
                       h.motto.rule_width_pt)
        for row in range(1, len(left) - 1):
            _set_style(table.cell(row, 1)._element.find(_qn("w:p")), "DateLine")
        self._paragraph(table.cell(len(left) - 1, 1), "DateLine", date_line(model, self.fmt), first=True)

    @staticmethod
    def _rule(paragraph, length_mm: float, available_mm: float, width_pt: float) -> None:
        """Make `paragraph` a centred horizontal rule `length_mm` long (its bottom border between
        equal left and right indents) in a space `available_mm` wide."""
        from docx.shared import Mm

        side = max((available_mm - length_mm) / 2, 0)
        paragraph.paragraph_format.left_indent = Mm(side)
        paragraph.paragraph_format.right_indent = Mm(side)
        _bottom_border(paragraph, width_pt)

    def title_block(self, model: DocumentModel) -> None:
        fmt = self.fmt
        body = self.doc
        if clean_text(model.title).strip():
            self._paragraph(body, "DocTitle", fmt.title.text.apply_case(clean_text(model.title).strip()))
        if clean_text(model.summary).strip():
            self._paragraph(body, "DocSummary", fmt.summary.text.apply_case(clean_text(model.summary).strip()))
        sep = fmt.separator
        if sep.kind == "rule":
            self._rule(self._paragraph(body, "SummaryRule"), sep.rule_length_mm, fmt.text_width_mm,
                       sep.rule_width_pt)
        else:
            self._paragraph(body, "SummaryRule", sep.text)

    def heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), HEADING_LEVELS)
        number = clean_text(block.number).strip()
        title = clean_text(block.title).strip()
        text = f"{number} {title}" if number and title else (number or title)
        text = self.fmt.heading(level).text.apply_case(text)
        p = self._new_p()
        _set_style(p, f"Heading{level}")
        p.append(_run(text))

    def body(self, content) -> None:
        p = self._new_p()
        _set_style(p, "Normal")
        self._inline(p, content)

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
        widths_mm = table_column_widths(block, self.fmt)
        for index, column in enumerate(table.columns):
            column_width = Mm(widths_mm[index])
            column.width = column_width
            for cell in column.cells:
                cell.width = column_width
        for row_index, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(_el("w:cantSplit"))
            if row_index == 0:
                tr_pr.append(_el("w:tblHeader"))
        cells = table._cells  # computed once: table.cell(r, c) walks the whole table each time
        for col, text in enumerate(block.header):
            self._paragraph(cells[col], "TableHeader", text, first=True)
        totals = set(block.total_rows)
        for r, values in enumerate(block.rows):
            total = r in totals
            for col in range(columns):
                text = values[col] if col < len(values) else ""
                style = ("TableTotalLabel" if col == 0 else "TableTotal") if total else \
                    ("TableLabel" if col == 0 else "TableCell")
                self._paragraph(cells[(r + 1) * columns + col], style, text, first=True)
        for cell in cells:
            tc_pr = cell._tc.get_or_add_tcPr()
            tc_pr.append(_el("w:vAlign", {"w:val": "center"}))
        self._paragraph(self.doc, "TableAfter")

    def chart(self, block: ChartBlock) -> None:
        """The chart's title (caption) above, the picture centred, as wide as asked but never wider
        than the format's maximum or the text width."""
        import io

        from docx.shared import Mm

        from .charts import ChartError

        c = self.fmt.charts
        if c is None:
            raise TypeError("the format file has no charts section")
        try:
            png = block.picture()
        except ChartError:
            return  # cannot be drawn here (matplotlib missing): the document goes without it
        title = clean_text(block.title).strip()
        if title:
            self._paragraph(self.doc, "ChartTitle", title)
        paragraph = self._paragraph(self.doc, "ChartPicture")
        width = min(max(block.width_mm, 20.0), c.max_width_mm, self.fmt.text_width_mm)
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(png), width=Mm(width))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", title)  # alternative text: what the chart shows
        doc_pr.set("name", f"Biểu đồ {doc_pr.get('id')}")

    def closing(self, text: str) -> None:
        self._paragraph(self.doc, "Closing", with_end_mark(clean_text(text), self.fmt.end_mark))

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
        _set_style(paragraph._p, "Header")
        for el in _page_field():
            paragraph._p.append(el)
        if not pn.show_on_first_page:
            first.is_linked_to_previous = False
            _set_style(first.paragraphs[0]._p, "Header")

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
