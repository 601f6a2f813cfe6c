//! The open data beyond `/api/v1/jobs`: `/data` (the data dictionary, the licence, the daily
//! files), `/data/postings.{csv,jsonl}.gz` (the files, written by [`crate::open_data`]), and the
//! read-only APIs `/api/v1/succession[/{id}]` and `/api/v1/articles[/{slug-or-id}]`, which follow
//! `/api/v1/jobs` in everything: JSON errors, `lang`, paging, CORS, HEAD, the licence.

mod articles;
mod files;
mod page;
mod succession;

use crate::error::WebError;
use crate::i18n::query_pairs;
use crate::routes::api::{api_lang, json_response, method_not_allowed};
use actix_web::{guard, web, HttpRequest};
use yui_domain::{Message, PageNumber};

/// Items per page of the succession and article lists, as on `/api/v1/jobs` before filters.
const PER_PAGE: u32 = 20;

pub fn configure(cfg: &mut web::ServiceConfig) {
    let read = || web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
    let api = |path: &str, route: actix_web::Route| {
        web::resource(path.to_owned()).route(route).default_service(web::to(method_not_allowed))
    };
    cfg.service(page::data_page)
        .service(web::resource("/data/{file}").route(read().to(files::download)))
        .service(api("/api/v1/succession", read().to(succession::list)))
        .service(api("/api/v1/succession/{id}", read().to(succession::one)))
        .service(api("/api/v1/articles", read().to(articles::list)))
        .service(api("/api/v1/articles/{id}", read().to(articles::one)));
}

/// The page asked for (`page`, a whole number from 1; given twice, a 400). Other parameters
/// are ignored, as `/api/v1/jobs` ignores those it does not know.
fn page_of(req: &HttpRequest) -> Result<u32, WebError> {
    let pages: Vec<String> = query_pairs(req.query_string()).filter(|(k, _)| k == "page").map(|(_, v)| v).collect();
    if pages.len() > 1 {
        return Err(WebError::Invalid(Message::new("field.query.repeated").with("name", "page")));
    }
    Ok(PageNumber::parse(pages.first().map(String::as_str)).map_err(WebError::Invalid)?.get())
}

/// `self`, `next` and `prev` of a list page, absolute.
fn links(base: &str, path: &str, page: u32, total: i64) -> serde_json::Value {
    let last = u32::try_from((total.max(1) + i64::from(PER_PAGE) - 1) / i64::from(PER_PAGE)).unwrap_or(u32::MAX);
    let link = |n: u32| if n > 1 { format!("{base}{path}?page={n}") } else { format!("{base}{path}") };
    serde_json::json!({
        "self": link(page),
        "next": (page < last).then(|| link(page + 1)),
        "prev": (page > 1).then(|| link((page - 1).min(last))),
    })
}
