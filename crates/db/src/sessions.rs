//! Staff sessions, kept in the database so every instance behind a load balancer knows them.
//! Only the SHA-256 of the cookie's token is stored.

use crate::schema::{staff_sessions, staff_users};
use crate::staff::StaffUser;
use crate::{DbConnection, DbResult};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// A session ends after this long without a request...
pub const IDLE: Duration = Duration::hours(12);
/// ...and after this long in any case.
pub const ABSOLUTE: Duration = Duration::days(7);
/// `last_seen_at` is written at most this often, so reading pages costs no write.
const TOUCH_EVERY: Duration = Duration::minutes(5);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_sessions)]
pub struct Session {
    pub token_hash: String,
    pub staff_id: i32,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn create(conn: &mut DbConnection, token_hash: &str, staff_id: i32, now: NaiveDateTime) -> DbResult<()> {
    diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::token_hash.eq(token_hash),
            staff_sessions::staff_id.eq(staff_id),
            staff_sessions::created_at.eq(now),
            staff_sessions::last_seen_at.eq(now),
            staff_sessions::expires_at.eq(now + ABSOLUTE),
        ))
        .execute(conn)?;
    Ok(())
}

/// The active staff member holding this session, if it is still valid; refreshes its idle timer.
pub fn resolve(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> DbResult<Option<StaffUser>> {
    let found: Option<(Session, StaffUser)> = staff_sessions::table
        .inner_join(staff_users::table)
        .filter(staff_sessions::token_hash.eq(token_hash))
        .select((Session::as_select(), StaffUser::as_select()))
        .first(conn)
        .optional()?;
    let Some((session, staff)) = found else {
        return Ok(None);
    };
    if session.expires_at <= now || session.last_seen_at + IDLE <= now || !staff.active {
        diesel::delete(staff_sessions::table.find(token_hash)).execute(conn)?;
        return Ok(None);
    }
    if session.last_seen_at + TOUCH_EVERY <= now {
        diesel::update(staff_sessions::table.find(token_hash))
            .set(staff_sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(staff))
}

pub fn delete(conn: &mut DbConnection, token_hash: &str) -> DbResult<()> {
    diesel::delete(staff_sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

/// Ends every session of a staff member but `keep` (after a password change, or all of them
/// when an admin deactivates the account).
pub fn delete_all_for(conn: &mut DbConnection, staff_id: i32, keep: Option<&str>) -> DbResult<()> {
    let mine = staff_sessions::table.filter(staff_sessions::staff_id.eq(staff_id));
    match keep {
        Some(keep) => diesel::delete(mine.filter(staff_sessions::token_hash.ne(keep))).execute(conn)?,
        None => diesel::delete(mine).execute(conn)?,
    };
    Ok(())
}

/// Forgets sessions that ended (idle or too old) without a logout.
pub fn prune(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::delete(
        staff_sessions::table
            .filter(staff_sessions::expires_at.le(now).or(staff_sessions::last_seen_at.le(now - IDLE))),
    )
    .execute(conn)?)
}
