-- Client search by substring at region scale (issue 18): a trigram index serves
-- `search_text LIKE '%…%'` instead of a scan over every client. pg_trgm ships with
-- PostgreSQL and is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX clients_search_trigrams ON clients USING gin (search_text gin_trgm_ops);

-- Keyset paging walks the list in this order.
CREATE INDEX clients_order ON clients (sort_key, id);
