"""The key dialog's protection part (issue 19 point 8): where the private key is kept, its passphrase backup
and restore, a copied database that cannot sign, a new key when it is lost."""
import shutil

import pytest

from baocao_desktop.services import exchange as ex
from baocao_desktop.services.workspace import Workspace
from baocao_desktop.ui import key_dialogs
from baocao_desktop.ui.key_dialogs import KeyDialog, PassphraseDialog
from tests.exchange.conftest import WEEK1, blank_db, make_commune  # noqa: F401


@pytest.fixture
def commune(make_commune):
    c = make_commune("Đảng ủy xã Bản Phố", "Bản Phố")
    c.weekly(WEEK1)
    return c


def test_backup_then_restore_on_a_copied_database(qtbot, commune, tmp_path, monkeypatch):
    dialog = KeyDialog(commune.ws)
    qtbot.addWidget(dialog)
    assert "bản sao cơ sở dữ liệu không mang theo khóa" in dialog.protection_label.text()
    assert dialog.backup_button.isEnabled()
    backup = dialog.backup_key(tmp_path / "sao-luu.baocaokhoa", "mật khẩu của xã")
    assert backup.is_file() and "Đã ghi tệp sao lưu khóa" in dialog.success_label.text()
    fingerprint = dialog.fingerprint

    commune.ws.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "ban-sao.sqlite3"
    shutil.copyfile(commune.ws.path, copy)
    other = tmp_path / "tai-khoan-khac"
    other.mkdir()
    monkeypatch.setenv("BAOCAO_DATA_DIR", str(other))
    ws = Workspace(copy)
    try:
        copied = KeyDialog(ws)
        qtbot.addWidget(copied)
        assert "Không ký được trên máy này" in copied.protection_label.text()
        assert "khôi phục khóa" in copied.protection_label.text()
        assert not copied.backup_button.isEnabled()
        assert not copied.restore_key(backup, "mật khẩu sai rồi")
        assert "Mật khẩu không đúng" in copied.error_label.text()
        assert copied.restore_key(backup, "mật khẩu của xã")
        assert fingerprint in copied.success_label.text()
        assert "Không ký được" not in copied.protection_label.text() and copied.backup_button.isEnabled()
        assert ex.own_key_pair(ws).fingerprint == fingerprint
    finally:
        ws.close()


def test_a_new_key_when_the_old_one_is_lost(qtbot, commune, monkeypatch):
    dialog = KeyDialog(commune.ws)
    qtbot.addWidget(dialog)
    old = dialog.fingerprint
    monkeypatch.setattr(key_dialogs, "ask_yes_no", lambda *args: False)
    dialog.confirm_new_key()
    assert ex.own_key(commune.ws).fingerprint == old  # not confirmed: nothing changes
    monkeypatch.setattr(key_dialogs, "ask_yes_no", lambda *args: True)
    dialog.confirm_new_key()
    new = ex.own_key(commune.ws).fingerprint
    assert new != old and dialog.fingerprint == new
    assert "đăng ký lại" in dialog.success_label.text()
    assert dialog.fingerprint_label.text() == " – ".join(new.split("-"))


def test_the_passphrase_dialog_wants_a_long_passphrase_typed_twice(qtbot):
    dialog = PassphraseDialog(confirm=True)
    qtbot.addWidget(dialog)
    dialog.first.setText("ngắn")
    dialog.try_accept()
    assert "ít nhất 8 ký tự" in dialog.error.text() and dialog.result() == 0
    dialog.first.setText("mật khẩu dài")
    dialog.second.setText("mật khẩu khác")
    dialog.try_accept()
    assert "không giống nhau" in dialog.error.text()
    dialog.second.setText("mật khẩu dài")
    dialog.try_accept()
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted and dialog.passphrase() == "mật khẩu dài"
