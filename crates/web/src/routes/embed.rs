//! The widget for supporters' and partners' sites: `/embed/jobs` is a small page of the newest
//! matching postings for an iframe (the only route that may be framed, see `startup.rs`), and
//! `/embed/jobs.js` a script tag that puts that iframe where it stands. Both are cached like
//! the portal's pages.

use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::PostingCard;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_domain::PageNumber;

pub const DEFAULT_LIMIT: u32 = 5;
pub const MAX_LIMIT: u32 = 20;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(jobs).service(script);
}

/// `?type=&area=&q=&limit=`: the portal's own filters (unknown codes are a 400 with a message),
/// newest first (or by relevance with `q`), at most [`MAX_LIMIT`].
#[get("/embed/jobs")]
pub async fn jobs(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let mut filter = crate::jobs_query::parse_jobs_query(req.query_string(), &state.settings)?;
    let limit = crate::i18n::query_pairs(req.query_string())
        .find(|(k, _)| k == "limit")
        .map(|(_, v)| v.trim().parse::<u32>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)))
        .unwrap_or(Some(DEFAULT_LIMIT))
        .ok_or_else(|| WebError::Invalid(yui_domain::Message::new("field.embed.limit").with("max", MAX_LIMIT)))?;
    filter.per_page = limit;
    filter.page = PageNumber::FIRST;
    let now = yui_db::now();
    let model = state.clone();
    let list = db(&state, move |conn| Ok(model.search.find(conn, now, &filter, false)?.page)).await?;
    let base = &state.settings.site.base_url;
    let cards: Vec<_> = list.items.iter().map(|(p, e)| PostingCard::new(p, e, &state.settings.portal, lang)).collect();
    // Links leave the iframe for the partner's visitor to read the posting on Yui itself.
    let pairs: Vec<(String, String)> =
        crate::i18n::query_pairs(req.query_string()).filter(|(k, _)| k != "limit" && k != "lang").collect();
    let more = match serde_urlencoded::to_string(&pairs) {
        Ok(q) if !q.is_empty() => format!("{base}/jobs?{q}"),
        _ => format!("{base}/jobs"),
    };
    let ctx = json!({
        "lang": lang.code(),
        "site": state.settings.site,
        "base": base,
        "cards": cards,
        "total": list.total,
        "more": more,
    });
    let html = state.templates.render("embed/jobs", &ctx)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(html))
}

/// The script alternative: it reads its own `data-*` attributes and puts the iframe after itself.
#[get("/embed/jobs.js")]
pub async fn script() -> Result<HttpResponse, WebError> {
    let file = crate::templates::Assets::get("static/embed.js").ok_or(WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(file.data.into_owned()))
}
