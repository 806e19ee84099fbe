"""Use cases for template packs: export templates to one file, import a pack all or nothing.

Functions over a Workspace (they read and write its database the way Workspace.install_template does):
    export_pack(ws, codes, out, sign=False) -> Path
    import_pack(ws, path) -> PackImport: a list of (code, version, status), status installed | updated |
                             unchanged, with `.message` (Vietnamese) and who signed the pack
    preview_pack(ws, path) -> the same, without writing anything

Templates sent down (issue 7 point 7): a pack (.mau.zip) is imported only when it carries a valid Ed25519
signature by the registered upper level (`unit register KEYFILE --upper`), or by this unit itself (an
office moving its own templates between its machines). An unsigned pack, a pack signed by any other key,
and a pack changed after signing are refused with a Vietnamese reason (PackError) and nothing is imported.
A single .yaml template is a template written here (e.g. by `template from-outline`) and needs no
signature.

Template authority (issue 19.2): a pack signed by the registered upper level installs as the upper level's
(origin `upper`). A single .yaml (even a signed pack's template unzipped) is a "mẫu tự tạo" (origin `local`):
it never takes the code of a shipped, signed or received template; it is installed under a code of its own
(`<code>_tu_tao`, the message says so). An own-signed pack (the unit's templates moved between its machines)
keeps the origin its codes have here, or is `local`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..store import templates as stored_templates
from ..templates.model import CODE_RE, Template
from ..templates.packs import Pack, PackError, read_source, validate_template_text, write_pack
from .errors import ServiceError

STATUS_LABELS = {"installed": "đã cài mới", "updated": "đã cập nhật", "unchanged": "không đổi (đã có)"}
LOCAL_SUFFIX = "_tu_tao"
# a template written here may reuse a code only when every version of it was written here too
_OWN_CODE_ORIGINS = {"local"}


@dataclass(frozen=True)
class PackSigner:
    """The unit's key, as templates.packs.write_pack wants it (no crypto in templates/)."""
    signed_by: dict
    public_key: str
    private_key: str
    algorithm: str = "ed25519"

    def sign(self, data: bytes) -> str:
        from ..exchange import keys
        return keys.sign(self.private_key, keys.PURPOSE_TEMPLATE_PACK, data)


class PackImport(list):
    """[(code, version, status), …] (compares equal to a plain list) with who signed the pack."""

    def __init__(self, items, name: str = "", signer_name: str = "", fingerprint: str = "", signer_role: str = "",
                 dry_run: bool = False, renamed: dict | None = None):
        super().__init__(items)
        self.renamed = renamed or {}  # the code in the file → the code it is installed under
        self.name = name
        self.signer_name = signer_name
        self.fingerprint = fingerprint
        self.signer_role = signer_role  # upper | self | "" (a single template made here)
        self.dry_run = dry_run

    def to_json(self) -> dict:
        return {"file": self.name, "signed_by": self.signer_name or None, "fingerprint": self.fingerprint or None,
                "signer_role": self.signer_role or None, "origin": self.origin,
                "renamed": [{"from": old, "to": new} for old, new in self.renamed.items()],
                "imported": [{"code": c, "version": v, "status": s} for c, v, s in self]}

    @property
    def origin(self) -> str:
        """What the templates are installed as (store.templates.ORIGINS)."""
        return "upper" if self.signer_role == "upper" else "local"

    @property
    def message(self) -> str:
        if self.signer_role == "upper":
            origin = f"Gói mẫu của cấp trên ({self.signer_name}), chữ ký số hợp lệ, mã khóa {self.fingerprint}."
        elif self.signer_role == "self":
            origin = f"Gói mẫu do chính đơn vị ký (mã khóa {self.fingerprint})."
        else:
            origin = "Mẫu soạn tại đơn vị (tệp .yaml, không có chữ ký): cài làm mẫu tự tạo."
        for old, new in self.renamed.items():
            origin += (f" Mã “{old}” đã là mã của mẫu có sẵn, mẫu cấp trên gửi hoặc mẫu của đơn vị cấp dưới, nên "
                       f"mẫu tự tạo này {'sẽ được' if self.dry_run else 'được'} cài với mã riêng “{new}”.")
        verb = "Sẽ" if self.dry_run else "Đã"
        parts = [f"{c} phiên bản {v}: {STATUS_LABELS[s]}" for c, v, s in self]
        if self.dry_run:
            parts = [p.replace("đã cài mới", "cài mới").replace("đã cập nhật", "cập nhật") for p in parts]
        return f"{origin} {verb} nhập {len(self)} mẫu: " + "; ".join(parts) + "."


def _signer(ws) -> PackSigner:
    from . import exchange as ex
    unit = ws.require_unit()
    pair = ex.own_key_pair(ws)
    return PackSigner({"unit_id": unit.id, "name": unit.name, "fingerprint": pair.fingerprint},
                      pair.public_key, pair.private_key)


def export_pack(ws, codes, out, sign: bool = False) -> Path:
    """A pack of the latest version of each template code; `sign` signs it with the unit's key (what an
    upper level sends down to its communes)."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ServiceError("Chưa chọn mẫu nào để xuất.")
    # the current version of each code: never a version that came in another unit's transfer file (issue 19.2)
    templates = [ws.template(code) for code in codes]  # ServiceError names an unknown code
    return write_pack(templates, out, signer=_signer(ws) if sign else None)


def preview_pack(ws, path) -> PackImport:
    """What importing would do; raises PackError (nothing changes) if the pack is refused."""
    return _checked(ws, path, dry_run=True)[0]


def import_pack(ws, path, require_signature: bool = True) -> PackImport:
    """Validate every template of the pack (or one .yaml template) and its signature, then install all in
    one transaction. A refused pack raises PackError and nothing is imported. A version already used by
    reports is never changed: a pack that brings different content under the same version is refused.
    `require_signature` False accepts an unsigned pack (tests of the installing itself; never the GUI/CLI)."""
    result, plan = _checked(ws, path, dry_run=False, require_signature=require_signature)
    ws.install_templates([template for template, status in plan if status != "unchanged"], origin=result.origin)
    return result


def _checked(ws, path, dry_run: bool, require_signature: bool = True) -> tuple[PackImport, list]:
    name = Path(path).name
    pack = read_source(path)
    signer_name, fingerprint, role = verify_signature(ws, pack, name, require_signature)
    templates, renamed = list(pack.templates), {}
    if role != "upper":
        templates, renamed = _own_codes(ws, templates, keep_known=role == "self")
    plan = _plan(ws, templates, name, "upper" if role == "upper" else "local")
    result = PackImport([(t.code, t.version, status) for t, status in plan], name, signer_name, fingerprint, role,
                        dry_run, renamed)
    return result, plan


def _own_codes(ws, templates: list[Template], keep_known: bool) -> tuple[list[Template], dict]:
    """A template written here (a .yaml) under a code of its own: a code that a shipped, signed or received
    template has is replaced by `<code>_tu_tao` (then _2, _3 …). `keep_known`: an own-signed pack keeps the
    codes this unit already has (its templates moved between its machines)."""
    out, renamed = [], {}
    for template in templates:
        origins = stored_templates.code_origins(ws.store, template.code)
        if not origins or origins <= _OWN_CODE_ORIGINS or keep_known:
            out.append(template)
            continue
        base = template.code[:64 - len(LOCAL_SUFFIX) - 3] + LOCAL_SUFFIX
        code, n = base, 1
        while not stored_templates.code_origins(ws.store, code) <= _OWN_CODE_ORIGINS:
            n += 1
            code = f"{base}_{n}"
        out.append(_with_code(template, code))
        renamed[template.code] = code
    return out, renamed


def _with_code(template: Template, code: str) -> Template:
    """The template under another code: its top-level `code:` line rewritten (comments and layout kept)."""
    assert CODE_RE.match(code)
    pattern = re.compile(rf"^code:[ \t]*(['\"]?){re.escape(template.code)}\1[ \t]*(#.*)?$", re.MULTILINE)
    text, count = pattern.subn(f"code: {code}", template.source)
    if count != 1:  # written in another style (flow mapping, quoted key): written out again
        import yaml
        data = yaml.safe_load(template.source)
        data["code"] = code
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    renamed = validate_template_text(text, code)
    return replace(renamed, source=text)


def verify_signature(ws, pack: Pack, name: str, require_signature: bool = True) -> tuple[str, str, str]:
    """(signer name, fingerprint, role "upper" | "self" | "") of a pack, or PackError with the reason."""
    from . import exchange as ex
    from ..exchange import keys
    if not pack.is_pack:
        return "", "", ""
    refuse = "Chưa nhập mẫu nào."
    upper = ex.upper_level_key(ws)
    signature = pack.signature
    if signature is None:
        if not require_signature:
            return "", "", ""
        who = f"cấp trên ({upper.unit_name})" if upper else "cấp trên"
        raise PackError(f"Không nhập gói mẫu “{name}”: gói không có chữ ký số của {who}. Chỉ nhập gói mẫu do cấp "
                        f"trên ký; hãy xin cấp trên gửi lại gói đã ký (baocao template export … --sign). {refuse}")
    if signature.algorithm != keys.ALGORITHM:
        raise PackError(f"Không nhập gói mẫu “{name}”: gói ký bằng thuật toán “{signature.algorithm[:30]}”, "
                        f"chương trình chỉ nhận {keys.ALGORITHM}. {refuse}")
    try:
        fingerprint = keys.fingerprint(signature.public_key)
    except keys.KeyFileError:
        raise PackError(f"Không nhập gói mẫu “{name}”: khóa ký trong gói không hợp lệ (gói bị sửa hoặc hỏng). "
                        f"{refuse}") from None
    claimed = signature.signed_by
    if claimed.get("fingerprint") != fingerprint:
        raise PackError(f"Không nhập gói mẫu “{name}”: mã khóa ghi trong mô tả gói không khớp khóa đã ký "
                        f"(gói đã bị sửa). {refuse}")
    own = ex.own_key(ws)
    if upper is not None and upper.public_key == signature.public_key:
        role, signer_name = "upper", upper.unit_name
    elif own is not None and own.public_key == signature.public_key:
        role, signer_name = "self", ws.own_unit().name
    elif upper is None:
        raise PackError(
            f"Không nhập gói mẫu “{name}”: gói do “{claimed.get('name', '')[:80]}” ký (mã khóa {fingerprint}), nhưng "
            f"đơn vị chưa đăng ký khóa của cấp trên nên chưa kiểm tra được. Hãy nhận tệp khóa của cấp trên, gọi "
            f"điện đối chiếu mã khóa, đăng ký (baocao unit register TỆP_KHÓA --upper) rồi nhập lại. {refuse}")
    else:
        raise PackError(
            f"Không nhập gói mẫu “{name}”: gói được ký bằng khóa {fingerprint} (ghi là “"
            f"{claimed.get('name', '')[:80]}”), không phải khóa đã đăng ký của cấp trên {upper.unit_name} "
            f"({upper.fingerprint}). Có thể gói giả mạo, hoặc cấp trên đã đổi khóa: hãy gọi điện xác nhận. {refuse}")
    if not keys.verify(signature.public_key, keys.PURPOSE_TEMPLATE_PACK, signature.manifest_bytes,
                       signature.signature):
        raise PackError(f"Không nhập gói mẫu “{name}”: chữ ký số của gói không hợp lệ — gói đã bị sửa sau khi "
                        f"{signer_name} ký, hoặc bị hỏng. Hãy xin gửi lại. {refuse}")
    return signer_name, fingerprint, role


def _plan(ws, templates: list[Template], name: str, origin: str) -> list[tuple[Template, str]]:
    plan, conflicts = [], []
    for template in templates:
        row = stored_templates.find(ws.store, template.code, template.version)
        if row is None:
            plan.append((template, "installed"))
        elif row.sha256 == template.sha256:
            # a version that had only come with a unit's transfer file becomes this unit's own
            plan.append((template, "installed" if row.origin == "received" and origin else "unchanged"))
        elif stored_templates.used_by_reports(ws.store, row[0]):
            conflicts.append(f"{template.code} phiên bản {template.version}")
        else:
            plan.append((template, "updated"))
    if conflicts:
        raise PackError(
            f"Không nhập gói mẫu “{name}”: {', '.join(conflicts)} đã có báo cáo dùng, và nội dung trong gói khác "
            f"bản đang dùng. Một phiên bản đã dùng không được sửa: nơi soạn mẫu cần tăng số phiên bản (version) "
            f"rồi xuất lại gói. Chưa nhập mẫu nào.")
    return plan
