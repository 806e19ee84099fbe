"""The key registry: the own unit's signing key (made on first need, exported as a public key file),
and the public keys of the units below (to verify what they send) and of the level above (to verify
templates it sends down). A key that changes is refused until the user confirms its fingerprint."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ...exchange import key_protection, keys
from ...store import registry as key_store
from ...store import units as unit_store
from .. import events, paths
from ..errors import ServiceError
from .files import safe_file_name
from ...domain.error_text import os_error_reason


class KeyClash(ServiceError):
    """Registering a key where another one is registered: refused until the user confirms the new
    fingerprint (`register_unit(..., replace=True)`; on the command line `--replace`)."""

    def __init__(self, message: str, registered_fingerprint: str, new_fingerprint: str):
        super().__init__(message)
        self.registered_fingerprint = registered_fingerprint
        self.new_fingerprint = new_fingerprint


@dataclass(frozen=True)
class KeyInfo:
    unit_id: str
    unit_name: str
    role: str  # self | member | upper
    public_key: str
    fingerprint: str
    created_at: str
    source: str = ""

    def to_json(self) -> dict:
        return {"unit_id": self.unit_id, "unit": self.unit_name, "role": self.role, "fingerprint": self.fingerprint,
                "public_key": self.public_key, "registered_at": self.created_at, "source": self.source}


def own_key(ws) -> KeyInfo | None:
    unit = ws.own_unit()
    if unit is None:
        return None
    found = key_store.active_keys(ws.store, role="self", unit_id=unit.id)
    return KeyInfo(*found[0]) if found else None


def ensure_own_key(ws) -> KeyInfo:
    """The unit's signing key, made on first need (at setup or at the first export)."""
    ws.require_unit()
    existing = own_key(ws)
    if existing:
        return existing
    return _make_own_key(ws)


def _make_own_key(ws) -> KeyInfo:
    """A new key pair for the own unit; the private part goes to protected storage, never into the
    database. Every earlier own key is revoked (kept, so that what it signed can still be told)."""
    unit = ws.require_unit()
    pair = keys.generate_key_pair()
    protected = key_protection.protect(pair.private_key, pair.fingerprint, paths.data_dir())
    with ws.store.transaction():
        key_store.revoke_own_keys(ws.store)
        key_store.add_key(ws.store, unit.id, "self", keys.ALGORITHM, pair.public_key, pair.fingerprint,
                          "generated", private_key=protected)
        ws.store.log_revision(None, "key", "self", None, pair.fingerprint, ws.author, coalesce=False)
        ws.announce(events.UNIT)
    return own_key(ws)


def replace_own_key(ws) -> KeyInfo:
    """A lost key (or a database copied without it): a new key, whose public key file the upper level
    registers again after reading its fingerprint over the phone (`unit register KEYFILE --replace`).
    Reports signed with the old key stay verifiable here; sending them again needs Ký with the new key."""
    return _make_own_key(ws)


def own_key_pair(ws) -> keys.KeyPair:
    """The own unit's key pair (made on first need), to sign a report, a transfer file or a template pack.
    KeyUnavailable (Vietnamese: how to restore or re-register) when the private key is not usable here:
    a database copied to another account or machine does not carry it."""
    info = ensure_own_key(ws)
    seed = key_protection.unprotect(key_store.own_private_key(ws.store, info.unit_id), paths.data_dir())
    try:
        matches = keys.public_from_private(seed) == info.public_key
    except (keys.KeyFileError, ValueError):
        matches = False
    if not matches:
        raise key_protection.KeyUnavailable(key_protection.unavailable_message())
    return keys.KeyPair(seed, info.public_key)


def protect_own_keys(ws) -> int:
    """Move the clear private keys of a database older than schema 6 into protected storage (the live one)
    or drop them (revoked ones sign nothing any more), then wipe the freed bytes from the file. Returns how
    many were changed; nothing to do costs one query."""
    found = [row for row in key_store.own_private_keys(ws.store) if not key_protection.is_protected(row[1])]
    if not found:
        return 0
    folder = paths.data_dir()
    with ws.store.transaction():
        for key_id, clear, fingerprint, revoked_at in found:
            key_store.set_private_key(ws.store, key_id, None if revoked_at else
                                      key_protection.protect(clear, fingerprint, folder))
    key_store.wipe_freed_pages(ws.store)
    ws.store.restrict_to_owner()
    return len(found)


def export_private_key(ws, out: Path | str, passphrase: str) -> Path:
    """The passphrase backup of the unit's private key (`unit key export OUT --passphrase-file F`); OUT may
    be a folder. The only way the key leaves this account: encrypted (scrypt + AES-GCM)."""
    key_protection.check_passphrase(passphrase)
    pair = own_key_pair(ws)
    unit = ws.own_unit()
    out = Path(out)
    if out.is_dir():
        out = out / safe_file_name(f"Sao lưu khóa {unit.name}{key_protection.BACKUP_SUFFIX}")
    backup = key_protection.KeyBackup(unit.id, unit.name, pair.public_key, pair.fingerprint, pair.private_key)
    try:
        return key_protection.write_backup(backup, passphrase, out)
    except OSError as exc:
        raise ServiceError(f"Không ghi được tệp sao lưu khóa “{out}” ({exc.strerror or exc}).") from None


def restore_private_key(ws, source: Path | str, passphrase: str) -> KeyInfo:
    """Put the unit's key back from its passphrase backup (`unit key restore FILE`): on a new machine or
    account, or after copying the database. The backup must be of this unit; its key becomes the unit's
    signing key (the one the upper level has registered, so nothing needs registering again)."""
    backup = key_protection.load_backup(Path(source), passphrase)
    unit = ws.require_unit()
    if backup.unit_id != unit.id:
        raise ServiceError(f"Tệp sao lưu là khóa của “{backup.unit_name}”, không phải của đơn vị “{unit.name}” "
                           f"trong cơ sở dữ liệu này; không khôi phục.")
    try:
        valid = keys.public_from_private(backup.seed_b64) == backup.public_key
    except (keys.KeyFileError, ValueError):
        valid = False
    if not valid or keys.fingerprint(backup.public_key) != backup.fingerprint:
        raise ServiceError("Tệp sao lưu khóa bị hỏng (khóa bí mật không khớp khóa công khai); không khôi phục.")
    protected = key_protection.protect(backup.seed_b64, backup.fingerprint, paths.data_dir())
    current = own_key(ws)
    with ws.store.transaction():
        if current is not None and current.public_key == backup.public_key:
            key_id = key_store.active_key(ws.store, unit.id, "self")[0]
            key_store.set_private_key(ws.store, key_id, protected)
        else:
            key_store.revoke_own_keys(ws.store)
            key_store.add_key(ws.store, unit.id, "self", keys.ALGORITHM, backup.public_key, backup.fingerprint,
                              "restored", private_key=protected)
        ws.store.log_revision(None, "key", "self", current.fingerprint if current else None, backup.fingerprint,
                              ws.author, coalesce=False)
        ws.announce(events.UNIT)
    return own_key(ws)


def export_public_key(ws, out: Path | str) -> Path:
    """Write the unit's public key file (`unit key export OUT`); OUT may be a folder."""
    info = ensure_own_key(ws)
    unit = ws.own_unit()
    out = Path(out)
    if out.is_dir():
        out = out / safe_file_name(f"Khóa {unit.name}{keys.KEY_FILE_SUFFIX}")
    key = keys.PublicKeyFile(unit.id, unit.name, unit.level, unit.upper_body, info.public_key, info.created_at)
    try:
        return keys.write_key_file(key, own_key_pair(ws).private_key, out)
    except OSError as exc:
        raise ServiceError(f"Không ghi được tệp khóa “{out}” ({os_error_reason(exc)}).") from None


def registered_units(ws, role: str | None = "member") -> list[KeyInfo]:
    if role is None:
        return [KeyInfo(*row) for row in key_store.active_keys(ws.store, foreign_only=True)]
    return [KeyInfo(*row) for row in key_store.active_keys(ws.store, role=role)]


def upper_level_key(ws) -> KeyInfo | None:
    found = registered_units(ws, "upper")
    return found[0] if found else None


@dataclass(frozen=True)
class Registration:
    unit_id: str
    unit_name: str
    role: str
    fingerprint: str
    outcome: str  # registered | unchanged | replaced
    previous_fingerprint: str = ""

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    def message(self) -> str:
        who = "cấp trên" if self.role == "upper" else "đơn vị"
        if self.outcome == "unchanged":
            return f"{self.unit_name} đã được đăng ký với khóa này ({self.fingerprint}); không thay đổi."
        if self.outcome == "replaced":
            return (f"Đã thay khóa của {who} {self.unit_name}: {self.previous_fingerprint} → {self.fingerprint} "
                    f"(khóa cũ vẫn được lưu, đánh dấu thu hồi).")
        return f"Đã đăng ký {who} {self.unit_name}, mã nhận dạng khóa {self.fingerprint}."


def register_unit(ws, source, role: str = "member", replace: bool = False) -> Registration:
    """Register a unit's public key from its key file (`unit register KEYFILE`); role "upper" keeps the
    level above's key (to verify templates it sends down). A different key for an already registered unit
    is refused unless `replace` (after confirming the new fingerprint by phone)."""
    if role not in ("member", "upper"):
        raise ServiceError("Vai trò đăng ký phải là “member” (đơn vị cấp dưới) hoặc “upper” (cấp trên).")
    if not isinstance(source, keys.PublicKeyFile):
        try:
            source = keys.read_key_file(Path(source))
        except keys.KeyFileError as exc:
            raise ServiceError(str(exc)) from None
    unit_fields = {"id": source.unit_id, "name": source.name, "level": source.level or "xã",
                   "upper_body": source.upper_body}
    with ws.store.transaction():
        registration = register(ws, unit_fields, source.public_key, role, replace, f"tệp khóa {source.name}")
        ws.announce(events.INBOX)  # even "unchanged": the unit's name or level may have been refreshed
    return registration


def register(ws, unit_fields: dict, public_key: str, role: str, replace: bool, source: str) -> Registration:
    """register_unit inside the caller's transaction (an import registers the senders it was told to)."""
    store = ws.store
    fingerprint = keys.fingerprint(public_key)
    own = ws.own_unit()
    if own and own.id == unit_fields["id"]:
        raise ServiceError("Đây là khóa của chính đơn vị này, không cần đăng ký.")
    upsert_foreign_unit(ws, unit_fields)
    name = unit_store.unit(store, unit_fields["id"]).name
    current = key_store.active_key(store, unit_fields["id"], role)
    if current and current[1] == public_key:
        return Registration(unit_fields["id"], name, role, fingerprint, "unchanged")
    previous = ""
    if role == "upper":
        other = key_store.active_upper_key(store)
        if other and not current:
            if not replace:
                raise KeyClash(f"Đã đăng ký cấp trên là {other[1]} (khóa {other[2]}). Muốn thay, hãy đăng ký "
                               f"lại và xác nhận thay khóa.", other[2], fingerprint)
            key_store.revoke_key(store, other[0])
            previous = other[2]
    if current:
        if not replace:
            raise KeyClash(
                f"{name} đã đăng ký khóa khác ({current[2]}); khóa mới có mã {fingerprint}. Có thể đơn vị đã cài "
                f"lại máy, hoặc tệp giả mạo. Hãy gọi điện đối chiếu mã nhận dạng, rồi đăng ký lại và xác nhận thay "
                f"khóa.", current[2], fingerprint)
        key_store.revoke_key(store, current[0])
        previous = current[2]
    key_store.add_key(store, unit_fields["id"], role, keys.ALGORITHM, public_key, fingerprint, source)
    ws.store.log_revision(None, "key", f"{role}:{unit_fields['id']}", previous or None, fingerprint, ws.author,
                          coalesce=False)
    return Registration(unit_fields["id"], name, role, fingerprint, "replaced" if previous else "registered",
                        previous)


def upsert_foreign_unit(ws, fields: dict) -> bool:
    """Insert or refresh a unit that is not this installation's own (is_self stays 0). Returns whether
    anything changed."""
    store = ws.store
    stored = unit_store.unit_fields(store, fields["id"])
    clean = {k: fields[k] for k in unit_store.UNIT_COLUMNS if k in fields and fields[k] is not None}
    if stored is None:
        clean.setdefault("level", "xã")
        unit_store.add_foreign_unit(store, fields["id"], clean)
        return True
    is_self, current = stored
    if is_self:
        raise ServiceError("Tệp hoặc khóa này mang mã của chính đơn vị này; không nhập.")
    changed = {k: v for k, v in clean.items() if current.get(k) != v}
    if not changed:
        return False
    unit_store.update_unit(store, fields["id"], changed)
    return True
