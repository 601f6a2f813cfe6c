-- Succession from the owner's side (issue 20): an owner asks for a listing through the public
-- form. The request is private: only the chosen coordinating organisation's staff (admins see
-- all; organization_id NULL means "let Yui choose", seen by admins and reviewers only) read it.
-- withdraw_hash: the SHA-256 of the owner's private withdraw link (the token is only in the mail).
-- closed_at: when it was listed or declined; the request is deleted
-- succession.request_retention_days after it. A withdrawn request is deleted at once.
CREATE TABLE succession_requests (
    id SERIAL PRIMARY KEY,
    organization_id INTEGER REFERENCES organizations (id),
    business_name TEXT NOT NULL,
    industry TEXT NOT NULL,
    area TEXT NOT NULL,
    years_in_business INTEGER,
    staff_band TEXT NOT NULL,
    reason TEXT NOT NULL,
    handover TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    contact_phone TEXT,
    status TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    withdraw_hash TEXT NOT NULL UNIQUE,
    closed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX succession_requests_org ON succession_requests (organization_id, status);
