-- Survey answers are no longer written whole anywhere: the server holds them in
-- memory until at least 5 of a round can be counted together (see the README's
-- threat model). survey_pool is not written any more; a server of this version
-- empties what an older one left there into its memory when it starts.

ALTER TABLE survey_periods DROP COLUMN pooled;

-- Set when a round closed with fewer than 5 answers left uncounted (they were
-- dropped, since counting them alone would have shown them).
ALTER TABLE survey_periods ADD COLUMN few INTEGER NOT NULL DEFAULT 0;

-- A used code is kept until its round closes, marked with a hash of the id of the
-- answer that used it: the same answer sent again (after a restart) is not refused,
-- and the mark cannot be matched to a receipt below without that id.
ALTER TABLE survey_codes ADD COLUMN spent TEXT;

-- Hashes of the ids of counted answers, written with their batch and deleted when
-- the round closes, so that an answer sent again is counted once. No answer here.
CREATE TABLE survey_receipts (
    survey_id TEXT NOT NULL REFERENCES survey_periods (id),
    hash TEXT NOT NULL,
    PRIMARY KEY (survey_id, hash)
);
