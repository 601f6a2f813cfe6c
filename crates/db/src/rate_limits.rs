//! The rate limits' counters, in the database so that every instance counts the same
//! attempts (behind a load balancer each would otherwise allow the limit on its own). A window
//! starts at a key's first attempt and lasts its length; an attempt after it starts a new one.
//! Each call is one short transaction of at most three statements on one row.

use crate::schema::rate_limits;
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// One limit: its name (which form or action), how many attempts, over how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bucket: &'static str,
    pub max: i32,
    pub window: chrono::Duration,
}

/// Counts one attempt for `key_hash`; `false` when its window is used up (nothing counted).
pub fn allow(conn: &mut DbConnection, limit: Limit, key_hash: &str, now: NaiveDateTime) -> DbResult<bool> {
    // Two instances may both find no row and insert: the second insert fails on the primary
    // key, and the attempt is counted again against the row the first one made.
    let mut tries = 0;
    loop {
        tries += 1;
        match crate::transaction(conn, |conn| count_one(conn, limit, key_hash, now)) {
            Err(crate::DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ))) if tries < 3 => continue,
            other => return other,
        }
    }
}

fn count_one(conn: &mut DbConnection, limit: Limit, key_hash: &str, now: NaiveDateTime) -> DbResult<bool> {
    let row = rate_limits::table.find((limit.bucket, key_hash));
    // A finished window: this attempt starts the next one.
    let restarted = diesel::update(row.filter(rate_limits::expires_at.le(now)))
        .set((
            rate_limits::window_start.eq(now),
            rate_limits::expires_at.eq(now + limit.window),
            rate_limits::count.eq(1),
        ))
        .execute(conn)?;
    if restarted == 1 {
        return Ok(limit.max >= 1);
    }
    let count_up = |conn: &mut DbConnection| -> DbResult<bool> {
        let counted = diesel::update(row.filter(rate_limits::count.lt(limit.max)))
            .set(rate_limits::count.eq(rate_limits::count + 1))
            .execute(conn)?;
        Ok(counted == 1)
    };
    if count_up(conn)? {
        return Ok(true);
    }
    let exists: i64 = row.count().get_result(conn)?;
    if exists > 0 {
        // Full, or (on PostgreSQL, where each statement sees the latest commits) made by
        // another instance just after the update above looked: counting again tells which.
        return count_up(conn);
    }
    diesel::insert_into(rate_limits::table)
        .values((
            rate_limits::bucket.eq(limit.bucket),
            rate_limits::key_hash.eq(key_hash),
            rate_limits::window_start.eq(now),
            rate_limits::expires_at.eq(now + limit.window),
            rate_limits::count.eq(1),
        ))
        .execute(conn)?;
    Ok(limit.max >= 1)
}

/// Whether `key_hash` used up its window, counting nothing.
pub fn exhausted(conn: &mut DbConnection, limit: Limit, key_hash: &str, now: NaiveDateTime) -> DbResult<bool> {
    let used: Option<i32> = rate_limits::table
        .find((limit.bucket, key_hash))
        .filter(rate_limits::expires_at.gt(now))
        .select(rate_limits::count)
        .first(conn)
        .optional()?;
    Ok(used.is_some_and(|n| n >= limit.max))
}

/// Deletes finished windows (the lifecycle pass); returns how many.
pub fn prune(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::delete(rate_limits::table.filter(rate_limits::expires_at.le(now))).execute(conn)?)
}
