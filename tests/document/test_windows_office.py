"""Word / LibreOffice discovery on Windows (registry and usual folders, faked here) and the
PowerShell command that makes Word save a PDF. The real conversion needs Windows with Word."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest

from baocao_desktop.document import windows_office as wo


@pytest.fixture
def windows(monkeypatch, tmp_path):
    monkeypatch.setattr(wo.sys, "platform", "win32")
    monkeypatch.delenv(wo.WORD_ENV, raising=False)
    for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "Program Files (x86)"))
    registry: dict[str, str] = {}
    monkeypatch.setattr(wo, "_registry_default", lambda path, value="": registry.get(path))
    return tmp_path, registry


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"MZ")
    return path


def test_no_word_outside_windows(monkeypatch):
    monkeypatch.delenv(wo.WORD_ENV, raising=False)
    monkeypatch.setattr(wo.sys, "platform", "linux")
    assert wo.find_word() is None
    with pytest.raises(wo.WordPdfError, match="Không tìm thấy Microsoft Word"):
        wo.word_to_pdf("a.docx", "a.pdf")


def test_word_in_the_usual_office_folders(windows):
    tmp_path, _ = windows
    assert wo.find_word() is None
    msi_2013 = touch(tmp_path / "Program Files (x86)" / "Microsoft Office" / "Office15" / "WINWORD.EXE")
    assert wo.find_word() == msi_2013
    c2r_365 = touch(tmp_path / "Program Files" / "Microsoft Office" / "root" / "Office16" / "WINWORD.EXE")
    assert wo.find_word() == c2r_365  # 64-bit Program Files and the newest version first


def test_word_from_app_paths_registry_first(windows):
    tmp_path, registry = windows
    touch(tmp_path / "Program Files" / "Microsoft Office" / "root" / "Office16" / "WINWORD.EXE")
    elsewhere = touch(tmp_path / "D" / "Văn phòng" / "WINWORD.EXE")
    registry[r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\Winword.exe"] = f'"{elsewhere}"'
    assert wo.find_word() == elsewhere


def test_libreoffice_from_registry(windows):
    tmp_path, registry = windows
    assert wo.libreoffice_from_registry() is None
    soffice = touch(tmp_path / "D" / "LibreOffice" / "program" / "soffice.exe")
    registry[r"SOFTWARE\LibreOffice\UNO\InstallPath"] = str(soffice.parent)
    assert wo.libreoffice_from_registry() == soffice


def test_powershell_script_takes_paths_from_the_environment():
    command = wo.powershell_command()
    assert command[-2] == "-EncodedCommand" and "-NoProfile" in command
    script = base64.b64decode(command[-1]).decode("utf-16-le")
    assert "ExportAsFixedFormat($env:BAOCAO_PDF_OUT, 17)" in script
    assert "$env:BAOCAO_DOCX_IN" in script and "$word.Quit()" in script
