//! `/support/confirm/{token}` and `/support/leave/{token}`: the links in a supporter's mail.

use super::*;

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
