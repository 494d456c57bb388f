-- Invitations and password resets: single-use links a person opens to choose their
-- own password. Only the token's SHA-256 is kept, as for sessions, so a copy of this
-- table opens no account. A link is used once and expires after 72 hours.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_links_user ON account_links (user_id);

-- When the person last signed in, for the coordinator's list of people.
ALTER TABLE users ADD COLUMN last_sign_in BIGINT;
