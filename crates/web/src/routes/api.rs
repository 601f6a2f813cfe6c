//! The open-data API: `GET /api/v1/jobs` (the `/jobs` filters, paged JSON),
//! `GET /api/v1/jobs/{id}` and `GET /api/v1/openapi.json`, each also for `HEAD` and `OPTIONS`.
//! CORS is open on `/api/` and `/feeds/` ([`cors`]); every answer states the data licence
//! (`portal.data_license_*`). Documented in `docs/api.md`, described in `docs/openapi.json`, which
//! the suite's `openapi` test holds the live API to.

use crate::atom::rfc3339;
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::{query_pairs, Lang};
use crate::jobs_query::parse_strict;
use crate::paths::href;
use crate::settings::Settings;
use crate::state::AppState;
use crate::views::license;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{guard, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_db::employers::Employer;
use yui_db::postings::Posting;
use yui_domain::{Message, PublicId};

/// The OpenAPI 3.1 description, written by hand beside `docs/api.md`.
const OPENAPI: &str = include_str!("../../../../docs/openapi.json");

/// What the open paths answer to; the API's routes take exactly these.
const METHODS: &str = "GET, HEAD, OPTIONS";
/// How long a browser may keep a preflight's answer (Chromium keeps it at most 2 hours anyway).
const PREFLIGHT_MAX_AGE_SECS: &str = "86400";

/// The three API resources, each for GET and HEAD. Any other method is a JSON 405 that names the
/// allowed ones, as HTTP asks (OPTIONS never gets here: [`cors`] answers it).
pub fn configure(cfg: &mut web::ServiceConfig) {
    let read = || web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
    cfg.service(web::resource("/api/v1/jobs").route(read().to(jobs)).default_service(web::to(method_not_allowed)))
        .service(web::resource("/api/v1/jobs/{id}").route(read().to(job)).default_service(web::to(method_not_allowed)))
        .service(
            web::resource("/api/v1/openapi.json")
                .route(read().to(openapi))
                .default_service(web::to(method_not_allowed)),
        );
}

pub(crate) async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let message = Lang::of_request(&req).t("error.method_not_allowed");
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, METHODS))
        .json(json!({"error": {"code": "method_not_allowed", "message": message}}))
}

/// `Access-Control-Allow-Origin: *` on the API and the feeds (errors included): the data is
/// public, and other sites and tools may read it from the browser. A preflight (`OPTIONS`) is
/// answered here, before routing, so that it never reaches the page cache, which takes any
/// successful request other than GET and HEAD for a change and empties itself.
pub async fn cors(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let open = req.path().starts_with("/api/") || req.path().starts_with("/feeds/");
    if open && req.method() == Method::OPTIONS {
        // No credentials are ever involved, so `*` is a true wildcard for the request headers.
        let preflight = HttpResponse::NoContent()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, METHODS))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "*"))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECS))
            .insert_header((header::ALLOW, METHODS))
            .finish();
        return Ok(req.into_response(preflight).map_into_right_body());
    }
    let mut res = next.call(req).await?;
    if open {
        let h = res.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(METHODS));
    }
    Ok(res.map_into_left_body())
}

/// The language the API answers in: `lang` when given, which must be `ja` or `en` (the
/// document's enum; anything else, a blank too, is a 400), else the reader's as everywhere.
pub(crate) fn api_lang(req: &HttpRequest) -> Result<Lang, WebError> {
    let given: Vec<String> = query_pairs(req.query_string()).filter(|(k, _)| k == "lang").map(|(_, v)| v).collect();
    match given.as_slice() {
        [] => Ok(Lang::of_request(req)),
        [code] => Lang::from_query(req)
            .ok_or_else(|| WebError::Invalid(Message::new("field.query.lang").with("value", code.as_str()))),
        _ => Err(WebError::Invalid(Message::new("field.query.repeated").with("name", "lang"))),
    }
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
            "area_code": p.area.as_deref().and_then(|stored| settings.portal.area_of(stored)).map(|a| &a.code),
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

/// Whose posting it is: Hello Work's (with its 求人番号) or the employer's own.
fn with_source(mut item: Value, hellowork_number: Option<&String>) -> Value {
    if let Some(map) = item.as_object_mut() {
        let source = if hellowork_number.is_some() { "hellowork" } else { "yui" };
        map.insert("source".into(), source.into());
        map.insert("hellowork_number".into(), hellowork_number.cloned().into());
    }
    item
}

/// The conditions it offers: `[{"code": "dorm", "label": "寮・社宅あり"}]`, in the list's order.
fn with_conditions(mut item: Value, codes: Option<&Vec<String>>, lang: Lang) -> Value {
    let list: Vec<Value> = yui_domain::Conditions::lenient(codes.map(Vec::as_slice).unwrap_or_default())
        .as_slice()
        .iter()
        .map(|c| json!({"code": c.code(), "label": c.label(lang.code())}))
        .collect();
    if let Some(map) = item.as_object_mut() {
        map.insert("conditions".into(), list.into());
    }
    item
}

/// A side job's or project's terms (codes, numbers and the coordinator's name), or null.
fn with_project(mut item: Value, terms: Option<&yui_domain::ProjectTerms>) -> Value {
    let project = terms.filter(|t| !t.is_empty()).map(|t| {
        let f = &t.facts;
        json!({
            "hours_per_month": f.hours_per_month,
            "duration_months": f.duration_months,
            "visits": f.visits.map(|v| v.code()),
            "remote_share": f.remote_share,
            "travel_support": f.travel_support.map(|v| v.code()),
            "reward": f.reward.map(|v| v.code()),
            "coordinator": t.coordinator,
        })
    });
    if let Some(map) = item.as_object_mut() {
        map.insert("project".into(), project.into());
    }
    item
}

pub(crate) fn json_response(body: &Value) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json; charset=utf-8").body(body.to_string())
}

async fn jobs(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = api_lang(&req)?;
    let jq = parse_strict(req.query_string(), &state.settings)?;
    let now = yui_db::now();
    let (filter, model) = (jq.filter.clone(), state.clone());
    let (list, origins, (conditions, projects)) = db(&state, move |conn| {
        let list = model.search.find(conn, now, &filter, false)?.page;
        let ids: Vec<i32> = list.items.iter().map(|(p, _)| p.id).collect();
        let conditions = yui_db::postings::conditions_by_posting(conn, &ids)?;
        let projects = yui_db::postings::projects_by_posting(conn, &ids)?;
        Ok((list, yui_db::hellowork::numbers_of(conn, &ids)?, (conditions, projects)))
    })
    .await?;
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
        "items": list
            .items
            .iter()
            .map(|(p, e)| {
                let item = with_source(item(p, e, &state.settings, lang), origins.get(&p.id));
                with_project(with_conditions(item, conditions.get(&p.id), lang), projects.get(&p.id))
            })
            .collect::<Vec<_>>(),
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

async fn job(req: HttpRequest, state: web::Data<AppState>, id: web::Path<String>) -> Result<HttpResponse, WebError> {
    let lang = api_lang(&req)?;
    let id = PublicId::parse(&id).ok_or(WebError::NotFound)?;
    let now = yui_db::now();
    let (p, e, number, (conditions, project)) = db(&state, move |conn| {
        let Some((p, e)) = yui_db::postings::find_public(conn, &id, now)? else { return Ok(None) };
        let number = yui_db::hellowork::numbers_of(conn, &[p.id])?.remove(&p.id);
        let conditions = yui_db::postings::conditions_of(conn, p.id)?;
        let project = yui_db::postings::project_of(conn, p.id)?.terms();
        Ok(Some((p, e, number, (conditions, project))))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let body = with_source(item(&p, &e, &state.settings, lang), number.as_ref());
    let mut body = with_project(with_conditions(body, Some(&conditions), lang), Some(&project));
    if let Some(map) = body.as_object_mut() {
        map.insert("license".into(), license(&state.settings));
    }
    Ok(json_response(&body))
}

async fn openapi(state: web::Data<AppState>) -> HttpResponse {
    json_response(&served_openapi(&state.settings))
}

/// `docs/openapi.json` as this instance serves it: its own address as the server, and its own
/// category and district codes as the enums of the filters and of `location.area_code` (the file
/// lists those of the shipped `config/default.toml`).
fn served_openapi(settings: &Settings) -> Value {
    let mut doc: Value = serde_json::from_str(OPENAPI).unwrap_or_else(|e| unreachable!("docs/openapi.json: {e}"));
    doc["servers"] = json!([{ "url": settings.site.base_url }]);
    let codes = |list: &[crate::settings::portal::Choice]| list.iter().map(|c| c.code.clone()).collect::<Vec<_>>();
    doc["components"]["schemas"]["CategoryCode"]["enum"] = json!(codes(&settings.portal.categories));
    doc["components"]["schemas"]["AreaCode"]["enum"] = json!(codes(&settings.portal.areas));
    doc
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

    /// The file describes the shipped configuration; a server describes its own.
    #[test]
    fn the_file_lists_the_shipped_codes_and_a_server_its_own() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
        let mut settings = crate::settings::Settings::load(&dir, "test").unwrap();
        let file: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        let codes = |doc: &serde_json::Value, schema: &str| doc["components"]["schemas"][schema]["enum"].clone();
        let shipped = super::served_openapi(&settings);
        for schema in ["CategoryCode", "AreaCode"] {
            assert_eq!(codes(&file, schema), codes(&shipped, schema), "{schema} in docs/openapi.json");
        }
        settings.portal.areas.truncate(1);
        settings.portal.areas[0].code = "minato".into();
        settings.site.base_url = "https://jobs.town.example".into();
        let served = super::served_openapi(&settings);
        assert_eq!(codes(&served, "AreaCode"), serde_json::json!(["minato"]));
        assert_eq!(served["servers"][0]["url"], "https://jobs.town.example");
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(6, 0, 0).unwrap();
        assert_eq!(super::rfc3339(t), "2026-11-25T06:00:00Z");
    }
}
