//! Feature articles and columns: drafting, the editorial steps (with the paid-order rule for
//! features), and what readers may see. Every step and every edit appends an editorial log
//! line in the transaction that makes it.
//!
//! A refused step is not a database failure: the functions that take steps return
//! `DbResult<Outcome<T>>`, and the refusal says why, so the page can tell the person.

use crate::editorial_log::{self, Step, Subject};
use crate::employers::Employer;
use crate::postings::{Actor, Posting};
use crate::schema::{article_postings, articles, employers, postings, staff_users};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use yui_domain::articles::{
    article_step, may_edit_article, ArticleAction, ArticleKind, ArticleStatus, ArticleStepError,
};
use yui_domain::{PostingStatus, StaffRole};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = articles)]
pub struct Article {
    pub id: i32,
    #[diesel(deserialize_as = String)]
    pub kind: ArticleKind,
    pub slug: String,
    pub title: String,
    pub lede: String,
    pub body_markdown: String,
    pub hero_image: Option<String>,
    pub hero_alt: Option<String>,
    pub sponsor_employer_id: Option<i32>,
    pub author_id: i32,
    pub writer_credit: Option<String>,
    pub photographer_credit: Option<String>,
    pub editor_credit: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: ArticleStatus,
    pub approved_by: Option<i32>,
    pub publish_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    /// Under the hero image: what it shows, where, when.
    pub hero_caption: Option<String>,
    /// The people the story is about, one per line (「山田 花子（定置網漁 船長）」).
    pub interviewees: Option<String>,
}

impl Article {
    /// When readers first saw (or will see) it: the later of the approval and the scheduled time.
    pub fn shown_from(&self) -> Option<NaiveDateTime> {
        match (self.published_at, self.publish_at) {
            (Some(p), Some(s)) => Some(p.max(s)),
            (p, s) => p.or(s),
        }
    }

    pub fn is_public_at(&self, now: NaiveDateTime) -> bool {
        self.status.is_public()
            && self.published_at.is_some_and(|p| p <= now)
            && self.publish_at.is_none_or(|s| s <= now)
    }
}

/// What a writer or an editor types: everything but the status and the hero image.
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset)]
#[diesel(table_name = articles, treat_none_as_null = true)]
pub struct ArticleContent {
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub lede: String,
    pub body_markdown: String,
    pub hero_alt: Option<String>,
    pub sponsor_employer_id: Option<i32>,
    pub writer_credit: Option<String>,
    pub photographer_credit: Option<String>,
    pub editor_credit: Option<String>,
    pub publish_at: Option<NaiveDateTime>,
    pub hero_caption: Option<String>,
    pub interviewees: Option<String>,
}

/// Why a step or an edit was not taken. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Step(ArticleStepError),
    /// The role or the status does not allow changing the text.
    MayNotEdit,
    /// A feature is approved only once its order is placed.
    NoOrder,
    SlugTaken,
    /// Someone changed the article since the person opened it.
    Stale,
}

pub type Outcome<T> = Result<T, Refused>;

/// Who acts: the staff member, their organization and role.
#[derive(Debug, Clone, Copy)]
pub struct Editor {
    pub staff_id: i32,
    pub organization_id: i32,
    pub role: StaffRole,
}

impl Editor {
    fn actor(self) -> Actor {
        Actor { staff_id: Some(self.staff_id), organization_id: Some(self.organization_id) }
    }
}

pub fn find(conn: &mut DbConnection, id: i32) -> DbResult<Option<Article>> {
    Ok(articles::table.find(id).select(Article::as_select()).first(conn).optional()?)
}

fn slug_taken(conn: &mut DbConnection, slug: &str, except: Option<i32>) -> DbResult<bool> {
    let mut q = articles::table.filter(articles::slug.eq(slug)).into_boxed();
    if let Some(id) = except {
        q = q.filter(articles::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _))
}

fn set_postings(conn: &mut DbConnection, article_id: i32, posting_ids: &[i32]) -> DbResult<()> {
    diesel::delete(article_postings::table.filter(article_postings::article_id.eq(article_id))).execute(conn)?;
    let mut ids = posting_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for posting_id in ids {
        diesel::insert_into(article_postings::table)
            .values((article_postings::article_id.eq(article_id), article_postings::posting_id.eq(posting_id)))
            .execute(conn)?;
    }
    Ok(())
}

/// A new draft by `author`, with its linked postings (features only; ignored for columns).
pub fn create(
    conn: &mut DbConnection,
    content: &ArticleContent,
    posting_ids: &[i32],
    author: Editor,
    now: NaiveDateTime,
) -> DbResult<Outcome<Article>> {
    crate::transaction(conn, |conn| {
        if slug_taken(conn, &content.slug, None)? {
            return Ok(Err(Refused::SlugTaken));
        }
        let inserted = diesel::insert_into(articles::table)
            .values((
                content,
                articles::author_id.eq(author.staff_id),
                articles::status.eq(ArticleStatus::Draft.code()),
                articles::created_at.eq(now),
                articles::updated_at.eq(now),
                articles::version.eq(1),
            ))
            .execute(conn);
        match inserted {
            Err(e) if is_unique_violation(&e) => return Ok(Err(Refused::SlugTaken)),
            other => other?,
        };
        let article: Article =
            articles::table.filter(articles::slug.eq(&content.slug)).select(Article::as_select()).first(conn)?;
        if article.kind == ArticleKind::Feature {
            set_postings(conn, article.id, posting_ids)?;
        }
        let draft = ArticleStatus::Draft.code();
        let step = Step { action: "create", from: draft, to: draft, note: None };
        editorial_log::append(conn, Subject::Article(article.id), step, author.actor(), now)?;
        Ok(Ok(article))
    })
}

/// The article as it is, if `editor` may change it and nobody did since `expected_version`.
fn editable(conn: &mut DbConnection, id: i32, expected_version: i32, editor: Editor) -> DbResult<Outcome<Article>> {
    let current: Article = articles::table.find(id).select(Article::as_select()).first(conn)?;
    if current.version != expected_version {
        return Ok(Err(Refused::Stale));
    }
    if !may_edit_article(current.status, editor.role, editor.staff_id, current.author_id) {
        return Ok(Err(Refused::MayNotEdit));
    }
    Ok(Ok(current))
}

/// Replaces the text of an article if `editor` may edit it and nobody changed it since
/// `expected_version`; appends an "edit" line.
pub fn update(
    conn: &mut DbConnection,
    id: i32,
    expected_version: i32,
    content: &ArticleContent,
    posting_ids: &[i32],
    editor: Editor,
    now: NaiveDateTime,
) -> DbResult<Outcome<Article>> {
    crate::transaction(conn, |conn| {
        let current = match editable(conn, id, expected_version, editor)? {
            Ok(a) => a,
            Err(refused) => return Ok(Err(refused)),
        };
        if slug_taken(conn, &content.slug, Some(id))? {
            return Ok(Err(Refused::SlugTaken));
        }
        let changed = diesel::update(articles::table.find(id).filter(articles::version.eq(expected_version)))
            .set((content, articles::updated_at.eq(now), articles::version.eq(expected_version + 1)))
            .execute(conn);
        match changed {
            Err(e) if is_unique_violation(&e) => return Ok(Err(Refused::SlugTaken)),
            Ok(0) => return Ok(Err(Refused::Stale)),
            other => other?,
        };
        let kind: ArticleKind = content.kind.parse().unwrap_or(current.kind);
        set_postings(conn, id, if kind == ArticleKind::Feature { posting_ids } else { &[] })?;
        let status = current.status.code();
        let step = Step { action: "edit", from: status, to: status, note: None };
        editorial_log::append(conn, Subject::Article(id), step, editor.actor(), now)?;
        Ok(Ok(articles::table.find(id).select(Article::as_select()).first(conn)?))
    })
}

/// Sets the hero image file name (chosen by Yui) under the same rules as an edit.
pub fn set_hero_image(
    conn: &mut DbConnection,
    id: i32,
    expected_version: i32,
    file_name: &str,
    editor: Editor,
    now: NaiveDateTime,
) -> DbResult<Outcome<Article>> {
    crate::transaction(conn, |conn| {
        let current = match editable(conn, id, expected_version, editor)? {
            Ok(a) => a,
            Err(refused) => return Ok(Err(refused)),
        };
        let changed = diesel::update(articles::table.find(id).filter(articles::version.eq(expected_version)))
            .set((
                articles::hero_image.eq(file_name),
                articles::updated_at.eq(now),
                articles::version.eq(expected_version + 1),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Ok(Err(Refused::Stale));
        }
        let status = current.status.code();
        let step = Step { action: "hero_image", from: status, to: status, note: None };
        editorial_log::append(conn, Subject::Article(id), step, editor.actor(), now)?;
        Ok(Ok(articles::table.find(id).select(Article::as_select()).first(conn)?))
    })
}

/// Takes an editorial step (submit, send back, approve, archive, restore) if the rules allow
/// it and nobody changed the article since `expected_version`. Approving a feature needs a
/// placed order when `require_order` is set. Approval with a `publish_at` ahead publishes the
/// article from then on.
#[allow(clippy::too_many_arguments)]
pub fn step(
    conn: &mut DbConnection,
    id: i32,
    expected_version: i32,
    action: ArticleAction,
    editor: Editor,
    note: Option<&str>,
    require_order: bool,
    now: NaiveDateTime,
) -> DbResult<Outcome<Article>> {
    crate::transaction(conn, |conn| {
        let current: Article = articles::table.find(id).select(Article::as_select()).first(conn)?;
        if current.version != expected_version {
            return Ok(Err(Refused::Stale));
        }
        let to = match article_step(current.status, action, editor.role, editor.staff_id, current.author_id) {
            Ok(to) => to,
            Err(e) => return Ok(Err(Refused::Step(e))),
        };
        if action == ArticleAction::Approve
            && current.kind == ArticleKind::Feature
            && require_order
            && !crate::orders::publication_allowed(conn, id)?
        {
            return Ok(Err(Refused::NoOrder));
        }
        let (approved_by, published_at) = match action {
            ArticleAction::Approve => {
                (Some(editor.staff_id), Some(current.publish_at.filter(|at| *at > now).unwrap_or(now)))
            }
            ArticleAction::Restore => (current.approved_by, Some(current.published_at.unwrap_or(now))),
            _ => (current.approved_by, current.published_at),
        };
        let changed = diesel::update(articles::table.find(id).filter(articles::version.eq(expected_version)))
            .set((
                articles::status.eq(to.code()),
                articles::approved_by.eq(approved_by),
                articles::published_at.eq(published_at),
                articles::updated_at.eq(now),
                articles::version.eq(expected_version + 1),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Ok(Err(Refused::Stale));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let step = Step { action: action.code(), from: current.status.code(), to: to.code(), note };
        editorial_log::append(conn, Subject::Article(id), step, editor.actor(), now)?;
        Ok(Ok(articles::table.find(id).select(Article::as_select()).first(conn)?))
    })
}

/// A row of the staff list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub article: Article,
    pub author_name: String,
}

/// Articles for the staff list, most recently changed first.
pub fn list(
    conn: &mut DbConnection,
    kind: Option<ArticleKind>,
    status: Option<ArticleStatus>,
    limit: i64,
) -> DbResult<Vec<Listed>> {
    let mut q = articles::table.inner_join(staff_users::table.on(staff_users::id.eq(articles::author_id))).into_boxed();
    if let Some(kind) = kind {
        q = q.filter(articles::kind.eq(kind.code()));
    }
    if let Some(status) = status {
        q = q.filter(articles::status.eq(status.code()));
    }
    let rows: Vec<(Article, String)> = q
        .order((articles::updated_at.desc(), articles::id.desc()))
        .limit(limit)
        .select((Article::as_select(), staff_users::display_name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(article, author_name)| Listed { article, author_name }).collect())
}

/// The postings an article links to, in the order of their ids.
pub fn linked_postings(conn: &mut DbConnection, article_id: i32) -> DbResult<Vec<Posting>> {
    Ok(article_postings::table
        .inner_join(postings::table)
        .filter(article_postings::article_id.eq(article_id))
        .order(postings::id.asc())
        .select(Posting::as_select())
        .load(conn)?)
}

/// Internal ids of the postings with these public ids; the public ids not found come second.
pub fn resolve_postings(conn: &mut DbConnection, public_ids: &[String]) -> DbResult<(Vec<i32>, Vec<String>)> {
    let found: Vec<(i32, String)> = postings::table
        .filter(postings::public_id.eq_any(public_ids))
        .select((postings::id, postings::public_id))
        .load(conn)?;
    let missing = public_ids.iter().filter(|p| !found.iter().any(|(_, f)| f == *p)).cloned().collect();
    Ok((found.into_iter().map(|(id, _)| id).collect(), missing))
}

/// Employers a feature can be sponsored by, by name.
pub fn sponsor_choices(conn: &mut DbConnection) -> DbResult<Vec<(i32, String)>> {
    Ok(employers::table
        .order((employers::name.asc(), employers::id.asc()))
        .select((employers::id, employers::name))
        .load(conn)?)
}

/// Postings to pick from when linking a feature: the newest public ones.
pub fn posting_choices(conn: &mut DbConnection, now: NaiveDateTime, limit: i64) -> DbResult<Vec<(Posting, Employer)>> {
    Ok(postings::table
        .inner_join(employers::table)
        .filter(postings::status.eq(PostingStatus::Published.code()))
        .filter(postings::valid_through.gt(now))
        .order((postings::published_at.desc(), postings::id.desc()))
        .limit(limit)
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?)
}

fn sponsor(conn: &mut DbConnection, a: &Article) -> DbResult<Option<Employer>> {
    match a.sponsor_employer_id {
        Some(id) => Ok(employers::table.find(id).select(Employer::as_select()).first(conn).optional()?),
        None => Ok(None),
    }
}

/// The public articles among `rows`, each with its sponsor.
fn public_with_sponsors(
    conn: &mut DbConnection,
    rows: Vec<Article>,
    now: NaiveDateTime,
) -> DbResult<Vec<(Article, Option<Employer>)>> {
    let mut out = Vec::with_capacity(rows.len());
    for a in rows.into_iter().filter(|a| a.is_public_at(now)) {
        let s = sponsor(conn, &a)?;
        out.push((a, s));
    }
    Ok(out)
}

/// Published articles whose time has come, newest first: of one kind, or (`None`) both.
pub fn public_list(
    conn: &mut DbConnection,
    kind: Option<ArticleKind>,
    now: NaiveDateTime,
    limit: i64,
) -> DbResult<Vec<(Article, Option<Employer>)>> {
    let mut q = articles::table
        .filter(articles::status.eq(ArticleStatus::Published.code()))
        .filter(articles::published_at.le(now))
        .filter(articles::publish_at.is_null().or(articles::publish_at.le(now)))
        .into_boxed();
    if let Some(kind) = kind {
        q = q.filter(articles::kind.eq(kind.code()));
    }
    let rows = q
        .order((articles::published_at.desc(), articles::id.desc()))
        .limit(limit)
        .select(Article::as_select())
        .load(conn)?;
    public_with_sponsors(conn, rows, now)
}

/// One public article of `kind` by its slug, with its sponsor.
pub fn find_public(
    conn: &mut DbConnection,
    kind: ArticleKind,
    slug: &str,
    now: NaiveDateTime,
) -> DbResult<Option<(Article, Option<Employer>)>> {
    let row: Option<Article> = articles::table
        .filter(articles::kind.eq(kind.code()))
        .filter(articles::slug.eq(slug))
        .select(Article::as_select())
        .first(conn)
        .optional()?;
    Ok(public_with_sponsors(conn, row.into_iter().collect(), now)?.pop())
}

/// The public features that link to a posting, newest first.
pub fn public_about_posting(conn: &mut DbConnection, posting_id: i32, now: NaiveDateTime) -> DbResult<Vec<Article>> {
    let rows: Vec<Article> = article_postings::table
        .inner_join(articles::table)
        .filter(article_postings::posting_id.eq(posting_id))
        .filter(articles::status.eq(ArticleStatus::Published.code()))
        .order((articles::published_at.desc(), articles::id.desc()))
        .select(Article::as_select())
        .load(conn)?;
    Ok(rows.into_iter().filter(|a| a.is_public_at(now)).collect())
}

/// Kind, slug and last change of every public article, newest first (for the sitemap).
pub fn public_paths(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> DbResult<Vec<(ArticleKind, String, NaiveDateTime)>> {
    let rows: Vec<Article> = articles::table
        .filter(articles::status.eq(ArticleStatus::Published.code()))
        .filter(articles::published_at.le(now))
        .filter(articles::publish_at.is_null().or(articles::publish_at.le(now)))
        .order((articles::published_at.desc(), articles::id.desc()))
        .limit(limit)
        .select(Article::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let changed = a.updated_at.max(a.shown_from().unwrap_or(a.updated_at));
            (a.kind, a.slug, changed)
        })
        .collect())
}
