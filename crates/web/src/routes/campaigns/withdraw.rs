//! `/campaigns/withdraw/{token}`: the private link in the confirmation mail. Opening it asks
//! (a mail scanner that follows links must not withdraw anyone); the button deletes the entry.

use super::*;

#[get("/campaigns/withdraw/{token}")]
pub async fn withdraw_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let hash = crate::tokens::hash_token(&token);
    let campaign = db(&state, move |conn| yui_db::campaigns::campaign_of_withdraw(conn, &hash)).await?;
    let csrf = Csrf::for_request(&req);
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("campaigns.withdraw.title"),
        "found": campaign.is_some(),
        "campaign_title": campaign.as_ref().map(|c| c.title.clone()),
        "action": format!("/campaigns/withdraw/{}", token.as_str()),
        "csrf": csrf.token(&state.settings.secret_key),
        "done": false,
    });
    private_page(&req, &state, "campaigns/withdraw", ctx, Some(&csrf))
}

#[post("/campaigns/withdraw/{token}")]
pub async fn withdraw(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    crate::forms::checked(&req, &state.settings.secret_key, &body)?;
    let hash = crate::tokens::hash_token(&token);
    let deleted = db(&state, move |conn| yui_db::campaigns::withdraw(conn, &hash)).await?;
    if deleted {
        log::info!("campaign entry withdrawn by its entrant");
    }
    let ctx = json!({
        "robots": "noindex",
        "page_title": lang.t("campaigns.withdraw.title"),
        "found": deleted,
        "done": true,
    });
    private_page(&req, &state, "campaigns/withdraw", ctx, None)
}
