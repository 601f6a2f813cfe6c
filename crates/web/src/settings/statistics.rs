//! `[statistics]`: how often views reach the database, when a sponsor's report goes out, and
//! when the weekly note to operators does.

/// The defaults are those of `config/default.toml`, for a settings file without the section.
#[derive(Debug, serde::Deserialize)]
#[serde(default)]
pub(crate) struct RawStatistics {
    flush_secs: u64,
    sponsor_report_after_days: i64,
    weekly_note_hour: u32,
}

impl Default for RawStatistics {
    fn default() -> Self {
        RawStatistics { flush_secs: 5, sponsor_report_after_days: 60, weekly_note_hour: 8 }
    }
}

/// `[statistics]`.
#[derive(Debug, Clone)]
pub struct StatisticsSettings {
    /// How often each instance adds the views it counted to the database.
    pub flush_every: std::time::Duration,
    /// A paid feature's run: its sponsor's report is mailed this long after it was published.
    pub sponsor_report_after: chrono::Duration,
    /// The weekly note goes out on Monday from this hour on, Tokyo time.
    pub weekly_note_hour: u32,
}

impl StatisticsSettings {
    pub(crate) fn parse(raw: RawStatistics) -> Result<Self, (&'static str, String)> {
        if !(1..=300).contains(&raw.flush_secs) {
            return Err(("statistics.flush_secs", "must be between 1 and 300".into()));
        }
        if !(1..=366).contains(&raw.sponsor_report_after_days) {
            return Err(("statistics.sponsor_report_after_days", "must be between 1 and 366".into()));
        }
        if raw.weekly_note_hour > 23 {
            return Err(("statistics.weekly_note_hour", "must be between 0 and 23".into()));
        }
        Ok(StatisticsSettings {
            flush_every: std::time::Duration::from_secs(raw.flush_secs),
            sponsor_report_after: chrono::Duration::days(raw.sponsor_report_after_days),
            weekly_note_hour: raw.weekly_note_hour,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_name_their_key_and_the_defaults_pass() {
        assert!(StatisticsSettings::parse(RawStatistics::default()).is_ok());
        for (raw, key) in [
            (RawStatistics { flush_secs: 0, ..Default::default() }, "statistics.flush_secs"),
            (
                RawStatistics { sponsor_report_after_days: 0, ..Default::default() },
                "statistics.sponsor_report_after_days",
            ),
            (RawStatistics { weekly_note_hour: 24, ..Default::default() }, "statistics.weekly_note_hour"),
        ] {
            let err = StatisticsSettings::parse(raw).map(|_| ()).unwrap_err();
            assert_eq!(err.0, key);
        }
    }

    #[test]
    fn a_bad_value_in_a_settings_file_stops_the_load_with_one_line() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("test.toml"), "[statistics]\nweekly_note_hour = 25\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let err = crate::Settings::load(dir.path(), "test").map(|_| ()).unwrap_err().to_string();
        assert_eq!(err, "configuration key statistics.weekly_note_hour: must be between 0 and 23");
    }
}
