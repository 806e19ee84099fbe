"""Helpers for the proofreader tests: run it on text written in the test, build .docx files."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from baocao_desktop.checks.proofread import ProofreadContext, proofread_text


def check(text, context: ProofreadContext | None = None, category: str | None = None, location: str = "line"):
    """Proofread `text` (one paragraph per line, or a list); keep one category when given."""
    paragraphs = text if isinstance(text, list) else text.strip("\n").split("\n")
    findings = proofread_text(paragraphs, context, location=location)
    return [f for f in findings if category is None or f.category == category]


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def make_docx(path: Path, paragraphs: list[str], footnotes: list[str] | None = None) -> Path:
    """A real .docx (python-docx) with real footnotes: footnote k is referenced at the end of paragraph k."""
    import docx
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    if not footnotes:
        return path
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    notes = "".join(
        f'<w:footnote w:id="{k + 1}"><w:p><w:r><w:t xml:space="preserve">{_esc(t)}</w:t></w:r></w:p></w:footnote>'
        for k, t in enumerate(footnotes))
    footnotes_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {ns}>'
                     '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                     '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
                     f"{notes}</w:footnotes>")
    with zipfile.ZipFile(path) as zin:
        items = {name: zin.read(name) for name in zin.namelist()}
    body = items["word/document.xml"].decode("utf-8")
    counter = iter(range(1, len(footnotes) + 1))

    def add_ref(match):
        k = next(counter, None)
        if k is None:
            return match.group(0)
        return f'<w:r><w:footnoteReference w:id="{k}"/></w:r></w:p>'
    body = re.sub(r"</w:p>", add_ref, body)
    items["word/document.xml"] = body.encode("utf-8")
    items["word/footnotes.xml"] = footnotes_xml.encode("utf-8")
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
    items["word/_rels/document.xml.rels"] = items["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items.items():
            zout.writestr(name, data)
    return path


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
