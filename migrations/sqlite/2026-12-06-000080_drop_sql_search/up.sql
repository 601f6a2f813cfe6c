-- Every search now goes through the read model (yui_search), alerts and digests included, so
-- the FTS5 table of the first search is no longer read or written. (PostgreSQL keeps its
-- table for now: an older instance may still be serving beside this one during a rolling
-- upgrade, and it writes that table with every posting.)
DROP TABLE IF EXISTS posting_search;
