//! `/campaigns/withdraw/{token}`: the private link in the confirmation mail. Opening it asks
//! (a mail scanner that follows links must not withdraw anyone); the button deletes the entry.

use super::*;

fn private(mut res: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    // The address is the key: never in a Referer or a shared cache.
    res.insert_header((header::REFERRER_POLICY, "no-referrer")).insert_header((header::CACHE_CONTROL, "no-store"));
    res
}

fn page(req: &HttpRequest, state: &AppState, ctx: Value, csrf: Option<&Csrf>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let html =
        crate::templates::render_page(&state.templates, &state.settings.site, req, lang, "campaigns/withdraw", ctx)?;
    let mut res = private(HttpResponse::Ok());
    if let Some(csrf) = csrf {
        csrf.set_cookie(&mut res, state.settings.site.base_url.starts_with("https://"));
    }
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

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
    page(&req, &state, ctx, Some(&csrf))
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
    page(&req, &state, ctx, None)
}
