"""Ed25519 keys of a unit: generation, signing with a purpose label, fingerprints read over the phone,
and the public key file a commune gives its upper level.

No database here (store/registry.py stores keys, services/exchange/registry.py decides). `cryptography` is imported lazily: it is only
needed when something is signed or verified, never at start-up.

The private key never stays in clear in the database: exchange/key_protection.py keeps it (DPAPI on
Windows, a key file readable only by the user elsewhere) and makes its passphrase backup.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..domain.error_text import os_error_reason
from ..domain.errors import UserError

ALGORITHM = "ed25519"
# Every signature is over PURPOSE + data, so that a signature made for one kind of object (a key file,
# a transfer file, later a template pack) can never be replayed as another.
PURPOSE_KEY_FILE = b"BAOCAO-KEYFILE-1\n"
PURPOSE_BUNDLE = b"BAOCAO-BUNDLE-1\n"
PURPOSE_TEMPLATE_PACK = b"BAOCAO-TEMPLATES-1\n"
# the seal of a signed report (Ký): over exchange.content.signed_content
PURPOSE_REPORT = b"BAOCAO-REPORT-1\n"
KEY_FILE_FORMAT = "baocao-public-key 1"
KEY_FILE_SUFFIX = ".baocaokey"


class KeyFileError(UserError, ValueError):
    """A key or key file that cannot be used; the message is Vietnamese."""


def _ed25519():
    from cryptography.hazmat.primitives.asymmetric import ed25519
    return ed25519


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, length: int | None = None, what: str = "khóa") -> bytes:
    try:
        raw = base64.b64decode((text or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileError(f"Giá trị {what} không đúng dạng base64.") from None
    if length is not None and len(raw) != length:
        raise KeyFileError(f"Giá trị {what} có độ dài sai ({len(raw)} byte, cần {length}).")
    return raw


@dataclass(frozen=True)
class KeyPair:
    private_key: str  # base64 of the 32-byte seed
    public_key: str  # base64 of the 32-byte public key

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def generate_key_pair() -> KeyPair:
    from cryptography.hazmat.primitives import serialization
    ed25519 = _ed25519()
    private = ed25519.Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KeyPair(b64(seed), b64(public))


def public_from_private(private_key: str) -> str:
    from cryptography.hazmat.primitives import serialization
    private = _ed25519().Ed25519PrivateKey.from_private_bytes(unb64(private_key, 32))
    return b64(private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def fingerprint(public_key: str) -> str:
    """Five groups of four base32 letters/digits (100 bits), e.g. "K7QF-2MZA-…", easy to read aloud:
    base32 has no 0/1/8/9, so O/I/B cannot be mistaken for digits."""
    raw = unb64(public_key, 32)
    digest = hashlib.sha256(b"BAOCAO-FINGERPRINT-1\n" + raw).digest()
    text = base64.b32encode(digest).decode("ascii")[:20]
    return "-".join(text[i:i + 4] for i in range(0, 20, 4))


def sign(private_key: str, purpose: bytes, data: bytes) -> str:
    private = _ed25519().Ed25519PrivateKey.from_private_bytes(unb64(private_key, 32))
    return b64(private.sign(purpose + data))


def verify(public_key: str, purpose: bytes, data: bytes, signature: str) -> bool:
    """True only for a valid signature; any malformed input is simply False."""
    from cryptography.exceptions import InvalidSignature
    try:
        key = _ed25519().Ed25519PublicKey.from_public_bytes(unb64(public_key, 32))
        key.verify(unb64(signature, 64, "chữ ký"), purpose + data)
        return True
    except (InvalidSignature, KeyFileError, ValueError):
        return False


# -- the public key file --------------------------------------------------------------------------------
KEY_FILE_FIELDS = ("format", "unit_id", "name", "level", "upper_body", "algorithm", "public_key",
                   "fingerprint", "created_at")


@dataclass(frozen=True)
class PublicKeyFile:
    unit_id: str
    name: str
    level: str
    upper_body: str
    public_key: str
    created_at: str
    algorithm: str = ALGORITHM

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def _fields(self) -> dict[str, str]:
        return {"format": KEY_FILE_FORMAT, "unit_id": self.unit_id, "name": self.name, "level": self.level,
                "upper_body": self.upper_body, "algorithm": self.algorithm, "public_key": self.public_key,
                "fingerprint": self.fingerprint, "created_at": self.created_at}

    def signed_text(self) -> bytes:
        return "\n".join(f"{k}: {v}" for k, v in self._fields().items()).encode("utf-8")


def write_key_file(key: PublicKeyFile, private_key: str, path: Path) -> Path:
    """A small UTF-8 text file; the last line is a signature by the key itself (the file was not
    altered on the way). Trust still comes from reading the fingerprint over the phone."""
    lines = [
        "# Khóa công khai BaoCao của đơn vị. Gửi tệp này cho cấp trên để đăng ký (baocao unit register).",
        f"# Mã nhận dạng (đọc qua điện thoại để đối chiếu): {key.fingerprint}",
        key.signed_text().decode("utf-8"),
        f"self_signature: {sign(private_key, PURPOSE_KEY_FILE, key.signed_text())}",
        "",
    ]
    path = Path(path)
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    return path


def read_small_text(path: Path, kind: str = "tệp khóa BaoCao", error=KeyFileError) -> str:
    """The text of a small UTF-8 key file (public key, key backup) picked by the user, or `error` saying in
    Vietnamese why it is not one of `kind`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"Không đọc được tệp “{path.name}” ({os_error_reason(exc)}).") from None
    if len(raw) > 64 * 1024:
        raise error(f"Tệp “{path.name}” không phải {kind} (quá lớn).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"Tệp “{path.name}” không phải {kind} (không phải văn bản UTF-8).") from None


def read_key_file(path: Path) -> PublicKeyFile:
    return parse_key_file(read_small_text(path), Path(path).name)


def parse_key_file(text: str, origin: str = "tệp khóa") -> PublicKeyFile:
    values: dict[str, str] = {}
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise KeyFileError(f"Tệp “{origin}” không phải tệp khóa BaoCao (dòng “{line[:40]}”).")
        values[key.strip()] = unicodedata.normalize("NFC", value.strip())
    if values.get("format") != KEY_FILE_FORMAT:
        raise KeyFileError(f"Tệp “{origin}” không phải tệp khóa công khai BaoCao.")
    missing = [k for k in KEY_FILE_FIELDS + ("self_signature",) if k not in values]
    if missing:
        raise KeyFileError(f"Tệp khóa “{origin}” thiếu: {', '.join(missing)}.")
    if values["algorithm"] != ALGORITHM:
        raise KeyFileError(f"Tệp khóa “{origin}” dùng thuật toán “{values['algorithm']}”, chương trình chỉ nhận "
                        f"{ALGORITHM}.")
    key = PublicKeyFile(values["unit_id"], values["name"], values["level"], values["upper_body"],
                        values["public_key"], values["created_at"])
    unb64(key.public_key, 32)
    if key.fingerprint != values["fingerprint"]:
        raise KeyFileError(f"Tệp khóa “{origin}” bị hỏng: mã nhận dạng ghi trong tệp không khớp với khóa.")
    if not verify(key.public_key, PURPOSE_KEY_FILE, key.signed_text(), values["self_signature"]):
        raise KeyFileError(f"Tệp khóa “{origin}” đã bị sửa (chữ ký trong tệp không khớp). Hãy xin lại tệp khóa.")
    if not key.unit_id or not key.name:
        raise KeyFileError(f"Tệp khóa “{origin}” thiếu mã hoặc tên đơn vị.")
    return key


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
