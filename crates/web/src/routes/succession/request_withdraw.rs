//! `/succession/request/withdraw/{token}`: the private link in the owner's confirmation.
//! Opening it asks (a mail scanner that follows links must not withdraw anyone); the button
//! deletes the request and everything in it.

use super::*;

#[get("/succession/request/withdraw/{token}")]
pub async fn request_withdraw_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let hash = hash_token(&token);
    let found = db(&state, move |conn| yui_db::succession_requests::exists_for_withdraw(conn, &hash)).await?;
    let csrf = Csrf::for_request(&req);
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("succession.request.withdraw_title"),
        "found": found,
        "action": format!("/succession/request/withdraw/{}", token.as_str()),
        "csrf": csrf.token(&state.settings.secret_key),
        "done": false,
    });
    private_page(&req, &state, "succession/request_withdraw", ctx, Some(&csrf))
}

#[post("/succession/request/withdraw/{token}")]
pub async fn request_withdraw(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    crate::forms::checked(&req, &state.settings.secret_key, &body)?;
    let hash = hash_token(&token);
    let deleted = db(&state, move |conn| yui_db::succession_requests::withdraw(conn, &hash)).await?;
    if deleted {
        log::info!("succession request withdrawn by its owner");
    }
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("succession.request.withdraw_title"),
        "found": deleted,
        "done": true,
    });
    private_page(&req, &state, "succession/request_withdraw", ctx, None)
}
