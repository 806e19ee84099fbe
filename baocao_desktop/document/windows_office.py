"""Microsoft Word and LibreOffice where Windows installs them, and DOCX → PDF through Word.

Office PCs in communes usually have Word (often not LibreOffice). pdf.py converts with LibreOffice;
this module adds what Windows knows beyond the usual folders:

- `libreoffice_from_registry()`: soffice.exe from HKLM/HKCU\\SOFTWARE\\LibreOffice\\UNO\\InstallPath
  (installs outside Program Files, e.g. D:\\LibreOffice);
- `find_word()`: WINWORD.EXE from the "App Paths" registry key, else the usual Office 2010–2021/365
  folders (Click-to-Run `Microsoft Office\\root\\OfficeNN` and MSI `Microsoft Office\\OfficeNN`, 64-
  and 32-bit); `BAOCAO_WORD` names it explicitly;
- `word_to_pdf(docx, pdf)`: Word itself saves the PDF (ExportAsFixedFormat), driven through COM by
  Windows PowerShell (part of Windows 10/11), so no pywin32 is needed. Paths travel in environment
  variables, never inside the script text, so Vietnamese names and quotes are safe.

No Qt here; nothing is imported at start-up. Not testable under wine (no Word there).
"""
from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from ..domain.errors import UserError

WORD_ENV = "BAOCAO_WORD"
WD_EXPORT_FORMAT_PDF = 17
OFFICE_VERSIONS = ("Office16", "Office15", "Office14")  # 2016/2019/2021/365, 2013, 2010


class WordPdfError(UserError):
    """Word could not make the PDF; the message is Vietnamese and says what to do."""


def _registry_default(path: str, value: str = "") -> str | None:
    if sys.platform != "win32":
        return None
    import winreg
    for hive in (winreg.HKEY_CURRENT_USER, winreg.HKEY_LOCAL_MACHINE):
        for view in (0, winreg.KEY_WOW64_64KEY, winreg.KEY_WOW64_32KEY):
            try:
                with winreg.OpenKey(hive, path, 0, winreg.KEY_READ | view) as key:
                    found, _kind = winreg.QueryValueEx(key, value)
                    if found:
                        return str(found)
            except OSError:
                continue
    return None


def libreoffice_from_registry() -> Path | None:
    """soffice.exe of a LibreOffice registered in the Windows registry, wherever it was installed."""
    folder = _registry_default(r"SOFTWARE\LibreOffice\UNO\InstallPath")
    if folder:
        candidate = Path(folder) / "soffice.exe"
        if candidate.is_file():
            return candidate
    return None


def word_candidates() -> list[Path]:
    roots = []
    for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        value = os.environ.get(var)
        if value and value not in roots:
            roots.append(value)
    paths = []
    for root in roots:
        for version in OFFICE_VERSIONS:
            paths.append(Path(root) / "Microsoft Office" / "root" / version / "WINWORD.EXE")
            paths.append(Path(root) / "Microsoft Office" / version / "WINWORD.EXE")
    return paths


def find_word() -> Path | None:
    """WINWORD.EXE, or None (always None outside Windows)."""
    explicit = os.environ.get(WORD_ENV)
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    if sys.platform != "win32":
        return None
    registered = _registry_default(r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\Winword.exe")
    if registered and Path(registered.strip('"')).is_file():
        return Path(registered.strip('"'))
    for path in word_candidates():
        try:
            if path.is_file():
                return path
        except OSError:
            continue
    return None


WORD_SCRIPT = r"""
$ErrorActionPreference = 'Stop'
$word = New-Object -ComObject Word.Application
try {
  $word.Visible = $false
  $word.DisplayAlerts = 0
  $doc = $word.Documents.Open($env:BAOCAO_DOCX_IN, $false, $true, $false)
  try { $doc.ExportAsFixedFormat($env:BAOCAO_PDF_OUT, %d) } finally { $doc.Close(0) }
} finally {
  $word.Quit()
  [System.Runtime.InteropServices.Marshal]::ReleaseComObject($word) | Out-Null
}
""" % WD_EXPORT_FORMAT_PDF


def powershell_command() -> list[str]:
    """powershell.exe -EncodedCommand <the script as base64 UTF-16LE> (no quoting problems)."""
    encoded = base64.b64encode(WORD_SCRIPT.encode("utf-16-le")).decode("ascii")
    system_root = os.environ.get("SystemRoot", r"C:\Windows")
    exe = Path(system_root) / "System32" / "WindowsPowerShell" / "v1.0" / "powershell.exe"
    return [str(exe) if exe.is_file() else "powershell.exe", "-NoProfile", "-NonInteractive",
            "-ExecutionPolicy", "Bypass", "-EncodedCommand", encoded]


def word_to_pdf(docx: str | os.PathLike, pdf_out: str | os.PathLike, timeout: float = 180) -> Path:
    """Word saves `docx` as `pdf_out`. Raises WordPdfError with a Vietnamese message."""
    if find_word() is None:
        raise WordPdfError("Không tìm thấy Microsoft Word trên máy này. Hãy cài LibreOffice (miễn phí) để xuất PDF.")
    docx, pdf_out = Path(docx).resolve(), Path(pdf_out).resolve()
    env = {**os.environ, "BAOCAO_DOCX_IN": str(docx), "BAOCAO_PDF_OUT": str(pdf_out)}
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        result = subprocess.run(powershell_command(), env=env, capture_output=True, timeout=timeout,
                                creationflags=flags)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WordPdfError(f"Word không xuất được PDF ({exc.__class__.__name__}). Hãy mở tệp DOCX bằng Word "
                           "rồi chọn Lưu thành PDF.") from None
    if result.returncode != 0 or not pdf_out.is_file():
        detail = (result.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise WordPdfError(f"Word không xuất được PDF. {detail[0]} Hãy mở tệp DOCX bằng Word rồi chọn Lưu thành PDF.")
    return pdf_out
