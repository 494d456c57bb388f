-- One opening of a client's card is one entry in the access log: the reads a view
-- makes carry its random id, and the first read of an opening is the one recorded.
-- Kept a day; not evidence itself (the audit log is).
CREATE TABLE access_openings (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX access_openings_at ON access_openings (at);
