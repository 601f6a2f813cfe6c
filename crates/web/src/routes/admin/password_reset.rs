//! A forgotten staff password, reset by an emailed link: `/admin/password/forgot` asks for the
//! address and always answers the same (no one learns which addresses have accounts);
//! `/admin/password/reset/{token}` sets the new password once, within the hour, and ends every
//! session of that person.

use super::{field, form_fields};
use crate::auth::{password, session_cookie};
use crate::csrf::Csrf;
use crate::error::WebError;
use crate::forms::require_csrf;
use crate::handler::{db, db_mail};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::tokens::{hash_token, os_random_token};
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_db::password_resets::{Lookup, VALID_FOR};
use yui_domain::EmailAddress;
use yui_mail::letters::staff::PasswordReset;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(forgot_form).service(forgot).service(reset_form).service(reset);
}

/// A page for someone not signed in, with the visitor's CSRF cookie for its form.
fn page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    template: &str,
    mut ctx: Value,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let csrf = Csrf::for_request(req);
    if let Some(map) = ctx.as_object_mut() {
        map.insert("robots".into(), "noindex,nofollow".into());
        map.insert("csrf".into(), csrf.token(&state.settings.secret_key).into());
    }
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, template, ctx)?;
    let mut res = HttpResponse::build(status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    // The reset page's address holds the token: it must not leave in a Referer.
    res.insert_header((header::REFERRER_POLICY, "no-referrer"));
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

fn forgot_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    email: &str,
    message: &str,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let ctx =
        json!({"page_title": lang.t("admin.forgot.page_title"), "email": email, "message": message, "sent": false});
    page(req, state, status, "admin/forgot", ctx)
}

#[get("/admin/password/forgot")]
pub async fn forgot_form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    forgot_page(&req, &state, StatusCode::OK, "", "")
}

#[post("/admin/password/forgot")]
pub async fn forgot(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let fields = form_fields(&body)?;
    let typed = field(&fields, "email").unwrap_or("").trim().to_owned();
    let lang = Lang::of_request(&req);
    let ip = crate::client::address(&req);
    // Counted before anything else, like the login: neither one address nor one account can
    // be used to mail a colleague again and again.
    let ip_ok = match ip {
        Some(ip) => state.reset_limit_ip.allow(&state.pool, ip).await,
        None => true,
    };
    let folded = typed.to_lowercase();
    let account_ok = folded.is_empty() || state.reset_limit_account.allow(&state.pool, folded).await;
    if !(ip_ok && account_ok) {
        log::warn!("password reset: rate limit reached for {ip:?} / an address");
        return forgot_page(&req, &state, StatusCode::TOO_MANY_REQUESTS, &typed, lang.t("admin.forgot.too_many"));
    }
    if require_csrf(&req, &state.settings.secret_key, field(&fields, "csrf")).is_err() {
        let message = lang.t("admin.forgot.page_expired");
        return forgot_page(&req, &state, StatusCode::FORBIDDEN, &typed, message);
    }
    let email = match EmailAddress::parse(&typed) {
        Ok(email) => email,
        Err(m) => return forgot_page(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, &typed, &lang.message(&m)),
    };
    let token = os_random_token();
    let hash = hash_token(&token);
    let reset_url = format!("{}/admin/password/reset/{token}", state.letters.site().base_url);
    let st = state.clone();
    let mailed = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let Some(staff) = yui_db::staff::find_by_email(conn, email.as_str())?.filter(|s| s.active) else {
                return Ok(None);
            };
            let now = yui_db::now();
            yui_db::password_resets::issue(conn, &hash, staff.id, now)?;
            let args = PasswordReset {
                display_name: &staff.display_name,
                reset_url: &reset_url,
                minutes: VALID_FOR.num_minutes(),
            };
            st.letters.staff_password_reset(conn, &staff.email, &args)?;
            Ok(Some(staff.id))
        })
    })
    .await?;
    match mailed {
        Some(id) => log::info!("password reset: a link was queued for staff {id}"),
        None => log::info!("password reset: asked for an address with no active account"),
    }
    let ctx = json!({"page_title": lang.t("admin.forgot.page_title"), "email": "", "message": "", "sent": true});
    page(&req, &state, StatusCode::OK, "admin/forgot", ctx)
}

/// The page for a link that no longer works: 404 for one never issued, 410 for one used or
/// too old, each with a sentence saying what to do.
fn refused(req: &HttpRequest, state: &AppState, lookup: &Lookup) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let (status, message) = match lookup {
        Lookup::Spent => (StatusCode::GONE, lang.t("admin.reset.spent")),
        Lookup::Expired => (StatusCode::GONE, lang.t("admin.reset.expired")),
        Lookup::Unknown | Lookup::Valid(_) => (StatusCode::NOT_FOUND, lang.t("admin.reset.unknown")),
    };
    let ctx = json!({"page_title": lang.t("admin.reset.page_title"), "refused": message, "done": false, "message": ""});
    page(req, state, status, "admin/reset", ctx)
}

fn form_page(req: &HttpRequest, state: &AppState, status: StatusCode, message: &str) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let ctx = json!({
        "page_title": lang.t("admin.reset.page_title"),
        "refused": "",
        "done": false,
        "message": message,
        "min_len": password::MIN_LEN,
    });
    page(req, state, status, "admin/reset", ctx)
}

async fn lookup(state: &web::Data<AppState>, token: &str) -> Result<Lookup, WebError> {
    let hash = hash_token(token);
    db(state, move |conn| yui_db::password_resets::check(conn, &hash, yui_db::now())).await
}

#[get("/admin/password/reset/{token}")]
pub async fn reset_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    match lookup(&state, &token).await? {
        Lookup::Valid(_) => form_page(&req, &state, StatusCode::OK, ""),
        other => refused(&req, &state, &other),
    }
}

#[post("/admin/password/reset/{token}")]
pub async fn reset(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let fields = form_fields(&body)?;
    let lang = Lang::of_request(&req);
    if require_csrf(&req, &state.settings.secret_key, field(&fields, "csrf")).is_err() {
        return form_page(&req, &state, StatusCode::FORBIDDEN, lang.t("admin.forgot.page_expired"));
    }
    // A dead link is said so before any typing is judged: a new password would not help.
    let found = lookup(&state, &token).await?;
    if !matches!(found, Lookup::Valid(_)) {
        return refused(&req, &state, &found);
    }
    let new = field(&fields, "new").unwrap_or("").to_owned();
    if Some(new.as_str()) != field(&fields, "again") {
        return form_page(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, lang.t("admin.password.mismatch"));
    }
    if !password::strong_enough(&new) {
        let message = lang.tf("admin.password.too_short", &[("n", &password::MIN_LEN)]);
        return form_page(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, &message);
    }
    let phc = web::block(move || password::hash(&new)).await?.map_err(|e| WebError::BadRequest(e.to_string()))?;
    let hash = hash_token(&token);
    let spent = db(&state, move |conn| yui_db::password_resets::spend(conn, &hash, &phc, yui_db::now())).await?;
    let Lookup::Valid(staff) = spent else {
        return refused(&req, &state, &spent);
    };
    log::info!("password reset: staff {} set a new password by link; their sessions ended", staff.id);
    let ctx = json!({"page_title": lang.t("admin.reset.page_title"), "refused": "", "done": true, "message": ""});
    let mut res = page(&req, &state, StatusCode::OK, "admin/reset", ctx)?;
    // This browser's own session, if any, ended with the others: forget its cookie too.
    res.add_cookie(&session_cookie(&state, String::new(), true)).map_err(|e| WebError::BadRequest(e.to_string()))?;
    Ok(res)
}
