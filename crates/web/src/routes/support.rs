//! `/support`: the supporter programme, its sign-up (confirmed by email, like every list Yui
//! keeps), leaving in one click, the public wall `/supporters`, and the banner kit.
//!
//! Supporting buys nothing: no supporter field is read by the review queue, and the
//! transparency page says so.

use crate::error::WebError;
use crate::handler::{db, db_mail, page};
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Duration;
use serde_json::{json, Map, Value};
use yui_db::supporters::Confirmation;
use yui_domain::{FieldError, SignupForm, SupportType, SupporterKind, SupporterSignup};
use yui_mail::letters::supporters::SupporterConfirm;

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;
const FIELDS: [&str; 4] = ["email", "name", "kind", "message"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(programme)
        .service(sign_up)
        .service(confirm_page)
        .service(confirm)
        .service(leave_page)
        .service(leave)
        .service(wall)
        .service(banners)
        .service(banner_svg);
}

fn form_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    typed: &[(String, String)],
    errors: &[FieldError],
    notice: &str,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let get = |name: &str| typed.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let checked = |name: &str, value: &str| typed.iter().any(|(k, v)| k == name && v == value);
    let mut values = Map::new();
    let mut messages = Map::new();
    for field in FIELDS {
        values.insert(field.into(), get(field).into());
    }
    for field in FIELDS.iter().chain(&["support_types"]) {
        messages.insert((*field).into(), "".into());
    }
    for e in errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    // A fresh form chooses "individual" and "on the wall"; a form shown again keeps what was typed.
    let fresh = typed.is_empty();
    let kinds: Vec<Value> = SupporterKind::ALL
        .iter()
        .map(|k| {
            let on = checked("kind", k.code()) || (fresh && *k == SupporterKind::Individual);
            json!({"code": k.code(), "label": k.label(lang.code()), "checked": on})
        })
        .collect();
    let types: Vec<Value> = SupportType::ALL
        .iter()
        .map(
            |t| json!({"code": t.code(), "label": t.label(lang.code()), "checked": checked("support_types", t.code())}),
        )
        .collect();
    let ctx = json!({
        "title": lang.t("support.page.support_the_commons"),
        "csrf": crate::cache::CSRF_SLOT,
        "values": values,
        "errors": messages,
        "notice": notice,
        "kinds": kinds,
        "types": types,
        "anonymous": checked("anonymous", "1"),
        "on_wall": fresh || checked("on_wall", "1"),
        "confirm_hours": CONFIRM_HOURS,
    });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "support/index", ctx)?;
    Ok(HttpResponse::build(status)
        .insert_header((crate::cache::CSRF_SLOT_HEADER, "1"))
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[get("/support")]
pub async fn programme(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    form_page(&req, &state, StatusCode::OK, &[], &[], "")
}

#[post("/support")]
pub async fn sign_up(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let fields = crate::forms::fields(&body)?;
    let get = |name: &str| crate::forms::value(&fields, name);
    let again = |status, errors: &[FieldError], notice: &str| form_page(&req, &state, status, &fields, errors, notice);
    let limit = Some(&state.signup_limit_ip);
    match crate::forms::check(&req, &state.settings.secret_key, limit, &fields, "support sign-up") {
        Some(crate::forms::Stop::Again(status, notice)) => return again(status, &[], notice),
        Some(crate::forms::Stop::Bot) => return check_email(&req, &state),
        None => {}
    }
    let form = SignupForm {
        email: get("email"),
        name: get("name"),
        anonymous: get("anonymous") == "1",
        kind: get("kind"),
        support_types: fields.iter().filter(|(k, _)| k == "support_types").map(|(_, v)| v.as_str()).collect(),
        message: get("message"),
        on_wall: get("on_wall") == "1",
    };
    let signup = match SupporterSignup::parse(&form) {
        Ok(s) => s,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, &errors, crate::forms::fix_fields(lang)),
    };
    let token = crate::tokens::random_token();
    let now = yui_db::now();
    let name = signup.display_name.clone().unwrap_or_else(|| lang.t("support.page.supporter").into());
    let lang = yui_mail::Lang::from(lang);
    let st = state.clone();
    db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let hash = crate::tokens::hash_token(&token);
            yui_db::supporters::sign_up(conn, &signup, &hash, now + Duration::hours(CONFIRM_HOURS), now)?;
            let base_url = &st.settings.site.base_url;
            let args = SupporterConfirm {
                name: &name,
                confirm_url: &format!("{base_url}/support/confirm/{token}"),
                leave_url: &format!("{base_url}/support/leave/{token}"),
                hours: CONFIRM_HOURS,
            };
            st.letters.supporter_confirm(conn, signup.email.as_str(), lang, &args)?;
            Ok(())
        })
    })
    .await?;
    check_email(&req, &state)
}

/// The same answer whether or not the address signed up before: it reveals nothing.
fn check_email(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, WebError> {
    page(req, state, "support/check_email", json!({ "hours": CONFIRM_HOURS }))
}

/// A link's token: anything but the URL-safe characters Yui's tokens use is not found.
fn token_hash(token: &str) -> Result<String, WebError> {
    let ok =
        (20..=100).contains(&token.len()) && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(crate::tokens::hash_token(token))
    } else {
        Err(WebError::NotFound)
    }
}

/// A GET shows a button: mail scanners that open links must not confirm (or leave) for anyone.
fn button_page(req: &HttpRequest, state: &AppState, template: &str, token: &str) -> Result<HttpResponse, WebError> {
    let html = crate::templates::render_page(
        &state.templates,
        &state.settings.site,
        req,
        Lang::of_request(req),
        template,
        json!({ "token": token, "csrf": crate::cache::CSRF_SLOT }),
    )?;
    Ok(HttpResponse::Ok()
        .insert_header((crate::cache::CSRF_SLOT_HEADER, "1"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The page behind a link from the mail: a known token shows `template`'s button.
async fn link_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    template: &str,
) -> Result<HttpResponse, WebError> {
    let hash = token_hash(&token)?;
    db(&state, move |conn| yui_db::supporters::find_by_token(conn, &hash)).await?.ok_or(WebError::NotFound)?;
    button_page(&req, &state, template, &token)
}

#[get("/support/confirm/{token}")]
pub async fn confirm_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    link_page(req, state, token, "support/confirm").await
}

#[post("/support/confirm/{token}")]
pub async fn confirm(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    crate::forms::checked(&req, &state.settings.secret_key, &body)?;
    let hash = token_hash(&token)?;
    let now = yui_db::now();
    let outcome = db(&state, move |conn| yui_db::supporters::confirm(conn, &hash, now)).await?;
    let (template, status) = match outcome {
        Confirmation::Confirmed | Confirmation::AlreadyConfirmed => ("support/confirmed", StatusCode::OK),
        Confirmation::Expired => ("support/expired", StatusCode::GONE),
        Confirmation::Unknown => return Err(WebError::NotFound),
    };
    let lang = Lang::of_request(&req);
    let ctx = json!({ "leave_url": format!("/support/leave/{token}"), "hours": CONFIRM_HOURS });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, &req, lang, template, ctx)?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html))
}

#[get("/support/leave/{token}")]
pub async fn leave_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    link_page(req, state, token, "support/leave").await
}

#[post("/support/leave/{token}")]
pub async fn leave(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    crate::forms::checked(&req, &state.settings.secret_key, &body)?;
    let hash = token_hash(&token)?;
    // Leaving twice (a double click) is still "you have left".
    db(&state, move |conn| yui_db::supporters::leave(conn, &hash)).await?;
    page(&req, &state, "support/left", json!({}))
}

#[get("/supporters")]
pub async fn wall(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let groups = db(&state, yui_db::supporters::wall).await?;
    let anonymous = lang.t("support.page.anonymous");
    let total: i64 = groups.iter().map(|g| g.total).sum();
    let groups: Vec<Value> = groups
        .iter()
        .map(|g| {
            let names: Vec<&str> = g.names.iter().map(|n| n.as_deref().unwrap_or(anonymous)).collect();
            json!({
                "label": g.kind.label(lang.code()),
                "names": names,
                "total": g.total,
                "not_shown": g.total - g.names.len() as i64,
            })
        })
        .collect();
    page(&req, &state, "support/wall", json!({ "groups": groups, "total": total }))
}

/// The banners of the kit: (file name, width, height). `open-count` is drawn per request.
const BANNERS: [(&str, u32, u32); 3] =
    [("banner-468x60", 468, 60), ("badge-200x200", 200, 200), ("badge-88x31", 88, 31)];

#[get("/support/banners")]
pub async fn banners(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let base = &state.settings.site.base_url;
    let lang = Lang::of_request(&req);
    let alt = format!("{} — {}", state.settings.site.name, lang.t("support.page.local_jobs"));
    let mut items: Vec<Value> = BANNERS
        .iter()
        .map(|(name, w, h)| {
            let src = format!("/banners/{name}.svg");
            let html = format!(r#"<a href="{base}/"><img src="{base}{src}" width="{w}" height="{h}" alt="{alt}"></a>"#);
            json!({"src": src, "width": w, "height": h, "html": html})
        })
        .collect();
    let html = format!(
        r#"<a href="{base}/jobs"><img src="{base}/banners/open-count.svg" width="240" height="60" alt="{alt}"></a>"#
    );
    items.push(json!({"src": "/banners/open-count.svg", "width": 240, "height": 60, "html": html, "live": true}));
    let widget = format!(
        r#"<iframe src="{base}/embed/jobs?limit=5" title="{alt}" width="100%" height="420" style="border:0" loading="lazy"></iframe>"#
    );
    let script = format!(r#"<script src="{base}/embed/jobs.js" data-limit="5" async></script>"#);
    page(&req, &state, "support/banners", json!({ "items": items, "widget": widget, "script": script }))
}

#[get("/banners/{name}.svg")]
pub async fn banner_svg(state: web::Data<AppState>, name: web::Path<String>) -> Result<HttpResponse, WebError> {
    let name = name.into_inner();
    let svg = if name == "open-count" {
        let now = yui_db::now();
        let count = db(&state, move |conn| yui_db::postings::count_public(conn, now)).await?;
        let ctx = json!({ "count": count, "site": state.settings.site });
        state.templates.render("support/open_count_svg", &ctx)?
    } else if BANNERS.iter().any(|(n, _, _)| *n == name) {
        let ctx = json!({ "site": state.settings.site });
        state.templates.render(&format!("support/{}_svg", name.replace('-', "_")), &ctx)?
    } else {
        return Err(WebError::NotFound);
    };
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(svg))
}
