-- The installation's administrators register organisations and create partnerships
-- with their first coordinator; they read no client. The first one is made on an
-- empty database, from the server's own machine (the first-run page or
-- `sciezka create-admin`). `installation` then holds its one row, so two first runs
-- at once cannot both succeed.
ALTER TABLE users ADD COLUMN installation_admin BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN nip TEXT;
CREATE TABLE installation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    set_up_at BIGINT NOT NULL,
    set_up_by TEXT NOT NULL REFERENCES users (id)
);

-- What administrators do outside any partnership (an organisation registered, an
-- administrator made), append-only like the access log.
CREATE TABLE installation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER installation_log_no_update BEFORE UPDATE ON installation_log
BEGIN SELECT RAISE(ABORT, 'installation_log is append-only'); END;
CREATE TRIGGER installation_log_no_delete BEFORE DELETE ON installation_log
BEGIN SELECT RAISE(ABORT, 'installation_log is append-only'); END;
