"""Reading a file to proofread: .txt (UTF-8, UTF-8 with BOM, UTF-16 with BOM, Windows-1258) or .docx (body
paragraphs and footnotes). The file is opened by domain.untrusted (size, type by content, zip limits,
encodings); input that cannot be read raises ProofreadInputError with a Vietnamese message."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ...domain import untrusted
from ...domain.untrusted import Expected, UntrustedFileError

MAX_BYTES = 20 * 1024 * 1024  # 20 MB
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ProofreadInputError(UntrustedFileError, ValueError):
    """A file the proofreader cannot read; the message is Vietnamese and says what to do."""


EXPECTED = Expected("tệp văn bản", "soát lỗi", MAX_BYTES,
                    "Một báo cáo thường chỉ vài trăm KB; hãy kiểm tra lại tệp.", ProofreadInputError)


@dataclass
class SourceText:
    paragraphs: list[str]
    location: str  # "line" | "paragraph"
    footnotes: list[str] = field(default_factory=list)
    encoding: str = ""
    # text in tables (a .docx header block: unit name, "Số …", place and date): read for context only,
    # since findings are located by body paragraph
    table_text: list[str] = field(default_factory=list)


def read_file(path) -> SourceText:
    path = Path(path)
    kind, data = untrusted.read_document(path, EXPECTED)
    if kind == "docx":
        return _read_docx(path, data)
    text, encoding = untrusted.decode_text(data, path.name, ProofreadInputError)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not "".join(lines).strip():
        raise ProofreadInputError(f"Tệp “{path.name}” không có chữ nào (chỉ có khoảng trắng).")
    return SourceText(lines, "line", encoding=encoding)


def _read_docx(path: Path, data: bytes) -> SourceText:
    name = path.name
    document = untrusted.open_docx(path, EXPECTED, data)
    paragraphs = [p.text for p in document.paragraphs]
    table_text = _table_text(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        footnotes = _footnotes(archive, set(archive.namelist()))
    if not any(p.strip() for p in paragraphs) and not any(f.strip() for f in footnotes):
        raise ProofreadInputError(f"Tệp “{name}” không có chữ nào trong thân văn bản.")
    return SourceText(paragraphs, "paragraph", footnotes, "docx", table_text)


def _table_text(document) -> list[str]:
    out = []
    for table in document.tables:
        for cell in table._tbl.iter(_W + "tc"):
            for p in cell.iter(_W + "p"):
                text = "".join(t.text or "" for t in p.iter(_W + "t"))
                if text.strip():
                    out.append(text)
    return out


def _footnotes(archive: zipfile.ZipFile, names: set) -> list[str]:
    """Footnote texts in the order of their numbers (the order of the references in the body)."""
    if "word/footnotes.xml" not in names:
        return []
    from lxml import etree
    try:
        notes_root = etree.fromstring(archive.read("word/footnotes.xml"))
        body_xml = archive.read("word/document.xml")
    except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile):
        return []
    texts = {}
    for note in notes_root.iter(_W + "footnote"):
        kind = note.get(_W + "type")
        if kind in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = []
        for p in note.iter(_W + "p"):
            paragraphs.append("".join(t.text or "" for t in p.iter(_W + "t")))
        texts[note.get(_W + "id")] = "\n".join(paragraphs).strip()
    order = re.findall(rb'<w:footnoteReference[^>]*w:id="(-?[0-9]+)"', body_xml)
    out, seen = [], set()
    for ref in order:
        key = ref.decode()
        if key in texts and key not in seen:
            seen.add(key)
            out.append(texts[key])
    out += [t for k, t in texts.items() if k not in seen]
    return out
