-- Case documents: one of each kind per client (assessment, IPD, social contract,
-- services, effects, OWES path), stored whole as JSON and versioned in
-- doc_versions; and the services a partnership adds to the catalogue.

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    doc_type TEXT NOT NULL,
    data TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    UNIQUE (client_id, doc_type)
);

CREATE TABLE custom_services (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (partnership_id, code),
    UNIQUE (partnership_id, name)
);
