//! The takeover pool: would-be successors' private entries. They hold names, addresses and
//! phone numbers: the caller shows one only to its coordinating organisation's staff or an
//! admin ([`Entry::visible_to`]); nothing here writes them to the editorial log or a log line.
//! An entry is in the pool only once confirmed; an unconfirmed one is deleted by
//! [`purge_unconfirmed`], an expired one by [`purge_expired`], a withdrawn one at once.

use crate::schema::succession_pool_entries as pool;
use crate::{DbConnection, DbResult};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use yui_domain::succession::pool::{FundsBand, PoolEntry, PoolStatus, StartBand};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pool)]
pub struct Entry {
    pub id: i32,
    pub organization_id: Option<i32>,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub industries: String,
    pub areas: String,
    pub anywhere: bool,
    #[diesel(deserialize_as = String)]
    pub funds_band: FundsBand,
    #[diesel(deserialize_as = String)]
    pub start_band: StartBand,
    pub experience: String,
    /// `ja` or `en`: the language of the person's mails.
    pub lang: String,
    #[diesel(deserialize_as = String)]
    pub status: PoolStatus,
    pub notes: String,
    pub confirmed_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl Entry {
    /// The same rule as owners' requests: an admin sees every entry; other staff only their
    /// organisation's. An entry left to Yui is the admins' to hand on.
    pub fn visible_to(&self, organization_id: i32, is_admin: bool) -> bool {
        is_admin || self.organization_id == Some(organization_id)
    }

    pub fn industry_codes(&self) -> Vec<&str> {
        self.industries.split_whitespace().collect()
    }

    pub fn area_names(&self) -> Vec<&str> {
        self.areas.split_whitespace().collect()
    }

    /// Whether it fits a listing whose industry is spelled `industry` (code, labels) in `area`.
    pub fn fits(&self, industry: &[&str], area: &str) -> bool {
        yui_domain::succession::pool::wants(&self.industry_codes(), &self.area_names(), self.anywhere, industry, area)
    }
}

/// Stores an unconfirmed entry with the hashes of its two private links and the language of
/// the person's mails (`ja` or `en`); returns its id.
pub fn add(
    conn: &mut DbConnection,
    e: &PoolEntry,
    lang: &str,
    confirm_hash: &str,
    withdraw_hash: &str,
    now: NaiveDateTime,
) -> DbResult<i32> {
    diesel::insert_into(pool::table)
        .values((
            pool::organization_id.eq(e.organization_id),
            pool::name.eq(&e.name),
            pool::email.eq(e.email.as_str()),
            pool::phone.eq(e.phone.as_deref()),
            pool::industries.eq(e.industries.join(" ")),
            pool::areas.eq(e.areas.join(" ")),
            pool::anywhere.eq(e.anywhere),
            pool::funds_band.eq(e.funds_band.code()),
            pool::start_band.eq(e.start_band.code()),
            pool::experience.eq(&e.experience),
            pool::lang.eq(lang),
            pool::status.eq(PoolStatus::New.code()),
            pool::notes.eq(""),
            pool::confirm_hash.eq(Some(confirm_hash)),
            pool::withdraw_hash.eq(withdraw_hash),
            pool::created_at.eq(now),
            pool::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(pool::table.filter(pool::withdraw_hash.eq(withdraw_hash)).select(pool::id).first(conn)?)
}

/// Confirms the entry whose confirm link this is: it joins the pool for `days`, and the link
/// stops working (its hash is cleared). `None` when no unconfirmed entry has that link.
pub fn confirm(conn: &mut DbConnection, confirm_hash: &str, days: u32, now: NaiveDateTime) -> DbResult<Option<Entry>> {
    crate::transaction(conn, |conn| {
        let Some(id) = pool::table
            .filter(pool::confirm_hash.eq(confirm_hash))
            .filter(pool::confirmed_at.is_null())
            .select(pool::id)
            .first::<i32>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        diesel::update(pool::table.find(id))
            .set((
                pool::confirm_hash.eq(None::<String>),
                pool::confirmed_at.eq(Some(now)),
                pool::expires_at.eq(Some(now + Duration::days(i64::from(days)))),
                pool::updated_at.eq(now),
            ))
            .execute(conn)?;
        find(conn, id)
    })
}

/// Whether a confirm link still names an unconfirmed entry.
pub fn exists_for_confirm(conn: &mut DbConnection, hash: &str) -> DbResult<bool> {
    Ok(pool::table
        .filter(pool::confirm_hash.eq(hash))
        .filter(pool::confirmed_at.is_null())
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Confirmed entries an admin may read, or one organisation's, newest first.
pub fn list(conn: &mut DbConnection, organization_id: Option<i32>) -> DbResult<Vec<Entry>> {
    let mut q = pool::table.filter(pool::confirmed_at.is_not_null()).select(Entry::as_select()).into_boxed();
    if let Some(org) = organization_id {
        q = q.filter(pool::organization_id.eq(org));
    }
    Ok(q.order(pool::id.desc()).load(conn)?)
}

/// A confirmed entry.
pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<Entry>> {
    Ok(pool::table
        .find(id)
        .filter(pool::confirmed_at.is_not_null())
        .select(Entry::as_select())
        .first(conn)
        .optional()?)
}

/// Sets the coordinator's status and note.
pub fn set(conn: &mut DbConnection, id: i32, status: PoolStatus, notes: &str, now: NaiveDateTime) -> DbResult<bool> {
    Ok(diesel::update(pool::table.find(id))
        .set((pool::status.eq(status.code()), pool::notes.eq(notes), pool::updated_at.eq(now)))
        .execute(conn)?
        > 0)
}

/// Whether a withdraw link still names an entry.
pub fn exists_for_withdraw(conn: &mut DbConnection, hash: &str) -> DbResult<bool> {
    Ok(pool::table.filter(pool::withdraw_hash.eq(hash)).count().get_result::<i64>(conn)? > 0)
}

/// The person withdraws: the entry and everything in it is deleted now.
pub fn withdraw(conn: &mut DbConnection, hash: &str) -> DbResult<bool> {
    Ok(diesel::delete(pool::table.filter(pool::withdraw_hash.eq(hash))).execute(conn)? > 0)
}

/// Deletes entries left unconfirmed for `hours`; returns how many.
pub fn purge_unconfirmed(conn: &mut DbConnection, hours: u32, now: NaiveDateTime) -> DbResult<usize> {
    let cutoff = now - Duration::hours(i64::from(hours));
    Ok(diesel::delete(pool::table.filter(pool::confirmed_at.is_null()).filter(pool::created_at.le(cutoff)))
        .execute(conn)?)
}

/// Deletes confirmed entries whose time in the pool is over; returns how many.
pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::delete(pool::table.filter(pool::expires_at.le(now))).execute(conn)?)
}

/// How long before its end a confirmed entry's author is reminded.
pub const REMIND_BEFORE_DAYS: i64 = 14;

/// Confirmed entries that end within [`REMIND_BEFORE_DAYS`] and whose author was not reminded
/// since the entry was confirmed or last renewed, soonest end first.
pub fn due_for_reminder(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<Vec<Entry>> {
    Ok(pool::table
        .filter(pool::expires_at.le(now + Duration::days(REMIND_BEFORE_DAYS)))
        .filter(pool::expires_at.gt(now))
        .filter(pool::reminded_at.is_null())
        .order(pool::expires_at.asc())
        .select(Entry::as_select())
        .load(conn)?)
}

/// Records the reminder with the hashes of its fresh renew and withdraw links (the withdraw
/// link of the confirmation mail stops working: only one token's hash is kept). False when
/// another pass reminded first.
pub fn mark_reminded(
    conn: &mut DbConnection,
    id: i32,
    renew_hash: &str,
    withdraw_hash: &str,
    now: NaiveDateTime,
) -> DbResult<bool> {
    Ok(diesel::update(pool::table.find(id).filter(pool::reminded_at.is_null()))
        .set((
            pool::reminded_at.eq(Some(now)),
            pool::renew_hash.eq(Some(renew_hash)),
            pool::withdraw_hash.eq(withdraw_hash),
            pool::updated_at.eq(now),
        ))
        .execute(conn)?
        == 1)
}

/// Whether a renew link still names an entry.
pub fn exists_for_renew(conn: &mut DbConnection, hash: &str) -> DbResult<bool> {
    Ok(pool::table.filter(pool::renew_hash.eq(hash)).count().get_result::<i64>(conn)? > 0)
}

/// The author keeps their entry: another `days` from now, and a reminder again before that
/// ends. The renew link works once.
pub fn renew(conn: &mut DbConnection, hash: &str, days: u32, now: NaiveDateTime) -> DbResult<bool> {
    Ok(diesel::update(pool::table.filter(pool::renew_hash.eq(hash)))
        .set((
            pool::renew_hash.eq(None::<String>),
            pool::reminded_at.eq(None::<NaiveDateTime>),
            pool::expires_at.eq(Some(now + Duration::days(i64::from(days)))),
            pool::updated_at.eq(now),
        ))
        .execute(conn)?
        > 0)
}
