//! `GET|POST /admin/succession/new`: a new listing (blank, or pre-filled from an owner's
//! request), and its owner's private link by mail.

use super::*;

#[get("/admin/succession/new")]
pub async fn new_form(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let choices = db(&state, load_choices).await?;
    // `?from_request=N`: pre-filled from an owner's request this staff member may read.
    let from = query_pairs(req.query_string()).find(|(k, _)| k == "from_request").and_then(|(_, v)| v.parse().ok());
    let typed = match from {
        Some(id) => draft_fields(&visible_request(&state, &staff, id).await?, &state),
        None => vec![("revenue_band".to_owned(), RevenueBand::Undisclosed.code().to_owned())],
    };
    let form = form_ctx(&state, Lang::of_request(&req), &typed, &[], &choices, staff.organization_id);
    let ctx = json!({"page_title": Lang::of_request(&req).t("succession.admin.new_title"), "is_new": true, "action": "/admin/succession/new", "form": form});
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/succession_listing", ctx).await
}

#[post("/admin/succession/new")]
pub async fn create(
    req: HttpRequest,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let choices = db(&state, load_choices).await?;
    let content = match parse_form(&fields, &choices) {
        Ok(c) => c,
        Err(errors) => {
            let form = form_ctx(&state, Lang::of_request(&req), &fields, &errors, &choices, staff.organization_id);
            let ctx = json!({"page_title": Lang::of_request(&req).t("succession.admin.new_title"), "is_new": true, "action": "/admin/succession/new", "form": form});
            return admin_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, "admin/succession_listing", ctx)
                .await;
        }
    };
    let actor = staff.actor();
    let app = state.clone();
    let listing = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let listing = yui_db::succession::create(conn, &content, actor, yui_db::now())?;
            send_owner_link(conn, &app, &listing, actor)?;
            // Created open, so public now: its coordinators hear of the pool entries that fit.
            crate::pool_matches::notify(conn, &app.settings, &app.letters, &listing)?;
            Ok(listing)
        })
    })
    .await?;
    Ok(see_other(&format!("/admin/succession/{}?done=created", listing.public_id)))
}
