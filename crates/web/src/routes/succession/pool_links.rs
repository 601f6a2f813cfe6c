//! The two private links in a pool entry's mail: `/succession/pool/confirm/{token}` puts the
//! entry in the pool (and tells the coordinators of the listings it fits), and
//! `/succession/pool/withdraw/{token}` deletes it. Opening either asks first: a mail scanner
//! that follows links must neither confirm nor withdraw anyone. Only the button acts.

use super::*;

/// The page of either link: `kind` is `confirm` or `withdraw`.
fn link_page(
    req: &HttpRequest,
    state: &AppState,
    kind: &str,
    token: &str,
    found: bool,
    done: bool,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let csrf = (!done).then(|| Csrf::for_request(req));
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t(if kind == "confirm" { "succession.pool.confirm_title" } else { "succession.pool.withdraw_title" }),
        "confirm": kind == "confirm",
        "found": found,
        "done": done,
        "action": format!("/succession/pool/{kind}/{token}"),
        "csrf": csrf.as_ref().map(|c| c.token(&state.settings.secret_key)),
    });
    let html =
        crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "succession/pool_link", ctx)?;
    let mut res = HttpResponse::Ok();
    private(&mut res);
    if let Some(csrf) = &csrf {
        csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    }
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

#[get("/succession/pool/confirm/{token}")]
pub async fn pool_confirm_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let hash = hash_token(&token);
    let found = db(&state, move |conn| yui_db::succession_pool::exists_for_confirm(conn, &hash)).await?;
    link_page(&req, &state, "confirm", &token, found, false)
}

#[post("/succession/pool/confirm/{token}")]
pub async fn pool_confirm(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    crate::forms::checked(&req, &state.settings.secret_key, &body)?;
    let hash = hash_token(&token);
    let app = state.clone();
    let confirmed = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let days = app.settings.succession.pool_days;
            let Some(entry) = yui_db::succession_pool::confirm(conn, &hash, days, yui_db::now())? else {
                return Ok(None);
            };
            crate::pool_matches::notify_for_entry(conn, &app.settings, &app.letters, &entry)?;
            Ok(Some(entry.id))
        })
    })
    .await?;
    if let Some(id) = confirmed {
        log::info!("succession pool entry {id} confirmed");
    }
    link_page(&req, &state, "confirm", &token, confirmed.is_some(), true)
}

#[get("/succession/pool/withdraw/{token}")]
pub async fn pool_withdraw_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let hash = hash_token(&token);
    let found = db(&state, move |conn| yui_db::succession_pool::exists_for_withdraw(conn, &hash)).await?;
    link_page(&req, &state, "withdraw", &token, found, false)
}

#[post("/succession/pool/withdraw/{token}")]
pub async fn pool_withdraw(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    crate::forms::checked(&req, &state.settings.secret_key, &body)?;
    let hash = hash_token(&token);
    let deleted = db(&state, move |conn| yui_db::succession_pool::withdraw(conn, &hash)).await?;
    if deleted {
        log::info!("succession pool entry withdrawn by its author");
    }
    link_page(&req, &state, "withdraw", &token, deleted, true)
}
