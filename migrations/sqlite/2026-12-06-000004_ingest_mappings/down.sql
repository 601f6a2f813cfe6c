DROP TABLE ingest_mappings;
