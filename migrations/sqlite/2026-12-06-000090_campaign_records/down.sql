DROP TABLE campaign_entry_records;
ALTER TABLE campaign_entries DROP COLUMN matched_at;
