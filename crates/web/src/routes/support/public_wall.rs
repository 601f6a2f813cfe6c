//! `/supporters` and `/support/banners`: the public thanks, the banners and badges.

use super::*;

#[get("/supporters")]
pub async fn wall(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let groups = db(&state, yui_db::supporters::wall).await?;
    let anonymous = lang.t("support.page.anonymous");
    let total: i64 = groups.iter().map(|g| g.total).sum();
    let groups: Vec<Value> = groups
        .iter()
        .map(|g| {
            let names: Vec<&str> = g.names.iter().map(|n| n.as_deref().unwrap_or(anonymous)).collect();
            json!({
                "label": g.kind.label(lang.code()),
                "names": names,
                "total": g.total,
                "not_shown": g.total - g.names.len() as i64,
            })
        })
        .collect();
    page(&req, &state, "support/wall", json!({ "groups": groups, "total": total }))
}

/// The banners of the kit: (file name, width, height). `open-count` is drawn per request.
const BANNERS: [(&str, u32, u32); 3] =
    [("banner-468x60", 468, 60), ("badge-200x200", 200, 200), ("badge-88x31", 88, 31)];

#[get("/support/banners")]
pub async fn banners(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let base = &state.settings.site.base_url;
    let lang = Lang::of_request(&req);
    let alt = format!("{} — {}", state.settings.site.name, lang.t("support.page.local_jobs"));
    let mut items: Vec<Value> = BANNERS
        .iter()
        .map(|(name, w, h)| {
            let src = format!("/banners/{name}.svg");
            let html = format!(r#"<a href="{base}/"><img src="{base}{src}" width="{w}" height="{h}" alt="{alt}"></a>"#);
            json!({"src": src, "width": w, "height": h, "html": html})
        })
        .collect();
    let html = format!(
        r#"<a href="{base}/jobs"><img src="{base}/banners/open-count.svg" width="240" height="60" alt="{alt}"></a>"#
    );
    items.push(json!({"src": "/banners/open-count.svg", "width": 240, "height": 60, "html": html, "live": true}));
    let widget = format!(
        r#"<iframe src="{base}/embed/jobs?limit=5" title="{alt}" width="100%" height="420" style="border:0" loading="lazy"></iframe>"#
    );
    let script = format!(r#"<script src="{base}/embed/jobs.js" data-limit="5" async></script>"#);
    page(&req, &state, "support/banners", json!({ "items": items, "widget": widget, "script": script }))
}

#[get("/banners/{name}.svg")]
pub async fn banner_svg(state: web::Data<AppState>, name: web::Path<String>) -> Result<HttpResponse, WebError> {
    let name = name.into_inner();
    let svg = if name == "open-count" {
        let now = yui_db::now();
        let count = db(&state, move |conn| yui_db::postings::count_public(conn, now)).await?;
        let ctx = json!({ "count": count, "site": state.settings.site });
        state.templates.render("support/open_count_svg", &ctx)?
    } else if BANNERS.iter().any(|(n, _, _)| *n == name) {
        let ctx = json!({ "site": state.settings.site });
        state.templates.render(&format!("support/{}_svg", name.replace('-', "_")), &ctx)?
    } else {
        return Err(WebError::NotFound);
    };
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(svg))
}
