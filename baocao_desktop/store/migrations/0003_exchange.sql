-- Schema 3: exchange on USB (DESIGN §10). Signing keys (this unit's own pair, the units registered
-- below it, the level above), the transfer files received, every received version of a report
-- (the newest accepted one is also materialised in reports/indicator_values/... so that checks,
-- documents and aggregation read it like any report), and cached check counts for the inbox.

-- role: self = this installation's key pair (private key kept here: to be protected, see exchange/keys.py);
--       member = a unit below that sends reports up; upper = the level above (verifies templates sent down).
-- A replaced key is kept with revoked_at set, never deleted.
CREATE TABLE unit_keys (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    role TEXT NOT NULL CHECK (role IN ('self', 'member', 'upper')),
    algorithm TEXT NOT NULL DEFAULT 'ed25519',
    public_key TEXT NOT NULL,
    private_key TEXT,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX unit_keys_live ON unit_keys(unit_id, role) WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX unit_keys_one_self_one_upper ON unit_keys(role)
    WHERE revoked_at IS NULL AND role IN ('self', 'upper');
CREATE INDEX unit_keys_by_fingerprint ON unit_keys(fingerprint);

-- One row per transfer file whose import changed something. id is the bundle id the sender minted.
CREATE TABLE received_bundles (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    manifest TEXT NOT NULL,
    signature TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX received_bundles_by_file ON received_bundles(file_sha256);

-- Every version of a received report, with its full content (JSON), never deleted.
-- state: current = the one in the live tables; superseded = an earlier (or later-arriving older) one;
--        conflict = arrived while the live copy had local edits: kept beside it until someone chooses.
-- origin local = a snapshot of edits made here, saved when a conflicting version arrived.
CREATE TABLE report_versions (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    origin TEXT NOT NULL CHECK (origin IN ('received', 'local')),
    state TEXT NOT NULL CHECK (state IN ('current', 'superseded', 'conflict')),
    source_report_id TEXT NOT NULL,
    bundle_id TEXT REFERENCES received_bundles(id),
    unit_id TEXT NOT NULL REFERENCES units(id),
    template_code TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    status TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    content TEXT NOT NULL,
    sent_at TEXT,
    received_at TEXT NOT NULL,
    author TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX report_versions_by_report ON report_versions(report_id, state);
CREATE INDEX report_versions_by_key ON report_versions(unit_id, template_code, period_start, period_end);

-- Check results of a report as last computed (errors, warnings, warnings kept with a reason), so that
-- the inbox of 100 units × 52 weeks opens without re-running the checks.
CREATE TABLE check_summaries (
    report_id TEXT PRIMARY KEY REFERENCES reports(id),
    content_hash TEXT,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    kept_warnings INTEGER NOT NULL DEFAULT 0,
    findings TEXT NOT NULL DEFAULT '[]',
    checked_at TEXT NOT NULL
);
