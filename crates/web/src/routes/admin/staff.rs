//! Staff accounts (admins only): who may review, from which organisation. The same as
//! `yui admin` on the command line.

use super::{admin_page, see_other};
use crate::auth::{password, CanManageStaff, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_db::staff::NewStaffUser;
use yui_domain::{EmailAddress, StaffRole};

async fn list_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    me: &Staff,
    status: StatusCode,
    notice: String,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let (people, orgs) = db(state, |conn| Ok((yui_db::staff::list(conn)?, yui_db::organizations::list(conn)?))).await?;
    let roles = |selected: StaffRole| -> Vec<serde_json::Value> {
        StaffRole::ALL
            .iter()
            .map(|r| json!({"code": r.code(), "label": r.label(lang.code()), "selected": *r == selected}))
            .collect()
    };
    let rows: Vec<_> = people
        .iter()
        .map(|(s, org)| {
            json!({
                "id": s.id,
                "name": s.display_name,
                "email": s.email,
                "org": org,
                "role": s.role.label(lang.code()),
                "roles": roles(s.role),
                "active": s.active,
                "is_me": s.id == me.id,
            })
        })
        .collect();
    let orgs: Vec<_> = orgs.iter().map(|o| json!({"slug": o.slug, "name": o.name})).collect();
    let ctx = json!({"page_title": lang.t("admin.staff.page_title"), "notice": notice, "people": rows, "orgs": orgs, "new_roles": roles(StaffRole::Editor)});
    admin_page(req, state, me, status, "admin/staff", ctx).await
}

#[get("/admin/staff")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::ManageStaff)?;
    list_page(&req, &state, &staff, StatusCode::OK, String::new()).await
}

#[derive(Debug, serde::Deserialize)]
pub struct NewStaffForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    org: String,
}

#[post("/admin/staff")]
pub async fn create(
    req: HttpRequest,
    form: StaffForm<NewStaffForm, CanManageStaff>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let lang = Lang::of_request(&req);
    let email = EmailAddress::parse(&form.email);
    let name = form.name.trim().to_owned();
    let role = form.role.parse::<StaffRole>();
    let org = form.org;
    let typed = form.email.trim().to_owned();
    let (Ok(email), false, Ok(role)) = (email, name.is_empty(), role) else {
        let notice = lang.t("admin.staff.error.fields").to_owned();
        return list_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, notice).await;
    };
    let generated = password::generate();
    let hash = web::block({
        let p = generated.clone();
        move || password::hash(&p)
    })
    .await?
    .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let result = db(&state, move |conn| {
        let organization = yui_db::organizations::find_by_slug(conn, &org)?
            .ok_or_else(|| yui_db::DbError::Invalid(lang.t("admin.staff.error.org").into()))?;
        let now = yui_db::now();
        yui_db::staff::create(
            conn,
            &NewStaffUser {
                organization_id: organization.id,
                email: email.as_str(),
                display_name: &name,
                password_hash: &hash,
                role: role.code(),
                active: true,
                created_at: now,
                updated_at: now,
            },
        )
    })
    .await;
    match result {
        Ok(user) => {
            log::info!("staff {} created by staff {}", user.id, staff.id);
            let notice = lang.tf(
                "admin.staff.created",
                &[("name", &user.display_name), ("email", &user.email), ("password", &generated)],
            );
            list_page(&req, &state, &staff, StatusCode::OK, notice).await
        }
        Err(WebError::Db(yui_db::DbError::Exists(_))) => {
            let notice = lang.tf("admin.staff.error.exists", &[("email", &typed)]);
            list_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, notice).await
        }
        Err(WebError::Db(yui_db::DbError::Invalid(m))) => {
            list_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, m).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ChangeStaffForm {
    role: Option<String>,
    active: Option<String>,
}

#[post("/admin/staff/{id}")]
pub async fn update(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<ChangeStaffForm, CanManageStaff>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let id = path.into_inner();
    if id == staff.id {
        // Nobody locks themselves out: another admin changes an admin.
        let notice = Lang::of_request(&req).t("admin.staff.error.self").to_owned();
        return list_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, notice).await;
    }
    let role = form.role.map(|r| r.parse::<StaffRole>());
    let active = form.active.map(|a| a == "1");
    let staff_id = staff.id;
    let found = db(&state, move |conn| {
        if yui_db::staff::find(conn, id)?.is_none() {
            return Ok(false);
        }
        let now = yui_db::now();
        if let Some(Ok(role)) = role {
            yui_db::staff::set_role(conn, id, role, now)?;
        }
        if let Some(active) = active {
            yui_db::staff::set_active(conn, id, active, now)?;
        }
        Ok(true)
    })
    .await?;
    if !found {
        return Err(WebError::NotFound);
    }
    log::info!("staff {id} changed by staff {staff_id}");
    Ok(see_other("/admin/staff"))
}
