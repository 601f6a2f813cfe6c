-- An employer's public face at /employers/{slug}: what editors approved (`published`) and what
-- the employer submitted from their private page and waits for an editor (`pending`). Both are
-- one JSON document (introduction, links, logo, captioned photos) so that a submission is
-- approved or rejected whole. Images are names of rows in `media`. A row is made the first time
-- an employer's page is linked to or they submit something; `slug` is random like a posting's
-- public id, so employers cannot be enumerated.
CREATE TABLE employer_profiles (
    employer_id INTEGER PRIMARY KEY NOT NULL REFERENCES employers (id),
    slug TEXT NOT NULL UNIQUE,
    published TEXT,
    pending TEXT,
    pending_since TIMESTAMP,
    rejected_reason TEXT,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX employer_profiles_pending ON employer_profiles (pending_since);
