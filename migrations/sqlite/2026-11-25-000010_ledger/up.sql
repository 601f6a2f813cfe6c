-- The commons' public ledger: money in (supporters, grants) and money out, entered by admins.
-- Paid feature orders are not copied here: the ledger counts them from article_orders.
-- Entries are never changed: a wrong one is corrected by a counter-entry, so the table refuses
-- updates and deletes like the logs do.
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only: enter a counter-entry');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only: enter a counter-entry');
END;
