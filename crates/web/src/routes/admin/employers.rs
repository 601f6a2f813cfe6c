//! `/admin/employers` (editors and admins): employers' proposed faces (logo, photos,
//! introduction, links) waiting for a decision. Approved, they replace the public face whole;
//! declined, the employer sees the reason on their private page. Each decision goes to the
//! editorial log.

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
use yui_db::employer_profiles::Decision;
use yui_db::employers::Employer;
use yui_domain::FieldError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(decide)
        .service(staff_page)
        .service(set_text)
        .service(set_logo)
        .service(set_photo)
        .service(remove);
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
fn has_own_email(e: &Employer) -> bool {
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
