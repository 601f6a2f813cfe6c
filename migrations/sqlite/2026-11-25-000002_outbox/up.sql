-- Every email Yui sends is written here first, in the same transaction as the change it reports,
-- and sent later by the outbox worker (yui_mail), which retries with back-off.
CREATE TABLE outbox_emails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- comma-separated addresses, shown in To
    recipients TEXT NOT NULL,
    reply_to TEXT,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    -- claims so far; a claim is a lease until next_attempt_at, so a crashed worker's mail is retried
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);

CREATE INDEX outbox_emails_due ON outbox_emails (status, next_attempt_at);
