//! The submission inbox: every form submission's bytes, kept before they are parsed, and
//! what became of them. `(source, external_id)` is unique: a sender's retry finds its first
//! delivery instead of creating a second posting.

use crate::schema::{postings, submissions};
use crate::{DbConnection, DbError, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = submissions)]
pub struct Submission {
    pub id: i32,
    pub source: String,
    pub external_id: String,
    pub received_at: NaiveDateTime,
    /// The selected request headers, as a JSON object.
    pub headers: String,
    pub raw_body: Vec<u8>,
    pub signature_ok: bool,
    pub status: String,
    pub error: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = submissions)]
pub struct NewSubmission<'a> {
    pub source: &'a str,
    pub external_id: &'a str,
    pub received_at: NaiveDateTime,
    pub headers: &'a str,
    pub raw_body: &'a [u8],
    pub signature_ok: bool,
    pub status: &'static str,
    pub error: Option<&'a str>,
}

pub const ACCEPTED: &str = "accepted";
pub const QUARANTINED: &str = "quarantined";

/// Stores a delivery, or returns `Err(existing)` when the sender's id was seen before (also
/// when a concurrent delivery of the same id committed first). Call inside a transaction:
/// the insert runs in a savepoint so a lost race leaves the outer transaction usable.
pub fn insert_or_existing(
    conn: &mut DbConnection,
    new: &NewSubmission<'_>,
) -> DbResult<Result<Submission, Submission>> {
    if let Some(existing) = find_by_external_id(conn, new.source, new.external_id)? {
        return Ok(Err(existing));
    }
    let inserted = conn.transaction(|conn| diesel::insert_into(submissions::table).values(new).execute(conn));
    match inserted {
        Ok(_) => {}
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            return find_by_external_id(conn, new.source, new.external_id)?
                .map(Err)
                .ok_or(DbError::Conflict("the submission"));
        }
        Err(e) => return Err(e.into()),
    }
    // RETURNING does not pass through MultiConnection, so read the row back by its unique key.
    find_by_external_id(conn, new.source, new.external_id)?.map(Ok).ok_or(DbError::Conflict("the submission"))
}

pub fn find_by_external_id(conn: &mut DbConnection, source: &str, external_id: &str) -> DbResult<Option<Submission>> {
    Ok(submissions::table
        .filter(submissions::source.eq(source))
        .filter(submissions::external_id.eq(external_id))
        .select(Submission::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<Submission>> {
    Ok(submissions::table.find(id).select(Submission::as_select()).first(conn).optional()?)
}

/// Records the outcome of parsing: `accepted`, or `quarantined` with the reason.
pub fn set_status(conn: &mut DbConnection, id: i32, status: &'static str, error: Option<&str>) -> DbResult<()> {
    diesel::update(submissions::table.find(id))
        .set((submissions::status.eq(status), submissions::error.eq(error)))
        .execute(conn)?;
    Ok(())
}

/// The posting a submission became, if any.
pub fn posting_public_id(conn: &mut DbConnection, submission_id: i32) -> DbResult<Option<String>> {
    Ok(postings::table
        .filter(postings::submission_id.eq(submission_id))
        .select(postings::public_id)
        .first(conn)
        .optional()?)
}

/// Quarantined submissions, newest first: what editors have to look at.
pub fn quarantined(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<Submission>> {
    Ok(submissions::table
        .filter(submissions::status.eq(QUARANTINED))
        .order(submissions::id.desc())
        .limit(limit)
        .select(Submission::as_select())
        .load(conn)?)
}

pub fn count(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(submissions::table.count().get_result(conn)?)
}
