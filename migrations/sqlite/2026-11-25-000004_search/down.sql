DROP TABLE posting_search;
