//! Corrections an employer proposes for a published posting. The public version stays up until
//! an editor applies the revision (it becomes the content, through
//! [`crate::postings::update_content`]) or declines it. One open revision per posting: a new
//! proposal replaces the earlier one.
//!
//! Only revisions of published postings count: once a posting ends, is closed or filled it is
//! never published again, so a revision left behind is simply ignored (and cascades away with
//! the posting).

use crate::postings::{Actor, NewReviewEvent, Posting, PostingContent};
use crate::schema::{posting_revisions, postings, review_events};
use crate::{DbConnection, DbError, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use yui_domain::PostingStatus;

/// The reason code of what the employer does (as on the manage page); the public log shows
/// such events as the employer's, never naming them.
const EMPLOYER: &str = "employer";

/// An open revision: the form's fields as the employer typed them.
#[derive(Debug, Clone)]
pub struct Revision {
    pub posting_id: i32,
    pub fields: Vec<(String, String)>,
    /// The posting's version the employer corrected.
    pub base_version: i32,
    pub created_at: NaiveDateTime,
}

/// The open revision of a published posting, if any.
pub fn find(conn: &mut DbConnection, posting_id: i32) -> DbResult<Option<Revision>> {
    let row: Option<(i32, String, i32, NaiveDateTime)> = posting_revisions::table
        .inner_join(postings::table)
        .filter(posting_revisions::posting_id.eq(posting_id))
        .filter(postings::status.eq(PostingStatus::Published.code()))
        .select((
            posting_revisions::posting_id,
            posting_revisions::fields,
            posting_revisions::base_version,
            posting_revisions::created_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(posting_id, fields, base_version, created_at)| {
        let fields = serde_json::from_str(&fields)
            .map_err(|e| DbError::Invalid(format!("revision of posting {posting_id}: {e}")))?;
        Ok(Revision { posting_id, fields, base_version, created_at })
    })
    .transpose()
}

/// Stores the employer's proposal for a published posting at `base_version`, replacing an open
/// one, and logs `employer_revision` with `diff` (status unchanged). The posting itself is not
/// touched. A posting changed since `base_version`, or no longer published, is a conflict.
pub fn propose(
    conn: &mut DbConnection,
    posting_id: i32,
    base_version: i32,
    fields: &[(String, String)],
    diff: &serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
) -> DbResult<()> {
    let fields = serde_json::to_string(fields).map_err(|e| DbError::Invalid(e.to_string()))?;
    let diff = serde_json::Value::Object(diff.clone()).to_string();
    crate::transaction(conn, |conn| {
        let current = published_at_version(conn, posting_id, base_version)?;
        withdraw(conn, posting_id)?;
        diesel::insert_into(posting_revisions::table)
            .values((
                posting_revisions::posting_id.eq(posting_id),
                posting_revisions::fields.eq(&fields),
                posting_revisions::base_version.eq(base_version),
                posting_revisions::created_at.eq(now),
            ))
            .execute(conn)?;
        log_event(conn, &current, "employer_revision", Actor::default(), Some(EMPLOYER), None, Some(&diff), now)
    })
}

/// Drops the open revision, if any, logging nothing: the employer proposed the public content
/// itself, or the revision was applied.
pub fn withdraw(conn: &mut DbConnection, posting_id: i32) -> DbResult<()> {
    diesel::delete(posting_revisions::table.find(posting_id)).execute(conn)?;
    Ok(())
}

/// Applies a revision, already turned into `content`: the posting's content becomes it (new
/// version, `revision_applied` with the diff, by `actor`) and the revision is gone. Both or neither.
pub fn apply(
    conn: &mut DbConnection,
    posting_id: i32,
    expected_version: i32,
    content: &PostingContent,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<Posting> {
    crate::transaction(conn, |conn| {
        published_at_version(conn, posting_id, expected_version)?;
        if find(conn, posting_id)?.is_none() {
            return Err(DbError::Conflict("the correction"));
        }
        let (updated, _) = crate::postings::update_content(
            conn,
            posting_id,
            expected_version,
            content,
            "revision_applied",
            actor,
            now,
        )?;
        withdraw(conn, posting_id)?;
        Ok(updated)
    })
}

/// Declines the open revision: it is gone, and `revision_declined` is logged by `actor` with
/// the message to the employer. The posting is unchanged (same version).
pub fn decline(
    conn: &mut DbConnection,
    posting_id: i32,
    expected_version: i32,
    actor: Actor,
    message: &str,
    now: NaiveDateTime,
) -> DbResult<Posting> {
    crate::transaction(conn, |conn| {
        let current = published_at_version(conn, posting_id, expected_version)?;
        if find(conn, posting_id)?.is_none() {
            return Err(DbError::Conflict("the correction"));
        }
        withdraw(conn, posting_id)?;
        log_event(conn, &current, "revision_declined", actor, None, Some(message), None, now)?;
        Ok(current)
    })
}

fn published_at_version(conn: &mut DbConnection, posting_id: i32, version: i32) -> DbResult<Posting> {
    let current: Posting = postings::table.find(posting_id).select(Posting::as_select()).first(conn)?;
    if current.version != version || current.status != PostingStatus::Published {
        return Err(DbError::Conflict("the posting"));
    }
    Ok(current)
}

#[allow(clippy::too_many_arguments)]
fn log_event(
    conn: &mut DbConnection,
    posting: &Posting,
    action: &'static str,
    actor: Actor,
    reason_code: Option<&str>,
    reason_text: Option<&str>,
    diff: Option<&str>,
    now: NaiveDateTime,
) -> DbResult<()> {
    let status = posting.status.code();
    diesel::insert_into(review_events::table)
        .values(NewReviewEvent {
            posting_id: posting.id,
            actor_id: actor.staff_id,
            organization_id: actor.organization_id,
            action,
            from_status: status,
            to_status: status,
            reason_code,
            reason_text,
            diff,
            created_at: now,
        })
        .execute(conn)?;
    Ok(())
}
