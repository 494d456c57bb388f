-- Clients brought in from a partner's spreadsheet: each confirmed import keeps its
-- report (what became of every row, and why), who ran it and the file's SHA-256, so
-- an import can be accounted for later. A dry run keeps nothing.
CREATE TABLE client_imports (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX client_imports_partnership ON client_imports (partnership_id, at);
