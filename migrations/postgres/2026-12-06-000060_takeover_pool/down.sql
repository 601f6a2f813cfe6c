DROP TABLE succession_pool_entries;
