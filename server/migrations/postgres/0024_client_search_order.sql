-- Client search at region scale, part two (issue 18). The trigram index on `clients`
-- found a region's matches quickly, but counting and sorting them read each match's
-- row from the wide table (134 MB at 100,000 clients, each match on a page of its own:
-- 5,556 pages for "kowal"). The index now lives on a narrow copy of what a search
-- filters and sorts by, about 200 bytes a row, kept by a trigger; only a page's clients
-- are read from `clients`.
CREATE TABLE client_search_order (
    id TEXT PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
    partnership_id TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    status TEXT NOT NULL,
    search_text TEXT NOT NULL
);
INSERT INTO client_search_order (id, partnership_id, sort_key, status, search_text)
    SELECT id, partnership_id, sort_key, status, search_text FROM clients;
CREATE INDEX client_search_order_trigrams ON client_search_order USING gin (search_text gin_trgm_ops);
DROP INDEX clients_search_trigrams;

CREATE FUNCTION client_search_order_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO client_search_order (id, partnership_id, sort_key, status, search_text)
        VALUES (NEW.id, NEW.partnership_id, NEW.sort_key, NEW.status, NEW.search_text)
        ON CONFLICT (id) DO UPDATE SET partnership_id = EXCLUDED.partnership_id, sort_key = EXCLUDED.sort_key,
            status = EXCLUDED.status, search_text = EXCLUDED.search_text;
    RETURN NULL;
END $$;
CREATE TRIGGER clients_search_order AFTER INSERT OR UPDATE OF partnership_id, sort_key, status, search_text ON clients
FOR EACH ROW EXECUTE FUNCTION client_search_order_keep();
