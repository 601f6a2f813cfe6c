-- Staff emails are stored as typed and matched case-folded (login, `yui admin`, every lookup):
-- one address, however it is capitalised, is one account.
CREATE UNIQUE INDEX staff_users_email_folded ON staff_users (lower(email));
