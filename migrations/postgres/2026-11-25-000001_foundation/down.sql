DROP TABLE review_events;
DROP TABLE postings;
DROP TABLE submissions;
DROP TABLE employers;
DROP TABLE staff_users;
DROP TABLE organizations;
