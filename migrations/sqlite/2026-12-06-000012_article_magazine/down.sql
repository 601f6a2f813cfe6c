ALTER TABLE articles DROP COLUMN interviewees;
ALTER TABLE articles DROP COLUMN hero_caption;
