-- The editorial module: feature articles (paid, labelled PR) and columns, the paid orders
-- behind features, succession listings (後継者募集) with their inquiries, and one append-only
-- log of every editorial step.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('feature', 'column')),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    lede TEXT NOT NULL DEFAULT '',
    -- Markdown as the writer typed it; rendered and sanitised on every display
    body_markdown TEXT NOT NULL DEFAULT '',
    -- a file name under the media directory (no path)
    hero_image TEXT,
    hero_alt TEXT,
    -- features: the employer who paid for the story
    sponsor_employer_id INTEGER REFERENCES employers (id),
    author_id INTEGER NOT NULL REFERENCES staff_users (id),
    writer_credit TEXT,
    photographer_credit TEXT,
    editor_credit TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published', 'archived')),
    -- the second editor; never the author (the database says so too)
    approved_by INTEGER REFERENCES staff_users (id),
    -- when approved with a date ahead, the article appears then
    publish_at TIMESTAMP,
    published_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (approved_by IS NULL OR approved_by <> author_id),
    CHECK (kind = 'feature' OR sponsor_employer_id IS NULL)
);
CREATE INDEX articles_public ON articles (kind, status, published_at);

-- The postings a feature is about.
CREATE TABLE article_postings (
    article_id INTEGER NOT NULL REFERENCES articles (id),
    posting_id INTEGER NOT NULL REFERENCES postings (id),
    PRIMARY KEY (article_id, posting_id)
);
CREATE INDEX article_postings_posting ON article_postings (posting_id);

-- The paid side of a feature article. Prices are whole yen.
CREATE TABLE article_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id INTEGER NOT NULL REFERENCES employers (id),
    -- one order per feature; an order may be quoted before its article exists
    article_id INTEGER UNIQUE REFERENCES articles (id),
    plan TEXT NOT NULL,
    price_yen BIGINT NOT NULL CHECK (price_yen >= 0),
    tax_yen BIGINT NOT NULL CHECK (tax_yen >= 0),
    status TEXT NOT NULL DEFAULT 'quoted' CHECK (status IN ('quoted', 'ordered', 'invoiced', 'paid', 'cancelled')),
    quoted_on DATE NOT NULL,
    ordered_on DATE,
    invoiced_on DATE,
    paid_on DATE,
    cancelled_on DATE,
    notes TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX article_orders_status ON article_orders (status, quoted_on);

CREATE TABLE succession_listings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    -- may be anonymous: 「市内の老舗鮮魚店」
    public_name TEXT NOT NULL,
    industry TEXT NOT NULL,
    -- district level, never an address
    area TEXT NOT NULL,
    years_in_business INTEGER,
    staff_count INTEGER,
    revenue_band TEXT NOT NULL,
    -- space-separated codes (premises equipment brand customers …)
    handover TEXT NOT NULL DEFAULT '',
    handover_note TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    successor_wish TEXT NOT NULL DEFAULT '',
    -- space-separated codes (transfer succession franchise lease other)
    terms TEXT NOT NULL DEFAULT '',
    -- free text, 「応相談」 when empty
    price_text TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_talks', 'matched', 'closed')),
    article_id INTEGER REFERENCES articles (id),
    coordinator_organization_id INTEGER NOT NULL REFERENCES organizations (id),
    -- the owner: never shown in public
    owner_name TEXT NOT NULL,
    owner_email TEXT NOT NULL,
    owner_phone TEXT,
    manage_token_hash TEXT,
    created_by INTEGER NOT NULL REFERENCES staff_users (id),
    matched_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX succession_listings_status ON succession_listings (status, updated_at);

-- Someone who would like to take a business on. Goes to the coordinator, never to the owner
-- directly: the coordinator introduces the two when the owner agrees.
CREATE TABLE succession_inquiries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id INTEGER NOT NULL REFERENCES succession_listings (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    -- who they are and what they plan
    about TEXT NOT NULL,
    consent_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_progress', 'introduced', 'declined')),
    coordinator_note TEXT NOT NULL DEFAULT '',
    outbox_email_id INTEGER REFERENCES outbox_emails (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX succession_inquiries_listing ON succession_inquiries (listing_id, created_at);

-- Every editorial step (articles, orders, listings, inquiries), append-only like review_events.
CREATE TABLE editorial_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- 'article' | 'order' | 'succession' | 'succession_inquiry'
    subject TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    actor_id INTEGER REFERENCES staff_users (id),
    organization_id INTEGER REFERENCES organizations (id),
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX editorial_events_subject ON editorial_events (subject, subject_id, created_at);
CREATE TRIGGER editorial_events_no_update BEFORE UPDATE ON editorial_events
BEGIN
    SELECT RAISE(ABORT, 'editorial_events is append-only');
END;
CREATE TRIGGER editorial_events_no_delete BEFORE DELETE ON editorial_events
BEGIN
    SELECT RAISE(ABORT, 'editorial_events is append-only');
END;
