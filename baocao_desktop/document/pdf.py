"""DOCX → PDF through LibreOffice, when it is installed.

The PDF made this way is the DOCX itself as LibreOffice lays it out (real footnotes, the same line
breaks as the printed Word file). Without LibreOffice the GUI falls back to its own page renderer
(ui/print_document.py); the command line says that LibreOffice is missing.

`docx_to_pdf` runs `soffice --headless --convert-to pdf` with a private profile in a temporary folder
(so it works while the user has LibreOffice open, and parallel runs never share a profile), converts a
copy with an ASCII name (old LibreOffice builds on Windows mangle non-ASCII paths on the command line),
and moves the PDF to the target atomically: never a half-written file under the target name.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from ..domain.errors import UserError
from ..domain.error_text import os_error_reason

SOFFICE_ENV = "BAOCAO_SOFFICE"  # an explicit soffice path (portable LibreOffice, unusual installs)


class PdfError(UserError):
    """The PDF could not be made; the message is Vietnamese and says what to do."""


def _candidates() -> list[Path]:
    paths: list[Path] = []
    if sys.platform == "win32":
        roots = []
        for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
            value = os.environ.get(var)
            if value and value not in roots:
                roots.append(value)
        for root in roots:
            base = Path(root) / "Programs" if root == os.environ.get("LOCALAPPDATA") else Path(root)
            paths.append(base / "LibreOffice" / "program" / "soffice.exe")
            # versioned folders of older installers ("LibreOffice 7", "LibreOffice 5")
            try:
                paths.extend(sorted(base.glob("LibreOffice */program/soffice.exe"), reverse=True))
            except OSError:
                pass
    elif sys.platform == "darwin":
        paths.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
        paths.append(Path.home() / "Applications/LibreOffice.app/Contents/MacOS/soffice")
    else:
        paths += [Path("/usr/bin/soffice"), Path("/usr/bin/libreoffice"), Path("/usr/lib/libreoffice/program/soffice"),
                  Path("/usr/local/bin/soffice"), Path("/snap/bin/libreoffice")]
        try:
            paths.extend(sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True))
        except OSError:
            pass
    return paths


def find_soffice() -> Path | None:
    """The LibreOffice program (soffice), or None when LibreOffice is not installed."""
    explicit = os.environ.get(SOFFICE_ENV)
    if explicit:
        path = Path(explicit)
        return path if path.is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for path in _candidates():
        try:
            if path.is_file():
                return path
        except OSError:
            continue
    return None


def _kill_tree(proc: subprocess.Popen) -> None:
    """End the soffice we started and its children (soffice.exe launches soffice.bin)."""
    try:
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, timeout=20,
                           creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        proc.kill()
    except OSError:
        pass
    try:
        proc.wait(10)
    except subprocess.SubprocessError:
        pass


def _tail(data: bytes | None, limit: int = 400) -> str:
    text = (data or b"").decode("utf-8", "replace").strip()
    return text[-limit:]


def docx_to_pdf(docx: str | os.PathLike, pdf_out: str | os.PathLike, timeout: float = 180,
                soffice: str | os.PathLike | None = None) -> Path:
    """Convert `docx` to `pdf_out` with LibreOffice; returns the PDF path. Raises PdfError."""
    source = Path(docx)
    target = Path(pdf_out)
    program = Path(soffice) if soffice else find_soffice()
    if program is None:
        raise PdfError("Máy này chưa cài LibreOffice nên chưa chuyển được DOCX sang PDF. "
                       "Hãy cài LibreOffice (miễn phí) hoặc mở tệp DOCX bằng Word rồi chọn Lưu thành PDF.")
    if not source.is_file():
        raise PdfError(f"Không tìm thấy tệp “{source}” để chuyển sang PDF.")
    if not target.parent.is_dir():
        raise PdfError(f"Thư mục “{target.parent}” không tồn tại; chọn nơi lưu khác.")
    with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as tmp_name:
        tmp = Path(tmp_name)
        work = tmp / "baocao.docx"
        outdir = tmp / "out"
        outdir.mkdir()
        try:
            shutil.copyfile(source, work)
        except OSError as exc:
            raise PdfError(f"Không đọc được tệp “{source.name}”: {os_error_reason(exc)}.") from None
        command = [str(program), f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                   "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nofirststartwizard",
                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir), str(work)]
        kwargs: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE,
                        "cwd": tmp_name}
        if sys.platform == "win32":
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        else:
            kwargs["start_new_session"] = True  # its own process group: a timeout ends all of it
        try:
            proc = subprocess.Popen(command, **kwargs)
        except OSError as exc:
            raise PdfError(f"Không chạy được LibreOffice ({program}): {os_error_reason(exc)}.") from None
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)
            raise PdfError(
                f"LibreOffice chưa chuyển xong tệp sang PDF sau {int(timeout)} giây nên đã dừng. "
                "Hãy thử lại; nếu vẫn vậy, mở tệp DOCX bằng Word rồi chọn Lưu thành PDF.") from None
        except BaseException:
            _kill_tree(proc)
            raise
        produced = outdir / "baocao.pdf"
        if proc.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = _tail(err) or _tail(out)
            raise PdfError(
                f"LibreOffice không tạo được tệp PDF (mã lỗi {proc.returncode})."
                + (f" Chi tiết: {detail}" if detail else "")
                + " Hãy mở tệp DOCX bằng Word hoặc LibreOffice rồi lưu thành PDF.")
        _move_into_place(produced, target)
    return target


def _move_into_place(produced: Path, target: Path) -> None:
    """Copy next to the target under a temporary name, flush, then rename over the target."""
    try:
        fd, partial_name = tempfile.mkstemp(prefix="." + target.stem[:40] + "-", suffix=".pdf.tmp",
                                            dir=target.parent)
    except PermissionError:
        raise PdfError(f"Không ghi được vào thư mục “{target.parent}”: thư mục không cho ghi. "
                       "Hãy chọn thư mục khác.") from None
    except OSError as exc:
        raise PdfError(f"Không ghi được tệp “{target.name}”: {os_error_reason(exc)}.") from None
    partial = Path(partial_name)
    try:
        with os.fdopen(fd, "wb") as handle, produced.open("rb") as source:
            shutil.copyfileobj(source, handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.replace(partial, target)
        except PermissionError:
            raise PdfError(f"Không ghi được “{target.name}”: tệp đang mở (ví dụ trong trình đọc PDF) hoặc thư "
                           "mục không cho ghi. Hãy đóng tệp rồi thử lại.") from None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, PermissionError):
            raise PdfError(f"Không ghi được vào thư mục “{target.parent}”: thư mục không cho ghi. "
                           "Hãy chọn thư mục khác.") from None
        raise PdfError(f"Không ghi được tệp “{target.name}”: {os_error_reason(exc)}.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
