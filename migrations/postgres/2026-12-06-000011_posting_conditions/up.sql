-- The conditions people filter on (寮・社宅あり, マイカー通勤可…), one row per condition a posting
-- offers; codes as in yui_domain::Condition. A side table: `postings` is at diesel's 32-column
-- limit. The index on (code, posting_id) serves `/jobs?cond=…`.
CREATE TABLE posting_conditions (
    posting_id INTEGER NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (posting_id, code)
);
CREATE INDEX posting_conditions_code ON posting_conditions (code, posting_id);
