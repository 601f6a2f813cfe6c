-- The change sequence the search read model follows: a row for every change to a posting, or
-- to what is searched with it (its conditions, its origin, its employer's name), written by
-- triggers in the same transaction as the change, so no writer can forget it. Each instance
-- polls for rows after the last it applied and reloads those postings.
CREATE TABLE posting_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    posting_id INTEGER NOT NULL,
    changed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX posting_changes_changed_at ON posting_changes (changed_at);

CREATE TRIGGER postings_changed_insert AFTER INSERT ON postings
BEGIN INSERT INTO posting_changes (posting_id) VALUES (NEW.id); END;
CREATE TRIGGER postings_changed_update AFTER UPDATE ON postings
BEGIN INSERT INTO posting_changes (posting_id) VALUES (NEW.id); END;
CREATE TRIGGER postings_changed_delete AFTER DELETE ON postings
BEGIN INSERT INTO posting_changes (posting_id) VALUES (OLD.id); END;

CREATE TRIGGER posting_conditions_changed_insert AFTER INSERT ON posting_conditions
BEGIN INSERT INTO posting_changes (posting_id) VALUES (NEW.posting_id); END;
CREATE TRIGGER posting_conditions_changed_delete AFTER DELETE ON posting_conditions
BEGIN INSERT INTO posting_changes (posting_id) VALUES (OLD.posting_id); END;

CREATE TRIGGER posting_origins_changed_insert AFTER INSERT ON posting_origins
BEGIN INSERT INTO posting_changes (posting_id) VALUES (NEW.posting_id); END;
CREATE TRIGGER posting_origins_changed_delete AFTER DELETE ON posting_origins
BEGIN INSERT INTO posting_changes (posting_id) VALUES (OLD.posting_id); END;

CREATE TRIGGER employers_changed_name AFTER UPDATE OF name ON employers
BEGIN INSERT INTO posting_changes (posting_id) SELECT id FROM postings WHERE employer_id = NEW.id; END;
