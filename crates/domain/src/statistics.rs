//! Periods of the statistics: Tokyo days grouped into weeks (from Monday) and months.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

/// The day in Japan of a UTC timestamp.
pub fn tokyo_day(at: NaiveDateTime) -> NaiveDate {
    at.and_utc().with_timezone(&crate::tokyo()).date_naive()
}

/// The Monday that starts `day`'s week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The first of `day`'s month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The Mondays of the last `n` weeks up to `today`'s, oldest first.
pub fn last_weeks(today: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let this = monday_of(today);
    (0..n).rev().map(|i| this - Duration::weeks(i as i64)).collect()
}

/// The firsts of the last `n` months up to `today`'s, oldest first.
pub fn last_months(today: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let mut firsts = vec![month_of(today)];
    while firsts.len() < n {
        let Some(earlier) = firsts.last().and_then(|f| f.pred_opt()).map(month_of) else { break };
        firsts.push(earlier);
    }
    firsts.reverse();
    firsts
}

/// Sums `(day, n)` into the periods that `starts` begin (each period runs to the next start;
/// `period_of` names the start of a day's period). Days outside every period are left out.
pub fn sum_by(
    starts: &[NaiveDate],
    period_of: fn(NaiveDate) -> NaiveDate,
    days: impl IntoIterator<Item = (NaiveDate, i64)>,
) -> Vec<i64> {
    let mut sums = vec![0; starts.len()];
    for (day, n) in days {
        if let Ok(i) = starts.binary_search(&period_of(day)) {
            sums[i] += n;
        }
    }
    sums
}

/// [`sum_by`] for events, one each, at UTC timestamps.
pub fn count_by(
    starts: &[NaiveDate],
    period_of: fn(NaiveDate) -> NaiveDate,
    times: impl IntoIterator<Item = NaiveDateTime>,
) -> Vec<i64> {
    sum_by(starts, period_of, times.into_iter().map(|at| (tokyo_day(at), 1)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first_in_japan() {
        // 2026-12-06 is a Sunday.
        assert_eq!(last_weeks(day(2026, 12, 6), 2), [day(2026, 11, 23), day(2026, 11, 30)]);
        assert_eq!(last_months(day(2026, 1, 15), 3), [day(2025, 11, 1), day(2025, 12, 1), day(2026, 1, 1)]);
        // 2026-11-30 20:00 UTC is Tuesday 1 December 05:00 in Tokyo.
        let late = day(2026, 11, 30).and_hms_opt(20, 0, 0).unwrap();
        let months = last_months(day(2026, 12, 6), 2);
        assert_eq!(count_by(&months, month_of, [late]), [0, 1]);
    }

    #[test]
    fn days_are_summed_into_their_week_and_outside_days_are_left_out() {
        let weeks = last_weeks(day(2026, 12, 6), 2);
        let sums = sum_by(&weeks, monday_of, [(day(2026, 11, 23), 2), (day(2026, 12, 6), 3), (day(2026, 11, 1), 9)]);
        assert_eq!(sums, [2, 3]);
    }
}
