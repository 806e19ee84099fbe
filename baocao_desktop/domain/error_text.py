"""Vietnamese sentences for the errors of the operating system and SQLite (disk full, permission denied,
file in use, not a database…), so that no English text of an exception reaches the user: the technical
text goes to the bug log only. Every layer may use these (no Qt, no I/O)."""
from __future__ import annotations

import errno
import re
import sqlite3
from pathlib import Path

# Windows' own error numbers (winerror) for a file another program keeps open or locked
_WIN_IN_USE = {32, 33}
_WIN_DISK_FULL = {39, 112}
_WIN_DENIED = {5, 19}


def os_error_reason(exc: OSError) -> str:
    """The short Vietnamese reason of an OSError, to put inside a sentence ("ổ đĩa đã đầy"); the system's
    own (English) text is never shown. An error already worded in Vietnamese keeps its words."""
    own = getattr(exc, "strerror", None)
    if isinstance(own, str) and _VIETNAMESE.search(own):
        return own
    winerror = getattr(exc, "winerror", None)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or winerror in _WIN_DISK_FULL:
        return "ổ đĩa đã đầy"
    if winerror in _WIN_IN_USE or exc.errno == errno.EBUSY:
        return "tệp đang được chương trình khác mở"
    if exc.errno == errno.EROFS:
        return "ổ đĩa chỉ cho đọc (USB bị khóa ghi?)"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM) or winerror in _WIN_DENIED:
        return "không có quyền đọc/ghi, hoặc tệp đang mở trong chương trình khác"
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT:
        return "không tìm thấy tệp hoặc thư mục (USB đã rút ra?)"
    if isinstance(exc, IsADirectoryError):
        return "đây là một thư mục, không phải tệp"
    if isinstance(exc, NotADirectoryError):
        return "đường dẫn không phải là thư mục"
    if isinstance(exc, FileExistsError):
        return "tệp đã có"
    return "lỗi đọc/ghi ổ đĩa"


def os_error_text(exc: OSError, path: Path | str | None = None) -> str:
    """What went wrong with a file or folder, in Vietnamese, naming the file; says what to do."""
    name = f"“{path}”" if path is not None else (f"“{exc.filename}”" if getattr(exc, "filename", None) else "")
    where = f" {name}" if name else ""
    winerror = getattr(exc, "winerror", None)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or winerror in _WIN_DISK_FULL:
        return (f"Ổ đĩa đã đầy: không ghi được tệp{where}. Hãy xóa bớt tệp trên ổ đĩa (hoặc USB) rồi thử lại; "
                "dữ liệu đã có không bị mất.")
    if winerror in _WIN_IN_USE or exc.errno == errno.EBUSY:
        return (f"Tệp{where} đang được một chương trình khác mở (ví dụ Word hoặc một cửa sổ BaoCao khác). "
                "Hãy đóng chương trình đó rồi thử lại.")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) \
            or winerror in _WIN_DENIED:
        return (f"Không có quyền ghi hoặc đọc tệp{where} (thư mục chỉ đọc, USB bị khóa chống ghi, hoặc tệp đang "
                "mở). Hãy chọn thư mục khác hoặc đóng chương trình đang mở tệp.")
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT:
        return f"Không tìm thấy tệp hoặc thư mục{where}. Hãy kiểm tra lại đường dẫn (USB còn cắm không?)."
    if isinstance(exc, FileExistsError):
        return f"{name or 'Tệp'} đã có (và không phải là thư mục). Hãy chọn tên hoặc thư mục khác."
    if isinstance(exc, IsADirectoryError):
        return f"{name or 'Đường dẫn'} là một thư mục, không phải tệp. Hãy chọn một tệp."
    if isinstance(exc, NotADirectoryError):
        return f"{name or 'Đường dẫn'} không phải là thư mục. Hãy chọn một thư mục."
    return f"Lỗi đọc/ghi tệp{where}. Hãy kiểm tra ổ đĩa hoặc USB rồi thử lại."


def sqlite_error_text(exc: sqlite3.Error, path: Path | str | None = None) -> str:
    """What SQLite's (English) message means for the user, in Vietnamese."""
    text = str(exc).lower()
    name = f" “{path}”" if path is not None else ""
    if "locked" in text or "busy" in text:
        return "Dữ liệu đang bận (một chương trình khác đang ghi). Hãy thử lại sau ít phút."
    if "disk is full" in text or "database or disk is full" in text:
        return f"Ổ đĩa đã đầy: không ghi được dữ liệu{name}. Hãy xóa bớt tệp trên ổ đĩa rồi thử lại."
    if "readonly" in text or "read-only" in text:
        return f"Tệp dữ liệu{name} chỉ cho đọc: không ghi được. Hãy kiểm tra quyền của thư mục hoặc chọn tệp khác."
    if "unable to open" in text:
        return f"Không mở được tệp dữ liệu{name}: thư mục không có, không có quyền, hoặc tệp đang bị khóa."
    if "not a database" in text or "malformed" in text or "corrupt" in text or re.search(r"\bpage\b", text):
        return f"Tệp dữ liệu{name} bị hỏng hoặc không phải cơ sở dữ liệu BaoCao."
    if "i/o" in text or "disk i/o" in text:
        return f"Lỗi đọc/ghi ổ đĩa khi dùng tệp dữ liệu{name}. Hãy kiểm tra ổ đĩa hoặc USB rồi thử lại."
    return f"Lỗi cơ sở dữ liệu{name}."


# a sentence of English: at least three ASCII words in a row without any Vietnamese letter around
_VIETNAMESE = re.compile(r"[À-ỹĐđ]")
_ASCII_WORDS = re.compile(r"(?:\b[A-Za-z]{2,}\b[ ,']+){2,}\b[A-Za-z]{2,}\b")


def english_sentences(text: str) -> list[str]:
    """The parts of `text` (split at sentence ends and line breaks) that read as English: ≥ 3 ASCII words
    and no Vietnamese letter. Paths and quoted file names are left out first."""
    text = re.sub(r"“[^”]*”|\"[^\"]*\"|[A-Za-z]:\\\S*|/\S+", " ", text)
    found = []
    for part in re.split(r"[.!?:;()\n]+", text):
        if not _VIETNAMESE.search(part) and _ASCII_WORDS.search(part):
            found.append(part.strip())
    return found


_SQLITE_USER_WORDS = ("full", "readonly", "read-only", "locked", "busy", "i/o", "unable to open", "not a database",
                      "malformed", "corrupt")


def environment_error_text(exc: BaseException) -> str | None:
    """The Vietnamese sentence for an error of the machine rather than of the program (disk full, no
    permission, file in use, a damaged database), None for anything else (a bug)."""
    if isinstance(exc, UnicodeError):
        return None
    if isinstance(exc, OSError):
        return os_error_text(exc)
    if isinstance(exc, sqlite3.DatabaseError) and any(word in str(exc).lower() for word in _SQLITE_USER_WORDS):
        return sqlite_error_text(exc)
    return None
