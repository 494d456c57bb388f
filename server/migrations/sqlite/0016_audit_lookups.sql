-- The access log is read by client ("who saw my data", GDPR art. 15) and by person,
-- newest first: each walks its own index instead of a partnership's whole log.
CREATE INDEX audit_client ON audit_log (client_id, id);
CREATE INDEX audit_user ON audit_log (user_id, id);
