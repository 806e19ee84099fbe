"""Keeping the unit's private key out of reach of whoever copies the database, and its passphrase backup.

Where the key lives (the database column unit_keys.private_key holds only a reference to it):
- Windows: "dpapi:<base64>": the seed encrypted with DPAPI for the current user (CryptProtectData through
  ctypes, no shell-out). Only the same Windows account on the same machine can decrypt it, so a database
  copied to a USB stick, a backup or another account carries the key only encrypted and cannot sign.
- elsewhere: "file:<name>": the seed in a key file in the user's data folder (keys/<name>.key, mode 0600,
  folder 0700), outside the database, so copying the database does not carry the key. An OS keyring was
  not chosen: on Linux it needs a Secret Service/KWallet daemon of a desktop session, absent on servers, in
  CI and under plain X sessions, where signing would then fail for reasons the clerk cannot fix.

The backup (`export_backup`/`read_backup`) is a small JSON text file: the seed encrypted with AES-256-GCM
under a key derived from a passphrase by scrypt (n=2^15, r=8, p=1), the unit and the public key in clear
and authenticated. No database here, no Qt; `cryptography` is imported lazily.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import UserError

DPAPI_PREFIX = "dpapi:"
FILE_PREFIX = "file:"
KEY_FOLDER = "keys"
BACKUP_FORMAT = "baocao-private-key 1"
BACKUP_SUFFIX = ".baocaokhoa"
MIN_PASSPHRASE = 8
_SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}
# entropy mixed into DPAPI: a blob made by another program for this user is not taken for ours
_DPAPI_ENTROPY = b"BAOCAO-UNIT-KEY-1"


class KeyUnavailable(UserError):
    """The private key is not usable on this machine/account (copied database, lost key file)."""


class BackupError(UserError, ValueError):
    """A key backup that cannot be read or decrypted; the message is Vietnamese."""


def unavailable_message() -> str:
    return ("Không dùng được khóa ký số của đơn vị trên máy/tài khoản này: khóa được bảo vệ theo tài khoản "
            "người dùng và không đi theo bản sao cơ sở dữ liệu. Hãy khôi phục khóa từ tệp sao lưu khóa (Đơn vị → "
            "Khóa ký số → Khôi phục khóa…, hoặc lệnh: baocao unit key restore TỆP), hoặc nếu đã mất khóa: tạo "
            "khóa mới, gửi tệp khóa công khai cho cấp trên và gọi điện đọc mã nhận dạng để cấp trên đăng ký "
            "lại (baocao unit register TỆP_KHÓA --replace).")


def is_protected(stored: str | None) -> bool:
    return bool(stored) and (stored.startswith(DPAPI_PREFIX) or stored.startswith(FILE_PREFIX))


# -- Windows DPAPI -------------------------------------------------------------------------------------------
def _dpapi(data: bytes, protect: bool) -> bytes:
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    def blob(raw: bytes):
        buffer = ctypes.create_string_buffer(raw, len(raw))
        return Blob(len(raw), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char))), buffer

    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    source, _keep = blob(data)
    entropy, _keep2 = blob(_DPAPI_ENTROPY)
    out = Blob()
    ui_forbidden = 0x1  # CRYPTPROTECT_UI_FORBIDDEN
    if protect:
        ok = crypt32.CryptProtectData(ctypes.byref(source), "BaoCao", ctypes.byref(entropy), None, None,
                                      ui_forbidden, ctypes.byref(out))
    else:
        ok = crypt32.CryptUnprotectData(ctypes.byref(source), None, ctypes.byref(entropy), None, None,
                                        ui_forbidden, ctypes.byref(out))
    if not ok:
        raise KeyUnavailable(unavailable_message())
    try:
        return ctypes.string_at(out.pbData, out.cbData)
    finally:
        kernel32.LocalFree(out.pbData)


# -- protected storage ---------------------------------------------------------------------------------------
def protect(seed_b64: str, fingerprint: str, folder: Path) -> str:
    """Put the base64 seed where only this user can use it; returns what the database keeps instead."""
    if os.name == "nt":
        return DPAPI_PREFIX + base64.b64encode(_dpapi(seed_b64.encode("ascii"), True)).decode("ascii")
    name = fingerprint.replace("-", "")
    keys = Path(folder) / KEY_FOLDER
    keys.mkdir(parents=True, exist_ok=True)
    os.chmod(keys, 0o700)
    path = keys / f"{name}.key"
    temporary = path.with_suffix(".tmp")
    # created 0600 from the start: never readable by others, not even for a moment
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(seed_b64 + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return FILE_PREFIX + name


def unprotect(stored: str | None, folder: Path) -> str:
    """The base64 seed from what the database keeps (KeyUnavailable when it cannot be had here)."""
    if not stored:
        raise KeyUnavailable(unavailable_message())
    if stored.startswith(DPAPI_PREFIX):
        if os.name != "nt":
            raise KeyUnavailable(unavailable_message())
        try:
            raw = base64.b64decode(stored[len(DPAPI_PREFIX):], validate=True)
        except ValueError:
            raise KeyUnavailable(unavailable_message()) from None
        return _dpapi(raw, False).decode("ascii")
    if stored.startswith(FILE_PREFIX):
        path = Path(folder) / KEY_FOLDER / f"{stored[len(FILE_PREFIX):]}.key"
        try:
            return path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            raise KeyUnavailable(unavailable_message()) from None
    return stored  # a clear key of an older database (moved into protected storage when the database opens)


# -- passphrase backup ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyBackup:
    unit_id: str
    unit_name: str
    public_key: str
    fingerprint: str
    seed_b64: str


def _derive(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
    return Scrypt(salt=salt, length=32, **_SCRYPT).derive(passphrase.encode("utf-8"))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise BackupError(f"Mật khẩu bảo vệ tệp sao lưu khóa phải có ít nhất {MIN_PASSPHRASE} ký tự.")


def backup_text(backup: KeyBackup, passphrase: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    check_passphrase(passphrase)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = {"format": BACKUP_FORMAT, "unit_id": backup.unit_id, "unit_name": backup.unit_name,
              "public_key": backup.public_key, "fingerprint": backup.fingerprint, "kdf": "scrypt", **_SCRYPT,
              "salt": base64.b64encode(salt).decode("ascii"), "nonce": base64.b64encode(nonce).decode("ascii")}
    aad = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    sealed = AESGCM(_derive(passphrase, salt)).encrypt(nonce, backup.seed_b64.encode("ascii"), aad)
    return json.dumps({**header, "ciphertext": base64.b64encode(sealed).decode("ascii")}, ensure_ascii=False,
                      indent=1) + "\n"


def read_backup(text: str, passphrase: str, origin: str = "tệp sao lưu khóa") -> KeyBackup:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    try:
        data = json.loads(text)
        header = {k: v for k, v in data.items() if k != "ciphertext"}
        if data.get("format") != BACKUP_FORMAT or data.get("kdf") != "scrypt":
            raise ValueError
        if {k: data.get(k) for k in _SCRYPT} != _SCRYPT:
            raise ValueError  # never let a file choose a memory-hungry cost
        salt, nonce = base64.b64decode(data["salt"]), base64.b64decode(data["nonce"])
        sealed = base64.b64decode(data["ciphertext"])
        if len(salt) != 16 or len(nonce) != 12:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BackupError(f"“{origin}” không phải tệp sao lưu khóa BaoCao.") from None
    aad = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        seed = AESGCM(_derive(passphrase or "", salt)).decrypt(nonce, sealed, aad).decode("ascii")
    except (InvalidTag, UnicodeDecodeError):
        raise BackupError(f"Mật khẩu không đúng (hoặc “{origin}” đã bị sửa): không mở được tệp sao lưu khóa. "
                          f"Hãy nhập đúng mật khẩu đã đặt khi sao lưu.") from None
    return KeyBackup(data["unit_id"], data.get("unit_name") or "", data["public_key"], data["fingerprint"], seed)


def write_backup(backup: KeyBackup, passphrase: str, path: Path) -> Path:
    text = backup_text(backup, passphrase)
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def load_backup(path: Path, passphrase: str) -> KeyBackup:
    from .keys import read_small_text
    text = read_small_text(path, "tệp sao lưu khóa BaoCao", BackupError)
    return read_backup(text, passphrase, Path(path).name)
