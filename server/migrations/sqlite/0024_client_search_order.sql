-- Client search at region scale, part two (issue 18). A search spanning a region's 500
-- partnerships looks up every match to check its partnership and find its place in the
-- Polish order: 5,556 lookups for "kowal". They read `client_search_keys`, whose rows
-- (about 150 bytes: three UUIDs as text) filled 16 MB that no connection's 256 KiB
-- page cache holds. They now read `client_search_order`, about 40 bytes a row: the
-- partnership as a small number, no client or consultant id. `client_search_keys`
-- keeps only the map from the index's row ids to clients, read for a page's 50.
--
-- Partnerships get explicit numbers for the same reason the index's row ids live in a
-- table of their own: VACUUM may renumber the implicit row ids of a table with a text
-- key. (Partnerships are never deleted; the numbers are never reused.)
CREATE TABLE partnership_numbers (
    number INTEGER PRIMARY KEY,
    partnership_id TEXT NOT NULL UNIQUE REFERENCES partnerships (id)
);
INSERT INTO partnership_numbers (partnership_id) SELECT id FROM partnerships ORDER BY created_at, id;
CREATE TRIGGER partnership_numbers_insert AFTER INSERT ON partnerships BEGIN
    INSERT INTO partnership_numbers (partnership_id) VALUES (new.id);
END;

CREATE TABLE client_search_order (
    rowid INTEGER PRIMARY KEY,
    partnership INTEGER NOT NULL,
    sort_key TEXT NOT NULL,
    status TEXT NOT NULL
);
INSERT INTO client_search_order (rowid, partnership, sort_key, status)
    SELECT k.rowid, n.number, k.sort_key, k.status
    FROM client_search_keys k JOIN partnership_numbers n ON n.partnership_id = k.partnership_id
    ORDER BY k.rowid;

-- The triggers that wrote the dropped columns go first: SQLite refuses to drop a
-- column a trigger names.
DROP TRIGGER clients_search_insert;
DROP TRIGGER clients_search_update;
ALTER TABLE client_search_keys DROP COLUMN partnership_id;
ALTER TABLE client_search_keys DROP COLUMN sort_key;
ALTER TABLE client_search_keys DROP COLUMN status;
ALTER TABLE client_search_keys DROP COLUMN key_consultant_id;

CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO client_search_keys (id) VALUES (new.id);
    INSERT INTO client_search_order (rowid, partnership, sort_key, status)
        VALUES ((SELECT rowid FROM client_search_keys WHERE id = new.id),
                (SELECT number FROM partnership_numbers WHERE partnership_id = new.partnership_id),
                new.sort_key, new.status);
    INSERT INTO clients_search (rowid, search_text)
        VALUES ((SELECT rowid FROM client_search_keys WHERE id = new.id), new.search_text);
END;
CREATE TRIGGER clients_search_update AFTER UPDATE OF partnership_id, sort_key, status ON clients BEGIN
    UPDATE client_search_order
        SET partnership = (SELECT number FROM partnership_numbers WHERE partnership_id = new.partnership_id),
            sort_key = new.sort_key, status = new.status
        WHERE rowid = (SELECT rowid FROM client_search_keys WHERE id = new.id);
END;
-- A deleted client's order row goes with its index entry (its keys' row goes by the
-- foreign key's cascade).
DROP TRIGGER clients_search_delete;
CREATE TRIGGER clients_search_delete BEFORE DELETE ON clients BEGIN
    DELETE FROM clients_search WHERE rowid = (SELECT rowid FROM client_search_keys WHERE id = old.id);
    DELETE FROM client_search_order WHERE rowid = (SELECT rowid FROM client_search_keys WHERE id = old.id);
END;
