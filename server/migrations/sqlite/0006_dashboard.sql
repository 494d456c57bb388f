-- The dashboard reads one partnership's documents, the latest note per client and the
-- partnership's people without scanning other partnerships' rows.
CREATE INDEX documents_partnership ON documents (partnership_id, doc_type);
CREATE INDEX notes_partnership ON notes (partnership_id, client_id, written_at);
CREATE INDEX user_roles_partnership ON user_roles (partnership_id, role);
