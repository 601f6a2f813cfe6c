//! `/admin/employers` (editors and admins): employers' proposed faces (logo, photos,
//! introduction, links) waiting for a decision. Approved, they replace the public face whole;
//! declined, the employer sees the reason on their private page. Each decision goes to the
//! editorial log.

use super::{admin_page, see_other};
use crate::auth::{CanReview, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_db::employer_profiles::Decision;
use yui_db::employers::Employer;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(decide)
        .service(super::employer_page::staff_page)
        .service(super::employer_page::set_text)
        .service(super::employer_page::set_logo)
        .service(super::employer_page::set_photo)
        .service(super::employer_page::remove);
}

#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

#[get("/admin/employers")]
pub async fn list(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let q = query.into_inner().q;
    let found = db(&state, move |conn| yui_db::employers::search_by_name(conn, &q, 20)).await?;
    let found: Vec<_> = found
        .iter()
        .filter(|e| !has_own_email(e))
        .map(|e| json!({"id": e.id, "name": e.name, "address": e.address}))
        .collect();
    page(&req, &state, &staff, StatusCode::OK, "", Some(found)).await
}

/// An employer who cannot propose their own page: entered by staff without an email, or a
/// Hello Work office's stand-in address. Staff set theirs directly.
pub(super) fn has_own_email(e: &Employer) -> bool {
    yui_domain::is_deliverable(&e.email) && !yui_db::employers::has_no_email(&e.email)
}

async fn page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    status: StatusCode,
    notice: &str,
    found: Option<Vec<serde_json::Value>>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let q = crate::i18n::query_pairs(req.query_string()).find(|(k, _)| k == "q").map(|(_, v)| v).unwrap_or_default();
    let waiting = db(state, yui_db::employer_profiles::pending).await?;
    let rows: Vec<_> = waiting
        .iter()
        .filter_map(|(profile, employer)| {
            let (draft, since) = (profile.pending.as_ref()?, profile.pending_since?);
            let url = format!("/employers/{}", profile.slug);
            Some(json!({
                "id": employer.id,
                "name": employer.name,
                "url": url,
                "since": crate::views::datetime(since, lang),
                // Names the proposal the editor saw: a newer one is not decided unseen.
                "seen": since.and_utc().timestamp_micros(),
                "draft": crate::face::view(draft, &employer.name, &url, lang),
                "published": crate::face::view(&profile.published, &employer.name, &url, lang),
            }))
        })
        .collect();
    let ctx =
        json!({"page_title": lang.t("admin.faces.title"), "faces": rows, "notice": notice, "q": q, "found": found});
    admin_page(req, state, staff, status, "admin/employers", ctx).await
}

#[derive(Debug, serde::Deserialize)]
pub struct DecideForm {
    decision: String,
    seen: i64,
    #[serde(default)]
    reason: String,
}

#[post("/admin/employers/{id}/face")]
pub async fn decide(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<DecideForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let lang = Lang::of_request(&req);
    let employer_id = path.into_inner();
    let seen = chrono::DateTime::from_timestamp_micros(form.seen).ok_or(WebError::NotFound)?.naive_utc();
    let reason = form.reason.trim().to_owned();
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" if reason.is_empty() => {
            return page(
                &req,
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                lang.t("admin.faces.reason_missing"),
                None,
            )
            .await;
        }
        "reject" => false,
        _ => return Err(WebError::BadRequest(lang.t("admin.faces.unknown_decision").into())),
    };
    let actor = staff.actor();
    let decided = db(&state, move |conn| {
        let decision = if approve { Decision::Approve } else { Decision::Reject { reason: &reason } };
        yui_db::employer_profiles::decide(conn, employer_id, seen, decision, actor, yui_db::now())
    })
    .await?;
    if !decided {
        return page(&req, &state, &staff, StatusCode::CONFLICT, lang.t("admin.faces.changed"), None).await;
    }
    log::info!("employer {employer_id} face {} by staff {}", if approve { "approved" } else { "rejected" }, staff.id);
    Ok(see_other("/admin/employers?done=1"))
}
