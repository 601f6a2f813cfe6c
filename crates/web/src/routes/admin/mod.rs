//! `/admin`: the staff side. Every handler takes a [`Staff`] (no session: to the login page)
//! and checks its permission on the server before anything else.

pub mod articles;
pub mod campaigns;
pub mod employer_page;
pub mod employers;
pub mod hellowork;
pub mod login;
pub mod mappings;
pub mod orders;
pub mod organizations;
pub mod password_reset;
pub mod review;
pub mod staff;
pub mod staff_entry;
pub mod submissions;
pub mod succession;
pub mod supporters;
pub mod weekly_note;

use crate::auth::{Permission, Staff};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

#[get("/admin")]
pub async fn home(staff: Staff) -> Result<HttpResponse, WebError> {
    let to = if staff.can(Permission::Review) { "/admin/review" } else { "/admin/password" };
    Ok(see_other(to))
}

pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_owned())).finish()
}

/// Renders an admin page: the handler's context plus the signed-in person, what waits in the
/// queue, and the session's CSRF token for the page's forms.
pub async fn admin_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    status: StatusCode,
    template: &str,
    mut ctx: Value,
) -> Result<HttpResponse, WebError> {
    let counts = if staff.can(Permission::Review) { Some(db(state, yui_db::review::counts).await?) } else { None };
    if let Some(map) = ctx.as_object_mut() {
        map.insert("robots".into(), "noindex,nofollow".into());
        map.insert("csrf".into(), staff.csrf_token(&state.settings.secret_key).into());
        map.insert(
            "me".into(),
            json!({
                "name": staff.display_name,
                "role": staff.role.label(Lang::of_request(req).code()),
                "can_review": staff.can(Permission::Review),
                "can_manage_staff": staff.can(Permission::ManageStaff),
            }),
        );
        map.insert("counts".into(), serde_json::to_value(counts).unwrap_or_default());
        map.entry("notice").or_insert_with(|| "".into());
    }
    let lang = Lang::of_request(req);
    let html = crate::templates::render_page(&state.templates, &state.settings.site, req, lang, template, ctx)?;
    let mut res = HttpResponse::build(status);
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(res.content_type("text/html; charset=utf-8").body(html))
}

pub use crate::forms::fields as form_fields;

pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}
