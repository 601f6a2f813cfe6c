//! `GET /admin/succession`: every listing with its status.

use super::*;

#[get("/admin/succession")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let (listings, counts, inquiries) = db(&state, |conn| {
        Ok((
            yui_db::succession::list_all(conn)?,
            yui_db::succession::counts_by_status(conn)?,
            yui_db::succession::inquiry_counts(conn)?,
        ))
    })
    .await?;
    let rows: Vec<Value> = listings
        .iter()
        .map(|l| {
            json!({
                "url": format!("/admin/succession/{}", l.public_id),
                "name": l.public_name,
                "industry": l.industry,
                "area": l.area,
                "status": l.status.label(lang.code()),
                "status_code": l.status.code(),
                "inquiries": inquiries.iter().find(|(id, _)| *id == l.id).map_or(0, |(_, n)| *n),
                "updated": views::date(l.updated_at, lang),
            })
        })
        .collect();
    let counts: Vec<Value> =
        counts.iter().map(|(s, n)| json!({"code": s.code(), "label": s.label(lang.code()), "count": n})).collect();
    let ctx = json!({"page_title": lang.t("succession.admin.page_title"), "listings": rows, "status_counts": counts});
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/succession", ctx).await
}
