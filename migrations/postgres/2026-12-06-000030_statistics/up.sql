-- Views counted per day (Asia/Tokyo) and per thing: a posting, an article, an employer's page,
-- or a click from a feature article to one of its postings (`kind` says which; `subject_id` is
-- the posting's, article's or employer's id). Only the count: no address, no user agent, no
-- cookie. Every instance adds its own counts to the same row.
CREATE TABLE daily_views (
    kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    day DATE NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (kind, subject_id, day)
);
CREATE INDEX daily_views_day ON daily_views (kind, day);

-- A paid feature's report for its sponsor: one row per article, made in the transaction that
-- queues the mail with its private link (so the mail goes once). Only the link token's SHA-256
-- is stored.
CREATE TABLE sponsor_reports (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- Staff members who asked for the weekly note to operators (default: not asked).
CREATE TABLE staff_weekly_note (
    staff_id INTEGER PRIMARY KEY REFERENCES staff_users (id)
);

-- Each week's note to operators, claimed once (the Monday it is for) by whichever instance
-- queues it first.
CREATE TABLE weekly_notes (
    week DATE PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    recipients INTEGER NOT NULL
);
