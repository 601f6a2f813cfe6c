DROP TRIGGER posting_projects_changed ON posting_projects;
DROP TABLE posting_projects;
