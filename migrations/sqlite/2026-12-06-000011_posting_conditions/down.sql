DROP TABLE posting_conditions;
