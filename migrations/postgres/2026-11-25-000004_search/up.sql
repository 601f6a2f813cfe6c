-- Japanese full-text search (yui_db::search): the tokens of one posting as
-- yui_domain::search::index_tokens makes them (bigrams and whole Latin words), given to
-- PostgreSQL as a ready tsvector literal (title tokens weighted A), so no parser or
-- dictionary changes them: the same tokens as SQLite's FTS5 table.
CREATE TABLE posting_search (
    posting_id INTEGER PRIMARY KEY REFERENCES postings (id) ON DELETE CASCADE,
    tokens TSVECTOR NOT NULL
);
CREATE INDEX posting_search_tokens ON posting_search USING GIN (tokens);
