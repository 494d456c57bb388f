-- When a round was closed: its receipts are kept a few minutes more, so that another
-- server process still holding a resent copy of a counted answer recognises it when
-- it settles the round, instead of counting it again.
ALTER TABLE survey_periods ADD COLUMN closed_at BIGINT;
