DROP INDEX inquiries_posting;
DROP TABLE inquiries;
