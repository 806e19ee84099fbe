-- Schema 2: figures in table cells, kept warnings with their written reasons (giải trình),
-- and the time a report was signed (its content hash is in reports.content_hash).
CREATE TABLE table_cells (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    table_code TEXT NOT NULL,
    row_code TEXT NOT NULL,
    column_code TEXT NOT NULL,
    value TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (report_id, table_code, row_code, column_code)
);

CREATE TABLE justifications (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    finding_key TEXT NOT NULL,
    reason TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX justifications_live ON justifications(report_id, finding_key) WHERE deleted_at IS NULL;

ALTER TABLE reports ADD COLUMN signed_at TEXT;
