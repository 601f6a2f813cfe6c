//! Owners' private requests for a succession listing. They hold names, addresses, phone
//! numbers and business details: the caller shows one only to its coordinating organisation's
//! staff or an admin ([`visible_to`]), nothing here writes them to the editorial log or a log
//! line, a withdrawn request is deleted at once, and a closed one by [`purge_closed`].

use crate::schema::succession_requests;
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use yui_domain::succession::request::{OwnerRequest, RequestStatus, StaffBand};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = succession_requests)]
pub struct Request {
    pub id: i32,
    pub organization_id: Option<i32>,
    pub business_name: String,
    pub industry: String,
    pub area: String,
    pub years_in_business: Option<i32>,
    #[diesel(deserialize_as = String)]
    pub staff_band: StaffBand,
    pub reason: String,
    pub handover: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: RequestStatus,
    pub notes: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Request {
    /// An admin sees every request; other staff only their organisation's. A request left to
    /// Yui (no organisation) is the admins' to hand on.
    pub fn visible_to(&self, organization_id: i32, is_admin: bool) -> bool {
        is_admin || self.organization_id == Some(organization_id)
    }
}

/// Stores a request with the hash of its withdraw token; returns its id.
pub fn add(conn: &mut DbConnection, r: &OwnerRequest, withdraw_hash: &str, now: NaiveDateTime) -> DbResult<i32> {
    diesel::insert_into(succession_requests::table)
        .values((
            succession_requests::organization_id.eq(r.organization_id),
            succession_requests::business_name.eq(&r.business_name),
            succession_requests::industry.eq(&r.industry),
            succession_requests::area.eq(&r.area),
            succession_requests::years_in_business.eq(r.years_in_business),
            succession_requests::staff_band.eq(r.staff_band.code()),
            succession_requests::reason.eq(&r.reason),
            succession_requests::handover.eq(&r.handover),
            succession_requests::contact_name.eq(&r.contact_name),
            succession_requests::contact_email.eq(r.contact_email.as_str()),
            succession_requests::contact_phone.eq(r.contact_phone.as_deref()),
            succession_requests::status.eq(RequestStatus::New.code()),
            succession_requests::notes.eq(""),
            succession_requests::withdraw_hash.eq(withdraw_hash),
            succession_requests::created_at.eq(now),
            succession_requests::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(succession_requests::table
        .filter(succession_requests::withdraw_hash.eq(withdraw_hash))
        .select(succession_requests::id)
        .first(conn)?)
}

/// Every request an admin may read, or one organisation's, newest first.
pub fn list(conn: &mut DbConnection, organization_id: Option<i32>) -> DbResult<Vec<Request>> {
    let mut q = succession_requests::table.select(Request::as_select()).into_boxed();
    if let Some(org) = organization_id {
        q = q.filter(succession_requests::organization_id.eq(org));
    }
    Ok(q.order(succession_requests::id.desc()).load(conn)?)
}

pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<Request>> {
    Ok(succession_requests::table.find(id).select(Request::as_select()).first(conn).optional()?)
}

/// Sets the status and the coordinator's note. Closing (listed, declined) starts the
/// retention clock; reopening stops it.
pub fn set(conn: &mut DbConnection, id: i32, status: RequestStatus, notes: &str, now: NaiveDateTime) -> DbResult<bool> {
    let closed_at = status.is_closed().then_some(now);
    Ok(diesel::update(succession_requests::table.find(id))
        .set((
            succession_requests::status.eq(status.code()),
            succession_requests::notes.eq(notes),
            succession_requests::closed_at.eq(closed_at),
            succession_requests::updated_at.eq(now),
        ))
        .execute(conn)?
        > 0)
}

/// Whether a withdraw token still names a request.
pub fn exists_for_withdraw(conn: &mut DbConnection, hash: &str) -> DbResult<bool> {
    Ok(succession_requests::table
        .filter(succession_requests::withdraw_hash.eq(hash))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// The owner withdraws: the request and everything in it is deleted now.
pub fn withdraw(conn: &mut DbConnection, hash: &str) -> DbResult<bool> {
    Ok(diesel::delete(succession_requests::table.filter(succession_requests::withdraw_hash.eq(hash))).execute(conn)?
        > 0)
}

/// Deletes requests closed `retention_days` ago or more; returns how many.
pub fn purge_closed(conn: &mut DbConnection, retention_days: u32, now: NaiveDateTime) -> DbResult<usize> {
    let cutoff = now - chrono::Duration::days(i64::from(retention_days));
    Ok(diesel::delete(succession_requests::table.filter(succession_requests::closed_at.le(cutoff))).execute(conn)?)
}
