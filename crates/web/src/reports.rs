//! Mail from the statistics, queued by `yui serve`'s background pass: the weekly note to the
//! operators who asked for it (Monday morning, Tokyo), and each paid feature's report link to its
//! sponsor when the feature's run ends. Each is claimed by a unique row in the transaction that
//! queues it, so several instances, or a rerun, send nothing twice.

use crate::intake::Context;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use yui_db::{DbConnection, DbError};
use yui_domain::statistics::{count_by, monday_of, tokyo_day};
use yui_mail::letters::statistics::{NotePosting, NoteWeek, SponsorReport, WeeklyNote};
use yui_mail::MailError;

/// The note names published postings ending within this many days.
pub const ENDING_DAYS: i64 = 14;
/// The note compares the week that ended with this many weeks before it.
pub const EARLIER_WEEKS: usize = 8;

/// The Monday (Tokyo) of the note due at `now`: this week's once Monday's `hour` has come,
/// else last week's (so a note missed while Yui was down still goes, late, once).
pub fn note_week(now: NaiveDateTime, hour: u32) -> NaiveDate {
    let local = now.and_utc().with_timezone(&yui_domain::tokyo()).naive_local();
    let monday = monday_of(local.date());
    let due = monday.and_hms_opt(hour, 0, 0).unwrap_or_default();
    if local < due {
        monday - Duration::weeks(1)
    } else {
        monday
    }
}

/// The UTC instant a Tokyo day begins.
fn start_of(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::hours(9)
}

fn day_label(day: NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

/// A claim another pass won first: nothing to do.
fn lost_the_claim(e: &MailError) -> bool {
    matches!(e, MailError::Db(DbError::Exists(_)))
}

/// Queues the note of the week due at `now`, unless it went already or nobody asked for it.
/// Returns how many notes were queued (0 or 1).
pub fn build_weekly_note(conn: &mut DbConnection, ctx: Context<'_>, now: NaiveDateTime) -> Result<usize, MailError> {
    let week = note_week(now, ctx.settings.statistics.weekly_note_hour);
    if yui_db::statistics::week_claimed(conn, week)? {
        return Ok(0);
    }
    let recipients = yui_db::statistics::weekly_note_recipients(conn)?;
    if recipients.is_empty() {
        return Ok(0);
    }
    // The week that just ended, and the eight before it, oldest first.
    let mondays: Vec<NaiveDate> = (0..=EARLIER_WEEKS).rev().map(|i| week - Duration::weeks(i as i64 + 1)).collect();
    let facts = yui_db::statistics::note_facts(conn, start_of(mondays[0]), now, now + Duration::days(ENDING_DAYS))?;
    let counts = count_by(&mondays, monday_of, facts.created.iter().copied());
    let (reported, earlier_counts) = (counts[EARLIER_WEEKS], &counts[..EARLIER_WEEKS]);
    let earlier: Vec<NoteWeek> = mondays[..EARLIER_WEEKS]
        .iter()
        .zip(earlier_counts)
        .rev()
        .map(|(m, n)| NoteWeek { label: day_label(*m), count: *n })
        .collect();
    let average = earlier_counts.iter().sum::<i64>() as f64 / EARLIER_WEEKS as f64;
    let base = &ctx.settings.site.base_url;
    let noted = |p: &yui_db::statistics::NotedPosting, day: NaiveDate| NotePosting {
        title: p.title.clone(),
        date: day_label(day),
        url: format!("{base}/admin/review/{}", p.public_id),
    };
    let oldest_pending = facts.oldest_pending.as_ref().map(|p| noted(p, tokyo_day(p.at)));
    // `valid_through` is the instant the posting ends: its last day is the one before.
    let ending_soon: Vec<NotePosting> =
        facts.ending_soon.iter().map(|p| noted(p, tokyo_day(p.at - Duration::seconds(1)))).collect();
    let week_label = day_label(mondays[EARLIER_WEEKS]);
    let average_text = format!("{average:.1}");
    let account_url = format!("{base}/admin/password");
    let note = WeeklyNote {
        week: &week_label,
        new_postings: reported,
        earlier: &earlier,
        earlier_average: &average_text,
        fewer: (reported as f64) < average,
        oldest_pending: oldest_pending.as_ref(),
        ending_soon: &ending_soon,
        ending_days: ENDING_DAYS,
        mails_failed: facts.mails_failed,
        mails_retrying: facts.mails_retrying,
        account_url: &account_url,
    };
    let to: Vec<&str> = recipients.iter().map(String::as_str).collect();
    let count = i32::try_from(to.len()).unwrap_or(i32::MAX);
    let queued = yui_db::transaction(conn, |conn| {
        yui_db::statistics::claim_week(conn, week, count, now)?;
        ctx.letters.weekly_note(conn, &to, &note)
    });
    match queued {
        Ok(_) => {
            log::info!("weekly note of {week} queued to {count} staff member(s)");
            Ok(1)
        }
        Err(e) if lost_the_claim(&e) => Ok(0),
        Err(e) => Err(e),
    }
}

/// The address of a report, from its token.
pub fn report_url(base_url: &str, token: &str) -> String {
    format!("{base_url}/reports/{token}")
}

/// Queues the report link of every paid feature whose run ended (published at least
/// `statistics.sponsor_report_after_days` ago), once each. Returns how many were queued.
pub fn build_sponsor_reports(
    conn: &mut DbConnection,
    ctx: Context<'_>,
    now: NaiveDateTime,
) -> Result<usize, MailError> {
    let due = yui_db::statistics::reports_due(conn, now - ctx.settings.statistics.sponsor_report_after)?;
    let mut queued = 0;
    for report in due {
        if yui_db::employers::has_no_email(&report.sponsor_email) {
            continue;
        }
        let token = crate::tokens::random_token();
        let url = report_url(&ctx.settings.site.base_url, &token);
        let letter = SponsorReport { sponsor_name: &report.sponsor_name, title: &report.title, report_url: &url };
        let done = yui_db::transaction(conn, |conn| {
            yui_db::statistics::claim_report(conn, report.article_id, &crate::tokens::hash_token(&token), now)?;
            ctx.letters.sponsor_report(conn, &report.sponsor_email, &letter)
        });
        match done {
            Ok(_) => {
                log::info!("the report of feature {} queued to its sponsor", report.article_id);
                queued += 1;
            }
            Err(e) if lost_the_claim(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(queued)
}

/// One pass beside the server (see `yui serve`): both, each claimed once.
pub fn pass(conn: &mut DbConnection, ctx: Context<'_>) -> Result<String, MailError> {
    let now = yui_db::now();
    let notes = build_weekly_note(conn, ctx, now)?;
    let reports = build_sponsor_reports(conn, ctx, now)?;
    Ok(match (notes, reports) {
        (0, 0) => String::new(),
        (n, r) => format!("{n} weekly note(s) and {r} sponsor report(s) queued"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d).and_then(|d| d.and_hms_opt(h, 0, 0)).unwrap_or_default()
    }

    #[test]
    fn the_note_of_a_week_is_due_from_monday_at_its_hour_in_tokyo() {
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap_or_default();
        // Sunday 22:00 UTC is Monday 07:00 in Tokyo: still last week's.
        assert_eq!(note_week(at(6, 22), 8), monday - Duration::weeks(1));
        // Sunday 23:00 UTC is Monday 08:00 in Tokyo.
        assert_eq!(note_week(at(6, 23), 8), monday);
        assert_eq!(note_week(at(10, 12), 8), monday, "later in the week: the same note");
    }
}
