DROP TABLE posting_terms;
