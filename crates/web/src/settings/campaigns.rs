//! `[campaigns]`: how long joint campaigns' entries are kept, and how many entries one visitor
//! address may send per hour.

#[derive(Debug, serde::Deserialize)]
pub(crate) struct RawCampaigns {
    retention_days: i64,
    entries_per_hour: i64,
}

/// `[campaigns]`.
#[derive(Debug, Clone)]
pub struct CampaignSettings {
    /// Entries are deleted this many days after the campaign's last day.
    pub retention_days: u32,
    /// Entries per visitor address and hour.
    pub entries_per_hour: u32,
}

impl CampaignSettings {
    pub(crate) fn parse(raw: RawCampaigns) -> Result<Self, (&'static str, String)> {
        let retention_days = u32::try_from(raw.retention_days).ok().filter(|d| (1..=3650).contains(d)).ok_or((
            "campaigns.retention_days",
            format!("{} is not a number of days between 1 and 3650", raw.retention_days),
        ))?;
        let entries_per_hour = u32::try_from(raw.entries_per_hour)
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or(("campaigns.entries_per_hour", format!("{} is not between 1 and 1000", raw.entries_per_hour)))?;
        Ok(CampaignSettings { retention_days, entries_per_hour })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_value_names_its_key() {
        let parse = |retention_days, entries_per_hour| {
            CampaignSettings::parse(RawCampaigns { retention_days, entries_per_hour }).map(|s| s.retention_days)
        };
        assert_eq!(parse(180, 5), Ok(180));
        assert_eq!(parse(0, 5).map_err(|(key, _)| key), Err("campaigns.retention_days"));
        assert_eq!(parse(-3, 5).map_err(|(key, _)| key), Err("campaigns.retention_days"));
        assert_eq!(parse(180, 0).map_err(|(key, _)| key), Err("campaigns.entries_per_hour"));
    }
}
