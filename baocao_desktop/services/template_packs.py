"""Use cases for template packs: export templates to one file, import a pack all or nothing.

Functions over a Workspace (they read and write its database the way Workspace.install_template does):
    export_pack(ws, codes, out) -> Path
    import_pack(ws, path) -> list[(code, version, status)]   status: installed | updated | unchanged
    preview_pack(ws, path) -> the same list, without writing anything
"""
from __future__ import annotations

from pathlib import Path

from ..templates.model import Template
from ..templates.packs import PackError, read_templates, write_pack
from .errors import ServiceError

STATUS_LABELS = {"installed": "đã cài mới", "updated": "đã cập nhật", "unchanged": "không đổi (đã có)"}


def export_pack(ws, codes, out) -> Path:
    """A pack of the latest version of each template code."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ServiceError("Chưa chọn mẫu nào để xuất.")
    templates = [ws.template(code) for code in codes]  # ServiceError names an unknown code
    return write_pack(templates, out)


def preview_pack(ws, path) -> list[tuple[str, int, str]]:
    """What importing would do; raises PackError (nothing changes) if the pack is refused."""
    return [(t.code, t.version, status) for t, status in _plan(ws, read_templates(path), Path(path).name)]


def import_pack(ws, path) -> list[tuple[str, int, str]]:
    """Validate every template of the pack (or one .yaml template), then install all in one
    transaction. A refused pack raises PackError and nothing is imported. A version already used by
    reports is never changed: a pack that brings different content under the same version is refused."""
    name = Path(path).name
    plan = _plan(ws, read_templates(path), name)
    before = dict(ws._templates)
    try:
        with ws.store.transaction():
            for template, status in plan:
                if status != "unchanged":
                    ws.install_template(template)
    except BaseException:
        ws._templates.clear()  # the cache may hold templates of the rolled-back transaction
        ws._templates.update(before)
        raise
    return [(t.code, t.version, status) for t, status in plan]


def _plan(ws, templates: list[Template], name: str) -> list[tuple[Template, str]]:
    conn = ws.store.conn
    plan, conflicts = [], []
    for template in templates:
        row = conn.execute("SELECT id, sha256 FROM templates WHERE code = ? AND version = ?",
                           (template.code, template.version)).fetchone()
        if row is None:
            plan.append((template, "installed"))
        elif row[1] == template.sha256:
            plan.append((template, "unchanged"))
        elif conn.execute("SELECT 1 FROM reports WHERE template_id = ? LIMIT 1", (row[0],)).fetchone():
            conflicts.append(f"{template.code} phiên bản {template.version}")
        else:
            plan.append((template, "updated"))
    if conflicts:
        raise PackError(
            f"Không nhập gói mẫu “{name}”: {', '.join(conflicts)} đã có báo cáo dùng, và nội dung trong gói khác "
            f"bản đang dùng. Một phiên bản đã dùng không được sửa: nơi soạn mẫu cần tăng số phiên bản (version) "
            f"rồi xuất lại gói. Chưa nhập mẫu nào.")
    return plan
