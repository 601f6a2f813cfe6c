-- An employer's other open postings, newest first, without reading every public posting.
CREATE INDEX postings_by_employer ON postings (employer_id, status, published_at);
-- (status, valid_through, published_at) led the planner to read and sort every public posting
-- for "newest first"; postings_newest serves that, postings_by_type and friends the counts.
DROP INDEX postings_public_listing;
