//! 後継者募集: `/succession` (the list, searchable), `/succession/{id}` (one listing and its
//! inquiry form), `/feeds/succession.atom` (the list as a feed, with the same filters), and
//! `/succession/manage/{token}` (the owner's private page).
//!
//! Staged disclosure: the owner's name and contact details never appear on a public page, in
//! Open Graph tags or in the sitemap. An inquiry goes to the coordinator organisation through
//! the outbox (Reply-To the inquirer); the coordinator talks to the owner, and introduces the
//! two only when the owner agrees. The owner's private page counts inquiries without
//! showing who sent them.

use crate::atom::{Atom, AtomEntry, AtomHead};
use crate::csrf::{self, Csrf};
use crate::error::WebError;
use crate::forms::value as value_of;
use crate::handler::{db, db_mail};
use crate::i18n::{query_pairs, Lang};
use crate::seo::OpenGraph;
use crate::state::AppState;
use crate::tokens::hash_token;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse, HttpResponseBuilder};
use serde_json::{json, Map, Value};
use yui_db::succession::{ArticleLink, Listing};
use yui_domain::search::{matches_all, query_terms};
use yui_domain::succession::SuccessionInquiry;
use yui_domain::{FieldError, PublicId, SuccessionStatus, SuccessionTerm};
use yui_mail::letters::staff::SuccessionChangeRequest;

const FIELDS: [&str; 5] = ["name", "email", "phone", "about", "consent"];
const REQUEST_MAX_CHARS: usize = 2000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The owner's page first: `/succession/manage/…` must not be read as a listing's id.
    cfg.service(manage_show).service(manage_request).service(list).service(show).service(inquire).service(atom);
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Everything the public may see of a listing, ready for `succession/body`. The owner's
/// fields are left out here, once, so no page can print them by mistake.
pub fn public_view(l: &Listing, coordinator: &str, article: Option<&ArticleLink>, lang: Lang) -> Value {
    let code = lang.code();
    let price = if l.price_text.trim().is_empty() {
        lang.t("succession.page.negotiable").to_owned()
    } else {
        l.price_text.clone()
    };
    json!({
        "url": format!("/succession/{}", l.public_id),
        "public_id": l.public_id,
        "name": l.public_name,
        "industry": l.industry,
        "area": l.area,
        "years": l.years_in_business.map(|n| lang.tf("succession.years", &[("n", &n)])),
        "staff": l.staff_count.map(|n| lang.tf("succession.staff", &[("n", &n)])),
        "revenue": l.revenue().label(code),
        "handover": l.handover_items().iter().map(|h| h.label(code)).collect::<Vec<_>>(),
        "handover_note": paragraphs(&l.handover_note),
        "reason": paragraphs(&l.reason),
        "successor_wish": paragraphs(&l.successor_wish),
        "terms": l.term_list().iter().map(|t| t.label(code)).collect::<Vec<_>>(),
        "price": price,
        "description": paragraphs(&l.description),
        "summary": crate::seo::summary(&l.description, 80),
        "status_code": l.status.code(),
        "status_label": l.status.label(code),
        "matched": l.status == SuccessionStatus::Matched,
        "coordinator": coordinator,
        "article": article.map(|a| json!({"url": a.path(), "title": a.title})),
        "updated": crate::views::date(l.updated_at, lang),
    })
}

/// A page with forms: the visitor's CSRF cookie is set when new, and nothing is cached
/// (the page carries the visitor's token).
fn html_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    template: &str,
    ctx: Value,
    csrf: Option<&Csrf>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, template, ctx)?;
    let mut res = HttpResponse::build(status);
    if let Some(csrf) = csrf {
        csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
        res.insert_header((header::CACHE_CONTROL, "private, no-store"));
    }
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

/// One choice of a filter, from the values the listed rows carry.
fn choices(values: impl Iterator<Item = String>, selected: &str) -> Vec<Value> {
    let mut all: Vec<String> = values.filter(|v| !v.is_empty()).collect();
    all.sort();
    all.dedup();
    all.into_iter().map(|v| json!({"code": v, "label": v, "selected": v == selected})).collect()
}

/// The list's filters, as `/succession` and its feed read them from the query string.
struct ListFilter {
    q: String,
    industry: String,
    area: String,
    term: String,
}

impl ListFilter {
    fn of(req: &HttpRequest) -> ListFilter {
        let pairs: Vec<(String, String)> = query_pairs(req.query_string()).collect();
        let get =
            |name: &str| pairs.iter().find(|(k, _)| k == name).map_or(String::new(), |(_, v)| v.trim().to_owned());
        ListFilter { q: get("q"), industry: get("industry"), area: get("area"), term: get("term") }
    }

    fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }

    /// `path` with the filters that are set, in a fixed order (for the feed's links).
    fn href(&self, path: &str) -> String {
        crate::paths::href(path, &self.pairs())
    }

    fn pairs(&self) -> Vec<(String, String)> {
        [("q", &self.q), ("industry", &self.industry), ("area", &self.area), ("term", &self.term)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect()
    }

    fn select<'a>(&self, rows: &'a [(Listing, String)]) -> Vec<&'a (Listing, String)> {
        let term = self.term.parse::<SuccessionTerm>().ok();
        let words = query_terms(&self.q);
        rows.iter()
            .filter(|(l, _)| self.industry.is_empty() || l.industry == self.industry)
            .filter(|(l, _)| self.area.is_empty() || l.area == self.area)
            .filter(|(l, _)| term.is_none_or(|t| l.term_list().contains(&t)))
            .filter(|(l, _)| matches_all(&words, &l.public_text()))
            .collect()
    }
}

#[get("/succession")]
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let filter = ListFilter::of(&req);
    let rows = db(&state, yui_db::succession::listed).await?;
    let shown: Vec<Value> = filter.select(&rows).into_iter().map(|(l, org)| public_view(l, org, None, lang)).collect();
    let ListFilter { q, industry, area, term } = &filter;
    let feed_href = filter.href("/feeds/succession.atom");
    let title = lang.t("succession.list.title");
    let description = lang.tf("succession.list.description", &[("region", &state.settings.site.region)]);
    let ctx = json!({
        "page_title": title,
        "og": OpenGraph::new(&state.settings.site, "/succession", title, &description, "website", lang),
        "listings": shown,
        "count": shown.len(),
        "filtered": !filter.is_empty(),
        "feed_href": feed_href,
        "form": {
            "q": q,
            "industries": choices(rows.iter().map(|(l, _)| l.industry.clone()), industry),
            "areas": choices(rows.iter().map(|(l, _)| l.area.clone()), area),
            "terms": SuccessionTerm::ALL.iter().map(|t| json!({"code": t.code(), "label": t.label(lang.code()), "selected": t.code() == term})).collect::<Vec<_>>(),
        },
    });
    html_page(&req, &state, StatusCode::OK, "succession/list", ctx, None)
}

/// The list as an Atom feed, for people who watch for a business to take on: open and in-talks
/// listings with their status in the title, matched ones too (they leave the feed when closed).
/// Only what the public page shows goes in; never the owner's fields.
#[get("/feeds/succession.atom")]
pub async fn atom(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let code = lang.code();
    let filter = ListFilter::of(&req);
    let rows = db(&state, yui_db::succession::listed).await?;
    let shown = filter.select(&rows);
    let site = &state.settings.site;
    let base = &site.base_url;
    let (self_url, html_url) =
        (format!("{base}{}", filter.href("/feeds/succession.atom")), format!("{base}{}", filter.href("/succession")));
    let title = lang.tf("succession.feed_title", &[("site", &site.name)]);
    let mut feed = Atom::new(
        AtomHead {
            lang,
            self_url: &self_url,
            html_url: &html_url,
            title: &title,
            updated: shown.iter().map(|(l, _)| l.updated_at).max().unwrap_or_else(yui_db::now),
            author: &site.name,
            license: None,
        },
        shown.len(),
    );
    for (l, coordinator) in shown {
        let name = match l.status {
            SuccessionStatus::Open => l.public_name.clone(),
            other => lang.tf("succession.feed_name", &[("name", &l.public_name), ("status", &other.label(code))]),
        };
        let terms: Vec<&str> = l.term_list().iter().map(|t| t.label(code)).collect();
        let separator = lang.t("succession.page.separator");
        let summary = format!(
            "{} · {} · {}\n{}",
            l.industry,
            l.area,
            terms.join(separator),
            crate::seo::summary(&l.description, 200)
        );
        feed.entry(AtomEntry {
            url: &format!("{base}/succession/{}", l.public_id),
            title: &name,
            updated: l.updated_at,
            published: l.created_at,
            author: coordinator,
            category: Some((l.status.code(), l.status.label(code))),
            summary: &summary,
        });
    }
    Ok(feed.finish(&mut HttpResponse::Ok()))
}

/// A listing the public may open, with its coordinator's name and linked article.
struct Loaded {
    listing: Listing,
    coordinator: String,
    article: Option<ArticleLink>,
}

async fn load(state: &web::Data<AppState>, id: &str) -> Result<Loaded, WebError> {
    let id = PublicId::parse(id).ok_or(WebError::NotFound)?;
    let now = yui_db::now();
    let loaded = db(state, move |conn| {
        let Some(listing) = yui_db::succession::find_by_public_id(conn, id.as_str())? else { return Ok(None) };
        let coordinator = yui_db::succession::organization_name(conn, listing.coordinator_organization_id)?;
        let article = match listing.article_id {
            Some(a) => yui_db::succession::published_article(conn, a, now)?,
            None => None,
        };
        Ok(Some(Loaded { listing, coordinator, article }))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    if loaded.listing.status.is_listed() {
        Ok(loaded)
    } else {
        Err(WebError::NotFound)
    }
}

#[derive(Default)]
struct FormState<'a> {
    typed: &'a [(String, String)],
    errors: &'a [FieldError],
    notice: Option<&'a str>,
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    loaded: &Loaded,
    form: FormState<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let l = &loaded.listing;
    let path = format!("/succession/{}", l.public_id);
    let csrf = Csrf::for_request(req);
    let mut ctx = json!({
        "page_title": l.public_name,
        "listing": public_view(l, &loaded.coordinator, loaded.article.as_ref(), lang),
        "og": OpenGraph::new(&state.settings.site, &path, &l.public_name, &l.description, "article", lang),
    });
    if l.status.takes_inquiries() {
        let mut values = Map::new();
        let mut messages = Map::new();
        for field in FIELDS {
            values.insert(field.into(), value_of(form.typed, field).into());
            messages.insert(field.into(), "".into());
        }
        for err in form.errors {
            messages.insert(err.field.into(), lang.message(&err.message).into());
        }
        if let Some(map) = ctx.as_object_mut() {
            map.insert(
                "inquiry".into(),
                json!({
                    "action": format!("{path}/inquiry"),
                    "csrf": csrf.token(&state.settings.secret_key),
                    "values": values,
                    "errors": messages,
                    "notice": form.notice.unwrap_or(""),
                }),
            );
        }
    }
    html_page(req, state, status, "succession/listing", ctx, Some(&csrf))
}

#[get("/succession/{id}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &id).await?;
    render(&req, &state, StatusCode::OK, &loaded, FormState::default())
}

#[post("/succession/{id}/inquiry")]
pub async fn inquire(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(&state, &id).await?;
    let lang = Lang::of_request(&req);
    if !loaded.listing.status.takes_inquiries() {
        return Err(WebError::Refused {
            status: StatusCode::GONE,
            code: "gone",
            message: lang.t("succession.page.this_business_has_found").into(),
        });
    }
    let fields = crate::forms::fields(&body)?;
    let typed: Vec<(String, String)> = fields.iter().filter(|(k, _)| FIELDS.contains(&k.as_str())).cloned().collect();
    let get = |name: &str| value_of(&fields, name);
    let again = |status, errors: &[FieldError], notice: &str| {
        render(&req, &state, status, &loaded, FormState { typed: &typed, errors, notice: Some(notice) })
    };

    // The same per-address budget as the postings' contact form: one visitor's first contacts.
    let limit = Some(&state.contact_limit_ip);
    match crate::forms::check(&req, &state.settings.secret_key, limit, &fields, "succession inquiry") {
        Some(crate::forms::Stop::Again(status, notice)) => return again(status, &[], notice),
        Some(crate::forms::Stop::Bot) => return thanks(&req, &state, &loaded.listing),
        None => {}
    }
    let inquiry = match SuccessionInquiry::parse(get("name"), get("email"), get("phone"), get("about"), get("consent"))
    {
        Ok(i) => i,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, &errors, crate::forms::fix_fields(lang)),
    };
    // Many addresses at once must not flood one coordinator either.
    if !state.inquiry_limit_listing.allow(loaded.listing.id) {
        log::warn!("succession inquiry: rate limit reached for listing {}", loaded.listing.public_id);
        let notice = lang.t("succession.page.this_listing_has_received");
        return again(StatusCode::TOO_MANY_REQUESTS, &[], notice);
    }

    let l = &loaded.listing;
    let site = &state.settings.site;
    let listing_url = format!("{}/succession/{}", site.base_url, l.public_id);
    let admin_url = format!("{}/admin/succession/{}", site.base_url, l.public_id);
    let (listing_name, coordinator) = (l.public_name.clone(), loaded.coordinator.clone());
    let (listing_id, org) = (l.id, l.coordinator_organization_id);
    let (app, mail_lang) = (state.clone(), yui_mail::Lang::from(lang));
    let sent = db_mail(&state, move |conn| {
        let coordinators = yui_db::succession::coordinator_emails(conn, org)?;
        if coordinators.is_empty() {
            log::error!("succession inquiry about listing {listing_id}: no active editor to receive it");
            return Ok(false);
        }
        let to: Vec<&str> = coordinators.iter().map(String::as_str).collect();
        let args = yui_mail::letters::relay::SuccessionInquiry {
            listing_name: &listing_name,
            listing_url: &listing_url,
            admin_url: &admin_url,
            coordinator: &coordinator,
            name: &inquiry.name,
            email: inquiry.email.as_str(),
            phone: inquiry.phone.as_deref(),
            about: &inquiry.about,
        };
        yui_db::transaction(conn, |conn| {
            let relayed = app.letters.succession_inquiry(conn, &to, mail_lang, &args)?;
            yui_db::succession::receive_inquiry(conn, listing_id, &inquiry, relayed.message, yui_db::now())?;
            Ok(true)
        })
    })
    .await?;
    if !sent {
        return Err(WebError::Refused {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: lang.t("succession.page.inquiries_cannot_be_received").into(),
        });
    }
    thanks(&req, &state, l)
}

/// What happens next: the coordinator writes first; the owner is named only when they agree.
fn thanks(req: &HttpRequest, state: &AppState, l: &Listing) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("succession.page.inquiry_sent"),
        "listing_url": format!("/succession/{}", l.public_id),
        "listing_name": l.public_name,
    });
    html_page(req, state, StatusCode::OK, "succession/thanks", ctx, None)
}

/// The page's address is the key: never let it leave in a Referer or a shared cache.
fn private(res: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    res.insert_header((header::REFERRER_POLICY, "no-referrer")).insert_header((header::CACHE_CONTROL, "no-store"))
}

async fn load_owned(state: &web::Data<AppState>, token: &str) -> Result<Option<(Loaded, i64)>, WebError> {
    // Tokens are 43 URL-safe characters; anything else cannot match and skips the query.
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Ok(None);
    }
    let hash = hash_token(token);
    let now = yui_db::now();
    db(state, move |conn| {
        let Some(listing) = yui_db::succession::find_by_manage_token_hash(conn, &hash)? else { return Ok(None) };
        let coordinator = yui_db::succession::organization_name(conn, listing.coordinator_organization_id)?;
        let article = match listing.article_id {
            Some(a) => yui_db::succession::published_article(conn, a, now)?,
            None => None,
        };
        let count = yui_db::succession::inquiry_count(conn, listing.id)?;
        Ok(Some((Loaded { listing, coordinator, article }, count)))
    })
    .await
}

fn owner_not_found(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let message = lang.t("succession.owner_link_not_found");
    let ctx = json!({"status": 404, "message": message, "is_not_found": true});
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "errors/error", ctx)?;
    Ok(private(&mut HttpResponse::NotFound()).content_type("text/html; charset=utf-8").body(html))
}

struct OwnerForm<'a> {
    status: StatusCode,
    request: &'a str,
    error: &'a str,
    notice: &'a str,
}

fn render_owner(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    loaded: &Loaded,
    inquiries: i64,
    form: OwnerForm<'_>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let csrf = Csrf::for_request(req);
    let l = &loaded.listing;
    let done = query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "1");
    let ctx = json!({
        "page_title": l.public_name,
        "robots": "noindex,nofollow",
        "listing": public_view(l, &loaded.coordinator, loaded.article.as_ref(), lang),
        "public_url": l.status.is_listed().then(|| format!("/succession/{}", l.public_id)),
        "inquiries": inquiries,
        "action": format!("/succession/manage/{token}"),
        "csrf": csrf.token(&state.settings.secret_key),
        "request": form.request,
        "error": form.error,
        "notice": form.notice,
        "done": done,
    });
    let html =
        crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "succession/manage", ctx)?;
    let mut res = HttpResponse::build(form.status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(private(&mut res).content_type("text/html; charset=utf-8").body(html))
}

#[get("/succession/manage/{token}")]
pub async fn manage_show(
    req: HttpRequest,
    token: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    match load_owned(&state, &token).await? {
        Some((loaded, n)) => {
            let form = OwnerForm { status: StatusCode::OK, request: "", error: "", notice: "" };
            render_owner(&req, &state, &token, &loaded, n, form)
        }
        None => owner_not_found(&req, &state),
    }
}

/// The owner asks for a change (a wording, a photo, closing the listing): the coordinator's
/// editors get it by mail (Reply-To the owner), and it is logged.
#[post("/succession/manage/{token}")]
pub async fn manage_request(
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some((loaded, n)) = load_owned(&state, &token).await? else {
        return owner_not_found(&req, &state);
    };
    let fields = crate::forms::fields(&body)?;
    let request = value_of(&fields, "request").replace("\r\n", "\n");
    let lang = Lang::of_request(&req);
    let again = |status, error: &str, notice: &str| {
        render_owner(&req, &state, &token, &loaded, n, OwnerForm { status, request: &request, error, notice })
    };
    if !csrf::verify(&req, &state.settings.secret_key, Some(value_of(&fields, csrf::FIELD))) {
        return again(StatusCode::FORBIDDEN, "", crate::forms::expired(lang));
    }
    let text = request.trim();
    let error = if text.is_empty() {
        "変更してほしい内容を入力してください".to_owned()
    } else if text.chars().count() > REQUEST_MAX_CHARS {
        format!("{REQUEST_MAX_CHARS}文字以内で入力してください")
    } else if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        "使えない文字（制御文字）が含まれています".to_owned()
    } else {
        String::new()
    };
    if !error.is_empty() {
        return again(StatusCode::UNPROCESSABLE_ENTITY, &error, "");
    }
    let l = &loaded.listing;
    let admin_url = format!("{}/admin/succession/{}", state.settings.site.base_url, l.public_id);
    let (listing, text, app) = (l.clone(), text.to_owned(), state.clone());
    db_mail(&state, move |conn| {
        let to = yui_db::succession::coordinator_emails(conn, listing.coordinator_organization_id)?;
        if to.is_empty() {
            return Err(yui_db::DbError::Invalid("no active editor to receive an owner's request".into()).into());
        }
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        let args = SuccessionChangeRequest {
            listing_name: &listing.public_name,
            owner_name: &listing.owner_name,
            owner_email: &listing.owner_email,
            admin_url: &admin_url,
            request: &text,
        };
        yui_db::transaction(conn, |conn| {
            app.letters.succession_change_request(conn, &to, &args)?;
            yui_db::succession::request_changes(conn, &listing, &text, yui_db::now())?;
            Ok(())
        })
    })
    .await?;
    log::info!("succession listing {}: its owner asked for changes", l.public_id);
    Ok(private(&mut HttpResponse::SeeOther())
        .insert_header((header::LOCATION, format!("/succession/manage/{token}?done=1")))
        .finish())
}
