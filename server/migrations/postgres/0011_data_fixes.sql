-- Changes to stored values that SQL cannot make (Unicode normalisation), run once by
-- the server after the migrations, each recorded here when done.
CREATE TABLE data_fixes (
    name TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);
