use crate::schema::organizations::dsl as o;
use crate::{now, DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = crate::schema::organizations)]
pub struct Organization {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = crate::schema::organizations)]
pub struct NewOrganization<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> DbResult<Option<Organization>> {
    Ok(o::organizations.filter(o::slug.eq(slug)).select(Organization::as_select()).first(conn).optional()?)
}

/// Returns the organization with this slug, creating it with the given name and kind if new.
pub fn ensure(conn: &mut DbConnection, slug: &str, name: &str, kind: &str) -> DbResult<Organization> {
    if let Some(org) = find_by_slug(conn, slug)? {
        return Ok(org);
    }
    let new = NewOrganization { slug, name, kind, created_at: now() };
    // RETURNING through DbConnection gives columns, not a Selectable row: read it back by its unique key.
    diesel::insert_into(o::organizations).values(&new).execute(conn)?;
    Ok(o::organizations.filter(o::slug.eq(slug)).select(Organization::as_select()).first(conn)?)
}

pub fn list(conn: &mut DbConnection) -> DbResult<Vec<Organization>> {
    Ok(o::organizations.order(o::name.asc()).select(Organization::as_select()).load(conn)?)
}
