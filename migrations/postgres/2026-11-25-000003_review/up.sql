-- The review queue: staff sessions (in the database, so several instances share them), the
-- editors' decision on quarantined submissions, the posting lifecycle, and an append-only log.
CREATE TABLE staff_sessions (
    -- SHA-256 of the cookie's token: a copy of the database opens no session
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff_users(id),
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- A quarantined submission an editor decided not to use: kept, with who, when and why.
ALTER TABLE submissions ADD COLUMN discarded_at TIMESTAMP;
ALTER TABLE submissions ADD COLUMN discarded_by INTEGER REFERENCES staff_users(id);
ALTER TABLE submissions ADD COLUMN discard_reason TEXT;

-- When the employer was reminded that the listing ends soon; whether the hire came through Yui.
ALTER TABLE postings ADD COLUMN reminder_sent_at TIMESTAMP;
ALTER TABLE postings ADD COLUMN hired_via_yui BOOLEAN;

-- The review log is a public record: rows are only ever added.
CREATE FUNCTION review_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review_events is append-only';
END
$$;
CREATE TRIGGER review_events_append_only BEFORE UPDATE OR DELETE ON review_events
    FOR EACH ROW EXECUTE FUNCTION review_events_append_only();
CREATE TRIGGER review_events_no_truncate BEFORE TRUNCATE ON review_events
    FOR EACH STATEMENT EXECUTE FUNCTION review_events_append_only();
