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

/// An organisation with its number of staff accounts (active or not), for the admin page.
pub fn list_with_staff_counts(conn: &mut DbConnection) -> DbResult<Vec<(Organization, i64)>> {
    use crate::schema::staff_users;
    let orgs = list(conn)?;
    let counts: Vec<(i32, i64)> = staff_users::table
        .group_by(staff_users::organization_id)
        .select((staff_users::organization_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(orgs
        .into_iter()
        .map(|o| {
            let n = counts.iter().find(|(id, _)| *id == o.id).map_or(0, |(_, n)| *n);
            (o, n)
        })
        .collect())
}

/// What the log says about a change: the fields as they are now, one `name: value` a line.
fn summary(d: &yui_domain::OrganizationDetails) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    format!(
        "name: {}\nname_en: {}\nkind: {}\ndescription: {}\ncontact: {}",
        d.name,
        opt(&d.name_en),
        d.kind.code(),
        opt(&d.description),
        opt(&d.contact)
    )
}

/// Adds an organisation and logs who did (`DbError::Exists` when the slug is taken).
pub fn create(
    conn: &mut DbConnection,
    slug: &yui_domain::OrgSlug,
    details: &yui_domain::OrganizationDetails,
    actor: crate::postings::Actor,
    at: NaiveDateTime,
) -> DbResult<Organization> {
    let taken = || crate::DbError::Exists(format!("an organisation with the slug {slug}"));
    crate::transaction(conn, |conn| {
        if find_by_slug(conn, slug.as_str())?.is_some() {
            return Err(taken());
        }
        let new =
            NewOrganization { slug: slug.as_str(), name: &details.name, kind: details.kind.code(), created_at: at };
        match diesel::insert_into(o::organizations).values(&new).execute(conn) {
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                Err(taken())
            }
            other => other.map_err(crate::DbError::from),
        }?;
        let org = find_by_slug(conn, slug.as_str())?.ok_or(crate::DbError::Query(diesel::result::Error::NotFound))?;
        set_details(conn, org.id, details)?;
        let note = summary(details);
        let step = crate::editorial_log::Step { action: "create", from: "", to: "", note: Some(&note) };
        crate::editorial_log::append(conn, crate::editorial_log::Subject::Organization(org.id), step, actor, at)?;
        Ok(org)
    })
}

fn set_details(conn: &mut DbConnection, id: i32, d: &yui_domain::OrganizationDetails) -> DbResult<usize> {
    Ok(diesel::update(o::organizations.find(id))
        .set((
            o::name.eq(&d.name),
            o::name_en.eq(&d.name_en),
            o::kind.eq(d.kind.code()),
            o::description.eq(&d.description),
            o::contact.eq(&d.contact),
        ))
        .execute(conn)?)
}

/// Replaces an organisation's public details (the slug stays) and logs who did; `false` when
/// no organisation has `slug`.
pub fn edit(
    conn: &mut DbConnection,
    slug: &str,
    details: &yui_domain::OrganizationDetails,
    actor: crate::postings::Actor,
    at: NaiveDateTime,
) -> DbResult<bool> {
    crate::transaction(conn, |conn| {
        let Some(org) = find_by_slug(conn, slug)? else {
            return Ok(false);
        };
        set_details(conn, org.id, details)?;
        let note = summary(details);
        let step = crate::editorial_log::Step { action: "edit", from: "", to: "", note: Some(&note) };
        crate::editorial_log::append(conn, crate::editorial_log::Subject::Organization(org.id), step, actor, at)?;
        Ok(true)
    })
}
