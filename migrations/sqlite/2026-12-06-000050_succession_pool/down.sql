DROP TABLE succession_requests;
