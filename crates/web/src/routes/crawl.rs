//! What crawlers ask for first: `/robots.txt` and `/sitemap.xml` (the portal's pages and every
//! public posting with its last change).

use crate::atom::xml_escape;
use crate::error::WebError;
use crate::handler::db;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDateTime;
use yui_domain::ArticleKind;

/// The sitemap protocol's limit of URLs per file; beyond it the most recently changed win.
const SITEMAP_MAX_URLS: i64 = 50_000;

/// What crawlers leave alone: the staff area, the webhooks and every private link (they carry keys).
const DISALLOWED: [&str; 11] = [
    "/admin/",
    "/campaigns/withdraw/",
    "/manage/",
    "/succession/manage/",
    "/hooks/",
    "/follow/manage/",
    "/follow/confirm/",
    "/follow/feeds/",
    "/unsubscribe/",
    "/support/confirm/",
    "/support/leave/",
];

#[get("/robots.txt")]
pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    let base = &state.settings.site.base_url;
    // Disallows before `Allow: /`: parsers that take the first matching rule (Python's
    // urllib.robotparser) then read the file as RFC 9309's longest match does.
    let disallows: String = DISALLOWED.iter().map(|p| format!("Disallow: {p}\n")).collect();
    let body = format!("User-agent: *\n{disallows}Allow: /\n\nSitemap: {base}/sitemap.xml\n");
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(body)
}

fn w3c(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[get("/sitemap.xml")]
pub async fn sitemap(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let now = yui_db::now();
    let (postings, articles, listings, campaigns) = db(&state, move |conn| {
        let articles = yui_db::articles::public_paths(conn, now, 5_000)?;
        let listings = yui_db::succession::listed(conn)?;
        let campaigns = yui_db::campaigns::list_public(conn)?;
        let limit = SITEMAP_MAX_URLS - 6 - (articles.len() + listings.len() + campaigns.len()) as i64;
        Ok((yui_db::postings::public_ids_updated(conn, now, limit)?, articles, listings, campaigns))
    })
    .await?;
    let base = xml_escape(&state.settings.site.base_url);
    let newest = postings.iter().map(|(_, at)| *at).max();
    let mut xml = String::with_capacity(200 + postings.len() * 120);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for path in ["/", "/jobs"] {
        xml.push_str(&format!("  <url><loc>{base}{path}</loc>"));
        if let Some(at) = newest {
            xml.push_str(&format!("<lastmod>{}</lastmod>", w3c(at)));
        }
        xml.push_str("</url>\n");
    }
    // The open data page, once the daily files are there: it changes with them.
    if let Some(f) = crate::open_data::file(&state.settings.open_data_dir, crate::open_data::CSV_FILE) {
        xml.push_str(&format!("  <url><loc>{base}/data</loc><lastmod>{}</lastmod></url>\n", w3c(f.modified)));
    }
    // The article lists, when they have something: each with its newest article's change.
    for kind in [ArticleKind::Feature, ArticleKind::Column] {
        if let Some(at) = articles.iter().filter(|(k, _, _)| *k == kind).map(|(_, _, at)| *at).max() {
            let path = if kind == ArticleKind::Feature { "/features" } else { "/columns" };
            xml.push_str(&format!("  <url><loc>{base}{path}</loc><lastmod>{}</lastmod></url>\n", w3c(at)));
        }
    }
    for (kind, slug, changed) in &articles {
        let path = crate::paths::article(*kind, slug);
        xml.push_str(&format!(
            "  <url><loc>{base}{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&path),
            w3c(*changed)
        ));
    }
    for (public_id, updated) in &postings {
        xml.push_str(&format!(
            "  <url><loc>{base}/jobs/{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(public_id),
            w3c(*updated)
        ));
    }
    // Succession listings: a few dozen at most, and only their public ids; the list page is
    // named once there is something on it.
    if let Some(at) = listings.iter().map(|(l, _)| l.updated_at).max() {
        xml.push_str(&format!("  <url><loc>{base}/succession</loc><lastmod>{}</lastmod></url>\n", w3c(at)));
    }
    for (listing, _) in &listings {
        xml.push_str(&format!(
            "  <url><loc>{base}/succession/{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&listing.public_id),
            w3c(listing.updated_at)
        ));
    }
    // Published campaigns: the list page once there is one, then each campaign.
    if let Some(at) = campaigns.iter().map(|(c, _)| c.updated_at).max() {
        xml.push_str(&format!("  <url><loc>{base}/campaigns</loc><lastmod>{}</lastmod></url>\n", w3c(at)));
    }
    for (c, _) in &campaigns {
        xml.push_str(&format!(
            "  <url><loc>{base}/campaigns/{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&c.slug),
            w3c(c.updated_at)
        ));
    }
    xml.push_str("</urlset>\n");
    Ok(HttpResponse::Ok().content_type("application/xml; charset=utf-8").body(xml))
}
