//! Followers: addresses that receive the weekly digest and job alerts without an account.
//!
//! Double opt-in: a follower is stored unconfirmed with the hash of a confirmation token, and
//! receives nothing but the confirmation mail until the link is opened (within the validity the
//! caller passes). Links to manage and to unsubscribe are signed by the web layer with the
//! row's `link_salt`, so deleting the row voids them all.
//!
//! Mailings are claimed once per period with a compare-and-set on the row (`digest_period`,
//! `alert_period`) in the same transaction as the outbox row; the postings an alert carried are
//! recorded there too, under UNIQUE(search, posting). A run that stops half-way, or a second
//! instance running at the same time, therefore queues nothing twice.

use crate::schema::{follow_alert_items, follow_searches, followers};
use crate::{DbConnection, DbError, DbResult};
use chrono::{Duration, NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use yui_domain::following::Frequency;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = followers)]
pub struct Follower {
    pub id: i32,
    pub email: String,
    pub lang: String,
    pub wants_digest: bool,
    pub confirmed_at: Option<NaiveDateTime>,
    pub confirm_token_hash: Option<String>,
    pub confirm_sent_at: Option<NaiveDateTime>,
    pub link_salt: String,
    pub digest_period: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = follow_searches)]
pub struct SavedSearch {
    pub id: i32,
    pub follower_id: i32,
    /// The canonical `/jobs` query string.
    pub query: String,
    pub frequency: String,
    /// Only postings published after this are candidates for the next alert.
    pub alert_after: NaiveDateTime,
    pub alert_period: Option<String>,
    pub created_at: NaiveDateTime,
}

impl SavedSearch {
    pub fn frequency(&self) -> Frequency {
        self.frequency.parse().unwrap_or(Frequency::Weekly)
    }
}

#[derive(Insertable)]
#[diesel(table_name = followers)]
struct NewFollower<'a> {
    email: &'a str,
    lang: &'a str,
    wants_digest: bool,
    confirm_token_hash: Option<&'a str>,
    confirm_sent_at: Option<NaiveDateTime>,
    link_salt: &'a str,
    created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = follow_searches)]
struct NewSearch<'a> {
    follower_id: i32,
    query: &'a str,
    frequency: &'a str,
    alert_after: NaiveDateTime,
    created_at: NaiveDateTime,
}

/// What a sign-up asks for.
#[derive(Debug, Clone, Copy)]
pub struct SignUp<'a> {
    /// Lower-cased.
    pub email: &'a str,
    pub lang: &'a str,
    pub digest: bool,
    /// A saved search (canonical query string) and its alert frequency.
    pub alert: Option<(&'a str, Frequency)>,
    /// The hash of a fresh confirmation token (used only when a confirmation mail goes out).
    pub confirm_token_hash: &'a str,
    /// A fresh random salt for a new row's signed links.
    pub link_salt: &'a str,
}

/// What a sign-up led to. The person is shown the same page in every case.
#[derive(Debug)]
pub enum SignUpOutcome {
    /// New, or still unconfirmed: send the confirmation mail (the token was stored).
    Confirm(Follower),
    /// Already confirmed: send a mail with the manage link instead; nothing was changed.
    AlreadyFollowing(Follower),
    /// A mail went to this address moments ago: send nothing now.
    TooSoon,
}

fn insert_search(
    conn: &mut DbConnection,
    follower_id: i32,
    query: &str,
    f: Frequency,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::insert_into(follow_searches::table)
        .values(NewSearch { follower_id, query, frequency: f.code(), alert_after: now, created_at: now })
        .execute(conn)?;
    Ok(())
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> DbResult<Option<Follower>> {
    Ok(followers::table.filter(followers::email.eq(email)).select(Follower::as_select()).first(conn).optional()?)
}

pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<Follower>> {
    Ok(followers::table.find(id).select(Follower::as_select()).first(conn).optional()?)
}

/// Records a sign-up, in the caller's transaction. An unconfirmed address takes the new choices
/// (and a new token); a mail is due only if the last one went out at least `resend_after` ago.
pub fn sign_up(
    conn: &mut DbConnection,
    s: &SignUp<'_>,
    now: NaiveDateTime,
    resend_after: Duration,
) -> DbResult<SignUpOutcome> {
    let now = now.trunc_subsecs(6);
    let Some(existing) = find_by_email(conn, s.email)? else {
        diesel::insert_into(followers::table)
            .values(NewFollower {
                email: s.email,
                lang: s.lang,
                wants_digest: s.digest,
                confirm_token_hash: Some(s.confirm_token_hash),
                confirm_sent_at: Some(now),
                link_salt: s.link_salt,
                created_at: now,
            })
            .execute(conn)?;
        let follower = find_by_email(conn, s.email)?.ok_or_else(|| DbError::Invalid("follower vanished".into()))?;
        if let Some((query, f)) = s.alert {
            insert_search(conn, follower.id, query, f, now)?;
        }
        return Ok(SignUpOutcome::Confirm(follower));
    };
    if existing.confirm_sent_at.is_some_and(|at| now - at < resend_after) {
        return Ok(SignUpOutcome::TooSoon);
    }
    if existing.confirmed_at.is_some() {
        // Only the mailbox's owner may change a confirmed subscription: they get the manage link.
        diesel::update(followers::table.find(existing.id)).set(followers::confirm_sent_at.eq(now)).execute(conn)?;
        return Ok(SignUpOutcome::AlreadyFollowing(existing));
    }
    diesel::update(followers::table.find(existing.id))
        .set((
            followers::wants_digest.eq(s.digest),
            followers::lang.eq(s.lang),
            followers::confirm_token_hash.eq(Some(s.confirm_token_hash)),
            followers::confirm_sent_at.eq(Some(now)),
        ))
        .execute(conn)?;
    diesel::delete(follow_searches::table.filter(follow_searches::follower_id.eq(existing.id))).execute(conn)?;
    if let Some((query, f)) = s.alert {
        insert_search(conn, existing.id, query, f, now)?;
    }
    let follower = find(conn, existing.id)?.ok_or_else(|| DbError::Invalid("follower vanished".into()))?;
    Ok(SignUpOutcome::Confirm(follower))
}

#[derive(Debug)]
pub enum Confirmation {
    Confirmed(Follower),
    /// The link is genuine but older than its validity: nothing changed.
    Expired,
    /// No such link (never issued, or already used).
    Unknown,
}

/// What opening a confirmation link would find, without confirming: `None` for an unknown (or
/// used) token, `Some(false)` once `valid` has passed, `Some(true)` when it would confirm.
pub fn confirmation_open(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
    valid: Duration,
) -> DbResult<Option<bool>> {
    let f = followers::table
        .filter(followers::confirm_token_hash.eq(token_hash))
        .select(Follower::as_select())
        .first(conn)
        .optional()?;
    Ok(f.map(|f| link_in_time(&f, now.trunc_subsecs(6), valid)))
}

fn link_in_time(f: &Follower, now: NaiveDateTime, valid: Duration) -> bool {
    let sent = f.confirm_sent_at.unwrap_or(f.created_at);
    now >= sent && now - sent <= valid
}

/// Opens a confirmation link: within `valid` of sending, the address is confirmed and its
/// alerts start from now (nothing published before is sent). The token works once.
pub fn confirm(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
    valid: Duration,
) -> DbResult<Confirmation> {
    let now = now.trunc_subsecs(6);
    crate::transaction(conn, |conn| {
        let Some(f) = followers::table
            .filter(followers::confirm_token_hash.eq(token_hash))
            .select(Follower::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(Confirmation::Unknown);
        };
        if !link_in_time(&f, now, valid) {
            return Ok(Confirmation::Expired);
        }
        diesel::update(followers::table.find(f.id))
            .set((followers::confirmed_at.eq(Some(now)), followers::confirm_token_hash.eq(None::<String>)))
            .execute(conn)?;
        diesel::update(follow_searches::table.filter(follow_searches::follower_id.eq(f.id)))
            .set(follow_searches::alert_after.eq(now))
            .execute(conn)?;
        Ok(Confirmation::Confirmed(find(conn, f.id)?.ok_or_else(|| DbError::Invalid("follower vanished".into()))?))
    })
}

pub fn searches(conn: &mut DbConnection, follower_id: i32) -> DbResult<Vec<SavedSearch>> {
    Ok(follow_searches::table
        .filter(follow_searches::follower_id.eq(follower_id))
        .order(follow_searches::id.asc())
        .select(SavedSearch::as_select())
        .load(conn)?)
}

/// A saved search with its follower.
pub fn search(conn: &mut DbConnection, id: i32) -> DbResult<Option<(SavedSearch, Follower)>> {
    Ok(follow_searches::table
        .inner_join(followers::table)
        .filter(follow_searches::id.eq(id))
        .select((SavedSearch::as_select(), Follower::as_select()))
        .first(conn)
        .optional()?)
}

pub fn set_digest(conn: &mut DbConnection, follower_id: i32, on: bool) -> DbResult<()> {
    diesel::update(followers::table.find(follower_id)).set(followers::wants_digest.eq(on)).execute(conn)?;
    Ok(())
}

/// Adds a saved search to a confirmed follower; its alerts start from now.
pub fn add_search(
    conn: &mut DbConnection,
    follower_id: i32,
    query: &str,
    f: Frequency,
    now: NaiveDateTime,
) -> DbResult<()> {
    insert_search(conn, follower_id, query, f, now.trunc_subsecs(6))
}

pub fn set_frequency(conn: &mut DbConnection, follower_id: i32, search_id: i32, f: Frequency) -> DbResult<()> {
    diesel::update(
        follow_searches::table
            .filter(follow_searches::id.eq(search_id))
            .filter(follow_searches::follower_id.eq(follower_id)),
    )
    .set(follow_searches::frequency.eq(f.code()))
    .execute(conn)?;
    Ok(())
}

/// Removes a saved search (and the record of what its alerts carried). Returns whether it existed.
pub fn delete_search(conn: &mut DbConnection, follower_id: i32, search_id: i32) -> DbResult<bool> {
    crate::transaction(conn, |conn| {
        let owned = follow_searches::table
            .filter(follow_searches::id.eq(search_id))
            .filter(follow_searches::follower_id.eq(follower_id))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if owned {
            diesel::delete(follow_alert_items::table.filter(follow_alert_items::search_id.eq(search_id)))
                .execute(conn)?;
            diesel::delete(follow_searches::table.find(search_id)).execute(conn)?;
        }
        Ok(owned)
    })
}

/// Deletes everything stored for the address: the rows themselves, not a flag.
pub fn delete_follower(conn: &mut DbConnection, follower_id: i32) -> DbResult<()> {
    crate::transaction(conn, |conn| {
        let ids: Vec<i32> = follow_searches::table
            .filter(follow_searches::follower_id.eq(follower_id))
            .select(follow_searches::id)
            .load(conn)?;
        diesel::delete(follow_alert_items::table.filter(follow_alert_items::search_id.eq_any(&ids))).execute(conn)?;
        diesel::delete(follow_searches::table.filter(follow_searches::follower_id.eq(follower_id))).execute(conn)?;
        diesel::delete(followers::table.find(follower_id)).execute(conn)?;
        Ok(())
    })
}

/// Confirmed followers who want the digest and have not had the one for `period` yet.
pub fn digest_due(conn: &mut DbConnection, period: &str) -> DbResult<Vec<Follower>> {
    Ok(followers::table
        .filter(followers::confirmed_at.is_not_null())
        .filter(followers::wants_digest.eq(true))
        .filter(followers::digest_period.is_null().or(followers::digest_period.ne(period)))
        .order(followers::id.asc())
        .select(Follower::as_select())
        .load(conn)?)
}

/// Claims `period`'s digest for one follower: true for exactly one caller. Call it in the
/// transaction that queues the mail, so a failed queue gives the claim back.
pub fn claim_digest(conn: &mut DbConnection, follower_id: i32, period: &str) -> DbResult<bool> {
    let changed = diesel::update(
        followers::table
            .find(follower_id)
            .filter(followers::digest_period.is_null().or(followers::digest_period.ne(period))),
    )
    .set(followers::digest_period.eq(Some(period)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Every saved search of a confirmed follower, with the follower.
pub fn confirmed_searches(conn: &mut DbConnection) -> DbResult<Vec<(SavedSearch, Follower)>> {
    Ok(follow_searches::table
        .inner_join(followers::table)
        .filter(followers::confirmed_at.is_not_null())
        .order(follow_searches::id.asc())
        .select((SavedSearch::as_select(), Follower::as_select()))
        .load(conn)?)
}

/// The postings a saved search's alerts already carried.
pub fn alerted_posting_ids(conn: &mut DbConnection, search_id: i32) -> DbResult<Vec<i32>> {
    Ok(follow_alert_items::table
        .filter(follow_alert_items::search_id.eq(search_id))
        .select(follow_alert_items::posting_id)
        .load(conn)?)
}

/// Claims `period`'s alert for one saved search, moving its high-water mark to `alert_after`
/// (`None`: left where it is). True for exactly one caller; call it in the transaction that
/// queues the mail and [`record_alert_items`].
pub fn claim_alert(
    conn: &mut DbConnection,
    search_id: i32,
    period: &str,
    alert_after: Option<NaiveDateTime>,
) -> DbResult<bool> {
    let target = follow_searches::table
        .find(search_id)
        .filter(follow_searches::alert_period.is_null().or(follow_searches::alert_period.ne(period)));
    let changed = match alert_after {
        Some(at) => diesel::update(target)
            .set((follow_searches::alert_period.eq(Some(period)), follow_searches::alert_after.eq(at.trunc_subsecs(6))))
            .execute(conn)?,
        None => diesel::update(target).set(follow_searches::alert_period.eq(Some(period))).execute(conn)?,
    };
    Ok(changed == 1)
}

#[derive(Insertable)]
#[diesel(table_name = follow_alert_items)]
struct NewAlertItem {
    search_id: i32,
    posting_id: i32,
    outbox_email_id: i32,
    sent_at: NaiveDateTime,
}

/// Records what an alert carried. A posting already recorded for the search fails the
/// transaction (UNIQUE): it is never sent twice.
pub fn record_alert_items(
    conn: &mut DbConnection,
    search_id: i32,
    posting_ids: &[i32],
    outbox_email_id: i32,
    now: NaiveDateTime,
) -> DbResult<()> {
    // One row at a time: batch inserts do not pass through MultiConnection.
    for &posting_id in posting_ids {
        diesel::insert_into(follow_alert_items::table)
            .values(NewAlertItem { search_id, posting_id, outbox_email_id, sent_at: now.trunc_subsecs(6) })
            .execute(conn)?;
    }
    Ok(())
}

/// A published article for the digest.
#[derive(Debug, Clone, Queryable)]
pub struct DigestArticle {
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub lede: String,
    pub published_at: Option<NaiveDateTime>,
}

/// Articles published in `[from, to)`, oldest first.
pub fn articles_between(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> DbResult<Vec<DigestArticle>> {
    use crate::schema::articles;
    Ok(articles::table
        .filter(articles::status.eq("published"))
        .filter(articles::published_at.ge(from))
        .filter(articles::published_at.lt(to))
        .order((articles::published_at.asc(), articles::id.asc()))
        .select((articles::kind, articles::slug, articles::title, articles::lede, articles::published_at))
        .load(conn)?)
}

/// True when `e` is a unique violation: another run recorded the same thing first.
pub fn is_duplicate(e: &DbError) -> bool {
    matches!(
        e,
        DbError::Query(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
    )
}
