//! A posting entered by staff for an employer (who phoned, wrote or walked in): it waits in
//! the queue like any other, and its log says staff entered it.

use crate::employers::{self, Employer, NewEmployer, NO_EMAIL_DOMAIN};
use crate::postings::{self, Actor, NewPosting, NewReviewEvent, Posting};
use crate::schema::{employer_mail_holders, review_events};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use yui_domain::PostingStatus;

/// The review log's action for a posting entered by staff.
pub const STAFF_ENTRY: &str = "staff_entry";

/// Whose posting it is.
#[derive(Debug)]
pub enum EmployerChoice<'a> {
    /// An employer already stored, found by name.
    Existing(i32),
    /// A new one; with no email (`new.email` is ignored then), their mail goes to the staff
    /// member entering them.
    New { new: NewEmployer<'a>, has_email: bool },
}

/// Creates (or picks) the employer, the pending posting with its working conditions and the
/// `staff_entry` event, all or nothing.
pub fn create(
    conn: &mut DbConnection,
    employer: EmployerChoice<'_>,
    posting: impl FnOnce(i32) -> NewPosting,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<(Posting, Employer)> {
    crate::transaction(conn, |conn| {
        let employer = match employer {
            EmployerChoice::Existing(id) => employers::find_by_id(conn, id)?,
            EmployerChoice::New { new, has_email: true } => employers::upsert_by_email(conn, &new)?,
            EmployerChoice::New { new, has_email: false } => {
                // The stand-in address only has to be unique; the public id is.
                let stand_in = format!("staff-entry-{}@{NO_EMAIL_DOMAIN}", yui_domain::PublicId::generate());
                let employer = employers::upsert_by_email(conn, &NewEmployer { email: &stand_in, ..new })?;
                if let Some(staff_id) = actor.staff_id {
                    diesel::insert_into(employer_mail_holders::table)
                        .values((
                            employer_mail_holders::employer_id.eq(employer.id),
                            employer_mail_holders::staff_id.eq(staff_id),
                            employer_mail_holders::created_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                employer
            }
        };
        let posting = postings::insert(conn, &posting(employer.id))?;
        let pending = PostingStatus::Pending.code();
        diesel::insert_into(review_events::table)
            .values(NewReviewEvent {
                posting_id: posting.id,
                actor_id: actor.staff_id,
                organization_id: actor.organization_id,
                action: STAFF_ENTRY,
                from_status: pending,
                to_status: pending,
                reason_code: None,
                reason_text: None,
                diff: None,
                created_at: now,
            })
            .execute(conn)?;
        Ok((posting, employer))
    })
}
