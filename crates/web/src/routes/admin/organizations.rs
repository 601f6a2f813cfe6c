//! `/admin/organizations` (admins only): the member organisations that run the site, as
//! `/about` names them. The same rules as `yui org` on the command line. The slug is fixed once
//! created: `yui admin create --org`, scripts and the editorial log name it.

use super::{admin_page, see_other};
use crate::auth::{CanManageStaff, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use yui_db::editorial_log::Subject;
use yui_domain::{FieldError, NewOrganizationDraft, OrgKind, OrganizationDetails, OrganizationForm};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(create).service(edit_form).service(edit);
}

type Errors = BTreeMap<&'static str, String>;

fn errors_in(lang: Lang, errors: &[FieldError]) -> Errors {
    errors.iter().map(|e| (e.field, lang.message(&e.message))).collect()
}

fn kinds(lang: Lang, selected: &str) -> Vec<Value> {
    OrgKind::ALL
        .iter()
        .map(|k| json!({"code": k.code(), "label": k.label(lang.code()), "selected": k.code() == selected}))
        .collect()
}

async fn list_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    status: StatusCode,
    form: OrganizationForm,
    errors: Errors,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let orgs = db(state, yui_db::organizations::list_with_staff_counts).await?;
    let rows: Vec<Value> = orgs
        .iter()
        .map(|(o, staff)| {
            let kind = o.kind.parse::<OrgKind>().map_or(o.kind.as_str(), |k| k.label(lang.code()));
            json!({
                "slug": o.slug,
                "name": o.name,
                "name_en": o.name_en,
                "kind": kind,
                "description": o.description,
                "contact": o.contact,
                "staff": staff,
            })
        })
        .collect();
    let ctx = json!({
        "page_title": lang.t("admin.orgs.page_title"),
        "orgs": rows,
        "kinds": kinds(lang, &form.kind),
        "error_count": errors.len(),
        "errors": errors,
        "form": form,
    });
    admin_page(req, state, staff, status, "admin/organizations", ctx).await
}

#[get("/admin/organizations")]
pub async fn list(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::ManageStaff)?;
    let form = OrganizationForm { kind: OrgKind::Npo.code().into(), ..OrganizationForm::default() };
    list_page(&req, &state, &staff, StatusCode::OK, form, Errors::new()).await
}

#[post("/admin/organizations")]
pub async fn create(
    req: HttpRequest,
    form: StaffForm<OrganizationForm, CanManageStaff>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let lang = Lang::of_request(&req);
    let draft = match NewOrganizationDraft::parse(&form) {
        Ok(draft) => draft,
        Err(errors) => {
            let errors = errors_in(lang, &errors);
            return list_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await;
        }
    };
    let actor = staff.actor();
    let result =
        db(&state, move |conn| yui_db::organizations::create(conn, &draft.slug, &draft.details, actor, yui_db::now()))
            .await;
    match result {
        Ok(org) => {
            log::info!("organisation {} created by staff {}", org.slug, staff.id);
            Ok(see_other("/admin/organizations"))
        }
        Err(WebError::Db(yui_db::DbError::Exists(_))) => {
            let taken = FieldError::new("slug", yui_domain::Message::new("field.org.slug.taken"));
            let errors = errors_in(lang, &[taken]);
            list_page(&req, &state, &staff, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await
        }
        Err(e) => Err(e),
    }
}

async fn edit_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    status: StatusCode,
    slug: String,
    form: Option<OrganizationForm>,
    errors: Errors,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let lookup = slug.clone();
    let (org, log) = db(state, move |conn| {
        let Some(org) = yui_db::organizations::find_by_slug(conn, &lookup)? else {
            return Ok((None, Vec::new()));
        };
        let log = yui_db::editorial_log::lines(conn, Subject::Organization(org.id))?;
        Ok((Some(org), log))
    })
    .await?;
    let org = org.ok_or(WebError::NotFound)?;
    let form = form.unwrap_or_else(|| OrganizationForm {
        slug: org.slug.clone(),
        name: org.name.clone(),
        name_en: org.name_en.clone().unwrap_or_default(),
        kind: org.kind.clone(),
        description: org.description.clone().unwrap_or_default(),
        contact: org.contact.clone().unwrap_or_default(),
    });
    let log: Vec<Value> = log
        .iter()
        .rev()
        .map(|l| {
            json!({
                "at": crate::views::datetime(l.created_at, lang),
                "who": l.actor_name.clone().unwrap_or_else(|| lang.t("admin.orgs.log.command_line").to_owned()),
                "action": if l.action == "create" { lang.t("admin.orgs.log.create") } else { lang.t("admin.orgs.log.edit") },
                "note": l.note,
            })
        })
        .collect();
    let ctx = json!({
        "page_title": lang.tf("admin.orgs.edit.page_title", &[("name", &org.name)]),
        "slug": org.slug,
        "kinds": kinds(lang, &form.kind),
        "error_count": errors.len(),
        "errors": errors,
        "form": form,
        "log": log,
        "notice": if saved(req) { lang.t("admin.orgs.saved") } else { "" },
    });
    admin_page(req, state, staff, status, "admin/organization", ctx).await
}

fn saved(req: &HttpRequest) -> bool {
    crate::i18n::query_pairs(req.query_string()).any(|(k, v)| k == "saved" && v == "1")
}

#[get("/admin/organizations/{slug}")]
pub async fn edit_form(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::ManageStaff)?;
    edit_page(&req, &state, &staff, StatusCode::OK, slug.into_inner(), None, Errors::new()).await
}

#[post("/admin/organizations/{slug}")]
pub async fn edit(
    req: HttpRequest,
    form: StaffForm<OrganizationForm, CanManageStaff>,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let slug = slug.into_inner();
    let lang = Lang::of_request(&req);
    let details = match OrganizationDetails::parse(&form) {
        Ok(details) => details,
        Err(errors) => {
            let errors = errors_in(lang, &errors);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return edit_page(&req, &state, &staff, status, slug, Some(form), errors).await;
        }
    };
    let actor = staff.actor();
    let target = slug.clone();
    let found =
        db(&state, move |conn| yui_db::organizations::edit(conn, &target, &details, actor, yui_db::now())).await?;
    if !found {
        return Err(WebError::NotFound);
    }
    log::info!("organisation {slug} edited by staff {}", staff.id);
    Ok(see_other(&format!("/admin/organizations/{slug}?saved=1")))
}
