-- The rate limits' counters, shared by every instance on this database. One row per limit and
-- key (a client address, an account, a posting; only the key's SHA-256 is stored): the window
-- starts at the first attempt and lasts until `expires_at`. Finished windows are pruned by the
-- lifecycle pass.
CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (bucket, key_hash)
);
CREATE INDEX rate_limits_expiry ON rate_limits (expires_at);
