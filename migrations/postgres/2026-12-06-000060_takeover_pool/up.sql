-- The takeover pool (issue 20): people who would take a business over say what they look for.
-- Private to the coordinators, like owners' requests (organization_id NULL: "let Yui choose",
-- seen by admins only). industries and areas: space-separated configured codes / district
-- names; anywhere: any district will do. confirm_hash / withdraw_hash: SHA-256 of the private
-- links in the mails (the tokens are only in the mails). confirmed_at NULL: not in the pool
-- yet, deleted succession.pool_unconfirmed_hours after created_at. expires_at: a confirmed
-- entry is deleted then (succession.pool_days after confirmation or renewal). reminded_at:
-- when the reminder with a renew link (renew_hash: its SHA-256) went out, two weeks before.
-- lang: the language the form was read in, for the person's mails (ja or en).
CREATE TABLE succession_pool_entries (
    id SERIAL PRIMARY KEY,
    organization_id INTEGER REFERENCES organizations (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    industries TEXT NOT NULL,
    areas TEXT NOT NULL,
    anywhere BOOLEAN NOT NULL,
    funds_band TEXT NOT NULL,
    start_band TEXT NOT NULL,
    experience TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'ja',
    status TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    confirm_hash TEXT UNIQUE,
    withdraw_hash TEXT NOT NULL UNIQUE,
    renew_hash TEXT UNIQUE,
    confirmed_at TIMESTAMP,
    expires_at TIMESTAMP,
    reminded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX succession_pool_entries_org ON succession_pool_entries (organization_id, confirmed_at);
