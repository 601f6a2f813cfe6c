DROP TABLE employer_profiles;
