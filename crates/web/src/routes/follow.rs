//! Following the site without an account.
//!
//! - `/follow`: an address and what it wants (the weekly digest, a job alert for a saved
//!   search, daily or weekly). Double opt-in: the confirmation mail's link works for
//!   `following.link_valid`; until it is opened nothing else is sent. The page after sending
//!   is the same whether the address was new, unconfirmed or already following, so the form
//!   tells nobody who follows.
//! - `/follow/manage/{signed}`: see and change what the address receives, add or remove saved
//!   searches, or delete everything (the rows, not a flag).
//! - `/unsubscribe/{signed}`: GET shows a confirmation with a button; POST stops the mailing
//!   without login (RFC 8058 one-click from the mail client).
//! - `/follow/feeds/{signed}.atom|.json`: a saved search's private feeds.

use crate::atom::rfc3339;
use crate::atom::{Atom, AtomHead};
use crate::csrf::{self, Csrf};
use crate::error::WebError;
use crate::forms::{fields as fields_of, value as get};
use crate::handler::{db, db_mail};
use crate::i18n::Lang;
use crate::intake::Context;
use crate::mailings::{self, Link};
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse, HttpResponseBuilder};
use serde_json::{json, Map, Value};
use yui_db::following::{Confirmation, Follower, SavedSearch, SignUp, SignUpOutcome};
use yui_domain::following::{FollowRequest, Frequency};
use yui_domain::{EmploymentType, FieldError, RemoteMode};

/// The saved search's fields, as `/jobs` names them.
const SEARCH_FIELDS: [&str; 4] = ["q", "type", "area", "remote"];
/// How many postings a private feed carries.
const FEED_SIZE: usize = 50;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(form)
        .service(subscribe)
        .service(confirm_page)
        .service(confirm)
        .service(manage)
        .service(manage_act)
        .service(unsubscribe_page)
        .service(unsubscribe)
        .service(feed);
}

/// Signed pages are keys: never let their address leave in a Referer or a shared cache.
fn private(res: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    res.insert_header((header::REFERRER_POLICY, "no-referrer")).insert_header((header::CACHE_CONTROL, "no-store"))
}

fn html(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    template: &str,
    ctx: Value,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let body = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, template, ctx)?;
    Ok(private(&mut HttpResponse::build(status)).content_type("text/html; charset=utf-8").body(body))
}

/// A page with one message: links that open nothing, expired links, done.
fn message(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    title_key: &str,
    body_key: &str,
) -> Result<HttpResponse, WebError> {
    html(
        req,
        state,
        status,
        "follow/message",
        json!({"robots": "noindex", "title_key": title_key, "body_key": body_key}),
    )
}

fn bad_link(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    message(req, state, StatusCode::NOT_FOUND, "follow.bad_link.title", "follow.bad_link.body")
}

/// The saved search typed into a form, as a canonical `/jobs` query string (checked by the
/// parser `/jobs` uses, so the alert finds what `/jobs` finds).
fn saved_query(state: &AppState, fields: &[(String, String)]) -> Result<String, FieldError> {
    let pairs: Vec<(&str, &str)> =
        SEARCH_FIELDS.iter().map(|k| (*k, get(fields, k).trim())).filter(|(_, v)| !v.is_empty()).collect();
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    match crate::jobs_query::parse(&query, &state.settings) {
        Ok(parsed) => Ok(serde_urlencoded::to_string(&parsed.pairs).unwrap_or_default()),
        Err(e) => Err(FieldError { field: "search", message: yui_domain::Message::as_written(e.0) }),
    }
}

/// The choices of the saved-search fields, with `typed` selected.
fn search_choices(state: &AppState, lang: Lang, typed: &[(String, String)]) -> Value {
    let l = lang.code();
    let selected = |name: &str, code: &str| get(typed, name) == code;
    json!({
        "types": EmploymentType::ALL.iter().map(|t| json!({"code": t.code(), "label": t.label(l), "selected": selected("type", t.code())})).collect::<Vec<_>>(),
        "areas": state.settings.portal.areas.iter().map(|a| json!({"code": a.code, "label": a.label(l), "selected": selected("area", &a.code)})).collect::<Vec<_>>(),
        "remotes": RemoteMode::ALL.iter().map(|r| json!({"code": r.code(), "label": r.label(l), "selected": selected("remote", r.code())})).collect::<Vec<_>>(),
        "frequencies": Frequency::ALL.iter().map(|f| json!({"code": f.code(), "label": f.label(l), "selected": get(typed, "frequency") == f.code() || (get(typed, "frequency").is_empty() && *f == Frequency::Weekly)})).collect::<Vec<_>>(),
        "q": get(typed, "q"),
    })
}

fn render_form(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    typed: &[(String, String)],
    errors: &[FieldError],
    notice: Option<&str>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let csrf = Csrf::for_request(req);
    let mut messages = Map::new();
    for field in ["email", "choice", "frequency", "search"] {
        messages.insert(field.into(), "".into());
    }
    for e in errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    // A fresh form ticks the digest; a returned one keeps what was ticked.
    let fresh = typed.iter().all(|(k, _)| SEARCH_FIELDS.contains(&k.as_str()));
    let ctx = json!({
        "page_title": lang.t("follow.page.follow"),
        "csrf": csrf.token(&state.settings.secret_key),
        "email": get(typed, "email"),
        "digest": fresh || get(typed, "digest") == "1",
        "alert": (fresh && SEARCH_FIELDS.iter().any(|k| !get(typed, k).is_empty())) || get(typed, "alert") == "1",
        "search": search_choices(state, lang, typed),
        "errors": messages,
        "error_count": errors.len(),
        "notice": notice.unwrap_or_default(),
        "valid_hours": state.settings.following.link_valid.num_hours(),
    });
    let body = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "follow/form", ctx)?;
    let mut res = HttpResponse::build(status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(res.insert_header((header::CACHE_CONTROL, "no-store")).content_type("text/html; charset=utf-8").body(body))
}

/// The form; `/follow?q=介護&type=full_time` starts it with that saved search.
#[get("/follow")]
pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let typed: Vec<(String, String)> =
        crate::i18n::query_pairs(req.query_string()).filter(|(k, _)| SEARCH_FIELDS.contains(&k.as_str())).collect();
    render_form(&req, &state, StatusCode::OK, &typed, &[], None)
}

#[post("/follow")]
pub async fn subscribe(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let fields = fields_of(&body)?;
    let limit = Some(&state.follow_limit_ip);
    match crate::forms::check(&req, &state.settings.secret_key, limit, &fields, "follow") {
        Some(crate::forms::Stop::Again(status, notice)) => {
            return render_form(&req, &state, status, &fields, &[], Some(notice))
        }
        Some(crate::forms::Stop::Bot) => return check_mail(&req, &state),
        None => {}
    }
    let wants_alert = get(&fields, "alert") == "1";
    let parsed = FollowRequest::parse(
        get(&fields, "email"),
        get(&fields, "digest") == "1",
        wants_alert,
        get(&fields, "frequency"),
    );
    let query = if wants_alert { Some(saved_query(&state, &fields)) } else { None };
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if let Some(Err(e)) = &query {
        errors.push(e.clone());
    }
    let (request, query) = match (parsed, query) {
        (Ok(r), None) if errors.is_empty() => (r, None),
        (Ok(r), Some(Ok(q))) if errors.is_empty() => (r, Some(q)),
        _ => {
            return render_form(
                &req,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &fields,
                &errors,
                Some(crate::forms::fix_fields(Lang::of_request(&req))),
            )
        }
    };
    let lang = Lang::of_request(&req).code().to_owned();
    let state2 = state.clone();
    db_mail(&state, move |conn| {
        let token = crate::tokens::random_token();
        let hash = crate::tokens::hash_token(&token);
        let salt = crate::tokens::random_token();
        let email = request.email.as_str().to_lowercase();
        let alert = match (&query, request.alert) {
            (Some(q), Some(f)) => Some((q.as_str(), f)),
            _ => None,
        };
        let sign_up = SignUp {
            email: &email,
            lang: &lang,
            digest: request.digest,
            alert,
            confirm_token_hash: &hash,
            link_salt: &salt,
        };
        let ctx = Context { settings: &state2.settings, letters: &state2.letters };
        yui_db::transaction(conn, |conn| {
            match yui_db::following::sign_up(conn, &sign_up, yui_db::now(), mailings::RESEND_AFTER)? {
                SignUpOutcome::Confirm(f) => {
                    mailings::queue_confirmation(conn, ctx, &f, &token)?;
                }
                SignUpOutcome::AlreadyFollowing(f) => {
                    mailings::queue_already_following(conn, ctx, &f)?;
                }
                SignUpOutcome::TooSoon => log::info!("follow: a mail went to this address moments ago; none now"),
            }
            Ok(())
        })
    })
    .await?;
    check_mail(&req, &state)
}

/// The same page whatever the address's state: nobody learns from it who follows.
fn check_mail(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    html(
        req,
        state,
        StatusCode::OK,
        "follow/check_mail",
        json!({"robots": "noindex", "valid_hours": state.settings.following.link_valid.num_hours()}),
    )
}

fn token_shaped(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A GET shows a button and confirms nothing: mail scanners open links, and must not start a
/// mailing for anyone.
#[get("/follow/confirm/{token}")]
pub async fn confirm_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    if !token_shaped(&token) {
        return bad_link(&req, &state);
    }
    let hash = crate::tokens::hash_token(&token);
    let valid = state.settings.following.link_valid;
    match db(&state, move |conn| yui_db::following::confirmation_open(conn, &hash, yui_db::now(), valid)).await? {
        Some(true) => {
            let ctx = json!({"robots": "noindex", "token": token.as_str(), "csrf": crate::cache::CSRF_SLOT});
            let mut res = html(&req, &state, StatusCode::OK, "follow/confirm", ctx)?;
            res.headers_mut().insert(
                actix_web::http::header::HeaderName::from_static(crate::cache::CSRF_SLOT_HEADER),
                actix_web::http::header::HeaderValue::from_static("1"),
            );
            Ok(res)
        }
        Some(false) => message(&req, &state, StatusCode::GONE, "follow.expired.title", "follow.expired.body"),
        None => bad_link(&req, &state),
    }
}

#[post("/follow/confirm/{token}")]
pub async fn confirm(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let fields = fields_of(&body)?;
    crate::forms::require_csrf(&req, &state.settings.secret_key, Some(get(&fields, csrf::FIELD)))?;
    if !token_shaped(&token) {
        return bad_link(&req, &state);
    }
    let hash = crate::tokens::hash_token(&token);
    let valid = state.settings.following.link_valid;
    match db(&state, move |conn| yui_db::following::confirm(conn, &hash, yui_db::now(), valid)).await? {
        Confirmation::Confirmed(f) => html(
            &req,
            &state,
            StatusCode::OK,
            "follow/confirmed",
            json!({"robots": "noindex", "manage_url": mailings::manage_path(&state.settings, &f)}),
        ),
        Confirmation::Expired => message(&req, &state, StatusCode::GONE, "follow.expired.title", "follow.expired.body"),
        Confirmation::Unknown => bad_link(&req, &state),
    }
}

/// The follower a manage link opens, if its signature holds.
async fn manage_target(state: &web::Data<AppState>, token: &str) -> Result<Option<Follower>, WebError> {
    let Some((Link::Manage, id)) = mailings::read(token) else {
        return Ok(None);
    };
    let Some(f) = db(state, move |conn| yui_db::following::find(conn, id)).await? else {
        return Ok(None);
    };
    Ok(mailings::verify(&state.settings.secret_key, token, Link::Manage, f.id, &f.link_salt).then_some(f))
}

fn search_view(state: &AppState, lang: Lang, s: &SavedSearch, f: &Follower) -> Value {
    json!({
        "id": s.id,
        "what": mailings::describe(&state.settings, &s.query, lang.code()),
        "frequency": s.frequency().label(lang.code()),
        "frequencies": Frequency::ALL.iter().map(|x| json!({"code": x.code(), "label": x.label(lang.code()), "selected": *x == s.frequency()})).collect::<Vec<_>>(),
        "jobs_url": crate::paths::href("/jobs", &crate::i18n::query_pairs(&s.query).collect::<Vec<_>>()),
        "atom": mailings::feed_url(&state.settings, s, f, "atom"),
        "json": mailings::feed_url(&state.settings, s, f, "json"),
    })
}

#[get("/follow/manage/{token}")]
pub async fn manage(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let Some(f) = manage_target(&state, &token).await? else {
        return bad_link(&req, &state);
    };
    render_manage(&req, &state, &token, &f, StatusCode::OK, &[], &[]).await
}

async fn render_manage(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
    f: &Follower,
    status: StatusCode,
    typed: &[(String, String)],
    errors: &[FieldError],
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let id = f.id;
    let searches = db(state, move |conn| yui_db::following::searches(conn, id)).await?;
    let csrf = Csrf::for_request(req);
    let done = crate::i18n::query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "1");
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("follow.page.what_you_receive"),
        "token": token,
        "csrf": csrf.token(&state.settings.secret_key),
        "email": f.email,
        "confirmed": f.confirmed_at.is_some(),
        "digest": f.wants_digest,
        "searches": searches.iter().map(|s| search_view(state, lang, s, f)).collect::<Vec<_>>(),
        "search": search_choices(state, lang, typed),
        "search_error": errors.first().map(|e| lang.message(&e.message)).unwrap_or_default(),
        "done": done,
    });
    let body = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "follow/manage", ctx)?;
    let mut res = HttpResponse::build(status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    Ok(private(&mut res).content_type("text/html; charset=utf-8").body(body))
}

#[post("/follow/manage/{token}")]
pub async fn manage_act(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let Some(f) = manage_target(&state, &token).await? else {
        return bad_link(&req, &state);
    };
    let fields = fields_of(&body)?;
    if !csrf::verify(&req, &state.settings.secret_key, Some(get(&fields, csrf::FIELD))) {
        return message(&req, &state, StatusCode::FORBIDDEN, "follow.expired_form_title", "follow.expired_form");
    }
    let id = f.id;
    let search_id: Option<i32> = get(&fields, "search").parse().ok();
    match get(&fields, "action") {
        "digest_on" | "digest_off" => {
            let on = get(&fields, "action") == "digest_on";
            db(&state, move |conn| yui_db::following::set_digest(conn, id, on)).await?;
        }
        "add_search" => {
            let frequency = mailings::frequency(get(&fields, "frequency"));
            let query = saved_query(&state, &fields);
            let (query, frequency) = match (query, frequency) {
                (Ok(q), Some(freq)) => (q, freq),
                (Err(e), _) => {
                    return render_manage(&req, &state, &token, &f, StatusCode::UNPROCESSABLE_ENTITY, &fields, &[e])
                        .await
                }
                (_, None) => {
                    let e = FieldError::new("frequency", yui_domain::Message::new("field.follow.frequency.choose"));
                    return render_manage(&req, &state, &token, &f, StatusCode::UNPROCESSABLE_ENTITY, &fields, &[e])
                        .await;
                }
            };
            db(&state, move |conn| yui_db::following::add_search(conn, id, &query, frequency, yui_db::now())).await?;
        }
        "frequency" => {
            let (Some(search), Some(frequency)) = (search_id, mailings::frequency(get(&fields, "frequency"))) else {
                return Err(WebError::BadRequest("どの求人アラートの頻度かが分かりませんでした。".into()));
            };
            db(&state, move |conn| yui_db::following::set_frequency(conn, id, search, frequency)).await?;
        }
        "delete_search" => {
            let Some(search) = search_id else {
                return Err(WebError::BadRequest("どの求人アラートかが分かりませんでした。".into()));
            };
            db(&state, move |conn| yui_db::following::delete_search(conn, id, search)).await?;
        }
        "delete_all" => {
            db(&state, move |conn| yui_db::following::delete_follower(conn, id)).await?;
            log::info!("follow: follower {id} deleted everything");
            return message(&req, &state, StatusCode::OK, "follow.deleted.title", "follow.deleted.body");
        }
        _ => return Err(WebError::BadRequest("操作を読み取れませんでした。".into())),
    }
    let lang = match Lang::from_query(&req) {
        Some(l) => format!("&lang={}", l.code()),
        None => String::new(),
    };
    Ok(private(&mut HttpResponse::SeeOther())
        .insert_header((header::LOCATION, format!("/follow/manage/{token}?done=1{lang}")))
        .finish())
}

/// What an unsubscribe link stops, once its signature holds.
enum Stop {
    Digest(Follower),
    Alert(SavedSearch, Follower),
}

async fn stop_target(state: &web::Data<AppState>, token: &str) -> Result<Option<Stop>, WebError> {
    let key = state.settings.secret_key.clone();
    let token = token.to_owned();
    db(state, move |conn| {
        Ok(match mailings::read(&token) {
            Some((Link::StopDigest, id)) => yui_db::following::find(conn, id)?
                .filter(|f| mailings::verify(&key, &token, Link::StopDigest, f.id, &f.link_salt))
                .map(Stop::Digest),
            Some((Link::StopAlert, id)) => yui_db::following::search(conn, id)?
                .filter(|(s, f)| mailings::verify(&key, &token, Link::StopAlert, s.id, &f.link_salt))
                .map(|(s, f)| Stop::Alert(s, f)),
            _ => None,
        })
    })
    .await
}

#[get("/unsubscribe/{token}")]
pub async fn unsubscribe_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let (what, f) = match stop_target(&state, &token).await? {
        Some(Stop::Digest(f)) => (lang.t("follow.page.the_weekly_digest").to_owned(), f),
        Some(Stop::Alert(s, f)) => (mailings::describe(&state.settings, &s.query, lang.code()), f),
        None => return bad_link(&req, &state),
    };
    html(
        &req,
        &state,
        StatusCode::OK,
        "follow/unsubscribe",
        json!({
            "robots": "noindex",
            "token": token.as_str(),
            "what": what,
            "digest": matches!(mailings::read(&token), Some((Link::StopDigest, _))),
            "manage_url": mailings::manage_path(&state.settings, &f),
        }),
    )
}

/// One-click unsubscribe (RFC 8058). Mail clients POST `List-Unsubscribe=One-Click` here with
/// no cookie and no form token, so this is the one state-changing route without a CSRF check:
/// the signed token in the path is itself unguessable (an HMAC under the server key), so a
/// third-party page cannot forge the request, and the worst it could do with a leaked link is
/// stop a mailing, which is what the link is for.
#[post("/unsubscribe/{token}")]
pub async fn unsubscribe(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    match stop_target(&state, &token).await? {
        Some(Stop::Digest(f)) => {
            db(&state, move |conn| yui_db::following::set_digest(conn, f.id, false)).await?;
        }
        Some(Stop::Alert(s, f)) => {
            db(&state, move |conn| yui_db::following::delete_search(conn, f.id, s.id)).await?;
        }
        None => return bad_link(&req, &state),
    }
    log::info!("follow: one mailing stopped by its unsubscribe link");
    message(&req, &state, StatusCode::OK, "follow.unsubscribed.title", "follow.unsubscribed.body")
}

/// `/follow/feeds/{signed}.atom` and `.json`: the saved search's postings, newest first
/// (what its alerts carry: public postings published since it was saved).
#[get("/follow/feeds/{file}")]
pub async fn feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let (token, atom) = match (file.strip_suffix(".atom"), file.strip_suffix(".json")) {
        (Some(t), _) => (t.to_owned(), true),
        (_, Some(t)) => (t.to_owned(), false),
        _ => return Err(WebError::NotFound),
    };
    let Some((Link::Feed, id)) = mailings::read(&token) else {
        return Err(WebError::NotFound);
    };
    let state2 = state.clone();
    let loaded = db(&state, move |conn| {
        let Some((search, f)) = yui_db::following::search(conn, id)? else {
            return Ok(None);
        };
        if f.confirmed_at.is_none()
            || !mailings::verify(&state2.settings.secret_key, &token, Link::Feed, search.id, &f.link_salt)
        {
            return Ok(None);
        }
        let Some(filter) = mailings::search_filter(&state2.settings, &search.query) else {
            return Ok(None);
        };
        let now = yui_db::now();
        let mut items = yui_db::search::published_between(
            conn,
            now,
            &filter,
            search.created_at - mailings::ALERT_GRACE,
            None,
            &[],
            1000,
        )?;
        items.reverse();
        items.truncate(FEED_SIZE);
        Ok(Some((search, items)))
    })
    .await?;
    let Some((search, items)) = loaded else {
        return Err(WebError::NotFound);
    };
    let lang = Lang::of_request(&req);
    let s = &state.settings;
    let base = &s.site.base_url;
    let title = format!("{}：{}", s.site.name, mailings::describe(s, &search.query, lang.code()));
    let jobs =
        format!("{base}{}", crate::paths::href("/jobs", &crate::i18n::query_pairs(&search.query).collect::<Vec<_>>()));
    let self_url = format!("{base}{}", req.path());
    let mut res = private(&mut HttpResponse::Ok()).take();
    if !atom {
        let body = json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": jobs,
            "feed_url": self_url,
            "language": lang.code(),
            "items": items.iter().map(|(p, e)| {
                let url = format!("{base}/jobs/{}", p.public_id);
                json!({
                    "id": url, "url": url, "title": p.title,
                    "content_text": format!("{} / {}\n\n{}", e.name, p.employment_type.label(lang.code()), p.description),
                    "date_published": rfc3339(p.published_at.unwrap_or(p.created_at)),
                    "authors": [{"name": e.name}],
                })
            }).collect::<Vec<_>>(),
        });
        return Ok(res.content_type("application/feed+json; charset=utf-8").body(body.to_string()));
    }
    let mut feed = Atom::new(
        AtomHead {
            lang,
            self_url: &self_url,
            html_url: &jobs,
            title: &title,
            updated: items.iter().map(|(p, _)| p.updated_at).max().unwrap_or(search.created_at),
            author: &s.site.name,
            license: None,
        },
        items.len(),
    );
    for (p, e) in &items {
        feed.posting(base, p, e, lang);
    }
    Ok(feed.finish(&mut res))
}
