DROP INDEX postings_by_remote;
DROP INDEX postings_by_area;
DROP INDEX postings_by_category;
