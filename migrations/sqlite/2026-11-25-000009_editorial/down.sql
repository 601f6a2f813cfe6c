DROP TABLE editorial_events;
DROP TABLE succession_inquiries;
DROP TABLE succession_listings;
DROP TABLE article_orders;
DROP TABLE article_postings;
DROP TABLE articles;
