//! `/admin/succession/requests`: owners' private requests for a listing. A coordinator
//! (editor) sees only the requests made to their organisation (another organisation's request
//! is a 404, as if it did not exist); admins see all, including those left to Yui. Each has a
//! status and a note, and can be turned into a draft listing: the staff creation form,
//! pre-filled, where the public name is written anew so the owner's business stays unnamed.

use super::*;
use yui_db::succession_requests::Request;
use yui_domain::succession::request::RequestStatus;
use yui_domain::StaffRole;

fn is_admin(staff: &Staff) -> bool {
    staff.role == StaffRole::Admin
}

/// The request if this staff member may read it; otherwise 404.
pub(super) async fn visible_request(state: &web::Data<AppState>, staff: &Staff, id: i32) -> Result<Request, WebError> {
    let (org, admin) = (staff.organization_id, is_admin(staff));
    db(state, move |conn| yui_db::succession_requests::find(conn, id))
        .await?
        .filter(|r| r.visible_to(org, admin))
        .ok_or(WebError::NotFound)
}

fn industry_label(state: &AppState, code: &str, lang: Lang) -> String {
    state.settings.portal.categories.iter().find(|c| c.code == code).map_or(code, |c| c.label(lang.code())).to_owned()
}

#[get("/admin/succession/requests")]
pub async fn requests(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let only = (!is_admin(&staff)).then_some(staff.organization_id);
    let (found, orgs) = db(&state, move |conn| {
        Ok((yui_db::succession_requests::list(conn, only)?, yui_db::organizations::list(conn)?))
    })
    .await?;
    let rows: Vec<Value> = found
        .iter()
        .map(|r| {
            json!({
                "url": format!("/admin/succession/requests/{}", r.id),
                "business_name": r.business_name,
                "industry": industry_label(&state, &r.industry, lang),
                "area": r.area,
                "organization": r.organization_id.and_then(|id| orgs.iter().find(|o| o.id == id)).map(|o| o.name.clone()),
                "status": r.status.label(lang.code()),
                "status_code": r.status.code(),
                "received": views::date(r.created_at, lang),
            })
        })
        .collect();
    let ctx = json!({"page_title": lang.t("succession.admin.requests.title"), "requests": rows});
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/succession_requests", ctx).await
}

#[get("/admin/succession/requests/{id}")]
pub async fn request_show(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let r = visible_request(&state, &staff, id.into_inner()).await?;
    let code = lang.code();
    let ctx = json!({
        "page_title": lang.t("succession.admin.requests.title"),
        "request": {
            "id": r.id,
            "action": format!("/admin/succession/requests/{}", r.id),
            "draft_url": format!("/admin/succession/new?from_request={}", r.id),
            "business_name": r.business_name,
            "industry": industry_label(&state, &r.industry, lang),
            "area": r.area,
            "years": r.years_in_business,
            "staff_band": r.staff_band.label(code),
            "reason": r.reason,
            "handover": r.handover,
            "contact_name": r.contact_name,
            "contact_email": r.contact_email,
            "contact_phone": r.contact_phone,
            "notes": r.notes,
            "received": views::date(r.created_at, lang),
        },
        "statuses": RequestStatus::ALL.iter().map(|s| json!({"code": s.code(), "label": s.label(code), "selected": *s == r.status})).collect::<Vec<_>>(),
        "done": query_pairs(req.query_string()).any(|(k, v)| k == "done" && v == "saved"),
    });
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/succession_request", ctx).await
}

#[post("/admin/succession/requests/{id}")]
pub async fn request_update(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let lang = Lang::of_request(&req);
    let r = visible_request(&state, &staff, id.into_inner()).await?;
    let status = field(&fields, "status")
        .and_then(|s| s.trim().parse::<RequestStatus>().ok())
        .ok_or_else(|| WebError::BadRequest(lang.t("succession.admin.requests.bad_status").into()))?;
    let notes = field(&fields, "notes").unwrap_or("").trim().to_owned();
    if notes.chars().count() > 2000 {
        return Err(WebError::BadRequest(lang.t("succession.admin.note_too_long").into()));
    }
    let id = r.id;
    db(&state, move |conn| yui_db::succession_requests::set(conn, id, status, &notes, yui_db::now())).await?;
    Ok(see_other(&format!("/admin/succession/requests/{id}?done=saved")))
}

/// The staff creation form's values from a request: the public name is left empty on
/// purpose (a listing never names the business), the owner's fields are the contact's.
pub(super) fn draft_fields(r: &Request, state: &AppState) -> Vec<(String, String)> {
    let industry = industry_label(state, &r.industry, Lang::Ja);
    [
        ("industry", industry),
        ("area", r.area.clone()),
        ("years_in_business", r.years_in_business.map(|n| n.to_string()).unwrap_or_default()),
        ("revenue_band", RevenueBand::Undisclosed.code().to_owned()),
        ("reason", r.reason.clone()),
        ("handover_note", r.handover.clone()),
        ("owner_name", r.contact_name.clone()),
        ("owner_email", r.contact_email.clone()),
        ("owner_phone", r.contact_phone.clone().unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}
