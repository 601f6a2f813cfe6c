//! `/succession/request/withdraw/{token}`: the private link in the owner's confirmation.
//! Opening it asks (a mail scanner that follows links must not withdraw anyone); the button
//! deletes the request and everything in it.

use super::*;

fn page(req: &HttpRequest, state: &AppState, ctx: Value, csrf: Option<&Csrf>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let html = crate::templates::render_page(
        &state.templates,
        &state.settings.site,
        req,
        lang,
        "succession/request_withdraw",
        ctx,
    )?;
    let mut res = HttpResponse::Ok();
    private(&mut res);
    if let Some(csrf) = csrf {
        csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    }
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

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
    page(&req, &state, ctx, Some(&csrf))
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
    page(&req, &state, ctx, None)
}
