//! Employers' public faces (`/employers/{slug}`): what editors approved, and what the employer
//! proposed and waits for an editor. A proposal is approved or rejected whole, and every
//! decision is written to the editorial log (subject `employer_face`) in the same transaction.

use crate::editorial_log::{self, Step, Subject};
use crate::employers::Employer;
use crate::postings::Actor;
use crate::schema::{employer_profiles as p, employers};
use crate::{DbConnection, DbError, DbResult};
use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;
use yui_domain::employer_face::Face;
use yui_domain::FieldError;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = p)]
struct Row {
    employer_id: i32,
    slug: String,
    published: Option<String>,
    pending: Option<String>,
    pending_since: Option<NaiveDateTime>,
    rejected_reason: Option<String>,
}

/// An employer's face as stored.
#[derive(Debug, Clone)]
pub struct Profile {
    pub employer_id: i32,
    pub slug: String,
    /// What the public sees (empty until an editor approves something).
    pub published: Face,
    /// What the employer proposed, waiting for an editor.
    pub pending: Option<Face>,
    pub pending_since: Option<NaiveDateTime>,
    /// Why the editors declined the last proposal, until the employer proposes again.
    pub rejected_reason: Option<String>,
}

fn face(json: Option<&str>) -> Face {
    // Written only by this module; a document that does not read shows nothing rather than failing the page.
    json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default()
}

fn json(face: &Face) -> DbResult<String> {
    serde_json::to_string(face).map_err(|e| DbError::Invalid(e.to_string()))
}

impl From<Row> for Profile {
    fn from(r: Row) -> Self {
        Profile {
            employer_id: r.employer_id,
            slug: r.slug,
            published: face(r.published.as_deref()),
            pending: r.pending.as_deref().map(|j| face(Some(j))),
            pending_since: r.pending_since,
            rejected_reason: r.rejected_reason,
        }
    }
}

pub fn find(conn: &mut DbConnection, employer_id: i32) -> DbResult<Option<Profile>> {
    let row: Option<Row> = p::table.find(employer_id).select(Row::as_select()).first(conn).optional()?;
    Ok(row.map(Profile::from))
}

/// The employer's profile, made (with a new random slug) if they have none yet.
pub fn ensure(conn: &mut DbConnection, employer_id: i32, now: NaiveDateTime) -> DbResult<Profile> {
    if let Some(found) = find(conn, employer_id)? {
        return Ok(found);
    }
    // In a savepoint: two first views at once both try; the loser reads the winner's row.
    let inserted = crate::transaction(conn, |conn| {
        diesel::insert_into(p::table)
            .values((
                p::employer_id.eq(employer_id),
                p::slug.eq(yui_domain::PublicId::generate().as_str()),
                p::updated_at.eq(now),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) | Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(e) => return Err(e.into()),
    }
    find(conn, employer_id)?.ok_or(DbError::Conflict("the employer's profile"))
}

/// The employer whose page is at `slug`, with their profile.
pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> DbResult<Option<(Profile, Employer)>> {
    let row: Option<(Row, Employer)> = p::table
        .inner_join(employers::table)
        .filter(p::slug.eq(slug))
        .select((Row::as_select(), Employer::as_select()))
        .first(conn)
        .optional()?;
    Ok(row.map(|(r, e)| (r.into(), e)))
}

/// Changes the employer's proposal (started from the previous proposal, else from what is
/// published) with `change`, and puts it before the editors. `Ok(Err(_))`: `change` refused;
/// nothing is stored.
pub fn propose(
    conn: &mut DbConnection,
    employer_id: i32,
    now: NaiveDateTime,
    change: impl FnOnce(&mut Face) -> Result<(), FieldError>,
) -> DbResult<Result<Face, FieldError>> {
    // Whole microseconds, as PostgreSQL keeps them: the editor's form names the proposal by this
    // instant and must find it again on both backends.
    let now = now.with_nanosecond(now.nanosecond() / 1000 * 1000).unwrap_or(now);
    crate::transaction(conn, |conn| {
        let profile = ensure(conn, employer_id, now)?;
        let mut draft = profile.pending.clone().unwrap_or_else(|| profile.published.clone());
        if let Err(refused) = change(&mut draft) {
            return Ok(Err(refused));
        }
        diesel::update(p::table.find(employer_id))
            .set((
                p::pending.eq(Some(json(&draft)?)),
                p::pending_since.eq(Some(now)),
                p::rejected_reason.eq(None::<String>),
                p::updated_at.eq(now),
            ))
            .execute(conn)?;
        if profile.pending.is_none() {
            let step = Step { action: "face_submit", from: "published", to: "pending", note: None };
            editorial_log::append(conn, Subject::EmployerFace(employer_id), step, Actor::default(), now)?;
        }
        Ok(Ok(draft))
    })
}

/// Staff change the public face of an employer who has no email to propose one themselves
/// (entered by staff, a Hello Work office): published at once, logged as the staff member's.
pub fn set_directly(
    conn: &mut DbConnection,
    employer_id: i32,
    actor: Actor,
    now: NaiveDateTime,
    change: impl FnOnce(&mut Face) -> Result<(), FieldError>,
) -> DbResult<Result<Face, FieldError>> {
    crate::transaction(conn, |conn| {
        let profile = ensure(conn, employer_id, now)?;
        let mut face = profile.published;
        if let Err(refused) = change(&mut face) {
            return Ok(Err(refused));
        }
        diesel::update(p::table.find(employer_id))
            .set((p::published.eq(Some(json(&face)?)), p::updated_at.eq(now)))
            .execute(conn)?;
        let step = Step { action: "face_staff_edit", from: "published", to: "published", note: None };
        editorial_log::append(conn, Subject::EmployerFace(employer_id), step, actor, now)?;
        Ok(Ok(face))
    })
}

/// Proposals waiting for an editor, oldest first, with their employers.
pub fn pending(conn: &mut DbConnection) -> DbResult<Vec<(Profile, Employer)>> {
    let rows: Vec<(Row, Employer)> = p::table
        .inner_join(employers::table)
        .filter(p::pending.is_not_null())
        .order((p::pending_since.asc(), p::employer_id.asc()))
        .select((Row::as_select(), Employer::as_select()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(r, e)| (r.into(), e)).collect())
}

pub fn count_pending(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(p::table.filter(p::pending.is_not_null()).count().get_result(conn)?)
}

/// An editor's decision on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    Approve,
    Reject { reason: &'a str },
}

/// Publishes or declines the proposal the editor saw (`seen`: its `pending_since`). `Ok(false)`:
/// there is no such proposal any more, or the employer changed it in the meantime; nothing changed.
pub fn decide(
    conn: &mut DbConnection,
    employer_id: i32,
    seen: NaiveDateTime,
    decision: Decision<'_>,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<bool> {
    crate::transaction(conn, |conn| {
        let Some(profile) = find(conn, employer_id)? else { return Ok(false) };
        let (Some(draft), Some(since)) = (profile.pending, profile.pending_since) else { return Ok(false) };
        if since != seen {
            return Ok(false);
        }
        let target = p::table.find(employer_id).filter(p::pending_since.eq(since));
        let (changed, step) = match decision {
            Decision::Approve => (
                diesel::update(target)
                    .set((
                        p::published.eq(Some(json(&draft)?)),
                        p::pending.eq(None::<String>),
                        p::pending_since.eq(None::<NaiveDateTime>),
                        p::updated_at.eq(now),
                    ))
                    .execute(conn)?,
                Step { action: "face_approve", from: "pending", to: "published", note: None },
            ),
            Decision::Reject { reason } => (
                diesel::update(target)
                    .set((
                        p::pending.eq(None::<String>),
                        p::pending_since.eq(None::<NaiveDateTime>),
                        p::rejected_reason.eq(Some(reason)),
                        p::updated_at.eq(now),
                    ))
                    .execute(conn)?,
                Step { action: "face_reject", from: "pending", to: "rejected", note: Some(reason) },
            ),
        };
        if changed != 1 {
            return Ok(false);
        }
        editorial_log::append(conn, Subject::EmployerFace(employer_id), step, actor, now)?;
        Ok(true)
    })
}

/// The slugs and approved logos of some employers (for linking names on cards and pages).
pub fn published_of(conn: &mut DbConnection, employer_ids: &[i32]) -> DbResult<Vec<(i32, String, Face)>> {
    let rows: Vec<(i32, String, Option<String>)> = p::table
        .filter(p::employer_id.eq_any(employer_ids))
        .select((p::employer_id, p::slug, p::published))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, slug, j)| (id, slug, face(j.as_deref()))).collect())
}

/// The employer's open postings (public now), newest first, at most `limit`.
pub fn open_postings(
    conn: &mut DbConnection,
    employer_id: i32,
    now: NaiveDateTime,
    limit: i64,
) -> DbResult<Vec<crate::postings::Posting>> {
    use crate::schema::postings;
    Ok(postings::table
        .filter(crate::postings::public_at(now))
        .filter(postings::employer_id.eq(employer_id))
        .order((postings::published_at.desc(), postings::id.desc()))
        .limit(limit)
        .select(crate::postings::Posting::as_select())
        .load(conn)?)
}

/// Public features about the employer: those they sponsor and those that link to any of their
/// postings, newest first, at most `limit`.
pub fn features(
    conn: &mut DbConnection,
    employer_id: i32,
    now: NaiveDateTime,
    limit: usize,
) -> DbResult<Vec<crate::articles::Article>> {
    use crate::articles::Article;
    use crate::schema::{article_postings, articles, postings};
    let published = yui_domain::ArticleStatus::Published.code();
    let sponsored: Vec<Article> = articles::table
        .filter(articles::sponsor_employer_id.eq(employer_id))
        .filter(articles::status.eq(published))
        .select(Article::as_select())
        .load(conn)?;
    let linked: Vec<Article> = article_postings::table
        .inner_join(articles::table)
        .inner_join(postings::table)
        .filter(postings::employer_id.eq(employer_id))
        .filter(articles::status.eq(published))
        .select(Article::as_select())
        .distinct()
        .load(conn)?;
    let mut all: Vec<Article> = sponsored.into_iter().chain(linked).filter(|a| a.is_public_at(now)).collect();
    all.sort_by(|a, b| b.shown_from().cmp(&a.shown_from()).then(b.id.cmp(&a.id)));
    all.dedup_by_key(|a| a.id);
    all.truncate(limit);
    Ok(all)
}
