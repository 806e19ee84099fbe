"""Opening a file that comes from outside the program: a Word document (.docx) to proofread, import or
read as an outline, a text file (.txt), a transfer file (.baocao, SQLite) or a template pack (.mau.zip).

The one place that decides whether such a file may be read at all: it exists and is a file, its size is
within the caller's limit, its content is what the caller expects (sniffed from the bytes, never trusted
from the name), a zip stays within limits (members, unpacked size, compression ratio, names without path
tricks, no encryption), text decodes in the encodings offices use. What a valid file then *means* (a
report, a manifest, a signature) stays with the caller that owns the format.

Every refusal is an UntrustedFileError (a UserError): a Vietnamese message that says what the file is and
what to do, and a `code` that says why for programs. A caller passes its own subclass in `Expected.error`
(ProofreadInputError, BundleError, PackError...), so the code that catches those keeps working.
"""
from __future__ import annotations

import io
import posixpath
import re
import time
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .error_text import os_error_reason
from .numbers import size_text

MB = 1024 * 1024
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members; an empty zip
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, or any Office file with a password
SQLITE_MAGIC = b"SQLite format 3\x00"
DOCX_SUFFIXES = (".docx", ".docm", ".dotx")
DOCX_BODY = "word/document.xml"


class UntrustedFileError(UserError):
    """A file from outside refused before it is used; `code` says why: missing, not_a_file, empty,
    too_large, unreadable, wrong_type, truncated, corrupt, zip_limits, docx_limits, too_slow, encoding."""

    code = "refused"

    def __init__(self, message: str = "", *args, hint: str = "", code: str = ""):
        super().__init__(message, *args, hint=hint)
        if code:
            self.code = code

    @classmethod
    def refusal(cls, code: str, message: str) -> "UntrustedFileError":
        """The error for one refusal (a subclass with another constructor overrides this)."""
        return cls(message, code=code)


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on a zip from outside: it is unpacked in memory, so a few KB must not become gigabytes."""
    max_members: int = 10_000
    max_member_bytes: int = 120 * MB  # one member unpacked (a .docx's document.xml)
    max_total_bytes: int = 1024 * MB  # all members unpacked (a .docx's pictures count)
    max_ratio: int = 1000  # unpacked / packed of one member; real XML compresses 5-20×, a zip bomb by thousands
    ratio_from_bytes: int = 64 * 1024  # smaller members may compress as well as they like
    members: str = "tệp"  # what the members are, in the message when there are too many


@dataclass(frozen=True)
class DocxLimits:
    """Bounds on a Word document from outside beyond its zip's: python-docx unpacks every part in memory
    and every paragraph is then read, so a small file must become neither gigabytes nor hours. A report
    of 300 pages with photos is ~10,000 paragraphs, a few MB of XML and some tens of MB of pictures."""
    parts: ZipLimits = ZipLimits(max_members=2_000, max_member_bytes=40 * MB, max_total_bytes=200 * MB,
                                 members="phần")
    max_pictures: int = 1_000  # parts under word/media/ (and embedded objects)
    max_picture_bytes: int = 30 * MB  # one picture unpacked
    max_pictures_bytes: int = 150 * MB  # all pictures unpacked
    # pictures are compressed already (JPEG, PNG): one the zip shrank this much is mostly filler (a bomb);
    # uncompressed formats (BMP, EMF) shrink maybe 10-50×
    max_picture_ratio: int = 100
    picture_ratio_from_bytes: int = 1 * MB
    max_paragraphs: int = 100_000  # in the text parts (body, notes, headers, comments)
    max_seconds: float = 120.0  # reading the paragraphs (import) stops with a refusal after this long


DOCX_LIMITS = DocxLimits()
_PICTURE_FOLDERS = ("word/media/", "word/embeddings/")
# a paragraph start tag, whatever the namespace prefix: <w:p>, <w:p w:rsidR=…>, <w:p/>, <p …>
_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")


@dataclass(frozen=True)
class Expected:
    """What the caller expects a file to be, and the words its messages use."""
    what: str  # what the file should be: "tệp Word (.docx)", "tệp gửi báo cáo BaoCao", "gói mẫu"
    action: str  # what the program is about to do with it: "soát lỗi", "nhập", "nhận"
    max_bytes: int
    remedy: str = "Hãy kiểm tra lại tệp."  # what to do when the file is damaged or too large
    error: type[UntrustedFileError] = UntrustedFileError
    named: bool = True  # False: the caller shows the file name beside the message, so it is left out

    def label(self, path: Path) -> str:
        """"Tệp “x.docx”" (or "Tệp" when unnamed): the subject of every message."""
        return f"Tệp “{path.name}”" if self.named else "Tệp"

    def refuse(self, code: str, message: str) -> UntrustedFileError:
        return self.error.refusal(code, message)


# == the file itself ================================================================================
def check_path(path: Path, expected: Expected) -> int:
    """Refuse a missing file, a folder, an empty file or one over the size limit; returns the size."""
    path = Path(path)
    if not path.exists():
        raise expected.refuse("missing", f"Không tìm thấy tệp “{path}”.")
    if not path.is_file():
        raise expected.refuse("not_a_file", f"“{path}” là một thư mục, không phải {expected.what}.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(path, exc, expected) from None
    if size == 0:
        raise expected.refuse("empty", f"{expected.label(path)} rỗng (0 byte): không có gì để {expected.action}. "
                                       f"Có thể tệp chép bị lỗi; hãy chọn đúng tệp.")
    if size > expected.max_bytes:
        raise expected.refuse("too_large", f"{expected.label(path)} quá lớn ({size_text(size, round_up=True)}) để "
                                           f"{expected.action}: tối đa {size_text(expected.max_bytes)}. "
                                           f"{expected.remedy}")
    return size


def read_bytes(path: Path, expected: Expected, limit: int | None = None) -> bytes:
    """The file's bytes (at most `limit`, default all) once check_path passed."""
    path = Path(path)
    check_path(path, expected)
    return _read(path, expected, expected.max_bytes + 1 if limit is None else limit)


def _read(path: Path, expected: Expected, limit: int) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(limit)
    except OSError as exc:
        raise _unreadable(path, exc, expected) from None


def _unreadable(path: Path, exc: OSError, expected: Expected) -> UntrustedFileError:
    subject = f"tệp “{path.name}”" if expected.named else "tệp"
    return expected.refuse("unreadable", f"Không đọc được {subject}: {os_error_reason(exc)}.")


def sniff(head: bytes) -> str:
    """What the first bytes say a file is: zip, ole (old Word), rtf, pdf, sqlite or other."""
    if head[:4] in ZIP_MAGIC:
        return "zip"
    if head[:8] == OLE_MAGIC:
        return "ole"
    if head[:5] == b"{\\rtf":
        return "rtf"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:16] == SQLITE_MAGIC:
        return "sqlite"
    return "other"


def refuse_office_formats(head: bytes, path: Path, expected: Expected, accepted: str = ".docx") -> None:
    """Old Word (.doc, or any Word file with a password), RTF and PDF: say how to get a file we read."""
    kind, subject = sniff(head), expected.label(path)
    if kind == "ole":
        raise expected.refuse("wrong_type", f"{subject} là tệp Word cũ (.doc) hoặc tệp Word có đặt mật khẩu: mở bằng "
                                            f"Word, lưu lại dạng .docx (không mật khẩu) rồi {expected.action} lại.")
    if kind == "rtf":
        raise expected.refuse("wrong_type", f"{subject} là tệp RTF: mở bằng Word và lưu lại dạng {accepted}.")
    if kind == "pdf":
        raise expected.refuse("wrong_type", f"{subject} là tệp PDF, không phải tệp Word: chương trình chỉ "
                                            f"{expected.action} được tệp {accepted}.")


# == zip ============================================================================================
def check_zip(archive: zipfile.ZipFile, path: Path, expected: Expected,
              limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """Refuse a zip over its limits, with duplicate, absolute or "../" names, or encrypted members;
    returns its members."""
    subject = expected.label(path)
    infos = archive.infolist()

    def refuse(why: str) -> UntrustedFileError:
        return expected.refuse("zip_limits", f"{subject} {why} {expected.remedy}")

    if len(infos) > limits.max_members:
        raise refuse(f"có {len(infos)} tệp bên trong, quá số {limits.members} cho phép ({limits.max_members}).")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise refuse("có hai tệp bên trong trùng tên.")
    total = 0
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if (name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts
                or posixpath.normpath(name.replace("\\", "/")) != name.rstrip("/")):
            raise refuse(f"có tệp “{name[:80]}” với đường dẫn không được phép (ra ngoài tệp nén).")
        if info.flag_bits & 0x1:
            raise refuse("có tệp bên trong được mã hóa (đặt mật khẩu).")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(f"có tệp “{name[:80]}” dùng kiểu nén không hỗ trợ.")
        if info.file_size > limits.max_member_bytes:
            raise refuse(f"có tệp “{name[:80]}” quá lớn khi giải nén ({info.file_size / 1024:.0f} KB, tối đa "
                         f"{limits.max_member_bytes // 1024} KB).")
        if (info.compress_size and info.file_size > limits.ratio_from_bytes
                and info.file_size / info.compress_size > limits.max_ratio):
            raise refuse(f"có tệp “{name[:80]}” có tỷ lệ nén bất thường (nghi là “bom” giải nén).")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise refuse("có nội dung giải nén quá lớn.")
    return infos


def open_zip(data: bytes, path: Path, expected: Expected, limits: ZipLimits,
             broken: str = "bị hỏng hoặc bị cắt cụt (không mở được như tệp nén zip).") -> zipfile.ZipFile:
    """The zip in `data` once check_zip passed; `broken` ends the message when it does not open."""
    archive = _zip(data, path, expected, broken)
    try:
        check_zip(archive, path, expected, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def _zip(data: bytes, path: Path, expected: Expected, broken: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise expected.refuse("corrupt", f"{expected.label(path)} {broken}") from None


# == Word documents and text ========================================================================
def read_document(path: Path, expected: Expected) -> tuple[str, bytes]:
    """A Word or text document from outside: ("docx", bytes) once its zip passed the .docx checks (a
    zip, or a file named .docx), else ("text", bytes); old Word, RTF and PDF are refused."""
    path = Path(path)
    data = read_bytes(path, expected)
    if sniff(data) == "zip" or path.suffix.lower() in DOCX_SUFFIXES:
        check_docx(data, path, expected)
        return "docx", data
    refuse_office_formats(data, path, expected, ".docx hoặc .txt")
    return "text", data


def check_docx(data: bytes, path: Path, expected: Expected, limits: DocxLimits = DOCX_LIMITS) -> None:
    """Refuse bytes that are not a Word document: not a zip, a zip without the Word body, over the limits
    (parts, unpacked size, pictures, paragraphs). Only sizes the zip declares (zipfile never unpacks more
    than declared) and a count of paragraph tags in the text parts are looked at: no XML is parsed yet."""
    subject = expected.label(path)
    refuse_office_formats(data, path, expected)
    if sniff(data) != "zip":
        raise expected.refuse("wrong_type", f"{subject} không phải tệp Word (.docx) dù có đuôi .docx (có thể là tệp "
                                            f"khác bị đổi tên, hoặc tệp bị hỏng). Mở bằng Word và lưu lại dạng .docx.")
    with _zip(data, path, expected, "bị hỏng (không mở được như tệp .docx).") as archive:
        _check_pictures(archive, subject, expected, limits)  # first: a picture bomb is said as such
        check_zip(archive, path, expected, limits.parts)
        if DOCX_BODY not in archive.namelist():
            raise expected.refuse("wrong_type", f"{subject} là tệp nén (zip) nhưng không phải tài liệu Word (.docx): "
                                                f"không có phần nội dung “{DOCX_BODY}”.")
        _check_paragraphs(archive, subject, expected, limits)


def _docx_refusal(subject: str, expected: Expected, why: str) -> UntrustedFileError:
    return expected.refuse("docx_limits", f"{subject} {why} {expected.remedy}")


def _check_pictures(archive: zipfile.ZipFile, subject: str, expected: Expected, limits: DocxLimits) -> None:
    def refuse(why: str) -> UntrustedFileError:
        return _docx_refusal(subject, expected, why)

    pictures = [i for i in archive.infolist() if i.filename.startswith(_PICTURE_FOLDERS)]
    if len(pictures) > limits.max_pictures:
        raise refuse(f"có {len(pictures)} hình ảnh/đối tượng nhúng, quá số cho phép ({limits.max_pictures}).")
    for info in pictures:
        name = info.filename.rsplit("/", 1)[-1][:80]
        if info.file_size > limits.max_picture_bytes:
            raise refuse(f"có hình “{name}” quá lớn khi giải nén ({size_text(info.file_size, round_up=True)}, tối đa "
                         f"{size_text(limits.max_picture_bytes)}).")
        if (info.file_size > limits.picture_ratio_from_bytes and info.compress_size
                and info.file_size / info.compress_size > limits.max_picture_ratio):
            raise refuse(f"có hình “{name}” bất thường: nén lại nhỏ hơn {limits.max_picture_ratio} lần (nghi là "
                         f"“bom” hình ảnh).")
    if sum(i.file_size for i in pictures) > limits.max_pictures_bytes:
        raise refuse(f"có tổng dung lượng hình ảnh quá lớn (tối đa {limits.max_pictures_bytes // MB} MB).")


def _check_paragraphs(archive: zipfile.ZipFile, subject: str, expected: Expected, limits: DocxLimits) -> None:
    """Count the paragraph tags of the text parts (word/*.xml, already within the zip limits) in the bytes,
    so that a document of a million empty paragraphs is refused before any XML is parsed."""
    def refuse(why: str) -> UntrustedFileError:
        return _docx_refusal(subject, expected, why)

    paragraphs = 0
    for info in archive.infolist():
        if info.filename.startswith("word/") and info.filename.endswith(".xml") and "/" not in info.filename[5:]:
            try:
                paragraphs += len(_PARAGRAPH_TAG.findall(archive.read(info)))
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
                raise expected.refuse("corrupt", f"{subject} bị hỏng (không đọc được phần “{info.filename}”).") \
                    from None
            if paragraphs > limits.max_paragraphs:
                raise refuse(f"có quá nhiều đoạn văn (hơn {limits.max_paragraphs:,} đoạn; một báo cáo thường "
                             f"chỉ vài nghìn đoạn).".replace(",", "."))


class ReadingClock:
    """The time a Word document from outside may take to read (DocxLimits.max_seconds): `check()` in the
    reading loop refuses once it is over, so that no file keeps the program busy for minutes."""

    def __init__(self, path: Path, expected: Expected, seconds: float | None = None):
        self.path, self.expected = Path(path), expected
        self.seconds = DOCX_LIMITS.max_seconds if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise self.expected.refuse("too_slow", f"{self.expected.label(self.path)} quá phức tạp: đọc hơn "
                                                   f"{self.seconds:.0f} giây chưa xong nên đã dừng. "
                                                   f"{self.expected.remedy}")


def open_docx(path: Path, expected: Expected, data: bytes | None = None):
    """A python-docx Document of a Word file from outside: `data` are its bytes already passed by
    check_docx (or read_document), else the file is read and checked here. A part malformed inside is
    refused as a damaged .docx. python-docx is imported only here."""
    path = Path(path)
    if data is None:
        data = read_bytes(path, expected)
        check_docx(data, path, expected)
    try:
        import docx  # python-docx: loaded only when a Word file is read
    except ImportError:  # pragma: no cover - a broken installation
        raise expected.refuse("unreadable", "Thiếu thư viện python-docx để đọc tệp .docx; hãy cài lại chương "
                                            "trình.") from None
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # PackageNotFoundError, KeyError, lxml's XMLSyntaxError: a malformed part
        raise damaged_docx(path, expected, exc) from None


def damaged_docx(path: Path, expected: Expected, exc: Exception) -> UntrustedFileError:
    """The refusal of a Word file found malformed inside, when opened or later while its parts are read."""
    import logging
    logging.getLogger(__name__).info("damaged docx %s: %r", path, exc)  # the detail, for the bug log only
    return expected.refuse("corrupt", f"{expected.label(Path(path))} là .docx bị hỏng, không đọc được. Hãy mở "
                                      "tệp bằng Word, lưu lại thành .docx rồi thử lại.")


def decode_text(data: bytes, name: str = "tệp",
                error: type[UntrustedFileError] = UntrustedFileError) -> tuple[str, str]:
    """Decode a text file from outside: BOMs first, then UTF-8, then Windows-1258 (Vietnamese ANSI);
    a binary file or mixed encodings are refused. Returns (text, encoding)."""
    def refuse(message: str) -> UntrustedFileError:
        return error.refusal("encoding", message)

    def strict(payload: bytes, codec: str) -> str:
        try:
            return payload.decode(codec)
        except UnicodeDecodeError as exc:
            raise refuse(f"Tệp “{name}” khai báo bảng mã {codec.upper()} nhưng có đoạn không đúng bảng mã đó (byte "
                         f"thứ {exc.start}): có thể tệp bị hỏng hoặc trộn bảng mã. Hãy lưu lại tệp với bảng mã "
                         f"UTF-8.") from None

    if data.startswith(b"\xef\xbb\xbf"):
        return strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return strict(data[2:], codec), "utf-16"
    if b"\x00" in data:
        # UTF-16 without a BOM is rare; NUL bytes otherwise mean a binary file
        if len(data) % 2 == 0 and data[1::2].count(0) > len(data) // 4:
            return strict(data, "utf-16-le"), "utf-16-le"
        raise refuse(f"Tệp “{name}” là tệp nhị phân, không phải văn bản (.txt). Hãy chọn tệp .txt hoặc .docx.")
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
        raise refuse(f"Tệp “{name}” trộn nhiều bảng mã: dòng {first_good} là Unicode (UTF-8), dòng {first_bad} thì "
                     f"không. Mở tệp bằng Word hoặc Notepad, chuyển toàn bộ sang Unicode (dùng công cụ chuyển mã của "
                     f"Unikey nếu cần) và lưu với bảng mã UTF-8.")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise refuse(f"Không đọc được chữ trong tệp “{name}”: tệp không phải Unicode (UTF-8, UTF-16) hay "
                     f"Windows-1258. Hãy lưu lại tệp với bảng mã UTF-8.") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(3, len(text) // 200):
        raise refuse(f"Tệp “{name}” là tệp nhị phân, không phải văn bản (.txt).")
    # Windows-1258 writes tone marks as combining characters: that is the encoding, not the typist
    return unicodedata.normalize("NFC", text), "cp1258"


# == SQLite =========================================================================================
def check_sqlite(path: Path, expected: Expected) -> int:
    """Cheap checks before SQLite opens a file from outside: its magic, page size, and that it is as
    long as its header says (a copy cut short on the stick). Returns the file size."""
    path = Path(path)
    size = check_path(path, expected)
    head = _read(path, expected, 100)
    subject = expected.label(path)
    not_sqlite = f"{subject} không phải {expected.what} (không phải định dạng SQLite)."
    cut = "(chép chưa hết hoặc USB bị rút ra giữa chừng). Hãy chép lại tệp."
    if len(head) < 100:
        if head.startswith(SQLITE_MAGIC[:min(len(head), 16)]) and len(head) >= 6:
            raise expected.refuse("truncated", f"{subject} bị cắt cụt {cut}")
        raise expected.refuse("wrong_type", not_sqlite)
    if not head.startswith(SQLITE_MAGIC):
        raise expected.refuse("wrong_type", not_sqlite)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if page_size < 512 or page_size & (page_size - 1) or head[24:28] != head[92:96] or pages == 0:
        raise expected.refuse("corrupt", f"{subject} bị hỏng (phần đầu tệp không hợp lệ). {expected.remedy}")
    if pages * page_size > size:
        have, need = f"{size:,}".replace(",", "."), f"{pages * page_size:,}".replace(",", ".")
        raise expected.refuse("truncated", f"{subject} bị cắt cụt: chỉ có {have} byte, phải có {need} byte {cut}")
    if pages * page_size != size:
        raise expected.refuse("corrupt", f"{subject} bị hỏng (độ dài không khớp với phần đầu tệp). "
                                         f"{expected.remedy}")
    return size


def parse_xml(blob: bytes):
    """An XML part of an untrusted file as an lxml element: entities are never expanded, no DTD is loaded,
    nothing is fetched from the network and no huge tree is built (a billion-laughs part stays inert).
    Raises lxml's XMLSyntaxError (or ValueError) for a part that is not XML."""
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    return etree.fromstring(blob, parser)
