-- Schema 1: units and their dated profile, templates, reports with their texts and figures,
-- and the revision log. Ids are text UUIDs; figures are exact decimal text; times are UTC ISO.
CREATE TABLE units (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT 'xã',
    upper_body TEXT NOT NULL DEFAULT '',
    place_name TEXT NOT NULL DEFAULT '',
    symbol TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT 'party',
    founded_on TEXT,
    is_self INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE signers (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    on_behalf TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE profile_facts (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    as_of TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX profile_facts_lookup ON profile_facts(unit_id, code, as_of);

CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    period TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    installed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (code, version)
);

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    template_id TEXT NOT NULL REFERENCES templates(id),
    template_code TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    period_kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    report_date TEXT,
    place TEXT NOT NULL DEFAULT '',
    basis TEXT NOT NULL DEFAULT '',
    signer_id TEXT REFERENCES signers(id),
    recipients TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'for_signature', 'signed', 'sent')),
    content_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX reports_by_unit_template ON reports(unit_id, template_code, period_end);

CREATE TABLE section_texts (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    section_path TEXT NOT NULL,
    markup TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (report_id, section_path)
);

CREATE TABLE indicator_values (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    indicator_code TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('actual', 'plan', 'cumulative', 'previous')),
    value TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (report_id, indicator_code, field)
);

CREATE TABLE revisions (
    id TEXT PRIMARY KEY,
    report_id TEXT,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    old TEXT,
    new TEXT,
    author TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX revisions_by_report ON revisions(report_id, entity, entity_key, at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);
