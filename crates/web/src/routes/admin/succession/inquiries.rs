//! `POST /admin/succession/{id}/inquiries/{inquiry}`: follow up an inquiry.

use super::*;

#[post("/admin/succession/{id}/inquiries/{inquiry}")]
pub async fn update_inquiry(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let (public_id, inquiry_id) = path.into_inner();
    let listing = find_listing(&state, &public_id).await?;
    let inquiry = db(&state, move |conn| yui_db::succession::find_inquiry(conn, inquiry_id))
        .await?
        .filter(|i| i.listing_id == listing.id)
        .ok_or(WebError::NotFound)?;
    let to = match field(&fields, "status").unwrap_or("").trim() {
        "" => None,
        code => Some(
            code.parse::<InquiryStatus>()
                .ok()
                .filter(|to| *to == inquiry.status || inquiry.status.move_to(*to).is_ok())
                .ok_or_else(|| {
                    WebError::BadRequest(Lang::of_request(&req).t("succession.admin.bad_inquiry_status").into())
                })?,
        ),
    };
    let note = field(&fields, "note").unwrap_or("").trim().to_owned();
    if note.chars().count() > 2000 {
        return Err(WebError::BadRequest(Lang::of_request(&req).t("succession.admin.note_too_long").into()));
    }
    let actor = staff.actor();
    db(&state, move |conn| yui_db::succession::update_inquiry(conn, inquiry_id, to, &note, actor, yui_db::now()))
        .await?;
    Ok(see_other(&format!("/admin/succession/{}?done=inquiry#inquiry-{inquiry_id}", listing.public_id)))
}
