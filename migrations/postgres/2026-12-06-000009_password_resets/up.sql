-- Staff password resets by emailed link. Only the SHA-256 of the link's token is stored, so a
-- copy of the database opens no account. A token is good once and for an hour; spending one
-- spends every other of the same person. Spent and expired rows are pruned by the lifecycle
-- pass.
CREATE TABLE staff_password_resets (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX staff_password_resets_staff ON staff_password_resets (staff_id);
