CREATE INDEX postings_public_listing ON postings (status, valid_through, published_at);
DROP INDEX postings_by_employer;
