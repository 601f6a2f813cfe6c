DROP TABLE employer_mail_holders;
