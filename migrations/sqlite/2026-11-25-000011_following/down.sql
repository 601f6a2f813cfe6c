DROP TABLE follow_alert_items;
DROP TABLE follow_searches;
DROP TABLE followers;
ALTER TABLE outbox_emails DROP COLUMN headers;
