//! Project-style side jobs and pro-bono work (副業・兼業・プロボノ, context `001`/`003`): how
//! much of a month it takes, for how long, how often on site, how remote, what travel is paid,
//! how it is rewarded and which organisation stays alongside. Structured, so that a seeker can
//! ask for 「月10時間・リモート中心・3か月」. Every field is optional: any posting may state them,
//! and a posting that states none has no project terms at all.

use crate::{coded_enum, Message};

coded_enum! {
    /// How the work is rewarded.
    Reward, "reward" {
        Paid => "paid", "有償", "Paid";
        SuccessFee => "success_fee", "成果報酬", "Success fee";
        Unpaid => "unpaid", "無償（プロボノ）", "Unpaid (pro bono)";
    }
}

coded_enum! {
    /// How often the work asks to be on site.
    Visits, "visits" {
        Never => "none", "現地訪問なし", "No visits";
        Few => "few", "期間中に数回", "A few visits in all";
        Monthly => "monthly", "月1回程度", "About once a month";
        Weekly => "weekly", "週1回以上", "Weekly or more";
    }
}

coded_enum! {
    /// What travel to the site costs the person.
    TravelSupport, "travel support" {
        Full => "full", "交通費・宿泊費を支給", "Travel and stay paid";
        Partial => "partial", "交通費を一部支給", "Travel partly paid";
        NotPaid => "none", "支給なし", "Not paid";
    }
}

/// At most a month's worth of hours: 744 is every hour of a 31-day month.
pub const MAX_HOURS_PER_MONTH: u16 = 744;
/// Ten years: a longer "project" is a job.
pub const MAX_DURATION_MONTHS: u16 = 120;

/// What arrives for the project terms: numbers and codes from the forms (the webhook mapping
/// turns people's words into these first).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ProjectInput {
    pub hours_per_month: Option<i64>,
    pub duration_months: Option<i64>,
    pub visits: String,
    /// Share of the work done remotely, in percent.
    pub remote_share: Option<i64>,
    pub travel_support: String,
    pub reward: String,
    /// The organisation that coordinates and stays alongside (its name as people know it).
    pub coordinator: String,
}

/// The project terms as stated; `None` where nothing was said.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectFacts {
    pub hours_per_month: Option<u16>,
    pub duration_months: Option<u16>,
    pub visits: Option<Visits>,
    pub remote_share: Option<u8>,
    pub travel_support: Option<TravelSupport>,
    pub reward: Option<Reward>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectTerms {
    pub facts: ProjectFacts,
    pub coordinator: Option<String>,
}

fn bounded(v: Option<i64>, min: i64, max: i64, key: &'static str) -> Result<Option<u16>, Message> {
    match v {
        None => Ok(None),
        Some(n) if (min..=max).contains(&n) => Ok(u16::try_from(n).ok()),
        Some(_) => Err(Message::new(key).with("min", min).with("max", max)),
    }
}

fn code<T: std::str::FromStr>(s: &str) -> Result<Option<T>, Message> {
    match s.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| Message::new("field.terms.choose")),
    }
}

impl ProjectTerms {
    /// Parses every field, reporting each problem under its form field's name.
    pub fn parse(input: &ProjectInput) -> Result<Self, Vec<(&'static str, Message)>> {
        let mut errors = Vec::new();
        macro_rules! take {
            ($field:literal, $r:expr) => {
                $r.map_err(|m| errors.push(($field, m))).ok().flatten()
            };
        }
        let hours = i64::from(MAX_HOURS_PER_MONTH);
        let months = i64::from(MAX_DURATION_MONTHS);
        let terms = ProjectTerms {
            facts: ProjectFacts {
                hours_per_month: take!(
                    "hours_per_month",
                    bounded(input.hours_per_month, 1, hours, "field.project.number")
                ),
                duration_months: take!(
                    "duration_months",
                    bounded(input.duration_months, 1, months, "field.project.number")
                ),
                visits: take!("visits", code(&input.visits)),
                remote_share: take!(
                    "remote_share",
                    bounded(input.remote_share, 0, 100, "field.project.number")
                        .map(|v| v.and_then(|n| u8::try_from(n).ok()))
                ),
                travel_support: take!("travel_support", code(&input.travel_support)),
                reward: take!("reward", code(&input.reward)),
            },
            coordinator: take!("coordinator", crate::posting::optional_text(&input.coordinator, 100)),
        };
        if errors.is_empty() {
            Ok(terms)
        } else {
            Err(errors)
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == ProjectTerms::default()
    }

    /// Back into the form's values.
    pub fn to_input(&self) -> ProjectInput {
        let f = &self.facts;
        let code = |c: Option<&'static str>| c.unwrap_or_default().to_owned();
        ProjectInput {
            hours_per_month: f.hours_per_month.map(i64::from),
            duration_months: f.duration_months.map(i64::from),
            visits: code(f.visits.map(Visits::code)),
            remote_share: f.remote_share.map(i64::from),
            travel_support: code(f.travel_support.map(TravelSupport::code)),
            reward: code(f.reward.map(Reward::code)),
            coordinator: self.coordinator.clone().unwrap_or_default(),
        }
    }
}

/// What a seeker asks of the project terms (`/jobs?hours=10&months=3&remote_share=80&reward=paid`).
/// A posting that does not state a term asked about is left out: 「月10時間まで」 is a promise
/// only a stated number keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    /// At most this many hours a month.
    pub hours_max: Option<u16>,
    /// At most this many months.
    pub months_max: Option<u16>,
    /// At least this share remote, in percent.
    pub remote_share_min: Option<u8>,
    pub reward: Option<Reward>,
}

impl ProjectFilter {
    pub fn is_empty(&self) -> bool {
        *self == ProjectFilter::default()
    }

    pub fn accepts(&self, f: Option<&ProjectFacts>) -> bool {
        if self.is_empty() {
            return true;
        }
        let Some(f) = f else { return false };
        let within = |asked: Option<u16>, stated: Option<u16>| asked.is_none_or(|a| stated.is_some_and(|s| s <= a));
        within(self.hours_max, f.hours_per_month)
            && within(self.months_max, f.duration_months)
            && self.remote_share_min.is_none_or(|m| f.remote_share.is_some_and(|s| s >= m))
            && self.reward.is_none_or(|r| f.reward == Some(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProjectInput {
        ProjectInput {
            hours_per_month: Some(10),
            duration_months: Some(3),
            visits: "few".into(),
            remote_share: Some(80),
            travel_support: "full".into(),
            reward: "paid".into(),
            coordinator: " 氷見市移住定住推進センター ".into(),
        }
    }

    #[test]
    fn parses_and_goes_back_to_the_form() {
        let t = ProjectTerms::parse(&input()).unwrap();
        assert_eq!(t.facts.hours_per_month, Some(10));
        assert_eq!(t.facts.visits, Some(Visits::Few));
        assert_eq!(t.coordinator.as_deref(), Some("氷見市移住定住推進センター"));
        assert_eq!(ProjectTerms::parse(&t.to_input()).unwrap(), t);
        assert!(ProjectTerms::parse(&ProjectInput::default()).unwrap().is_empty());
    }

    #[test]
    fn each_bad_value_is_named_by_its_field() {
        let bad = ProjectInput {
            hours_per_month: Some(0),
            duration_months: Some(121),
            visits: "daily".into(),
            remote_share: Some(101),
            reward: "beer".into(),
            ..input()
        };
        let fields: Vec<&str> = ProjectTerms::parse(&bad).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["hours_per_month", "duration_months", "visits", "remote_share", "reward"]);
    }

    #[test]
    fn a_filter_keeps_what_states_its_terms() {
        let facts = ProjectTerms::parse(&input()).unwrap().facts;
        let ask = |f: ProjectFilter| f.accepts(Some(&facts));
        assert!(ask(ProjectFilter::default()) && ProjectFilter::default().accepts(None));
        assert!(ask(ProjectFilter {
            hours_max: Some(10),
            months_max: Some(3),
            remote_share_min: Some(80),
            reward: Some(Reward::Paid)
        }));
        assert!(!ask(ProjectFilter { hours_max: Some(9), ..Default::default() }));
        assert!(!ask(ProjectFilter { months_max: Some(2), ..Default::default() }));
        assert!(!ask(ProjectFilter { remote_share_min: Some(90), ..Default::default() }));
        assert!(!ask(ProjectFilter { reward: Some(Reward::Unpaid), ..Default::default() }));
        let unstated = ProjectFacts { hours_per_month: None, ..facts };
        assert!(!ProjectFilter { hours_max: Some(40), ..Default::default() }.accepts(Some(&unstated)));
        assert!(!ProjectFilter { hours_max: Some(40), ..Default::default() }.accepts(None));
    }
}
