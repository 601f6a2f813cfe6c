DROP TRIGGER review_events_no_delete;
DROP TRIGGER review_events_no_update;
ALTER TABLE postings DROP COLUMN hired_via_yui;
ALTER TABLE postings DROP COLUMN reminder_sent_at;
ALTER TABLE submissions DROP COLUMN discard_reason;
ALTER TABLE submissions DROP COLUMN discarded_by;
ALTER TABLE submissions DROP COLUMN discarded_at;
DROP TABLE staff_sessions;
