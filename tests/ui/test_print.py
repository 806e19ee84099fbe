"""Print preview, printing and the PDF fallback (pytest-qt, offscreen): the pages are laid out like
the DOCX (A4, the format's margins, footnotes at the foot of the page that cites them, page numbers
from page 2) and the PDF action says which engine made the file."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
pypdf = pytest.importorskip("pypdf")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QPageLayout, QPageSize  # noqa: E402
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget  # noqa: E402
from PySide6.QtWidgets import QToolBar  # noqa: E402

from baocao_desktop.document.formats import load_format  # noqa: E402
from baocao_desktop.document.model import Body, DocumentModel, Heading, Signer, TableBlock  # noqa: E402
from baocao_desktop.domain.richtext import Footnote, Run  # noqa: E402
from baocao_desktop.ui import print_preview  # noqa: E402
from baocao_desktop.ui.main_window import MainWindow  # noqa: E402
from baocao_desktop.ui.print_document import PrintDocument, mm, write_pdf  # noqa: E402

SIGNER = "Lù Văn Chính"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo database for the module (loading the demo takes seconds)."""
    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace
    ws = Workspace(tmp_path_factory.mktemp("print") / "demo.sqlite3", author="tester")
    load_demo(ws)
    yield ws
    ws.close()


def weekly_id(ws) -> str:
    """The weekly report of 08–14/6/2026 (three footnotes)."""
    return next(r.id for r in ws.list_reports()
                if r.template_code == "bc_tuan" and r.period.start == dt.date(2026, 6, 8))


@pytest.fixture(scope="module")
def weekly_model(demo):
    return demo.document_model(weekly_id(demo))


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(str(path)).pages]


def squash(text: str) -> str:
    return " ".join(text.split())


def long_model(rows: int = 60) -> DocumentModel:
    """A report with a data table longer than a page, footnotes and a closing."""
    body = "Trong tuần, các cấp ủy tiếp tục lãnh đạo thực hiện nhiệm vụ chính trị của địa phương. " * 3
    blocks = [Heading(1, "I.", "KẾT QUẢ"),
              Body((Run(body), Footnote(((Run("Chú thích thứ nhất về số liệu."),),)))),
              Heading(2, "1.", "Các thôn"),
              TableBlock("Số hộ theo thôn", ("Nội dung", "Số hộ (hộ)", "Số khẩu (người)"),
                         tuple((f"Thôn số {i}", str(100 + i), str(400 + i)) for i in range(1, rows + 1))
                         + (("Tổng số", "9.999", "99.999"),), (rows,)),
              Heading(2, "2.", "Phương hướng"),
              Body((Run(body), Footnote(((Run("Chú thích thứ hai, ở trang sau."),),))))]
    return DocumentModel(
        format_code="party", upper_body="Đảng bộ tỉnh Lào Cai", issuer="Đảng ủy xã Lùng Phình", issuer_symbol="ĐU",
        doc_type="BC", number="12", place="Lùng Phình", date=dt.date(2026, 6, 15), title="BÁO CÁO",
        summary="Số hộ và nhân khẩu các thôn", blocks=tuple(blocks), closing="Trên đây là báo cáo./.",
        signer=Signer("T/M BAN THƯỜNG VỤ", "BÍ THƯ", SIGNER), recipients=("- Ban Thường vụ Tỉnh ủy (b/c),",))


# == the Qt PDF (no LibreOffice) ========================================================================
def test_qt_pdf_is_a4_with_title_heading_footnote_and_signer(qapp, weekly_model, tmp_path):
    target = tmp_path / "Báo cáo tuần.pdf"
    assert write_pdf(weekly_model, target) == target
    reader = pypdf.PdfReader(str(target))
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 0.5 and abs(float(page.mediabox.height) - 841.89) < 0.5
    pages = [squash(p.extract_text()) for p in reader.pages]
    first = pages[0]
    assert "BÁO CÁO" in first and "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "Số 118-BC/ĐU" in first
    assert "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO CỦA ĐẢNG ỦY" in first
    # the first footnote's text is at the foot of page 1, where it is cited
    note = next(x for b in weekly_model.blocks if isinstance(b, Body) for x in b.content if isinstance(x, Footnote))
    assert squash(note.plain_text())[:60] in first
    assert SIGNER in pages[-1] and "Nơi nhận:" in pages[-1]
    assert [p.name for p in tmp_path.iterdir()] == ["Báo cáo tuần.pdf"]  # no temporary file left


def test_page_numbers_from_page_two(qapp, weekly_model, tmp_path):
    target = write_pdf(weekly_model, tmp_path / "a.pdf")
    pages = pdf_pages(target)
    assert len(pages) >= 3
    assert not pages[0].lstrip().startswith("1")
    assert pages[1].lstrip().startswith("2")
    assert pages[2].lstrip().startswith("3")


def test_pdf_pages_match_the_layout(qapp, weekly_model, tmp_path):
    document = PrintDocument(weekly_model)
    pages = pdf_pages(write_pdf(weekly_model, tmp_path / "b.pdf"))
    assert len(pages) == document.page_count
    for index, text in enumerate(pages):
        first_line = document.page_text(index).split("\n")[0]
        assert squash(first_line)[:30] in squash(text)


# == layout ==============================================================================================
def test_page_size_and_margins_are_the_formats(qapp, weekly_model):
    fmt = load_format("party")
    document = PrintDocument(weekly_model)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    document.configure(printer)
    layout = printer.pageLayout()
    assert layout.pageSize().id() == QPageSize.PageSizeId.A4
    assert layout.orientation() == QPageLayout.Orientation.Portrait
    margins = layout.margins(QPageLayout.Unit.Millimeter)
    assert (round(margins.left(), 1), round(margins.top(), 1), round(margins.right(), 1), round(margins.bottom(), 1)) \
        == (fmt.margins.left, fmt.margins.top, fmt.margins.right, fmt.margins.bottom)
    assert printer.fullPage()
    assert document.text_w == pytest.approx(mm(fmt.page.width_mm - fmt.margins.left - fmt.margins.right))
    assert document.text_h == pytest.approx(mm(fmt.page.height_mm - fmt.margins.top - fmt.margins.bottom))
    for page in document.pages:  # nothing runs into the bottom margin
        used = sum(s.bottom - s.top for s in page.slices)
        if page.notes:
            start, end = page.notes
            used += document.sep_h + document.note_units[end - 1].bottom - document.note_units[start].top
        assert used <= document.text_h + 1


def test_body_is_justified_with_the_formats_indent_and_font(qapp, weekly_model):
    fmt = load_format("party")
    document = PrintDocument(weekly_model)
    block = document.body.begin()
    while block.isValid() and not block.text().startswith("Trong tuần"):
        block = block.next()
    assert block.isValid()
    from PySide6.QtCore import Qt
    assert block.blockFormat().alignment() & Qt.AlignmentFlag.AlignJustify
    assert block.blockFormat().textIndent() == pytest.approx(mm(fmt.body.spacing.first_line_indent_cm * 10))
    assert block.blockFormat().lineHeight() == pytest.approx(fmt.body.spacing.line_spacing * 20)
    font = block.charFormat().font()
    assert font.families()[0] in (fmt.font_name, "Liberation Serif", "Tinos")
    assert font.pixelSize() == round(fmt.body.text.size * 20)


def test_footnotes_sit_on_the_page_that_cites_them(qapp, weekly_model):
    document = PrintDocument(weekly_model)
    for number, unit_index in ((n, i) for i, u in enumerate(document.units) for n in u.notes):
        page = next(p for p in document.pages
                    if any(s.top <= document.units[unit_index].top < s.bottom for s in p.slices))
        assert page.notes is not None
        start, end = page.notes
        first_line = document.note_span[number][0]
        assert start <= first_line < end  # the footnote starts on the page of its reference


def test_long_table_repeats_its_header_and_keeps_headings_with_text(qapp):
    document = PrintDocument(long_model())
    assert document.page_count >= 2
    table_pages = [i for i, p in enumerate(document.pages) if any(u.table is not None for u in document.units
                                                                  if any(s.top <= u.top < s.bottom for s in p.slices))]
    assert len(table_pages) >= 2
    continued = document.page_text(table_pages[1])
    assert continued.startswith("Nội dung")  # the header row again at the top of the next page
    for page in document.pages[:-1]:  # no page ends on a heading or a table's header row
        last = max((i for i, u in enumerate(document.units)
                    if page.slices and page.slices[-1].top <= u.top < page.slices[-1].bottom), default=None)
        assert last is not None and not document.units[last].keep
    # the second footnote is on the page citing it, not with the first one
    assert "Chú thích thứ hai" not in document.page_text(0)
    assert "Chú thích thứ hai" in document.page_text(document.page_count - 1)


def test_long_footnote_continues_on_the_next_page(qapp):
    long_note = Footnote(tuple((Run(f"Đoạn chú thích số {i}: " + "nội dung rất dài của chú thích. " * 6),)
                               for i in range(1, 30)))
    text = "Nội dung báo cáo trong tuần về tình hình kinh tế - xã hội của địa phương. " * 4
    model = long_model(rows=3)
    model = DocumentModel(**{**model.__dict__, "blocks": (
        Heading(1, "I.", "KẾT QUẢ"), Body((Run(text), long_note)), *(Body((Run(text),)) for _ in range(12)))})
    document = PrintDocument(model)
    with_notes = [p for p in document.pages if p.notes]
    assert len(with_notes) >= 2  # started on page 1, continued after
    spans = [p.notes for p in with_notes]
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))  # no footnote line lost or repeated
    assert spans[-1][1] == len(document.note_units)


# == preview dialog and print ========================================================================
def test_preview_dialog_shows_the_pages(qtbot, demo, settings):
    window = MainWindow(demo, settings)
    qtbot.addWidget(window)
    shown = []
    window.preview_hook = shown.append
    report_id = weekly_id(demo)
    window.table.selectRow(next(r for r in range(window.table.rowCount()) if window._row_report_id(r) == report_id))
    assert window.act_preview.isEnabled() and window.act_preview.text() == "&In / Xem trước khi in…"
    window.act_preview.trigger()
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.addWidget(dialog)
    assert dialog.windowTitle().startswith("Xem trước khi in — Báo cáo tuần")
    texts = [a.text() for t in dialog.findChildren(QToolBar) for a in t.actions() if a.isVisible() and a.text()]
    assert "In…" in texts and "Trang sau" in texts and "Print" not in texts and "Landscape" not in texts
    preview = dialog.findChild(QPrintPreviewWidget)
    dialog.show()
    preview.updatePreview()
    assert preview.pageCount() == dialog._document.page_count


def test_print_paints_every_page_on_the_printer(qapp, weekly_model, tmp_path):
    """Printing goes through the same paint loop; a PDF printer stands in for the office printer."""
    document = PrintDocument(weekly_model)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "in.pdf"))
    document.configure(printer)
    printer.setFromTo(2, 3)  # pages chosen in the print dialog
    document.render(printer)
    pages = pdf_pages(tmp_path / "in.pdf")
    assert len(pages) == 2 and pages[0].lstrip().startswith("2")


def test_file_menu_has_print_pdf_and_import(qtbot, demo, settings):
    window = MainWindow(demo, settings)
    qtbot.addWidget(window)
    menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in menu.actions()]
    for text in ("In / Xem trước khi in…", "Xuất PDF…", "Nhập từ tệp Word…"):
        assert text in [t.replace("&", "") for t in texts]


# == PDF action: LibreOffice when found, else Qt, and it says which ================================
def test_pdf_action_uses_libreoffice_when_found(qtbot, demo, settings, tmp_path, monkeypatch):
    calls = []

    def fake_convert(docx, out, timeout=180, soffice=None):
        calls.append(Path(docx).read_bytes()[:2])
        Path(out).write_bytes(b"%PDF-1.4 from LibreOffice")
        return Path(out)

    monkeypatch.setattr(print_preview.pdf_module, "find_soffice", lambda: Path("/opt/libreoffice/program/soffice"))
    monkeypatch.setattr(print_preview.pdf_module, "docx_to_pdf", fake_convert)
    window = MainWindow(demo, settings)
    qtbot.addWidget(window)
    done = []
    window.pdf_done_hook = lambda path, engine: done.append((path, engine))
    target = tmp_path / "Báo cáo tuần.pdf"
    engine = window.export_pdf(weekly_id(demo), target)
    assert engine == print_preview.ENGINE_LIBREOFFICE
    qtbot.waitUntil(lambda: bool(done), timeout=30000)
    assert done == [(str(target), "libreoffice")]
    assert calls == [b"PK"]  # LibreOffice got the DOCX
    box = print_preview.pdf_done_box(window, *done[0])
    qtbot.addWidget(box)
    assert box.text() == "Đã tạo PDF bằng LibreOffice."
    assert sorted(b.text() for b in box.buttons()) == ["Mở thư mục", "Mở tệp", "Đóng"]


@pytest.mark.parametrize("raised, bug", [
    (lambda: print_preview.pdf_module.PdfError("LibreOffice không chuyển được tệp sang PDF. Hãy thử lại."), False),
    (lambda: RuntimeError("internal detail"), True),
])
def test_pdf_failure_on_the_runner_says_user_errors_and_logs_bugs(qtbot, demo, settings, tmp_path, monkeypatch,
                                                                  raised, bug):
    from baocao_desktop.services import logs
    log_file = logs.setup_logging(tmp_path / "logs" / "baocao.log")

    def failing_convert(docx, out, timeout=180, soffice=None):
        raise raised()

    monkeypatch.setattr(print_preview.pdf_module, "find_soffice", lambda: Path("/opt/libreoffice/program/soffice"))
    monkeypatch.setattr(print_preview.pdf_module, "docx_to_pdf", failing_convert)
    shown = []
    monkeypatch.setattr(print_preview, "show_failure",
                        lambda parent, title, failure, **kw: shown.append((title, failure)))
    window = MainWindow(demo, settings)
    qtbot.addWidget(window)
    assert window.export_pdf(weekly_id(demo), tmp_path / "a.pdf") == print_preview.ENGINE_LIBREOFFICE
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    logs.stop_logging()
    title, failure = shown[0]
    assert title == "Không xuất được PDF" and failure.bug is bug
    if bug:  # never the exception's own text; its traceback is in the log the message names
        assert "internal detail" not in failure.message + failure.hint and str(log_file) in failure.hint
        assert "RuntimeError: internal detail" in log_file.read_text(encoding="utf-8")
    else:
        assert failure.message == "LibreOffice không chuyển được tệp sang PDF. Hãy thử lại."


def test_pdf_action_falls_back_to_qt_and_says_so(qtbot, demo, settings, tmp_path, monkeypatch):
    monkeypatch.setattr(print_preview.pdf_module, "find_soffice", lambda: None)
    window = MainWindow(demo, settings)
    qtbot.addWidget(window)
    done = []
    window.pdf_done_hook = lambda path, engine: done.append((path, engine))
    target = tmp_path / "Báo cáo tuần.pdf"
    monkeypatch.setattr(print_preview, "ask_pdf_path", lambda win, name: (done.append(name), target)[1])
    window.table.selectRow(next(r for r in range(window.table.rowCount())
                                if window._row_report_id(r) == weekly_id(demo)))
    window.act_pdf.trigger()
    qtbot.waitUntil(lambda: len(done) == 2)
    assert done[0].endswith(".pdf") and "Báo cáo tuần" in done[0]  # the suggested name
    assert done[1] == (str(target), "qt")
    assert SIGNER in squash(pdf_pages(target)[-1])
    box = print_preview.pdf_done_box(window, str(target), "qt", window._pdf_notice)
    qtbot.addWidget(box)
    assert box.text() == "Đã tạo PDF bằng bộ dựng trang của chương trình (chưa có LibreOffice)."
    # a draft says so under the file, with its open errors, as the DOCX export's box does
    assert demo.report(weekly_id(demo)).status == "draft"
    assert box.informativeText().startswith(str(target))
    assert "Bản dự thảo (có dấu “DỰ THẢO”, chưa ký): " in box.informativeText()


def test_pdf_failure_is_vietnamese(qtbot, demo, settings, tmp_path, monkeypatch):
    monkeypatch.setattr(print_preview.pdf_module, "find_soffice", lambda: None)
    errors = []
    monkeypatch.setattr(print_preview, "show_failure",
                        lambda parent, title, failure, **kw: errors.append((title, failure.message, failure.bug)))
    window = MainWindow(demo, settings)
    qtbot.addWidget(window)
    window.export_pdf(weekly_id(demo), tmp_path / "không có" / "a.pdf")
    assert errors and errors[0][0] == "Không xuất được PDF" and "không tồn tại" in errors[0][1]
    assert errors[0][2] is False  # the user's to fix, not "Lỗi chương trình"


# == the State format, charts, the end mark ==========================================================
def png_bytes(width: int = 1200, height: int = 600) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QPainter
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillRect(100, 100, 300, 400, QColor("steelblue"))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_state_format_with_chart_and_end_mark(qapp, tmp_path):
    from baocao_desktop.document.model import ChartBlock
    fmt = load_format("state")
    text = "Ủy ban nhân dân xã tiếp tục chỉ đạo thực hiện nhiệm vụ phát triển kinh tế - xã hội. " * 2
    model = DocumentModel(
        format_code="state", upper_body="", issuer="Ủy ban nhân dân xã Bình Lư", issuer_symbol="UBND", doc_type="BC",
        number="5", place="Bình Lư", date=dt.date(2026, 6, 15), title="BÁO CÁO",
        summary="Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2026",
        blocks=(Heading(1, "I.", "KẾT QUẢ"), Body((Run(text),)), ChartBlock("Biểu đồ thu ngân sách", png_bytes(), 150),
                Body((Run(text.strip()),))),
        signer=Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"), recipients=("- Lưu: VT.",))
    document = PrintDocument(model)
    first = document.page_text(0)
    for line in fmt.header.motto.all_lines():
        assert line.style.apply_case(line.text) in first
    assert "Số: 05/BC-UBND" in first
    # rules drawn: under the issuer, under the motto, under the summary (State), with the format's lengths
    lengths = sorted(round(x2 - x1) for x1, _y, x2, _w in document.decorations)
    expected = [fmt.header.mark().rule_length_mm, fmt.header.motto.rule_length_mm]
    if fmt.separator.kind == "rule":
        expected.append(fmt.separator.rule_length_mm)
    assert lengths == sorted(round(mm(v)) for v in expected)
    assert document.charts == ["bieu-do-1.png"]
    all_text = "\n".join(document.page_text(i) for i in range(document.page_count))
    assert "phát triển kinh tế - xã hội./." in all_text  # the end mark after the last paragraph
    reader = pypdf.PdfReader(str(write_pdf(model, tmp_path / "state.pdf")))
    assert sum(len(page.images) for page in reader.pages) == 1  # the chart is in the PDF
    assert "Nguyễn Văn An" in squash(reader.pages[-1].extract_text())


# == DOCX / preview parity: both draw the same layout plan ===========================================
def docx_paragraph_texts(path: Path) -> list[str]:
    """Every paragraph of the DOCX body in document order (table cells row by row), footnote
    references as their numbers, line breaks as "\n"."""
    import zipfile

    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{w}body")
    out = []
    for p in body.iter(f"{w}p"):
        text = []
        for el in p.iter(f"{w}t", f"{w}br", f"{w}tab", f"{w}footnoteReference"):
            if el.tag == f"{w}t":
                text.append(el.text or "")
            elif el.tag == f"{w}br":
                text.append("\n")
            elif el.tag == f"{w}tab":
                text.append("\t")
            else:
                text.append(el.get(f"{w}id"))
        out.append("".join(text))
    return [t for t in out if t.strip()]


def preview_paragraph_texts(document: PrintDocument) -> list[str]:
    out = []
    block = document.body.begin()
    while block.isValid():
        out.append(block.text().replace("\u2028", "\n").replace("\ufffc", ""))  # a picture: no text
        block = block.next()
    return [t for t in out if t.strip()]


@pytest.mark.parametrize("which", ["weekly", "signed", "long", "state"])
def test_docx_and_preview_show_the_same_paragraphs_in_the_same_order(qapp, weekly_model, tmp_path, which):
    from baocao_desktop.document.docx_writer import write_docx
    from baocao_desktop.document.model import ChartBlock
    if which == "weekly":
        model = weekly_model
    elif which == "signed":
        model = dataclasses.replace(weekly_model, status="signed")
    elif which == "long":
        model = long_model(rows=8)
    else:
        model = DocumentModel(**{**long_model(rows=3).__dict__, "format_code": "state", "closing": "",
                                 "blocks": long_model(rows=3).blocks + (ChartBlock("Biểu đồ", png_bytes(), 120),)})
    path = write_docx(model, tmp_path / "a.docx")
    document = PrintDocument(model)
    docx_texts = docx_paragraph_texts(path)
    assert docx_texts == preview_paragraph_texts(document)
    assert sum(t.endswith("./.") for t in docx_texts) == 1  # the end mark once, in both
    # the draft mark: first on page 1 of the demo's draft (both), nowhere in the signed one or a plain model
    assert (docx_texts[0] == "DỰ THẢO") == (which == "weekly")
    assert "DỰ THẢO" not in docx_texts[1:]
    assert len(document.typeset.rules) == len(
        [p for p in document.plan.paragraphs() if p.rule is not None])  # every rule of the plan is drawn


def test_qt_pdf_of_a_draft_has_the_boxed_mark_and_the_signed_none(qapp, weekly_model, tmp_path):
    from baocao_desktop.document.layout import DraftMark
    assert weekly_model.status == "draft"
    draft = PrintDocument(weekly_model)
    [mark] = [b for b in draft.plan.blocks if isinstance(b, DraftMark)]
    box = draft.body.rootFrame().childFrames()[0]  # the first table of the page: the mark's box
    assert box.format().toTableFormat().border() == pytest.approx(mark.border_pt * 20)
    assert box.format().toTableFormat().width().rawValue() == pytest.approx(mm(mark.width_mm))
    assert draft.page_text(0).split("\n")[0].strip() == "DỰ THẢO"
    first = squash(pdf_pages(write_pdf(weekly_model, tmp_path / "draft.pdf"))[0])
    assert first.startswith("DỰ THẢO") and "ĐẢNG CỘNG SẢN VIỆT NAM" in first
    signed = dataclasses.replace(weekly_model, status="signed")
    pages = pdf_pages(write_pdf(signed, tmp_path / "signed.pdf"))
    assert not any("DỰ THẢO" in page for page in pages)


def test_gui_export_says_the_draft_and_a_tampered_report_is_neither_exported_nor_printed(
        qtbot, demo_workspace, settings, tmp_path, monkeypatch):
    ws = demo_workspace
    report_id = weekly_id(ws)
    boxes = []
    monkeypatch.setattr(MainWindow, "_show_export_done", lambda self, path: boxes.append(self.export_done_box(path)))
    window = MainWindow(ws, settings)
    qtbot.addWidget(window)
    from baocao_desktop.domain.numbers import format_number
    cumulative = format_number(ws.report(report_id).values["thu_ngan_sach_tren_dia_ban"]["cumulative"])
    ws.set_value(report_id, "thu_ngan_sach_tren_dia_ban", "cumulative", "9.999")  # one error left open
    with qtbot.waitSignal(window.export_finished, timeout=60000):
        window.start_export(report_id, tmp_path / "du-thao.docx")
    assert boxes[0].text() == "Đã xuất báo cáo ra tệp Word:"
    assert boxes[0].informativeText() == (
        f"{tmp_path / 'du-thao.docx'}\n\nBản dự thảo (có dấu “DỰ THẢO”, chưa ký): còn 1 lỗi phải sửa.")
    ws.set_value(report_id, "thu_ngan_sach_tren_dia_ban", "cumulative", cumulative)
    ws.sign(report_id)
    ws.store.conn.execute("UPDATE indicator_values SET value = '600' WHERE report_id = ? "
                          "AND indicator_code = 'lua_mua_dien_tich' AND field = 'actual'", (report_id,))
    shown = []
    record = lambda parent, title, failure, **kw: shown.append((title, str(getattr(failure, "message", failure))))  # noqa: E731
    from baocao_desktop.ui import report_actions
    monkeypatch.setattr(report_actions, "show_failure", record)  # the DOCX export (ui/report_actions.py)
    monkeypatch.setattr(print_preview, "show_failure", record)
    window.start_export(report_id, tmp_path / "da-ky.docx")
    window.preview_hook = lambda dialog: pytest.fail("a preview of a tampered report was opened")
    assert window.print_preview(report_id) is None
    assert window.export_pdf(report_id, tmp_path / "da-ky.pdf") is None
    assert [title for title, _ in shown] == ["Không xuất được", "Không xem trước được", "Không xuất được PDF"]
    assert all("nội dung đã bị thay đổi ngoài chương trình sau khi ký" in message for _, message in shown)
    assert not (tmp_path / "da-ky.docx").exists() and not (tmp_path / "da-ky.pdf").exists()
