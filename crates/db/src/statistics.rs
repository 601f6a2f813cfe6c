//! Statistics that respect privacy: views counted per day and thing (never who viewed), the
//! inquiries and outcomes already stored, a paid feature's report for its sponsor, and the
//! facts of the weekly note to operators.
//!
//! Views arrive in batches from each instance's in-memory counter; every batch adds to the
//! day's row, so several instances (and two flushes of one) sum into one row on both backends.

use crate::outbox::OutboxStatus;
use crate::schema::{
    article_orders, article_postings, articles, daily_views, employer_profiles, employers, inquiries, outbox_emails,
    postings, sponsor_reports, staff_users, staff_weekly_note, succession_listings, weekly_notes,
};
use crate::{DbConnection, DbError, DbResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use yui_domain::{ArticleKind, ArticleStatus, OrderStatus, PostingStatus};

/// `daily_views.kind` of a posting's page.
pub const POSTING: &str = "posting";
/// `daily_views.kind` of an article's page (a feature or a column).
pub const ARTICLE: &str = "article";
/// `daily_views.kind` of an employer's page.
pub const EMPLOYER: &str = "employer";
/// `daily_views.kind` of a click from a feature article to one of its postings (`subject_id`:
/// the article).
pub const CLICK: &str = "click";
/// The kinds that are page views (clicks are not).
pub const PAGE_KINDS: [&str; 3] = [POSTING, ARTICLE, EMPLOYER];

/// What was viewed, as the counter knows it: by the address's key (a posting's public id, a
/// slug), resolved to an id when the batch is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    Posting(String),
    Article(ArticleKind, String),
    Employer(String),
    /// A click from the article with this id to one of its postings.
    Click(i32),
}

fn is_unique_violation(e: &DieselError) -> bool {
    matches!(e, DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
}

fn resolve(conn: &mut DbConnection, subject: &Subject) -> DbResult<Option<(&'static str, i32)>> {
    Ok(match subject {
        Subject::Posting(public_id) => postings::table
            .filter(postings::public_id.eq(public_id))
            .select(postings::id)
            .first::<i32>(conn)
            .optional()?
            .map(|id| (POSTING, id)),
        Subject::Article(kind, slug) => articles::table
            .filter(articles::kind.eq(kind.code()))
            .filter(articles::slug.eq(slug))
            .select(articles::id)
            .first::<i32>(conn)
            .optional()?
            .map(|id| (ARTICLE, id)),
        Subject::Employer(slug) => employer_profiles::table
            .filter(employer_profiles::slug.eq(slug))
            .select(employer_profiles::employer_id)
            .first::<i32>(conn)
            .optional()?
            .map(|id| (EMPLOYER, id)),
        Subject::Click(article_id) => {
            articles::table.find(article_id).select(articles::id).first::<i32>(conn).optional()?.map(|id| (CLICK, id))
        }
    })
}

/// Adds `n` views of `subject` on `day`. `false` when no such thing exists (nothing stored).
/// No transaction: the update and the insert are each atomic, and an insert that loses a race
/// to another instance's becomes an update of the row that instance made.
pub fn add_views(conn: &mut DbConnection, subject: &Subject, day: NaiveDate, n: i64) -> DbResult<bool> {
    let Some((kind, id)) = resolve(conn, subject)? else { return Ok(false) };
    let row = daily_views::table.find((kind, id, day));
    for _ in 0..3 {
        let updated = diesel::update(row).set(daily_views::views.eq(daily_views::views + n)).execute(conn)?;
        if updated == 1 {
            return Ok(true);
        }
        let inserted = diesel::insert_into(daily_views::table)
            .values((
                daily_views::kind.eq(kind),
                daily_views::subject_id.eq(id),
                daily_views::day.eq(day),
                daily_views::views.eq(n),
            ))
            .execute(conn);
        match inserted {
            Ok(_) => return Ok(true),
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(DbError::Conflict("daily_views"))
}

/// Views of `kind` for these subjects (summed over them) per day, from `since` on.
pub fn views_by_day(
    conn: &mut DbConnection,
    kind: &str,
    subject_ids: &[i32],
    since: NaiveDate,
) -> DbResult<Vec<(NaiveDate, i64)>> {
    Ok(daily_views::table
        .filter(daily_views::kind.eq(kind))
        .filter(daily_views::subject_id.eq_any(subject_ids))
        .filter(daily_views::day.ge(since))
        .select((daily_views::day, daily_views::views))
        .load(conn)?)
}

/// Every page view on the site per row of `daily_views` (day, views), from `since` on.
pub fn site_views_by_day(conn: &mut DbConnection, since: NaiveDate) -> DbResult<Vec<(NaiveDate, i64)>> {
    Ok(daily_views::table
        .filter(daily_views::kind.eq_any(PAGE_KINDS))
        .filter(daily_views::day.ge(since))
        .select((daily_views::day, daily_views::views))
        .load(conn)?)
}

/// When each inquiry since `since` arrived: about these postings, or about any (`None`).
pub fn inquiry_times(
    conn: &mut DbConnection,
    posting_ids: Option<&[i32]>,
    since: NaiveDateTime,
) -> DbResult<Vec<NaiveDateTime>> {
    let mut q = inquiries::table.filter(inquiries::created_at.ge(since)).select(inquiries::created_at).into_boxed();
    if let Some(ids) = posting_ids {
        q = q.filter(inquiries::posting_id.eq_any(ids.to_vec()));
    }
    Ok(q.load(conn)?)
}

/// Postings whose employer answered that the hire came through Yui: when each was last changed
/// (its closing or filling, since the answer itself changes nothing else), from `since` on.
pub fn filled_via_yui_times(conn: &mut DbConnection, since: NaiveDateTime) -> DbResult<Vec<NaiveDateTime>> {
    Ok(postings::table
        .filter(postings::hired_via_yui.eq(true))
        .filter(postings::updated_at.ge(since))
        .select(postings::updated_at)
        .load(conn)?)
}

/// When each succession listing matched, from `since` on.
pub fn successions_matched_times(conn: &mut DbConnection, since: NaiveDateTime) -> DbResult<Vec<NaiveDateTime>> {
    Ok(succession_listings::table
        .filter(succession_listings::matched_at.ge(since))
        .select(succession_listings::matched_at.assume_not_null())
        .load(conn)?)
}

/// When each campaign entry came in: those held, and the records of those deleted after the
/// retention period (to the hour). A withdrawn entry is not counted.
pub fn campaign_entry_times(conn: &mut DbConnection, since: NaiveDateTime) -> DbResult<Vec<NaiveDateTime>> {
    use crate::schema::{campaign_entries as e, campaign_entry_records as r};
    let mut times: Vec<NaiveDateTime> = e::table.filter(e::created_at.ge(since)).select(e::created_at).load(conn)?;
    times.extend(r::table.filter(r::entered_at.ge(since)).select(r::entered_at).load::<NaiveDateTime>(conn)?);
    Ok(times)
}

/// When each entry was matched, held or recorded.
pub fn campaign_match_times(conn: &mut DbConnection, since: NaiveDateTime) -> DbResult<Vec<NaiveDateTime>> {
    use crate::schema::{campaign_entries as e, campaign_entry_records as r};
    let mut times: Vec<NaiveDateTime> =
        e::table.filter(e::matched_at.ge(since)).select(e::matched_at.assume_not_null()).load(conn)?;
    times.extend(
        r::table.filter(r::matched_at.ge(since)).select(r::matched_at.assume_not_null()).load::<NaiveDateTime>(conn)?,
    );
    Ok(times)
}

/// A paid feature whose report is due, with where to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReport {
    pub article_id: i32,
    pub title: String,
    pub sponsor_name: String,
    pub sponsor_email: String,
}

const PAID: [OrderStatus; 3] = [OrderStatus::Ordered, OrderStatus::Invoiced, OrderStatus::Paid];

/// Features with a live order (ordered, invoiced or paid), published at or before
/// `published_before`, whose report was not made yet.
pub fn reports_due(conn: &mut DbConnection, published_before: NaiveDateTime) -> DbResult<Vec<DueReport>> {
    let made = sponsor_reports::table.select(sponsor_reports::article_id);
    let rows: Vec<(i32, String, String, String)> = articles::table
        .inner_join(article_orders::table.on(article_orders::article_id.eq(articles::id.nullable())))
        .inner_join(employers::table.on(employers::id.eq(article_orders::employer_id)))
        .filter(articles::kind.eq(ArticleKind::Feature.code()))
        .filter(articles::status.eq_any([ArticleStatus::Published.code(), ArticleStatus::Archived.code()]))
        .filter(articles::published_at.le(published_before))
        .filter(article_orders::status.eq_any(PAID.map(|s| s.code())))
        .filter(articles::id.ne_all(made))
        .select((articles::id, articles::title, employers::name, employers::email))
        .order(articles::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(article_id, title, sponsor_name, sponsor_email)| DueReport {
            article_id,
            title,
            sponsor_name,
            sponsor_email,
        })
        .collect())
}

/// Claims the report of `article_id` with its link's token hash. `DbError::Exists` when another
/// pass (this instance's or another's) made it first: call it inside the transaction that queues
/// its mail, which that error rolls back.
pub fn claim_report(conn: &mut DbConnection, article_id: i32, token_hash: &str, now: NaiveDateTime) -> DbResult<()> {
    let inserted = diesel::insert_into(sponsor_reports::table)
        .values((
            sponsor_reports::article_id.eq(article_id),
            sponsor_reports::token_hash.eq(token_hash),
            sponsor_reports::created_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(DbError::Exists(format!("the report of article {article_id}"))),
        Err(e) => Err(e.into()),
    }
}

/// The feature a report link opens: (article id, title, published at).
pub fn report_by_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> DbResult<Option<(i32, String, Option<NaiveDateTime>)>> {
    Ok(sponsor_reports::table
        .inner_join(articles::table)
        .filter(sponsor_reports::token_hash.eq(token_hash))
        .select((articles::id, articles::title, articles::published_at))
        .first(conn)
        .optional()?)
}

/// The postings a feature links to.
pub fn linked_posting_ids(conn: &mut DbConnection, article_id: i32) -> DbResult<Vec<i32>> {
    Ok(article_postings::table
        .filter(article_postings::article_id.eq(article_id))
        .select(article_postings::posting_id)
        .load(conn)?)
}

/// Whether a staff member asked for the weekly note.
pub fn wants_weekly_note(conn: &mut DbConnection, staff_id: i32) -> DbResult<bool> {
    let n: i64 = staff_weekly_note::table.find(staff_id).count().get_result(conn)?;
    Ok(n > 0)
}

/// Asks for the weekly note (`on`) or stops it.
pub fn set_weekly_note(conn: &mut DbConnection, staff_id: i32, on: bool) -> DbResult<()> {
    crate::transaction(conn, |conn| {
        diesel::delete(staff_weekly_note::table.find(staff_id)).execute(conn)?;
        if on {
            diesel::insert_into(staff_weekly_note::table)
                .values(staff_weekly_note::staff_id.eq(staff_id))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// The addresses of active staff members who asked for the weekly note.
pub fn weekly_note_recipients(conn: &mut DbConnection) -> DbResult<Vec<String>> {
    Ok(staff_weekly_note::table
        .inner_join(staff_users::table)
        .filter(staff_users::active.eq(true))
        .select(staff_users::email)
        .order(staff_users::email)
        .load(conn)?)
}

/// Claims the note of the week starting on `week` (a Monday). `DbError::Exists` when it was made
/// already: call it inside the transaction that queues the note, which that error rolls back.
pub fn claim_week(conn: &mut DbConnection, week: NaiveDate, recipients: i32, now: NaiveDateTime) -> DbResult<()> {
    let inserted = diesel::insert_into(weekly_notes::table)
        .values((
            weekly_notes::week.eq(week),
            weekly_notes::created_at.eq(now),
            weekly_notes::recipients.eq(recipients),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(DbError::Exists(format!("the weekly note of {week}"))),
        Err(e) => Err(e.into()),
    }
}

/// Whether the note of the week starting on `week` was made.
pub fn week_claimed(conn: &mut DbConnection, week: NaiveDate) -> DbResult<bool> {
    let n: i64 = weekly_notes::table.find(week).count().get_result(conn)?;
    Ok(n > 0)
}

/// A posting named in the weekly note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotedPosting {
    pub public_id: String,
    pub title: String,
    /// When it came in (pending) or when it ends (ending soon).
    pub at: NaiveDateTime,
}

/// What the weekly note reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFacts {
    /// When each posting since the start of the compared weeks came in.
    pub created: Vec<NaiveDateTime>,
    pub oldest_pending: Option<NotedPosting>,
    pub ending_soon: Vec<NotedPosting>,
    /// Mails given up on.
    pub mails_failed: i64,
    /// Mails that failed at least once and wait for another attempt.
    pub mails_retrying: i64,
}

/// The facts of the note: postings created since `since`, the oldest pending review, published
/// postings ending between `now` and `ending_before`, and the outbox's failures.
pub fn note_facts(
    conn: &mut DbConnection,
    since: NaiveDateTime,
    now: NaiveDateTime,
    ending_before: NaiveDateTime,
) -> DbResult<NoteFacts> {
    let created = postings::table.filter(postings::created_at.ge(since)).select(postings::created_at).load(conn)?;
    let oldest_pending = postings::table
        .filter(postings::status.eq(PostingStatus::Pending.code()))
        .order((postings::created_at, postings::id))
        .select((postings::public_id, postings::title, postings::created_at))
        .first::<(String, String, NaiveDateTime)>(conn)
        .optional()?
        .map(|(public_id, title, at)| NotedPosting { public_id, title, at });
    let ending_soon = postings::table
        .filter(postings::status.eq(PostingStatus::Published.code()))
        .filter(postings::valid_through.gt(now))
        .filter(postings::valid_through.le(ending_before))
        .order((postings::valid_through, postings::id))
        .select((postings::public_id, postings::title, postings::valid_through))
        .load::<(String, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(public_id, title, at)| NotedPosting { public_id, title, at })
        .collect();
    let mails_failed =
        outbox_emails::table.filter(outbox_emails::status.eq(OutboxStatus::Failed.code())).count().get_result(conn)?;
    let mails_retrying = outbox_emails::table
        .filter(outbox_emails::status.eq(OutboxStatus::Pending.code()))
        .filter(outbox_emails::attempts.gt(0))
        .count()
        .get_result(conn)?;
    Ok(NoteFacts { created, oldest_pending, ending_soon, mails_failed, mails_retrying })
}

/// The columns of `daily_views`, as the database has them (tests prove nothing else is kept).
#[cfg(feature = "testing")]
pub fn daily_views_columns(conn: &mut DbConnection) -> DbResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let sql = match conn {
        DbConnection::Sqlite(_) => "SELECT name FROM pragma_table_info('daily_views') ORDER BY cid",
        DbConnection::Postgres(_) => {
            "SELECT CAST(column_name AS TEXT) AS name FROM information_schema.columns \
             WHERE table_name = 'daily_views' ORDER BY ordinal_position"
        }
    };
    Ok(diesel::sql_query(sql).load::<Column>(conn)?.into_iter().map(|c| c.name).collect())
}

/// Every row of `daily_views` of `kind`: (subject id, day, views).
#[cfg(feature = "testing")]
pub fn rows(conn: &mut DbConnection, kind: &str) -> DbResult<Vec<(i32, NaiveDate, i64)>> {
    Ok(daily_views::table
        .filter(daily_views::kind.eq(kind))
        .select((daily_views::subject_id, daily_views::day, daily_views::views))
        .order((daily_views::subject_id, daily_views::day))
        .load(conn)?)
}
