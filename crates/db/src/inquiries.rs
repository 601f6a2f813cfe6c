//! Inquiries: a seeker's first contact with a posting's employer, relayed once through the
//! outbox. Only the fact is kept (which posting, when, a hash of the sender's address, which
//! outbox email carried it), for statistics; the name, address and message travel in the
//! outbox alone.

use crate::schema::inquiries;
use crate::{DbConnection, DbResult};
use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;

#[cfg(feature = "testing")]
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = inquiries)]
pub struct Inquiry {
    pub id: i32,
    pub posting_id: i32,
    /// SHA-256 (hex) of the lower-cased sender address.
    pub sender_email_hash: String,
    pub outbox_email_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = inquiries)]
struct NewInquiry<'a> {
    posting_id: i32,
    sender_email_hash: &'a str,
    outbox_email_id: Option<i32>,
    created_at: NaiveDateTime,
}

/// Records an inquiry whose two emails (to the employer, `employer_mail`, and the sender's
/// copy) were just queued in the caller's transaction. Returns the inquiry's id.
pub fn record(
    conn: &mut DbConnection,
    posting_id: i32,
    sender_email_hash: &str,
    employer_mail: i32,
    now: NaiveDateTime,
) -> DbResult<i32> {
    crate::transaction(conn, |conn| {
        let created_at = now.trunc_subsecs(6);
        let id: i32 = diesel::insert_into(inquiries::table)
            .values(NewInquiry { posting_id, sender_email_hash, outbox_email_id: Some(employer_mail), created_at })
            .returning(inquiries::id)
            .get_result(conn)?;
        log::info!("inquiry {id} about posting {posting_id} relayed (outbox {employer_mail})");
        Ok(id)
    })
}

/// How many inquiries a posting has had.
#[cfg(feature = "testing")]
pub fn count_for_posting(conn: &mut DbConnection, posting_id: i32) -> DbResult<i64> {
    Ok(inquiries::table.filter(inquiries::posting_id.eq(posting_id)).count().get_result(conn)?)
}

#[cfg(feature = "testing")]
pub fn list_for_posting(conn: &mut DbConnection, posting_id: i32) -> DbResult<Vec<Inquiry>> {
    Ok(inquiries::table
        .filter(inquiries::posting_id.eq(posting_id))
        .order((inquiries::created_at.asc(), inquiries::id.asc()))
        .select(Inquiry::as_select())
        .load(conn)?)
}

/// The delivery status of an inquiry: its outbox email's (`pending`, `sent`, `failed`), or
/// `None` when that row is gone.
#[cfg(feature = "testing")]
pub fn delivery_status(conn: &mut DbConnection, inquiry_id: i32) -> DbResult<Option<String>> {
    use crate::schema::outbox_emails;
    Ok(inquiries::table
        .inner_join(outbox_emails::table.on(inquiries::outbox_email_id.eq(outbox_emails::id.nullable())))
        .filter(inquiries::id.eq(inquiry_id))
        .select(outbox_emails::status)
        .first(conn)
        .optional()?)
}
