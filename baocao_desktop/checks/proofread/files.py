"""Reading a file to proofread: .txt (UTF-8, UTF-8 with BOM, UTF-16 with BOM, Windows-1258) or .docx (body
paragraphs and footnotes). Input that cannot be read raises ProofreadInputError with a Vietnamese message."""
from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from ...domain.errors import UserError

MAX_BYTES = 20 * 1024 * 1024  # 20 MB
MAX_XML_BYTES = 120 * 1024 * 1024  # a .docx part unpacked; guards against zip bombs
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ProofreadInputError(UserError, ValueError):
    """A file the proofreader cannot read; the message is Vietnamese and says what to do."""


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
    if not path.exists():
        raise ProofreadInputError(f"Không tìm thấy tệp “{path}”.")
    if path.is_dir():
        raise ProofreadInputError(f"“{path}” là một thư mục, không phải tệp văn bản.")
    size = path.stat().st_size
    if size == 0:
        raise ProofreadInputError(f"Tệp “{path.name}” rỗng (0 byte): không có gì để soát lỗi.")
    if size > MAX_BYTES:
        raise ProofreadInputError(
            f"Tệp “{path.name}” quá lớn ({size / 1024 / 1024:.1f} MB): chương trình soát lỗi tệp đến "
            f"{MAX_BYTES // 1024 // 1024} MB. Một báo cáo thường chỉ vài trăm KB; hãy kiểm tra lại tệp.")
    try:
        with path.open("rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ProofreadInputError(f"Không đọc được tệp “{path.name}”: {exc.strerror or exc}.") from None
    suffix = path.suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".docx", ".docm", ".dotx"):
        return _read_docx(path, data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ProofreadInputError(
            f"Tệp “{path.name}” là tệp Word cũ (.doc) hoặc tệp Word có đặt mật khẩu: mở bằng Word và lưu lại "
            f"dạng .docx (không mật khẩu) rồi soát lỗi.")
    if data[:5] == b"{\\rtf":
        raise ProofreadInputError(f"Tệp “{path.name}” là tệp RTF: mở bằng Word và lưu lại dạng .docx hoặc .txt.")
    if data[:5] == b"%PDF-":
        raise ProofreadInputError(f"Tệp “{path.name}” là tệp PDF: chương trình soát lỗi tệp .docx hoặc .txt.")
    text, encoding = decode_text(data, path.name)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not "".join(lines).strip():
        raise ProofreadInputError(f"Tệp “{path.name}” không có chữ nào (chỉ có khoảng trắng).")
    return SourceText(lines, "line", encoding=encoding)


def decode_text(data: bytes, name: str = "tệp") -> tuple[str, str]:
    """Decode a text file: BOMs first, then UTF-8, then Windows-1258 (Vietnamese ANSI)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return _strict(data[2:], codec, name), "utf-16"
    if b"\x00" in data:
        # UTF-16 without a BOM is rare; NUL bytes otherwise mean a binary file
        if len(data) % 2 == 0 and data[1::2].count(0) > len(data) // 4:
            return _strict(data, "utf-16-le", name), "utf-16-le"
        raise ProofreadInputError(f"Tệp “{name}” là tệp nhị phân, không phải văn bản (.txt). Hãy chọn tệp .txt hoặc .docx.")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # not UTF-8 as a whole: UTF-8 lines mixed with lines in another code page?
    good = bad = 0
    first_good = first_bad = None
    for number, line in enumerate(data.split(b"\n"), 1):
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
            good += 1
            first_good = first_good or number
        except UnicodeDecodeError:
            bad += 1
            first_bad = first_bad or number
    if good and bad:
        raise ProofreadInputError(
            f"Tệp “{name}” trộn nhiều bảng mã: dòng {first_good} là Unicode (UTF-8), dòng {first_bad} thì không. "
            f"Mở tệp bằng Word hoặc Notepad, chuyển toàn bộ sang Unicode (dùng công cụ chuyển mã của Unikey nếu cần) "
            f"và lưu với bảng mã UTF-8.")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise ProofreadInputError(
            f"Không đọc được chữ trong tệp “{name}”: tệp không phải Unicode (UTF-8, UTF-16) hay Windows-1258. "
            f"Hãy lưu lại tệp với bảng mã UTF-8.") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(3, len(text) // 200):
        raise ProofreadInputError(f"Tệp “{name}” là tệp nhị phân, không phải văn bản (.txt).")
    # Windows-1258 writes tone marks as combining characters: that is the encoding, not the typist
    return unicodedata.normalize("NFC", text), "cp1258"


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ProofreadInputError(
            f"Tệp “{name}” khai báo bảng mã {codec.upper()} nhưng có đoạn không đúng bảng mã đó (byte thứ "
            f"{exc.start}): có thể tệp bị hỏng hoặc trộn bảng mã. Hãy lưu lại tệp với bảng mã UTF-8.") from None


def _read_docx(path: Path, data: bytes) -> SourceText:
    name = path.name
    if data[:4] != b"PK\x03\x04":
        raise ProofreadInputError(
            f"Tệp “{name}” không phải tệp Word (.docx) dù có đuôi .docx (có thể là tệp khác bị đổi tên, "
            f"hoặc tệp bị hỏng). Mở bằng Word và lưu lại dạng .docx.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ProofreadInputError(f"Tệp “{name}” bị hỏng (không mở được như tệp .docx).") from None
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise ProofreadInputError(
                f"Tệp “{name}” là tệp nén (zip) nhưng không phải tài liệu Word (.docx): không có phần nội dung "
                f"“word/document.xml”.")
        for part in ("word/document.xml", "word/footnotes.xml"):
            if part in names and archive.getinfo(part).file_size > MAX_XML_BYTES:
                raise ProofreadInputError(f"Tệp “{name}” có nội dung giải nén quá lớn; không soát lỗi được.")
        try:
            import docx  # python-docx, loaded only when a .docx is proofread
            from docx.opc.exceptions import PackageNotFoundError
        except ImportError:  # pragma: no cover - a broken installation
            raise ProofreadInputError("Thiếu thư viện python-docx để đọc tệp .docx.") from None
        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ProofreadInputError(f"Tệp “{name}” là .docx bị hỏng, không đọc được ({type(exc).__name__}).") from None
        except Exception as exc:  # lxml XMLSyntaxError and other malformed parts
            raise ProofreadInputError(f"Tệp “{name}” là .docx bị hỏng, không đọc được ({type(exc).__name__}).") from None
        paragraphs = [p.text for p in document.paragraphs]
        table_text = _table_text(document)
        footnotes = _footnotes(archive, names)
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
