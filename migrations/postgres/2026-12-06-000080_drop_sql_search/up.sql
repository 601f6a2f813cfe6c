-- Every search now goes through the read model (yui_search), alerts and digests included, so
-- the tsvector table of the first search is no longer read or written.
DROP TABLE IF EXISTS posting_search;
