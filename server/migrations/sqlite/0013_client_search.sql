-- Client search by substring at region scale (issue 18): a trigram full-text index
-- instead of a `LIKE '%…%'` scan over every client. The index keeps no copy of the
-- text (contentless) and overwrites deleted entries (secure-delete), so a name that
-- changed does not linger in it.
--
-- Its integer row ids live in `client_search_keys`, one row per client with what the
-- list filters and sorts by, kept by the triggers below: `clients` has a text key, and
-- the implicit row ids of such a table may be renumbered by VACUUM (and by `VACUUM
-- INTO`, the backup), which would point the index at the wrong clients; and a match
-- reaches its partnership and place in the order here without reading the client's
-- wide row (measured: a third of the time of a search over a region's 100,000).
CREATE TABLE client_search_keys (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE REFERENCES clients (id) ON DELETE CASCADE,
    partnership_id TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    status TEXT NOT NULL,
    key_consultant_id TEXT
);
CREATE VIRTUAL TABLE clients_search USING fts5 (
    search_text, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO clients_search (clients_search, rank) VALUES ('secure-delete', 1);

INSERT INTO client_search_keys (id, partnership_id, sort_key, status, key_consultant_id)
    SELECT id, partnership_id, sort_key, status, key_consultant_id FROM clients ORDER BY id;
INSERT INTO clients_search (rowid, search_text)
    SELECT k.rowid, c.search_text FROM client_search_keys k JOIN clients c ON c.id = k.id;

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO client_search_keys (id, partnership_id, sort_key, status, key_consultant_id)
        VALUES (new.id, new.partnership_id, new.sort_key, new.status, new.key_consultant_id);
    INSERT INTO clients_search (rowid, search_text)
        VALUES ((SELECT rowid FROM client_search_keys WHERE id = new.id), new.search_text);
END;
CREATE TRIGGER clients_search_update AFTER UPDATE OF partnership_id, sort_key, status, key_consultant_id ON clients BEGIN
    UPDATE client_search_keys SET partnership_id = new.partnership_id, sort_key = new.sort_key,
        status = new.status, key_consultant_id = new.key_consultant_id
        WHERE id = new.id;
END;
CREATE TRIGGER clients_search_text AFTER UPDATE OF search_text ON clients BEGIN
    DELETE FROM clients_search WHERE rowid = (SELECT rowid FROM client_search_keys WHERE id = old.id);
    INSERT INTO clients_search (rowid, search_text)
        VALUES ((SELECT rowid FROM client_search_keys WHERE id = new.id), new.search_text);
END;
CREATE TRIGGER clients_search_delete BEFORE DELETE ON clients BEGIN
    DELETE FROM clients_search WHERE rowid = (SELECT rowid FROM client_search_keys WHERE id = old.id);
END;

-- Keyset paging walks the list in this order.
CREATE INDEX clients_order ON clients (sort_key, id);
