//! The public record of review decisions (and of employers' conflict-of-interest links): what
//! the commons decided, when, and which member organisation decided it — never who in person,
//! never the reasons' free text or the field diffs, never which employer, and never the content
//! of postings that were not published.
//!
//! Only the columns the public may see are read: `reason_text`, `diff`, `actor_id` and
//! everything about employers stay in the database.

use crate::schema::{editorial_events, organizations, postings, review_events};
use crate::{DbConnection, DbResult};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::HashMap;
use yui_domain::{tokyo, ChangeReason, PageNumber, PostingAction, PostingStatus, RejectReason};

/// Who did something, as the public record names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicActor {
    /// A staff member of this member organisation (its name; the person is never named).
    Organization(String),
    /// The employer, through their private manage link.
    Employer,
    /// Yui itself (expiry, and anything else no person did).
    System,
}

/// The reason a decision names, from the fixed lists (never the free text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicReason {
    Reject(RejectReason),
    Change(ChangeReason),
    /// Approved although a legal item was missing; the editor's reason stays in the staff log.
    LegalOverride,
}

impl PublicReason {
    pub fn code(self) -> &'static str {
        match self {
            PublicReason::Reject(r) => r.code(),
            PublicReason::Change(r) => r.code(),
            PublicReason::LegalOverride => yui_domain::LEGAL_OVERRIDE,
        }
    }

    pub fn label(self, lang: &str) -> &'static str {
        match self {
            PublicReason::Reject(r) => r.label(lang),
            PublicReason::Change(r) => r.label(lang),
            PublicReason::LegalOverride if lang == "en" => "Approved with a legal item missing",
            PublicReason::LegalOverride => "明示事項の不足を確認のうえ承認",
        }
    }
}

/// What a line of the public log is about.
#[derive(Debug, Clone)]
pub enum LogSubject {
    Posting {
        public_id: String,
        /// Only for a posting that is or was public (published, then expired, closed or filled);
        /// `None` for postings seekers never saw (pending, changes requested, rejected, withdrawn).
        title: Option<String>,
        /// Seekers can open it now (published and not past its end): link it.
        public_now: bool,
    },
    /// A change of an employer's conflict-of-interest link. The employer is not named (nothing
    /// about employers is public here); the member organisations are, by name (`None`: none).
    EmployerLink { from: Option<String>, to: Option<String> },
}

/// One line of the public log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub at: NaiveDateTime,
    pub subject: LogSubject,
    /// The event's action code: a [`PostingAction`] code, `edit`, `employer_edit`, `renew`,
    /// `employer_revision`, `revision_applied`, `revision_declined`, `employer_link` or
    /// `employer_unlink`.
    pub action: String,
    /// Only for `reject` and `request_changes`, and only a code from the fixed lists.
    pub reason: Option<PublicReason>,
    pub by: PublicActor,
}

#[derive(Debug)]
pub struct LogPage {
    pub items: Vec<LogEntry>,
    pub total: i64,
}

/// Whether a posting's title may appear in the record: it was published once and its status is
/// one a published posting reaches. A posting withdrawn before review is closed too, but never
/// had `published_at`, so it stays private.
fn was_public(status: PostingStatus, published_at: Option<NaiveDateTime>) -> bool {
    use PostingStatus as S;
    published_at.is_some() && matches!(status, S::Published | S::Expired | S::Closed | S::Filled)
}

fn public_reason(action: &str, code: Option<&str>) -> Option<PublicReason> {
    let code = code?;
    if action == PostingAction::Reject.code() {
        code.parse().ok().map(PublicReason::Reject)
    } else if action == PostingAction::RequestChanges.code() {
        code.parse().ok().map(PublicReason::Change)
    } else if action == PostingAction::Approve.code() && code == yui_domain::LEGAL_OVERRIDE {
        Some(PublicReason::LegalOverride)
    } else {
        None
    }
}

/// Employer actions carry this reason code and no organisation.
const EMPLOYER_CODE: &str = "employer";

type LogRow = (
    NaiveDateTime,
    String,
    Option<String>,
    Option<i32>,
    Option<String>,
    String,
    String,
    String,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

fn organization_actor(org_id: Option<i32>, org_name: Option<String>, reason_code: Option<&str>) -> PublicActor {
    match (org_id, org_name) {
        (Some(_), Some(name)) => PublicActor::Organization(name),
        (None, _) if reason_code == Some(EMPLOYER_CODE) => PublicActor::Employer,
        _ => PublicActor::System,
    }
}

/// When, action, from and to (slugs), and by which organisation (id and name).
type LinkRow = (NaiveDateTime, String, String, String, Option<i32>, Option<String>);

/// The editorial log's subject for employer links ([`crate::editorial_log`]).
const EMPLOYER_LINK_SUBJECT: &str = "employer";

/// The review log and the employers' conflict-of-interest links, newest first, as the public
/// may see them. The two tables are read newest first up to the end of the page and merged.
pub fn log_page(conn: &mut DbConnection, now: NaiveDateTime, page: PageNumber, per_page: u32) -> DbResult<LogPage> {
    let reviews: i64 = review_events::table.count().get_result(conn)?;
    let links: i64 =
        editorial_events::table.filter(editorial_events::subject.eq(EMPLOYER_LINK_SUBJECT)).count().get_result(conn)?;
    let offset = page.offset(per_page);
    let upto = offset + i64::from(per_page);
    let rows: Vec<LogRow> = review_events::table
        .inner_join(postings::table)
        .left_join(organizations::table)
        .order((review_events::created_at.desc(), review_events::id.desc()))
        .limit(upto)
        .select((
            review_events::created_at,
            review_events::action,
            review_events::reason_code,
            review_events::organization_id,
            organizations::name.nullable(),
            postings::public_id,
            postings::title,
            postings::status,
            postings::published_at,
            postings::valid_through,
        ))
        .load(conn)?;
    let mut items: Vec<LogEntry> = rows
        .into_iter()
        .map(|(at, action, reason_code, org_id, org_name, public_id, title, status, published_at, valid_through)| {
            // An unknown stored status is treated as private: the title stays hidden.
            let status = status.parse::<PostingStatus>().ok();
            let shown = status.is_some_and(|s| was_public(s, published_at));
            LogEntry {
                at,
                subject: LogSubject::Posting {
                    public_id,
                    title: shown.then_some(title),
                    public_now: status == Some(PostingStatus::Published) && valid_through > now,
                },
                reason: public_reason(&action, reason_code.as_deref()),
                by: organization_actor(org_id, org_name, reason_code.as_deref()),
                action,
            }
        })
        .collect();
    let link_rows: Vec<LinkRow> = editorial_events::table
        .left_join(organizations::table.on(editorial_events::organization_id.eq(organizations::id.nullable())))
        .filter(editorial_events::subject.eq(EMPLOYER_LINK_SUBJECT))
        .order((editorial_events::created_at.desc(), editorial_events::id.desc()))
        .limit(upto)
        .select((
            editorial_events::created_at,
            editorial_events::action,
            editorial_events::from_status,
            editorial_events::to_status,
            editorial_events::organization_id,
            organizations::name.nullable(),
        ))
        .load(conn)?;
    if !link_rows.is_empty() {
        let names: HashMap<String, String> =
            organizations::table.select((organizations::slug, organizations::name)).load(conn)?.into_iter().collect();
        let name = |slug: &str| (!slug.is_empty()).then(|| names.get(slug).cloned().unwrap_or_else(|| slug.to_owned()));
        items.extend(link_rows.into_iter().map(|(at, action, from, to, org_id, org_name)| LogEntry {
            at,
            subject: LogSubject::EmployerLink { from: name(&from), to: name(&to) },
            action,
            reason: None,
            by: organization_actor(org_id, org_name, None),
        }));
        // Stable: at the same instant the review lines keep their order and come first.
        items.sort_by_key(|e| std::cmp::Reverse(e.at));
    }
    let items = items.into_iter().skip(usize::try_from(offset).unwrap_or(usize::MAX)).take(per_page as usize).collect();
    Ok(LogPage { items, total: reviews + links })
}

/// `[from, to)` in UTC.
#[derive(Debug, Clone, Copy)]
struct Range {
    from: NaiveDateTime,
    to: NaiveDateTime,
}

impl Range {
    /// Wider than any row: 1970 to 9999 (both backends store these).
    fn all_time() -> Self {
        let at = |y| NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default();
        Range { from: at(1970), to: at(9999) }
    }

    fn contains(self, at: NaiveDateTime) -> bool {
        self.from <= at && at < self.to
    }
}

/// The calendar month in Japan that `now` (UTC) falls in, as `[start, end)` in UTC.
pub fn tokyo_month(now: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    let local = now.and_utc().with_timezone(&tokyo()).date_naive();
    let (y, m) = (local.year(), local.month());
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let start_utc = |y, m| {
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|local| local - chrono::Duration::hours(9))
            .unwrap_or(now)
    };
    (start_utc(y, m), start_utc(ny, nm))
}

/// The value at percentile `p` (1..=100) of sorted values by the nearest-rank method:
/// the smallest value with at least `p`% of the values at or below it. `None` when empty.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: u32) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = (usize::try_from(p.clamp(1, 100)).unwrap_or(100) * n).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Seconds as hours, to one decimal.
fn hours(seconds: i64) -> f64 {
    (seconds as f64 / 360.0).round() / 10.0
}

/// The figures of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodStats {
    /// Postings created (submissions that became postings).
    pub submitted: i64,
    /// Approvals.
    pub published: i64,
    /// Requests for changes.
    pub changes_requested: i64,
    /// Rejections by reason, in the order of [`RejectReason::ALL`], reasons with none left out.
    /// A missing or unknown stored code counts as [`RejectReason::Other`].
    pub rejected: Vec<(RejectReason, i64)>,
    /// Postings whose first decision (approve or reject) fell in the period.
    pub decided: usize,
    /// Hours from submission to the first decision, median and 90th percentile (nearest rank).
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Decisions (approve, request changes, reject) per member organisation, most first.
    pub by_organization: Vec<(String, i64)>,
}

impl PeriodStats {
    pub fn rejected_total(&self) -> i64 {
        self.rejected.iter().map(|(_, n)| n).sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The start of this month in Japan, as UTC.
    pub month_start: NaiveDateTime,
    pub this_month: PeriodStats,
    pub all_time: PeriodStats,
}

const DECISIONS: [&str; 3] = ["approve", "request_changes", "reject"];

fn count_events(conn: &mut DbConnection, action: PostingAction, range: Range) -> DbResult<i64> {
    Ok(review_events::table
        .filter(review_events::action.eq(action.code()))
        .filter(review_events::created_at.ge(range.from))
        .filter(review_events::created_at.lt(range.to))
        .count()
        .get_result(conn)?)
}

fn period(
    conn: &mut DbConnection,
    range: Range,
    first_decisions: &[(NaiveDateTime, NaiveDateTime)],
) -> DbResult<PeriodStats> {
    let submitted = postings::table
        .filter(postings::created_at.ge(range.from))
        .filter(postings::created_at.lt(range.to))
        .count()
        .get_result(conn)?;
    let published = count_events(conn, PostingAction::Approve, range)?;
    let changes_requested = count_events(conn, PostingAction::RequestChanges, range)?;

    let reject_rows: Vec<(Option<String>, i64)> = review_events::table
        .filter(review_events::action.eq(PostingAction::Reject.code()))
        .filter(review_events::created_at.ge(range.from))
        .filter(review_events::created_at.lt(range.to))
        .group_by(review_events::reason_code)
        .select((review_events::reason_code, diesel::dsl::count_star()))
        .load(conn)?;
    let mut by_reason: HashMap<RejectReason, i64> = HashMap::new();
    for (code, n) in reject_rows {
        let reason = code.and_then(|c| c.parse().ok()).unwrap_or(RejectReason::Other);
        *by_reason.entry(reason).or_default() += n;
    }
    let rejected =
        RejectReason::ALL.iter().filter_map(|r| by_reason.get(r).map(|n| (*r, *n))).filter(|(_, n)| *n > 0).collect();

    let mut by_organization: Vec<(String, i64)> = review_events::table
        .inner_join(organizations::table)
        .filter(review_events::action.eq_any(DECISIONS))
        .filter(review_events::created_at.ge(range.from))
        .filter(review_events::created_at.lt(range.to))
        .group_by((organizations::id, organizations::name))
        .select((organizations::name, diesel::dsl::count_star()))
        .load(conn)?;
    by_organization.sort_by(|(a, n), (b, m)| m.cmp(n).then_with(|| a.cmp(b)));

    let mut waits: Vec<i64> = first_decisions
        .iter()
        .filter(|(_, decided)| range.contains(*decided))
        .map(|(created, decided)| (*decided - *created).num_seconds().max(0))
        .collect();
    waits.sort_unstable();
    Ok(PeriodStats {
        submitted,
        published,
        changes_requested,
        rejected,
        decided: waits.len(),
        median_hours: nearest_rank(&waits, 50).map(hours),
        p90_hours: nearest_rank(&waits, 90).map(hours),
        by_organization,
    })
}

/// This month's (in Japan) and all-time figures.
pub fn summary(conn: &mut DbConnection, now: NaiveDateTime) -> DbResult<Summary> {
    // Each decided posting's submission time and its first approve or reject.
    let first: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = postings::table
        .inner_join(review_events::table)
        .filter(review_events::action.eq_any([PostingAction::Approve.code(), PostingAction::Reject.code()]))
        .group_by((postings::id, postings::created_at))
        .select((postings::created_at, diesel::dsl::min(review_events::created_at)))
        .load(conn)?;
    let first: Vec<(NaiveDateTime, NaiveDateTime)> =
        first.into_iter().filter_map(|(created, decided)| Some((created, decided?))).collect();
    let (from, to) = tokyo_month(now);
    Ok(Summary {
        month_start: from,
        this_month: period(conn, Range { from, to }, &first)?,
        all_time: period(conn, Range::all_time(), &first)?,
    })
}

/// Succession listings (後継者募集) by where they stand now, for the public record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuccessionCounts {
    pub open: i64,
    pub in_talks: i64,
    pub matched: i64,
}

pub fn succession_counts(conn: &mut DbConnection) -> DbResult<SuccessionCounts> {
    let by_status = crate::succession::counts_by_status(conn)?;
    let n = |s: yui_domain::SuccessionStatus| by_status.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n);
    Ok(SuccessionCounts {
        open: n(yui_domain::SuccessionStatus::Open),
        in_talks: n(yui_domain::SuccessionStatus::InTalks),
        matched: n(yui_domain::SuccessionStatus::Matched),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(nearest_rank::<i64>(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[1, 2], 50), Some(1));
        assert_eq!(nearest_rank(&[1, 2], 90), Some(2));
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&v, 50), Some(5));
        assert_eq!(nearest_rank(&v, 90), Some(9));
        assert_eq!(nearest_rank(&v, 100), Some(10));
        let v: Vec<i64> = (1..=11).collect();
        assert_eq!(nearest_rank(&v, 50), Some(6));
        assert_eq!(nearest_rank(&v, 90), Some(10));
    }

    #[test]
    fn the_month_is_japans() {
        // 2026-11-30 16:00 UTC is already 1 December in Japan.
        assert_eq!(tokyo_month(at(2026, 11, 30, 16)), (at(2026, 11, 30, 15), at(2026, 12, 31, 15)));
        assert_eq!(tokyo_month(at(2026, 11, 30, 14)), (at(2026, 10, 31, 15), at(2026, 11, 30, 15)));
        assert_eq!(tokyo_month(at(2026, 12, 15, 0)), (at(2026, 11, 30, 15), at(2026, 12, 31, 15)));
    }

    #[test]
    fn hours_have_one_decimal() {
        assert_eq!(hours(5400), 1.5);
        assert_eq!(hours(0), 0.0);
        assert_eq!(hours(3 * 3600 + 100), 3.0);
    }

    #[test]
    fn titles_only_of_postings_seekers_saw() {
        let t = Some(at(2026, 1, 1, 0));
        for s in [PostingStatus::Published, PostingStatus::Expired, PostingStatus::Closed, PostingStatus::Filled] {
            assert!(was_public(s, t), "{s}");
        }
        for s in [PostingStatus::Pending, PostingStatus::ChangesRequested, PostingStatus::Rejected] {
            assert!(!was_public(s, t), "{s}");
        }
        assert!(!was_public(PostingStatus::Closed, None), "withdrawn before review");
    }

    #[test]
    fn reasons_only_for_reject_and_request_changes() {
        assert_eq!(public_reason("reject", Some("spam")), Some(PublicReason::Reject(RejectReason::Spam)));
        assert_eq!(
            public_reason("request_changes", Some("unclear")),
            Some(PublicReason::Change(ChangeReason::Unclear))
        );
        assert_eq!(public_reason("close", Some("employer")), None);
        assert_eq!(public_reason("reject", Some("free text the editor typed")), None);
        assert_eq!(public_reason("reject", None), None);
    }
}
