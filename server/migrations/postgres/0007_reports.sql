-- Monthly monitoring reports (tool 8): one per partnership and month. The narrative
-- is written by the coordinator; the generated tables are computed from the case
-- documents while the report is a draft and frozen in `snapshot` when it is marked
-- final, so later edits of the data never change a final report.
CREATE TABLE reports (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    month TEXT NOT NULL,
    narrative TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
    snapshot TEXT,
    version BIGINT NOT NULL,
    finalised_by TEXT REFERENCES users (id),
    finalised_at BIGINT,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (partnership_id, month)
);

