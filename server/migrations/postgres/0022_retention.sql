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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
CREATE TRIGGER disposals_no_change BEFORE UPDATE OR DELETE ON disposals
FOR EACH ROW EXECUTE FUNCTION append_only();

-- Notes and versions stay append-only, except for a client the register says was
-- disposed of: disposal erases them, and nothing else can.
CREATE FUNCTION notes_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM disposals WHERE client_id = OLD.client_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'notes are append-only';
END; $$;
CREATE FUNCTION versions_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND (EXISTS (SELECT 1 FROM disposals WHERE client_id = OLD.doc_id)
        OR EXISTS (SELECT 1 FROM documents d JOIN disposals x ON x.client_id = d.client_id WHERE d.id = OLD.doc_id)) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'versions are append-only';
END; $$;
DROP TRIGGER notes_no_change ON notes;
CREATE TRIGGER notes_no_change BEFORE UPDATE OR DELETE ON notes
FOR EACH ROW EXECUTE FUNCTION notes_kept();
DROP TRIGGER doc_versions_no_change ON doc_versions;
CREATE TRIGGER doc_versions_no_change BEFORE UPDATE OR DELETE ON doc_versions
FOR EACH ROW EXECUTE FUNCTION versions_kept();
