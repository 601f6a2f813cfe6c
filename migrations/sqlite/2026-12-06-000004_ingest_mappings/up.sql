-- Question labels editors mapped to a field in the browser, with the meaning of
-- [[ingest.mappings]] in the configuration: per source and form ('' = every form of the
-- source). Read for every delivery, so a change holds on every instance without a restart.
CREATE TABLE ingest_mappings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    form_id TEXT NOT NULL,
    -- as the editor saw it on the submission
    label TEXT NOT NULL,
    -- the label as the mapping compares it (yui_ingest::values::label_key): one row per key
    label_key TEXT NOT NULL,
    field TEXT NOT NULL,
    created_by INTEGER REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ingest_mappings_key ON ingest_mappings (source, form_id, label_key);
