-- When an entry was matched (a note written later no longer moves it).
ALTER TABLE campaign_entries ADD COLUMN matched_at TIMESTAMP;
UPDATE campaign_entries SET matched_at = updated_at WHERE status = 'matched';

-- What a campaign's entries leave behind when they are deleted at the end of the retention
-- period: when each came in and when it was matched, to the hour, and nothing about the person.
-- The public count and the outcomes on /transparency keep them.
CREATE TABLE campaign_entry_records (
    id SERIAL PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    entered_at TIMESTAMP NOT NULL,
    matched_at TIMESTAMP
);
CREATE INDEX campaign_entry_records_campaign ON campaign_entry_records (campaign_id);
