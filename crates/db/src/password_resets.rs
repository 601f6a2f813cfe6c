//! Staff password resets by emailed link. Only the SHA-256 of a link's token is stored; a
//! token is good once, for [`VALID_FOR`], and only while its person's account is active.

use crate::schema::{staff_password_resets as r, staff_users};
use crate::staff::StaffUser;
use crate::{DbConnection, DbResult};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long a link works after it is mailed.
pub const VALID_FOR: Duration = Duration::hours(1);

/// What a token is now.
#[derive(Debug)]
pub enum Lookup {
    /// Good: the active staff member it resets.
    Valid(StaffUser),
    /// Already used, or spent when its person used another one.
    Spent,
    Expired,
    /// Never issued, pruned, or its person's account is no longer active.
    Unknown,
}

/// Stores a new token's hash for `staff_id`, good until `now + VALID_FOR`.
pub fn issue(conn: &mut DbConnection, token_hash: &str, staff_id: i32, now: NaiveDateTime) -> DbResult<()> {
    diesel::insert_into(r::table)
        .values((
            r::token_hash.eq(token_hash),
            r::staff_id.eq(staff_id),
            r::created_at.eq(now),
            r::expires_at.eq(now + VALID_FOR),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn check(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> DbResult<Lookup> {
    let found: Option<(Option<NaiveDateTime>, NaiveDateTime, StaffUser)> = r::table
        .inner_join(staff_users::table)
        .filter(r::token_hash.eq(token_hash))
        .select((r::used_at, r::expires_at, StaffUser::as_select()))
        .first(conn)
        .optional()?;
    Ok(match found {
        None => Lookup::Unknown,
        Some((_, _, staff)) if !staff.active => Lookup::Unknown,
        Some((Some(_), _, _)) => Lookup::Spent,
        Some((None, expires_at, _)) if expires_at <= now => Lookup::Expired,
        Some((None, _, staff)) => Lookup::Valid(staff),
    })
}

/// Sets the new password if the token is still good: the token and every other of the same
/// person are spent and all their sessions end, all or nothing. Returns what the token was
/// (`Valid` when the password was set). Of two uses at once, one wins and the other is `Spent`.
pub fn spend(conn: &mut DbConnection, token_hash: &str, password_hash: &str, now: NaiveDateTime) -> DbResult<Lookup> {
    crate::transaction(conn, |conn| {
        let Lookup::Valid(staff) = check(conn, token_hash, now)? else {
            return check(conn, token_hash, now);
        };
        let claimed = diesel::update(r::table.find(token_hash).filter(r::used_at.is_null()))
            .set(r::used_at.eq(now))
            .execute(conn)?;
        if claimed != 1 {
            return Ok(Lookup::Spent);
        }
        diesel::update(r::table.filter(r::staff_id.eq(staff.id)).filter(r::used_at.is_null()))
            .set(r::used_at.eq(now))
            .execute(conn)?;
        crate::staff::reset_password(conn, staff.id, password_hash, now)?;
        Ok(Lookup::Valid(staff))
    })
}

/// Forgets links that ended more than a day ago (kept a day so a late click still hears
/// "expired" rather than "unknown").
pub fn prune(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::delete(r::table.filter(r::expires_at.le(now - Duration::days(1)))).execute(conn)?)
}
