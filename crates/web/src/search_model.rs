//! This instance's copy of the search read model ([`yui_search::Index`]): built from the
//! database at start, then kept current by reading the change sequence (`posting_changes`,
//! written by triggers with every change) every `search.poll_ms`. Every instance does the
//! same, so a posting approved on one is found on all within about that long.
//!
//! The database stays the one source of truth: the model holds no text, only tokens and
//! filter values, and a page's postings are read from the database by id.

use crate::settings::portal::PortalSettings;
use crate::settings::Settings;
use chrono::NaiveDateTime;
use std::collections::{BTreeSet, HashSet};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_db::search_feed::Searchable;
use yui_db::{DbConnection, DbResult};
use yui_domain::{Condition, PageNumber};
use yui_search::{Document, Facets, Hits, Index, JobsFilter, Synonyms};

/// Postings read per query while loading: bounds the memory a start-up needs.
const LOAD_PAGE: i64 = 2_000;
/// Changes read per query while catching up.
const CHANGES_PAGE: i64 = 5_000;
/// How long a missing sequence number is waited for. PostgreSQL hands out numbers before
/// commit, so 10 may commit after 11 has been read; a rolled-back change leaves a hole forever.
const GAP_PATIENCE: Duration = Duration::from_secs(10);
/// A start-up re-reads this many changes before the last one it saw, for those in flight then.
const START_OVERLAP: i64 = 1_000;

/// Where reading the change sequence goes on from.
#[derive(Debug, Default)]
struct Cursor {
    /// The highest sequence number applied.
    last: i64,
    /// Numbers below `last` not seen yet, with when they were first missed.
    gaps: Vec<(i64, Instant)>,
}

impl Cursor {
    /// Read changes after this: the oldest gap still awaited, else the last applied.
    fn from(&self) -> i64 {
        self.gaps.iter().map(|(s, _)| s - 1).min().map_or(self.last, |g| g.min(self.last))
    }

    fn saw(&mut self, seqs: &[i64], now: Instant) {
        for &s in seqs {
            if s > self.last {
                // A hole wider than a page is not a commit race: don't wait for each number.
                if s - self.last <= CHANGES_PAGE {
                    self.gaps.extend((self.last + 1..s).map(|g| (g, now)));
                }
                self.last = s;
            } else {
                self.gaps.retain(|(g, _)| *g != s);
            }
        }
        self.gaps.retain(|(_, seen)| now.duration_since(*seen) < GAP_PATIENCE);
    }
}

pub struct SearchModel {
    index: RwLock<Index>,
    cursor: Mutex<Cursor>,
    synonyms: Vec<Vec<String>>,
    portal: PortalSettings,
}

/// What a posting is searched by: its own texts, and the names of its category, district,
/// type, remote mode and conditions in both languages.
fn document(s: &Searchable, portal: &PortalSettings) -> Document {
    let p = &s.posting;
    let conditions: Vec<Condition> = s.conditions.iter().filter_map(|c| c.parse().ok()).collect();
    let mut body: Vec<String> = [
        Some(&p.description),
        p.requirements.as_ref(),
        p.hours.as_ref(),
        p.holidays.as_ref(),
        p.insurance.as_ref(),
        p.trial_period.as_ref(),
        Some(&s.employer.name),
        Some(&p.prefecture),
        Some(&p.municipality),
        p.area.as_ref(),
        p.address.as_ref(),
        p.category.as_ref(),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    let mut labels: Vec<String> = Vec::new();
    let names = |ja: &str, en: &str| [ja.to_owned(), en.to_owned()];
    let choices = [
        p.category.as_deref().and_then(|c| portal.categories.iter().find(|x| x.matches(c))),
        p.area.as_deref().and_then(|a| portal.area_of(a)),
    ];
    for c in choices.into_iter().flatten() {
        labels.extend(names(&c.ja, &c.en));
        labels.extend(c.synonyms.iter().cloned());
    }
    labels.extend(names(p.employment_type.label("ja"), p.employment_type.label("en")));
    labels.extend(names(p.remote.label("ja"), p.remote.label("en")));
    for c in &conditions {
        labels.extend(names(c.label("ja"), c.label("en")));
    }
    // プロボノ finds the unpaid projects, and a coordinator's name its projects.
    if let Some(project) = &s.project {
        if let Some(r) = project.facts.reward {
            labels.extend(names(r.label("ja"), r.label("en")));
        }
        body.extend(project.coordinator.clone());
    }
    Document {
        id: p.id,
        published_at: p.published_at.unwrap_or(p.created_at),
        valid_through: p.valid_through,
        employment_type: p.employment_type,
        category: p.category.clone(),
        area: p.area.clone(),
        remote: p.remote,
        conditions,
        hellowork: s.hellowork,
        pay_x12: Document::pay_x12(p.salary_max.or(p.salary_min), p.salary_unit.as_deref()),
        project: s.project.as_ref().map(|t| t.facts),
        title: p.title.clone(),
        labels,
        body,
    }
}

impl SearchModel {
    /// Builds the model from every published posting. The change sequence is read first, so
    /// whatever changes while the postings load is applied again at the first catch-up.
    pub fn load(conn: &mut DbConnection, settings: &Settings) -> DbResult<SearchModel> {
        let model = SearchModel {
            index: RwLock::new(Index::new(Synonyms::new(&settings.search.synonyms))),
            cursor: Mutex::new(Cursor::default()),
            synonyms: settings.search.synonyms.clone(),
            portal: settings.portal.clone(),
        };
        let (index, last) = model.build(conn)?;
        *model.index.write().unwrap_or_else(|e| e.into_inner()) = index;
        model.cursor.lock().unwrap_or_else(|e| e.into_inner()).last = last;
        Ok(model)
    }

    fn build(&self, conn: &mut DbConnection) -> DbResult<(Index, i64)> {
        let last = (yui_db::search_feed::last_change(conn)? - START_OVERLAP).max(0);
        let mut index = Index::new(Synonyms::new(&self.synonyms));
        let mut after = 0;
        loop {
            let page = yui_db::search_feed::published_after(conn, after, LOAD_PAGE)?;
            for s in &page {
                index.upsert(&document(s, &self.portal));
                after = after.max(s.posting.id);
            }
            if (page.len() as i64) < LOAD_PAGE {
                return Ok((index, last));
            }
        }
    }

    /// Applies every change written since the last call; returns how many postings it
    /// reloaded. Rebuilds from scratch when replaced slots outnumber live ones.
    pub fn catch_up(&self, conn: &mut DbConnection) -> DbResult<usize> {
        let mut cursor = self.cursor.lock().unwrap_or_else(|e| e.into_inner());
        let mut reloaded = 0;
        // Pages go on from the last row read, not from `from()`: a gap still awaited would
        // otherwise send every page back to the same place.
        let mut after = cursor.from();
        loop {
            let changes = yui_db::search_feed::changes_after(conn, after, CHANGES_PAGE)?;
            if changes.is_empty() {
                cursor.saw(&[], Instant::now());
                break;
            }
            let ids: BTreeSet<i32> = changes.iter().map(|(_, id)| *id).collect();
            let ids: Vec<i32> = ids.into_iter().collect();
            let public = yui_db::search_feed::published_among(conn, &ids)?;
            let docs: Vec<Document> = public.iter().map(|s| document(s, &self.portal)).collect();
            {
                let mut index = self.index.write().unwrap_or_else(|e| e.into_inner());
                for id in &ids {
                    index.remove(*id);
                }
                for d in &docs {
                    index.upsert(d);
                }
            }
            reloaded += ids.len();
            let seqs: Vec<i64> = changes.iter().map(|(s, _)| *s).collect();
            after = seqs.iter().copied().max().unwrap_or(after);
            cursor.saw(&seqs, Instant::now());
            if (changes.len() as i64) < CHANGES_PAGE {
                break;
            }
        }
        let wants_rebuild = reloaded > 0 && self.index.read().unwrap_or_else(|e| e.into_inner()).wants_rebuild();
        if wants_rebuild {
            let (index, _) = self.build(conn)?;
            *self.index.write().unwrap_or_else(|e| e.into_inner()) = index;
        }
        Ok(reloaded)
    }

    /// One page of `filter`'s results at `now`, with the facets when asked for.
    pub fn search(&self, now: NaiveDateTime, filter: &JobsFilter, with_facets: bool) -> (Hits, Option<Facets>) {
        self.index.read().unwrap_or_else(|e| e.into_inner()).search(now, filter, with_facets)
    }

    /// Up to three searches near `filter`'s that find something, with their counts (see
    /// [`Index::suggest`]).
    pub fn suggest(&self, now: NaiveDateTime, filter: &JobsFilter) -> Vec<(String, u64)> {
        self.index.read().unwrap_or_else(|e| e.into_inner()).suggest(now, filter, 3)
    }

    /// How many postings `filter` finds at `now`.
    pub fn count(&self, now: NaiveDateTime, filter: &JobsFilter) -> u64 {
        let f = JobsFilter { per_page: 0, ..filter.clone() };
        self.index.read().unwrap_or_else(|e| e.into_inner()).search(now, &f, false).0.total
    }

    /// How many postings the model holds.
    pub fn len(&self) -> u64 {
        self.index.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A stretch of publishing time for [`published_between`]: after `after`, before `before` when
/// given, leaving out `exclude` (what an alert already sent).
pub struct Window<'a> {
    pub after: NaiveDateTime,
    pub before: Option<NaiveDateTime>,
    pub exclude: &'a [i32],
}

/// Up to `limit` open postings published in `window` that `filter` finds, in publishing order.
/// They are matched as `/jobs` matches (the same tokens, readings, synonyms and labels) by an
/// index of the window's own postings, built for the question: alerts and digests run where the
/// app's model is not, and their window (a day, a week) holds few postings.
pub fn published_between(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    filter: &JobsFilter,
    window: Window<'_>,
    limit: usize,
) -> DbResult<Vec<(Posting, Employer)>> {
    let mut found = Vec::new();
    let mut offset = 0;
    while found.len() < limit {
        let span = (window.after, window.before);
        let page = yui_db::search_feed::published_between(conn, now, span, window.exclude, (offset, LOAD_PAGE))?;
        let fetched = page.len() as i64;
        let whole = JobsFilter { page: PageNumber::FIRST, per_page: page.len() as u32, ..filter.clone() };
        if whole == JobsFilter::all(whole.per_page) {
            // Nothing to match (the digest): every open posting of the window.
            found.extend(page.into_iter().map(|s| (s.posting, s.employer)));
        } else {
            let mut index = Index::new(Synonyms::new(&settings.search.synonyms));
            for s in &page {
                index.upsert(&document(s, &settings.portal));
            }
            let hits: HashSet<i32> = index.search(now, &whole, false).0.ids.into_iter().collect();
            found.extend(page.into_iter().filter(|s| hits.contains(&s.posting.id)).map(|s| (s.posting, s.employer)));
        }
        if fetched < LOAD_PAGE {
            break;
        }
        offset += fetched;
    }
    found.truncate(limit);
    Ok(found)
}

/// Keeps `state`'s model current until the app is gone: a thread, not a task, so that it runs
/// whatever runtime (if any) built the app. Also forgets changes a day old, now and then.
pub fn follow_changes(state: std::sync::Weak<crate::state::AppState>, every: Duration) {
    const PRUNE_EVERY: Duration = Duration::from_secs(600);
    let spawned = std::thread::Builder::new().name("search-follow".into()).spawn(move || {
        let mut pruned = Instant::now();
        loop {
            std::thread::sleep(every);
            let Some(state) = state.upgrade() else { return };
            let mut pooled = match state.pool.get() {
                Ok(c) => c,
                Err(e) => {
                    log::warn!("search: no database connection to read changes: {e}");
                    continue;
                }
            };
            let conn: &mut DbConnection = &mut pooled;
            if let Err(e) = state.search.catch_up(conn) {
                log::warn!("search: reading changes failed (retried): {e}");
            }
            if pruned.elapsed() >= PRUNE_EVERY {
                pruned = Instant::now();
                let day_ago = yui_db::now() - chrono::Duration::days(1);
                if let Err(e) = yui_db::search_feed::prune_changes(conn, day_ago) {
                    log::warn!("search: forgetting old changes failed: {e}");
                }
            }
        }
    });
    if let Err(e) = spawned {
        log::error!("search: cannot start the thread that follows changes: {e}");
    }
}

/// A page of results as the lists show it.
pub struct Found {
    pub page: yui_db::postings::Page,
    pub facets: Option<Facets>,
    /// The words found, in normal form, for marking.
    pub marks: Vec<String>,
    /// How long the model took (matching, ranking and the facets), for `Server-Timing`.
    pub took: Duration,
}

impl SearchModel {
    /// `filter`'s page at `now`. Changes not yet applied are applied first (one indexed read
    /// when there are none), so what anyone just saved on any instance is found; then the ids,
    /// total and facets come from the model and the page's rows from the database.
    pub fn find(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        filter: &JobsFilter,
        with_facets: bool,
    ) -> DbResult<Found> {
        self.catch_up(conn)?;
        let started = Instant::now();
        let (hits, facets) = self.search(now, filter, with_facets);
        let took = started.elapsed();
        let items = yui_db::search_feed::public_rows(conn, now, &hits.ids)?;
        let total = i64::try_from(hits.total).unwrap_or(i64::MAX);
        Ok(Found { page: yui_db::postings::Page { items, total }, facets, marks: hits.marks, took })
    }

    /// Up to `n` public postings `filter` finds that were published after `after`, newest
    /// first, with their employers (see [`Index::newest_since`]).
    pub fn newest_since(
        &self,
        conn: &mut DbConnection,
        now: NaiveDateTime,
        filter: &JobsFilter,
        after: NaiveDateTime,
        n: usize,
    ) -> DbResult<Vec<(Posting, Employer)>> {
        self.catch_up(conn)?;
        let ids = self.index.read().unwrap_or_else(|e| e.into_inner()).newest_since(now, filter, after, n);
        yui_db::search_feed::public_rows(conn, now, &ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_read_again_until_they_fill_or_time_out() {
        let mut c = Cursor::default();
        let t0 = Instant::now();
        c.saw(&[1, 2, 4], t0);
        assert_eq!((c.last, c.from()), (4, 2), "3 may still commit");
        c.saw(&[3, 4], t0);
        assert_eq!(c.from(), 4);
        c.saw(&[7], t0);
        assert_eq!(c.from(), 4);
        c.saw(&[], t0 + GAP_PATIENCE);
        assert_eq!(c.from(), 7, "a rolled-back number is given up on");
        c.saw(&[7 + CHANGES_PAGE * 2], t0);
        assert!(c.gaps.is_empty());
    }
}
