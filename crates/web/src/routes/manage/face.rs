//! `POST /manage/{token}/face…`: the employer proposes their public face (introduction and
//! links, a logo, captioned photos). Nothing shows publicly until an editor approves it
//! (`/admin/employers`).

use super::*;
use crate::face::{image_change, read_upload, text_change, Change};

/// Shows the page again with what went wrong in the face section (422).
async fn refuse(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
    errors: &[FieldError],
) -> Result<HttpResponse, WebError> {
    refuse_typed(req, state, token, errors, None).await
}

/// [`refuse`], keeping the introduction and links as they were typed.
async fn refuse_typed(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
    errors: &[FieldError],
    typed: Option<(&str, &str)>,
) -> Result<HttpResponse, WebError> {
    let Some(loaded) = load(state, token).await? else {
        return link_not_found(req, state);
    };
    let view = View {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        notice_key: "manage.face.not_saved",
        face_errors: errors,
        face_typed: typed,
        ..View::default()
    };
    render(req, state, token, &loaded, view)
}

/// Puts `change` into the employer's proposal: back to their page, or the page again with why not.
async fn propose(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
    employer_id: i32,
    change: Change,
) -> Result<HttpResponse, WebError> {
    let proposed = db(state, move |conn| {
        yui_db::employer_profiles::propose(conn, employer_id, yui_db::now(), |face| change.apply(face))
    })
    .await?;
    match proposed {
        Ok(_) => {
            log::info!("employer {employer_id} proposed a change to their page");
            Ok(back_to_page(req, token))
        }
        Err(e) => refuse(req, state, token, &[e]).await,
    }
}

#[derive(serde::Deserialize)]
pub struct TextForm {
    csrf: Option<String>,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    links: String,
}

#[post("/manage/{token}/face")]
pub async fn text(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<TextForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some(Loaded { employer, .. }) = load(&state, &path).await? else {
        return link_not_found(&req, &state);
    };
    crate::forms::require_csrf(&req, &state.settings.secret_key, form.csrf.as_deref())?;
    match text_change(&form.intro, &form.links) {
        Ok(change) => propose(&req, &state, &path, employer.id, change).await,
        Err(errors) => refuse_typed(&req, &state, &path, &errors, Some((&form.intro, &form.links))).await,
    }
}

async fn upload(
    req: HttpRequest,
    path: web::Path<String>,
    form: actix_multipart::Multipart,
    state: web::Data<AppState>,
    is_photo: bool,
) -> Result<HttpResponse, WebError> {
    let Some(Loaded { employer, .. }) = load(&state, &path).await? else {
        return link_not_found(&req, &state);
    };
    let upload = read_upload(&req, &state, form).await?;
    crate::forms::require_csrf(&req, &state.settings.secret_key, Some(value_of(&upload.fields, "csrf")))?;
    match image_change(&state, upload, is_photo).await? {
        Ok(change) => propose(&req, &state, &path, employer.id, change).await,
        Err(e) => refuse(&req, &state, &path, &[e]).await,
    }
}

#[post("/manage/{token}/face/logo")]
pub async fn logo(
    req: HttpRequest,
    path: web::Path<String>,
    form: actix_multipart::Multipart,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    upload(req, path, form, state, false).await
}

#[post("/manage/{token}/face/photo")]
pub async fn photo(
    req: HttpRequest,
    path: web::Path<String>,
    form: actix_multipart::Multipart,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    upload(req, path, form, state, true).await
}

#[derive(serde::Deserialize)]
pub struct RemoveForm {
    csrf: Option<String>,
    /// `logo`, or the photo's place counted from 0.
    remove: String,
}

#[post("/manage/{token}/face/remove")]
pub async fn remove(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<RemoveForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some(Loaded { employer, .. }) = load(&state, &path).await? else {
        return link_not_found(&req, &state);
    };
    crate::forms::require_csrf(&req, &state.settings.secret_key, form.csrf.as_deref())?;
    propose(&req, &state, &path, employer.id, Change::Remove(form.remove.clone())).await
}
