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
    /// Set when an editor decided it will not become a posting.
    pub discarded_at: Option<NaiveDateTime>,
    pub discard_reason: Option<String>,
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
/// The `error` of a stored delivery nobody has processed yet: it was just received, or its
/// processing failed after the bytes were committed.
pub const UNPROCESSED: &str = "受信済み・未処理";

/// Stores a delivery, or returns `Err(existing)` when the sender's id was seen before (also
/// when a concurrent delivery of the same id committed first). Call inside a transaction:
/// the insert runs in a savepoint so a lost race leaves the outer transaction usable.
pub fn insert_or_existing(
    conn: &mut DbConnection,
    new: &NewSubmission<'_>,
) -> DbResult<Result<Submission, Submission>> {
    let inserted = crate::transaction(conn, |conn| diesel::insert_into(submissions::table).values(new).execute(conn));
    match inserted {
        Ok(_) => {}
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            return find_by_external_id(conn, new.source, new.external_id)?
                .map(Err)
                .ok_or(DbError::Conflict("the submission"));
        }
        Err(e) => return Err(e.into()),
    }
    // RETURNING through DbConnection gives columns, not a Selectable row: read it back by its unique key.
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

/// Takes a just-stored delivery for processing, once: false when another request (a
/// concurrent retry of the same delivery) has already processed it. Call first in the
/// processing transaction: the claim commits or rolls back with what the processing wrote.
pub fn claim_unprocessed(conn: &mut DbConnection, id: i32) -> DbResult<bool> {
    let changed = diesel::update(
        submissions::table
            .find(id)
            .filter(submissions::status.eq(QUARANTINED))
            .filter(submissions::error.eq(UNPROCESSED)),
    )
    .set(submissions::error.eq(None::<String>))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Keeps a submission that cannot become a posting, with the reason editors will read.
pub fn quarantine(conn: &mut DbConnection, id: i32, reason: &str) -> DbResult<()> {
    diesel::update(submissions::table.find(id))
        .set((submissions::status.eq(QUARANTINED), submissions::error.eq(reason)))
        .execute(conn)?;
    Ok(())
}

/// Marks a quarantined submission accepted, once: a second, concurrent attempt (two replays of
/// one submission) finds it already accepted and gets [`DbError::Conflict`], so a submission
/// never becomes two postings.
pub fn mark_accepted(conn: &mut DbConnection, id: i32) -> DbResult<()> {
    let changed = diesel::update(
        submissions::table
            .find(id)
            .filter(submissions::status.eq(QUARANTINED))
            .filter(submissions::discarded_at.is_null()),
    )
    .set((submissions::status.eq(ACCEPTED), submissions::error.eq(None::<String>)))
    .execute(conn)?;
    match changed {
        1 => Ok(()),
        _ => Err(DbError::Conflict("the submission")),
    }
}

/// The posting a submission became, if any.
pub fn posting_public_id(conn: &mut DbConnection, submission_id: i32) -> DbResult<Option<String>> {
    Ok(postings::table
        .filter(postings::submission_id.eq(submission_id))
        .select(postings::public_id)
        .first(conn)
        .optional()?)
}

/// Quarantined submissions no editor has discarded, newest first: what editors have to look at.
pub fn quarantined(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<Submission>> {
    Ok(submissions::table
        .filter(submissions::status.eq(QUARANTINED))
        .filter(submissions::discarded_at.is_null())
        .order(submissions::id.desc())
        .limit(limit)
        .select(Submission::as_select())
        .load(conn)?)
}

pub fn count(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(submissions::table.count().get_result(conn)?)
}

pub fn count_quarantined(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(submissions::table
        .filter(submissions::status.eq(QUARANTINED))
        .filter(submissions::discarded_at.is_null())
        .count()
        .get_result(conn)?)
}

/// An editor decides a quarantined submission will not become a posting. It stays stored,
/// with who decided, when and why. Returns false when it was not quarantined (or already
/// discarded): nothing changes then.
pub fn discard(conn: &mut DbConnection, id: i32, staff_id: i32, reason: &str, now: NaiveDateTime) -> DbResult<bool> {
    let changed = diesel::update(
        submissions::table
            .find(id)
            .filter(submissions::status.eq(QUARANTINED))
            .filter(submissions::discarded_at.is_null()),
    )
    .set((
        submissions::discarded_at.eq(now),
        submissions::discarded_by.eq(staff_id),
        submissions::discard_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
