use crate::schema::employers::dsl as e;
use crate::{DbConnection, DbError, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = crate::schema::employers)]
pub struct Employer {
    pub id: i32,
    pub name: String,
    pub contact_name: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub organization_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = crate::schema::employers)]
pub struct NewEmployer<'a> {
    pub name: &'a str,
    pub contact_name: Option<&'a str>,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub website: Option<&'a str>,
    pub industry: Option<&'a str>,
    pub organization_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> DbResult<Option<Employer>> {
    Ok(e::employers.filter(e::email.eq(email)).select(Employer::as_select()).first(conn).optional()?)
}

/// Employers are matched by email so they never retype their details: what a new submission
/// gives replaces what was stored, and what it leaves out keeps its stored value.
pub fn upsert_by_email(conn: &mut DbConnection, new: &NewEmployer<'_>) -> DbResult<Employer> {
    match find_by_email(conn, new.email)? {
        Some(existing) => update(conn, existing, new)?,
        None => {
            // Two first submissions from one address at once: the loser of the insert (in a
            // savepoint, so the caller's transaction goes on) updates the winner's row instead.
            let inserted = crate::transaction(conn, |conn| diesel::insert_into(e::employers).values(new).execute(conn));
            match inserted {
                Ok(_) => {}
                Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                    let existing = find_by_email(conn, new.email)?.ok_or(DbError::Conflict("the employer"))?;
                    update(conn, existing, new)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    // Read back by the unique key: the row may come from the insert or from either update.
    Ok(e::employers.filter(e::email.eq(new.email)).select(Employer::as_select()).first(conn)?)
}

fn update(conn: &mut DbConnection, existing: Employer, new: &NewEmployer<'_>) -> DbResult<()> {
    diesel::update(e::employers.find(existing.id))
        .set((
            e::name.eq(new.name),
            e::contact_name.eq(new.contact_name.map(str::to_owned).or(existing.contact_name)),
            e::phone.eq(new.phone.map(str::to_owned).or(existing.phone)),
            e::address.eq(new.address.map(str::to_owned).or(existing.address)),
            e::website.eq(new.website.map(str::to_owned).or(existing.website)),
            e::industry.eq(new.industry.map(str::to_owned).or(existing.industry)),
            e::updated_at.eq(new.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_id(conn: &mut DbConnection, id: i32) -> DbResult<Employer> {
    Ok(e::employers.find(id).select(Employer::as_select()).first(conn)?)
}

/// Records that an employer is linked to an operating organisation (or, with `None`, that it is
/// not): that organisation's editors may then not approve its postings.
pub fn set_organization(conn: &mut DbConnection, id: i32, organization_id: Option<i32>) -> DbResult<()> {
    diesel::update(e::employers.find(id)).set(e::organization_id.eq(organization_id)).execute(conn)?;
    Ok(())
}
