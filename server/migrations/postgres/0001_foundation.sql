-- Foundation: organisations, partnerships, users and roles, sessions, the client registry
-- and the append-only audit log. Identifiers are UUID text; times are Unix seconds.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    org_type TEXT NOT NULL CHECK (org_type IN ('ops', 'pup', 'ngo', 'owes', 'other')),
    seat TEXT NOT NULL DEFAULT '',
    krs TEXT,
    regon TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE partnerships (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('local', 'owes')),
    created_at BIGINT NOT NULL
);

CREATE TABLE partnership_members (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (partnership_id, organisation_id)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id),
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, partnership_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    account TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    kind TEXT NOT NULL,
    work_form TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    key_consultant_id TEXT REFERENCES users (id),
    display_name TEXT NOT NULL,
    pesel TEXT,
    birth_date TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    sort_key TEXT COLLATE "C" NOT NULL,
    search_text TEXT NOT NULL,
    data TEXT NOT NULL,
    override_by TEXT REFERENCES users (id),
    override_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX clients_pesel ON clients (partnership_id, pesel);
CREATE INDEX clients_list ON clients (partnership_id, sort_key);
CREATE INDEX clients_consultant ON clients (key_consultant_id, status);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    partnership_id TEXT NOT NULL,
    client_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_partnership ON audit_log (partnership_id, id);

-- The audit log is append-only, also for anyone who bypasses the app.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
