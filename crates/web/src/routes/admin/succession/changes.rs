//! `POST /admin/succession/{id}`, `/status` and `/owner_link`: edit, move the status, send a new owner link.

use super::*;

#[post("/admin/succession/{id}")]
pub async fn update(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let listing = find_listing(&state, &id).await?;
    let version = version_of(&fields, Lang::of_request(&req))?;
    let choices = db(&state, load_choices).await?;
    let content = match parse_form(&fields, &choices) {
        Ok(c) => c,
        Err(errors) => {
            let shown =
                Shown { status: StatusCode::UNPROCESSABLE_ENTITY, typed: Some(&fields), errors: &errors, notice: "" };
            return listing_page(&req, &state, &staff, &id, shown).await;
        }
    };
    let (listing_id, actor) = (listing.id, staff.actor());
    let saved =
        db(&state, move |conn| yui_db::succession::update(conn, listing_id, version, &content, actor, yui_db::now()))
            .await;
    match saved {
        Ok(_) => Ok(see_other(&format!("/admin/succession/{}?done=saved", listing.public_id))),
        Err(WebError::Db(DbError::Conflict(_))) => {
            let notice = Lang::of_request(&req).t("succession.admin.conflict");
            let shown = Shown { status: StatusCode::CONFLICT, typed: Some(&fields), errors: &[], notice };
            listing_page(&req, &state, &staff, &id, shown).await
        }
        Err(e) => Err(e),
    }
}

#[post("/admin/succession/{id}/status")]
pub async fn change_status(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let listing = find_listing(&state, &id).await?;
    let version = version_of(&fields, Lang::of_request(&req))?;
    let to = field(&fields, "to")
        .and_then(|c| c.parse::<SuccessionStatus>().ok())
        .and_then(|to| listing.status.move_to(to).ok())
        .ok_or_else(|| WebError::BadRequest(Lang::of_request(&req).t("succession.admin.bad_status").into()))?;
    let note = field(&fields, "note").unwrap_or("").trim().to_owned();
    let (listing_id, actor) = (listing.id, staff.actor());
    let app = state.clone();
    let changed = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let note = Some(note.as_str()).filter(|n| !n.is_empty());
            let listing = yui_db::succession::set_status(conn, listing_id, version, to, note, actor, yui_db::now())?;
            // Talks fell through and it is open again: its coordinators hear again who might fit.
            if listing.status == SuccessionStatus::Open {
                crate::pool_matches::notify(conn, &app.settings, &app.letters, &listing)?;
            }
            Ok(listing)
        })
    })
    .await;
    match changed {
        Ok(_) => Ok(see_other(&format!("/admin/succession/{}?done=status", listing.public_id))),
        Err(WebError::Db(DbError::Conflict(_))) => {
            let shown = Shown {
                status: StatusCode::CONFLICT,
                typed: None,
                errors: &[],
                notice: Lang::of_request(&req).t("succession.admin.conflict"),
            };
            listing_page(&req, &state, &staff, &id, shown).await
        }
        Err(e) => Err(e),
    }
}

#[post("/admin/succession/{id}/owner_link")]
pub async fn owner_link(
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let staff = form.staff;
    let listing = find_listing(&state, &id).await?;
    let (actor, app) = (staff.actor(), state.clone());
    let public_id = listing.public_id.clone();
    db_mail(&state, move |conn| send_owner_link(conn, &app, &listing, actor)).await?;
    Ok(see_other(&format!("/admin/succession/{public_id}?done=link")))
}
