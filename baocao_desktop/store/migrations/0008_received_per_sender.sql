-- Schema 8: what is received is kept per sender (issue 19.2 and 19.10). A commune's template version is
-- kept for that commune's reports: two communes may send the same code and version with different content;
-- each is kept, as a `received` version, and each commune's reports pin theirs (reports.template_id).
-- So (code, version) is unique only among the versions this installation uses as its own (shipped | upper |
-- local | ''); received versions are unique by content (code, version, sha256): the same template sent by a
-- hundred communes is stored once.
-- The table is rebuilt (an inline UNIQUE cannot be dropped); the ids stay, so every report keeps its
-- version. (The program turns foreign keys off while a migration runs, as SQLite's rebuild procedure asks.)
CREATE TABLE templates_rebuilt (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    period TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    installed_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    origin_unit_id TEXT
);
INSERT INTO templates_rebuilt (id, code, version, name, period, source, sha256, installed_at, updated_at, origin,
                               origin_unit_id)
    SELECT id, code, version, name, period, source, sha256, installed_at, updated_at, origin, origin_unit_id
    FROM templates;
DROP TABLE templates;
ALTER TABLE templates_rebuilt RENAME TO templates;
CREATE UNIQUE INDEX templates_own_version ON templates (code, version) WHERE origin <> 'received';
CREATE UNIQUE INDEX templates_received_content ON templates (code, version, sha256) WHERE origin = 'received';
-- The import log looked up per sender (its newest file decides the unit's name and place) without a scan of
-- every file imported so far (5,200 a year at a province).
CREATE INDEX received_bundles_by_unit ON received_bundles (unit_id, created_at);
