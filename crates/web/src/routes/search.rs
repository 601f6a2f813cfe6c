//! `/jobs`: search and browse. The query string is parsed by [`crate::jobs_query::parse`], as
//! for every other list of postings.

use crate::error::WebError;
use crate::handler::{db, page};
use crate::i18n::Lang;
use crate::jobs_query::{JobsQuery, PARAMS};
use crate::paths::href;
use crate::settings::portal::Choice;
use crate::settings::Settings;
use crate::state::AppState;
use crate::views::{Pagination, PostingCard};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::json;
use yui_domain::{Condition, EmploymentType, RemoteMode};
use yui_search::Facets;

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

/// The conditions facet: each link adds its condition to those chosen (they combine with AND),
/// or, when chosen, takes it away; counts are of the results that also offer it.
fn conditions_group(f: &Facets, pairs: &[(String, String)], lang: Lang) -> FacetGroup {
    let chosen: Vec<&str> = pairs.iter().filter(|(k, _)| k == "cond").map(|(_, v)| v.as_str()).collect();
    let toggled = |code: &str| -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = pairs.iter().filter(|(k, v)| k != "cond" || v != code).cloned().collect();
        if !chosen.contains(&code) {
            let codes: Vec<&str> = chosen.iter().copied().chain([code]).collect();
            out.retain(|(k, _)| k != "cond");
            out.extend(yui_domain::Conditions::lenient(&codes).codes().into_iter().map(|c| ("cond".to_owned(), c)));
        }
        out
    };
    FacetGroup {
        key: "cond",
        title_key: "search.facet.cond",
        all_href: href("/jobs", &with(pairs, "cond", None)),
        any_selected: !chosen.is_empty(),
        all_count: f.without_conditions,
        links: f
            .conditions
            .iter()
            .filter(|(c, n)| *n > 0 || chosen.contains(&c.code()))
            .map(|(c, n)| FacetLink {
                code: c.code().to_owned(),
                label: c.chip(lang.code()).to_owned(),
                count: *n,
                href: href("/jobs", &toggled(c.code())),
                selected: chosen.contains(&c.code()),
            })
            .collect(),
    }
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
        conditions_group(f, pairs, lang),
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
    let filtered = PARAMS.iter().any(|k| *k != "q" && current(k).is_some());
    let chosen: Vec<&str> = jq.pairs.iter().filter(|(k, _)| k == "cond").map(|(_, v)| v.as_str()).collect();
    json!({
        "q": current("q").unwrap_or_default(),
        "filtered": filtered,
        "salary_min": current("salary_min").unwrap_or_default(),
        "types": options("type", EmploymentType::ALL.iter().map(|t| (t.code().to_owned(), t.label(l).to_owned())).collect()),
        "categories": options("category", settings.portal.categories.iter().map(|c| (c.code.clone(), c.label(l).to_owned())).collect()),
        "areas": options("area", settings.portal.areas.iter().map(|c| (c.code.clone(), c.label(l).to_owned())).collect()),
        "remotes": options("remote", RemoteMode::ALL.iter().map(|r| (r.code().to_owned(), r.label(l).to_owned())).collect()),
        "sources": options("source", source_choices(lang)),
        "project": crate::views::project_filter_choices(&current, lang),
        "conditions": Condition::ALL.iter().map(|c| json!({"code": c.code(), "label": c.chip(l), "checked": chosen.contains(&c.code())})).collect::<Vec<_>>(),
    })
}

/// The sources a list can be filtered by, as the reader names them.
fn source_choices(lang: Lang) -> Vec<(String, String)> {
    use yui_search::JobSource;
    [(JobSource::Yui, "hellowork.source.yui"), (JobSource::HelloWork, "hellowork.label")]
        .into_iter()
        .map(|(s, key)| (s.code().to_owned(), lang.t(key).to_owned()))
        .collect()
}

#[get("/jobs")]
pub async fn jobs(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let jq = crate::jobs_query::parse(req.query_string(), &state.settings)?;
    let now = yui_db::now();
    let (filter, model) = (jq.filter.clone(), state.clone());
    let (found, from_hellowork, (conditions, projects)) = db(&state, move |conn| {
        let found = model.search.find(conn, now, &filter, true)?;
        let list = &found.page;
        let ids: Vec<i32> = list.items.iter().map(|(p, _)| p.id).collect();
        let sources = yui_db::hellowork::sources_of(conn, &ids)?;
        let conditions = yui_db::postings::conditions_by_posting(conn, &ids)?;
        let projects = yui_db::postings::projects_by_posting(conn, &ids)?;
        Ok((found, sources, (conditions, projects)))
    })
    .await?;
    let (list, facets, marks, took) = (found.page, found.facets.unwrap_or_default(), found.marks, found.took);
    let (page_no, per_page) = (jq.filter.page.get(), jq.filter.per_page);
    let pagination = Pagination::new(page_no, list.total, per_page, &jq.pairs);
    if page_no > pagination.last() {
        return Err(WebError::NotFound);
    }
    let cards: Vec<_> = list
        .items
        .iter()
        .map(|(p, e)| {
            PostingCard::new(p, e, &state.settings.portal, lang)
                .from_hellowork(from_hellowork.contains_key(&p.id), lang)
                .with_conditions(conditions.get(&p.id), lang)
                .with_project(projects.get(&p.id), lang)
                .marked(p, &marks)
        })
        .collect();
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
                "salary_min" => lang.tf("search.chip.salary_min", &[("n", v)]),
                "source" => source_choices(lang).into_iter().find(|(c, _)| c == v).map(|(_, l)| l).unwrap_or_default(),
                "cond" => v.parse::<Condition>().map(|c| c.chip(lang.code()).to_owned()).unwrap_or_default(),
                other => crate::views::project_param_label(other, v, lang).unwrap_or_else(|| v.clone()),
            };
            // Each condition goes on its own; the other chosen ones stay.
            let without: Vec<(String, String)> =
                jq.pairs.iter().filter(|(pk, pv)| pk != k || pv != v).cloned().collect();
            // On a page with no results, how many taking this away would give.
            let count = (list.total == 0)
                .then(|| serde_urlencoded::to_string(&without).ok())
                .flatten()
                .and_then(|q| crate::jobs_query::parse(&q, &state.settings).ok())
                .map(|loose| state.search.count(now, &loose.filter));
            json!({"key": k, "label": label, "remove_href": href("/jobs", &without), "count": count})
        })
        .collect();
    // Nearby searches that find something, when this one finds nothing.
    let nearby: Vec<_> = if list.total == 0 { state.search.suggest(now, &jq.filter) } else { Vec::new() }
        .into_iter()
        .map(|(q, n)| json!({"q": q, "count": n, "href": href("/jobs", &with(&jq.pairs, "q", Some(&q)))}))
        .collect();
    let selected_type = jq.filter.employment_type.map(|t| t.label(lang.code()));
    let page_title = match (&jq.filter.q, selected_type) {
        (Some(q), _) => Some(q.clone()),
        (None, Some(t)) => Some(t.to_owned()),
        _ => None,
    };
    let mut res = page(
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
            "nearby": nearby,
            "form": form_context(&jq, &state.settings, lang),
            "pagination": pagination,
            "feed_href": href("/feeds/jobs.atom", &jq.pairs),
            // The follow form keeps what it can save: keywords, type, area, remote.
            "follow_href": href(
                "/follow",
                &jq.pairs.iter().filter(|(k, _)| ["q", "type", "area", "remote", "cond"].contains(&k.as_str())).cloned().collect::<Vec<_>>(),
            ),
            "api_href": href("/api/v1/jobs", &jq.pairs),
            "license": crate::views::license(&state.settings),
        }),
    )?;
    // The search's own time (matching, ranking, every facet), for operators and `make bench`.
    if let Ok(v) =
        actix_web::http::header::HeaderValue::from_str(&format!("search;dur={:.3}", took.as_secs_f64() * 1000.0))
    {
        res.headers_mut().insert(actix_web::http::header::HeaderName::from_static("server-timing"), v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

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
