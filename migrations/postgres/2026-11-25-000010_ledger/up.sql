-- The commons' public ledger: money in (supporters, grants) and money out, entered by admins.
-- Paid feature orders are not copied here: the ledger counts them from article_orders.
-- Entries are never changed: a wrong one is corrected by a counter-entry, so the table refuses
-- updates and deletes like the logs do.
CREATE TABLE ledger_entries (
    id SERIAL PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    category TEXT NOT NULL CHECK (category IN ('supporter', 'grant', 'other_in', 'writing', 'hosting', 'events', 'other_out')),
    description TEXT NOT NULL,
    amount_yen BIGINT NOT NULL CHECK (amount_yen > 0),
    occurred_on DATE NOT NULL,
    source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual')),
    created_by INTEGER NOT NULL REFERENCES staff_users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK ((direction = 'in') = (category IN ('supporter', 'grant', 'other_in')))
);
CREATE INDEX ledger_entries_occurred ON ledger_entries (occurred_on);
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entries is append-only: enter a counter-entry';
END
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only();
