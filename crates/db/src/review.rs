//! The review queue's reads: what waits, in what order, and what a careful editor needs to see.

use crate::employers::Employer;
use crate::postings::{Posting, TermsContent};
use crate::schema::{employers, posting_revisions, posting_terms, postings, review_events, staff_users, submissions};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use yui_domain::PostingStatus;

#[derive(Debug)]
pub struct QueueItem {
    pub posting: Posting,
    pub employer: Employer,
    /// Which form sent it (`tally`, `native`…); `None` for postings made another way.
    pub source: Option<String>,
    /// Its working conditions, which the legal check reads.
    pub terms: TermsContent,
    /// Its project terms.
    pub project: crate::postings::ProjectContent,
    /// Its condition codes ([`yui_domain::Condition`]).
    pub conditions: Vec<String>,
}

type Row = (Posting, Employer, Option<String>);

/// The rows with their working conditions, read in one more query (a left join selecting an
/// optional row does not compile through the two-backend connection).
fn with_terms(conn: &mut DbConnection, rows: Vec<Row>) -> DbResult<Vec<QueueItem>> {
    let ids: Vec<i32> = rows.iter().map(|(p, _, _)| p.id).collect();
    // Hello Work's postings have no submission: their origin names them.
    let mut origins = crate::hellowork::sources_of(conn, &ids)?;
    let mut terms: std::collections::HashMap<i32, TermsContent> = posting_terms::table
        .filter(posting_terms::posting_id.eq_any(&ids))
        .select((posting_terms::posting_id, TermsContent::as_select()))
        .load::<(i32, TermsContent)>(conn)?
        .into_iter()
        .collect();
    let mut conditions = crate::postings::conditions_by_posting(conn, &ids)?;
    let mut projects: std::collections::HashMap<i32, crate::postings::ProjectContent> =
        crate::schema::posting_projects::table
            .filter(crate::schema::posting_projects::posting_id.eq_any(&ids))
            .select((crate::schema::posting_projects::posting_id, crate::postings::ProjectContent::as_select()))
            .load::<(i32, crate::postings::ProjectContent)>(conn)?
            .into_iter()
            .collect();
    Ok(rows
        .into_iter()
        .map(|(posting, employer, source)| {
            let terms = terms.remove(&posting.id).unwrap_or_default();
            let conditions = conditions.remove(&posting.id).unwrap_or_default();
            let project = projects.remove(&posting.id).unwrap_or_default();
            let source = source.or_else(|| origins.remove(&posting.id));
            QueueItem { posting, employer, source, terms, project, conditions }
        })
        .collect())
}

#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct QueueCounts {
    pub pending: i64,
    pub changes_requested: i64,
    /// Published postings with a correction proposed.
    pub revisions: i64,
    pub quarantined: i64,
}

/// Postings in `status`, oldest first: the longest-waiting employer is served first.
pub fn queue(conn: &mut DbConnection, status: PostingStatus, limit: i64) -> DbResult<Vec<QueueItem>> {
    let rows: Vec<Row> = postings::table
        .inner_join(employers::table)
        .left_join(submissions::table)
        .filter(postings::status.eq(status.code()))
        .order((postings::created_at.asc(), postings::id.asc()))
        .limit(limit)
        .select((Posting::as_select(), Employer::as_select(), submissions::source.nullable()))
        .load(conn)?;
    with_terms(conn, rows)
}

/// Postings in `status` that came from `source` (`hellowork`), oldest first: the editors'
/// queue filtered to one origin.
pub fn queue_of_origin(
    conn: &mut DbConnection,
    status: PostingStatus,
    source: &str,
    limit: i64,
) -> DbResult<Vec<QueueItem>> {
    use crate::schema::posting_origins;
    let from_source =
        posting_origins::table.filter(posting_origins::source.eq(source)).select(posting_origins::posting_id);
    let rows: Vec<Row> = postings::table
        .inner_join(employers::table)
        .left_join(submissions::table)
        .filter(postings::status.eq(status.code()))
        .filter(postings::id.eq_any(from_source))
        .order((postings::created_at.asc(), postings::id.asc()))
        .limit(limit)
        .select((Posting::as_select(), Employer::as_select(), submissions::source.nullable()))
        .load(conn)?;
    with_terms(conn, rows)
}

/// Published postings with a correction proposed by the employer, oldest proposal first, with
/// when it was proposed.
pub fn revision_queue(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<(QueueItem, NaiveDateTime)>> {
    let rows: Vec<(Posting, Employer, Option<String>, NaiveDateTime)> = posting_revisions::table
        .inner_join(postings::table.inner_join(employers::table).left_join(submissions::table))
        .filter(postings::status.eq(PostingStatus::Published.code()))
        .order((posting_revisions::created_at.asc(), posting_revisions::posting_id.asc()))
        .limit(limit)
        .select((
            Posting::as_select(),
            Employer::as_select(),
            submissions::source.nullable(),
            posting_revisions::created_at,
        ))
        .load(conn)?;
    let (rows, at): (Vec<Row>, Vec<NaiveDateTime>) =
        rows.into_iter().map(|(posting, employer, source, at)| ((posting, employer, source), at)).unzip();
    Ok(with_terms(conn, rows)?.into_iter().zip(at).collect())
}

pub fn counts(conn: &mut DbConnection) -> DbResult<QueueCounts> {
    let by_status = |conn: &mut DbConnection, s: PostingStatus| -> DbResult<i64> {
        Ok(postings::table.filter(postings::status.eq(s.code())).count().get_result(conn)?)
    };
    Ok(QueueCounts {
        pending: by_status(conn, PostingStatus::Pending)?,
        changes_requested: by_status(conn, PostingStatus::ChangesRequested)?,
        revisions: posting_revisions::table
            .inner_join(postings::table)
            .filter(postings::status.eq(PostingStatus::Published.code()))
            .count()
            .get_result(conn)?,
        quarantined: crate::submissions::count_quarantined(conn)?,
    })
}

/// One posting in any status, for its review page.
pub fn find(conn: &mut DbConnection, public_id: &str) -> DbResult<Option<QueueItem>> {
    let row: Option<Row> = postings::table
        .inner_join(employers::table)
        .left_join(submissions::table)
        .filter(postings::public_id.eq(public_id))
        .select((Posting::as_select(), Employer::as_select(), submissions::source.nullable()))
        .first(conn)
        .optional()?;
    Ok(with_terms(conn, row.into_iter().collect())?.pop())
}

/// One line of a posting's review log as editors see it (the public log never names people).
#[derive(Debug, Clone)]
pub struct LogLine {
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub diff: Option<String>,
    pub created_at: NaiveDateTime,
    pub actor_id: Option<i32>,
    pub actor_name: Option<String>,
}

pub fn log(conn: &mut DbConnection, posting_id: i32) -> DbResult<Vec<LogLine>> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        NaiveDateTime,
        Option<i32>,
        Option<String>,
    );
    let rows: Vec<Row> = review_events::table
        .left_join(staff_users::table.on(review_events::actor_id.eq(staff_users::id.nullable())))
        .filter(review_events::posting_id.eq(posting_id))
        .order((review_events::created_at.asc(), review_events::id.asc()))
        .select((
            review_events::action,
            review_events::from_status,
            review_events::to_status,
            review_events::reason_code,
            review_events::reason_text,
            review_events::diff,
            review_events::created_at,
            review_events::actor_id,
            staff_users::display_name.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(action, from_status, to_status, reason_code, reason_text, diff, created_at, actor_id, actor_name)| {
            LogLine { action, from_status, to_status, reason_code, reason_text, diff, created_at, actor_id, actor_name }
        })
        .collect())
}

/// Who changed the content last, if it was an editor: under the four-eyes rule they may not
/// also approve it. An employer's later edit (or none at all) gives `None`.
pub fn last_editor(log: &[LogLine]) -> Option<i32> {
    log.iter().rev().find(|l| l.action == "edit" || l.action == "employer_edit").and_then(|l| match l.action.as_str() {
        "edit" => l.actor_id,
        _ => None,
    })
}

/// The staff member who entered the posting for its employer, if staff did: under the
/// four-eyes rule they may not also approve it.
pub fn entered_by(log: &[LogLine]) -> Option<i32> {
    log.iter().find(|l| l.action == crate::staff_entry::STAFF_ENTRY).and_then(|l| l.actor_id)
}
