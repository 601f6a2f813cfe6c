//! `/admin/supporters` (editors and admins): who signed up, their message to the operators,
//! and a way to take a name off the public wall (an offensive name, a mistake) without
//! removing the supporter.

use super::{admin_page, see_other};
use crate::auth::{CanReview, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;

/// Enough for a small town; older ones are still counted on the wall.
const SHOWN: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(set_hidden);
}

#[get("/admin/supporters")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let lang = Lang::of_request(&req);
    let people = db(&state, |conn| yui_db::supporters::confirmed(conn, SHOWN)).await?;
    let rows: Vec<_> = people
        .iter()
        .map(|s| {
            let types: Vec<&str> = s.support_types().iter().map(|t| t.label(lang.code())).collect();
            json!({
                "id": s.id,
                "name": s.display_name.clone().unwrap_or_default(),
                "email": s.email,
                "kind": s.kind.0.label(lang.code()),
                "types": types.join("、"),
                "message": s.message,
                "on_wall": s.on_wall,
                "hidden": s.hidden_at.is_some(),
                "confirmed": s.confirmed_at.map(|t| crate::views::date(t, lang)).unwrap_or_default(),
            })
        })
        .collect();
    admin_page(
        &req,
        &state,
        &staff,
        StatusCode::OK,
        "admin/supporters",
        json!({"page_title": Lang::of_request(&req).t("admin.supporters.page_title"), "people": rows}),
    )
    .await
}

#[derive(Debug, serde::Deserialize)]
pub struct HideForm {
    hidden: Option<String>,
}

#[post("/admin/supporters/{id}")]
pub async fn set_hidden(
    form: StaffForm<HideForm, CanReview>,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let hidden = form.hidden.as_deref() == Some("1");
    let id = id.into_inner();
    let now = yui_db::now();
    let found = db(&state, move |conn| yui_db::supporters::set_hidden(conn, id, hidden, now)).await?;
    if !found {
        return Err(WebError::NotFound);
    }
    log::info!("staff {} {} supporter {id} on the wall", staff.id, if hidden { "hid" } else { "showed" });
    Ok(see_other("/admin/supporters"))
}
