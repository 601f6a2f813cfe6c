-- The working conditions a job ad must state beyond pay and place (労働条件の明示). A side
-- table, one row per posting (none for postings from before it): `postings` is at diesel's
-- 32-column limit, and the default build keeps that limit for compile time on small machines.
-- Codes as in yui_domain: contract indefinite|fixed, renewal automatic|possible|none, the
-- yes/no answers yes|no; NULL is "not stated".
CREATE TABLE posting_terms (
    posting_id INTEGER PRIMARY KEY NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
    duties_scope TEXT,
    workplace_scope TEXT,
    contract TEXT,
    contract_length TEXT,
    renewal TEXT,
    renewal_limit TEXT,
    trial TEXT,
    trial_conditions TEXT,
    breaks TEXT,
    overtime TEXT,
    overtime_hours INTEGER,
    fixed_overtime TEXT,
    fixed_overtime_pay BIGINT,
    fixed_overtime_hours INTEGER
);
