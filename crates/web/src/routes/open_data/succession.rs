//! `GET /api/v1/succession` and `/api/v1/succession/{id}`: the listings the public pages show,
//! with the same public fields. The owner's name, address and telephone, the manage link and
//! the inquiries are never read into the answer: [`item`] names each field it gives.

use super::*;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::license;
use actix_web::HttpResponse;
use serde_json::{json, Value};
use std::collections::HashMap;
use yui_db::succession::{ArticleLink, Listing};
use yui_domain::PublicId;

/// One listing as the API shows it.
fn item(l: &Listing, coordinator: &str, article: Option<&ArticleLink>, base: &str, lang: Lang) -> Value {
    let code = lang.code();
    let coded = |c: &str, label: &str| json!({"code": c, "label": label});
    json!({
        "id": l.public_id,
        "url": format!("{base}/succession/{}", l.public_id),
        "name": l.public_name,
        "industry": l.industry,
        "area": l.area,
        "years_in_business": l.years_in_business,
        "staff_count": l.staff_count,
        "revenue_band": coded(l.revenue().code(), l.revenue().label(code)),
        "handover": l.handover_items().iter().map(|h| coded(h.code(), h.label(code))).collect::<Vec<_>>(),
        "handover_note": l.handover_note,
        "reason": l.reason,
        "successor_wish": l.successor_wish,
        "terms": l.term_list().iter().map(|t| coded(t.code(), t.label(code))).collect::<Vec<_>>(),
        "price": (!l.price_text.trim().is_empty()).then_some(&l.price_text),
        "description": l.description,
        "status": coded(l.status.code(), l.status.label(code)),
        "coordinator": coordinator,
        "article": article.map(|a| json!({"url": format!("{base}{}", a.path()), "title": a.title})),
        "matched_at": l.matched_at.map(crate::atom::rfc3339),
        "date_modified": crate::atom::rfc3339(l.updated_at),
    })
}

/// The listed ones (open, in talks, matched; never closed), in the public list's order, with
/// the articles they link to: three queries, however many listings there are.
type Listed = (Vec<(Listing, String)>, HashMap<i32, ArticleLink>);

async fn listed(state: &web::Data<AppState>) -> Result<Listed, WebError> {
    let now = yui_db::now();
    db(state, move |conn| {
        let rows = yui_db::succession::listed(conn)?;
        let articles = yui_db::succession::published_articles(conn, now)?.into_iter().map(|a| (a.id, a)).collect();
        Ok((rows, articles))
    })
    .await
}

pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = api_lang(&req)?;
    let page = page_of(&req)?;
    let (rows, articles) = listed(&state).await?;
    let base = &state.settings.site.base_url;
    let skip = (page as usize - 1).saturating_mul(PER_PAGE as usize);
    let items: Vec<Value> = rows
        .iter()
        .skip(skip)
        .take(PER_PAGE as usize)
        .map(|(l, c)| item(l, c, l.article_id.and_then(|a| articles.get(&a)), base, lang))
        .collect();
    let total = rows.len() as i64;
    let mut body = json!({"items": items, "total": total, "page": page, "per_page": PER_PAGE, "license": license(&state.settings)});
    if let (Some(map), Value::Object(l)) = (body.as_object_mut(), links(base, "/api/v1/succession", page, total)) {
        map.extend(l);
    }
    Ok(json_response(&body))
}

pub async fn one(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = api_lang(&req)?;
    let id = PublicId::parse(&id).ok_or(WebError::NotFound)?;
    let (rows, articles) = listed(&state).await?;
    let (l, c) = rows.iter().find(|(l, _)| l.public_id == id.as_str()).ok_or(WebError::NotFound)?;
    let mut body = item(l, c, l.article_id.and_then(|a| articles.get(&a)), &state.settings.site.base_url, lang);
    if let Some(map) = body.as_object_mut() {
        map.insert("license".into(), license(&state.settings));
    }
    Ok(json_response(&body))
}
