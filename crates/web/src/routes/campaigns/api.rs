//! `GET /api/v1/campaigns` and `/api/v1/campaigns/{slug}`: published campaigns, public fields
//! and the entry count only.

use super::*;

fn api_view(l: &Loaded) -> Value {
    let c = &l.campaign;
    let organizations: Vec<Value> = l
        .organizations
        .iter()
        .map(|(o, logo)| json!({"name": o.name, "name_en": o.name_en, "logo_url": logo.as_ref().map(|f| format!("/media/{f}"))}))
        .collect();
    let postings: Vec<Value> =
        l.postings.iter().map(|(p, e)| json!({"id": p.public_id, "title": p.title, "employer": e.name})).collect();
    json!({
        "slug": c.slug,
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

fn json_response(body: &Value) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")).json(body)
}

#[get("/api/v1/campaigns")]
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
    Ok(json_response(&json!({"data": data})))
}

#[get("/api/v1/campaigns/{slug}")]
pub async fn api_show(state: web::Data<AppState>, slug: web::Path<String>) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &slug).await?;
    Ok(json_response(&json!({"data": api_view(&loaded)})))
}
