"""Use cases of the USB exchange (DESIGN §2 steps 6–7, §10; issue 7): keys, sending a transfer file,
verifying and importing many files at the level above, versions and conflicts.

    registry.py  the own key and the registered keys of the units below and the level above
    send.py      export_bundle: the signed transfer file on the stick, read back, reports marked Đã gửi
    readable.py  the readable copy beside it: each report's DOCX (and PDF), named as offices name files
    receive.py   prepare_import / apply_import / import_bundles / verify_file (plan.py: what it does;
                 classify.py: deciding it; verify.py: verifying in worker processes; checks.py: checks of
                 the received reports)
    versions.py  versions of received reports, conflicts and their resolution
    files.py     file names, atomic writes, free space, copies; progress.py: Progress and Cancel
SQL lives in store/ (registry, bundles, versions, received); these modules own the transactions and
announce what changed (services/events.py) after each commit.

Every function takes a Workspace. Long ones take `progress` (called with a Progress) and `cancel`
(a callable returning True, or a threading.Event) so that the GUI can run them off the UI thread with
a progress bar and a Cancel button. Run them in a worker thread with its *own* Workspace opened on
the same file (`Workspace(ws.path)`): one SQLite connection must not be shared by two threads at once.
This package re-exports the public names, so callers write `from baocao_desktop.services import exchange`.
"""
from __future__ import annotations

from .checks import check_received, store_check_summary
from .files import ROOM_MARGIN, find_bundles, safe_file_name
from .plan import ACTION_LABELS, CACHE_BYTES, COUNT_KEYS, FilePlan, ImportPlan, ImportResult, ReportPlan
from .progress import Cancelled, Progress, ProgressFn
from .receive import apply_import, import_bundles, prepare_import, verify_file
from .readable import ReadableCopies, readable_stem
from .registry import (KeyClash, KeyInfo, Registration, ensure_own_key, export_private_key, export_public_key, own_key,
                       own_key_pair, register_unit, registered_units, replace_own_key, restore_private_key,
                       upper_level_key)
from .send import READABLE_BY_DEFAULT, ExportResult, app_version, export_bundle, exportable_reports, suggested_bundle_name
from .verify import spawn_context
from .versions import VersionInfo, compare_versions, conflicts, report_versions, resolve_conflict, version_content

__all__ = [
    "ACTION_LABELS", "CACHE_BYTES", "COUNT_KEYS", "READABLE_BY_DEFAULT", "ROOM_MARGIN", "Cancelled", "ExportResult",
    "FilePlan", "ImportPlan", "ImportResult", "KeyClash", "KeyInfo", "Progress", "ProgressFn", "ReadableCopies",
    "Registration", "ReportPlan",
    "VersionInfo", "app_version", "apply_import", "check_received", "compare_versions", "conflicts",
    "ensure_own_key", "export_bundle", "export_private_key", "export_public_key", "exportable_reports", "find_bundles",
    "import_bundles", "own_key", "own_key_pair", "prepare_import", "readable_stem", "register_unit", "registered_units",
    "replace_own_key", "report_versions", "restore_private_key",
    "resolve_conflict", "safe_file_name", "spawn_context", "store_check_summary", "suggested_bundle_name",
    "upper_level_key", "verify_file", "version_content",
]
