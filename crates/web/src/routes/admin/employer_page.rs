//! `/admin/employers/{id}`: staff set the public page (logo, photos, introduction, links) of an
//! employer without email of their own, who cannot propose it from a private page. What staff
//! set is public at once and logged; employers with email propose theirs instead.

use super::employers::has_own_email;
use super::{admin_page, see_other};
use crate::auth::{CanReview, Permission, Staff, StaffForm};
use crate::error::WebError;
use crate::face::{image_change, read_upload, text_change, Change};
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::json;
use yui_db::employers::Employer;
use yui_domain::FieldError;

/// The employer `id`, if staff may set their page directly.
async fn without_email(state: &web::Data<AppState>, id: i32) -> Result<Employer, WebError> {
    let employer = db(state, move |conn| yui_db::employers::find(conn, id)).await?.ok_or(WebError::NotFound)?;
    if has_own_email(&employer) {
        // They propose their own from their private page; editors approve it.
        return Err(WebError::Forbidden);
    }
    Ok(employer)
}

/// `GET /admin/employers/{id}`: staff set the page of an employer without email.
#[get("/admin/employers/{id}")]
pub async fn staff_page(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let employer = without_email(&state, path.into_inner()).await?;
    render_staff_page(&req, &state, &staff, &employer, StatusCode::OK, &[], None).await
}

async fn render_staff_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    employer: &Employer,
    status: StatusCode,
    errors: &[FieldError],
    typed: Option<(&str, &str)>,
) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(req);
    let id = employer.id;
    let profile = db(state, move |conn| yui_db::employer_profiles::ensure(conn, id, yui_db::now())).await?;
    let url = format!("/employers/{}", profile.slug);
    let mut messages = serde_json::Map::new();
    for e in errors {
        messages.insert(e.field.into(), lang.message(&e.message).into());
    }
    let face = &profile.published;
    let mut current = crate::face::view(face, &employer.name, &url, lang);
    let links_text = match typed {
        Some((intro, links)) => {
            current["intro"] = intro.into();
            links.to_owned()
        }
        None => face.links.join("\n"),
    };
    let ctx = json!({
        "page_title": employer.name,
        "name": employer.name,
        "lang_query": "",
        "face": {
            "staff": true,
            "pending": false,
            "rejected_reason": null,
            "action": format!("/admin/employers/{id}/page"),
            "current": current,
            "links_text": links_text,
            "public_url": url,
            "errors": messages,
            "can_add_photo": face.photos.len() < yui_domain::employer_face::MAX_PHOTOS,
            "max_photos": yui_domain::employer_face::MAX_PHOTOS,
        },
        "notice": if errors.is_empty() { "" } else { lang.t("manage.face.not_saved") },
    });
    admin_page(req, state, staff, status, "admin/employer", ctx).await
}

async fn set(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    staff: &Staff,
    employer: Employer,
    change: Result<Change, Vec<FieldError>>,
    typed: Option<(&str, &str)>,
) -> Result<HttpResponse, WebError> {
    let change = match change {
        Ok(c) => c,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_staff_page(req, state, staff, &employer, status, &errors, typed).await;
        }
    };
    let (id, actor) = (employer.id, staff.actor());
    let set = db(state, move |conn| {
        yui_db::employer_profiles::set_directly(conn, id, actor, yui_db::now(), |face| change.apply(face))
    })
    .await?;
    match set {
        Ok(_) => {
            log::info!("employer {id} page set by staff {}", staff.id);
            Ok(see_other(&format!("/admin/employers/{id}")))
        }
        Err(e) => render_staff_page(req, state, staff, &employer, StatusCode::UNPROCESSABLE_ENTITY, &[e], None).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct TextForm {
    #[serde(default)]
    intro: String,
    #[serde(default)]
    links: String,
}

#[post("/admin/employers/{id}/page")]
pub async fn set_text(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<TextForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let employer = without_email(&state, path.into_inner()).await?;
    set(&req, &state, &staff, employer, text_change(&form.intro, &form.links), Some((&form.intro, &form.links))).await
}

async fn upload(
    req: HttpRequest,
    id: i32,
    staff: Staff,
    state: web::Data<AppState>,
    form: actix_multipart::Multipart,
    is_photo: bool,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let employer = without_email(&state, id).await?;
    let upload = read_upload(&req, &state, form).await?;
    // A multipart upload: the session's CSRF check, on the token read from its parts.
    staff.require_csrf(&state.settings.secret_key, super::field(&upload.fields, "csrf"))?;
    let change = image_change(&state, upload, is_photo).await?.map_err(|e| vec![e]);
    set(&req, &state, &staff, employer, change, None).await
}

#[post("/admin/employers/{id}/page/logo")]
pub async fn set_logo(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
    form: actix_multipart::Multipart,
) -> Result<HttpResponse, WebError> {
    upload(req, path.into_inner(), staff, state, form, false).await
}

#[post("/admin/employers/{id}/page/photo")]
pub async fn set_photo(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
    form: actix_multipart::Multipart,
) -> Result<HttpResponse, WebError> {
    upload(req, path.into_inner(), staff, state, form, true).await
}

#[derive(Debug, serde::Deserialize)]
pub struct RemoveForm {
    remove: String,
}

#[post("/admin/employers/{id}/page/remove")]
pub async fn remove(
    req: HttpRequest,
    path: web::Path<i32>,
    form: StaffForm<RemoveForm, CanReview>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let StaffForm { staff, form, .. } = form;
    let employer = without_email(&state, path.into_inner()).await?;
    set(&req, &state, &staff, employer, Ok(Change::Remove(form.remove)), None).await
}
