-- The register of personal-data breaches (GDPR art. 33(5)), one per partnership,
-- numbered from 1. Times are Unix seconds; `reported_at` (UODO) and `informed_at`
-- (the people, art. 34) stay empty until done. Entries are updated as an incident is
-- dealt with (each change is in the access log) and never deleted.
CREATE TABLE breaches (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    number BIGINT NOT NULL,
    found_at BIGINT NOT NULL,
    what_happened TEXT NOT NULL,
    data TEXT NOT NULL,
    people BIGINT NOT NULL,
    risk TEXT NOT NULL CHECK (risk IN ('unlikely', 'risk', 'high')),
    reported_at BIGINT,
    informed_at BIGINT,
    justification TEXT NOT NULL,
    measures TEXT NOT NULL,
    closed_at BIGINT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (partnership_id, number)
);
CREATE TRIGGER breaches_no_delete BEFORE DELETE ON breaches
BEGIN SELECT RAISE(ABORT, 'the breach register keeps every entry'); END;
