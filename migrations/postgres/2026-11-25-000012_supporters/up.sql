-- Supporters of the commons: people, businesses and organisations who give money, share
-- postings, put a banner on their site or volunteer. Confirmed by email (double opt-in); only
-- those who chose to appear are on the public wall, and an editor can take a name off it.
CREATE TABLE supporters (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    -- NULL: shown as 匿名 (anonymous)
    display_name TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('individual', 'business', 'organization')),
    -- space-separated codes (money share banner writer photographer volunteer)
    support_types TEXT NOT NULL DEFAULT '',
    -- for the operators only, never on the wall
    message TEXT NOT NULL DEFAULT '',
    on_wall BOOLEAN NOT NULL,
    hidden_at TIMESTAMP,
    -- SHA-256 of the token in the confirmation and leave links
    token_hash TEXT NOT NULL UNIQUE,
    confirm_expires_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX supporters_wall ON supporters (confirmed_at, kind);
CREATE INDEX supporters_email ON supporters (email);
