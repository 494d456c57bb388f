-- Two-factor sign-in (TOTP, RFC 6238). The secret is offered at the first sign-in
-- (`totp_pending`) and becomes the account's (`totp_secret`) only once a code from it
-- is given; each code is taken once (`totp_last_step`, RFC 6238 section 5.2). Ten
-- single-use recovery codes are kept as SHA-256 only, like session tokens.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_enrolled_at BIGINT;
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- What the administrator decides for the whole installation. No row: the defaults
-- (two-factor sign-in required), which is what an upgraded installation gets.
CREATE TABLE installation_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    two_factor_required BIGINT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT
);
