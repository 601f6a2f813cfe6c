DROP INDEX postings_by_type;
DROP INDEX postings_newest;
