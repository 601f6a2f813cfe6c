//! The private links in a pool entry's mails: `/succession/pool/confirm/{token}` puts the
//! entry in the pool (and tells the coordinators of the listings it fits),
//! `/succession/pool/renew/{token}` (in the reminder) keeps it another term, and
//! `/succession/pool/withdraw/{token}` deletes it. Opening any asks first: a mail scanner
//! that follows links must change nothing. Only the button acts.

use super::*;

/// The words of each link's page: title, question, button, done.
fn words(kind: &str) -> [&'static str; 4] {
    match kind {
        "confirm" => [
            "succession.pool.confirm_title",
            "succession.pool.confirm_ask",
            "succession.pool.confirm_button",
            "succession.pool.confirm_done",
        ],
        "renew" => [
            "succession.pool.renew_title",
            "succession.pool.renew_ask",
            "succession.pool.renew_button",
            "succession.pool.renew_done",
        ],
        _ => [
            "succession.pool.withdraw_title",
            "succession.pool.withdraw_ask",
            "succession.pool.withdraw_button",
            "succession.pool.withdraw_done",
        ],
    }
}

/// The page of a link: `kind` is `confirm`, `renew` or `withdraw`.
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
    let [title, ask, button, done_text] = words(kind);
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t(title),
        "ask": lang.t(ask),
        "button": lang.t(button),
        "done_text": lang.t(done_text),
        "found": found,
        "done": done,
        "action": format!("/succession/pool/{kind}/{token}"),
        "csrf": csrf.as_ref().map(|c| c.token(&state.settings.secret_key)),
    });
    private_page(req, state, "succession/pool_link", ctx, csrf.as_ref())
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

#[get("/succession/pool/renew/{token}")]
pub async fn pool_renew_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let hash = hash_token(&token);
    let found = db(&state, move |conn| yui_db::succession_pool::exists_for_renew(conn, &hash)).await?;
    link_page(&req, &state, "renew", &token, found, false)
}

#[post("/succession/pool/renew/{token}")]
pub async fn pool_renew(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    crate::forms::checked(&req, &state.settings.secret_key, &body)?;
    let hash = hash_token(&token);
    let days = state.settings.succession.pool_days;
    let renewed = db(&state, move |conn| yui_db::succession_pool::renew(conn, &hash, days, yui_db::now())).await?;
    if renewed {
        log::info!("succession pool entry renewed by its author");
    }
    link_page(&req, &state, "renew", &token, renewed, true)
}
