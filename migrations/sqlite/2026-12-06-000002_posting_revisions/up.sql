-- A correction the employer proposed for a published posting: the public version stays up
-- until an editor applies or declines it. At most one open per posting (a new one replaces
-- it). The fields are kept as typed in the form, not parsed, so applying re-reads them with
-- whatever the form asks at that time.
CREATE TABLE posting_revisions (
    posting_id INTEGER PRIMARY KEY REFERENCES postings(id) ON DELETE CASCADE,
    -- JSON array of [name, value] pairs, the editable fields of the manage form
    fields TEXT NOT NULL,
    -- the posting's version the employer saw: an editor's change since makes it stale
    base_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
