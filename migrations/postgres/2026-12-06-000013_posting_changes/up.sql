-- The change sequence the search read model follows: a row for every change to a posting, or
-- to what is searched with it (its conditions, its origin, its employer's name), written by
-- triggers in the same transaction as the change, so no writer can forget it. Each instance
-- polls for rows after the last it applied and reloads those postings. Sequence numbers are
-- taken before commit, so a reader may see 11 before 10 commits: the poller re-reads recent
-- gaps for a while (yui_web::search_model).
CREATE TABLE posting_changes (
    seq BIGSERIAL PRIMARY KEY,
    posting_id INTEGER NOT NULL,
    changed_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX posting_changes_changed_at ON posting_changes (changed_at);

CREATE FUNCTION posting_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO posting_changes (posting_id) VALUES (OLD.id);
    ELSE
        INSERT INTO posting_changes (posting_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION posting_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO posting_changes (posting_id) VALUES (OLD.posting_id);
    ELSE
        INSERT INTO posting_changes (posting_id) VALUES (NEW.posting_id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION employer_name_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO posting_changes (posting_id) SELECT id FROM postings WHERE employer_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER postings_changed AFTER INSERT OR UPDATE OR DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION posting_changed();
CREATE TRIGGER posting_conditions_changed AFTER INSERT OR DELETE ON posting_conditions
    FOR EACH ROW EXECUTE FUNCTION posting_part_changed();
CREATE TRIGGER posting_origins_changed AFTER INSERT OR DELETE ON posting_origins
    FOR EACH ROW EXECUTE FUNCTION posting_part_changed();
CREATE TRIGGER employers_changed_name AFTER UPDATE OF name ON employers
    FOR EACH ROW EXECUTE FUNCTION employer_name_changed();
