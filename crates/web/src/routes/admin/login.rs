//! Signing in and out, and changing one's own password.

use super::{admin_page, field, form_fields, see_other};
use crate::auth::{password, session_cookie, start_session, Staff};
use crate::csrf::Csrf;
use crate::error::WebError;
use crate::forms::require_csrf;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;

/// Only paths inside the admin area: a `next` pointing elsewhere would make the login page an
/// open redirect.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/admin") && !n.starts_with("/admin/login") && !n.contains("//") => n.to_owned(),
        _ => "/admin".to_owned(),
    }
}

fn login_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    email: &str,
    next: &str,
    message: &str,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let csrf = Csrf::for_request(req);
    let ctx = json!({
        "page_title": lang.t("admin.login.staff_login"),
        "robots": "noindex,nofollow",
        "csrf": csrf.token(&state.settings.secret_key),
        "email": email,
        "next": next,
        "message": message,
    });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "admin/login", ctx)?;
    let mut res = HttpResponse::build(status);
    csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

#[get("/admin/login")]
pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let next = crate::i18n::query_pairs(req.query_string()).find(|(k, _)| k == "next").map(|(_, v)| v);
    login_page(&req, &state, StatusCode::OK, "", &safe_next(next.as_deref()), "")
}

#[post("/admin/login")]
pub async fn login(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let fields = form_fields(&body)?;
    let email = field(&fields, "email").unwrap_or("").trim().to_lowercase();
    let next = safe_next(field(&fields, "next"));
    let lang = Lang::of_request(&req);
    let ip = crate::client::address(&req);
    // Both limits count every attempt, so neither one address nor one account can be guessed at.
    let ip_ok = match ip {
        Some(ip) => state.login_limit_ip.allow(&state.pool, ip).await,
        None => true,
    };
    let account_ok = email.is_empty() || state.login_limit_account.allow(&state.pool, email.clone()).await;
    if !(ip_ok && account_ok) {
        log::warn!("login: rate limit reached for {ip:?} / an account");
        let message = lang.t("admin.login.too_many_login_attempts");
        return login_page(&req, &state, StatusCode::TOO_MANY_REQUESTS, &email, &next, message);
    }
    if require_csrf(&req, &state.settings.secret_key, field(&fields, "csrf")).is_err() {
        let message = lang.t("admin.login.this_page_had_expired");
        return login_page(&req, &state, StatusCode::FORBIDDEN, &email, &next, message);
    }
    let given = field(&fields, "password").unwrap_or("").to_owned();
    let lookup = email.clone();
    let staff = db(&state, move |conn| yui_db::staff::find_by_email(conn, &lookup)).await?;
    // Check a password even for an unknown address, so the answer takes as long either way.
    let phc = staff.as_ref().filter(|s| s.active).map(|s| s.password_hash.clone());
    let matches = web::block(move || match phc {
        Some(phc) => password::verify(&given, &phc),
        None => {
            password::verify_nothing(&given);
            false
        }
    })
    .await?;
    let Some(staff) = staff.filter(|_| matches) else {
        log::info!("login: refused for an account from {ip:?}");
        let message = lang.t("admin.login.the_email_or_password");
        return login_page(&req, &state, StatusCode::UNAUTHORIZED, &email, &next, message);
    };
    let cookie = start_session(&state, staff.id).await?;
    log::info!("login: staff {} signed in", staff.id);
    Ok(HttpResponse::SeeOther().cookie(cookie).insert_header((header::LOCATION, next)).finish())
}

#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

#[post("/admin/logout")]
pub async fn logout(
    staff: Staff,
    body: web::Form<CsrfOnly>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require_csrf(&state.settings.secret_key, body.csrf.as_deref())?;
    let hash = staff.session_hash.clone();
    db(&state, move |conn| yui_db::sessions::delete(conn, &hash)).await?;
    Ok(HttpResponse::SeeOther()
        .cookie(session_cookie(&state, String::new(), true))
        .insert_header((header::LOCATION, "/admin/login"))
        .finish())
}

#[get("/admin/password")]
pub async fn password_form(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = staff.id;
    let weekly_note = db(&state, move |conn| yui_db::statistics::wants_weekly_note(conn, id)).await?;
    let ctx = json!({
        "page_title": Lang::of_request(&req).t("admin.password.page_title"),
        "done": query_done(&req),
        "weekly_note": {"on": weekly_note},
    });
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/password", ctx).await
}

fn query_done(req: &HttpRequest) -> bool {
    crate::i18n::query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "1")
}

#[post("/admin/password")]
pub async fn change_password(
    req: HttpRequest,
    staff: Staff,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let fields = staff.checked(&state.settings.secret_key, &body)?;
    let lang = Lang::of_request(&req);
    let title = lang.t("admin.password.page_title");
    let current = field(&fields, "current").unwrap_or("").to_owned();
    let new = field(&fields, "new").unwrap_or("").to_owned();
    let again = field(&fields, "again").unwrap_or("");
    let problem = if new != again {
        Some(lang.t("admin.password.mismatch").to_owned())
    } else if !password::strong_enough(&new) {
        Some(lang.tf("admin.password.too_short", &[("n", &password::MIN_LEN)]))
    } else {
        None
    };
    if let Some(message) = problem {
        return admin_page(
            &req,
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            "admin/password",
            json!({"page_title": title, "done": false, "notice": message, "weekly_note": null}),
        )
        .await;
    }
    let id = staff.id;
    let stored = db(&state, move |conn| yui_db::staff::find(conn, id)).await?.ok_or(WebError::NotFound)?;
    let ok = web::block(move || password::verify(&current, &stored.password_hash)).await?;
    if !ok {
        return admin_page(
            &req,
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            "admin/password",
            json!({"page_title": title, "done": false, "notice": lang.t("admin.password.wrong"), "weekly_note": null}),
        )
        .await;
    }
    let hash = web::block(move || password::hash(&new)).await?.map_err(|e| WebError::BadRequest(e.to_string()))?;
    let keep = staff.session_hash.clone();
    db(&state, move |conn| {
        yui_db::staff::set_password_hash(conn, id, &hash, yui_db::now())?;
        // Anyone else signed in with the old password is signed out.
        yui_db::sessions::delete_all_for(conn, id, Some(&keep))
    })
    .await?;
    log::info!("staff {id} changed their password");
    Ok(see_other("/admin/password?done=1"))
}
