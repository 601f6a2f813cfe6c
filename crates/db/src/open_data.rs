//! What the bulk open data reads: every posting ever published, a chunk at a time (the export
//! streams them into files), and the public side of articles for the read-only API. Nothing
//! here selects a person's name, address or token for the caller to leak: the employer row is
//! there for its public name and website, as `/api/v1/jobs` shows them.

use crate::articles::Article;
use crate::employers::Employer;
use crate::postings::Posting;
use crate::schema::{articles, employers, postings, review_events};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;
use yui_domain::articles::ArticleStatus;
use yui_domain::PostingStatus;

/// The statuses a posting can have once readers have seen it.
pub const EVER_PUBLISHED: [PostingStatus; 4] =
    [PostingStatus::Published, PostingStatus::Expired, PostingStatus::Closed, PostingStatus::Filled];

/// One exported posting with what the export adds to it.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub posting: Posting,
    pub employer: Employer,
    pub hellowork_number: Option<String>,
    pub conditions: Vec<String>,
    /// A side job's or project's terms, when it states any.
    pub project: Option<yui_domain::ProjectTerms>,
    /// When it left the listing (the last review step into expired, closed or filled).
    pub ended_at: Option<NaiveDateTime>,
}

/// Up to `limit` postings ever published with an id above `after`, in id order: the export
/// reads the table in chunks (keyset paging) so a town's whole history never sits in memory.
pub fn published_ever_after(conn: &mut DbConnection, after: i32, limit: i64) -> DbResult<Vec<ExportRow>> {
    let rows: Vec<(Posting, Employer)> = postings::table
        .inner_join(employers::table)
        .filter(postings::id.gt(after))
        .filter(postings::published_at.is_not_null())
        .filter(postings::status.eq_any(EVER_PUBLISHED.map(|s| s.code())))
        .order(postings::id.asc())
        .limit(limit)
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|(p, _)| p.id).collect();
    let mut numbers = crate::hellowork::numbers_of(conn, &ids)?;
    let mut conditions = crate::postings::conditions_by_posting(conn, &ids)?;
    let mut projects = crate::postings::projects_by_posting(conn, &ids)?;
    let ended: Vec<(i32, Option<NaiveDateTime>)> = review_events::table
        .filter(review_events::posting_id.eq_any(&ids))
        .filter(review_events::to_status.eq_any(["expired", "closed", "filled"]))
        .group_by(review_events::posting_id)
        .select((review_events::posting_id, diesel::dsl::max(review_events::created_at)))
        .load(conn)?;
    let ended: HashMap<i32, NaiveDateTime> = ended.into_iter().filter_map(|(id, at)| Some((id, at?))).collect();
    Ok(rows
        .into_iter()
        .map(|(posting, employer)| {
            let ended_at = match posting.status {
                PostingStatus::Expired | PostingStatus::Closed | PostingStatus::Filled => {
                    // An expiry that left no review line ended when its listing ran out.
                    ended
                        .get(&posting.id)
                        .copied()
                        .or_else(|| (posting.status == PostingStatus::Expired).then_some(posting.valid_through))
                }
                _ => None,
            };
            ExportRow {
                hellowork_number: numbers.remove(&posting.id),
                conditions: conditions.remove(&posting.id).unwrap_or_default(),
                project: projects.remove(&posting.id),
                ended_at,
                employer,
                posting,
            }
        })
        .collect())
}

/// How many postings the export holds (for the operators' line and the tests).
pub fn published_ever_count(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(postings::table
        .filter(postings::published_at.is_not_null())
        .filter(postings::status.eq_any(EVER_PUBLISHED.map(|s| s.code())))
        .count()
        .get_result(conn)?)
}

/// A public article with its sponsor's public name.
pub type PublicArticle = (Article, Option<String>);

/// Published articles readers can open at `now`, newest first, one page of them, and how many
/// there are in all: two queries whatever the page holds (the sponsor comes in the join).
pub fn articles_page(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    offset: i64,
    limit: i64,
) -> DbResult<(Vec<PublicArticle>, i64)> {
    let visible = articles::status
        .eq(ArticleStatus::Published.code())
        .and(articles::published_at.le(now))
        .and(articles::publish_at.is_null().or(articles::publish_at.le(now)));
    let total: i64 = articles::table.filter(visible).count().get_result(conn)?;
    let rows = articles::table
        .left_join(employers::table)
        .filter(visible)
        .order((articles::published_at.desc(), articles::id.desc()))
        .offset(offset)
        .limit(limit)
        .select((Article::as_select(), employers::name.nullable()))
        .load(conn)?;
    Ok((rows, total))
}

/// One article readers can open at `now`, by its slug or, when `key` is a number, its id.
pub fn find_article(conn: &mut DbConnection, key: &str, now: NaiveDateTime) -> DbResult<Option<PublicArticle>> {
    let id = key.parse::<i32>().unwrap_or(0);
    let rows: Vec<PublicArticle> = articles::table
        .left_join(employers::table)
        .filter(articles::status.eq(ArticleStatus::Published.code()))
        .filter(articles::slug.eq(key).or(articles::id.eq(id)))
        .order(articles::id.asc())
        .select((Article::as_select(), employers::name.nullable()))
        .load(conn)?;
    // A slug that reads as a number wins over another article's id.
    let mut public: Vec<PublicArticle> = rows.into_iter().filter(|(a, _)| a.is_public_at(now)).collect();
    public.sort_by_key(|(a, _)| a.slug != key);
    Ok(public.into_iter().next())
}
