DROP TABLE weekly_notes;
DROP TABLE staff_weekly_note;
DROP TABLE sponsor_reports;
DROP TABLE daily_views;
