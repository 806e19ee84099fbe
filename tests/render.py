"""LibreOffice rendering for the tests: DOCX → PDF (the test command installs LibreOffice)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def soffice_binary() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if sys.platform.startswith("linux"):
        pytest.fail("LibreOffice (soffice) is required for the render test on Linux: "
                    "apt-get install libreoffice-writer-nogui")
    pytest.skip("LibreOffice not installed")


def docx_to_pdf(docx_path: Path, workdir: Path) -> Path:
    """Convert with a private LibreOffice profile so parallel runs do not clash."""
    subprocess.run(
        [soffice_binary(), f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(workdir), str(docx_path)],
        check=True, timeout=180, capture_output=True)
    pdf = workdir / (Path(docx_path).stem + ".pdf")
    assert pdf.exists(), f"LibreOffice made no PDF from {docx_path}"
    return pdf
