-- The portal's lists at 10,000+ postings: newest first reads this index in order and stops
-- after one page, instead of sorting every public posting.
CREATE INDEX postings_newest ON postings (status, published_at);
-- Counts per employment type (the filters on / and /jobs) from the index alone.
CREATE INDEX postings_by_type ON postings (status, employment_type, valid_through);
