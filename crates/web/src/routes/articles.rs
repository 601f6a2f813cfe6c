//! Readers' side of the editorial module: `/features` (paid stories, every one labelled 「PR」
//! with 「提供：…」 as Japan's rules on stealth marketing require) and `/columns`, the article
//! pages with their linked postings' live status, hero images at `/media/{name}`, and the
//! Atom feed `/feeds/articles.atom`. Only published articles whose time has come are shown.

use crate::atom::{Atom, AtomEntry, AtomHead};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::seo::{self, OpenGraph};
use crate::state::AppState;
use crate::views;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_db::articles::Article;
use yui_db::postings::Posting;
use yui_domain::ArticleKind;
use yui_domain::PostingStatus;

const LIST_SIZE: i64 = 100;
const FEED_SIZE: i64 = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(features).service(feature).service(columns).service(column).service(media).service(atom);
}

async fn list_page(req: HttpRequest, state: web::Data<AppState>, kind: ArticleKind) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let now = yui_db::now();
    let rows = db(&state, move |conn| yui_db::articles::public_list(conn, Some(kind), now, LIST_SIZE)).await?;
    let cards: Vec<Value> = rows.iter().map(|(a, s)| views::article_card(a, s.as_ref(), lang)).collect();
    let (title, path) = match kind {
        ArticleKind::Feature => (lang.t("articles.page.features"), "/features"),
        ArticleKind::Column => (lang.t("articles.page.columns"), "/columns"),
    };
    let site = &state.settings.site;
    let ctx = json!({
        "page_title": title,
        "title": title,
        "is_features": kind == ArticleKind::Feature,
        "articles": cards,
        "og": OpenGraph::new(site, path, title, title, "website", lang),
    });
    crate::handler::page(&req, &state, "articles/list", ctx)
}

#[get("/features")]
pub async fn features(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    list_page(req, state, ArticleKind::Feature).await
}

#[get("/columns")]
pub async fn columns(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    list_page(req, state, ArticleKind::Column).await
}

/// A linked posting as readers see it: open (a link) or ended.
fn linked(p: &Posting, now: chrono::NaiveDateTime) -> Option<Value> {
    let open = p.status == PostingStatus::Published && p.valid_through > now;
    let ended = matches!(
        p.status,
        PostingStatus::Published | PostingStatus::Expired | PostingStatus::Closed | PostingStatus::Filled
    );
    // Postings that were never public are not mentioned.
    ended.then(|| json!({"url": format!("/jobs/{}", p.public_id), "title": p.title, "open": open}))
}

async fn article_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    kind: ArticleKind,
    slug: String,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let now = yui_db::now();
    let (a, sponsor, postings) = db(&state, move |conn| {
        let Some((a, sponsor)) = yui_db::articles::find_public(conn, kind, &slug, now)? else { return Ok(None) };
        let mut postings = Vec::new();
        for p in yui_db::articles::linked_postings(conn, a.id)? {
            let employer = yui_db::employers::find(conn, p.employer_id)?;
            postings.push((p, employer));
        }
        Ok(Some((a, sponsor, postings)))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let site = &state.settings.site;
    let path = crate::paths::article(a.kind, &a.slug);
    let image = a.hero_image.as_ref().map(|h| format!("{}/media/{h}", site.base_url));
    let mut og = OpenGraph::new(site, &path, &a.title, &a.lede, "article", lang);
    og.image.clone_from(&image);
    let ld = seo::article(site, &a, sponsor.as_ref(), &path, image.as_deref());
    let credits: Vec<Value> = [
        (lang.t("articles.page.text"), &a.writer_credit),
        (lang.t("articles.page.photos"), &a.photographer_credit),
        (lang.t("articles.page.editor"), &a.editor_credit),
    ]
    .into_iter()
    .filter_map(|(role, name)| name.as_ref().map(|n| json!({"role": role, "name": n})))
    .collect();
    let mut card = views::article_card(&a, sponsor.as_ref(), lang);
    card["caption"] = a.hero_caption.clone().into();
    let ctx = json!({
        "page_title": if a.kind == ArticleKind::Feature { format!("【PR】{}", a.title) } else { a.title.clone() },
        "article": card,
        "body": crate::markdown::render(&a.body_markdown),
        "updated": views::date(a.updated_at, lang),
        "credits": credits,
        // Open postings as the cards seekers know from the lists; ended ones as a line that says so.
        "cards": postings
            .iter()
            .filter(|(p, _)| p.status == PostingStatus::Published && p.valid_through > now)
            .filter_map(|(p, e)| e.as_ref().map(|e| (p, views::PostingCard::new(p, e, &state.settings.portal, lang))))
            .map(|(p, card)| {
                let mut card = json!(card);
                // A feature's links pass through a redirect that counts the click for its sponsor.
                if a.kind == ArticleKind::Feature {
                    card["url"] = crate::paths::feature_click(a.id, &p.public_id).into();
                }
                card
            })
            .collect::<Vec<_>>(),
        "postings": postings.iter().filter_map(|(p, _)| linked(p, now)).filter(|l| l["open"] == false).collect::<Vec<_>>(),
        "people": a.interviewees.as_deref().map(|p| p.lines().collect::<Vec<_>>()).unwrap_or_default(),
        "og": og,
        "jsonld": seo::script_json(&ld),
        "share": crate::share::links(&format!("{}{path}", site.base_url), &a.title),
    });
    crate::handler::page(&req, &state, "articles/show", ctx)
}

#[get("/features/{slug}")]
pub async fn feature(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    article_page(req, state, ArticleKind::Feature, slug.into_inner()).await
}

#[get("/columns/{slug}")]
pub async fn column(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    article_page(req, state, ArticleKind::Column, slug.into_inner()).await
}

/// What a `/media/{name}` name stands for: `{sha256}.{ext}` is an image in the database by
/// its hash; `{32 hex digits}.{ext}` is a file name from before images moved into the database
/// (imported with `yui media import`). Anything else is no image.
enum MediaName<'a> {
    Hash(&'a str),
    Old(&'a str),
}

fn media_name(name: &str) -> Option<MediaName<'_>> {
    let (stem, ext) = name.split_once('.')?;
    let hex = stem.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !hex || !matches!(ext, "jpg" | "png" | "webp") {
        return None;
    }
    match stem.len() {
        64 => Some(MediaName::Hash(stem)),
        32 => Some(MediaName::Old(name)),
        _ => None,
    }
}

/// Whether `If-None-Match` names `etag` (or is `*`): weak and strong forms compare alike here.
fn matches_etag(req: &HttpRequest, etag: &str) -> bool {
    req.headers().get_all(header::IF_NONE_MATCH).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|tag| {
        let tag = tag.trim();
        tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag
    })
}

#[get("/media/{name}")]
pub async fn media(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let name = name.into_inner();
    let found = match media_name(&name).ok_or(WebError::NotFound)? {
        MediaName::Hash(hash) => {
            let hash = hash.to_owned();
            db(&state, move |conn| yui_db::media::find(conn, &hash)).await?
        }
        MediaName::Old(old) => {
            let old = old.to_owned();
            db(&state, move |conn| yui_db::media::find_by_alias(conn, &old)).await?
        }
    };
    let image = found.ok_or(WebError::NotFound)?;
    // The hash is the content: a name never shows other bytes, so caches may keep it for good.
    let etag = format!("\"{}\"", image.hash);
    let unchanged = matches_etag(&req, &etag);
    let mut res = if unchanged { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox"));
    if unchanged {
        return Ok(res.finish());
    }
    Ok(res.insert_header((header::CONTENT_TYPE, image.content_type)).body(image.bytes))
}

/// Feature titles carry 【PR】 wherever they travel.
fn feed_title(a: &Article) -> String {
    match a.kind {
        ArticleKind::Feature => format!("【PR】{}", a.title),
        ArticleKind::Column => a.title.clone(),
    }
}

#[get("/feeds/articles.atom")]
pub async fn atom(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let now = yui_db::now();
    let rows = db(&state, move |conn| yui_db::articles::public_list(conn, None, now, FEED_SIZE)).await?;
    let site = &state.settings.site;
    let base = &site.base_url;
    let title = lang.tf("articles.feed_title", &[("site", &site.name)]);
    let mut feed = Atom::new(
        AtomHead {
            lang,
            self_url: &format!("{base}/feeds/articles.atom"),
            html_url: &format!("{base}/features"),
            title: &title,
            updated: rows.iter().map(|(a, _)| a.updated_at).max().unwrap_or(now),
            author: &site.name,
            license: None,
        },
        rows.len(),
    );
    for (a, sponsor) in &rows {
        let published = a.shown_from().unwrap_or(a.created_at);
        let summary = match (a.kind, sponsor) {
            (ArticleKind::Feature, Some(s)) => format!("PR 提供：{}\n{}", s.name, a.lede),
            _ => a.lede.clone(),
        };
        feed.entry(AtomEntry {
            url: &format!("{base}{}", crate::paths::article(a.kind, &a.slug)),
            title: &feed_title(a),
            updated: a.updated_at.max(published),
            published,
            author: a.writer_credit.as_deref().unwrap_or(&site.name),
            category: Some((a.kind.code(), a.kind.label(lang.code()))),
            tags: Vec::new(),
            summary: &summary,
        });
    }
    Ok(feed.finish(&mut HttpResponse::Ok()))
}

#[cfg(test)]
mod tests {
    use super::{media_name, MediaName};

    #[test]
    fn only_names_yui_chose_are_served() {
        let hash = "0123456789abcdef".repeat(4);
        assert!(matches!(media_name(&format!("{hash}.png")), Some(MediaName::Hash(h)) if h == hash));
        let old = "0123456789abcdef0123456789abcdef.webp";
        assert!(matches!(media_name(old), Some(MediaName::Old(n)) if n == old));
        for bad in [
            "../etc/passwd",
            "0123456789ABCDEF0123456789abcdef.png",
            "x.png",
            "0123456789abcdef0123456789abcdef.svg",
            "0123456789abcdef0123456789abcdef.png.html",
            "0123456789abcdef0123456789abcdef0.png",
        ] {
            assert!(media_name(bad).is_none(), "{bad}");
        }
    }
}
