DROP TABLE posting_notes;
DROP TABLE hellowork_imports;
DROP TABLE posting_origins;
