//! `/employers/{slug}`: who an employer is, by sight: their approved logo, photos and
//! introduction, where they are, their links, their open postings and the features about them.
//! An employer with nothing approved (a Hello Work import, one entered by staff) still has a
//! page: their name, place and postings.

use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::seo::OpenGraph;
use crate::state::AppState;
use crate::views::PostingCard;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_domain::PublicId;

/// Enough for any one employer in a small town; the page stays well under 64 KB.
const POSTINGS: i64 = 30;
const FEATURES: usize = 10;

#[get("/employers/{slug}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = PublicId::parse(&slug).ok_or(WebError::NotFound)?;
    let now = yui_db::now();
    let (profile, employer, postings, features) = db(&state, move |conn| {
        let Some((profile, employer)) = yui_db::employer_profiles::find_by_slug(conn, slug.as_str())? else {
            return Ok(None);
        };
        let postings = yui_db::employer_profiles::open_postings(conn, employer.id, now, POSTINGS)?;
        let features = yui_db::employer_profiles::features(conn, employer.id, now, FEATURES)?;
        Ok(Some((profile, employer, postings, features)))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let lang = Lang::of_request(&req);
    let site = &state.settings.site;
    let path = format!("/employers/{}", profile.slug);
    let face = &profile.published;
    let cards: Vec<PostingCard> =
        postings.iter().map(|p| PostingCard::new(p, &employer, &state.settings.portal, lang)).collect();
    let description = if face.intro.is_empty() {
        lang.tf("employer.description", &[("name", &employer.name), ("n", &cards.len())])
    } else {
        face.intro.clone()
    };
    let og = OpenGraph::new(site, &path, &employer.name, &description, "profile", lang)
        .with_image(crate::face::og_image(Some(face), &site.base_url));
    let website = employer.website.as_deref().filter(|w| w.starts_with("https://") || w.starts_with("http://"));
    let links: Vec<&str> =
        website.into_iter().chain(face.links.iter().map(String::as_str).filter(|l| Some(*l) != website)).collect();
    let ctx = json!({
        "page_title": employer.name,
        "meta_description": crate::seo::summary(&description, 120),
        "name": employer.name,
        "industry": employer.industry,
        "address": employer.address,
        "face": crate::face::view(face, &employer.name, &path, lang),
        "links": links,
        "postings": cards,
        "features": features.iter().map(|a| json!({"url": crate::paths::article(a.kind, &a.slug), "title": a.title, "pr": a.sponsor_employer_id.is_some()})).collect::<Vec<_>>(),
        "og": og,
    });
    let html = crate::templates::render_page(&state.templates, site, &req, lang, "portal/employer", ctx)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}
