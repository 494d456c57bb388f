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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE FUNCTION installation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'installation_log is append-only'; END; $$;
CREATE TRIGGER installation_log_no_change BEFORE UPDATE OR DELETE ON installation_log
FOR EACH ROW EXECUTE FUNCTION installation_log_append_only();
