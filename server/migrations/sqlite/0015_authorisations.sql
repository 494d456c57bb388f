-- Each person's written authorisation to process personal data (upoważnienie):
-- its number, the day it was issued and the last day it holds (YYYY-MM-DD; empty:
-- not recorded / until revoked). A lapsed one blocks sign-in.
ALTER TABLE users ADD COLUMN authorisation_number TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN authorisation_issued TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN authorisation_expires TEXT NOT NULL DEFAULT '';
