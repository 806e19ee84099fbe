"""Every shipped template's demo report, exported and rendered with LibreOffice, read back from the PDF.

For each demo report: A4 pages, every font embedded and a Times-compatible one used, the header, the
headings, the start of every body paragraph and of every footnote present in the text, a sane page
count, and page numbers from page 2. All reports are converted in one LibreOffice run.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import unicodedata
import warnings
from pathlib import Path

import pytest

from baocao_desktop.document.docx_writer import write_docx
from baocao_desktop.document.layout import date_line, issuer_lines, number_line
from baocao_desktop.document.formats import load_format
from baocao_desktop.document.model import Body, Heading, Signer, TableBlock
from baocao_desktop.domain.richtext import Footnote, Run
from tests.render import soffice_binary

pytestmark = pytest.mark.render

A4 = (595.28, 841.89)
TIMES = re.compile(r"Times|LiberationSerif|Liberation Serif|Tinos")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def plain(runs) -> str:
    return "".join(r.text for r in runs if isinstance(r, Run))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from baocao_desktop.services.demo import load_demo
    from baocao_desktop.services.workspace import Workspace

    folder = tmp_path_factory.mktemp("demo_render")
    ws = Workspace(folder / "demo.sqlite3", author="tester")
    try:
        load_demo(ws)
        reports = ws.list_reports()
        shipped = {t.code for t in ws.templates()} if hasattr(ws, "templates") else set()
        covered = {r.template_code for r in reports}
        if shipped - covered:
            warnings.warn(f"shipped templates without a demo report (not rendered): {sorted(shipped - covered)}")
        out = folder / "docx"
        out.mkdir()
        cases = []
        for n, report in enumerate(reports):
            path = ws.export_docx(report.id, out / f"{n:02d}_{report.template_code}.docx")
            cases.append((report, ws.document_model(report.id), path))
        # The State format with real content too: the longest demo report as a People's Committee's.
        report, model, path = max(cases, key=lambda c: len(c[1].blocks))
        state = dataclasses.replace(model, format_code="state", upper_body="", issuer="Ủy ban nhân dân xã Lùng Phình",
                                    issuer_symbol="UBND", signer=Signer("TM. Ủy ban nhân dân", "Chủ tịch", "Lý Văn Sử"))
        cases.append((report, state, write_docx(state, out / f"{path.stem}_state.docx")))
    finally:
        ws.close()
    assert cases, "the demo has reports"
    subprocess.run([soffice_binary(), f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(folder / "pdf"),
                    *[str(c[2]) for c in cases]], check=True, timeout=600, capture_output=True)
    return [(report, model, path, folder / "pdf" / (path.stem + ".pdf")) for report, model, path in cases]


def label(case) -> str:
    report, model, path, pdf = case
    return f"{report.template_code} {report.period.start:%d/%m/%Y} ({path.name}, {model.format_code})"


def test_every_demo_report_is_a4_with_a_sane_page_count(rendered):
    from pypdf import PdfReader
    for case in rendered:
        pdf = case[3]
        assert pdf.exists(), f"LibreOffice made no PDF for {label(case)}"
        reader = PdfReader(str(pdf))
        assert 1 <= len(reader.pages) <= 60, label(case)
        for page in reader.pages:
            box = page.mediabox
            assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1), label(case)


def test_fonts_are_embedded_and_times_compatible(rendered):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) not installed")
    for case in rendered:
        listing = subprocess.run(["pdffonts", str(case[3])], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows, label(case)
        for row in rows:
            # name type encoding emb sub uni object ID: emb is the 4th column from the right end
            emb = row.split()[-5]
            assert emb == "yes", f"{label(case)}: font not embedded: {row}"
        assert any(TIMES.search(row) for row in rows), f"{label(case)}: no Times-compatible font:\n{listing}"


def test_text_headings_and_footnotes_are_in_the_pdf(rendered):
    from pypdf import PdfReader
    for case in rendered:
        report, model, path, pdf = case
        fmt = load_format(model.format_code)
        reader = PdfReader(str(pdf))
        text = squash(" ".join(page.extract_text() for page in reader.pages))
        expected = [issuer_lines(model, fmt), number_line(model, fmt),
                    date_line(model, fmt), fmt.title.text.apply_case(model.title), squash(model.summary)]
        if model.signer is not None:
            expected.append(model.signer.name)
        notes = []
        for block in model.blocks:
            if isinstance(block, Heading):
                expected.append(fmt.heading(block.level).text.apply_case(f"{block.number} {block.title}".strip()))
            elif isinstance(block, Body):
                first = block.content[0] if block.content else None
                if isinstance(first, Run) and len(first.text.strip()) >= 12:
                    expected.append(squash(first.text)[:50].rsplit(" ", 1)[0])
                notes += [item for item in block.content if isinstance(item, Footnote)]
            elif isinstance(block, TableBlock):
                expected.append(squash(block.title))
        for note in notes:
            expected.append(squash(plain(note.paragraphs[0]))[:60].rsplit(" ", 1)[0])
        missing = [e for e in (squash(x) for x in expected) if e and e not in text]
        assert not missing, f"{label(case)}: not in the PDF: {missing}"
        if notes:  # real footnotes: the note text sits at the foot of a page, after its reference
            assert len(notes) == len(re.findall(r"<w:footnote w:id=\"[1-9]", _footnotes_xml(path)))


def _footnotes_xml(path: Path) -> str:
    import zipfile
    with zipfile.ZipFile(path) as z:
        return z.read("word/footnotes.xml").decode("utf-8") if "word/footnotes.xml" in z.namelist() else ""


def test_page_numbers_from_page_two(rendered):
    from pypdf import PdfReader
    for case in rendered:
        reader = PdfReader(str(case[3]))
        pages = [page.extract_text().strip().splitlines() for page in reader.pages]
        assert pages[0][0].strip() != "1", label(case)
        for number, lines in enumerate(pages[1:], start=2):
            assert lines[0].strip() == str(number), f"{label(case)}: page {number} starts with {lines[0]!r}"
