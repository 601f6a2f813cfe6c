//! An editor's correction of a posting's content (`POST /admin/review/{id}/edit`).

use super::*;

/// An editor's correction of the content: parsed like Yui's own form, saved with a diff.
pub(super) async fn edit(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    item: QueueItem,
    version: i32,
    mut fields: Vec<(String, String)>,
) -> Result<HttpResponse, WebError> {
    // The employer's details are not edited here; the parser needs them to be complete.
    fields.retain(|(k, _)| k != "employer_name" && k != "email");
    fields.push(("employer_name".into(), item.employer.name.clone()));
    fields.push(("email".into(), item.employer.email.clone()));
    let public_id = item.posting.public_id.clone();
    let mut draft = match yui_ingest::mapping::map_fields(&fields, &state.settings.ingest.region) {
        Ok(intake) => intake.posting,
        Err(errors) => {
            let notice = Lang::of_request(&req).t("review.edit.invalid");
            let shown =
                Shown { status: StatusCode::UNPROCESSABLE_ENTITY, notice, edit_errors: &errors, typed: Some(&fields) };
            return review_page(&req, &state, &staff, public_id, shown).await;
        }
    };
    state.settings.portal.settle(&mut draft);
    let content = PostingContent::from_draft(draft, item.posting.valid_through);
    save(&req, &staff, &state, &item, version, content).await
}

/// One click from a review warning: the category or district becomes a configured choice,
/// saved like any correction (new version, diff in the log).
pub(super) async fn choose(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    item: QueueItem,
    version: i32,
    fields: Vec<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let portal = &state.settings.portal;
    let code = field(&fields, "choice").unwrap_or("");
    let mut content =
        PostingContent::of(&item.posting, item.terms.clone(), item.project.clone(), item.conditions.clone());
    match field(&fields, "field") {
        Some("category") if portal.category(code).is_some() => content.category = Some(code.to_owned()),
        // Districts are stored by their name, as the filters match them.
        Some("area") if portal.area(code).is_some() => content.area = portal.area(code).map(|a| a.ja.clone()),
        _ => return Err(WebError::BadRequest(lang.t("review.choice.unknown").into())),
    }
    save(&req, &staff, &state, &item, version, content).await
}

/// Saves an editor's change as a new version with its diff in the log; a version that moved on
/// in the meantime shows the review page again with the conflict.
async fn save(
    req: &HttpRequest,
    staff: &Staff,
    state: &web::Data<AppState>,
    item: &QueueItem,
    version: i32,
    content: PostingContent,
) -> Result<HttpResponse, WebError> {
    let actor = staff.actor();
    let (posting_id, public_id) = (item.posting.id, item.posting.public_id.clone());
    let result = db(state, move |conn| {
        yui_db::postings::update_content(conn, posting_id, version, &content, "edit", actor, yui_db::now())
    })
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/admin/review/{public_id}?done=edit"))),
        Err(WebError::Db(DbError::Conflict(_))) => {
            let notice = Lang::of_request(req).t("review.conflict.edit");
            review_page(req, state, staff, public_id, Shown::with(StatusCode::CONFLICT, notice)).await
        }
        Err(e) => Err(e),
    }
}
