//! Hello Work's job data in Yui: each 求人番号 is one posting (`posting_origins`), brought in
//! by an import that keeps its report (`hellowork_imports`).
//!
//! One import is one transaction: a full export ends the postings whose number it lacks, which
//! is only right once every row of the file is in; and a database failure half-way leaves
//! nothing half-imported, so running the same file again is always safe. Rows that cannot
//! become a posting never reach here: the parser sets them aside with their line.

use crate::employers::NewEmployer;
use crate::postings::{Actor, NewPosting, NewReviewEvent, Posting, PostingContent, Reason};
use crate::schema::{hellowork_imports, posting_notes, posting_origins, posting_revisions, postings, review_events};
use crate::{DbConnection, DbResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};
use yui_domain::{PostingAction, PostingStatus};

/// `posting_origins.source` of Hello Work's postings.
pub const SOURCE: &str = yui_search::HELLOWORK;

/// The reason code on the event of a posting ended because a full export lacked its number.
pub const MISSING_FROM_EXPORT: &str = "hellowork_missing";

/// The office a row names. Hello Work gives no email address.
#[derive(Debug, Clone)]
pub struct Office {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
}

/// One row ready to store.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub number: String,
    pub row_hash: String,
    pub content: PostingContent,
    pub office: Office,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub created: i32,
    /// Pending postings changed, and published ones whose change waits for review.
    pub updated: i32,
    pub unchanged: i32,
    pub ended: i32,
    pub quarantined: i32,
}

/// A stored import run.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = hellowork_imports)]
pub struct ImportRun {
    pub id: i32,
    pub file_name: String,
    pub full_export: bool,
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub ended: i32,
    pub quarantined: i32,
    /// JSON array of the rows set aside: `{line, number, reason, detail}`.
    pub quarantine: String,
    pub staff_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// The file's facts, besides its rows.
#[derive(Debug, Clone, Copy)]
pub struct ImportFile<'a> {
    pub file_name: &'a str,
    /// A full export: the postings whose number it lacks end.
    pub full_export: bool,
    /// The day the data was taken from Hello Work.
    pub taken_on: NaiveDate,
    /// The quarantined rows as JSON, and how many.
    pub quarantine: &'a str,
    pub quarantined: i32,
}

/// An employer without an email address: Hello Work gives none. The address is in the
/// reserved `.invalid` domain (RFC 6761), so it can never reach anyone, and Yui queues no mail
/// to it ([`yui_domain::is_deliverable`]); it only keeps the office one row, matched
/// by name and address like the submissions' employers are by email.
pub fn office_placeholder_email(office: &Office) -> String {
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let key = format!("{}\n{}", office.name.trim(), office.address.as_deref().unwrap_or("").trim());
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("office-{hash:016x}@hellowork.invalid")
}

fn employer_for(
    conn: &mut DbConnection,
    office: &Office,
    cache: &mut HashMap<String, i32>,
    now: NaiveDateTime,
) -> DbResult<i32> {
    let email = office_placeholder_email(office);
    if let Some(id) = cache.get(&email) {
        return Ok(*id);
    }
    let employer = crate::employers::upsert_by_email(
        conn,
        &NewEmployer {
            name: &office.name,
            contact_name: None,
            email: &email,
            phone: office.phone.as_deref(),
            address: office.address.as_deref(),
            website: None,
            industry: None,
            organization_id: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    cache.insert(email, employer.id);
    Ok(employer.id)
}

struct Known {
    posting_id: i32,
    row_hash: String,
    status: PostingStatus,
    version: i32,
}

fn known(conn: &mut DbConnection) -> DbResult<HashMap<String, Known>> {
    let rows: Vec<(String, i32, String, String, i32)> = posting_origins::table
        .inner_join(postings::table)
        .filter(posting_origins::source.eq(SOURCE))
        .select((
            posting_origins::external_id,
            posting_origins::posting_id,
            posting_origins::row_hash,
            postings::status,
            postings::version,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(number, posting_id, row_hash, status, version)| {
            // A status Yui does not know would be a bug; treat it as ended, never touched again.
            let status = status.parse().unwrap_or(PostingStatus::Closed);
            (number, Known { posting_id, row_hash, status, version })
        })
        .collect())
}

/// The content as the fields of Yui's own form, which a revision keeps (it is re-read when an
/// editor applies it, like an employer's correction).
fn as_fields(content: &PostingContent) -> Vec<(String, String)> {
    let value = serde_json::to_value(content).unwrap_or_default();
    let mut fields: Vec<(String, String)> = value
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(name, _)| name.as_str() != "valid_through")
        .flat_map(|(name, v)| match v {
            serde_json::Value::String(s) => vec![(name.clone(), s.clone())],
            serde_json::Value::Number(n) => vec![(name.clone(), n.to_string())],
            serde_json::Value::Bool(b) => vec![(name.clone(), if *b { "yes" } else { "no" }.to_owned())],
            // The conditions: one field per code, as the form's checkboxes send them.
            serde_json::Value::Array(items) => {
                items.iter().filter_map(|i| i.as_str()).map(|s| (name.clone(), s.to_owned())).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let last_day = (content.valid_through - chrono::Duration::seconds(1)).date();
    fields.push(("valid_through".into(), last_day.to_string()));
    fields
}

fn log_event(
    conn: &mut DbConnection,
    posting: &Posting,
    action: &'static str,
    diff: Option<&str>,
    now: NaiveDateTime,
) -> DbResult<()> {
    let status = posting.status.code();
    diesel::insert_into(review_events::table)
        .values(NewReviewEvent {
            posting_id: posting.id,
            actor_id: None,
            organization_id: None,
            action,
            from_status: status,
            to_status: status,
            reason_code: None,
            reason_text: None,
            diff,
            created_at: now,
        })
        .execute(conn)?;
    Ok(())
}

/// A published posting's new row: kept as the open revision for the editors, the public
/// content unchanged until one applies it.
fn propose(conn: &mut DbConnection, known: &Known, content: &PostingContent, now: NaiveDateTime) -> DbResult<bool> {
    let current: Posting = postings::table.find(known.posting_id).select(Posting::as_select()).first(conn)?;
    let diff = PostingContent::load(conn, &current)?.diff(content);
    diesel::delete(posting_revisions::table.find(known.posting_id)).execute(conn)?;
    if diff.is_empty() {
        return Ok(false);
    }
    let fields = serde_json::to_string(&as_fields(content)).unwrap_or_default();
    diesel::insert_into(posting_revisions::table)
        .values((
            posting_revisions::posting_id.eq(known.posting_id),
            posting_revisions::fields.eq(&fields),
            posting_revisions::base_version.eq(known.version),
            posting_revisions::created_at.eq(now),
        ))
        .execute(conn)?;
    let diff = serde_json::Value::Object(diff).to_string();
    log_event(conn, &current, "hellowork_revision", Some(&diff), now)?;
    Ok(true)
}

/// Imports the rows of one file (see the module's note on why in one transaction) and stores
/// its report.
///
/// - a new number: a pending posting, logged `hellowork_import`;
/// - the same row as last time: nothing changes but the day the data was taken;
/// - a changed row: a pending posting's content changes (`hellowork_update`, with the diff);
///   a published one gets an open revision (`hellowork_revision`), its public text stays;
///   an ended posting stays ended (a number Hello Work lists again after that is not reopened);
/// - with `full_export`, a posting not yet ended whose number the file lacks is closed, with
///   the reason [`MISSING_FROM_EXPORT`].
pub fn import(
    conn: &mut DbConnection,
    rows: &[ImportRow],
    file: ImportFile<'_>,
    actor: Actor,
    now: NaiveDateTime,
) -> DbResult<ImportRun> {
    crate::transaction(conn, |conn| {
        let mut known = known(conn)?;
        let mut counts = Counts { quarantined: file.quarantined, ..Counts::default() };
        let mut employers_seen = HashMap::new();
        let mut unchanged_ids = Vec::new();
        let mut seen = HashSet::new();
        for row in rows {
            seen.insert(row.number.as_str());
            let Some(existing) = known.remove(&row.number) else {
                let employer_id = employer_for(conn, &row.office, &mut employers_seen, now)?;
                let new = NewPosting {
                    public_id: yui_domain::PublicId::generate().to_string(),
                    employer_id,
                    submission_id: None,
                    content: row.content.clone(),
                    status: PostingStatus::Pending.code(),
                    published_at: None,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                    manage_token_hash: None,
                };
                let posting = crate::postings::insert(conn, &new)?;
                diesel::insert_into(posting_origins::table)
                    .values((
                        posting_origins::posting_id.eq(posting.id),
                        posting_origins::source.eq(SOURCE),
                        posting_origins::external_id.eq(&row.number),
                        posting_origins::taken_on.eq(file.taken_on),
                        posting_origins::row_hash.eq(&row.row_hash),
                    ))
                    .execute(conn)?;
                log_event(conn, &posting, "hellowork_import", None, now)?;
                counts.created += 1;
                continue;
            };
            if existing.row_hash == row.row_hash || existing.status.is_final() {
                unchanged_ids.push(existing.posting_id);
                counts.unchanged += 1;
                continue;
            }
            let changed = match existing.status {
                PostingStatus::Published => propose(conn, &existing, &row.content, now)?,
                _ => {
                    let (_, diff) = crate::postings::update_content(
                        conn,
                        existing.posting_id,
                        existing.version,
                        &row.content,
                        "hellowork_update",
                        Actor::default(),
                        now,
                    )?;
                    !diff.is_empty()
                }
            };
            diesel::update(posting_origins::table.find(existing.posting_id))
                .set((posting_origins::row_hash.eq(&row.row_hash), posting_origins::taken_on.eq(file.taken_on)))
                .execute(conn)?;
            if changed {
                counts.updated += 1;
            } else {
                counts.unchanged += 1;
            }
        }
        for chunk in unchanged_ids.chunks(500) {
            diesel::update(posting_origins::table.filter(posting_origins::posting_id.eq_any(chunk)))
                .set(posting_origins::taken_on.eq(file.taken_on))
                .execute(conn)?;
        }
        if file.full_export {
            let reason = Reason { code: Some(MISSING_FROM_EXPORT), text: None };
            for (_, gone) in
                known.into_iter().filter(|(number, k)| !seen.contains(number.as_str()) && !k.status.is_final())
            {
                let reason = Reason { code: reason.code, text: reason.text };
                crate::postings::apply_action(
                    conn,
                    gone.posting_id,
                    gone.version,
                    PostingAction::Close,
                    Actor::default(),
                    reason,
                    now,
                )?;
                counts.ended += 1;
            }
        }
        diesel::insert_into(hellowork_imports::table)
            .values((
                hellowork_imports::file_name.eq(file.file_name),
                hellowork_imports::full_export.eq(file.full_export),
                hellowork_imports::created.eq(counts.created),
                hellowork_imports::updated.eq(counts.updated),
                hellowork_imports::unchanged.eq(counts.unchanged),
                hellowork_imports::ended.eq(counts.ended),
                hellowork_imports::quarantined.eq(counts.quarantined),
                hellowork_imports::quarantine.eq(file.quarantine),
                hellowork_imports::staff_id.eq(actor.staff_id),
                hellowork_imports::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(hellowork_imports::table.order(hellowork_imports::id.desc()).select(ImportRun::as_select()).first(conn)?)
    })
}

/// The latest import runs, newest first.
pub fn recent_runs(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<ImportRun>> {
    Ok(hellowork_imports::table
        .order(hellowork_imports::id.desc())
        .limit(limit)
        .select(ImportRun::as_select())
        .load(conn)?)
}

/// Where a posting came from, when it was Hello Work: its number and the day the data was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: String,
    pub external_id: String,
    pub taken_on: NaiveDate,
}

pub fn origin_of(conn: &mut DbConnection, posting_id: i32) -> DbResult<Option<Origin>> {
    let row: Option<(String, String, NaiveDate)> = posting_origins::table
        .find(posting_id)
        .select((posting_origins::source, posting_origins::external_id, posting_origins::taken_on))
        .first(conn)
        .optional()?;
    Ok(row.map(|(source, external_id, taken_on)| Origin { source, external_id, taken_on }))
}

/// The origins of several postings at once (a list page's cards).
pub fn sources_of(conn: &mut DbConnection, posting_ids: &[i32]) -> DbResult<HashMap<i32, String>> {
    let rows: Vec<(i32, String)> = posting_origins::table
        .filter(posting_origins::posting_id.eq_any(posting_ids))
        .select((posting_origins::posting_id, posting_origins::source))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The 求人番号 of those of `posting_ids` that are Hello Work's.
pub fn numbers_of(conn: &mut DbConnection, posting_ids: &[i32]) -> DbResult<HashMap<i32, String>> {
    let rows: Vec<(i32, String)> = posting_origins::table
        .filter(posting_origins::posting_id.eq_any(posting_ids))
        .filter(posting_origins::source.eq(SOURCE))
        .select((posting_origins::posting_id, posting_origins::external_id))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// 編集部のひとこと of a posting (Markdown as the editor wrote it).
pub fn note_of(conn: &mut DbConnection, posting_id: i32) -> DbResult<Option<String>> {
    Ok(posting_notes::table.find(posting_id).select(posting_notes::body).first(conn).optional()?)
}

/// Saves the note (an empty one removes it).
pub fn save_note(
    conn: &mut DbConnection,
    posting_id: i32,
    body: &str,
    staff_id: i32,
    now: NaiveDateTime,
) -> DbResult<()> {
    crate::transaction(conn, |conn| {
        diesel::delete(posting_notes::table.find(posting_id)).execute(conn)?;
        if !body.trim().is_empty() {
            diesel::insert_into(posting_notes::table)
                .values((
                    posting_notes::posting_id.eq(posting_id),
                    posting_notes::body.eq(body),
                    posting_notes::updated_at.eq(now),
                    posting_notes::updated_by.eq(staff_id),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
