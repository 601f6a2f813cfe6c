DROP TRIGGER employers_changed_name ON employers;
DROP TRIGGER posting_origins_changed ON posting_origins;
DROP TRIGGER posting_conditions_changed ON posting_conditions;
DROP TRIGGER postings_changed ON postings;
DROP FUNCTION employer_name_changed();
DROP FUNCTION posting_part_changed();
DROP FUNCTION posting_changed();
DROP TABLE posting_changes;
