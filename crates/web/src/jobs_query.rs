//! The query string of every list of postings (`/jobs`, the API, the feeds, the widget, saved
//! searches): one parser, so every list understands the same URL. Background jobs use it too,
//! so it knows nothing of HTTP responses.

use crate::i18n::query_pairs;
use crate::settings::Settings;
use yui_domain::{Condition, EmploymentType, Message, PageNumber, ProjectFilter, RemoteMode};
use yui_search::{JobSource, JobsFilter};

/// A query that names an unknown code or a bad number, with the message the reader gets.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub Message);

/// Longer queries are cut here: nobody types more, and it bounds the work per request.
const MAX_QUERY_CHARS: usize = 100;
/// The highest monthly salary a filter may ask for (yen).
const MAX_SALARY_MIN: i64 = 10_000_000;

/// The URL parameters of a list of postings, in the order they are written back into links.
/// `cond` alone may repeat: each one more condition the postings must all offer.
pub const PARAMS: [&str; 12] = [
    "q",
    "type",
    "category",
    "area",
    "remote",
    "salary_min",
    "source",
    "hours_max",
    "months_max",
    "remote_min",
    "reward",
    "cond",
];

/// A parsed `/jobs` query: the filter for the database, and the canonical parameters (codes,
/// without `page`) for links that keep the query.
#[derive(Debug, Clone)]
pub struct JobsQuery {
    pub filter: JobsFilter,
    pub pairs: Vec<(String, String)>,
}

/// A whole number from `min` to `max`, or a 400 naming `what`.
fn number(value: &str, what: &'static str, min: u16, max: u16) -> Result<u16, QueryError> {
    value.parse::<u16>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
        QueryError(
            Message::new("field.query.number")
                .with_key("what", what)
                .with("value", value)
                .with("min", min)
                .with("max", max),
        )
    })
}

fn unknown(what: &'static str, value: &str) -> QueryError {
    QueryError(Message::new("field.query.unknown").with_key("what", what).with("value", value))
}

/// `/jobs?q=&type=&category=&area=&remote=&salary_min=&page=` into a [`JobsFilter`]. Unknown codes
/// and bad numbers are a 400 with a Japanese message, never an empty list.
pub fn parse_jobs_query(query: &str, settings: &Settings) -> Result<JobsFilter, QueryError> {
    parse(query, settings).map(|q| q.filter)
}

/// [`parse`] for the API, where an empty `cond=` is a 400 rather than no filter: `cond` is a
/// list of codes there, and a list's item that is no code is not one to guess about (a page's
/// link may carry one; a program's request should not).
pub fn parse_strict(query: &str, settings: &Settings) -> Result<JobsQuery, QueryError> {
    if query_pairs(query).any(|(k, v)| k == "cond" && v.trim().is_empty()) {
        return Err(unknown("field.query.what.cond", ""));
    }
    parse(query, settings)
}

/// [`parse_jobs_query`], keeping the canonical parameters for links.
pub fn parse(query: &str, settings: &Settings) -> Result<JobsQuery, QueryError> {
    let all: Vec<(String, String)> = query_pairs(query).collect();
    // A parameter given twice has no one meaning (the first? both?): say so rather than guess.
    if let Some(name) = PARAMS
        .iter()
        .chain(&["page"])
        .filter(|&&name| name != "cond")
        .find(|&&name| all.iter().filter(|(k, _)| k == name).count() > 1)
    {
        return Err(QueryError(Message::new("field.query.repeated").with("name", *name)));
    }
    let get = |key: &str| {
        all.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).map(str::to_owned)
    };
    let mut pairs = Vec::new();
    let q = get("q").map(|q| q.chars().take(MAX_QUERY_CHARS).collect::<String>());
    if let Some(q) = &q {
        pairs.push(("q".to_owned(), q.clone()));
    }
    let employment_type = match get("type") {
        None => None,
        Some(code) => Some(code.parse::<EmploymentType>().map_err(|_| unknown("field.query.what.type", &code))?),
    };
    let category = match get("category") {
        None => None,
        Some(code) => Some(settings.portal.category(&code).ok_or_else(|| unknown("field.query.what.category", &code))?),
    };
    let area = match get("area") {
        None => None,
        Some(code) => Some(settings.portal.area(&code).ok_or_else(|| unknown("field.query.what.area", &code))?),
    };
    let remote = match get("remote") {
        None => None,
        Some(code) => Some(code.parse::<RemoteMode>().map_err(|_| unknown("field.query.what.remote", &code))?),
    };
    let salary_min_monthly = match get("salary_min") {
        None => None,
        Some(s) => match s.replace([',', '，'], "").parse::<i64>() {
            Ok(n) if (0..=MAX_SALARY_MIN).contains(&n) => Some(n),
            _ => {
                return Err(QueryError(
                    Message::new("field.query.salary_min").with("value", &s).with("max", MAX_SALARY_MIN),
                ))
            }
        },
    };
    for (key, value) in [
        ("type", employment_type.map(|t| t.code().to_owned())),
        ("category", category.map(|c| c.code.clone())),
        ("area", area.map(|a| a.code.clone())),
        ("remote", remote.map(|r| r.code().to_owned())),
        ("salary_min", salary_min_monthly.map(|n| n.to_string())),
    ] {
        if let Some(v) = value {
            pairs.push((key.to_owned(), v));
        }
    }
    let source = match get("source") {
        None => None,
        Some(code) => Some(JobSource::parse(&code).ok_or_else(|| unknown("field.query.what.source", &code))?),
    };
    if let Some(source) = source {
        pairs.push(("source".to_owned(), source.code().to_owned()));
    }
    let project = project_filter(&get)?;
    for (key, value) in [
        ("hours_max", project.hours_max.map(|n| n.to_string())),
        ("months_max", project.months_max.map(|n| n.to_string())),
        ("remote_min", project.remote_share_min.map(|n| n.to_string())),
        ("reward", project.reward.map(|r| r.code().to_owned())),
    ] {
        if let Some(v) = value {
            pairs.push((key.to_owned(), v));
        }
    }
    let mut conditions = Vec::new();
    for code in all.iter().filter(|(k, _)| k == "cond").map(|(_, v)| v.trim()).filter(|v| !v.is_empty()) {
        conditions.push(code.parse::<Condition>().map_err(|_| unknown("field.query.what.cond", code))?);
    }
    let conditions = yui_domain::Conditions::of(conditions).as_slice().to_vec();
    pairs.extend(conditions.iter().map(|c| ("cond".to_owned(), c.code().to_owned())));
    let page = PageNumber::parse(get("page").as_deref()).map_err(QueryError)?;
    Ok(JobsQuery {
        filter: JobsFilter {
            q,
            employment_type,
            category: category.map(|c| c.code.clone()),
            area: area.map(|a| a.ja.clone()),
            remote,
            salary_min_monthly,
            source,
            conditions,
            project,
            page,
            per_page: settings.per_page,
        },
        pairs,
    })
}

/// `hours_max`, `months_max`, `remote_min` and `reward`: what a side job or project asks.
fn project_filter(get: &dyn Fn(&str) -> Option<String>) -> Result<ProjectFilter, QueryError> {
    use yui_domain::project::{Reward, MAX_DURATION_MONTHS, MAX_HOURS_PER_MONTH};
    let hours_max = match get("hours_max") {
        None => None,
        Some(v) => Some(number(&v, "field.query.what.hours_max", 1, MAX_HOURS_PER_MONTH)?),
    };
    let months_max = match get("months_max") {
        None => None,
        Some(v) => Some(number(&v, "field.query.what.months_max", 1, MAX_DURATION_MONTHS)?),
    };
    let remote_share_min = match get("remote_min") {
        None => None,
        Some(v) => number(&v, "field.query.what.remote_min", 0, 100)?.try_into().ok(),
    };
    let reward = match get("reward") {
        None => None,
        Some(code) => Some(code.parse::<Reward>().map_err(|_| unknown("field.query.what.reward", &code))?),
    };
    Ok(ProjectFilter { hours_max, months_max, remote_share_min, reward })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
        Settings::load(&dir, "test").unwrap()
    }

    #[test]
    fn a_full_query_parses_into_the_filter() {
        let s = settings();
        let q = parse(
            "q=%E4%BB%8B%E8%AD%B7&type=part_time&category=care&area=junicho&remote=onsite&salary_min=200000&page=2",
            &s,
        )
        .unwrap();
        assert_eq!(q.filter.q.as_deref(), Some("介護"));
        assert_eq!(q.filter.employment_type, Some(EmploymentType::PartTime));
        assert_eq!(q.filter.category.as_deref(), Some("care"));
        assert_eq!(q.filter.area.as_deref(), Some("十二町"), "areas are matched by their name");
        assert_eq!(q.filter.remote, Some(RemoteMode::Onsite));
        assert_eq!(q.filter.salary_min_monthly, Some(200_000));
        assert_eq!(q.filter.page.get(), 2);
        assert_eq!(q.pairs.len(), 6, "page is not kept in the pairs");
    }

    #[test]
    fn blanks_are_absent_and_bad_codes_are_400() {
        let s = settings();
        let q = parse("q=+&type=&category=&page=", &s).unwrap();
        assert_eq!(q.filter, JobsFilter::all(s.per_page));
        for bad in [
            "type=boss",
            "category=nope",
            "area=tokyo",
            "remote=moon",
            "salary_min=-1",
            "salary_min=abc",
            "page=0",
            "source=elsewhere",
            "type=part_time&type=part_time",
            "page=2&page=3",
        ] {
            assert!(matches!(parse(bad, &s), Err(QueryError(_))), "{bad}");
        }
    }
}
