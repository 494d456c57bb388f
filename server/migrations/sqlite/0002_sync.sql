-- The sync engine: every stored version of a document, the devices that push, the
-- mutations applied (so a resent one is answered, not applied again), conflicts
-- kept for a person to resolve, and append-only dated notes.

CREATE TABLE doc_versions (
    doc_id TEXT NOT NULL,
    revision BIGINT NOT NULL,
    doc_type TEXT NOT NULL,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    data TEXT NOT NULL,
    -- JSON array of the JSON Pointers this version changed.
    changed TEXT NOT NULL DEFAULT '[]',
    user_id TEXT NOT NULL REFERENCES users (id),
    device_id TEXT,
    mutation_id TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (doc_id, revision)
);

INSERT INTO doc_versions (doc_id, revision, doc_type, partnership_id, data, user_id, at)
SELECT id, version, 'client', partnership_id, data, updated_by, updated_at FROM clients;

-- Wraps each user's draft key on their devices; made on first sign-in.
ALTER TABLE users ADD COLUMN device_key TEXT;

CREATE TABLE devices (
    id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (id, user_id)
);

CREATE TABLE sync_mutations (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    device_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    -- The answer given, JSON; empty while the pushing transaction is open.
    result TEXT NOT NULL
);

CREATE TABLE sync_conflicts (
    id TEXT PRIMARY KEY,
    doc_type TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    path TEXT NOT NULL,
    base TEXT NOT NULL,
    mine TEXT NOT NULL,
    theirs TEXT NOT NULL,
    base_revision BIGINT NOT NULL,
    mine_user_id TEXT NOT NULL REFERENCES users (id),
    mine_device_id TEXT NOT NULL,
    mine_at BIGINT NOT NULL,
    theirs_user_id TEXT NOT NULL REFERENCES users (id),
    theirs_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_by TEXT REFERENCES users (id),
    resolved_at BIGINT,
    resolution TEXT
);
CREATE INDEX sync_conflicts_doc ON sync_conflicts (doc_id, created_at);

CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    text TEXT NOT NULL,
    written_at BIGINT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    device_id TEXT,
    received_at BIGINT NOT NULL
);
CREATE INDEX notes_client ON notes (client_id, written_at);

CREATE TRIGGER notes_no_update BEFORE UPDATE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER doc_versions_no_update BEFORE UPDATE ON doc_versions
BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END;
CREATE TRIGGER doc_versions_no_delete BEFORE DELETE ON doc_versions
BEGIN SELECT RAISE(ABORT, 'versions are append-only'); END;
