-- A coordinator can revoke a device (a lost tablet); what it pushes afterwards is
-- held here, unapplied, for a coordinator to apply or discard. Never dropped.

ALTER TABLE devices ADD COLUMN revoked_at BIGINT;
ALTER TABLE devices ADD COLUMN revoked_by TEXT REFERENCES users (id);

CREATE TABLE sync_held (
    mutation_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    client_id TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at BIGINT,
    decision TEXT
);
CREATE INDEX sync_held_partnership ON sync_held (partnership_id, received_at);
