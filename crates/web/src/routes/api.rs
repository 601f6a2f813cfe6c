//! The open-data API: `GET /api/v1/jobs` (the `/jobs` filters, paged JSON),
//! `GET /api/v1/jobs/{id}` and `GET /api/v1/openapi.json`. CORS is open on `/api/` and
//! `/feeds/` ([`cors`]); every answer states the data licence (`portal.data_license_*`).
//! Documented in `docs/api.md`, described in `docs/openapi.json`.

use crate::atom::rfc3339;
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::jobs_query::parse;
use crate::paths::href;
use crate::settings::Settings;
use crate::state::AppState;
use crate::views::license;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_domain::PublicId;

/// The OpenAPI 3.1 description, written by hand beside `docs/api.md`.
const OPENAPI: &str = include_str!("../../../../docs/openapi.json");

/// `Access-Control-Allow-Origin: *` on the API and the feeds (errors included): the data is
/// public, and other sites and tools may read it from the browser.
pub async fn cors(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let open = req.path().starts_with("/api/") || req.path().starts_with("/feeds/");
    let mut res = next.call(req).await?;
    if open {
        let h = res.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
    }
    Ok(res)
}

/// A UTC timestamp as RFC 3339 (`2026-11-25T06:00:00Z`).
/// One posting as the API shows it.
pub fn item(p: &Posting, e: &Employer, settings: &Settings, lang: Lang) -> Value {
    let l = lang.code();
    let category = p.category.as_deref().map(|stored| match settings.portal.category_of(stored) {
        Some(c) => json!({"code": c.code, "label": c.label(l)}),
        None => json!({"code": null, "label": stored}),
    });
    json!({
        "id": p.public_id,
        "url": format!("{}/jobs/{}", settings.site.base_url, p.public_id),
        "title": p.title,
        "employment_type": {"code": p.employment_type.code(), "label": p.employment_type.label(l)},
        "category": category,
        "employer": {"name": e.name, "website": e.website.as_deref().filter(|w| w.starts_with("https://") || w.starts_with("http://"))},
        "location": {
            "prefecture": p.prefecture,
            "municipality": p.municipality,
            "area": p.area,
            "address": p.address,
        },
        "remote": {"code": p.remote.code(), "label": p.remote.label(l)},
        "salary": p.salary().map(|s| json!({
            "min": s.min().map(|y| y.get()),
            "max": s.max().map(|y| y.get()),
            "unit": s.unit().code(),
            "currency": "JPY",
            "text": s.to_japanese(),
        })),
        "date_posted": rfc3339(p.published_at.unwrap_or(p.created_at)),
        "date_modified": rfc3339(p.updated_at),
        "valid_through": rfc3339(p.valid_through),
        "description": p.description,
        "hours": p.hours,
        "how_to_apply": p.how_to_apply,
    })
}

fn json_response(body: &Value) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json; charset=utf-8").body(body.to_string())
}

#[get("/api/v1/jobs")]
pub async fn jobs(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let jq = parse(req.query_string(), &state.settings)?;
    let filter = jq.filter.clone();
    let now = yui_db::now();
    let list = db(&state, move |conn| yui_db::search::jobs(conn, now, &filter)).await?;
    let (page_no, per_page) = (jq.filter.page.get(), jq.filter.per_page);
    let base = &state.settings.site.base_url;
    let link = |page: u32| {
        let mut pairs = jq.pairs.clone();
        if page > 1 {
            pairs.push(("page".into(), page.to_string()));
        }
        format!("{base}{}", href("/api/v1/jobs", &pairs))
    };
    let last = u32::try_from((list.total.max(1) + i64::from(per_page) - 1) / i64::from(per_page)).unwrap_or(u32::MAX);
    let body = json!({
        "items": list.items.iter().map(|(p, e)| item(p, e, &state.settings, lang)).collect::<Vec<_>>(),
        "total": list.total,
        "page": page_no,
        "per_page": per_page,
        "self": link(page_no),
        "next": (page_no < last).then(|| link(page_no + 1)),
        "prev": (page_no > 1).then(|| link((page_no - 1).min(last))),
        "license": license(&state.settings),
    });
    Ok(json_response(&body))
}

#[get("/api/v1/jobs/{id}")]
pub async fn job(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let id = PublicId::parse(&id).ok_or(WebError::NotFound)?;
    let now = yui_db::now();
    let (p, e) =
        db(&state, move |conn| yui_db::postings::find_public(conn, &id, now)).await?.ok_or(WebError::NotFound)?;
    let mut body = item(&p, &e, &state.settings, lang);
    if let Some(map) = body.as_object_mut() {
        map.insert("license".into(), license(&state.settings));
    }
    Ok(json_response(&body))
}

#[get("/api/v1/openapi.json")]
pub async fn openapi(state: web::Data<AppState>) -> HttpResponse {
    // The document names the server this instance answers on.
    let doc = OPENAPI.replace("https://yui.example", &state.settings.site.base_url);
    HttpResponse::Ok().content_type("application/json; charset=utf-8").body(doc)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_is_json_with_both_paths() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert!(doc["paths"]["/api/v1/jobs"]["get"].is_object());
        assert!(doc["paths"]["/api/v1/jobs/{id}"]["get"].is_object());
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(6, 0, 0).unwrap();
        assert_eq!(super::rfc3339(t), "2026-11-25T06:00:00Z");
    }
}
