-- The foundation: who runs the commons, who posts, what arrives, what is published, what was decided.
CREATE TABLE organizations (
    id SERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE staff_users (
    id SERIAL PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'writer')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE employers (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    contact_name TEXT,
    email TEXT NOT NULL UNIQUE,
    phone TEXT,
    address TEXT,
    website TEXT,
    industry TEXT,
    -- set when an operating member of the commons is itself the employer (conflict of interest)
    organization_id INTEGER REFERENCES organizations(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE submissions (
    id SERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    headers TEXT NOT NULL,
    raw_body BYTEA NOT NULL,
    signature_ok BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'duplicate', 'quarantined')),
    error TEXT,
    UNIQUE (source, external_id)
);

CREATE TABLE postings (
    id SERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    employer_id INTEGER NOT NULL REFERENCES employers(id),
    submission_id INTEGER REFERENCES submissions(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    category TEXT,
    prefecture TEXT NOT NULL,
    municipality TEXT NOT NULL,
    area TEXT,
    address TEXT,
    remote TEXT NOT NULL CHECK (remote IN ('onsite', 'hybrid', 'remote')),
    salary_min BIGINT,
    salary_max BIGINT,
    salary_unit TEXT,
    hours TEXT,
    holidays TEXT,
    insurance TEXT,
    trial_period TEXT,
    smoking TEXT,
    requirements TEXT,
    how_to_apply TEXT NOT NULL,
    valid_through TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'changes_requested', 'published', 'rejected', 'expired', 'closed', 'filled')),
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    manage_token_hash TEXT
);
CREATE INDEX postings_public_listing ON postings (status, valid_through, published_at);
CREATE INDEX postings_employer ON postings (employer_id);

CREATE TABLE review_events (
    id SERIAL PRIMARY KEY,
    posting_id INTEGER NOT NULL REFERENCES postings(id),
    actor_id INTEGER REFERENCES staff_users(id),
    organization_id INTEGER REFERENCES organizations(id),
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason_code TEXT,
    reason_text TEXT,
    diff TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX review_events_posting ON review_events (posting_id, created_at);
