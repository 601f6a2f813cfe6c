//! A correction the employer proposed for a published posting: the review page shows its diff,
//! and `POST /admin/review/{id}/apply_revision` or `/decline_revision` decide it.

use super::*;
use yui_db::revisions::Revision;
use yui_mail::letters::employer::RevisionDecided;

/// The revision's content, ready to replace the public one: the stored fields read again as
/// the employer's form reads them. This is where anything an approval checks before content
/// goes public belongs too.
fn content_to_apply(
    state: &AppState,
    item: &QueueItem,
    revision: &Revision,
) -> Result<PostingContent, Vec<yui_domain::FieldError>> {
    let origin = disclosure::Origin::of_source(item.source.as_deref());
    crate::routes::manage::content_of_fields_from(
        state,
        &item.posting,
        &item.terms,
        &item.project,
        &item.employer,
        &revision.fields,
        origin,
    )
}

/// A stored value of `column` as a reader of the diff wants it: labels, not codes.
fn shown(state: &AppState, column: &str, value: &Value, lang: Lang) -> String {
    let Some(text) = value.as_str() else {
        return match value {
            Value::Null => lang.t("review.diff.none").into(),
            other => other.to_string(),
        };
    };
    let label = match column {
        "employment_type" => text.parse::<yui_domain::EmploymentType>().ok().map(|t| t.label(lang.code())),
        "remote" => text.parse::<yui_domain::RemoteMode>().ok().map(|t| t.label(lang.code())),
        "salary_unit" => text.parse::<yui_domain::SalaryUnit>().ok().map(|t| t.label(lang.code())),
        "visits" => text.parse::<yui_domain::project::Visits>().ok().map(|t| t.label(lang.code())),
        "travel_support" => text.parse::<yui_domain::project::TravelSupport>().ok().map(|t| t.label(lang.code())),
        "reward" => text.parse::<yui_domain::project::Reward>().ok().map(|t| t.label(lang.code())),
        "category" => state.settings.portal.category_of(text).map(|c| c.label(lang.code())),
        "area" => state.settings.portal.area_of(text).map(|c| c.label(lang.code())),
        "valid_through" => {
            let end = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok();
            return end.map_or_else(|| text.to_owned(), |end| views::date(end - chrono::Duration::seconds(1), lang));
        }
        _ => None,
    };
    label.unwrap_or(text).to_owned()
}

/// What the review page shows of an open revision: when, the field-by-field diff with the
/// current public content, or why it cannot be applied as it stands.
pub(super) fn revision_view(state: &AppState, item: &QueueItem, revision: &Revision, lang: Lang) -> Value {
    let (rows, invalid) = match content_to_apply(state, item, revision) {
        Ok(proposed) => {
            let rows: Vec<Value> =
                PostingContent::of(&item.posting, item.terms.clone(), item.project.clone(), item.conditions.clone())
                    .diff(&proposed)
                    .into_iter()
                    .map(|(column, change)| {
                        let value = |key: &str| shown(state, &column, change.get(key).unwrap_or(&Value::Null), lang);
                        let label = lang.lookup(&format!("review.diff.{column}")).unwrap_or(&column).to_owned();
                        json!({"field": label, "from": value("from"), "to": value("to")})
                    })
                    .collect();
            (rows, Vec::new())
        }
        Err(errors) => (Vec::new(), errors.iter().map(|e| lang.message(&e.message)).collect()),
    };
    json!({
        "lead": lang.tf("review.revision.lead", &[("date", &views::date(revision.created_at, lang))]),
        "stale": revision.base_version != item.posting.version,
        "diff": rows,
        "invalid": invalid,
    })
}

/// The open revision of the posting, or the review page saying there is none (409: someone
/// decided it, or the employer withdrew it, since the page was opened).
async fn open_revision(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    item: &QueueItem,
) -> Result<Result<Revision, HttpResponse>, WebError> {
    let posting_id = item.posting.id;
    match db(state, move |conn| yui_db::revisions::find(conn, posting_id)).await? {
        Some(revision) => Ok(Ok(revision)),
        None => {
            let notice = Lang::of_request(req).t("review.revision.none_open");
            let shown = Shown::with(StatusCode::CONFLICT, notice);
            Ok(Err(review_page(req, state, staff, item.posting.public_id.clone(), shown).await?))
        }
    }
}

/// Applies the open revision: the public content becomes it (new version, `revision_applied`
/// with the diff), the revision is gone and the employer told, in one transaction.
pub(super) async fn apply(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    item: QueueItem,
    log: &[LogLine],
    version: i32,
    message: String,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let public_id = item.posting.public_id.clone();
    if let Some(why) = approval_block(&state, &staff, &item, log, lang) {
        return review_page(&req, &state, &staff, public_id, Shown::with(StatusCode::FORBIDDEN, why)).await;
    }
    let revision = match open_revision(&req, &state, &staff, &item).await? {
        Ok(revision) => revision,
        Err(page) => return Ok(page),
    };
    let content = match content_to_apply(&state, &item, &revision) {
        Ok(content) => content,
        Err(_) => {
            let shown = Shown::with(StatusCode::UNPROCESSABLE_ENTITY, lang.t("review.revision.invalid"));
            return review_page(&req, &state, &staff, public_id, shown).await;
        }
    };
    let (actor, app) = (staff.actor(), state.clone());
    let (posting_id, employer_id, linked_when_checked) =
        (item.posting.id, item.employer.id, item.employer.organization_id);
    let result = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            // As for an approval: the conflict-of-interest check read the link before this.
            if yui_db::employers::find_by_id(conn, employer_id)?.organization_id != linked_when_checked {
                return Err(DbError::Conflict("the employer").into());
            }
            let updated = yui_db::revisions::apply(conn, posting_id, version, &content, actor, yui_db::now())?;
            mail_employer(conn, &app, &updated, true, &message)?;
            Ok(updated)
        })
    })
    .await;
    decided(&req, &state, &staff, public_id, result, "apply_revision").await
}

/// Declines the open revision with a message to the employer (required): the public content
/// stays, `revision_declined` is logged with the message, and the employer gets it by mail.
pub(super) async fn decline(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    item: QueueItem,
    version: i32,
    message: String,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let public_id = item.posting.public_id.clone();
    if message.is_empty() {
        let shown = Shown::with(StatusCode::UNPROCESSABLE_ENTITY, lang.t("review.write_message"));
        return review_page(&req, &state, &staff, public_id, shown).await;
    }
    if let Err(page) = open_revision(&req, &state, &staff, &item).await? {
        return Ok(page);
    }
    let (actor, app, posting_id) = (staff.actor(), state.clone(), item.posting.id);
    let result = db_mail(&state, move |conn| {
        yui_db::transaction(conn, |conn| {
            let posting = yui_db::revisions::decline(conn, posting_id, version, actor, &message, yui_db::now())?;
            mail_employer(conn, &app, &posting, false, &message)?;
            Ok(posting)
        })
    })
    .await;
    decided(&req, &state, &staff, public_id, result, "decline_revision").await
}

/// Back to the review page: with the outcome, or with the conflict when the posting or the
/// revision changed since the page was opened.
async fn decided(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    public_id: String,
    result: Result<yui_db::postings::Posting, WebError>,
    done: &str,
) -> Result<HttpResponse, WebError> {
    match result {
        Ok(posting) => {
            log::info!("posting {}: correction {done} by staff {}", posting.public_id, staff.id);
            Ok(see_other(&format!("/admin/review/{}?done={done}", posting.public_id)))
        }
        Err(WebError::Db(DbError::Conflict(_) | DbError::Transition(_))) => {
            let notice = Lang::of_request(req).t("review.conflict.decision");
            review_page(req, state, staff, public_id, Shown::with(StatusCode::CONFLICT, notice)).await
        }
        Err(e) => Err(e),
    }
}

/// The employer's mail about their correction, with a fresh private link.
fn mail_employer(
    conn: &mut DbConnection,
    state: &AppState,
    posting: &yui_db::postings::Posting,
    applied: bool,
    message: &str,
) -> Result<(), MailError> {
    let ctx = intake::Context { settings: &state.settings, letters: &state.letters };
    let employer = yui_db::employers::find_by_id(conn, posting.employer_id)?;
    let Some(to) = yui_db::employers::mail_address(conn, &employer)? else {
        return Ok(());
    };
    let manage_url = &intake::new_manage_link(conn, ctx, posting.id)?;
    let public_url = &format!("{}/jobs/{}", state.settings.site.base_url, posting.public_id);
    let args = RevisionDecided {
        applied,
        employer_name: &employer.name,
        contact_name: employer.contact_name.as_deref(),
        title: &posting.title,
        public_url,
        message,
        manage_url,
    };
    state.letters.revision_decided(conn, &to, &args)?;
    Ok(())
}
