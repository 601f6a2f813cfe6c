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

/// The employer `id`, if there is one (an id from a form may name none).
pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<Employer>> {
    Ok(e::employers.find(id).select(Employer::as_select()).first(conn).optional()?)
}

/// Why a link was not changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// The employer is linked to the actor's own organisation: another organisation changes it
    /// ([`yui_domain::may_change_employer_link`]).
    OwnOrganization,
}

/// Links an employer to an operating organisation (or, with `None`, unlinks it), so that that
/// organisation's editors may not approve its postings; a decision, logged in the editorial
/// log (subject `employer`, from and to the organisations' slugs, `""` for none) in the same
/// transaction. `Ok(None)`: no such employer; `Ok(Some(Ok(false)))`: the link was already so,
/// nothing is logged. The rule is checked against the link as it is inside the transaction,
/// so two changes at once cannot both pass it.
pub fn link_organization(
    conn: &mut DbConnection,
    id: i32,
    organization_id: Option<i32>,
    actor: crate::postings::Actor,
    at: NaiveDateTime,
) -> DbResult<Option<Result<bool, LinkRefusal>>> {
    use crate::editorial_log::{self, Step, Subject};
    use crate::schema::organizations as o;
    crate::transaction(conn, |conn| {
        let Some(current) = e::employers.find(id).select(e::organization_id).first::<Option<i32>>(conn).optional()?
        else {
            return Ok(None);
        };
        if current == organization_id {
            return Ok(Some(Ok(false)));
        }
        if actor.organization_id.is_some_and(|own| !yui_domain::may_change_employer_link(current, own)) {
            return Ok(Some(Err(LinkRefusal::OwnOrganization)));
        }
        let set = e::organization_id.eq(organization_id);
        let changed = match current {
            Some(c) => diesel::update(e::employers.find(id).filter(e::organization_id.eq(c))).set(set).execute(conn)?,
            None => {
                diesel::update(e::employers.find(id).filter(e::organization_id.is_null())).set(set).execute(conn)?
            }
        };
        if changed != 1 {
            return Err(DbError::Conflict("the employer"));
        }
        let mut slug = |org: Option<i32>| -> DbResult<String> {
            Ok(match org {
                Some(org) => o::table.find(org).select(o::slug).first(conn)?,
                None => String::new(),
            })
        };
        let (from, to) = (slug(current)?, slug(organization_id)?);
        let action = if organization_id.is_some() { "employer_link" } else { "employer_unlink" };
        let step = Step { action, from: &from, to: &to, note: None };
        editorial_log::append(conn, Subject::Employer(id), step, actor, at)?;
        Ok(Some(Ok(true)))
    })
}

/// Employers whose name contains `query`, by name, at most `limit`: for staff picking the
/// employer of a posting they enter. An empty query finds nobody.
pub fn search_by_name(conn: &mut DbConnection, query: &str, limit: i64) -> DbResult<Vec<Employer>> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    // The typed text is matched literally: `%` and `_` in a name are not wildcards.
    let escaped: String = query
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    Ok(e::employers
        .filter(e::name.like(format!("%{escaped}%")).escape('\\'))
        .order((e::name.asc(), e::id.asc()))
        .limit(limit)
        .select(Employer::as_select())
        .load(conn)?)
}

/// The staff member who receives an employer's mail, for an employer with no email of their
/// own (see [`NO_EMAIL_DOMAIN`]): their id and current address.
pub fn mail_holder(conn: &mut DbConnection, employer_id: i32) -> DbResult<Option<(i32, String)>> {
    use crate::schema::{employer_mail_holders as h, staff_users as s};
    Ok(h::table
        .inner_join(s::table)
        .filter(h::employer_id.eq(employer_id))
        .select((s::id, s::email))
        .first(conn)
        .optional()?)
}

/// Where mail for this employer goes: the staff member's address who holds their mail
/// (entered by staff without an email), else their own, unless that is a stand-in nobody reads
/// (a Hello Work office, [`yui_domain::is_deliverable`]): then `None`, and no letter is queued.
pub fn mail_address(conn: &mut DbConnection, employer: &Employer) -> DbResult<Option<String>> {
    if let Some((_, email)) = mail_holder(conn, employer.id)? {
        return Ok(Some(email));
    }
    Ok(yui_domain::is_deliverable(&employer.email).then(|| employer.email.clone()))
}

/// The domain of the stand-in address of an employer without email. `.invalid` is reserved
/// (RFC 2606): should any mail ever be addressed to it, it fails instead of reaching someone.
pub const NO_EMAIL_DOMAIN: &str = "no-email.invalid";

/// Whether `email` is the stand-in address of an employer without email.
pub fn has_no_email(email: &str) -> bool {
    email.ends_with(&format!("@{NO_EMAIL_DOMAIN}"))
}
