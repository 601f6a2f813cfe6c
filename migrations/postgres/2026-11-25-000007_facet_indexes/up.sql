-- The facet counts on /jobs (yui_db::search::facets) from the index alone: per category,
-- district and work style among public postings, without reading every row.
CREATE INDEX postings_by_category ON postings (status, category, valid_through);
CREATE INDEX postings_by_area ON postings (status, area, valid_through);
CREATE INDEX postings_by_remote ON postings (status, remote, valid_through);
