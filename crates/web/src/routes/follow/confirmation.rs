//! `/follow/confirm/{token}`: the link in the confirmation mail.

use super::*;

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
