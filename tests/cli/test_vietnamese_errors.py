"""Issue 18 point 4: no English sentence of sqlite3, the operating system, zipfile, YAML or python-docx
reaches the user. Each error path is fed a bad file or a simulated failure; what the user reads (stderr of
the command line, the database-error screen, the interface's failure text) has no ASCII-only sentence of
three or more words and no Vietnamese letter. The technical text goes to the bug log only."""
import errno
import re
import sqlite3
import zipfile

import pytest

from baocao_desktop.domain.error_text import english_sentences, environment_error_text, os_error_text
from tests.conftest import run_cli


def assert_vietnamese(text: str) -> None:
    assert text.strip(), "nothing was said"
    assert english_sentences(text) == [], text
    assert not re.search(r"\b\w*(Error|Exception)\b", text), text  # no Python exception names either


def test_the_english_detector_finds_english_and_leaves_vietnamese_and_paths_alone():
    assert english_sentences("file is not a database")
    assert english_sentences("Không mở được: No space left on device")
    assert not english_sentences("Không mở được tệp “C:\\Users\\An\\bao cao tuan.sqlite3”: tệp bị hỏng.")
    assert not english_sentences("Đã sao lưu vào /tmp/usb/baocao-2026-12-07_090000.sqlite3")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "baocao.sqlite3"
    assert run_cli("demo", "--db", str(path))[0] == 0
    return path


def test_corrupt_and_foreign_databases(tmp_path):
    not_a_db = tmp_path / "word.sqlite3"
    not_a_db.write_bytes(b"PK\x03\x04" + b"\x00" * 5000)
    damaged = tmp_path / "hong.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    for path in (not_a_db, damaged):
        code, out, err = run_cli("report", "list", "--db", str(path))
        assert code == 2 and "Không mở được cơ sở dữ liệu" in err
        assert_vietnamese(err)


def test_database_error_screen_is_vietnamese(qtbot, tmp_path):
    pytest.importorskip("pytestqt")
    from baocao_desktop.services.workspace import Workspace
    from baocao_desktop.ui.app import db_error_box, open_errors
    damaged = tmp_path / "hong.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    with pytest.raises(open_errors()) as caught:
        Workspace(damaged)
    box = db_error_box(damaged, caught.value)
    qtbot.addWidget(box)
    assert "file is not a database" not in box.informativeText()
    for text in (box.text(), box.informativeText(), *[b.text() for b in box.buttons()]):
        assert_vietnamese(text)


def test_missing_folder_and_a_file_in_the_way(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run_cli("report", "list", "--db", str(blocker / "sub" / "baocao.sqlite3"))
    assert code == 2
    assert_vietnamese(err)


def test_locked_database_while_another_program_writes(db):
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = run_cli("unit", "set", "--symbol", "ĐU", "--db", str(db))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2 and "đang bận" in err
    assert_vietnamese(err)


@pytest.mark.parametrize("message", ["attempt to write a readonly database", "database or disk is full",
                                     "disk I/O error"])
def test_read_only_or_full_database_while_writing(db, monkeypatch, message):
    from baocao_desktop.services.workspace import Workspace

    def fails(*args, **kwargs):
        raise sqlite3.OperationalError(message)
    monkeypatch.setattr(Workspace, "save_unit", fails)
    code, _, err = run_cli("unit", "set", "--symbol", "ĐU", "--db", str(db))
    assert code == 2 and "Lỗi chương trình" not in err
    assert_vietnamese(err)


@pytest.mark.parametrize("error", [
    OSError(errno.ENOSPC, "No space left on device"),
    PermissionError(errno.EACCES, "Permission denied"),
    FileNotFoundError(errno.ENOENT, "No such file or directory"),
    OSError(errno.EROFS, "Read-only file system"),
])
def test_disk_full_and_permission_denied_when_exporting(db, tmp_path, monkeypatch, error):
    import os
    report = run_cli("report", "list", "--db", str(db), "--json")[1]
    report_id = __import__("json").loads(report)["reports"][0]["id"]

    def fails(*args, **kwargs):
        raise error
    monkeypatch.setattr(os, "replace", fails)
    code, _, err = run_cli("export", report_id, "--docx", str(tmp_path / "out.docx"), "--db", str(db))
    assert code == 2
    assert_vietnamese(err)


def test_file_in_use_on_windows_is_said_in_vietnamese():
    error = PermissionError(13, "The process cannot access the file because it is being used by another process")
    error.winerror = 32
    for text in (os_error_text(error, "bao cao.docx"), environment_error_text(error)):
        assert "chương trình khác" in text
        assert_vietnamese(text)


def test_bad_zip_bad_yaml_and_bad_docx(db, tmp_path):
    bad_zip = tmp_path / "goi.mau.zip"
    bad_zip.write_bytes(b"PK\x03\x04" + b"\xff" * 300)
    bad_yaml = tmp_path / "mau.yaml"
    bad_yaml.write_text("code: [unclosed\n  name: : :\n", encoding="utf-8")
    bad_docx = tmp_path / "bao cao.docx"
    with zipfile.ZipFile(bad_docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>not closed")
    bad_bundle = tmp_path / "thang6.baocao"
    bad_bundle.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    runs = [
        run_cli("template", "import", str(bad_zip), "--db", str(db)),
        run_cli("template", "import", str(bad_yaml), "--db", str(db)),
        run_cli("report", "import-docx", str(bad_docx), "--template", "bc_tuan", "--period", "2026-07-06",
                "--db", str(db)),
        run_cli("bundle", "verify", str(bad_bundle), "--db", str(db)),
        run_cli("proofread", str(bad_docx)),
    ]
    for code, out, err in runs:
        assert code == 2, (out, err)
        assert_vietnamese(err)


def test_bad_json_for_report_fill(db, tmp_path):
    report_id = __import__("json").loads(run_cli("report", "list", "--db", str(db), "--json")[1])["reports"][0]["id"]
    broken = tmp_path / "so-lieu.json"
    broken.write_text("{\"a\": ", encoding="utf-8")
    code, _, err = run_cli("report", "fill", report_id, "--from", str(broken), "--db", str(db))
    assert code == 2 and "dòng 1" in err
    assert_vietnamese(err)
