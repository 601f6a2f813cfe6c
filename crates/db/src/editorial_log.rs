//! The editorial log: every step on an article, an order, a succession listing or an inquiry,
//! every change of an employer's conflict-of-interest link and of an organisation, appended in the transaction
//! that takes the step. The table refuses updates and deletes
//! (triggers on both backends), like the postings' review log.

use crate::postings::Actor;
use crate::schema::{editorial_events, staff_users};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What a log line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Article(i32),
    Order(i32),
    Succession(i32),
    SuccessionInquiry(i32),
    /// An employer's conflict-of-interest link to an organisation.
    Employer(i32),
    /// A question label mapped to a field in the browser (`ingest_mappings`).
    IngestMapping(i32),
    /// A member organisation's public details (`/admin/organizations`).
    Organization(i32),
    /// An employer's public page: proposed by them, approved or declined by an editor. Not
    /// [`Subject::Employer`], whose lines the public log reads as conflict-of-interest links.
    EmployerFace(i32),
    /// A joint campaign: drafted, edited, published.
    Campaign(i32),
    /// A campaign entry's status set, an export or a mail: never the person's data.
    CampaignEntry(i32),
}

/// The subject code of [`Subject::IngestMapping`], for [`recent`].
pub const INGEST_MAPPING: &str = "ingest_mapping";

impl Subject {
    fn parts(self) -> (&'static str, i32) {
        match self {
            Subject::Article(id) => ("article", id),
            Subject::Order(id) => ("order", id),
            Subject::Succession(id) => ("succession", id),
            Subject::SuccessionInquiry(id) => ("succession_inquiry", id),
            Subject::Employer(id) => ("employer", id),
            Subject::IngestMapping(id) => (INGEST_MAPPING, id),
            Subject::Organization(id) => ("organization", id),
            Subject::EmployerFace(id) => ("employer_face", id),
            Subject::Campaign(id) => ("campaign", id),
            Subject::CampaignEntry(id) => ("campaign_entry", id),
        }
    }
}

/// One step: `action` (a code such as `submit`, `approve`, `status`, `edit`) took the subject
/// from `from` to `to` (the same for steps that keep the status).
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub action: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub note: Option<&'a str>,
}

pub fn append(
    conn: &mut DbConnection,
    subject: Subject,
    step: Step<'_>,
    actor: Actor,
    at: NaiveDateTime,
) -> DbResult<()> {
    let (kind, id) = subject.parts();
    diesel::insert_into(editorial_events::table)
        .values((
            editorial_events::subject.eq(kind),
            editorial_events::subject_id.eq(id),
            editorial_events::actor_id.eq(actor.staff_id),
            editorial_events::organization_id.eq(actor.organization_id),
            editorial_events::action.eq(step.action),
            editorial_events::from_status.eq(step.from),
            editorial_events::to_status.eq(step.to),
            editorial_events::note.eq(step.note),
            editorial_events::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A line of the log as staff see it, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub actor_id: Option<i32>,
    pub actor_name: Option<String>,
}

type Row = (String, String, String, Option<String>, NaiveDateTime, Option<i32>, Option<String>);

pub fn lines(conn: &mut DbConnection, subject: Subject) -> DbResult<Vec<Line>> {
    let (kind, id) = subject.parts();
    let rows: Vec<Row> = editorial_events::table
        .left_join(staff_users::table.on(editorial_events::actor_id.eq(staff_users::id.nullable())))
        .filter(editorial_events::subject.eq(kind))
        .filter(editorial_events::subject_id.eq(id))
        .order((editorial_events::created_at.asc(), editorial_events::id.asc()))
        .select((
            editorial_events::action,
            editorial_events::from_status,
            editorial_events::to_status,
            editorial_events::note,
            editorial_events::created_at,
            editorial_events::actor_id,
            staff_users::display_name.nullable(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(line).collect())
}

/// The latest `limit` lines about any subject of one kind (e.g. [`INGEST_MAPPING`]), newest first:
/// for subjects that may be gone, such as a deleted mapping.
pub fn recent(conn: &mut DbConnection, kind: &str, limit: i64) -> DbResult<Vec<Line>> {
    let rows: Vec<Row> = editorial_events::table
        .left_join(staff_users::table.on(editorial_events::actor_id.eq(staff_users::id.nullable())))
        .filter(editorial_events::subject.eq(kind))
        .order((editorial_events::created_at.desc(), editorial_events::id.desc()))
        .limit(limit)
        .select((
            editorial_events::action,
            editorial_events::from_status,
            editorial_events::to_status,
            editorial_events::note,
            editorial_events::created_at,
            editorial_events::actor_id,
            staff_users::display_name.nullable(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(line).collect())
}

fn line((action, from_status, to_status, note, created_at, actor_id, actor_name): Row) -> Line {
    Line { action, from_status, to_status, note, created_at, actor_id, actor_name }
}
