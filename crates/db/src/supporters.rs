//! Supporters: sign-up, confirmation by email, leaving, and the public wall.
//!
//! A sign-up is a new row with an unconfirmed token; confirming it removes the address's other
//! rows, so the latest sign-up wins and an address appears once. Leaving deletes the row: the
//! commons keeps nothing about someone who left.

use crate::schema::supporters;
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use yui_domain::{SupportType, SupporterKind, SupporterSignup};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = supporters)]
pub struct Supporter {
    pub id: i32,
    pub email: String,
    pub display_name: Option<String>,
    #[diesel(deserialize_as = String)]
    pub kind: SupporterKindCode,
    pub support_types: String,
    pub message: String,
    pub on_wall: bool,
    pub hidden_at: Option<NaiveDateTime>,
    pub confirm_expires_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// The stored kind, read back through the domain type (an unknown code is a storage error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupporterKindCode(pub SupporterKind);

impl TryFrom<String> for SupporterKindCode {
    type Error = yui_domain::UnknownCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse().map(SupporterKindCode)
    }
}

impl Supporter {
    pub fn support_types(&self) -> Vec<SupportType> {
        yui_domain::parse_code_list(SupportType::ALL, SupportType::code, &self.support_types)
    }
}

/// Stores an unconfirmed sign-up.
pub fn sign_up(
    conn: &mut DbConnection,
    signup: &SupporterSignup,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> DbResult<()> {
    let types = yui_domain::code_list(&signup.support_types, SupportType::code);
    diesel::insert_into(supporters::table)
        .values((
            supporters::email.eq(signup.email.as_str()),
            supporters::display_name.eq(signup.display_name.as_deref()),
            supporters::kind.eq(signup.kind.code()),
            supporters::support_types.eq(types),
            supporters::message.eq(&signup.message),
            supporters::on_wall.eq(signup.on_wall),
            supporters::token_hash.eq(token_hash),
            supporters::confirm_expires_at.eq(expires_at),
            supporters::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_token(conn: &mut DbConnection, token_hash: &str) -> DbResult<Option<Supporter>> {
    Ok(supporters::table
        .filter(supporters::token_hash.eq(token_hash))
        .select(Supporter::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed,
    AlreadyConfirmed,
    /// The link's 48 hours are over: sign up again.
    Expired,
    Unknown,
}

/// Confirms the sign-up behind `token_hash`, and drops the address's older rows.
pub fn confirm(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> DbResult<Confirmation> {
    crate::transaction(conn, |conn| {
        let Some(s) = find_by_token(conn, token_hash)? else { return Ok(Confirmation::Unknown) };
        if s.confirmed_at.is_some() {
            return Ok(Confirmation::AlreadyConfirmed);
        }
        if s.confirm_expires_at <= now {
            return Ok(Confirmation::Expired);
        }
        diesel::update(supporters::table.find(s.id)).set(supporters::confirmed_at.eq(Some(now))).execute(conn)?;
        diesel::delete(supporters::table.filter(supporters::email.eq(&s.email)).filter(supporters::id.ne(s.id)))
            .execute(conn)?;
        Ok(Confirmation::Confirmed)
    })
}

/// Deletes the supporter behind `token_hash`; false when there was none.
pub fn leave(conn: &mut DbConnection, token_hash: &str) -> DbResult<bool> {
    Ok(diesel::delete(supporters::table.filter(supporters::token_hash.eq(token_hash))).execute(conn)? > 0)
}

/// Sign-ups never confirmed whose link has run out: removed by the lifecycle pass.
pub fn prune_unconfirmed(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::delete(
        supporters::table.filter(supporters::confirmed_at.is_null()).filter(supporters::confirm_expires_at.le(now)),
    )
    .execute(conn)?)
}

/// The public wall: per kind (in `SupporterKind::ALL` order), the names of those who chose to
/// appear (`None` = anonymous), oldest first, and how many confirmed supporters there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WallGroup {
    pub kind: SupporterKind,
    pub names: Vec<Option<String>>,
    pub total: i64,
}

pub fn wall(conn: &mut DbConnection) -> DbResult<Vec<WallGroup>> {
    let shown: Vec<(String, Option<String>)> = supporters::table
        .filter(supporters::confirmed_at.is_not_null())
        .filter(supporters::on_wall.eq(true))
        .filter(supporters::hidden_at.is_null())
        .order((supporters::confirmed_at.asc(), supporters::id.asc()))
        .select((supporters::kind, supporters::display_name))
        .load(conn)?;
    let totals: Vec<(String, i64)> = supporters::table
        .filter(supporters::confirmed_at.is_not_null())
        .group_by(supporters::kind)
        .select((supporters::kind, count_star()))
        .load(conn)?;
    Ok(SupporterKind::ALL
        .iter()
        .map(|kind| WallGroup {
            kind: *kind,
            names: shown.iter().filter(|(k, _)| k == kind.code()).map(|(_, n)| n.clone()).collect(),
            total: totals.iter().find(|(k, _)| k == kind.code()).map_or(0, |(_, n)| *n),
        })
        .collect())
}

/// Confirmed supporters, newest first, for the editors' page.
pub fn confirmed(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<Supporter>> {
    Ok(supporters::table
        .filter(supporters::confirmed_at.is_not_null())
        .order((supporters::confirmed_at.desc(), supporters::id.desc()))
        .limit(limit)
        .select(Supporter::as_select())
        .load(conn)?)
}

/// Takes a name off the wall (or puts it back): the supporter stays a supporter.
pub fn set_hidden(conn: &mut DbConnection, id: i32, hidden: bool, now: NaiveDateTime) -> DbResult<bool> {
    let at = hidden.then_some(now);
    Ok(diesel::update(supporters::table.find(id).filter(supporters::confirmed_at.is_not_null()))
        .set(supporters::hidden_at.eq(at))
        .execute(conn)?
        > 0)
}
