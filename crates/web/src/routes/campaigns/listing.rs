//! `GET /campaigns`: published campaigns, the current ones first, with their entry counts.

use super::*;

#[get("/campaigns")]
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let rows = db(&state, yui_db::campaigns::list_public).await?;
    let campaigns: Vec<Value> = rows
        .iter()
        .map(|(c, n)| {
            json!({
                "url": format!("/campaigns/{}", c.slug),
                "title": c.title,
                "period": format!("{} – {}", day(c.starts(), lang), day(c.ends(), lang)),
                "open": open_today(c),
                "entries": n,
            })
        })
        .collect();
    let ctx = json!({"page_title": lang.t("campaigns.page_title"), "campaigns": campaigns});
    html_page(&req, &state, StatusCode::OK, "campaigns/list", ctx, None)
}
