//! Quarantined submissions: the raw bytes and the reason, how each question maps today, and the
//! two ways out: re-run it (after the mapping was fixed) or discard it with a reason on record.

use super::{admin_page, see_other};
use crate::auth::{CanReview, Fields, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::{db, db_mail};
use crate::i18n::Lang;
use crate::intake::{self, Outcome, SavedRules};
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_ingest::mapping::{Field, Rule};
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
    let settings = state.clone();
    let (sub, posting_id, mapped) = db(state, move |conn| {
        let Some(sub) = yui_db::submissions::find(conn, id)? else { return Ok(None) };
        let posting = yui_db::submissions::posting_public_id(conn, id)?;
        // How each question maps today (configuration and editors' rules): what is missing
        // is then plain to see, and can be mapped here.
        let parsed = Source::from_code(&sub.source)
            .filter(|s| *s != Source::Native)
            .and_then(|s| source::parse(s, &sub.raw_body).ok().map(|a| (s, a)));
        let mapped = match parsed {
            Some((s, answers)) => {
                let mapping = intake::mapping_for(conn, &settings.settings, s, answers.form_id.as_deref())?;
                answers.answers.into_iter().map(|a| (mapping.field_for(&a.label), a)).collect()
            }
            None => Vec::new(),
        };
        Ok(Some((sub, posting, mapped)))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    let questions: Vec<_> = mapped
        .iter()
        .map(|(field, a)| {
            let options: Vec<_> = Field::ALL
                .iter()
                .map(|f| json!({"code": f.code(), "label": f.label_ja(), "selected": Some(*f) == *field}))
                .collect();
            json!({
                "label": a.label,
                "value": a.value,
                "field": field.map_or(lang.t("admin.submission.to_description"), |f| lang.pick(f.label_ja(), f.code())),
                "code": field.map_or("", |f| f.code()),
                "options": options,
            })
        })
        .collect();
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
    rerun(&req, &state, &form.staff, path.into_inner()).await
}

/// Re-runs the submission with today's mapping and shows the outcome: the new posting's review
/// page, or this page with what is still missing.
async fn rerun(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    id: i32,
) -> Result<HttpResponse, WebError> {
    let app = state.clone();
    let outcome = db_mail(state, move |conn| {
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
                Lang::of_request(req).tf("admin.submission.still_quarantined", &[("problem", &problem.summary())]);
            page(req, state, staff, id, StatusCode::UNPROCESSABLE_ENTITY, &notice).await
        }
        Outcome::Replayed { .. } => page(req, state, staff, id, StatusCode::OK, "").await,
    }
}

/// Saves the questions' fields as rules for the submission's source and form (`label` and
/// `field` repeat, one pair per question; an empty field keeps the question as it maps), then
/// shows the page again, or re-runs the submission when `then=replay`.
#[post("/admin/submissions/{id}/mapping")]
pub async fn map(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let lang = Lang::of_request(&req);
    let id = path.into_inner();
    let (mut labels, mut fields, mut then_replay) = (Vec::new(), Vec::new(), false);
    for (name, value) in form {
        match name.as_str() {
            "label" => labels.push(value),
            "field" => fields.push(value),
            "then" => then_replay = value == "replay",
            _ => {}
        }
    }
    if labels.len() != fields.len() {
        return Err(WebError::BadRequest(lang.t("form.unreadable").to_owned()));
    }
    let mut rules = Vec::new();
    for (label, field) in labels.iter().zip(&fields).filter(|(_, f)| !f.is_empty()) {
        match Rule::parse(label, field) {
            Ok(rule) => rules.push(rule),
            Err(message) => {
                let notice = lang.message(&message);
                return page(&req, &state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, &notice).await;
            }
        }
    }
    let app = state.clone();
    let actor = yui_db::postings::Actor { staff_id: Some(staff.id), organization_id: Some(staff.organization_id) };
    let saved = db(&state, move |conn| intake::save_rules(conn, &app.settings, id, &rules, actor)).await?;
    match saved {
        SavedRules::NotFound => Err(WebError::NotFound),
        SavedRules::NoQuestions => {
            let notice = lang.t("admin.mapping.no_questions");
            page(&req, &state, &staff, id, StatusCode::UNPROCESSABLE_ENTITY, notice).await
        }
        SavedRules::Saved(changed) => {
            log::info!("staff {} saved {changed} mapping rule(s) from submission {id}", staff.id);
            if then_replay {
                rerun(&req, &state, &staff, id).await
            } else {
                Ok(see_other(&format!("/admin/submissions/{id}")))
            }
        }
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
