//! `GET /admin/campaigns/{id}/entries` (the pool) and `POST …/entries/{entry}` (status and
//! notes), for the co-issuing organisations' staff and admins only.

use super::*;
use yui_domain::campaigns::NOTES_MAX;

#[get("/admin/campaigns/{id}/entries")]
pub async fn pool(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let c = pool_campaign(&state, &staff, path.into_inner()).await?;
    pool_page(&req, &state, &staff, &c, StatusCode::OK, "").await
}

pub(super) async fn pool_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    c: &Campaign,
    status: StatusCode,
    notice: &str,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let id = c.id;
    let rows = db(state, move |conn| yui_db::campaigns::entries(conn, id)).await?;
    let entries: Vec<Value> = rows
        .iter()
        .map(|e| {
            let statuses: Vec<Value> = EntryStatus::ALL
                .iter()
                .map(|s| json!({"code": s.code(), "label": s.label(lang.code()), "selected": *s == e.status}))
                .collect();
            json!({
                "id": e.id,
                "name": e.name,
                "email": e.email,
                "offer": e.offer,
                "interests": e.interests,
                "way": e.way.label(lang.code()),
                "status": e.status.label(lang.code()),
                "status_code": e.status.code(),
                "statuses": statuses,
                "notes": e.notes,
                "received": crate::views::date(e.created_at, lang),
            })
        })
        .collect();
    let ctx = json!({
        "page_title": format!("{} — {}", c.title, lang.t("campaigns.pool.title")),
        "campaign": {"id": c.id, "title": c.title, "slug": c.slug},
        "entries": entries,
        "notice": notice,
    });
    admin_page(req, state, staff, status, "admin/campaign_entries", ctx).await
}

#[post("/admin/campaigns/{id}/entries/{entry}")]
pub async fn set_entry(
    req: HttpRequest,
    path: web::Path<(i32, i32)>,
    form: StaffForm<Fields, CanWrite>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let (id, entry_id) = path.into_inner();
    let c = pool_campaign(&state, &staff, id).await?;
    let lang = Lang::of_request(&req);
    let status: Option<EntryStatus> = field(&fields, "status").and_then(|s| s.parse().ok());
    let notes = field(&fields, "notes").unwrap_or("").replace("\r\n", "\n").trim().to_owned();
    let Some(status) = status.filter(|_| notes.chars().count() <= NOTES_MAX) else {
        let notice = lang.tf("campaigns.pool.bad_update", &[("max", &NOTES_MAX)]);
        return pool_page(&req, &state, &staff, &c, StatusCode::UNPROCESSABLE_ENTITY, &notice).await;
    };
    let me = editor(&staff);
    let done = db(&state, move |conn| {
        let Some(entry) = yui_db::campaigns::find_entry(conn, id, entry_id)? else { return Ok(false) };
        yui_db::campaigns::set_entry(conn, &entry, status, &notes, me, yui_db::now())?;
        Ok(true)
    })
    .await?;
    if !done {
        return Err(WebError::NotFound);
    }
    log::info!("campaign {id}: entry {entry_id} set to {} by staff {}", status.code(), staff.id);
    Ok(see_other(&format!("/admin/campaigns/{id}/entries#entry-{entry_id}")))
}
