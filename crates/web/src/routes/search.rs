//! `/jobs`: search and browse. The query string is parsed by [`parse_jobs_query`] alone, which
//! the open-data API and the feeds reuse, so every list of postings understands the same URL.

use crate::choices::Choice;
use crate::error::WebError;
use crate::i18n::{query_pairs, Lang};
use crate::routes::{db, page};
use crate::settings::Settings;
use crate::startup::AppState;
use crate::views::{Pagination, PostingCard};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::json;
use yui_db::search::{Facets, JobsFilter};
use yui_domain::{EmploymentType, PageNumber, RemoteMode};

/// Longer queries are cut here: nobody types more, and it bounds the work per request.
const MAX_QUERY_CHARS: usize = 100;
/// The highest monthly salary a filter may ask for (yen).
const MAX_SALARY_MIN: i64 = 10_000_000;

/// The URL parameters of a list of postings, in the order they are written back into links.
pub const PARAMS: [&str; 6] = ["q", "type", "category", "area", "remote", "salary_min"];

/// A parsed `/jobs` query: the filter for the database, and the canonical parameters (codes,
/// without `page`) for links that keep the query.
#[derive(Debug, Clone)]
pub struct JobsQuery {
    pub filter: JobsFilter,
    pub pairs: Vec<(String, String)>,
}

fn unknown(what: &str, value: &str) -> WebError {
    WebError::BadRequest(format!("{what}「{value}」はありません。一覧から選び直してください。"))
}

/// `/jobs?q=&type=&category=&area=&remote=&salary_min=&page=` into a [`JobsFilter`]. Unknown codes
/// and bad numbers are a 400 with a Japanese message, never an empty list.
pub fn parse_jobs_query(query: &str, settings: &Settings) -> Result<JobsFilter, WebError> {
    parse(query, settings).map(|q| q.filter)
}

/// [`parse_jobs_query`], keeping the canonical parameters for links.
pub fn parse(query: &str, settings: &Settings) -> Result<JobsQuery, WebError> {
    let all: Vec<(String, String)> = query_pairs(query).collect();
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
        Some(code) => Some(code.parse::<EmploymentType>().map_err(|_| unknown("雇用形態", &code))?),
    };
    let category = match get("category") {
        None => None,
        Some(code) => Some(settings.portal.category(&code).ok_or_else(|| unknown("職種", &code))?),
    };
    let area = match get("area") {
        None => None,
        Some(code) => Some(settings.portal.area(&code).ok_or_else(|| unknown("地区", &code))?),
    };
    let remote = match get("remote") {
        None => None,
        Some(code) => Some(code.parse::<RemoteMode>().map_err(|_| unknown("働き方", &code))?),
    };
    let salary_min_monthly = match get("salary_min") {
        None => None,
        Some(s) => match s.replace([',', '，'], "").parse::<i64>() {
            Ok(n) if (0..=MAX_SALARY_MIN).contains(&n) => Some(n),
            _ => {
                return Err(WebError::BadRequest(format!(
                    "希望月給「{s}」は正しくありません（0〜{MAX_SALARY_MIN}の半角数字、円）。"
                )))
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
    let page = PageNumber::parse(get("page").as_deref()).map_err(WebError::BadRequest)?;
    Ok(JobsQuery {
        filter: JobsFilter {
            q,
            employment_type,
            category: category.map(|c| c.code.clone()),
            area: area.map(|a| a.ja.clone()),
            remote,
            salary_min_monthly,
            page,
            per_page: settings.per_page,
        },
        pairs,
    })
}

/// `path?pairs` (just `path` when there are none).
pub fn href(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    }
}

/// The pairs with `key` set to `value` (or removed), order kept.
fn with(pairs: &[(String, String)], key: &str, value: Option<&str>) -> Vec<(String, String)> {
    let mut out: Vec<_> = pairs.iter().filter(|(k, _)| k != key).cloned().collect();
    if let Some(v) = value {
        let at = PARAMS.iter().position(|p| *p == key).unwrap_or(PARAMS.len());
        let pos = out
            .iter()
            .position(|(k, _)| PARAMS.iter().position(|p| p == k).unwrap_or(PARAMS.len()) > at)
            .unwrap_or(out.len());
        out.insert(pos, (key.to_owned(), v.to_owned()));
    }
    out
}

#[derive(Debug, Serialize)]
struct FacetLink {
    code: String,
    label: String,
    count: i64,
    href: String,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct FacetGroup {
    key: &'static str,
    title_key: &'static str,
    all_href: String,
    any_selected: bool,
    all_count: i64,
    links: Vec<FacetLink>,
}

fn group(
    key: &'static str,
    title_key: &'static str,
    pairs: &[(String, String)],
    items: Vec<(String, String, i64)>,
) -> FacetGroup {
    let selected = pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    FacetGroup {
        key,
        title_key,
        all_href: href("/jobs", &with(pairs, key, None)),
        any_selected: selected.is_some(),
        all_count: items.iter().map(|(_, _, n)| n).sum(),
        links: items
            .into_iter()
            .filter(|(code, _, n)| *n > 0 || selected.as_deref() == Some(code))
            .map(|(code, label, count)| FacetLink {
                href: href("/jobs", &with(pairs, key, Some(&code))),
                selected: selected.as_deref() == Some(code.as_str()),
                code,
                label,
                count,
            })
            .collect(),
    }
}

/// Stored values → configured choices, summed (a category stored as its label counts too);
/// values that match no choice are left out of the facet.
fn configured(choices: &[Choice], counts: &[(String, i64)], lang: &str) -> Vec<(String, String, i64)> {
    choices
        .iter()
        .map(|c| {
            let n = counts.iter().filter(|(stored, _)| c.matches(stored)).map(|(_, n)| n).sum();
            (c.code.clone(), c.label(lang).to_owned(), n)
        })
        .collect()
}

fn facet_groups(f: &Facets, pairs: &[(String, String)], settings: &Settings, lang: Lang) -> Vec<FacetGroup> {
    let l = lang.code();
    vec![
        group(
            "type",
            "search.facet.type",
            pairs,
            f.employment_types.iter().map(|(t, n)| (t.code().to_owned(), t.label(l).to_owned(), *n)).collect(),
        ),
        group("category", "search.facet.category", pairs, configured(&settings.portal.categories, &f.categories, l)),
        group("area", "search.facet.area", pairs, configured(&settings.portal.areas, &f.areas, l)),
        group(
            "remote",
            "search.facet.remote",
            pairs,
            f.remote.iter().map(|(r, n)| (r.code().to_owned(), r.label(l).to_owned(), *n)).collect(),
        ),
    ]
}

#[derive(Debug, Serialize)]
struct Option_ {
    code: String,
    label: String,
    selected: bool,
}

/// What the search form shows: the current values and every choice.
pub fn form_context(jq: &JobsQuery, settings: &Settings, lang: Lang) -> serde_json::Value {
    let l = lang.code();
    let current = |key: &str| jq.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let options = |key: &str, items: Vec<(String, String)>| -> Vec<Option_> {
        let sel = current(key);
        items
            .into_iter()
            .map(|(code, label)| Option_ { selected: sel.as_deref() == Some(code.as_str()), code, label })
            .collect()
    };
    json!({
        "q": current("q").unwrap_or_default(),
        "salary_min": current("salary_min").unwrap_or_default(),
        "types": options("type", EmploymentType::ALL.iter().map(|t| (t.code().to_owned(), t.label(l).to_owned())).collect()),
        "categories": options("category", settings.portal.categories.iter().map(|c| (c.code.clone(), c.label(l).to_owned())).collect()),
        "areas": options("area", settings.portal.areas.iter().map(|c| (c.code.clone(), c.label(l).to_owned())).collect()),
        "remotes": options("remote", RemoteMode::ALL.iter().map(|r| (r.code().to_owned(), r.label(l).to_owned())).collect()),
    })
}

#[get("/jobs")]
pub async fn jobs(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let jq = parse(req.query_string(), &state.settings)?;
    let filter = jq.filter.clone();
    let now = yui_db::now();
    let (list, facets) = db(&state, move |conn| yui_db::search::jobs_and_facets(conn, now, &filter)).await?;
    let (page_no, per_page) = (jq.filter.page.get(), jq.filter.per_page);
    let pagination = Pagination::new(page_no, list.total, per_page, &jq.pairs);
    if page_no > pagination.last() {
        return Err(WebError::NotFound);
    }
    let cards: Vec<_> = list.items.iter().map(|(p, e)| PostingCard::new(p, e, lang)).collect();
    let groups = facet_groups(&facets, &jq.pairs, &state.settings, lang);
    // What is chosen, each with a link that removes it: the no-results page offers these.
    let chosen: Vec<_> = jq
        .pairs
        .iter()
        .map(|(k, v)| {
            let label = match k.as_str() {
                "type" => v.parse::<EmploymentType>().map(|t| t.label(lang.code()).to_owned()).unwrap_or_default(),
                "remote" => v.parse::<RemoteMode>().map(|r| r.label(lang.code()).to_owned()).unwrap_or_default(),
                "category" => {
                    state.settings.portal.category(v).map(|c| c.label(lang.code()).to_owned()).unwrap_or_default()
                }
                "area" => state.settings.portal.area(v).map(|c| c.label(lang.code()).to_owned()).unwrap_or_default(),
                "salary_min" => format!("{v}円〜"),
                _ => v.clone(),
            };
            json!({"key": k, "label": label, "remove_href": href("/jobs", &with(&jq.pairs, k, None))})
        })
        .collect();
    let selected_type = jq.filter.employment_type.map(|t| t.label(lang.code()));
    let page_title = match (&jq.filter.q, selected_type) {
        (Some(q), _) => Some(q.clone()),
        (None, Some(t)) => Some(t.to_owned()),
        _ => None,
    };
    page(
        &req,
        &state,
        "portal/jobs",
        json!({
            "postings": cards,
            "total": list.total,
            "query": jq.filter.q,
            "page_title": page_title,
            "selected_type": selected_type,
            "facets": groups,
            "chosen": chosen,
            "any_chosen": !jq.pairs.is_empty(),
            "form": form_context(&jq, &state.settings, lang),
            "pagination": pagination,
            "feed_href": href("/feeds/jobs.atom", &jq.pairs),
            // The follow form keeps what it can save: keywords, type, area, remote.
            "follow_href": href(
                "/follow",
                &jq.pairs.iter().filter(|(k, _)| ["q", "type", "area", "remote"].contains(&k.as_str())).cloned().collect::<Vec<_>>(),
            ),
            "api_href": href("/api/v1/jobs", &jq.pairs),
            "license": crate::routes::api::license(&state.settings),
        }),
    )
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
        for bad in
            ["type=boss", "category=nope", "area=tokyo", "remote=moon", "salary_min=-1", "salary_min=abc", "page=0"]
        {
            assert!(matches!(parse(bad, &s), Err(WebError::BadRequest(_))), "{bad}");
        }
    }

    #[test]
    fn links_keep_the_other_parameters_in_order() {
        let pairs = vec![("q".to_owned(), "介護".to_owned()), ("area".to_owned(), "chuo".to_owned())];
        assert_eq!(
            href("/jobs", &with(&pairs, "type", Some("part_time"))),
            "/jobs?q=%E4%BB%8B%E8%AD%B7&type=part_time&area=chuo"
        );
        assert_eq!(href("/jobs", &with(&pairs, "area", None)), "/jobs?q=%E4%BB%8B%E8%AD%B7");
    }
}
