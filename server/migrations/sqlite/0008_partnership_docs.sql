-- The partnership's own documents (agreement, coordination-team decision, action
-- plan, evaluation questionnaires), each stored whole as JSON with its versions; and
-- the agreement's events — signatures, withdrawal notices, amendments and consents —
-- recorded with who and when, never changed.
CREATE TABLE partnership_docs (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    kind TEXT NOT NULL,
    doc_key TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (partnership_id, kind, doc_key)
);

CREATE TABLE partnership_doc_versions (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    kind TEXT NOT NULL,
    doc_key TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL,
    data TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL,
    PRIMARY KEY (partnership_id, kind, doc_key, version)
);

CREATE TABLE agreement_events (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    event TEXT NOT NULL CHECK (event IN ('signature', 'withdrawal', 'amendment', 'consent')),
    organisation_id TEXT NOT NULL DEFAULT '',
    amendment_id TEXT NOT NULL DEFAULT '',
    -- The notice's date, the amendment's text, or how consent was given.
    detail TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL
);
-- A partner signs once, withdraws once and consents to an amendment once.
CREATE UNIQUE INDEX agreement_events_once ON agreement_events (partnership_id, event, organisation_id, amendment_id)
    WHERE event <> 'amendment';
CREATE INDEX agreement_events_partnership ON agreement_events (partnership_id, at);
