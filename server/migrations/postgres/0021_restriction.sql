-- Restriction of processing (GDPR art. 18): while a client's processing is restricted
-- (the person contests the data's accuracy, objects, or needs it kept for a claim),
-- their record and documents are read-only for everyone; a device's changes are held
-- for a coordinator. Who restricted it, when and why stays on the record; lifting it
-- clears the three, and the access log keeps both steps.
ALTER TABLE clients ADD COLUMN restricted_at BIGINT;
ALTER TABLE clients ADD COLUMN restricted_by TEXT REFERENCES users (id);
ALTER TABLE clients ADD COLUMN restriction_reason TEXT NOT NULL DEFAULT '';
