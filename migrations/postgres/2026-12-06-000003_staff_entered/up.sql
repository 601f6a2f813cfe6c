-- An employer who has no email of their own (staff entered them after a phone call or a
-- visit). `employers.email` stays NOT NULL UNIQUE, so they carry a reserved address that can
-- never be delivered (under `.invalid`); every mail to them goes to the staff member named
-- here, who hands it over.
CREATE TABLE employer_mail_holders (
    employer_id INTEGER PRIMARY KEY REFERENCES employers(id) ON DELETE CASCADE,
    staff_id INTEGER NOT NULL REFERENCES staff_users(id),
    created_at TIMESTAMP NOT NULL
);
