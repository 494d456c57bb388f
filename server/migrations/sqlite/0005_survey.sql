-- The anonymous client survey (tool 10). Nothing here can name a respondent:
-- answers are kept only as per-question counters and loose, shuffled texts, with
-- no time but the survey's month. survey_pool holds whole answers only until a
-- batch of 5 is complete (see the README's threat model).

CREATE TABLE survey_periods (
    id TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    period TEXT NOT NULL,
    -- The secret in the public link and QR code.
    token TEXT NOT NULL UNIQUE,
    codes_required INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    -- How many whole answers wait in survey_pool; updated first in every submission
    -- so that it also serialises the submissions of one survey.
    pooled INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    UNIQUE (partnership_id, period)
);

-- Hashes of single-use codes not yet used; a code is deleted when it is used.
CREATE TABLE survey_codes (
    hash TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL REFERENCES survey_periods (id)
);

-- Whole answers waiting for a batch of 5: random ids, no time, no sender.
CREATE TABLE survey_pool (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL REFERENCES survey_periods (id),
    answer TEXT NOT NULL
);

-- One counter per question and option, all created with the survey (so that row
-- order says nothing about who answered first) and only ever incremented by batches.
CREATE TABLE survey_counters (
    survey_id TEXT NOT NULL REFERENCES survey_periods (id),
    question TEXT NOT NULL,
    choice TEXT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (survey_id, question, choice)
);

-- Free-text answers, each on its own row with a random id, written in shuffled batches.
CREATE TABLE survey_texts (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL REFERENCES survey_periods (id),
    question TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX survey_texts_by_survey ON survey_texts (survey_id);

-- The key pair kiosk tablets seal queued answers to (P-256, base64).
CREATE TABLE survey_keys (
    id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL
);
