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
    pub name_en: Option<String>,
    /// What it does, in a line, for /about.
    pub description: Option<String>,
    /// How the public reaches it (an address, a phone number, a page).
    pub contact: Option<String>,
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

/// What an operator may say about an organisation: each `Some` replaces the stored value
/// (an empty string clears it).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::schema::organizations)]
pub struct OrganizationChange {
    pub name: Option<String>,
    pub name_en: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub contact: Option<Option<String>>,
}

/// Changes an organisation's public details; `false` when no organisation has `slug`.
pub fn update(conn: &mut DbConnection, slug: &str, change: &OrganizationChange) -> DbResult<bool> {
    if change.name.is_none() && change.name_en.is_none() && change.description.is_none() && change.contact.is_none() {
        return Ok(find_by_slug(conn, slug)?.is_some());
    }
    Ok(diesel::update(o::organizations.filter(o::slug.eq(slug))).set(change).execute(conn)? == 1)
}
