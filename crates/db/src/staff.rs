use crate::models::{NewStaffUser, StaffUser};
use crate::schema::staff_users::dsl as s;
use crate::{DbConnection, DbError, DbResult};
use diesel::prelude::*;

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> DbResult<Option<StaffUser>> {
    Ok(s::staff_users.filter(s::email.eq(email)).select(StaffUser::as_select()).first(conn).optional()?)
}

pub fn create(conn: &mut DbConnection, new: &NewStaffUser<'_>) -> DbResult<StaffUser> {
    if find_by_email(conn, new.email)?.is_some() {
        return Err(DbError::Invalid(format!("a staff user with the email {} already exists", new.email)));
    }
    diesel::insert_into(s::staff_users).values(new).execute(conn)?;
    find_by_email(conn, new.email)?.ok_or(DbError::Query(diesel::result::Error::NotFound))
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
