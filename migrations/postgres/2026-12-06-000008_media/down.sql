DROP TABLE media_aliases;
DROP TABLE media;
