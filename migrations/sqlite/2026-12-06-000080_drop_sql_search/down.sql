-- The table comes back empty: the build that reads it indexed missing rows at start.
CREATE VIRTUAL TABLE posting_search USING fts5(title, body, tokenize = 'ascii');
