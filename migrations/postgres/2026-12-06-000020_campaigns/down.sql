DROP TABLE campaign_entries;
DROP TABLE campaign_postings;
DROP TABLE campaign_organizations;
DROP TABLE campaigns;
