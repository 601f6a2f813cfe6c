ALTER TABLE organizations DROP COLUMN contact;
ALTER TABLE organizations DROP COLUMN description;
ALTER TABLE organizations DROP COLUMN name_en;
