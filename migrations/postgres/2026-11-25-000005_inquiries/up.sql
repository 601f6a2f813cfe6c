-- A relayed first contact from a seeker to the employer of a posting. Kept for statistics
-- (how many people contacted which posting): who only as the SHA-256 of the lower-cased address,
-- never the address or the message, which travel in the outbox alone.
CREATE TABLE inquiries (
    id SERIAL PRIMARY KEY,
    posting_id INTEGER NOT NULL REFERENCES postings (id),
    sender_email_hash TEXT NOT NULL,
    -- the mail to the employer; its delivery status is the outbox row's (pending, sent, failed)
    outbox_email_id INTEGER REFERENCES outbox_emails (id),
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX inquiries_posting ON inquiries (posting_id, created_at);
