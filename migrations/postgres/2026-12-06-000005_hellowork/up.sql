-- Postings that came from elsewhere than an employer: Hello Work's job data, keyed by its
-- public 求人番号. A side table, because postings is at its column limit.
CREATE TABLE posting_origins (
    posting_id INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,
    -- 'hellowork'
    source TEXT NOT NULL,
    -- 求人番号, e.g. 16030-01234567
    external_id TEXT NOT NULL,
    -- the day of the last import that carried the row: the data is as of this day
    taken_on DATE NOT NULL,
    -- SHA-256 of the row's cells, to tell an unchanged row on the next import
    row_hash TEXT NOT NULL,
    UNIQUE (source, external_id)
);

-- One import of a Hello Work file, with its report, kept for the editors' page.
CREATE TABLE hellowork_imports (
    id SERIAL PRIMARY KEY,
    file_name TEXT NOT NULL,
    -- a full export: postings whose number is missing from it end
    full_export BOOLEAN NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    ended INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    -- JSON array of {line, number, reason, detail}: the rows set aside
    quarantine TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff_users(id),
    created_at TIMESTAMP NOT NULL
);

-- 編集部のひとこと: what the work is really like, in the editors' words (Markdown).
CREATE TABLE posting_notes (
    posting_id INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by INTEGER REFERENCES staff_users(id)
);
