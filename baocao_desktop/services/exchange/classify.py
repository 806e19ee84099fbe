"""Deciding what importing a verified transfer file would do, against this database and the files before
it in the same batch: refused (own unit, unknown unit, wrong key), already imported, and for each report
new, a new version, unchanged, older, in conflict with local edits, or rejected."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable

from ...domain.dates import format_date
from ...exchange import keys
from ...exchange.bundle import BundleContents, BundleError
from ...exchange.content import diff, digest
from ...store import bundles
from ...store import profile as profile_store
from ...store import registry as key_store
from ...store import reports as report_store
from ...store import signers as signer_store
from ...store import templates as template_store
from ...store import units as unit_store
from ...store import versions as version_store
from ...templates.dictionary import check_against_dictionary
from ...templates.model import TemplateError
from .plan import FilePlan, ReportPlan
from .versions import live_content, template_or_none


class Overlay:
    """What the files earlier in the same batch will have done, so that a plan reads like the import."""

    def __init__(self):
        self.bundles: set[str] = set()
        self.units: dict[str, str] = {}  # unit id → public key to be registered
        self.reports: dict[tuple, dict] = {}  # logical key → {"hashes", "current" (a loader), "sent_at", "conflict"}
        self.templates: set[tuple] = set()  # (code, version, sha256) of templates read in the batch
        self.owners: dict[tuple, str] = {}  # (table, row id) → the unit whose earlier file brings that row


class _UnusableTemplate(Exception):
    """A report's template fails the template reader: the whole file is refused, with this reason."""


def classify_file(ws, file_plan: FilePlan, contents: BundleContents, register_new,
                  overlay: Overlay | None) -> None:
    """Decide what importing this file would do; fills file_plan (ok, code, message, reports)."""
    store = ws.store
    manifest = contents.manifest
    unit = contents.unit
    file_plan.unit_id, file_plan.unit_name = contents.unit_id, unit["name"]
    file_plan.fingerprint, file_plan.bundle_id = contents.fingerprint, contents.bundle_id
    file_plan.created_at = contents.created_at
    file_plan.ok, file_plan.code, file_plan.message = True, "ok", ""
    own = ws.own_unit()
    if own and own.id == contents.unit_id:
        file_plan.ok, file_plan.code = False, "own_unit"
        file_plan.message = OWN_FILE
        return
    stored_unit = unit_store.unit_fields(store, contents.unit_id)
    if stored_unit and stored_unit[0]:
        file_plan.ok, file_plan.code = False, "own_unit"
        file_plan.message = OWN_FILE
        return
    registered = key_store.active_key(store, contents.unit_id, "member")
    pending = overlay.units.get(contents.unit_id) if overlay else None
    if registered is None and pending is None:
        if not may_register(register_new, contents.unit_id, contents.fingerprint):
            file_plan.ok, file_plan.code, file_plan.needs_registration = False, "unknown_unit", True
            file_plan.message = unknown_unit_message(unit["name"], contents.fingerprint)
            return
        file_plan.will_register = True
        if overlay is not None:
            overlay.units[contents.unit_id] = contents.public_key
    else:
        expected = registered[1] if registered else pending
        if expected != contents.public_key:
            known = registered[2] if registered else keys.fingerprint(pending)
            file_plan.ok, file_plan.code = False, "wrong_key"
            file_plan.message = wrong_key_message(unit["name"], contents.fingerprint, known)
            return
    collision = foreign_rows(store, contents, overlay)
    if collision:
        file_plan.ok, file_plan.code, file_plan.message = False, "id_collision", collision
        return
    imported = bundles.imported_at(store, contents.bundle_id)
    if imported or (overlay is not None and contents.bundle_id in overlay.bundles):
        file_plan.code = "duplicate"
        when = f" ngày {format_date(dt.date.fromisoformat(imported[:10]))}" if imported else " (trùng trong lần này)"
        file_plan.message = f"Tệp này đã được nhập{when}; không có gì thay đổi."
    if overlay is not None:
        overlay.bundles.add(contents.bundle_id)
    for index, (entry, content) in enumerate(zip(manifest["reports"], contents.report_contents())):
        try:
            plan = _classify_report(ws, contents, entry, content, overlay, _content_loader(file_plan, index))
        except _UnusableTemplate as exc:  # nothing of this file is taken; the other files are not touched
            file_plan.ok, file_plan.code, file_plan.message = False, "bad_template", str(exc)
            file_plan.reports = []
            return
        if file_plan.code == "duplicate" and plan.action != "rejected":
            plan.action, plan.reason, plan.changes = "unchanged", "", []
        file_plan.reports.append(plan)


# rows a transfer file brings besides its reports, each owned by the sending unit: (table, what, unit of an id)
OWNED_ROWS = (("signers", "người ký", signer_store.unit_of), ("profile_facts", "dữ kiện hồ sơ", profile_store.unit_of))


def foreign_rows(store, contents: BundleContents, overlay: Overlay | None) -> str:
    """Why the file is refused when one of its ids is already another unit's (a signer, a profile fact, the
    file itself), else "". Rows belong to their sender: a colliding id must never move or change another
    unit's row, so the whole file is refused (issue 19.3)."""
    sender = contents.unit_id
    owner = bundles.sender_of(store, contents.bundle_id) or \
        (overlay.owners.get(("received_bundles", contents.bundle_id)) if overlay else None)
    if owner and owner != sender:
        return ("Mã tệp trùng với tệp đã nhận của đơn vị khác; không nhập tệp này. Hãy đề nghị đơn vị gửi lại "
                "(tạo tệp mới).")
    for table, what, unit_of in OWNED_ROWS:
        for row in contents.rows.get(table, []):
            if row.get("unit_id") != sender:
                continue  # never imported: only the sender's own rows are
            owner = unit_of(store, row["id"]) or (overlay.owners.get((table, row["id"])) if overlay else None)
            if owner and owner != sender:
                return (f"Mã {what} “{str(row.get('code') or row.get('name') or row['id'])[:60]}” trong tệp trùng "
                        f"với {what} của đơn vị khác; không nhập tệp này (số liệu của đơn vị kia giữ nguyên). Hãy "
                        f"đề nghị đơn vị gửi liên hệ cấp trên.")
    if overlay is not None:
        overlay.owners[("received_bundles", contents.bundle_id)] = sender
        for table, _, _ in OWNED_ROWS:
            overlay.owners.update(((table, row["id"]), sender) for row in contents.rows.get(table, [])
                                  if row.get("unit_id") == sender)
    return ""


def may_register(register_new, unit_id: str, fingerprint: str) -> bool:
    """register_new: True (any unknown unit, after the fingerprints were confirmed), or a collection of
    unit ids and/or fingerprints the user confirmed one by one."""
    if isinstance(register_new, bool) or register_new is None:
        return bool(register_new)
    return unit_id in register_new or fingerprint in register_new


OWN_FILE = "Tệp này do chính đơn vị này gửi đi hoặc mang mã của chính đơn vị này; không nhập."


def unknown_unit_message(unit_name: str, fingerprint: str) -> str:
    return (f"Đơn vị “{unit_name}” chưa được đăng ký ở đây. Mã nhận dạng khóa trong tệp: {fingerprint}. Hãy gọi "
            f"điện cho đơn vị để đối chiếu mã này; nếu khớp, nhập lại và chọn đăng ký đơn vị mới, hoặc đăng ký bằng "
            f"tệp khóa của đơn vị.")


def wrong_key_message(unit_name: str, fingerprint: str, known: str) -> str:
    return (f"Tệp mang tên “{unit_name}” nhưng được ký bằng khóa khác (mã {fingerprint}) với khóa đã đăng ký của "
            f"đơn vị (mã {known}). Có thể tệp giả mạo, hoặc đơn vị đã cài lại máy. Không nhập; hãy gọi điện xác "
            f"nhận, nếu đúng là khóa mới thì đăng ký lại khóa của đơn vị và xác nhận thay khóa.")


@dataclass(frozen=True)
class SenderGate:
    """Who may send to this database, read from it before any file is opened, so that a file from the own
    unit, an unregistered unit (unless registering is allowed) or signed with another key than the
    registered one is refused right after its signed manifest is read, before any of its rows is
    (exchange.bundle.read_bundle calls it). Plain data: it travels to the verifying worker processes.
    classify_file decides again, against the batch, for the files let through."""
    own_ids: frozenset
    keys: tuple  # (unit id, public key, fingerprint) of the registered member keys
    register_new: object = False

    def __call__(self, manifest: dict) -> None:
        unit_id, name = manifest["unit"]["id"], manifest["unit"]["name"]
        public_key = manifest["key"]["public_key"]
        fingerprint = keys.fingerprint(public_key)
        details = {"unit_id": unit_id, "unit_name": name, "fingerprint": fingerprint}
        if unit_id in self.own_ids:
            raise BundleError("own_unit", OWN_FILE, **details)
        registered = next((k for k in self.keys if k[0] == unit_id), None)
        if registered is None:
            if not may_register(self.register_new, unit_id, fingerprint):
                raise BundleError("unknown_unit", unknown_unit_message(name, fingerprint), needs_registration=True,
                                  **details)
        elif registered[1] != public_key:
            raise BundleError("wrong_key", wrong_key_message(name, fingerprint, registered[2]), **details)


def sender_gate(ws, register_new) -> SenderGate:
    own = ws.own_unit()
    members = key_store.active_keys(ws.store, role="member")
    return SenderGate(frozenset([own.id] if own else []), tuple((r[0], r[3], r[4]) for r in members),
                      register_new if isinstance(register_new, (bool, type(None))) else frozenset(register_new))


def refused(file_plan: FilePlan, exc: BundleError) -> None:
    """A file refused while it was read: its reason and, when the sender was refused, who it is."""
    file_plan.ok, file_plan.code, file_plan.message = False, exc.code, exc.message
    details = exc.details or {}
    file_plan.unit_id = details.get("unit_id", file_plan.unit_id)
    file_plan.unit_name = details.get("unit_name", file_plan.unit_name)
    file_plan.fingerprint = details.get("fingerprint", file_plan.fingerprint)
    file_plan.needs_registration = bool(details.get("needs_registration", False))


def _content_loader(file_plan: FilePlan, index: int) -> Callable[[], dict]:
    """The index-th report of a file, read again when a later file of the batch needs it (a new version
    sent in the same batch): a plan must not hold every report's content (5,200 weekly files: 600 MB)."""
    def load() -> dict:
        return file_plan.contents().report_contents()[index]
    return load


def _classify_report(ws, contents: BundleContents, entry: dict, content: dict, overlay: Overlay | None,
                     load: Callable[[], dict]) -> ReportPlan:
    store = ws.store
    template = content["template"]
    period = content["period"]
    row = next(r for r in contents.rows["reports"] if r["id"] == entry["id"])
    incoming_hash = entry["content_hash"]
    incoming_key = (incoming_hash, row["status"])
    # the commune's version of the template: kept for its reports (received templates are stored by content),
    # whatever this installation's own version with that number says
    installed = template_store.find_content(store, template["code"], template["version"], template["sha256"])
    plan = ReportPlan("new", entry["id"], contents.unit_id, contents.unit["name"], template["code"],
                      installed.name if installed else entry.get("template_name", ""),
                      template["version"], period["kind"], period["start"], period["end"], row["status"],
                      incoming_hash)

    def reject(reason: str) -> ReportPlan:
        plan.action, plan.reason = "rejected", reason
        return plan

    known = (template["code"], template["version"], template["sha256"])
    if installed is None and not (overlay and known in overlay.templates):
        source = (contents.template_row(row["template_id"]) or {}).get("source", "")
        try:
            # read once per batch and workspace: the next file with this source (same SHA-256) reuses it
            parsed = ws.parsed_template(source, origin=f"{template['code']} v{template['version']}")
            check_against_dictionary(parsed)
        except TemplateError as exc:
            raise _UnusableTemplate(f"Mẫu “{template['code']}” phiên bản {template['version']} trong tệp không "
                                    f"dùng được, không nhập tệp này: {exc}") from None
        plan.template_name = parsed.name
        if overlay is not None:
            overlay.templates.add(known)
    if row["status"] in ("signed", "sent") and row.get("content_hash") != incoming_hash:
        return reject("Nội dung báo cáo đã bị thay đổi sau khi ký (mã kiểm tra không khớp) tại đơn vị gửi. "
                      "Hãy đề nghị đơn vị mở khóa, kiểm tra, ký lại rồi gửi lại.")
    if row.get("signer_id") and not any(s["id"] == row["signer_id"] and s["unit_id"] == contents.unit_id
                                        for s in contents.rows["signers"]):
        return reject("Báo cáo ghi người ký không có trong tệp.")
    key = (contents.unit_id, template["code"], period["start"], period["end"])
    start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
    local_id = report_store.find_same_period(store, contents.unit_id, template["code"], start, end)
    clash = report_store.unit_id_of(store, entry["id"])
    if local_id is None and clash and clash != contents.unit_id:
        return reject("Mã báo cáo trong tệp trùng với báo cáo của đơn vị khác; không nhập.")
    plan.local_report_id = local_id
    state = overlay.reports.get(key) if overlay else None
    if local_id is None and state is None:
        plan.action = "new"
        _remember(overlay, key, incoming_key, load, contents.created_at, make_current=True)
        return plan
    versions = version_store.versions_to_compare(store, local_id) if local_id else []
    # a version is its content and its status: a draft sent for comment, then signed and sent again
    # with the same content, is a new version (the status moved on)
    hashes = {(v[0], v[5]) for v in versions if v[4] == "received"} | (state["hashes"] if state else set())
    if incoming_key in hashes:
        plan.action = "unchanged"
        return plan
    current = next((v for v in versions if v[1] == "current"), None)
    has_conflict = any(v[1] == "conflict" for v in versions) or bool(state and state["conflict"])
    if state and state.get("current") is not None:
        current_content, current_hash, current_sent = state["current"](), state["current_hash"], state["sent_at"]
    elif current:
        current_content, current_hash, current_sent = json.loads(current[3]), current[0], current[2]
    else:  # a report made here, not received (the upper level's own report with the same key): keep both
        current_content, current_hash, current_sent = None, None, None
    locally_edited = False
    live = None
    if local_id and not (state and state.get("current") is not None):
        live = live_content(ws, local_id)
        locally_edited = current_hash is None or digest(live) != current_hash
    template_obj = template_or_none(ws, template["code"], template["version"])
    if locally_edited or has_conflict:
        plan.action = "conflict"
        plan.reason = ("Bản ở đây đã được sửa sau lần nhận trước; bản mới được lưu bên cạnh, chưa thay bản đang dùng. "
                       "Hãy so sánh và chọn bản dùng." if locally_edited else
                       "Báo cáo đang có xung đột chưa giải quyết; bản mới được lưu bên cạnh.")
        plan.changes = diff(live or current_content, content, template_obj)
        _remember(overlay, key, incoming_key, load, contents.created_at, make_current=False, conflict=True)
        return plan
    plan.changes = diff(current_content, content, template_obj)
    if current_sent and contents.created_at < current_sent:
        plan.action = "older"
        plan.reason = "Đơn vị gửi tệp này trước bản đang dùng; lưu làm bản cũ."
        _remember(overlay, key, incoming_key, load, contents.created_at, make_current=False)
        return plan
    plan.action = "new_version"
    _remember(overlay, key, incoming_key, load, contents.created_at, make_current=True)
    return plan


def _remember(overlay: Overlay | None, key: tuple, version_key: tuple, load: Callable[[], dict], sent_at: str,
              make_current: bool, conflict: bool = False) -> None:
    if overlay is None:
        return
    state = overlay.reports.setdefault(key, {"hashes": set(), "current": None, "current_hash": None,
                                             "sent_at": None, "conflict": False})
    state["hashes"].add(version_key)
    state["conflict"] = state["conflict"] or conflict
    if make_current:
        state.update(current=load, current_hash=version_key[0], sent_at=sent_at)

