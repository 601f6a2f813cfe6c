//! Japanese full-text search and the portal's filters: the one place where SQL differs by
//! backend. Tokens come from [`yui_domain::search`]; SQLite keeps them in an FTS5 table
//! (`posting_search`, rowid = posting id, columns `title` and `body`), PostgreSQL in a
//! `tsvector` column with a GIN index (title tokens weighted A). Both get exactly the same
//! tokens, so both find the same postings.
//!
//! The index is kept in step with `postings` by [`index_posting`], which
//! [`crate::postings::insert`] and [`crate::postings::update_content`] call on the caller's
//! connection (so inside the caller's transaction). [`reindex_missing`] runs after the
//! migrations in [`crate::migrate::run_pending`], so rows written before the index existed
//! (or by tools that bypass `postings::insert`) become searchable at the next start.

use crate::employers::Employer;
use crate::postings::{Page, Posting};
use crate::schema::{employers, postings};
use crate::search_index::{quote_lexeme, MAX_TOKEN_BYTES};
use crate::{DbConnection, DbResult};
use chrono::NaiveDateTime;
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Integer, Text};
use std::collections::HashMap;
use yui_domain::search::{needs_scan, query_terms, scan_variants};
use yui_domain::{Condition, EmploymentType, PostingStatus, RemoteMode};

#[cfg(feature = "testing")]
pub use crate::search_index::reindex_all;
pub use crate::search_index::{index_posting, reindex_missing};

pub use yui_search::{Facets, JobSource, JobsFilter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Type,
    Category,
    Area,
    Remote,
    Conditions,
}

/// The text part of a filter, ready for the backend at hand.
struct TextQuery {
    /// An FTS5 MATCH expression or a tsquery literal, when some term is in the index.
    indexed: Option<String>,
    /// One-character terms, each with its spellings: matched by scanning title and description.
    scan: Vec<Vec<String>>,
    /// True when the text had no usable term at all: then nothing matches.
    nothing: bool,
}

fn is_sqlite(conn: &DbConnection) -> bool {
    matches!(conn, DbConnection::Sqlite(_))
}

fn text_query(conn: &DbConnection, q: Option<&str>) -> Option<TextQuery> {
    let q = q.map(str::trim).filter(|q| !q.is_empty())?;
    let terms = query_terms(q);
    let (scan, indexed): (Vec<String>, Vec<String>) = terms.into_iter().partition(|t| needs_scan(t));
    let indexed: Vec<String> = indexed.into_iter().filter(|t| t.len() <= MAX_TOKEN_BYTES).collect();
    let nothing = indexed.is_empty() && scan.is_empty();
    let indexed = (!indexed.is_empty()).then(|| {
        if is_sqlite(conn) {
            indexed.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ")
        } else {
            indexed.iter().map(|t| quote_lexeme(t)).collect::<Vec<_>>().join(" & ")
        }
    });
    Some(TextQuery { indexed, scan: scan.iter().map(|t| scan_variants(t)).collect(), nothing })
}

/// Public postings matching `filter`, leaving out the facet `skip`.
macro_rules! filtered {
    ($conn:expr, $now:expr, $filter:expr, $text:expr, $skip:expr) => {
        filtered!(
            $conn,
            $now,
            $filter,
            $text,
            $skip,
            postings::table.inner_join(employers::table).into_boxed::<crate::conn::MultiBackend>()
        )
    };
    ($conn:expr, $now:expr, $filter:expr, $text:expr, $skip:expr, $boxed:expr) => {{
        let (filter, text, skip): (&JobsFilter, &Option<TextQuery>, &[Facet]) = ($filter, $text, $skip);
        let sqlite = is_sqlite($conn);
        let mut q = $boxed
            .filter(postings::status.eq(PostingStatus::Published.code()))
            .filter(postings::valid_through.gt($now));
        if let Some(t) = filter.employment_type.filter(|_| !skip.contains(&Facet::Type)) {
            q = q.filter(postings::employment_type.eq(t.code()));
        }
        if let Some(c) = filter.category.clone().filter(|_| !skip.contains(&Facet::Category)) {
            q = q.filter(postings::category.eq(c));
        }
        if let Some(a) = filter.area.clone().filter(|_| !skip.contains(&Facet::Area)) {
            q = q.filter(postings::area.eq(a));
        }
        if let Some(r) = filter.remote.filter(|_| !skip.contains(&Facet::Remote)) {
            q = q.filter(postings::remote.eq(r.code()));
        }
        for c in filter.conditions.iter().filter(|_| !skip.contains(&Facet::Conditions)) {
            use crate::schema::posting_conditions;
            let offering = posting_conditions::table
                .filter(posting_conditions::code.eq(c.code()))
                .select(posting_conditions::posting_id);
            q = q.filter(postings::id.eq_any(offering));
        }
        if !filter.project.is_empty() {
            // Read first: a boxed subquery does not compile through the two-backend connection.
            q = q.filter(postings::id.eq_any(crate::postings::stating(&mut *$conn, &filter.project)?));
        }
        if let Some(source) = filter.source {
            use crate::schema::posting_origins;
            let hellowork = posting_origins::table
                .filter(posting_origins::source.eq(crate::hellowork::SOURCE))
                .select(posting_origins::posting_id);
            q = match source {
                JobSource::HelloWork => q.filter(postings::id.eq_any(hellowork)),
                JobSource::Yui => q.filter(postings::id.ne_all(hellowork)),
            };
        }
        if let Some(m) = filter.salary_min_monthly {
            let per = |unit: &'static str, threshold: i64| {
                postings::salary_unit.eq(unit).and(
                    postings::salary_max
                        .ge(threshold)
                        .or(postings::salary_max.is_null().and(postings::salary_min.ge(threshold))),
                )
            };
            let ceil = |n: i64, d: i64| (n + d - 1) / d;
            q = q.filter(
                per("hour", ceil(m, 160))
                    .or(per("day", ceil(m, 20)))
                    .or(per("month", m))
                    .or(per("year", m.saturating_mul(12))),
            );
        }
        if let Some(text) = text {
            if text.nothing {
                q = q.filter(postings::id.lt(0));
            }
            if let Some(expr) = &text.indexed {
                let head = if sqlite {
                    "postings.id IN (SELECT rowid FROM posting_search WHERE posting_search MATCH "
                } else {
                    "postings.id IN (SELECT posting_id FROM posting_search WHERE tokens @@ CAST("
                };
                let tail = if sqlite { ")" } else { " AS tsquery))" };
                q = q.filter(sql::<Bool>(head).bind::<Text, _>(expr.clone()).sql(tail));
            }
            for variants in &text.scan {
                let pattern = |v: &String| format!("%{v}%");
                let first = pattern(&variants[0]);
                match variants.get(1) {
                    None => q = q.filter(postings::title.like(first.clone()).or(postings::description.like(first))),
                    Some(second) => {
                        let second = pattern(second);
                        q = q.filter(
                            postings::title
                                .like(first.clone())
                                .or(postings::description.like(first))
                                .or(postings::title.like(second.clone()))
                                .or(postings::description.like(second)),
                        )
                    }
                }
            }
        }
        q
    }};
}

/// One page of public postings for `filter`: by relevance when the query has indexed terms
/// (title matches weigh more), newest published first otherwise.
pub fn jobs(conn: &mut DbConnection, now: NaiveDateTime, filter: &JobsFilter) -> DbResult<Page> {
    let text = text_query(conn, filter.q.as_deref());
    if let Some(expr) = text.as_ref().and_then(|t| t.indexed.clone()) {
        let matched = Matched::load(conn, now, filter, &text, &expr)?;
        return matched.page(conn, filter);
    }
    newest_page(conn, now, filter, &text)
}

/// Counts per employment type, category, area and remote mode for `filter`, each with its own
/// facet left out. Types and remote modes come in their `ALL` order (zeros included).
pub fn facets(conn: &mut DbConnection, now: NaiveDateTime, filter: &JobsFilter) -> DbResult<Facets> {
    let text = text_query(conn, filter.q.as_deref());
    if let Some(expr) = text.as_ref().and_then(|t| t.indexed.clone()) {
        return Ok(Matched::load(conn, now, filter, &text, &expr)?.facets(filter));
    }
    grouped_facets(conn, now, filter, &text)
}

/// [`jobs`] and [`facets`] together, as `/jobs` shows them. A text search reads the index once
/// for both (the page and every facet come from the same matches); without text both use the
/// listing indexes.
pub fn jobs_and_facets(conn: &mut DbConnection, now: NaiveDateTime, filter: &JobsFilter) -> DbResult<(Page, Facets)> {
    let text = text_query(conn, filter.q.as_deref());
    if let Some(expr) = text.as_ref().and_then(|t| t.indexed.clone()) {
        let matched = Matched::load(conn, now, filter, &text, &expr)?;
        let facets = matched.facets(filter);
        return Ok((matched.page(conn, filter)?, facets));
    }
    Ok((newest_page(conn, now, filter, &text)?, grouped_facets(conn, now, filter, &text)?))
}

/// Public postings matching `filter` (the same rules as [`jobs`], text included) published
/// after `after` and, with `before`, before it; `exclude` left out. Oldest first, at most
/// `limit`: what a saved search's alert or the weekly digest adds.
pub fn published_between(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    filter: &JobsFilter,
    after: NaiveDateTime,
    before: Option<NaiveDateTime>,
    exclude: &[i32],
    limit: i64,
) -> DbResult<Vec<(Posting, Employer)>> {
    let text = text_query(conn, filter.q.as_deref());
    let mut q = filtered!(conn, now, filter, &text, &[]).filter(postings::published_at.gt(after));
    if let Some(before) = before {
        q = q.filter(postings::published_at.lt(before));
    }
    if !exclude.is_empty() {
        q = q.filter(postings::id.ne_all(exclude.to_vec()));
    }
    Ok(q.order((postings::published_at.asc(), postings::id.asc()))
        .limit(limit)
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?)
}

fn newest_page(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    filter: &JobsFilter,
    text: &Option<TextQuery>,
) -> DbResult<Page> {
    // Counted without the employer join: every posting has its employer.
    let total = filtered!(conn, now, filter, text, &[], postings::table.into_boxed::<crate::conn::MultiBackend>())
        .count()
        .get_result(conn)?;
    let items = filtered!(conn, now, filter, text, &[])
        .order((postings::published_at.desc(), postings::id.desc()))
        .limit(i64::from(filter.per_page))
        .offset(filter.page.offset(filter.per_page))
        .select((Posting::as_select(), Employer::as_select()))
        .load(conn)?;
    Ok(Page { items, total })
}

#[derive(QueryableByName)]
struct Scored {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Double)]
    score: f64,
}

/// Every posting matching the indexed terms with its score, lower is better: FTS5's bm25
/// (title weighs 4×) or PostgreSQL's ts_rank negated (title tokens weigh A). Computed in one
/// pass over the index, not once per row.
fn scores(conn: &mut DbConnection, expr: &str) -> DbResult<HashMap<i32, f64>> {
    let rows: Vec<Scored> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT rowid AS id, bm25(posting_search, 4.0, 1.0) AS score FROM posting_search \
             WHERE posting_search MATCH ?",
        )
        .bind::<Text, _>(expr)
        .load(c)?,
        DbConnection::Postgres(c) => diesel::sql_query(
            "SELECT posting_id AS id, CAST(-ts_rank(tokens, CAST($1 AS tsquery)) AS DOUBLE PRECISION) AS score \
             FROM posting_search WHERE tokens @@ CAST($1 AS tsquery)",
        )
        .bind::<Text, _>(expr)
        .load(c)?,
    };
    Ok(rows.into_iter().map(|r| (r.id, r.score)).collect())
}

/// The facet values of one public posting that matched a text search.
#[derive(Queryable)]
struct Candidate {
    id: i32,
    published_at: Option<NaiveDateTime>,
    employment_type: String,
    category: Option<String>,
    area: Option<String>,
    remote: String,
}

impl Candidate {
    /// Whether this posting offers every condition the filter asks for.
    fn offers(&self, filter: &JobsFilter, conditions: &HashMap<i32, Vec<String>>) -> bool {
        let mine = conditions.get(&self.id).map(Vec::as_slice).unwrap_or_default();
        filter.conditions.iter().all(|c| mine.iter().any(|m| m == c.code()))
    }

    /// Whether the facet filters other than `skip` keep this posting.
    fn passes(&self, filter: &JobsFilter, skip: Option<Facet>) -> bool {
        let keeps = |facet: Facet, ok: bool| skip == Some(facet) || ok;
        keeps(Facet::Type, filter.employment_type.is_none_or(|t| t.code() == self.employment_type))
            && keeps(Facet::Category, filter.category.as_ref().is_none_or(|c| self.category.as_ref() == Some(c)))
            && keeps(Facet::Area, filter.area.as_ref().is_none_or(|a| self.area.as_ref() == Some(a)))
            && keeps(Facet::Remote, filter.remote.is_none_or(|r| r.code() == self.remote))
    }
}

/// The public postings a text search matched, before the facet filters: the index is read
/// twice (scores, and the filters SQL applies), then the page and the facets are cut here.
struct Matched {
    scores: HashMap<i32, f64>,
    candidates: Vec<Candidate>,
    /// The candidates' condition codes.
    conditions: HashMap<i32, Vec<String>>,
}

const ALL_FACETS: [Facet; 5] = [Facet::Type, Facet::Category, Facet::Area, Facet::Remote, Facet::Conditions];

impl Matched {
    fn load(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        filter: &JobsFilter,
        text: &Option<TextQuery>,
        expr: &str,
    ) -> DbResult<Self> {
        let scores = scores(conn, expr)?;
        let candidates =
            filtered!(conn, now, filter, text, &ALL_FACETS, postings::table.into_boxed::<crate::conn::MultiBackend>())
                .select((
                    postings::id,
                    postings::published_at,
                    postings::employment_type,
                    postings::category,
                    postings::area,
                    postings::remote,
                ))
                .load::<Candidate>(conn)?;
        let ids: Vec<i32> = candidates.iter().filter(|c| scores.contains_key(&c.id)).map(|c| c.id).collect();
        let conditions = crate::postings::conditions_by_posting(conn, &ids)?;
        Ok(Matched { scores, candidates, conditions })
    }

    /// The page in relevance order (ties: newest first), with its rows.
    fn page(&self, conn: &mut DbConnection, filter: &JobsFilter) -> DbResult<Page> {
        let mut ranked: Vec<(f64, Option<NaiveDateTime>, i32)> = self
            .candidates
            .iter()
            .filter(|c| c.passes(filter, None) && c.offers(filter, &self.conditions))
            .filter_map(|c| self.scores.get(&c.id).map(|s| (*s, c.published_at, c.id)))
            .collect();
        let total = ranked.len() as i64;
        let start = usize::try_from(filter.page.offset(filter.per_page)).unwrap_or(usize::MAX).min(ranked.len());
        let end = start.saturating_add(filter.per_page as usize).min(ranked.len());
        let order = |a: &(f64, Option<NaiveDateTime>, i32), b: &(f64, Option<NaiveDateTime>, i32)| {
            a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)).then_with(|| b.2.cmp(&a.2))
        };
        // Only the page needs sorting: partition around its end, then sort what comes before.
        if end > 0 && end < ranked.len() {
            ranked.select_nth_unstable_by(end - 1, order);
            ranked.truncate(end);
        }
        ranked.sort_by(order);
        let ids: Vec<i32> = ranked.get(start..end).unwrap_or_default().iter().map(|(_, _, id)| *id).collect();
        let mut rows: Vec<(Posting, Employer)> = postings::table
            .inner_join(employers::table)
            .filter(postings::id.eq_any(&ids))
            .select((Posting::as_select(), Employer::as_select()))
            .load(conn)?;
        rows.sort_by_key(|(p, _)| ids.iter().position(|id| *id == p.id));
        Ok(Page { items: rows, total })
    }

    fn facets(&self, filter: &JobsFilter) -> Facets {
        let mut types: HashMap<&str, i64> = HashMap::new();
        let mut remote: HashMap<&str, i64> = HashMap::new();
        let mut categories: HashMap<Option<&str>, i64> = HashMap::new();
        let mut areas: HashMap<Option<&str>, i64> = HashMap::new();
        let mut conditions: HashMap<&str, i64> = HashMap::new();
        let mut without_conditions = 0;
        for c in self.candidates.iter().filter(|c| self.scores.contains_key(&c.id)) {
            if c.passes(filter, None) {
                without_conditions += 1;
            }
            if !c.offers(filter, &self.conditions) {
                continue;
            }
            if c.passes(filter, None) {
                for code in self.conditions.get(&c.id).into_iter().flatten() {
                    *conditions.entry(code).or_default() += 1;
                }
            }
            if c.passes(filter, Some(Facet::Type)) {
                *types.entry(&c.employment_type).or_default() += 1;
            }
            if c.passes(filter, Some(Facet::Remote)) {
                *remote.entry(&c.remote).or_default() += 1;
            }
            if c.passes(filter, Some(Facet::Category)) {
                *categories.entry(c.category.as_deref()).or_default() += 1;
            }
            if c.passes(filter, Some(Facet::Area)) {
                *areas.entry(c.area.as_deref()).or_default() += 1;
            }
        }
        let owned = |m: HashMap<Option<&str>, i64>| m.into_iter().map(|(k, n)| (k.map(str::to_owned), n)).collect();
        assemble_facets(
            |code| types.get(code).copied().unwrap_or(0),
            |code| remote.get(code).copied().unwrap_or(0),
            owned(categories),
            owned(areas),
            |code| conditions.get(code).copied().unwrap_or(0),
            without_conditions,
        )
    }
}

/// Facets counted by the database, one GROUP BY per facet (the facet indexes serve them).
fn grouped_facets(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    filter: &JobsFilter,
    text: &Option<TextQuery>,
) -> DbResult<Facets> {
    // GROUP BY, then boxed (the other order does not compile through MultiConnection).
    macro_rules! grouped {
        ($col:expr, $facet:expr, $ty:ty) => {
            filtered!(
                conn,
                now,
                filter,
                text,
                &[$facet],
                postings::table.group_by($col).select(($col, count_star())).into_boxed::<crate::conn::MultiBackend>()
            )
            .load::<($ty, i64)>(conn)?
        };
    }
    let types = grouped!(postings::employment_type, Facet::Type, String);
    let remote = grouped!(postings::remote, Facet::Remote, String);
    let categories = grouped!(postings::category, Facet::Category, Option<String>);
    let areas = grouped!(postings::area, Facet::Area, Option<String>);
    let conditions = condition_counts(conn, now, filter, text)?;
    let without_conditions = filtered!(
        conn,
        now,
        filter,
        text,
        &[Facet::Conditions],
        postings::table.into_boxed::<crate::conn::MultiBackend>()
    )
    .count()
    .get_result(conn)?;
    let count_of = |rows: &[(String, i64)], code: &str| rows.iter().find(|(c, _)| c == code).map_or(0, |(_, n)| *n);
    Ok(assemble_facets(
        |code| count_of(&types, code),
        |code| count_of(&remote, code),
        categories,
        areas,
        |code| count_of(&conditions, code),
        without_conditions,
    ))
}

/// How many of the results (every filter applied) offer each condition: one GROUP BY over
/// `posting_conditions` for the result ids.
fn condition_counts(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    filter: &JobsFilter,
    text: &Option<TextQuery>,
) -> DbResult<Vec<(String, i64)>> {
    use crate::schema::posting_conditions;
    let ids: Vec<i32> = filtered!(
        conn,
        now,
        filter,
        text,
        &[],
        postings::table.select(postings::id).into_boxed::<crate::conn::MultiBackend>()
    )
    .load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(posting_conditions::table
        .filter(posting_conditions::posting_id.eq_any(ids))
        .group_by(posting_conditions::code)
        .select((posting_conditions::code, count_star()))
        .load(conn)?)
}

/// Types and remote modes in their `ALL` order (zeros included); categories and areas most
/// postings first, blanks left out.
fn assemble_facets(
    type_count: impl Fn(&str) -> i64,
    remote_count: impl Fn(&str) -> i64,
    mut categories: Vec<(Option<String>, i64)>,
    mut areas: Vec<(Option<String>, i64)>,
    condition_count: impl Fn(&str) -> i64,
    without_conditions: i64,
) -> Facets {
    let by_count = |v: &mut Vec<(Option<String>, i64)>| -> Vec<(String, i64)> {
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.drain(..).filter_map(|(k, n)| k.filter(|k| !k.is_empty()).map(|k| (k, n))).collect()
    };
    Facets {
        employment_types: EmploymentType::ALL.iter().map(|t| (*t, type_count(t.code()))).collect(),
        categories: by_count(&mut categories),
        areas: by_count(&mut areas),
        remote: RemoteMode::ALL.iter().map(|r| (*r, remote_count(r.code()))).collect(),
        conditions: Condition::ALL.iter().map(|c| (*c, condition_count(c.code()))).collect(),
        without_conditions,
    }
}
