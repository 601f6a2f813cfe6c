-- Following the site without an account: an address (double opt-in), what it receives (the
-- weekly digest, job alerts for saved searches), and what the alerts already carried.

-- Mailings carry extra headers (List-Unsubscribe, List-Unsubscribe-Post, List-Id): a JSON object.
ALTER TABLE outbox_emails ADD COLUMN headers TEXT;

CREATE TABLE followers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- lower-cased
    email TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL DEFAULT 'ja',
    wants_digest BOOLEAN NOT NULL DEFAULT FALSE,
    -- NULL until the link in the confirmation mail is opened: until then nothing else is sent
    confirmed_at TIMESTAMP,
    -- SHA-256 of the confirmation link's random token; the link is valid 48 h from confirm_sent_at
    confirm_token_hash TEXT UNIQUE,
    confirm_sent_at TIMESTAMP,
    -- random, part of every signed link (manage, unsubscribe, feeds): deleting the row voids them all
    link_salt TEXT NOT NULL,
    -- the digest period last queued for this address (a compare-and-set claims it once)
    digest_period TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE follow_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    follower_id INTEGER NOT NULL REFERENCES followers (id) ON DELETE CASCADE,
    -- canonical /jobs query string (q, type, area, remote): the alert finds what /jobs finds
    query TEXT NOT NULL,
    frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    -- high-water mark: only postings published after it are candidates
    alert_after TIMESTAMP NOT NULL,
    -- the alert period last queued (a compare-and-set claims it once)
    alert_period TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX follow_searches_follower ON follow_searches (follower_id);

-- What each alert carried, written in the same transaction as its outbox row: never twice.
CREATE TABLE follow_alert_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    search_id INTEGER NOT NULL REFERENCES follow_searches (id) ON DELETE CASCADE,
    posting_id INTEGER NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
    outbox_email_id INTEGER NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    UNIQUE (search_id, posting_id)
);
