//! Staff accounts (admins only): who may review, from which organisation. The same as
//! `yui admin` on the command line.

use super::{admin_page, checked_form, field, see_other};
use crate::auth::{password, Permission, Staff};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::routes::db;
use crate::startup::AppState;
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
    let ctx = json!({"page_title": "運営メンバー", "notice": notice, "people": rows, "orgs": orgs, "new_roles": roles(StaffRole::Editor)});
    admin_page(req, state, me, status, "admin/staff", ctx).await
}

#[get("/admin/staff")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::ManageStaff)?;
    list_page(&req, &state, &staff, StatusCode::OK, String::new()).await
}

#[post("/admin/staff")]
pub async fn create(
    req: HttpRequest,
    staff: Staff,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let fields = checked_form(&req, &state, &staff, Permission::ManageStaff, &body)?;
    let email = EmailAddress::parse(field(&fields, "email").unwrap_or(""));
    let name = field(&fields, "name").unwrap_or("").trim().to_owned();
    let role = field(&fields, "role").unwrap_or("").parse::<StaffRole>();
    let org = field(&fields, "org").unwrap_or("").to_owned();
    let (Ok(email), false, Ok(role)) = (email, name.is_empty(), role) else {
        let notice = "メールアドレス・名前・役割を正しく入力してください。".to_owned();
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
            .ok_or_else(|| yui_db::DbError::Invalid("所属団体を選んでください。".into()))?;
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
            let notice = format!(
                "{}（{}）を作成しました。初期パスワードは一度だけ表示します: {generated}",
                user.display_name, user.email
            );
            list_page(&req, &state, &staff, StatusCode::OK, notice).await
        }
        Err(WebError::Db(yui_db::DbError::Invalid(m))) => {
            list_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, m).await
        }
        Err(e) => Err(e),
    }
}

#[post("/admin/staff/{id}")]
pub async fn update(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let fields = checked_form(&req, &state, &staff, Permission::ManageStaff, &body)?;
    let id = path.into_inner();
    if id == staff.id {
        // Nobody locks themselves out: another admin changes an admin.
        let notice = "自分自身の役割や有効・無効は変更できません。".to_owned();
        return list_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, notice).await;
    }
    let role = field(&fields, "role").map(|r| r.parse::<StaffRole>());
    let active = field(&fields, "active").map(|a| a == "1");
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
