//! `[succession]`: how long owners' requests are kept once closed, and how many requests one
//! visitor address may send per hour; how long the takeover pool keeps an entry, unconfirmed
//! and confirmed, and how many entries one visitor address may send per hour.

#[derive(Debug, serde::Deserialize)]
pub(crate) struct RawSuccession {
    request_retention_days: i64,
    requests_per_hour: i64,
    pool_days: i64,
    pool_unconfirmed_hours: i64,
    pool_per_hour: i64,
}

/// `[succession]`.
#[derive(Debug, Clone)]
pub struct SuccessionSettings {
    /// A request is deleted this many days after it was listed or declined.
    pub request_retention_days: u32,
    /// Owners' requests per visitor address and hour.
    pub requests_per_hour: u32,
    /// A confirmed pool entry is deleted this many days after its confirmation.
    pub pool_days: u32,
    /// An unconfirmed pool entry is deleted this many hours after it was sent.
    pub pool_unconfirmed_hours: u32,
    /// Pool entries per visitor address and hour.
    pub pool_per_hour: u32,
}

/// A whole number within `range`, or the setting's key and what is wrong.
fn within(key: &'static str, value: i64, range: std::ops::RangeInclusive<u32>) -> Result<u32, (&'static str, String)> {
    u32::try_from(value)
        .ok()
        .filter(|n| range.contains(n))
        .ok_or((key, format!("{value} is not between {} and {}", range.start(), range.end())))
}

impl SuccessionSettings {
    pub(crate) fn parse(raw: RawSuccession) -> Result<Self, (&'static str, String)> {
        let request_retention_days =
            u32::try_from(raw.request_retention_days).ok().filter(|d| (1..=3650).contains(d)).ok_or((
                "succession.request_retention_days",
                format!("{} is not a number of days between 1 and 3650", raw.request_retention_days),
            ))?;
        let requests_per_hour = u32::try_from(raw.requests_per_hour)
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or(("succession.requests_per_hour", format!("{} is not between 1 and 1000", raw.requests_per_hour)))?;
        let pool_days = within("succession.pool_days", raw.pool_days, 30..=3650)?;
        let pool_unconfirmed_hours = within("succession.pool_unconfirmed_hours", raw.pool_unconfirmed_hours, 1..=720)?;
        let pool_per_hour = within("succession.pool_per_hour", raw.pool_per_hour, 1..=1000)?;
        Ok(SuccessionSettings {
            request_retention_days,
            requests_per_hour,
            pool_days,
            pool_unconfirmed_hours,
            pool_per_hour,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_value_names_its_key() {
        let parse = |request_retention_days, requests_per_hour| {
            let raw = RawSuccession {
                request_retention_days,
                requests_per_hour,
                pool_days: 365,
                pool_unconfirmed_hours: 48,
                pool_per_hour: 3,
            };
            SuccessionSettings::parse(raw).map(|s| s.request_retention_days)
        };
        assert_eq!(parse(90, 3), Ok(90));
        assert_eq!(parse(0, 3).map_err(|(key, _)| key), Err("succession.request_retention_days"));
        assert_eq!(parse(90, -1).map_err(|(key, _)| key), Err("succession.requests_per_hour"));
    }

    #[test]
    fn a_bad_pool_setting_names_its_key() {
        let raw = |pool_days, pool_unconfirmed_hours| RawSuccession {
            request_retention_days: 90,
            requests_per_hour: 3,
            pool_days,
            pool_unconfirmed_hours,
            pool_per_hour: 3,
        };
        assert_eq!(SuccessionSettings::parse(raw(365, 48)).map(|s| s.pool_days), Ok(365));
        assert_eq!(SuccessionSettings::parse(raw(0, 48)).map_err(|(key, _)| key).err(), Some("succession.pool_days"));
        let hours = SuccessionSettings::parse(raw(365, 0)).map_err(|(key, _)| key).err();
        assert_eq!(hours, Some("succession.pool_unconfirmed_hours"));
    }
}
