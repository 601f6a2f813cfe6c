DROP INDEX outbox_emails_due;
DROP TABLE outbox_emails;
