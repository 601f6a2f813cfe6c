//! `GET /reports/{token}`: a paid feature's report for its sponsor, opened by the private link
//! mailed at the end of the feature's run (`crate::reports`). Only the token's hash is stored;
//! any other token is a plain 404. Views, clicks from the feature to its postings, and
//! inquiries to those postings, by week over the run; counts only.

use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_domain::statistics::tokyo_day;

#[get("/reports/{token}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let token = path.into_inner();
    // Tokens are 43 URL-safe characters; anything else cannot match and skips the query.
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(WebError::NotFound);
    }
    let hash = crate::tokens::hash_token(&token);
    let run = state.settings.statistics.sponsor_report_after;
    let today = yui_domain::today();
    let (title, weeks) = db(&state, move |conn| {
        let Some((article_id, title, published)) = yui_db::statistics::report_by_token(conn, &hash)? else {
            return Ok(None);
        };
        let from = published.map_or(today, tokyo_day);
        let to = published.map_or(today, |p| tokyo_day(p + run)).min(today);
        Ok(Some((title, crate::statistics::feature_weeks(conn, article_id, from, to)?)))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let lang = Lang::of_request(&req);
    let total = |f: fn(&crate::statistics::Week) -> i64| weeks.iter().map(f).sum::<i64>();
    let rows: Vec<_> = weeks
        .iter()
        .map(|w| {
            json!({"week": crate::views::week_label(w.monday, lang), "views": w.views, "clicks": w.clicks, "contacts": w.contacts})
        })
        .collect();
    let ctx = json!({
        "page_title": lang.tf("statistics.report.title", &[("title", &title)]),
        "robots": "noindex,nofollow",
        "title": title,
        "weeks": rows,
        "total": {"views": total(|w| w.views), "clicks": total(|w| w.clicks), "contacts": total(|w| w.contacts)},
    });
    let mut res = crate::handler::page(&req, &state, "statistics/report", ctx)?;
    // The address is the key: keep it out of Referers and shared caches.
    res.headers_mut().insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}
