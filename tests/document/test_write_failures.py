"""A document that cannot be written: a Vietnamese message, the report intact, and nothing
half-written under the target name (an existing file stays byte for byte as it was).

The container runs as root, which ignores file permissions, so the failures are simulated where the
operating system would raise them: os.replace (Word holds the file open), tempfile.mkstemp (the
folder refuses writing), the save itself (disk full), plus a read-only target file by its mode bits.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
import zipfile

import pytest

from baocao_desktop.document import docx_writer
from baocao_desktop.document.docx_writer import (DocumentWriteError, FolderMissingError, TargetLockedError,
                                                 write_docx)
from tests.document.test_docx_writer import make_model

OLD = b"PK\x03\x04 the report as it was before, signed and printed"


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "Báo cáo tuần.docx"
    path.write_bytes(OLD)
    return path


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def assert_untouched(target):
    assert target.read_bytes() == OLD
    assert names(target.parent) == [target.name]  # no temporary file left behind either


def test_target_open_in_word(target, monkeypatch):
    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used by another "
                                  "process", str(dst))
    monkeypatch.setattr(docx_writer.os, "replace", locked)
    with pytest.raises(TargetLockedError) as info:
        write_docx(make_model(), target)
    message = str(info.value)
    assert message.startswith("Không ghi được “Báo cáo tuần.docx”: tệp đang mở trong Word")
    assert "Hãy đóng tệp trong Word" in message
    assert isinstance(info.value, PermissionError) and isinstance(info.value, DocumentWriteError)
    assert_untouched(target)


def test_read_only_target_file(target):
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        with pytest.raises(TargetLockedError, match="tệp cũ đang đặt chế độ chỉ đọc.*bỏ chế độ chỉ đọc"):
            write_docx(make_model(), target)
        assert_untouched(target)
    finally:
        os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_folder(target, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("dir"))
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(TargetLockedError, match=r"thư mục không cho phép ghi\. Hãy chọn thư mục khác"):
        write_docx(make_model(), target)
    assert_untouched(target)


@pytest.mark.parametrize("where", ["save", "fsync"])
def test_disk_full(target, monkeypatch, where):
    import docx.document

    if where == "save":
        def full(self, stream):
            stream.write(b"PK\x03\x04 half a document")
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(docx.document.Document, "save", full)
    else:
        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(docx_writer.os, "fsync", full)
    with pytest.raises(DocumentWriteError) as info:
        write_docx(make_model(), target)
    assert str(info.value) == ("Không ghi được “Báo cáo tuần.docx”: ổ đĩa đã hết chỗ trống. Hãy xóa bớt tệp "
                               "không cần hoặc lưu vào ổ đĩa khác rồi xuất lại.")
    assert info.value.errno == errno.ENOSPC and info.value.strerror == "ổ đĩa đã hết chỗ trống"
    assert_untouched(target)


def test_disk_full_without_an_old_file(tmp_path, monkeypatch):
    import docx.document

    def full(self, stream):
        stream.write(b"PK half")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(docx.document.Document, "save", full)
    with pytest.raises(DocumentWriteError, match="hết chỗ trống"):
        write_docx(make_model(), tmp_path / "moi.docx")
    assert names(tmp_path) == []


def test_missing_folder(tmp_path):
    with pytest.raises(FolderMissingError, match=r"^Không ghi được “bc.docx”: thư mục .* không tồn tại"):
        write_docx(make_model(), tmp_path / "USB đã rút" / "bc.docx")
    assert names(tmp_path) == []


def test_folder_removed_while_writing(target, monkeypatch):
    def gone(src, dst):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(dst))
    monkeypatch.setattr(docx_writer.os, "replace", gone)
    with pytest.raises(FolderMissingError, match="không còn nữa"):
        write_docx(make_model(), target)
    assert_untouched(target)


def test_unexpected_os_error_still_vietnamese(target, monkeypatch):
    def broken(src, dst):
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(docx_writer.os, "replace", broken)
    with pytest.raises(DocumentWriteError, match=r"^Không ghi được “Báo cáo tuần.docx”: lỗi đọc/ghi ổ đĩa\. "
                                                 r"Hãy thử lại"):
        write_docx(make_model(), target)
    assert_untouched(target)


def test_a_folder_with_the_target_name(tmp_path):
    (tmp_path / "bc.docx").mkdir()
    with pytest.raises(DocumentWriteError, match="đã có một thư mục trùng tên"):
        write_docx(make_model(), tmp_path / "bc.docx")


def test_success_after_a_failure_replaces_the_old_file(target, monkeypatch):
    import docx.document

    real_save = docx.document.Document.save
    calls = []

    def flaky(self, stream):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, stream)
    monkeypatch.setattr(docx.document.Document, "save", flaky)
    with pytest.raises(DocumentWriteError):
        write_docx(make_model(), target)
    assert_untouched(target)
    write_docx(make_model(), target)
    assert zipfile.is_zipfile(target) and names(target.parent) == [target.name]


# ---------------------------------------------------------------------------------- through the workspace
def test_workspace_export_failure_keeps_the_report_and_says_why(demo_workspace, tmp_path, monkeypatch):
    from baocao_desktop.services.errors import ServiceError
    ws = demo_workspace
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "Báo cáo tuần.docx"
    target.write_bytes(OLD)
    report = ws.list_reports()[0]
    before = ws.report(report.id)
    monkeypatch.setattr(docx_writer.os, "replace",
                        lambda src, dst: (_ for _ in ()).throw(PermissionError(13, "denied", str(dst))))
    with pytest.raises(ServiceError, match="tệp đang mở trong Word"):
        ws.export_docx(report.id, target)
    assert_untouched(target)
    after = ws.report(report.id)
    assert (after.texts, after.values, after.tables, after.status, after.number) == (
        before.texts, before.values, before.tables, before.status, before.number)


def test_cli_export_failure_is_a_clear_message(demo_workspace, tmp_path):
    from tests.conftest import run_cli
    report = demo_workspace.list_reports()[0]
    db = str(demo_workspace.path)
    demo_workspace.close()
    code, out, err = run_cli("export", report.id[:8], "--db", db, "--docx", str(tmp_path / "khong_co" / "bc.docx"))
    assert code == 2
    assert "Không ghi được “bc.docx”" in err and "Traceback" not in err
