//! `POST /admin/review/{id}/{action}`: approve, ask for changes or reject, and mail the employer;
//! correct the content; apply or decline a correction proposed while published.

use super::*;

/// The employer's email about a decision (approved, changes requested, rejected), with a
/// fresh private link. Other actions mail nobody from here.
fn mail_employer(
    conn: &mut DbConnection,
    state: &AppState,
    posting: &yui_db::postings::Posting,
    action: PostingAction,
    reason: &str,
    message: &str,
) -> Result<(), MailError> {
    let ctx = intake::Context { settings: &state.settings, letters: &state.letters };
    let employer = yui_db::employers::find_by_id(conn, posting.employer_id)?;
    let Some(to) = &yui_db::employers::mail_address(conn, &employer)? else {
        return Ok(());
    };
    let manage_url = &intake::new_manage_link(conn, ctx, posting.id)?;
    let (employer_name, contact_name) = (&employer.name, employer.contact_name.as_deref());
    let title = &posting.title;
    match action {
        PostingAction::Approve => {
            let public_url = &format!("{}/jobs/{}", state.settings.site.base_url, posting.public_id);
            let args = PostingPublished { employer_name, contact_name, title, public_url, message, manage_url };
            state.letters.posting_published(conn, to, &args)?;
        }
        PostingAction::RequestChanges => {
            let args = ChangesRequested { employer_name, contact_name, title, reason, message, manage_url };
            state.letters.changes_requested(conn, to, &args)?;
        }
        PostingAction::Reject => {
            let args = PostingRejected { employer_name, contact_name, title, reason, message, manage_url };
            state.letters.posting_rejected(conn, to, &args)?;
        }
        _ => {}
    }
    Ok(())
}

#[post("/admin/review/{id}/{action}")]
pub async fn act(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form: fields, .. } = form;
    let lang = Lang::of_request(&req);
    let (id, action) = path.into_inner();
    let public_id = PublicId::parse(&id).ok_or(WebError::NotFound)?.to_string();
    let version: i32 = field(&fields, "version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest(lang.t("review.no_version").into()))?;
    let message = field(&fields, "message").unwrap_or("").trim().to_owned();

    let lookup = public_id.clone();
    let (item, log) = db(&state, move |conn| {
        let Some(item) = yui_db::review::find(conn, &lookup)? else { return Ok(None) };
        let log = yui_db::review::log(conn, item.posting.id)?;
        Ok(Some((item, log)))
    })
    .await?
    .ok_or(WebError::NotFound)?;

    let mut override_text = String::new();
    let decision = match action.as_str() {
        "approve" => {
            if let Some(why) = approval_block(&state, &staff, &item, &log, lang) {
                return review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::FORBIDDEN, why)).await;
            }
            let gaps = legal_gaps(&item);
            if !disclosure::approval_needs_reason(disclosure::Origin::of_source(item.source.as_deref()), &gaps) {
                (PostingAction::Approve, None, "")
            } else {
                let why = field(&fields, "override").unwrap_or("").trim();
                if why.is_empty() {
                    let shown = Shown::with(StatusCode::UNPROCESSABLE_ENTITY, lang.t("review.override.required"));
                    return review_page(&req, &state, &staff, public_id, shown).await;
                }
                // The log keeps the editor's reason and what was missing when they approved.
                let missing: Vec<&str> = gaps
                    .iter()
                    .map(|g| Lang::Ja.lookup(&format!("review.gap.{}", g.code())).unwrap_or(g.code()))
                    .collect();
                override_text = format!("{why}\n（{}）", missing.join("、"));
                (PostingAction::Approve, Some(LEGAL_OVERRIDE.to_owned()), "")
            }
        }
        "request_changes" | "reject" => {
            let code = field(&fields, "reason").unwrap_or("");
            let label = if action == "reject" {
                code.parse::<RejectReason>().map(|r| r.label_ja()).ok()
            } else {
                code.parse::<ChangeReason>().map(|r| r.label_ja()).ok()
            };
            let problem = match (label, message.is_empty()) {
                (None, _) => Some(lang.t("review.choose_reason")),
                (_, true) => Some(lang.t("review.write_message")),
                _ => None,
            };
            if let Some(problem) = problem {
                let shown = Shown::with(StatusCode::UNPROCESSABLE_ENTITY, problem);
                return review_page(&req, &state, &staff, public_id, shown).await;
            }
            if action == "reject" {
                (PostingAction::Reject, Some(code.to_owned()), label.unwrap_or(""))
            } else {
                (PostingAction::RequestChanges, Some(code.to_owned()), label.unwrap_or(""))
            }
        }
        "edit" => return edit(req, staff, state, item, version, fields).await,
        "choose" => return choose(req, staff, state, item, version, fields).await,
        "apply_revision" => return revision::apply(req, staff, state, item, &log, version, message).await,
        "decline_revision" => return revision::decline(req, staff, state, item, version, message).await,
        "note" => return note::save(req, staff, state, item, fields).await,
        _ => return Err(WebError::NotFound),
    };
    let (posting_action, reason_code, reason_label) = decision;
    let actor = staff.actor();
    let app = state.clone();
    let posting_id = item.posting.id;
    let (employer_id, linked_when_checked) = (item.employer.id, item.employer.organization_id);
    let result = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            // The conflict-of-interest check above read the link before this transaction: if
            // it changed since, the editor decided on facts that no longer hold.
            let linked = yui_db::employers::find_by_id(conn, employer_id)?.organization_id;
            if posting_action == PostingAction::Approve && linked != linked_when_checked {
                return Err(DbError::Conflict("the employer").into());
            }
            let text = if override_text.is_empty() { message.as_str() } else { override_text.as_str() };
            let reason = Reason { code: reason_code.as_deref(), text: (!text.is_empty()).then_some(text) };
            let updated = yui_db::postings::apply_action(
                conn,
                posting_id,
                version,
                posting_action,
                actor,
                reason,
                yui_db::now(),
            )?;
            mail_employer(conn, &app, &updated, posting_action, reason_label, &message)?;
            Ok(updated)
        })
    })
    .await;
    match result {
        Ok(updated) => {
            log::info!("posting {} {} by staff {}", updated.public_id, posting_action.code(), staff.id);
            Ok(see_other(&format!("/admin/review/{}?done={}", updated.public_id, posting_action.code())))
        }
        Err(WebError::Db(DbError::Conflict(_) | DbError::Transition(_))) => {
            let notice = lang.t("review.conflict.decision");
            review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::CONFLICT, notice)).await
        }
        Err(e) => Err(e),
    }
}
