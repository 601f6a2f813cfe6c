-- Japanese full-text search (yui_db::search). Each row holds the tokens of one posting as
-- yui_domain::search::index_tokens makes them (bigrams and whole Latin words), joined by
-- spaces; rowid = postings.id. The "ascii" tokenizer splits on the spaces only and leaves
-- every non-ASCII character alone, so the tokens are stored exactly as Yui made them.
CREATE VIRTUAL TABLE posting_search USING fts5(title, body, tokenize = 'ascii');
