-- The dashboard reads one partnership's documents and the latest note per client.
CREATE INDEX documents_partnership ON documents (partnership_id, doc_type);
CREATE INDEX notes_partnership ON notes (partnership_id, client_id, written_at);
