//! `/admin/hellowork`: editors upload a Hello Work CSV file; the page shows the report of the
//! run and the latest runs. The file comes as a multipart form (a file input); its CSRF token
//! is read from the parts. The import itself is [`crate::hellowork::import`].

use super::{admin_page, field, see_other};
use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::upload::Upload;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use yui_ingest::hellowork::MAX_BYTES;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(import_file);
}

fn run_view(run: &yui_db::hellowork::ImportRun, lang: Lang) -> Value {
    let rows: Vec<Value> = crate::hellowork::set_aside(run)
        .into_iter()
        .map(|q| {
            json!({
                "line": q.line,
                "number": q.number.unwrap_or_default(),
                "reason": lang.lookup(&format!("hellowork.reason.{}", q.reason)).unwrap_or(&q.reason).to_owned(),
                "detail": q.detail,
            })
        })
        .collect();
    json!({
        "id": run.id,
        "file_name": run.file_name,
        "full_export": run.full_export,
        "at": crate::views::datetime(run.created_at, lang),
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "ended": run.ended,
        "quarantined": run.quarantined,
        "quarantine": rows,
    })
}

async fn show(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    status: StatusCode,
    notice: String,
    shown_run: Option<i32>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let runs = db(state, |conn| yui_db::hellowork::recent_runs(conn, 10)).await?;
    let report = runs.iter().find(|r| Some(r.id) == shown_run).map(|r| run_view(r, lang));
    let ctx = json!({
        "page_title": lang.t("hellowork.page_title"),
        "notice": notice,
        "report": report,
        "runs": runs.iter().map(|r| run_view(r, lang)).collect::<Vec<_>>(),
        "max_mb": MAX_BYTES / 1024 / 1024,
    });
    admin_page(req, state, staff, status, "admin/hellowork", ctx).await
}

#[get("/admin/hellowork")]
pub async fn page(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let run = crate::i18n::query_pairs(req.query_string()).find(|(k, _)| k == "run").and_then(|(_, v)| v.parse().ok());
    show(&req, &state, &staff, StatusCode::OK, String::new(), run).await
}

#[post("/admin/hellowork")]
pub async fn import_file(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    form: actix_multipart::Multipart,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let upload = crate::upload::read(form, "file", MAX_BYTES, "hellowork.error.unreadable", lang).await?;
    staff.require_csrf(&state.settings.secret_key, field(&upload.fields, "csrf"))?;
    let refusal = if upload.too_large {
        Some((
            StatusCode::PAYLOAD_TOO_LARGE,
            lang.tf("hellowork.error.too_large", &[("mb", &(MAX_BYTES / 1024 / 1024))]),
        ))
    } else if upload.file.is_empty() {
        Some((StatusCode::UNPROCESSABLE_ENTITY, lang.t("hellowork.error.no_file").to_owned()))
    } else {
        None
    };
    if let Some((status, notice)) = refusal {
        return show(&req, &state, &staff, status, notice, None).await;
    }
    let full = field(&upload.fields, "full").is_some();
    let (app, actor) = (state.clone(), staff.actor());
    let Upload { file, file_name, .. } = upload;
    let name = if file_name.is_empty() { "upload.csv".to_owned() } else { file_name };
    let outcome =
        db(&state, move |conn| crate::hellowork::import(conn, &app.settings, &file, &name, full, actor)).await?;
    match outcome {
        Ok(run) => {
            log::info!("hellowork import {} by staff {}", run.id, staff.id);
            Ok(see_other(&format!("/admin/hellowork?run={}", run.id)))
        }
        Err(e) => {
            let notice = match &e {
                yui_ingest::hellowork::FileError::NotCsv(detail) if !detail.is_empty() => {
                    format!("{} ({detail})", lang.t("hellowork.error.not_csv"))
                }
                e => lang.lookup(&format!("hellowork.error.{}", e.code())).unwrap_or(e.code()).to_owned(),
            };
            show(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, notice, None).await
        }
    }
}
