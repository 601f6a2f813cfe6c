//! The question labels editors mapped in the browser (from a submission's page), with who set
//! each and the log of changes; deleting a rule puts the label back to the configuration's.

use super::{admin_page, see_other};
use crate::auth::{CanReview, Fields, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_db::editorial_log;
use yui_db::ingest_mappings::{self, EVERY_FORM};
use yui_ingest::mapping::Field;

/// How many log lines the page shows.
const LOG_LINES: i64 = 50;

#[get("/admin/mappings")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let (rules, log) = db(&state, |conn| {
        Ok((ingest_mappings::all(conn)?, editorial_log::recent(conn, editorial_log::INGEST_MAPPING, LOG_LINES)?))
    })
    .await?;
    let field = |code: &str| match code.parse::<Field>() {
        Ok(f) => format!("{} ({code})", lang.pick(f.label_ja(), f.code())),
        Err(_) => code.to_owned(),
    };
    let form = |form_id: &str| match form_id {
        EVERY_FORM => lang.t("admin.mappings.every_form").to_owned(),
        id => id.to_owned(),
    };
    let rules: Vec<_> = rules
        .iter()
        .map(|(rule, by)| {
            json!({
                "id": rule.id,
                "source": rule.source,
                "form": form(&rule.form_id),
                "label": rule.label,
                "field": field(&rule.field),
                "by": by.clone().unwrap_or_default(),
                "at": views::datetime(rule.created_at, lang),
            })
        })
        .collect();
    let log: Vec<_> = log
        .iter()
        .map(|line| {
            let change = match line.action.as_str() {
                "unmap" => lang.tf("admin.mappings.unmapped", &[("from", &field(&line.from_status))]),
                _ if line.from_status.is_empty() => {
                    lang.tf("admin.mappings.mapped", &[("to", &field(&line.to_status))])
                }
                _ => lang.tf(
                    "admin.mappings.remapped",
                    &[("from", &field(&line.from_status)), ("to", &field(&line.to_status))],
                ),
            };
            json!({
                "at": views::datetime(line.created_at, lang),
                "by": line.actor_name.clone().unwrap_or_default(),
                "about": line.note.clone().unwrap_or_default(),
                "change": change,
            })
        })
        .collect();
    let ctx = json!({ "page_title": lang.t("admin.mappings.title"), "rules": rules, "log": log });
    admin_page(&req, &state, &staff, StatusCode::OK, "admin/mappings", ctx).await
}

#[post("/admin/mappings/{id}/delete")]
pub async fn delete(
    path: web::Path<i32>,
    form: StaffForm<Fields, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let staff = form.staff;
    let id = path.into_inner();
    let actor = yui_db::postings::Actor { staff_id: Some(staff.id), organization_id: Some(staff.organization_id) };
    // Deleting one that is already gone ends the same way: the list without it.
    if db(&state, move |conn| ingest_mappings::delete(conn, id, actor, yui_db::now())).await? {
        log::info!("mapping rule {id} deleted by staff {}", staff.id);
    }
    Ok(see_other("/admin/mappings"))
}
