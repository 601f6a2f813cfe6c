//! `GET /api/v1/articles` and `/api/v1/articles/{slug-or-id}`: features and columns readers can
//! open now (never a draft, a scheduled one before its time, or a withdrawn one), with their
//! sponsor's public name. The body is the page's; the API gives the summary and the address.

use super::*;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::license;
use actix_web::HttpResponse;
use serde_json::{json, Value};
use yui_db::open_data::PublicArticle;

fn item((a, sponsor): &PublicArticle, base: &str, lang: Lang) -> Value {
    let section = match a.kind {
        yui_domain::articles::ArticleKind::Feature => "features",
        yui_domain::articles::ArticleKind::Column => "columns",
    };
    json!({
        "id": a.id,
        "slug": a.slug,
        "kind": {"code": a.kind.code(), "label": a.kind.label(lang.code())},
        "title": a.title,
        "summary": a.lede,
        "url": format!("{base}/{section}/{}", a.slug),
        "date_published": a.shown_from().map(crate::atom::rfc3339),
        "date_modified": crate::atom::rfc3339(a.updated_at),
        "sponsor": sponsor.as_ref().map(|name| json!({"name": name})),
    })
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = api_lang(&req)?;
    let page = page_of(&req)?;
    let (now, per_page) = (yui_db::now(), i64::from(PER_PAGE));
    let offset = i64::from(page - 1) * per_page;
    let (rows, total) = db(&state, move |conn| yui_db::open_data::articles_page(conn, now, offset, per_page)).await?;
    let base = &state.settings.site.base_url;
    let items: Vec<Value> = rows.iter().map(|r| item(r, base, lang)).collect();
    let mut body = json!({"items": items, "total": total, "page": page, "per_page": PER_PAGE, "license": license(&state.settings)});
    if let (Some(map), Value::Object(l)) = (body.as_object_mut(), links(base, "/api/v1/articles", page, total)) {
        map.extend(l);
    }
    Ok(json_response(&body))
}

pub async fn one(
    req: HttpRequest,
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = api_lang(&req)?;
    let (key, now) = (key.into_inner(), yui_db::now());
    // Slugs are short words; anything long is no article's, and need not reach the database.
    if key.is_empty() || key.len() > 200 {
        return Err(WebError::NotFound);
    }
    let found = db(&state, move |conn| yui_db::open_data::find_article(conn, &key, now)).await?;
    let mut body = item(&found.ok_or(WebError::NotFound)?, &state.settings.site.base_url, lang);
    if let Some(map) = body.as_object_mut() {
        map.insert("license".into(), license(&state.settings));
    }
    Ok(json_response(&body))
}
