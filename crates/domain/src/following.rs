//! Following the site without an account: how often a saved search's alert goes out, and the
//! periods the digest and the alerts are claimed for. A period is the latest scheduled moment
//! at or before now (in Tokyo time); each address gets at most one mailing per period, which is
//! what makes a second run (or a second instance) queue nothing twice.

use crate::{coded_enum, tokyo, EmailAddress, FieldError, Message};
use chrono::{Datelike, Duration, NaiveDateTime, Weekday};

coded_enum! {
    /// How often a job alert goes out.
    Frequency, "alert frequency" {
        Daily => "daily", "毎日", "Daily";
        Weekly => "weekly", "毎週", "Weekly";
    }
}

/// When the mailings go out, in Tokyo time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub digest_weekday: Weekday,
    /// 0–23.
    pub digest_hour: u32,
    /// 0–23: daily alerts at this hour every day, weekly ones at this hour on the digest's weekday.
    pub alerts_hour: u32,
}

/// One mailing period: its key (stored once per address or saved search) and when it began (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub key: String,
    pub starts: NaiveDateTime,
}

impl Schedule {
    /// The latest moment at or before `now` (UTC) that is `hour` o'clock in Tokyo on a day that
    /// `day_ok` accepts, as UTC.
    fn latest(now: NaiveDateTime, hour: u32, day_ok: impl Fn(Weekday) -> bool) -> NaiveDateTime {
        let offset = Duration::hours(9);
        let local = now + offset;
        let mut day = local.date();
        for _ in 0..8 {
            if let Some(at) = day.and_hms_opt(hour.min(23), 0, 0) {
                if at <= local && day_ok(day.weekday()) {
                    return at - offset;
                }
            }
            day -= Duration::days(1);
        }
        now
    }

    /// The digest period `now` falls in: it began at the latest digest time, and the digest
    /// covers the seven days before that.
    pub fn digest_period(&self, now: NaiveDateTime) -> Period {
        let starts = Self::latest(now, self.digest_hour, |d| d == self.digest_weekday);
        Period { key: format!("digest-{}", (starts + Duration::hours(9)).format("%Y-%m-%d")), starts }
    }

    /// The alert period `now` falls in for `frequency`.
    pub fn alert_period(&self, frequency: Frequency, now: NaiveDateTime) -> Period {
        let starts = match frequency {
            Frequency::Daily => Self::latest(now, self.alerts_hour, |_| true),
            Frequency::Weekly => Self::latest(now, self.alerts_hour, |d| d == self.digest_weekday),
        };
        Period { key: format!("{}-{}", frequency.code(), (starts + Duration::hours(9)).format("%Y-%m-%d")), starts }
    }
}

/// The weekday a setting names (`mon` … `sun`, or the full English name).
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    s.trim().parse::<Weekday>().ok()
}

/// What the follow form asks for, before the saved search's filters are checked (those are
/// `/jobs` parameters, checked where the portal's lists live).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowRequest {
    pub email: EmailAddress,
    pub digest: bool,
    /// A job alert, and how often.
    pub alert: Option<Frequency>,
}

impl FollowRequest {
    /// `digest` and `alert` are checkbox values ("1" when ticked); `frequency` a [`Frequency`] code.
    pub fn parse(email: &str, digest: bool, alert: bool, frequency: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let email = if email.contains(['\r', '\n']) {
            errors.push(FieldError::new("email", Message::new("field.email.newline")));
            None
        } else {
            EmailAddress::parse(email).map_err(|m| errors.push(FieldError { field: "email", message: m })).ok()
        };
        let frequency = if alert {
            match frequency.parse::<Frequency>() {
                Ok(f) => Some(f),
                Err(_) => {
                    errors.push(FieldError::new("frequency", Message::new("field.follow.frequency.choose")));
                    None
                }
            }
        } else {
            None
        };
        if !digest && !alert {
            errors.push(FieldError::new("choice", Message::new("field.follow.choice.required")));
        }
        match email {
            Some(email) if errors.is_empty() => Ok(FollowRequest { email, digest, alert: frequency }),
            _ => Err(errors),
        }
    }
}

/// How long the link in a confirmation mail opens the subscription.
pub const CONFIRM_VALID_HOURS: i64 = 48;

/// Whether a confirmation link sent at `sent` still works at `now`.
pub fn confirmation_valid(sent: NaiveDateTime, now: NaiveDateTime, valid_hours: i64) -> bool {
    now >= sent && now - sent <= Duration::hours(valid_hours)
}

/// Tokyo's date of a UTC timestamp, for mail text (`2026年11月27日`).
pub fn tokyo_date(at: NaiveDateTime, lang: &str) -> String {
    let format = if lang == "en" { "%-d %b %Y" } else { "%Y年%-m月%-d日" };
    at.and_utc().with_timezone(&tokyo()).format(format).to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
    }

    const S: Schedule = Schedule { digest_weekday: Weekday::Fri, digest_hour: 8, alerts_hour: 7 };

    #[test]
    fn digest_periods_start_at_the_latest_scheduled_time_in_tokyo() {
        // Friday 27 Nov 2026 08:00 JST = 26 Nov 23:00 UTC.
        let p = S.digest_period(utc(2026, 11, 26, 23));
        assert_eq!((p.key.as_str(), p.starts), ("digest-2026-11-27", utc(2026, 11, 26, 23)));
        // An hour earlier it is still last week's period.
        assert_eq!(S.digest_period(utc(2026, 11, 26, 22)).key, "digest-2026-11-20");
        // Wednesday: last Friday's.
        assert_eq!(S.digest_period(utc(2026, 12, 2, 3)).key, "digest-2026-11-27");
    }

    #[test]
    fn alert_periods_are_daily_or_weekly() {
        // 07:00 JST on 25 Nov = 24 Nov 22:00 UTC.
        assert_eq!(S.alert_period(Frequency::Daily, utc(2026, 11, 24, 22)).key, "daily-2026-11-25");
        assert_eq!(S.alert_period(Frequency::Daily, utc(2026, 11, 24, 21)).key, "daily-2026-11-24");
        assert_eq!(S.alert_period(Frequency::Weekly, utc(2026, 11, 24, 22)).key, "weekly-2026-11-20");
        assert_eq!(S.alert_period(Frequency::Weekly, utc(2026, 11, 26, 22)).key, "weekly-2026-11-27");
    }

    #[test]
    fn the_form_needs_an_address_and_a_choice() {
        let ok = FollowRequest::parse("Hanako@Mail.Example", true, true, "weekly").unwrap();
        assert_eq!((ok.digest, ok.alert), (true, Some(Frequency::Weekly)));
        let errors = FollowRequest::parse("not-an-address", false, false, "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "choice"]);
        let errors = FollowRequest::parse("a@b.example", false, true, "hourly").unwrap_err();
        assert_eq!(errors[0].field, "frequency");
        assert!(FollowRequest::parse("a@b.example\r\nBcc: x@y", true, false, "").is_err());
    }

    #[test]
    fn confirmation_links_last_48_hours() {
        let sent = utc(2026, 11, 25, 0);
        assert!(confirmation_valid(sent, sent + Duration::hours(47), CONFIRM_VALID_HOURS));
        assert!(!confirmation_valid(sent, sent + Duration::hours(49), CONFIRM_VALID_HOURS));
        assert_eq!(tokyo_date(utc(2026, 11, 26, 23), "ja"), "2026年11月27日");
        assert_eq!(tokyo_date(utc(2026, 11, 26, 23), "en"), "27 Nov 2026");
    }
}
