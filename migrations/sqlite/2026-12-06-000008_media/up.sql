-- Uploaded images, in the database so that every instance serves them and a backup of the
-- database holds them. Content-addressed: `hash` is the SHA-256 of `bytes` (64 hex digits), so
-- the same image uploaded twice is stored once. Images are small after the resize pipeline
-- (at most 1600 pixels a side: about 100-400 KB).
CREATE TABLE media (
    hash TEXT PRIMARY KEY NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    size_bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- Names that images had on disk before they moved into the database (`yui media import`), so
-- the URLs articles and other sites already hold keep working.
CREATE TABLE media_aliases (
    name TEXT PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL REFERENCES media (hash)
);
CREATE INDEX media_aliases_hash ON media_aliases (hash);
