//! Quarantined submissions: the raw bytes and the reason, how each question maps today, and the
//! two ways out: re-run it (after the mapping was fixed) or discard it with a reason on record.

use super::{admin_page, see_other};
use crate::auth::{CanReview, Fields, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::{db, db_mail};
use crate::i18n::Lang;
use crate::intake::{self, Outcome};
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_ingest::source::{self, Source};

#[get("/admin/submissions/{id}")]
pub async fn show(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    page(&req, &state, &staff, path.into_inner(), StatusCode::OK, "").await
}

async fn page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    id: i32,
    status: StatusCode,
    notice: &str,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let (sub, posting_id) = db(state, move |conn| {
        let Some(sub) = yui_db::submissions::find(conn, id)? else { return Ok(None) };
        let posting = yui_db::submissions::posting_public_id(conn, id)?;
        Ok(Some((sub, posting)))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    // How each question of this submission maps with today's settings: what to add to
    // ingest.mappings is then plain to see.
    let questions: Vec<_> = Source::from_code(&sub.source)
        .filter(|s| *s != Source::Native)
        .and_then(|s| source::parse(s, &sub.raw_body).ok().map(|a| (s, a)))
        .map(|(s, answers)| {
            let mapping = state.settings.ingest.mapping(s, answers.form_id.as_deref());
            answers
                .answers
                .iter()
                .map(|a| {
                    let field = mapping.field_for(&a.label);
                    json!({
                        "label": a.label,
                        "value": a.value,
                        "field": field.map_or(lang.t("admin.submission.to_description"), |f| lang.pick(f.label_ja(), f.code())),
                        "code": field.map_or("", |f| f.code()),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let ctx = json!({
        "page_title": lang.tf("admin.submission.page_title", &[("id", &id)]),
        "notice": notice,
        "id": sub.id,
        "source": sub.source,
        "external_id": sub.external_id,
        "received": views::date(sub.received_at, lang),
        "status": sub.status,
        "reason": sub.error.clone().unwrap_or_default(),
        "headers": sub.headers,
        "raw_body": String::from_utf8_lossy(&sub.raw_body),
        "questions": questions,
        "posting_id": posting_id.unwrap_or_default(),
        "open": sub.status == yui_db::submissions::QUARANTINED && sub.discarded_at.is_none(),
        "discard_reason": sub.discard_reason.clone().unwrap_or_default(),
    });
    admin_page(req, state, staff, status, "admin/submission", ctx).await
}

#[post("/admin/submissions/{id}/replay")]
pub async fn replay(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let staff = form.staff;
    let id = path.into_inner();
    let app = state.clone();
    let outcome = db_mail(&state, move |conn| {
        intake::replay(conn, intake::Context { settings: &app.settings, letters: &app.letters }, id)
    })
    .await?;
    match outcome {
        Outcome::Accepted { posting_id, .. } | Outcome::Replayed { posting_id: Some(posting_id), .. } => {
            log::info!("submission {id} re-run by staff {}: posting {posting_id}", staff.id);
            Ok(see_other(&format!("/admin/review/{posting_id}")))
        }
        Outcome::Quarantined { problem, .. } => {
            let notice =
                Lang::of_request(&req).tf("admin.submission.still_quarantined", &[("problem", &problem.summary())]);
            page(&req, &state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, &notice).await
        }
        Outcome::Replayed { .. } => page(&req, &state, &staff, id, StatusCode::OK, "").await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    reason: String,
}

#[post("/admin/submissions/{id}/discard")]
pub async fn discard(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<DiscardForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let lang = Lang::of_request(&req);
    let id = path.into_inner();
    let reason = form.reason.trim().to_owned();
    if reason.is_empty() {
        return page(
            &req,
            &state,
            &staff,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("admin.submission.reason_needed"),
        )
        .await;
    }
    let staff_id = staff.id;
    let done = db(&state, move |conn| yui_db::submissions::discard(conn, id, staff_id, &reason, yui_db::now())).await?;
    if !done {
        return page(&req, &state, &staff, id, StatusCode::CONFLICT, lang.t("admin.submission.already_done")).await;
    }
    log::info!("submission {id} discarded by staff {staff_id}");
    Ok(see_other("/admin/review?tab=quarantined"))
}
