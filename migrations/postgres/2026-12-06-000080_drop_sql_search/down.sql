-- The table comes back empty: the build that reads it indexed missing rows at start.
CREATE TABLE posting_search (
    posting_id INTEGER PRIMARY KEY REFERENCES postings (id) ON DELETE CASCADE,
    tokens TSVECTOR NOT NULL
);
CREATE INDEX posting_search_tokens ON posting_search USING GIN (tokens);
