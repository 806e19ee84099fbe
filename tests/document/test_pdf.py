"""DOCX → PDF through LibreOffice: finding soffice, the private profile, atomic output, Vietnamese errors."""
from __future__ import annotations

import os
import stat
import sys
import textwrap
from pathlib import Path

import pytest

from baocao_desktop.document import pdf
from baocao_desktop.document.pdf import PdfError, docx_to_pdf, find_soffice

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="fake soffice is a POSIX script")


def fake_soffice(folder: Path, body: str) -> Path:
    """A stand-in for soffice: a Python script that gets LibreOffice's arguments."""
    script = folder / "soffice"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


CONVERTING = """
import sys, pathlib
args = sys.argv[1:]
outdir = pathlib.Path(args[args.index("--outdir") + 1])
source = pathlib.Path(args[-1])
profile = [a for a in args if a.startswith("-env:UserInstallation=")]
assert profile and "headless" in " ".join(args), args
(outdir / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4 fake " + profile[0].encode())
"""


@pytest.fixture
def docx_file(tmp_path):
    path = tmp_path / "Báo cáo tuần.docx"
    path.write_bytes(b"PK\x03\x04 not really a docx, the fake soffice does not care")
    return path


# -- finding LibreOffice ------------------------------------------------------------------------------
def test_find_soffice_on_path(monkeypatch, tmp_path):
    monkeypatch.delenv(pdf.SOFFICE_ENV, raising=False)
    program = fake_soffice(tmp_path, "")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_soffice() == program


def test_find_soffice_in_windows_program_files(monkeypatch, tmp_path):
    monkeypatch.delenv(pdf.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf.sys, "platform", "win32")
    program_files, x86 = tmp_path / "Program Files", tmp_path / "Program Files (x86)"
    exe = x86 / "LibreOffice" / "program" / "soffice.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"MZ")
    program_files.mkdir()
    for var in ("ProgramW6432", "LOCALAPPDATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ProgramFiles", str(program_files))
    monkeypatch.setenv("ProgramFiles(x86)", str(x86))
    assert find_soffice() == exe
    # the 64-bit install wins when both exist
    exe64 = program_files / "LibreOffice" / "program" / "soffice.exe"
    exe64.parent.mkdir(parents=True)
    exe64.write_bytes(b"MZ")
    assert find_soffice() == exe64


def test_find_soffice_none_when_not_installed(monkeypatch, tmp_path):
    monkeypatch.delenv(pdf.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "_candidates", lambda: [tmp_path / "nowhere" / "soffice"])
    assert find_soffice() is None


def test_explicit_soffice_setting(monkeypatch, tmp_path):
    program = fake_soffice(tmp_path, "")
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(program))
    assert find_soffice() == program
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(tmp_path / "missing"))
    assert find_soffice() is None


# -- converting -----------------------------------------------------------------------------------------
@posix_only
def test_converts_with_a_private_profile_and_moves_atomically(tmp_path, docx_file):
    program = fake_soffice(tmp_path, CONVERTING)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "Báo cáo tuần.pdf"
    assert docx_to_pdf(docx_file, target, soffice=program) == target
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"-env:UserInstallation=file://" in data  # never the user's own LibreOffice profile
    assert sorted(p.name for p in out_dir.iterdir()) == ["Báo cáo tuần.pdf"]  # no temporary left


@posix_only
def test_failure_says_so_in_vietnamese_and_keeps_the_old_file(tmp_path, docx_file):
    program = fake_soffice(tmp_path, "import sys\nprint('Error: source file could not be loaded', file=sys.stderr)\n"
                                     "sys.exit(1)\n")
    target = tmp_path / "b.pdf"
    target.write_bytes(b"%PDF old")
    with pytest.raises(PdfError, match="LibreOffice không tạo được tệp PDF") as info:
        docx_to_pdf(docx_file, target, soffice=program)
    assert "could not be loaded" in str(info.value)
    assert target.read_bytes() == b"%PDF old"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


@posix_only
def test_timeout_stops_libreoffice(tmp_path, docx_file):
    program = fake_soffice(tmp_path, "import time\ntime.sleep(60)\n")
    target = tmp_path / "c.pdf"
    with pytest.raises(PdfError, match="sau 1 giây"):
        docx_to_pdf(docx_file, target, timeout=1, soffice=program)
    assert not target.exists()


def test_missing_libreoffice_message(monkeypatch, docx_file, tmp_path):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(PdfError, match="chưa cài LibreOffice"):
        docx_to_pdf(docx_file, tmp_path / "d.pdf")


@posix_only
def test_target_folder_missing(tmp_path, docx_file):
    program = fake_soffice(tmp_path, CONVERTING)
    with pytest.raises(PdfError, match="không tồn tại"):
        docx_to_pdf(docx_file, tmp_path / "no" / "e.pdf", soffice=program)


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder(tmp_path, docx_file):
    program = fake_soffice(tmp_path, CONVERTING)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(PdfError, match="không cho ghi"):
            docx_to_pdf(docx_file, locked / "f.pdf", soffice=program)
    finally:
        locked.chmod(0o700)


# -- the real thing --------------------------------------------------------------------------------------
@pytest.mark.render
def test_real_libreoffice_makes_an_a4_pdf(demo_workspace, tmp_path):
    if find_soffice() is None:
        if sys.platform.startswith("linux"):
            pytest.fail("LibreOffice (soffice) is required for the render tests on Linux")
        pytest.skip("LibreOffice not installed")
    pypdf = pytest.importorskip("pypdf")
    report = next(r for r in demo_workspace.list_reports() if r.template_code == "bc_tuan")
    docx = demo_workspace.export_docx(report.id, tmp_path / "Báo cáo tuần.docx")
    target = docx_to_pdf(docx, tmp_path / "Báo cáo tuần.pdf")
    reader = pypdf.PdfReader(str(target))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "BÁO CÁO" in text and "Lù Văn Chính" in text
