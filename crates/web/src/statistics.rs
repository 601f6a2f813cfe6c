//! The numbers shown to employers, sponsors and the public, put together from the counted views
//! (`yui_db::statistics`) and what is stored anyway (inquiries, answers, matches), by Tokyo
//! week or month. Never who: only counts.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use yui_db::statistics::{self as stats, ARTICLE, CLICK, POSTING};
use yui_db::{DbConnection, DbResult};
use yui_domain::statistics::{count_by, last_months, last_weeks, monday_of, month_of, sum_by};

/// Weeks on an employer's private page and a sponsor's report.
pub const WEEKS: usize = 12;
/// Months on `/transparency`.
pub const MONTHS: usize = 12;

/// One week's numbers (`clicks` only in a sponsor's report).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Week {
    pub monday: NaiveDate,
    pub views: i64,
    pub contacts: i64,
    pub clicks: i64,
}

/// The UTC instant a Tokyo day begins.
fn start_of(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::hours(9)
}

fn weeks_of(
    mondays: &[NaiveDate],
    views: Vec<(NaiveDate, i64)>,
    contacts: Vec<NaiveDateTime>,
    clicks: Vec<(NaiveDate, i64)>,
) -> Vec<Week> {
    let (views, contacts, clicks) =
        (sum_by(mondays, monday_of, views), count_by(mondays, monday_of, contacts), sum_by(mondays, monday_of, clicks));
    (0..mondays.len())
        .map(|i| Week { monday: mondays[i], views: views[i], contacts: contacts[i], clicks: clicks[i] })
        .collect()
}

/// A posting's views and contacts in each of the last [`WEEKS`] weeks, oldest first.
pub fn posting_weeks(conn: &mut DbConnection, posting_id: i32, today: NaiveDate) -> DbResult<Vec<Week>> {
    let mondays = last_weeks(today, WEEKS);
    let since = mondays[0];
    let views = stats::views_by_day(conn, POSTING, &[posting_id], since)?;
    let contacts = stats::inquiry_times(conn, Some(&[posting_id]), start_of(since))?;
    Ok(weeks_of(&mondays, views, contacts, Vec::new()))
}

/// At most this many weeks in a sponsor's report (a run is at most a year).
const MAX_REPORT_WEEKS: i64 = 53;

/// A feature's views, clicks to its postings and inquiries to them in each week from `from`'s
/// to `to`'s, oldest first.
pub fn feature_weeks(conn: &mut DbConnection, article_id: i32, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<Week>> {
    let (first, last) = (monday_of(from), monday_of(to.max(from)));
    let n = ((last - first).num_weeks() + 1).clamp(1, MAX_REPORT_WEEKS);
    let mondays = last_weeks(first + Duration::weeks(n - 1), n as usize);
    let since = mondays[0];
    let views = stats::views_by_day(conn, ARTICLE, &[article_id], since)?;
    let clicks = stats::views_by_day(conn, CLICK, &[article_id], since)?;
    let postings = stats::linked_posting_ids(conn, article_id)?;
    let contacts = stats::inquiry_times(conn, Some(&postings), start_of(since))?;
    Ok(weeks_of(&mondays, views, contacts, clicks))
}

/// One month of the site's figures on `/transparency`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub views: i64,
    pub contacts: i64,
    /// Postings whose employer said the hire came through Yui.
    pub filled_via_yui: i64,
    pub successions_matched: i64,
    /// Entries to joint campaigns, and those the coordinators marked matched.
    pub campaign_entries: i64,
    pub campaign_matches: i64,
}

/// The last [`MONTHS`] months up to `today`'s, oldest first.
pub fn site_months(conn: &mut DbConnection, today: NaiveDate) -> DbResult<Vec<Month>> {
    let firsts = last_months(today, MONTHS);
    let since = firsts[0];
    let views = sum_by(&firsts, month_of, stats::site_views_by_day(conn, since)?);
    let contacts = count_by(&firsts, month_of, stats::inquiry_times(conn, None, start_of(since))?);
    let filled = count_by(&firsts, month_of, stats::filled_via_yui_times(conn, start_of(since))?);
    let matched = count_by(&firsts, month_of, stats::successions_matched_times(conn, start_of(since))?);
    let entries = count_by(&firsts, month_of, stats::campaign_entry_times(conn, start_of(since))?);
    let matches = count_by(&firsts, month_of, stats::campaign_match_times(conn, start_of(since))?);
    Ok((0..firsts.len())
        .map(|i| Month {
            month: firsts[i].format("%Y-%m").to_string(),
            views: views[i],
            contacts: contacts[i],
            filled_via_yui: filled[i],
            successions_matched: matched[i],
            campaign_entries: entries[i],
            campaign_matches: matches[i],
        })
        .collect())
}
