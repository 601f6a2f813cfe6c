//! What the search read model is built from and kept current by: the published postings with
//! what is searched beside them, read in pages by id, and the change sequence that triggers
//! write in the same transaction as every change (`posting_changes`).

use crate::employers::Employer;
use crate::postings::Posting;
use crate::schema::{employers, posting_changes, posting_origins, postings};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::dsl::max;
use diesel::prelude::*;
use std::collections::HashMap;
use yui_domain::PostingStatus;

/// A published posting as search sees it. Whether it is still open (`valid_through`) is for
/// the reader to judge at the moment of asking.
#[derive(Debug, Clone)]
pub struct Searchable {
    pub posting: Posting,
    pub employer: Employer,
    pub conditions: Vec<String>,
    pub hellowork: bool,
    /// A side job's or project's terms, when it states any.
    pub project: Option<yui_domain::ProjectTerms>,
}

/// The last change written so far: a model loaded after reading this has seen every change up
/// to it (changes after it are applied again, which is harmless).
pub fn last_change(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(posting_changes::table.select(max(posting_changes::seq)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// Up to `limit` published postings with ids above `after`, in id order: the start-up load
/// reads them a page at a time, so a large town never holds every text at once.
pub fn published_after(conn: &mut DbConnection, after: i32, limit: i64) -> DbResult<Vec<Searchable>> {
    let rows: Vec<(Posting, Employer)> = postings::table
        .inner_join(employers::table)
        .filter(postings::status.eq(PostingStatus::Published.code()))
        .filter(postings::id.gt(after))
        .order(postings::id.asc())
        .limit(limit)
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?;
    with_extras(conn, rows)
}

/// Those of `ids` that are published now; the others are to be dropped from the model.
pub fn published_among(conn: &mut DbConnection, ids: &[i32]) -> DbResult<Vec<Searchable>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(Posting, Employer)> = postings::table
            .inner_join(employers::table)
            .filter(postings::status.eq(PostingStatus::Published.code()))
            .filter(postings::id.eq_any(chunk))
            .select((Posting::as_select(), Employer::as_select()))
            .load(conn)?;
        out.extend(with_extras(conn, rows)?);
    }
    Ok(out)
}

/// The postings open at `now` and published after `after` (and before `before`, when given),
/// `exclude` left out, oldest first, a page of `limit` after skipping `offset`: what an alert
/// or a digest then matches as the portal does.
pub fn published_between(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    (after, before): (NaiveDateTime, Option<NaiveDateTime>),
    exclude: &[i32],
    (offset, limit): (i64, i64),
) -> DbResult<Vec<Searchable>> {
    let mut q = postings::table
        .inner_join(employers::table)
        .filter(crate::postings::public_at(now))
        .filter(postings::published_at.gt(after))
        .into_boxed();
    if let Some(before) = before {
        q = q.filter(postings::published_at.lt(before));
    }
    if !exclude.is_empty() {
        q = q.filter(postings::id.ne_all(exclude.to_vec()));
    }
    let rows: Vec<(Posting, Employer)> = q
        .order((postings::published_at.asc(), postings::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?;
    with_extras(conn, rows)
}

fn with_extras(conn: &mut DbConnection, rows: Vec<(Posting, Employer)>) -> DbResult<Vec<Searchable>> {
    let ids: Vec<i32> = rows.iter().map(|(p, _)| p.id).collect();
    let mut conditions = crate::postings::conditions_by_posting(conn, &ids)?;
    let mut projects = crate::postings::projects_by_posting(conn, &ids)?;
    let hellowork: HashMap<i32, String> = posting_origins::table
        .filter(posting_origins::posting_id.eq_any(&ids))
        .filter(posting_origins::source.eq(crate::hellowork::SOURCE))
        .select((posting_origins::posting_id, posting_origins::source))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|(posting, employer)| Searchable {
            conditions: conditions.remove(&posting.id).unwrap_or_default(),
            hellowork: hellowork.contains_key(&posting.id),
            project: projects.remove(&posting.id),
            posting,
            employer,
        })
        .collect())
}

/// Changes after `seq`, oldest first, at most `limit`: (sequence number, posting id).
pub fn changes_after(conn: &mut DbConnection, seq: i64, limit: i64) -> DbResult<Vec<(i64, i32)>> {
    Ok(posting_changes::table
        .filter(posting_changes::seq.gt(seq))
        .order(posting_changes::seq.asc())
        .limit(limit)
        .select((posting_changes::seq, posting_changes::posting_id))
        .load(conn)?)
}

/// Forgets changes written before `before`: every running instance has applied them long ago,
/// and an instance that starts loads the postings themselves.
pub fn prune_changes(conn: &mut DbConnection, before: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::delete(posting_changes::table.filter(posting_changes::changed_at.lt(before))).execute(conn)?)
}

/// The postings of `ids` with their employers, in that order, leaving out any that stopped
/// being public since the model was last told (closed on another instance a moment ago).
pub fn public_rows(conn: &mut DbConnection, now: NaiveDateTime, ids: &[i32]) -> DbResult<Vec<(Posting, Employer)>> {
    let mut rows: Vec<(Posting, Employer)> = postings::table
        .inner_join(employers::table)
        .filter(postings::id.eq_any(ids))
        .filter(postings::status.eq(PostingStatus::Published.code()))
        .filter(postings::valid_through.gt(now))
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?;
    rows.sort_by_key(|(p, _)| ids.iter().position(|id| *id == p.id));
    Ok(rows)
}
