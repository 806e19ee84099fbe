"""Receiving from the units below (`bundle verify`/`bundle import`, "Nhận báo cáo từ USB/thư mục…").

Import is two-phase so that the GUI can show a dry-run summary and the stick can be removed in
between:  plan = prepare_import(ws, paths)  (copies every file to a local temporary folder and
verifies it; writes nothing) → show plan.summary_text()/plan.to_json() → apply_import(ws, plan)
(committed in parts of about half a second; re-verifies the local copies) → plan.close(). After the commit it announces INBOX and
REPORTS (the reports written), once for the whole batch.
"""
from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ...exchange.bundle import SUFFIX, BundleContents, BundleError, check_source, peek_created_at
from ...exchange.content import report_from_content
from ...store import bundles, received
from ...store import registry as key_store
from ...store import reports as report_store
from ...store import templates as template_store
from ...store import units as unit_store
from ...store import versions as version_store
from ...store.db import latest_schema_version, new_id, now_iso
from .. import events
from ..period_figures import SourceCache
from .checks import store_check_summary, with_following
from .classify import Overlay, classify_file, refused, sender_gate
from .files import copy_local, expand_paths
from .plan import CACHE_BYTES, FilePlan, ImportPlan, ImportResult
from .progress import Cancelled, ProgressFn, check_cancel, report_progress
from .registry import register, upsert_foreign_unit
from .verify import (FILES_PER_TASK, READ_THREADS, VERIFY_AHEAD, Verifier, done_future, read_ahead, read_verified,
                     reread_verified, verify_each)
from .versions import add_received_version, keep_local_edits
from ...domain.error_text import os_error_reason


def verify_file(ws, path: Path | str) -> FilePlan:
    """`bundle verify FILE`: integrity, signature and sender (registered? right key?) of one file, without
    changing anything. `ok` False carries the Vietnamese reason in `message`."""
    plan = prepare_import(ws, [path])
    try:
        return plan.files[0]
    finally:
        plan.close()


def prepare_import(ws, paths, register_new: "bool | set[str]" = False, progress: ProgressFn | None = None,
                   cancel=None) -> ImportPlan:
    """Copy every file (or every .baocao in a folder) to a local temporary folder, verify it and classify
    its reports against this database. Writes nothing. Close the plan (or use it as a context manager)."""
    return _prepare(ws, paths, register_new, progress, cancel, classify=True)


def _prepare(ws, paths, register_new, progress, cancel, classify: bool) -> ImportPlan:
    """prepare_import; with classify False only copy each file locally and put them in order
    (import_bundles without a dry run): apply_import then verifies and classifies each file once, inside
    its transaction. A verification and classification here would read every file twice more."""
    files = expand_paths(paths)
    latest = latest_schema_version()
    tmp = tempfile.TemporaryDirectory(prefix="baocao-nhan-")
    plan = ImportPlan([], register_new, _tmp=tmp)
    read: list[FilePlan] = []
    budget = CACHE_BYTES
    gate = sender_gate(ws, register_new)

    def fetch(numbered: tuple[int, Path]) -> tuple[Path, str, "BundleContents | str"]:
        """Copy one file locally, then verify it (classify) or only peek at its date (import_bundles:
        verified once, inside the import, so no second read)."""
        i, path = numbered
        local = Path(tmp.name) / f"{i:05d}{SUFFIX}"
        try:
            check_source(path)
            try:
                sha = copy_local(path, local)
            except OSError as exc:
                raise BundleError("unreadable", f"Không đọc được tệp từ ổ đĩa ({os_error_reason(exc)}). "
                                                f"USB có thể bị lỗi hoặc đã rút ra.") from None
            if not classify:
                return local, sha, peek_created_at(local)
            return local, sha, verifier.submit(read_verified, local, latest, sha, gate).result()
        except BundleError:
            try:
                local.unlink(missing_ok=True)
            except OSError:  # Windows: still open somewhere; the temporary folder goes with the plan
                pass
            raise

    copiers = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="baocao-copy")
    verifier = Verifier(len(files) if classify else 0)
    try:
        for (i, path), fetched in read_ahead(list(enumerate(files)), lambda item: copiers.submit(fetch, item)):
            check_cancel(cancel)
            report_progress(progress, "copy", i, len(files), str(path), f"Chép và kiểm tra {path.name}")
            file_plan = FilePlan(path, False, "unreadable")
            plan.files.append(file_plan)
            try:
                local, sha, found = fetched.result()
            except BundleError as exc:
                refused(file_plan, exc)
                continue
            file_plan.local_copy, file_plan.file_sha256 = local, sha
            if not classify:
                file_plan._verified, file_plan.created_at = False, found
                read.append(file_plan)
                continue
            contents = found
            file_plan.payload_sha256 = contents.payload_sha256
            file_plan.created_at = contents.created_at
            if contents.size <= budget:  # small batches stay in memory: no second read
                file_plan._contents = contents
                budget -= contents.size
            read.append(file_plan)
        verifier.close()  # every file is read: no idle workers during the classification
        report_progress(progress, "plan", len(files), len(files), message="Đối chiếu với dữ liệu đã nhận")
        overlay = Overlay()
        # classify (and later import) oldest file first, so that versions follow the order they were made
        read.sort(key=lambda f: f.created_at)
        for file_plan in read if not classify else ():
            file_plan.ok, file_plan.code = True, "ok"  # copied; apply_import verifies and decides
        for file_plan in read if classify else ():
            check_cancel(cancel)
            classify_file(ws, file_plan, file_plan.contents(), register_new, overlay)
            if not file_plan.ok and file_plan.local_copy:
                file_plan.local_copy.unlink(missing_ok=True)
                file_plan.local_copy = None
                file_plan._contents = None
        order = {id(f): n for n, f in enumerate(read)}
        plan.files.sort(key=lambda f: order.get(id(f), len(order)))  # refused files last
    except BaseException:
        copiers.shutdown(wait=True, cancel_futures=True)  # before the folder they write into goes
        plan.close()
        raise
    finally:
        copiers.shutdown(wait=True)
        verifier.close()
    return plan


def import_bundles(ws, paths, dry_run: bool = False, register_new: "bool | set[str]" = False,
                   progress: ProgressFn | None = None, cancel=None) -> ImportResult:
    """`bundle import FILE… [--dry-run] [--register-new]` in one call."""
    plan = _prepare(ws, paths, register_new, progress, cancel, classify=dry_run)
    try:
        if dry_run:
            return ImportResult(plan, True)
        return apply_import(ws, plan, progress, cancel)
    finally:
        plan.close()


def apply_import(ws, plan: ImportPlan, progress: ProgressFn | None = None, cancel=None) -> ImportResult:
    """Import the accepted files of a plan. Each file is written whole or not at all; the files are
    committed in parts of about CHUNK_SECONDS, so that another writer (the editor's autosave) waits for
    one part, never for the whole batch. A short import is one transaction (cancel → nothing written); a
    long one cancelled keeps the files of the parts already committed, and says so. Every file is
    re-read from the local copy (verified here for the first time when import_bundles only copied it)
    and re-classified against the database as it is now; the returned result (its `plan`) says what was
    really done. Each part announces INBOX and REPORTS after its commit (merged into one for the batch;
    nothing when nothing was written)."""
    with events.batched():  # what the import's transactions announce is said once, merged
        return _apply(ws, plan, progress, cancel)


# The longest an import holds the write lock before committing what it has (between two files): other
# writers then get their turn. The editor's autosave waits at most SAVE_WAIT_SECONDS (editing.py) and
# retries; this keeps its wait around one part, not minutes.
CHUNK_SECONDS = 0.5


def _apply(ws, plan: ImportPlan, progress: ProgressFn | None, cancel) -> ImportResult:
    accepted = [f for f in plan.files if f.ok and f.local_copy is not None]
    latest = latest_schema_version()
    applied = ImportPlan([], plan.register_new, applied=True)
    result = ImportResult(applied, False)
    touched: list[str] = []
    verified: dict[str, str] = {}
    # the reports this part wrote, as written (their content, read back without the database for the checks)
    written_content: dict[str, dict] = {}
    part: dict = {"touched": [], "registered": False, "files": 0}  # the part not yet committed
    committed = 0  # files in committed parts
    gate = sender_gate(ws, plan.register_new)
    # each unit's reports of a year, read once for the whole import; the reports a file writes are forgotten
    # (read again, alone, when next needed)
    sources = SourceCache(ws)

    def reading(old: FilePlan) -> tuple | None:
        """How a file is read again: None when its verified contents are still in memory."""
        if old._contents is not None:
            return None
        if old._verified:  # by prepare_import, but too many to keep in memory
            return reread_verified, (old.local_copy, old.file_sha256, old.payload_sha256)
        # copied by import_bundles, verified here: header, schema, integrity, signature, sender, payload
        return read_verified, (old.local_copy, latest, old.file_sha256, gate)

    def start(task: list[FilePlan]) -> _InOrder:
        """Verify a few files in one worker task; the future's result: for each file, its contents or the
        BundleError that refuses it."""
        calls = [call for call in map(reading, task) if call is not None]
        verifying = verifier.submit(verify_each, calls) if calls else done_future(list)
        return _InOrder(task, verifying)

    def finish_part(last: bool) -> None:
        """Check the reports this part wrote (and those after them) and announce it; committed by the caller."""
        refresh = with_following(ws, part["touched"])
        for j, report_id in enumerate(refresh):
            if last:
                report_progress(progress, "check", j, len(refresh), message="Kiểm tra số liệu báo cáo đã nhận")
            content = written_content.get(report_id)
            store_check_summary(ws, report_id, verified.get(report_id), sources,
                                report_from_content(content, report_id) if content is not None else None)
        written_content.clear()
        written = list(dict.fromkeys(part["touched"]))
        if written or part["registered"]:
            ws.announce(events.INBOX)
        if written:
            ws.announce(events.REPORTS, *written)
        part.update(touched=[], registered=False, files=0)

    try:
        with Verifier(sum(1 for f in accepted if f._contents is None)) as verifier, ws.store.transaction():
            part_started = time.monotonic()
            # the workers get FILES_PER_TASK files a task and stay about VERIFY_AHEAD files ahead of the file being
            # written; without workers, reading ahead would only delay the first progress report and Cancel
            per_task, ahead = ((FILES_PER_TASK, VERIFY_AHEAD // FILES_PER_TASK) if verifier.pool is not None
                               else (1, 1))
            tasks = [accepted[n:n + per_task] for n in range(0, len(accepted), per_task)]
            files_read = ((old, read) for task, verifying in read_ahead(tasks, start, ahead)
                          for old, read in zip(task, verifying.result()))
            for i, (old, read) in enumerate(files_read):
                if part["files"] and time.monotonic() - part_started >= CHUNK_SECONDS:
                    finish_part(False)
                    ws.store.commit_chunk()
                    committed = i
                    part_started = time.monotonic()
                check_cancel(cancel)
                report_progress(progress, "import", i, len(accepted), str(old.path), f"Nhập {old.name}")
                file_plan = FilePlan(old.path, False, "unreadable", local_copy=old.local_copy)
                part["files"] += 1
                if isinstance(read, BundleError):
                    refused(file_plan, read)
                    applied.files.append(file_plan)
                    continue
                contents = read
                file_plan.file_sha256, file_plan.payload_sha256 = old.file_sha256, contents.payload_sha256
                classify_file(ws, file_plan, contents, plan.register_new, None)
                applied.files.append(file_plan)
                if file_plan.ok and file_plan.code != "duplicate":
                    written = write_file(ws, file_plan, contents, written_content)
                    sources.forget(file_plan.unit_id, written)
                    touched += written
                    part["touched"] += written
                    # content just written from rows whose hash was verified against the signed manifest
                    verified.update((r.local_report_id, r.content_hash) for r in file_plan.reports
                                    if r.local_report_id in written and r.action in ("new", "new_version"))
                    if file_plan.will_register:
                        result.registered.append(file_plan.unit_id)
                        part["registered"] = True
            applied.files += [f for f in plan.files if not f.ok]
            check_cancel(cancel)
            finish_part(True)
            result.touched_reports = list(dict.fromkeys(touched))
    except Cancelled:
        if committed:
            raise Cancelled(f"Đã dừng theo yêu cầu: {committed} tệp đầu đã nhập trọn vẹn; các tệp còn lại chưa "
                            f"nhập (nhập lại các tệp đó để tiếp tục).") from None
        raise
    report_progress(progress, "check", 1, 1, message="Xong")
    return result


class _InOrder:
    """A task's result as the importing loop reads it: for each file of the task in order, its contents (from
    the plan when kept in memory) or the BundleError that refuses it."""

    def __init__(self, task: list[FilePlan], verifying):
        self.task, self.verifying = task, verifying

    def result(self) -> list:
        verified = iter(self.verifying.result())
        return [old._contents if old._contents is not None else next(verified) for old in self.task]


def write_file(ws, file_plan: FilePlan, contents: BundleContents, written_content: dict | None = None) -> list[str]:
    """Write one accepted file (inside the caller's transaction). `written_content`: filled with local report
    id → the content its live rows now hold (a new report or a new version; not an older one or a conflict,
    which leave the live rows as they were)."""
    store = ws.store
    unit = contents.unit
    writes = [r for r in file_plan.reports if r.action in ("new", "new_version", "older", "conflict")]
    if not writes:  # nothing of this file is taken: not even its unit's details or its registration
        file_plan.will_register = False
        return []
    unit_fields = {"id": unit["id"], **{k: unit.get(k) for k in unit_store.UNIT_COLUMNS}}
    newest = bundles.newest_created_at(store, unit["id"])  # indexed (schema 8)
    if newest is None or contents.created_at >= newest:  # name, place… as the unit's newest file says
        upsert_foreign_unit(ws, unit_fields)
    if file_plan.will_register:
        register(ws, unit_fields, contents.public_key, "member", False, f"tệp {file_plan.name}")
    for table in received.UPSERTED_TABLES:
        for row in contents.rows[table]:
            if row.get("unit_id") == unit["id"]:
                received.upsert_newer(store, table, row)
    bundles.add_received_bundle(
        store, bundle_id=contents.bundle_id, unit_id=unit["id"], file_name=file_plan.name,
        file_sha256=file_plan.file_sha256, payload_sha256=contents.payload_sha256, manifest=contents.manifest_text,
        signature=contents.signature, key_fingerprint=contents.fingerprint, created_at=contents.created_at,
        imported_at=now_iso(), imported_by=ws.author)
    by_id = {c["report_id"]: c for c in contents.report_contents()}
    touched = []
    for plan in writes:
        content = by_id[plan.report_id]
        template_row = contents.template_row(
            next(r for r in contents.rows["reports"] if r["id"] == plan.report_id)["template_id"])
        template_id = template_store.ensure(store, template_row, unit["id"])  # pinned, never current
        local_id = plan.local_report_id
        if plan.action == "new":
            local_id = new_id() if report_store.unit_id_of(store, plan.report_id) is not None else plan.report_id
            received.write_report(store, local_id, content, template_id, insert=True)
            add_received_version(ws, local_id, content, plan.content_hash, contents, "current")
            if written_content is not None:
                written_content[local_id] = content
        elif plan.action == "new_version":
            old_hash = version_store.current_hash(store, local_id)
            version_store.supersede_current(store, local_id)
            received.write_report(store, local_id, content, template_id, insert=False)
            if written_content is not None:
                written_content[local_id] = content
            add_received_version(ws, local_id, content, plan.content_hash, contents, "current")
            ws.store.log_revision(local_id, "exchange", "version", old_hash, plan.content_hash, ws.author,
                                  coalesce=False)
        elif plan.action == "older":
            add_received_version(ws, local_id, content, plan.content_hash, contents, "superseded")
        elif plan.action == "conflict":
            keep_local_edits(ws, local_id)
            add_received_version(ws, local_id, content, plan.content_hash, contents, "conflict")
            ws.store.log_revision(local_id, "exchange", "conflict", None, plan.content_hash, ws.author, coalesce=False)
        plan.local_report_id = local_id
        touched.append(local_id)
    return touched
