-- Joint campaigns (issue 20): a theme and a period issued together by several organisations,
-- the published postings it gathers, and the entries people send through its one form. The
-- entries hold personal data: only the co-issuing organisations' staff see them, and they are
-- deleted campaigns.retention_days after the campaign's last day.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    story_markdown TEXT NOT NULL,
    starts_on TIMESTAMP NOT NULL,
    ends_on TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES staff_users (id),
    published_by INTEGER REFERENCES staff_users (id),
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE campaign_organizations (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    position INTEGER NOT NULL,
    -- The logo's file name in the media table (hash.ext), if one was uploaded.
    logo TEXT,
    PRIMARY KEY (campaign_id, organization_id)
);
CREATE INDEX campaign_organizations_org ON campaign_organizations (organization_id);

CREATE TABLE campaign_postings (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    posting_id INTEGER NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, posting_id)
);

-- interests: the public ids of the campaign's postings the entrant ticked, space-separated.
-- withdraw_hash: the SHA-256 of the private withdraw link's token (the token itself is only
-- in the confirmation mail).
CREATE TABLE campaign_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    offer TEXT NOT NULL,
    interests TEXT NOT NULL,
    way TEXT NOT NULL,
    status TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    withdraw_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX campaign_entries_campaign ON campaign_entries (campaign_id, status);
