//! `GET /api/v1/campaigns` and `/api/v1/campaigns/{slug}`: published campaigns, public fields
//! and the entry count only, never an entrant. Like the jobs API: GET and HEAD, a JSON 405 for
//! other methods, CORS from the `/api/` middleware, the data licence in every answer.

use super::*;
use actix_web::guard;

/// Registered as resources (not `#[get]`) so that HEAD is answered and other methods get a 405.
pub fn configure_api(cfg: &mut web::ServiceConfig) {
    let read = || web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
    cfg.service(
        web::resource("/api/v1/campaigns").route(read().to(api_list)).default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/api/v1/campaigns/{slug}")
            .route(read().to(api_show))
            .default_service(web::to(method_not_allowed)),
    );
}

async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    let message = Lang::of_request(&req).t("error.method_not_allowed");
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "GET, HEAD, OPTIONS"))
        .json(json!({"error": {"code": "method_not_allowed", "message": message}}))
}

fn api_view(state: &AppState, l: &Loaded) -> Value {
    let base = &state.settings.site.base_url;
    let c = &l.campaign;
    let organizations: Vec<Value> = l
        .organizations
        .iter()
        .map(|(o, logo)| json!({"name": o.name, "name_en": o.name_en, "logo_url": logo.as_ref().map(|f| format!("{base}/media/{f}"))}))
        .collect();
    let postings: Vec<Value> =
        l.postings.iter().map(|(p, e)| json!({"id": p.public_id, "title": p.title, "employer": e.name, "url": format!("{base}/jobs/{}", p.public_id)})).collect();
    json!({
        "slug": c.slug,
        "url": format!("{base}/campaigns/{}", c.slug),
        "title": c.title,
        "starts_on": c.starts().to_string(),
        "ends_on": c.ends().to_string(),
        "accepting_entries": open_today(c),
        "story_markdown": c.story_markdown,
        "organizations": organizations,
        "postings": postings,
        "entry_count": l.entries,
    })
}

fn json_response(state: &AppState, mut body: Value) -> HttpResponse {
    if let Some(map) = body.as_object_mut() {
        map.insert("license".into(), crate::views::license(&state.settings));
    }
    HttpResponse::Ok().json(body)
}

pub async fn api_list(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let rows = db(&state, yui_db::campaigns::list_public).await?;
    let data: Vec<Value> = rows
        .iter()
        .map(|(c, n)| {
            json!({
                "slug": c.slug,
                "title": c.title,
                "starts_on": c.starts().to_string(),
                "ends_on": c.ends().to_string(),
                "accepting_entries": open_today(c),
                "entry_count": n,
                "url": format!("{}/campaigns/{}", state.settings.site.base_url, c.slug),
            })
        })
        .collect();
    Ok(json_response(&state, json!({"data": data})))
}

pub async fn api_show(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &slug).await?;
    Ok(json_response(&state, json!({"data": api_view(&state, &loaded)})))
}
