//! The read model: every public posting's tokens and filter values, held as compressed
//! bitmaps (one per token, one per filter value) over slots. A text search is a few bitmap
//! intersections, a facet count is a bitmap intersection's length, and nothing is asked of the
//! database until the page's own rows are read.
//!
//! A changed posting gets a new slot and its old slot is dropped from `live`, so a change never
//! has to find what the old text held. Dead slots cost memory until the owner rebuilds the
//! index ([`Index::wants_rebuild`]).

use crate::filter::{Facets, JobSource, JobsFilter};
use crate::query::{parse, Word};
use crate::synonyms::Synonyms;
use chrono::NaiveDateTime;
use roaring::{MultiOps, RoaringBitmap};
use std::collections::HashMap;
use std::sync::Mutex;
use yui_domain::project::ProjectFacts;
use yui_domain::search::{index_tokens, is_cjk};
use yui_domain::{Condition, EmploymentType, RemoteMode};

/// Tokens longer than this (a pasted URL, say) are not indexed: nobody searches for them.
const MAX_TOKEN_BYTES: usize = 100;

/// A public posting as the index takes it: its filter values and every text a seeker reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: i32,
    pub published_at: NaiveDateTime,
    pub valid_through: NaiveDateTime,
    pub employment_type: EmploymentType,
    pub category: Option<String>,
    pub area: Option<String>,
    pub remote: RemoteMode,
    pub conditions: Vec<Condition>,
    pub hellowork: bool,
    /// The pay compared with `salary_min_monthly`, as a monthly amount × 12 (so a yearly
    /// salary needs no division): `None` when there is none, or it is paid per project.
    pub pay_x12: Option<i64>,
    /// A side job's or project's terms, when it states any.
    pub project: Option<ProjectFacts>,
    pub title: String,
    /// The names of what it is filed under: category, district, type, conditions (both
    /// languages, and the words the operators give them). A match here weighs more than one in
    /// the body: a care job is about care even if its text says so only once.
    pub labels: Vec<String>,
    /// Every other text: description, requirements, hours, holidays, benefits, the employer
    /// and the place.
    pub body: Vec<String>,
}

impl Document {
    /// [`Document::pay_x12`] from a stored maximum (or minimum) and its unit: an hour counts
    /// 160 to the month and a day 20, as the filter's help text says.
    pub fn pay_x12(amount: Option<i64>, unit: Option<&str>) -> Option<i64> {
        let a = amount?;
        match unit? {
            "hour" => a.checked_mul(160 * 12),
            "day" => a.checked_mul(20 * 12),
            "month" => a.checked_mul(12),
            "year" => Some(a),
            _ => None,
        }
    }
}

/// One page of results: posting ids in order, how many there are in all, and the words to mark
/// in what is shown (normal form).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hits {
    pub ids: Vec<i32>,
    pub total: u64,
    pub marks: Vec<String>,
}

/// The open slots (live, not yet past `valid_through`) as of a moment, and until when they stay so.
struct OpenCache {
    generation: u64,
    from: i64,
    until: i64,
    open: RoaringBitmap,
}

pub struct Index {
    synonyms: Synonyms,
    vocab: HashMap<Box<str>, u32>,
    /// For each Japanese character, the tokens that hold it: a one-character query (寮) reads
    /// these instead of the whole vocabulary.
    by_char: HashMap<char, Vec<u32>>,
    any: Vec<RoaringBitmap>,
    title: Vec<RoaringBitmap>,
    labels: Vec<RoaringBitmap>,
    ids: Vec<i32>,
    published: Vec<i64>,
    valid: Vec<i64>,
    pay: Vec<Option<i64>>,
    projects: Vec<Option<ProjectFacts>>,
    slot_of: HashMap<i32, u32>,
    live: RoaringBitmap,
    types: Vec<RoaringBitmap>,
    remotes: Vec<RoaringBitmap>,
    conditions: Vec<RoaringBitmap>,
    categories: HashMap<String, RoaringBitmap>,
    areas: HashMap<String, RoaringBitmap>,
    hellowork: RoaringBitmap,
    generation: u64,
    open_cache: Mutex<Option<OpenCache>>,
}

fn secs(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

fn position<T: PartialEq>(all: &[T], x: &T) -> usize {
    all.iter().position(|a| a == x).unwrap_or(0)
}

impl Index {
    pub fn new(synonyms: Synonyms) -> Index {
        Index {
            synonyms,
            vocab: HashMap::new(),
            by_char: HashMap::new(),
            any: Vec::new(),
            title: Vec::new(),
            labels: Vec::new(),
            ids: Vec::new(),
            published: Vec::new(),
            valid: Vec::new(),
            pay: Vec::new(),
            projects: Vec::new(),
            slot_of: HashMap::new(),
            live: RoaringBitmap::new(),
            types: vec![RoaringBitmap::new(); EmploymentType::ALL.len()],
            remotes: vec![RoaringBitmap::new(); RemoteMode::ALL.len()],
            conditions: vec![RoaringBitmap::new(); Condition::ALL.len()],
            categories: HashMap::new(),
            areas: HashMap::new(),
            hellowork: RoaringBitmap::new(),
            generation: 0,
            open_cache: Mutex::new(None),
        }
    }

    /// How many postings the index holds.
    pub fn len(&self) -> u64 {
        self.live.len()
    }

    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    pub fn contains(&self, id: i32) -> bool {
        self.slot_of.contains_key(&id)
    }

    /// True when dropped slots outnumber the live ones (and are many): time to build afresh.
    pub fn wants_rebuild(&self) -> bool {
        let dead = self.ids.len() as u64 - self.live.len();
        dead > 10_000 && dead > self.live.len()
    }

    fn token_id(&mut self, token: &str) -> u32 {
        if let Some(id) = self.vocab.get(token) {
            return *id;
        }
        let id = self.any.len() as u32;
        self.vocab.insert(token.into(), id);
        for c in token.chars().filter(|c| is_cjk(*c)) {
            let ids = self.by_char.entry(c).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
        self.any.push(RoaringBitmap::new());
        self.title.push(RoaringBitmap::new());
        self.labels.push(RoaringBitmap::new());
        id
    }

    /// Adds `doc`, replacing what the index held for its id. Its slot is above every other, so
    /// each list takes it by `push` (an append), not a search-and-insert.
    pub fn upsert(&mut self, doc: &Document) {
        self.remove(doc.id);
        let slot = self.ids.len() as u32;
        let tokens = |text: &str| index_tokens(text).into_iter().filter(|t| t.len() <= MAX_TOKEN_BYTES);
        for t in tokens(&doc.title) {
            let id = self.token_id(&t);
            self.any[id as usize].push(slot);
            self.title[id as usize].push(slot);
        }
        for text in &doc.labels {
            for t in tokens(text) {
                let id = self.token_id(&t);
                self.any[id as usize].push(slot);
                self.labels[id as usize].push(slot);
            }
        }
        for text in &doc.body {
            for t in tokens(text) {
                let id = self.token_id(&t);
                self.any[id as usize].push(slot);
            }
        }
        self.ids.push(doc.id);
        self.published.push(secs(doc.published_at));
        self.valid.push(secs(doc.valid_through));
        self.pay.push(doc.pay_x12);
        self.projects.push(doc.project);
        self.types[position(EmploymentType::ALL, &doc.employment_type)].push(slot);
        self.remotes[position(RemoteMode::ALL, &doc.remote)].push(slot);
        for c in &doc.conditions {
            self.conditions[position(Condition::ALL, c)].push(slot);
        }
        if let Some(c) = doc.category.as_ref().filter(|c| !c.is_empty()) {
            self.categories.entry(c.clone()).or_default().push(slot);
        }
        if let Some(a) = doc.area.as_ref().filter(|a| !a.is_empty()) {
            self.areas.entry(a.clone()).or_default().push(slot);
        }
        if doc.hellowork {
            self.hellowork.push(slot);
        }
        self.slot_of.insert(doc.id, slot);
        self.live.push(slot);
        self.generation += 1;
    }

    /// Drops the posting (no longer public); nothing when it was not held.
    pub fn remove(&mut self, id: i32) {
        if let Some(slot) = self.slot_of.remove(&id) {
            self.live.remove(slot);
            self.generation += 1;
        }
    }

    /// The slots that are live and still open at `now`. Cached until the index changes or the
    /// first of them closes, so most requests copy a bitmap instead of reading every slot.
    fn open(&self, now: NaiveDateTime) -> RoaringBitmap {
        let now = secs(now);
        let mut cache = self.open_cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.as_ref() {
            if c.generation == self.generation && c.from <= now && now < c.until {
                return c.open.clone();
            }
        }
        let mut until = i64::MAX;
        let open: RoaringBitmap = self
            .live
            .iter()
            .filter(|s| {
                let v = self.valid[*s as usize];
                if v > now {
                    until = until.min(v);
                }
                v > now
            })
            .collect();
        *cache = Some(OpenCache { generation: self.generation, from: now, until, open: open.clone() });
        open
    }

    fn lists(&self, field: Field) -> &[RoaringBitmap] {
        match field {
            Field::Any => &self.any,
            Field::Title => &self.title,
            Field::Labels => &self.labels,
        }
    }

    /// The slots holding every token of `tokens` in `field`.
    pub(crate) fn all_of(&self, tokens: &[String], field: Field) -> RoaringBitmap {
        let lists = self.lists(field);
        let mut out: Option<RoaringBitmap> = None;
        for t in tokens {
            let Some(id) = self.vocab.get(t.as_str()) else { return RoaringBitmap::new() };
            let list = &lists[*id as usize];
            out = Some(match out {
                None => list.clone(),
                Some(acc) => acc & list,
            });
        }
        out.unwrap_or_default()
    }

    /// The slots with any token that holds the Japanese character `c` (a one-character query):
    /// anywhere, in the title, in the labels.
    pub(crate) fn containing(&self, c: char) -> [RoaringBitmap; 3] {
        let ids: &[u32] = self.by_char.get(&c).map_or(&[], Vec::as_slice);
        [Field::Any, Field::Title, Field::Labels].map(|f| {
            let lists = self.lists(f);
            ids.iter().map(|i| &lists[*i as usize]).union()
        })
    }

    pub(crate) fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    pub(crate) fn live(&self) -> &RoaringBitmap {
        &self.live
    }

    /// The open slots holding every word of `filter`'s text (all open slots without one), and
    /// the words.
    fn text_matches(&self, now: NaiveDateTime, filter: &JobsFilter) -> (RoaringBitmap, Option<Vec<Word>>) {
        let open = self.open(now);
        let words = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(|q| parse(self, q));
        let base = match &words {
            None => open,
            Some(words) if words.is_empty() => RoaringBitmap::new(),
            Some(words) => words.iter().fold(open, |acc, w| acc & &w.any),
        };
        (base, words)
    }

    /// One page of results for `filter` at `now`, with the facets when asked for.
    pub fn search(&self, now: NaiveDateTime, filter: &JobsFilter, with_facets: bool) -> (Hits, Option<Facets>) {
        let (base, words) = self.text_matches(now, filter);
        let sets = Filters::of(self, filter, &base);
        let results = sets.except(&base, None);
        let facets = with_facets.then(|| self.facets(&base, &results, &sets));
        let hits = self.page(&results, words.as_deref().unwrap_or_default(), filter);
        (hits, facets)
    }

    /// Up to `n` postings `filter` finds at `now` (its page aside) that were published after
    /// `after`, newest first: a saved search's private feed.
    pub fn newest_since(&self, now: NaiveDateTime, filter: &JobsFilter, after: NaiveDateTime, n: usize) -> Vec<i32> {
        let (base, _) = self.text_matches(now, filter);
        let results = Filters::of(self, filter, &base).except(&base, None);
        let after = secs(after);
        let mut found: Vec<(i64, i32)> = results
            .iter()
            .map(|s| (self.published[s as usize], self.ids[s as usize]))
            .filter(|(published, _)| *published > after)
            .collect();
        found.sort_unstable_by(|a, b| b.cmp(a));
        found.into_iter().take(n).map(|(_, id)| id).collect()
    }

    /// Searches near `filter`'s query that find something under the same filters, when it
    /// finds nothing: each word alone (of several), each word a character shorter at either
    /// end (介護福祉士 → 介護福祉, 護福祉士). At most `n`, most results first.
    pub fn suggest(&self, now: NaiveDateTime, filter: &JobsFilter, n: usize) -> Vec<(String, u64)> {
        let Some(q) = filter.q.as_deref() else { return Vec::new() };
        let words = yui_domain::search::query_words(q);
        let mut candidates: Vec<String> = Vec::new();
        if words.len() > 1 {
            candidates.extend(words.iter().cloned());
        }
        for w in &words {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() >= 3 {
                candidates.push(chars[..chars.len() - 1].iter().collect());
                candidates.push(chars[1..].iter().collect());
            }
        }
        let mut out: Vec<(String, u64)> = Vec::new();
        for c in candidates {
            if out.iter().any(|(seen, _)| *seen == c) || yui_domain::search::normalize(q) == c {
                continue;
            }
            let f =
                JobsFilter { q: Some(c.clone()), page: yui_domain::PageNumber::FIRST, per_page: 0, ..filter.clone() };
            let total = self.search(now, &f, false).0.total;
            if total > 0 {
                out.push((c, total));
            }
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out.truncate(n);
        out
    }

    /// Relevance first (each word weighs its rarity: three times over in the title, twice in
    /// the labels), then the newest; without words, the newest first. Only the page is sorted.
    fn page(&self, results: &RoaringBitmap, words: &[Word], filter: &JobsFilter) -> Hits {
        let n = self.live.len().max(1) as f64;
        let weights: Vec<f64> = words.iter().map(|w| (1.0 + n / (1.0 + w.df as f64)).ln()).collect();
        let mut ranked: Vec<(f64, i64, i32)> = results
            .iter()
            .map(|s| {
                let score: f64 = words
                    .iter()
                    .zip(&weights)
                    .map(|(w, weight)| {
                        if w.title.contains(s) {
                            3.0 * weight
                        } else if w.labels.contains(s) {
                            2.0 * weight
                        } else {
                            *weight
                        }
                    })
                    .sum();
                (score, self.published[s as usize], self.ids[s as usize])
            })
            .collect();
        let total = ranked.len() as u64;
        let start = usize::try_from(filter.page.offset(filter.per_page)).unwrap_or(usize::MAX).min(ranked.len());
        let end = start.saturating_add(filter.per_page as usize).min(ranked.len());
        let order = |a: &(f64, i64, i32), b: &(f64, i64, i32)| {
            b.0.total_cmp(&a.0).then_with(|| b.1.cmp(&a.1)).then_with(|| b.2.cmp(&a.2))
        };
        if end > 0 && end < ranked.len() {
            ranked.select_nth_unstable_by(end - 1, order);
            ranked.truncate(end);
        }
        ranked.sort_unstable_by(order);
        let ids = ranked.get(start..end).unwrap_or_default().iter().map(|r| r.2).collect();
        let marks = words.iter().flat_map(|w| w.marks.iter().cloned()).collect();
        Hits { ids, total, marks }
    }

    fn facets(&self, base: &RoaringBitmap, results: &RoaringBitmap, sets: &Filters) -> Facets {
        let count = |within: &RoaringBitmap, list: &RoaringBitmap| within.intersection_len(list) as i64;
        let by_count = |within: &RoaringBitmap, map: &HashMap<String, RoaringBitmap>| {
            let mut v: Vec<(String, i64)> =
                map.iter().map(|(k, list)| (k.clone(), count(within, list))).filter(|(_, n)| *n > 0).collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let types = sets.except(base, Some(Facet::Type));
        let remotes = sets.except(base, Some(Facet::Remote));
        Facets {
            employment_types: EmploymentType::ALL
                .iter()
                .zip(&self.types)
                .map(|(t, l)| (*t, count(&types, l)))
                .collect(),
            categories: by_count(&sets.except(base, Some(Facet::Category)), &self.categories),
            areas: by_count(&sets.except(base, Some(Facet::Area)), &self.areas),
            remote: RemoteMode::ALL.iter().zip(&self.remotes).map(|(r, l)| (*r, count(&remotes, l))).collect(),
            conditions: Condition::ALL.iter().zip(&self.conditions).map(|(c, l)| (*c, count(results, l))).collect(),
            without_conditions: sets.except(base, Some(Facet::Conditions)).len() as i64,
        }
    }
}

/// Where in a posting a token is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Any,
    Title,
    Labels,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Type,
    Category,
    Area,
    Remote,
    Conditions,
}

/// Each filter of a request as the set of slots it keeps; `None` keeps everything.
struct Filters<'a> {
    sets: Vec<(Option<Facet>, std::borrow::Cow<'a, RoaringBitmap>)>,
}

impl<'a> Filters<'a> {
    fn of(index: &'a Index, filter: &JobsFilter, base: &RoaringBitmap) -> Filters<'a> {
        use std::borrow::Cow;
        let empty = || Cow::Owned(RoaringBitmap::new());
        let mut sets: Vec<(Option<Facet>, Cow<'a, RoaringBitmap>)> = Vec::new();
        if let Some(t) = filter.employment_type {
            sets.push((Some(Facet::Type), Cow::Borrowed(&index.types[position(EmploymentType::ALL, &t)])));
        }
        if let Some(r) = filter.remote {
            sets.push((Some(Facet::Remote), Cow::Borrowed(&index.remotes[position(RemoteMode::ALL, &r)])));
        }
        if let Some(c) = &filter.category {
            sets.push((Some(Facet::Category), index.categories.get(c).map_or_else(empty, Cow::Borrowed)));
        }
        if let Some(a) = &filter.area {
            sets.push((Some(Facet::Area), index.areas.get(a).map_or_else(empty, Cow::Borrowed)));
        }
        for c in &filter.conditions {
            sets.push((Some(Facet::Conditions), Cow::Borrowed(&index.conditions[position(Condition::ALL, c)])));
        }
        match filter.source {
            Some(JobSource::HelloWork) => sets.push((None, Cow::Borrowed(&index.hellowork))),
            Some(JobSource::Yui) => sets.push((None, Cow::Owned(base - &index.hellowork))),
            None => {}
        }
        if let Some(m) = filter.salary_min_monthly {
            let floor = m.saturating_mul(12);
            let paid: RoaringBitmap =
                base.iter().filter(|s| index.pay[*s as usize].is_some_and(|p| p >= floor)).collect();
            sets.push((None, Cow::Owned(paid)));
        }
        if !filter.project.is_empty() {
            let kept: RoaringBitmap =
                base.iter().filter(|s| filter.project.accepts(index.projects[*s as usize].as_ref())).collect();
            sets.push((None, Cow::Owned(kept)));
        }
        Filters { sets }
    }

    /// `base` kept by every filter but those of the facet `skip`.
    fn except(&self, base: &RoaringBitmap, skip: Option<Facet>) -> RoaringBitmap {
        let mut out = base.clone();
        for (facet, set) in &self.sets {
            if skip.is_none() || *facet != skip {
                out &= set.as_ref();
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, day).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap()
    }

    fn doc(id: i32, title: &str, body: &str) -> Document {
        Document {
            id,
            published_at: at(1) + chrono::Duration::minutes(id.into()),
            valid_through: at(28),
            employment_type: EmploymentType::FullTime,
            category: Some("care".into()),
            area: None,
            remote: RemoteMode::Onsite,
            conditions: Vec::new(),
            hellowork: false,
            pay_x12: None,
            project: None,
            title: title.into(),
            labels: Vec::new(),
            body: vec![body.into()],
        }
    }

    fn index(docs: &[Document]) -> Index {
        let groups = vec![vec!["漁師".to_owned(), "漁業".to_owned(), "水産".to_owned()]];
        let mut i = Index::new(Synonyms::new(&groups));
        docs.iter().for_each(|d| i.upsert(d));
        i
    }

    fn q(text: &str) -> JobsFilter {
        JobsFilter { q: Some(text.into()), ..JobsFilter::all(20) }
    }

    fn ids(i: &Index, f: &JobsFilter) -> Vec<i32> {
        i.search(at(5), f, false).0.ids
    }

    #[test]
    fn title_matches_rank_first_then_the_newest() {
        let i = index(&[doc(1, "事務", "介護の経験"), doc(2, "介護職員", "夜勤"), doc(3, "調理", "介護施設の厨房")]);
        assert_eq!(ids(&i, &q("介護")), [2, 3, 1]);
        assert_eq!(ids(&i, &JobsFilter::all(20)), [3, 2, 1]);
        assert_eq!(ids(&i, &q("介護 夜勤")), [2]);
        assert_eq!(ids(&i, &q("！？")), Vec::<i32>::new(), "a query with no word finds nothing");
    }

    #[test]
    fn readings_synonyms_and_single_characters() {
        let i = index(&[
            doc(1, "介護スタッフ", ""),
            doc(2, "定置網の漁師", ""),
            doc(3, "水産加工", ""),
            doc(4, "魚の仕分け", ""),
        ]);
        assert_eq!(ids(&i, &q("かいご")), [1]);
        assert_eq!(ids(&i, &q("カイゴ")), [1]);
        let mut fishing = ids(&i, &q("漁業"));
        fishing.sort();
        assert_eq!(fishing, [2, 3]);
        assert_eq!(ids(&i, &q("魚")), [4]);
        // One character inside longer words, and a kana one in either script.
        assert_eq!(ids(&i, &q("網")), [2]);
        assert_eq!(ids(&i, &q("ス")), [1]);
        assert_eq!(ids(&i, &q("す")), [1]);
        assert_eq!(ids(&i, &q("鯛")), Vec::<i32>::new());
        let (hits, _) = i.search(at(5), &q("かいご"), false);
        assert!(hits.marks.contains(&"介護".to_owned()), "{:?}", hits.marks);
    }

    #[test]
    fn a_search_that_finds_nothing_suggests_nearby_ones_that_do() {
        let i = index(&[doc(1, "介護福祉士", ""), doc(2, "介護職員", ""), doc(3, "漁業", "")]);
        assert_eq!(ids(&i, &q("介護 漁業")), Vec::<i32>::new());
        assert_eq!(i.suggest(at(5), &q("介護 漁業"), 3), [("介護".to_owned(), 2), ("漁業".to_owned(), 1)]);
        assert_eq!(i.suggest(at(5), &q("介護福祉師"), 3), [("介護福祉".to_owned(), 1)]);
        assert!(i.suggest(at(5), &q("宇宙"), 3).is_empty());
    }

    #[test]
    fn a_feed_takes_the_newest_matches_published_since_a_moment() {
        // doc(id) is published id minutes after 09:00 on the 1st.
        let i = index(&[doc(1, "介護", ""), doc(2, "漁業", ""), doc(3, "介護職員", ""), doc(4, "介護", "")]);
        let since = at(1) + chrono::Duration::minutes(1);
        assert_eq!(i.newest_since(at(5), &q("かいご"), since, 10), [4, 3], "after the moment, newest first");
        assert_eq!(i.newest_since(at(5), &q("介護"), since, 1), [4]);
        assert_eq!(i.newest_since(at(5), &JobsFilter::all(1), since, 10), [4, 3, 2], "its page aside");
        assert!(i.newest_since(at(30), &q("介護"), since, 10).is_empty(), "closed by then");
    }

    #[test]
    fn changes_replace_and_remove() {
        let mut i = index(&[doc(1, "介護", ""), doc(2, "漁業", "")]);
        i.upsert(&doc(1, "調理", ""));
        assert_eq!(ids(&i, &q("介護")), Vec::<i32>::new());
        assert_eq!(ids(&i, &q("調理")), [1]);
        i.remove(2);
        assert_eq!(ids(&i, &JobsFilter::all(20)), [1]);
        assert_eq!(i.len(), 1);
    }

    #[test]
    fn closed_postings_drop_out_when_their_time_passes() {
        let mut d = doc(1, "介護", "");
        d.valid_through = at(3);
        let i = index(&[d, doc(2, "介護", "")]);
        assert_eq!(i.search(at(2), &q("介護"), false).0.total, 2);
        assert_eq!(i.search(at(4), &q("介護"), false).0.total, 1);
        assert_eq!(i.search(at(2), &q("介護"), false).0.total, 2, "an earlier moment is not served from the cache");
    }

    #[test]
    fn facets_leave_their_own_filter_out() {
        let mut a = doc(1, "介護", "");
        a.employment_type = EmploymentType::PartTime;
        a.conditions = vec![Condition::Car];
        a.pay_x12 = Document::pay_x12(Some(1_200), Some("hour"));
        let mut b = doc(2, "介護", "");
        b.category = Some("food".into());
        b.hellowork = true;
        let i = index(&[a, b, doc(3, "漁業", "")]);
        let f = JobsFilter { employment_type: Some(EmploymentType::PartTime), ..q("介護") };
        let (hits, facets) = i.search(at(5), &f, true);
        let facets = facets.unwrap();
        assert_eq!(hits.ids, [1]);
        let count = |t: EmploymentType| facets.employment_types.iter().find(|(x, _)| *x == t).unwrap().1;
        assert_eq!((count(EmploymentType::PartTime), count(EmploymentType::FullTime)), (1, 1));
        assert_eq!(facets.categories, [("care".to_owned(), 1)]);
        assert_eq!(facets.conditions.iter().find(|(c, _)| *c == Condition::Car).unwrap().1, 1);
        assert_eq!(ids(&i, &JobsFilter { salary_min_monthly: Some(190_000), ..q("介護") }), [1]);
        assert_eq!(ids(&i, &JobsFilter { salary_min_monthly: Some(200_000), ..q("介護") }), Vec::<i32>::new());
        assert_eq!(ids(&i, &JobsFilter { source: Some(JobSource::HelloWork), ..q("介護") }), [2]);
        assert_eq!(ids(&i, &JobsFilter { source: Some(JobSource::Yui), ..q("介護") }), [1]);
    }
}
