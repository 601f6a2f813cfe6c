//! `[succession]`: how long owners' requests are kept once closed, and how many requests one
//! visitor address may send per hour.

#[derive(Debug, serde::Deserialize)]
pub(crate) struct RawSuccession {
    request_retention_days: i64,
    requests_per_hour: i64,
}

/// `[succession]`.
#[derive(Debug, Clone)]
pub struct SuccessionSettings {
    /// A request is deleted this many days after it was listed or declined.
    pub request_retention_days: u32,
    /// Owners' requests per visitor address and hour.
    pub requests_per_hour: u32,
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
        Ok(SuccessionSettings { request_retention_days, requests_per_hour })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_value_names_its_key() {
        let parse = |request_retention_days, requests_per_hour| {
            SuccessionSettings::parse(RawSuccession { request_retention_days, requests_per_hour })
                .map(|s| s.request_retention_days)
        };
        assert_eq!(parse(90, 3), Ok(90));
        assert_eq!(parse(0, 3).map_err(|(key, _)| key), Err("succession.request_retention_days"));
        assert_eq!(parse(90, -1).map_err(|(key, _)| key), Err("succession.requests_per_hour"));
    }
}
