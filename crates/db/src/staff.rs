use crate::schema::staff_users::dsl as s;
use crate::{DbConnection, DbError, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use yui_domain::StaffRole;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = crate::schema::staff_users)]
pub struct StaffUser {
    pub id: i32,
    pub organization_id: i32,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    #[diesel(deserialize_as = String)]
    pub role: StaffRole,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = crate::schema::staff_users)]
pub struct NewStaffUser<'a> {
    pub organization_id: i32,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'static str,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

diesel::define_sql_function! {
    /// Case folding as the database does it, the same on both sides of a comparison and in
    /// the unique index `staff_users_email_folded`.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// The staff member with this address, however either is capitalised: addresses are stored as
/// typed and matched folded, so `MixedCase@Example.jp` logs in as `mixedcase@example.jp`.
pub fn find_by_email(conn: &mut DbConnection, email: &str) -> DbResult<Option<StaffUser>> {
    Ok(s::staff_users.filter(lower(s::email).eq(lower(email))).select(StaffUser::as_select()).first(conn).optional()?)
}

pub fn create(conn: &mut DbConnection, new: &NewStaffUser<'_>) -> DbResult<StaffUser> {
    let taken = || DbError::Exists(format!("a staff user with the email {}", new.email));
    crate::transaction(conn, |conn| {
        if find_by_email(conn, new.email)?.is_some() {
            return Err(taken());
        }
        match diesel::insert_into(s::staff_users).values(new).execute(conn) {
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                Err(taken())
            }
            other => other.map_err(DbError::from),
        }?;
        find_by_email(conn, new.email)?.ok_or(DbError::Query(diesel::result::Error::NotFound))
    })
}

/// Where "something waits for review" goes: every active editor and admin.
pub fn reviewer_emails(conn: &mut DbConnection) -> DbResult<Vec<String>> {
    Ok(s::staff_users
        .filter(s::active.eq(true))
        .filter(s::role.eq_any(["editor", "admin"]))
        .order(s::id.asc())
        .select(s::email)
        .load(conn)?)
}

/// The active admins' addresses: who is told of what only admins may open.
pub fn admin_emails(conn: &mut DbConnection) -> DbResult<Vec<String>> {
    Ok(s::staff_users
        .filter(s::active.eq(true))
        .filter(s::role.eq("admin"))
        .order(s::id.asc())
        .select(s::email)
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<StaffUser>> {
    Ok(s::staff_users.find(id).select(StaffUser::as_select()).first(conn).optional()?)
}

/// Everyone, with their organization's name, active first, then by organization and name.
pub fn list(conn: &mut DbConnection) -> DbResult<Vec<(StaffUser, String)>> {
    use crate::schema::organizations;
    Ok(s::staff_users
        .inner_join(organizations::table)
        .order((s::active.desc(), organizations::name.asc(), s::display_name.asc()))
        .select((StaffUser::as_select(), organizations::name))
        .load(conn)?)
}

pub fn set_role(
    conn: &mut DbConnection,
    id: i32,
    role: yui_domain::StaffRole,
    now: chrono::NaiveDateTime,
) -> DbResult<()> {
    diesel::update(s::staff_users.find(id)).set((s::role.eq(role.code()), s::updated_at.eq(now))).execute(conn)?;
    Ok(())
}

/// Deactivating also ends the person's sessions, so it takes effect at once.
pub fn set_active(conn: &mut DbConnection, id: i32, active: bool, now: chrono::NaiveDateTime) -> DbResult<()> {
    diesel::update(s::staff_users.find(id)).set((s::active.eq(active), s::updated_at.eq(now))).execute(conn)?;
    if !active {
        crate::sessions::delete_all_for(conn, id, None)?;
    }
    Ok(())
}

pub fn set_password_hash(conn: &mut DbConnection, id: i32, hash: &str, now: chrono::NaiveDateTime) -> DbResult<()> {
    diesel::update(s::staff_users.find(id)).set((s::password_hash.eq(hash), s::updated_at.eq(now))).execute(conn)?;
    Ok(())
}

/// A password set by an admin for someone who forgot theirs: every session of theirs ends, so a
/// device left signed in with the old one is signed out too. Both or neither.
pub fn reset_password(conn: &mut DbConnection, id: i32, hash: &str, now: chrono::NaiveDateTime) -> DbResult<()> {
    crate::transaction(conn, |conn| {
        set_password_hash(conn, id, hash, now)?;
        crate::sessions::delete_all_for(conn, id, None)
    })
}
