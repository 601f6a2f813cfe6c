//! `[following]`: when digests and alerts go out, and how long their links work.

use chrono::Duration;
use yui_domain::following::Schedule;

#[derive(Debug, serde::Deserialize)]
pub(crate) struct RawFollowing {
    digest_weekday: String,
    digest_hour: u32,
    alerts_hour: u32,
    link_valid_hours: i64,
    signup_per_hour: u32,
}

/// `[following]`.
#[derive(Debug, Clone)]
pub struct FollowingSettings {
    pub schedule: Schedule,
    /// How long a confirmation link works.
    pub link_valid: Duration,
    /// Sign-ups per visitor address and hour.
    pub signup_per_hour: u32,
}

impl FollowingSettings {
    pub(crate) fn parse(raw: RawFollowing) -> Result<Self, (&'static str, String)> {
        let digest_weekday = yui_domain::following::parse_weekday(&raw.digest_weekday)
            .ok_or(("following.digest_weekday", format!("{:?} is not a weekday (mon … sun)", raw.digest_weekday)))?;
        if raw.digest_hour > 23 {
            return Err(("following.digest_hour", "must be between 0 and 23".into()));
        }
        if raw.alerts_hour > 23 {
            return Err(("following.alerts_hour", "must be between 0 and 23".into()));
        }
        if !(1..=24 * 14).contains(&raw.link_valid_hours) {
            return Err(("following.link_valid_hours", "must be between 1 and 336".into()));
        }
        if raw.signup_per_hour == 0 {
            return Err(("following.signup_per_hour", "must be at least 1".into()));
        }
        Ok(FollowingSettings {
            schedule: Schedule { digest_weekday, digest_hour: raw.digest_hour, alerts_hour: raw.alerts_hour },
            link_valid: Duration::hours(raw.link_valid_hours),
            signup_per_hour: raw.signup_per_hour,
        })
    }
}
