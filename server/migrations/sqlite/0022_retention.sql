-- Retention and disposal (issue 20). Each organisation records the file-plan category
-- of its client files (B5, B10, BE10, B25…; empty: not recorded yet, which holds every
-- file), each partnership the date until which its EU-funded project's documents are
-- archived. A client disposed of keeps its row, anonymised, with the date it went.
ALTER TABLE organisations ADD COLUMN retention_category TEXT NOT NULL DEFAULT '';
ALTER TABLE partnerships ADD COLUMN archive_until TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN disposed_at BIGINT;

-- The disposal register: what went, when, on which rules, approved by whom. It names
-- nobody (the client's id, kind and dates) and, like the audit log, is append-only.
CREATE TABLE disposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    client_id TEXT NOT NULL UNIQUE,
    client_kind TEXT NOT NULL,
    registered TEXT NOT NULL,
    closed_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    -- JSON: the rules that applied and the day each let the file go.
    rules TEXT NOT NULL,
    justification TEXT NOT NULL,
    approved_by TEXT NOT NULL REFERENCES users (id),
    approved_by_name TEXT NOT NULL,
    disposed_at BIGINT NOT NULL
);
CREATE INDEX disposals_partnership ON disposals (partnership_id, id);
CREATE TRIGGER disposals_no_update BEFORE UPDATE ON disposals
BEGIN SELECT RAISE(ABORT, 'the disposal register is append-only'); END;
CREATE TRIGGER disposals_no_delete BEFORE DELETE ON disposals
BEGIN SELECT RAISE(ABORT, 'the disposal register is append-only'); END;

-- Notes and versions stay append-only, except for a client the register says was
-- disposed of: disposal erases them, and nothing else can.
DROP TRIGGER notes_no_delete;
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
WHEN NOT EXISTS (SELECT 1 FROM disposals WHERE client_id = old.client_id)
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
DROP TRIGGER doc_versions_no_delete;
CREATE TRIGGER doc_versions_no_delete BEFORE DELETE ON doc_versions
WHEN NOT EXISTS (SELECT 1 FROM disposals WHERE client_id = old.doc_id)
 AND NOT EXISTS (SELECT 1 FROM documents d JOIN disposals x ON x.client_id = d.client_id WHERE d.id = old.doc_id)
BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END;
