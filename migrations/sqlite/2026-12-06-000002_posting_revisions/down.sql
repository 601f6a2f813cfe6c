DROP TABLE posting_revisions;
