-- Schema 5: table rows a report names, adds or leaves out (issue 14). reports.table_rows: JSON
-- {table code: {row code: label, or null for a template row left out}}; NULL: the template's rows.
-- profile_facts.names: JSON list of the names a fact counts (the old communes, the villages), '' none.
ALTER TABLE reports ADD COLUMN table_rows TEXT;
ALTER TABLE profile_facts ADD COLUMN names TEXT NOT NULL DEFAULT '';
