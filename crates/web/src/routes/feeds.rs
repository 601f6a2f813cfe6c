//! `/feeds/jobs.atom` (Atom 1.0, RFC 4287) and `/feeds/jobs.json` (JSON Feed 1.1): the newest
//! public postings, filtered by the same query parameters as `/jobs` (one parser:
//! [`crate::jobs_query::parse`]). Both state the data licence.

use crate::atom::rfc3339;
use crate::atom::{summary, Atom, AtomHead};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::jobs_query::parse;
use crate::paths::href;
use crate::state::AppState;
use crate::views::license;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_domain::PageNumber;
use yui_search::JobsFilter;

/// How many postings a feed carries.
pub const FEED_SIZE: u32 = 50;

/// The newest public postings for the query, newest first. With a text query the best
/// matches are taken and then shown newest first.
async fn newest(req: &HttpRequest, state: &web::Data<AppState>) -> Result<Newest, WebError> {
    let jq = parse(req.query_string(), &state.settings)?;
    let filter = JobsFilter { page: PageNumber::FIRST, per_page: FEED_SIZE, ..jq.filter };
    let now = yui_db::now();
    let model = state.clone();
    let (mut items, conditions) = db(state, move |conn| {
        let items = model.search.find(conn, now, &filter, false)?.page.items;
        let ids: Vec<i32> = items.iter().map(|(p, _)| p.id).collect();
        Ok((items, yui_db::postings::conditions_by_posting(conn, &ids)?))
    })
    .await?;
    items.sort_by(|a, b| b.0.published_at.cmp(&a.0.published_at).then(b.0.id.cmp(&a.0.id)));
    Ok(Newest { items, pairs: jq.pairs, conditions })
}

/// A feed's postings, the query's canonical parameters, and the postings' condition codes.
struct Newest {
    items: Vec<(Posting, Employer)>,
    pairs: Vec<(String, String)>,
    conditions: std::collections::HashMap<i32, Vec<String>>,
}

fn feed_title(state: &AppState, lang: Lang) -> String {
    lang.tf("feeds.jobs_title", &[("site", &state.settings.site.name)])
}

#[get("/feeds/jobs.atom")]
pub async fn atom(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let Newest { items, pairs, conditions } = newest(&req, &state).await?;
    let base = &state.settings.site.base_url;
    let self_url = format!("{base}{}", href("/feeds/jobs.atom", &pairs));
    let html_url = format!("{base}{}", href("/jobs", &pairs));
    let portal = &state.settings.portal;
    let mut feed = Atom::new(
        AtomHead {
            lang,
            self_url: &self_url,
            html_url: &html_url,
            title: &feed_title(&state, lang),
            updated: items.iter().map(|(p, _)| p.updated_at).max().unwrap_or_else(yui_db::now),
            author: &state.settings.site.name,
            license: Some((&portal.data_license_name, &portal.data_license_url)),
        },
        items.len(),
    );
    for (p, e) in &items {
        feed.posting(base, p, e, conditions.get(&p.id), lang);
    }
    Ok(feed.finish(&mut HttpResponse::Ok()))
}

#[get("/feeds/jobs.json")]
pub async fn json_feed(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let Newest { items, pairs, conditions } = newest(&req, &state).await?;
    let base = &state.settings.site.base_url;
    let items: Vec<_> = items
        .iter()
        .map(|(p, e)| {
            let url = format!("{base}/jobs/{}", p.public_id);
            json!({
                "id": url,
                "url": url,
                "title": p.title,
                "content_text": format!("{}\n\n{}", summary(p, e, lang).split("\n\n").next().unwrap_or_default(), p.description),
                "summary": summary(p, e, lang),
                "date_published": rfc3339(p.published_at.unwrap_or(p.created_at)),
                "date_modified": rfc3339(p.updated_at),
                "authors": [{"name": e.name}],
                // The type, then the conditions the posting offers.
                "tags": std::iter::once(p.employment_type.label(lang.code()))
                    .chain(crate::views::condition_chips(conditions.get(&p.id).map(Vec::as_slice).unwrap_or_default(), lang).iter().map(|c| c.label()))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    let body = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed_title(&state, lang),
        "home_page_url": format!("{base}{}", href("/jobs", &pairs)),
        "feed_url": format!("{base}{}", href("/feeds/jobs.json", &pairs)),
        "language": lang.code(),
        "authors": [{"name": state.settings.site.name, "url": base}],
        "items": items,
        "_yui": {"license": license(&state.settings)},
    });
    Ok(HttpResponse::Ok().content_type("application/feed+json; charset=utf-8").body(body.to_string()))
}
