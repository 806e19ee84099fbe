"""Template packs: several templates in one data-only file, carried on a USB stick.

A pack is a zip holding `manifest.json` and `templates/<code>_v<version>.yaml`:

    {"format": "baocao-template-pack", "format_version": 1, "created_at": "2026-06-01T08:00:00+00:00",
     "app": "BaoCao Desktop 0.1.0",
     "templates": [{"code": "bc_tuan", "version": 1, "name": "Báo cáo tuần", "sha256": "…",
                    "file": "templates/bc_tuan_v1.yaml"}]}

A pack comes from outside, so reading it checks everything before anything is used: its size, the zip
(no other members, no path tricks, no encryption, bounded unpacked size, CRCs), the manifest (no
unknown fields, hashes match), and every template (UTF-8, no YAML anchors/aliases or tags, no duplicate
keys, bounded nesting, no unknown fields, parses, and every check expression passes the safe evaluator).
Any failure raises PackError with a Vietnamese message; the caller then imports nothing.

Templates sent down (issue 7 point 7): the upper level signs a pack with its Ed25519 key. The manifest
then names the signer (`signed_by`: unit id, name, key fingerprint) and the pack holds one more member,
`signature.json` {"format", "algorithm", "public_key", "signature"}: a signature over the exact bytes of
manifest.json. As every template must match its sha256 in the manifest and no unlisted member is
allowed, the signature covers the whole pack. This module only carries the signature (no crypto here);
services/template_packs.py verifies it against the registered upper-level key.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..domain import untrusted
from ..domain.untrusted import Expected, UntrustedFileError, ZipLimits
from ..domain.numbers import size_text
from .model import (  # noqa: F401 (the limits and field names, as packs were first to have them)
    CHART_KEYS, INDICATOR_KEYS, LINE_KEYS, MAX_TEMPLATE_BYTES, MAX_YAML_DEPTH, MAX_YAML_EVENTS, SECTION_KEYS,
    TABLE_KEYS, TEMPLATE_KEYS, Template, TemplateError, parse_template, unknown_fields)

PACK_FORMAT = "baocao-template-pack"
PACK_VERSION = 1
MAX_PACK_BYTES = 5 * 1024 * 1024
MAX_TEMPLATES = 200
MAX_MANIFEST_BYTES = 256 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed: real YAML compresses 5-10×, a zip bomb by thousands
SUGGESTED_SUFFIX = ".mau.zip"

MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
SIGNATURE_FORMAT = "baocao-template-pack-signature"
SIGNATURE_KEYS = {"format", "format_version", "algorithm", "public_key", "signature"}
SIGNED_BY_KEYS = {"unit_id", "name", "fingerprint"}
_MEMBER = re.compile(r"^templates/[a-z][a-z0-9_]{0,63}_v\d{1,6}\.yaml$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
MANIFEST_KEYS = {"format", "format_version", "created_at", "app", "templates", "signed_by"}
ENTRY_KEYS = {"code", "version", "name", "sha256", "file"}



class PackError(TemplateError, UntrustedFileError):
    """A pack or template file that is refused; the message is Vietnamese and nothing was imported."""


# what domain.untrusted checks before the pack is read: the file, then the zip
EXPECTED = Expected("gói mẫu", "nhập mẫu", MAX_PACK_BYTES, "Không nhập mẫu nào.", PackError)
PACK_LIMITS = ZipLimits(max_members=MAX_TEMPLATES + 2,  # + manifest and signature
                        max_member_bytes=MAX_TEMPLATE_BYTES, max_total_bytes=MAX_UNPACKED_BYTES,
                        max_ratio=MAX_RATIO, members="mẫu")


@dataclass(frozen=True)
class PackSignature:
    """What a signed pack carries; verified by the caller against a registered key."""
    algorithm: str
    public_key: str  # base64
    signature: str  # base64, over PURPOSE_TEMPLATE_PACK + the manifest bytes
    signed_by: dict  # {"unit_id", "name", "fingerprint"} from the (signed) manifest
    manifest_bytes: bytes


@dataclass(frozen=True)
class Pack:
    created_at: str
    app: str
    templates: tuple[Template, ...]
    signature: PackSignature | None = None
    is_pack: bool = True  # False: a single .yaml template (made here, e.g. from an outline)


# == writing =======================================================================================
def member_name(template: Template) -> str:
    return f"templates/{template.code}_v{template.version}.yaml"


def write_pack(templates, out, app: str = "", signer=None) -> Path:
    """Write the templates (their YAML exactly as installed) into one pack file, atomically, and
    read it back before saying it is done. `signer` (optional) signs the manifest: an object with
    `signed_by` (dict: unit_id, name, fingerprint), `algorithm`, `public_key` and `sign(data) -> str`."""
    templates = list(templates)
    if not templates:
        raise PackError("Chưa chọn mẫu nào để xuất.")
    if len(templates) > MAX_TEMPLATES:
        raise PackError(f"Một gói chỉ chứa tối đa {MAX_TEMPLATES} mẫu.")
    keys = [(t.code, t.version) for t in templates]
    if len(set(keys)) != len(keys):
        raise PackError("Có mẫu bị chọn hai lần (cùng mã và phiên bản).")
    for template in templates:
        validate_template_text(template.source, f"{template.code} v{template.version}")
    if not app:
        app = f"BaoCao Desktop {_app_version()}"
    manifest = {
        "format": PACK_FORMAT, "format_version": PACK_VERSION,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "app": app,
        "templates": [{"code": t.code, "version": t.version, "name": t.name, "sha256": _sha(t.source),
                       "file": member_name(t)} for t in templates],
    }
    if signer is not None:
        manifest["signed_by"] = {k: signer.signed_by[k] for k in ("unit_id", "name", "fingerprint")}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_info(MANIFEST), manifest_bytes)
        if signer is not None:
            signature = {"format": SIGNATURE_FORMAT, "format_version": 1, "algorithm": signer.algorithm,
                         "public_key": signer.public_key, "signature": signer.sign(manifest_bytes)}
            archive.writestr(_info(SIGNATURE), json.dumps(signature, ensure_ascii=False, indent=2).encode("utf-8"))
        for template in templates:
            archive.writestr(_info(member_name(template)), template.source.encode("utf-8"))
    data = buffer.getvalue()
    if len(data) > MAX_PACK_BYTES:
        raise PackError(f"Gói mẫu quá lớn ({size_text(len(data), round_up=True)}, tối đa "
                        f"{size_text(MAX_PACK_BYTES)}): hãy xuất ít mẫu hơn trong mỗi gói.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".baocao-", suffix=".tmp", dir=str(out.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        read_pack(tmp)  # what was written is what another office will read
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return out


def _app_version() -> str:
    try:
        from importlib.metadata import version
        return version("baocao-desktop")
    except Exception:  # a frozen build without package metadata
        return ""


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# == reading =======================================================================================
def read_templates(path) -> list[Template]:
    """A pack (.zip) or a single template (.yaml), fully validated; raises PackError."""
    return list(read_source(path).templates)


def read_source(path) -> Pack:
    """A pack (.zip, with its signature if signed) or a single template (.yaml, `is_pack` False), fully
    validated; raises PackError."""
    path = Path(path)
    data = untrusted.read_bytes(path, EXPECTED)
    if untrusted.sniff(data) == "zip":
        return _read_pack_bytes(data, path.name)
    if path.suffix.lower() in (".zip",):
        raise PackError(f"Tệp “{path.name}” không phải gói mẫu: tệp bị hỏng hoặc không phải tệp nén (zip).")
    text = _decode(data, path.name, allow_bom=True)
    return Pack("", "", (validate_template_text(text, path.name),), None, is_pack=False)


def read_pack(path) -> Pack:
    path = Path(path)
    data = untrusted.read_bytes(path, EXPECTED)
    return _read_pack_bytes(data, path.name)


def _refuse(name: str, why: str) -> PackError:
    return PackError(f"Không nhập gói mẫu “{name}”: {why} Chưa nhập mẫu nào.")


def _read_pack_bytes(data: bytes, name: str) -> Pack:
    with untrusted.open_zip(data, Path(name), EXPECTED, PACK_LIMITS) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        for info in infos:
            if info.filename not in (MANIFEST, SIGNATURE) and not _MEMBER.match(info.filename):
                raise _refuse(name, f"gói có tệp “{info.filename[:80]}” không được phép (chỉ chứa "
                                    f"{MANIFEST}, {SIGNATURE} và templates/<mã>_v<phiên bản>.yaml).")
            if info.filename in (MANIFEST, SIGNATURE) and info.file_size > MAX_MANIFEST_BYTES:
                raise _refuse(name, f"tệp “{info.filename}” quá lớn khi giải nén "
                                    f"({info.file_size / 1024:.0f} KB, tối đa {MAX_MANIFEST_BYTES // 1024} KB).")
        if MANIFEST not in names:
            raise _refuse(name, f"thiếu tệp mô tả {MANIFEST}: đây không phải gói mẫu của BaoCao.")
        contents = {}
        for info in infos:
            limit = MAX_MANIFEST_BYTES if info.filename in (MANIFEST, SIGNATURE) else MAX_TEMPLATE_BYTES
            try:
                with archive.open(info) as fh:
                    raw = fh.read(limit + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
                raise _refuse(name, f"tệp “{info.filename}” trong gói bị hỏng (sai mã kiểm tra CRC hoặc bị "
                                    f"cắt cụt).") from None
            if len(raw) > limit:
                raise _refuse(name, f"tệp “{info.filename}” lớn hơn kích thước khai báo.")
            contents[info.filename] = raw
    manifest_bytes = contents.pop(MANIFEST)
    manifest = _manifest(manifest_bytes, name)
    signature = _signature(contents.pop(SIGNATURE, None), manifest, manifest_bytes, name)
    templates = []
    listed = set()
    seen = set()
    for index, entry in enumerate(manifest["templates"], 1):
        file = entry["file"]
        if file in listed:
            raise _refuse(name, f"mô tả gói liệt kê tệp “{file}” hai lần.")
        listed.add(file)
        if file not in contents:
            raise _refuse(name, f"thiếu tệp “{file}” được liệt kê trong mô tả gói.")
        text = _decode(contents[file], f"{name}/{file}", allow_bom=False)
        if _sha(text) != entry["sha256"]:
            raise _refuse(name, f"nội dung “{file}” không khớp mã băm trong mô tả gói (tệp đã bị sửa hoặc hỏng).")
        try:
            template = validate_template_text(text, f"{name}/{file}")
        except PackError as exc:
            raise _refuse(name, str(exc)) from None
        if (template.code, template.version, template.name) != (entry["code"], entry["version"], entry["name"]):
            raise _refuse(name, f"mẫu trong “{file}” ({template.code} v{template.version}) khác mô tả gói "
                                f"({entry['code']} v{entry['version']}).")
        if file != member_name(template):
            raise _refuse(name, f"tệp “{file}” phải mang tên {member_name(template)}.")
        key = (template.code, template.version)
        if key in seen:
            raise _refuse(name, f"mẫu {template.code} phiên bản {template.version} có hai lần trong gói.")
        seen.add(key)
        templates.append(template)
    extra = set(contents) - listed
    if extra:
        raise _refuse(name, f"gói có tệp không được liệt kê trong mô tả: {', '.join(sorted(extra))[:200]}.")
    return Pack(manifest["created_at"], manifest.get("app", ""), tuple(templates), signature)


def _signature(raw: bytes | None, manifest: dict, manifest_bytes: bytes, name: str) -> PackSignature | None:
    """The signature member, checked for shape only (the caller verifies it). A manifest that names a
    signer without a signature, or the reverse, is refused: one of the two was removed."""
    signed_by = manifest.get("signed_by")
    if raw is None:
        if signed_by is not None:
            raise _refuse(name, f"mô tả gói ghi người ký nhưng thiếu tệp chữ ký {SIGNATURE} (gói đã bị sửa).")
        return None
    if signed_by is None:
        raise _refuse(name, "gói có chữ ký nhưng mô tả gói không ghi đơn vị ký (gói đã bị sửa).")
    text = _decode(raw, f"{name}/{SIGNATURE}", allow_bom=False)
    try:
        data = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (ValueError, RecursionError):
        raise _refuse(name, f"tệp chữ ký {SIGNATURE} không phải JSON hợp lệ.") from None
    if not isinstance(data, dict) or set(data) != SIGNATURE_KEYS or data.get("format") != SIGNATURE_FORMAT \
            or not all(isinstance(data[k], str) for k in ("algorithm", "public_key", "signature")):
        raise _refuse(name, f"tệp chữ ký {SIGNATURE} không đúng định dạng.")
    if not isinstance(data["format_version"], int) or isinstance(data["format_version"], bool) \
            or data["format_version"] != 1:
        raise _refuse(name, "chữ ký của gói theo định dạng mới hơn: hãy cập nhật chương trình.")
    return PackSignature(data["algorithm"], data["public_key"], data["signature"], signed_by, manifest_bytes)


def _manifest(raw: bytes, name: str) -> dict:
    text = _decode(raw, f"{name}/{MANIFEST}", allow_bom=False)
    try:
        data = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (ValueError, RecursionError):
        raise _refuse(name, f"tệp mô tả {MANIFEST} không phải JSON hợp lệ.") from None
    if not isinstance(data, dict):
        raise _refuse(name, f"tệp mô tả {MANIFEST} không đúng định dạng.")
    unknown = set(data) - MANIFEST_KEYS
    if unknown:
        raise _refuse(name, f"tệp mô tả có trường không được phép: {', '.join(sorted(unknown))[:200]}.")
    if data.get("format") != PACK_FORMAT:
        raise _refuse(name, "đây không phải gói mẫu của BaoCao (sai “format”).")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _refuse(name, "thiếu phiên bản định dạng gói (“format_version”).")
    if version > PACK_VERSION:
        raise _refuse(name, f"gói được tạo bởi phiên bản BaoCao mới hơn (định dạng {version}, chương trình này "
                            f"đọc đến {PACK_VERSION}). Hãy cập nhật chương trình.")
    if version < 1:
        raise _refuse(name, "phiên bản định dạng gói không hợp lệ.")
    if not isinstance(data.get("created_at"), str) or not isinstance(data.get("app", ""), str):
        raise _refuse(name, "thiếu ngày tạo gói (“created_at”).")
    signed_by = data.get("signed_by")
    if signed_by is not None and not (isinstance(signed_by, dict) and set(signed_by) == SIGNED_BY_KEYS
                                      and all(isinstance(v, str) and v for v in signed_by.values())):
        raise _refuse(name, "thông tin đơn vị ký (“signed_by”) trong mô tả gói không đúng định dạng.")
    entries = data.get("templates")
    if not isinstance(entries, list) or not entries:
        raise _refuse(name, "gói không có mẫu nào.")
    if len(entries) > MAX_TEMPLATES:
        raise _refuse(name, f"gói có {len(entries)} mẫu, tối đa {MAX_TEMPLATES}.")
    for entry in entries:
        if not isinstance(entry, dict):
            raise _refuse(name, "mô tả một mẫu trong gói không đúng định dạng.")
        unknown = set(entry) - ENTRY_KEYS
        missing = ENTRY_KEYS - set(entry)
        if unknown:
            raise _refuse(name, f"mô tả mẫu có trường không được phép: {', '.join(sorted(map(str, unknown)))[:200]}.")
        if missing:
            raise _refuse(name, f"mô tả mẫu thiếu trường: {', '.join(sorted(missing))}.")
        if not (isinstance(entry["code"], str) and isinstance(entry["name"], str) and isinstance(entry["file"], str)
                and isinstance(entry["version"], int) and not isinstance(entry["version"], bool)
                and isinstance(entry["sha256"], str) and _SHA.match(entry["sha256"])):
            raise _refuse(name, "mô tả mẫu có trường sai kiểu (code, version, name, sha256, file).")
    return data


def _decode(raw: bytes, origin: str, allow_bom: bool) -> str:
    if allow_bom and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"Tệp “{origin}” không phải văn bản UTF-8 (byte thứ {exc.start}): mẫu phải lưu với bảng mã "
                        f"UTF-8. Không nhập mẫu nào.") from None


# == one template, strictly ========================================================================
def validate_template_text(text: str, origin: str = "mẫu") -> Template:
    """A template from outside, as a pack carries it: templates.model.parse_template (the one strict
    reader) and the indicator dictionary; any refusal is a PackError."""
    try:
        template = parse_template(text, origin=origin)
        from .dictionary import check_against_dictionary
        check_against_dictionary(template)  # a shared indicator code keeps its unit and kind
    except TemplateError as exc:
        raise PackError(str(exc)) from None
    return template
