//! `GET /admin/campaigns`: every campaign, drafts too.

use super::*;

#[get("/admin/campaigns")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let lang = Lang::of_request(&req);
    let org = staff.organization_id;
    let (all, mine) =
        db(&state, move |conn| Ok((yui_db::campaigns::list_all(conn)?, yui_db::campaigns::coordinated_by(conn, org)?)))
            .await?;
    let rows: Vec<_> = all
        .into_iter()
        .map(|c| {
            let coordinated = mine.contains(&c.id);
            (c, coordinated)
        })
        .collect();
    let admin = staff.role == StaffRole::Admin;
    let campaigns: Vec<Value> = rows
        .iter()
        .map(|(c, mine)| {
            json!({
                "id": c.id,
                "title": c.title,
                "slug": c.slug,
                "status": c.status.label(lang.code()),
                "status_code": c.status.code(),
                "period": format!("{} – {}", c.starts(), c.ends()),
                "pool": *mine || admin,
            })
        })
        .collect();
    let ctx = json!({
        "page_title": lang.t("campaigns.admin.page_title"),
        "campaigns": campaigns,
        "can_edit": staff.can(Permission::Review),
    });
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/campaigns", ctx).await
}
