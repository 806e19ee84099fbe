"""Word documents from outside within limits on every part (issue 19 point 6): a picture bomb and a
document of too many paragraphs are refused at once, with a Vietnamese reason, by the Word import, the
proofreader and the outline reader alike, before python-docx unpacks or parses anything."""
import io
import os
import zipfile

import pytest

from baocao_desktop.checks.proofread.files import ProofreadInputError, read_file
from baocao_desktop.domain import untrusted
from baocao_desktop.services.docx_import import WordFileError, read_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def base_members() -> dict[str, bytes]:
    import docx
    document = docx.Document()
    document.add_paragraph("Trong tuần tổ chức 02 hội nghị.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_docx(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def picture_bomb(tmp_path):
    """A picture part of 64 MB of filler (a PNG header, then zeros): about 64 KB in the file."""
    members = base_members()
    members["word/media/image1.png"] = b"\x89PNG\r\n\x1a\n" + bytes(64 * 1024 * 1024)
    return write_docx(tmp_path / "bom-hinh.docx", members)


@pytest.fixture
def many_paragraphs(tmp_path):
    """120,000 paragraphs (limit 100,000): a few MB of XML, a small file."""
    members = base_members()
    body = "<w:p><w:r><w:t>Dòng</w:t></w:r></w:p>" * 120_000
    members["word/document.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                    f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>').encode()
    path = write_docx(tmp_path / "nhieu-doan.docx", members)
    assert path.stat().st_size < 1024 * 1024
    return path


@pytest.fixture
def python_docx_never_opens(monkeypatch):
    import docx
    opened = []
    real = docx.Document
    monkeypatch.setattr(docx, "Document", lambda *a, **k: opened.append(1) or real(*a, **k))
    yield opened
    assert opened == []


def test_a_picture_bomb_is_refused_by_the_word_import(picture_bomb, python_docx_never_opens):
    with pytest.raises(WordFileError) as refused:
        read_docx(picture_bomb)
    message = str(refused.value)
    assert refused.value.code == "docx_limits"
    assert "bom-hinh.docx" in message and "image1.png" in message and "quá lớn khi giải nén" in message


def test_a_picture_bomb_is_refused_by_the_proofreader(picture_bomb, python_docx_never_opens):
    with pytest.raises(ProofreadInputError) as refused:
        read_file(picture_bomb)
    assert "image1.png" in str(refused.value) and "quá lớn" in str(refused.value)


def test_too_many_paragraphs_are_refused_by_the_word_import_and_the_proofreader(many_paragraphs,
                                                                                 python_docx_never_opens):
    for read, error in ((read_docx, WordFileError), (read_file, ProofreadInputError)):
        with pytest.raises(error) as refused:
            read(many_paragraphs)
        assert refused.value.code == "docx_limits"
        assert "quá nhiều đoạn văn (hơn 100.000 đoạn" in str(refused.value)


def test_a_picture_that_compresses_like_filler_is_refused_even_when_small_enough(tmp_path):
    members = base_members()
    members["word/media/image1.emf"] = bytes(20 * 1024 * 1024)  # 20 MB of zeros: under 30 MB, ratio ~1000
    path = write_docx(tmp_path / "hinh-la.docx", members)
    with pytest.raises(WordFileError, match="nghi là “bom” hình ảnh"):
        read_docx(path)


def test_a_document_within_the_limits_reads(tmp_path):
    members = base_members()
    members["word/media/image1.jpeg"] = os.urandom(2 * 1024 * 1024)  # a photo: 2 MB that does not shrink
    body = "<w:p><w:r><w:t>Dòng</w:t></w:r></w:p>" * 5_000
    members["word/document.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                    f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>').encode()
    path = write_docx(tmp_path / "binh-thuong.docx", members)
    paragraphs = read_docx(path)
    assert len(paragraphs) == 5_000 and paragraphs[0].text == "Dòng"


def test_reading_that_takes_too_long_stops_with_a_vietnamese_reason(tmp_path, monkeypatch):
    members = base_members()
    path = write_docx(tmp_path / "cham.docx", members)
    monkeypatch.setattr(untrusted, "DOCX_LIMITS", untrusted.DocxLimits(max_seconds=-1.0))  # already over
    with pytest.raises(WordFileError) as refused:
        read_docx(path)
    assert refused.value.code == "too_slow" and "quá phức tạp" in str(refused.value)
