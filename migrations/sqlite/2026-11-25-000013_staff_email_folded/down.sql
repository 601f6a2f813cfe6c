DROP INDEX staff_users_email_folded;
