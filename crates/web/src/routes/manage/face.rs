//! `POST /manage/{token}/face…`: the employer proposes their public face (introduction and
//! links, a logo, captioned photos). Nothing shows publicly until an editor approves it
//! (`/admin/employers`).

use super::*;
use yui_domain::employer_face::{self, Face, FaceImage, FacePhoto, MAX_PHOTOS};
use yui_domain::Message;

/// Shows the page again with what went wrong in the face section (422).
async fn refuse(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    token: &str,
    errors: &[FieldError],
) -> Result<HttpResponse, WebError> {
    let Some(loaded) = load(state, token).await? else {
        return link_not_found(req, state);
    };
    let view = View {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        notice_key: "manage.face.not_saved",
        face_errors: errors,
        ..View::default()
    };
    render(req, state, token, &loaded, view)
}

async fn propose(
    state: &web::Data<AppState>,
    employer_id: i32,
    change: impl FnOnce(&mut Face) -> Result<(), FieldError> + Send + 'static,
) -> Result<Result<Face, FieldError>, WebError> {
    db(state, move |conn| yui_db::employer_profiles::propose(conn, employer_id, yui_db::now(), change)).await
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
    let (intro, links) = match employer_face::parse_text(&form.intro, &form.links) {
        Ok(parsed) => parsed,
        Err(errors) => return refuse(&req, &state, &path, &errors).await,
    };
    propose(&state, employer.id, move |face| {
        face.intro = intro;
        face.links = links;
        Ok(())
    })
    .await?
    .map_err(|e| WebError::Invalid(e.message))?;
    log::info!("employer {} proposed a new introduction", employer.id);
    Ok(back_to_page(&req, &path))
}

/// The image of an upload form, through the same pipeline as articles' hero images.
async fn image_of(
    state: &web::Data<AppState>,
    upload: crate::upload::Upload,
) -> Result<Result<(FaceImage, Vec<(String, String)>), FieldError>, WebError> {
    let limit = state.settings.editorial.max_image_bytes;
    let refused = |message| Ok(Err(FieldError { field: "image", message }));
    if upload.too_large {
        return refused(Message::new("field.hero.too_large").with("mb", format!("{:.1}", limit as f64 / 1_048_576.0)));
    }
    if upload.file.is_empty() {
        return refused(Message::new("field.hero.missing"));
    }
    let file = upload.file;
    let prepared = match web::block(move || crate::hero_image::prepare(&file)).await? {
        Ok(p) => p,
        Err(e) => return refused(e.message()),
    };
    let stored = db(state, move |conn| {
        let size = (prepared.width, prepared.height);
        let hash = yui_db::media::store(conn, prepared.content_type(), &prepared.bytes, size, yui_db::now())?;
        Ok(FaceImage { name: format!("{hash}.{}", prepared.ext), width: prepared.width, height: prepared.height })
    })
    .await?;
    Ok(Ok((stored, upload.fields)))
}

async fn read_upload(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    form: actix_multipart::Multipart,
) -> Result<crate::upload::Upload, WebError> {
    let limit = state.settings.editorial.max_image_bytes;
    let upload = crate::upload::read(form, "image", limit, "articles.unreadable_image", Lang::of_request(req)).await?;
    crate::forms::require_csrf(req, &state.settings.secret_key, Some(value_of(&upload.fields, "csrf")))?;
    Ok(upload)
}

#[post("/manage/{token}/face/logo")]
pub async fn logo(
    req: HttpRequest,
    path: web::Path<String>,
    form: actix_multipart::Multipart,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some(Loaded { employer, .. }) = load(&state, &path).await? else {
        return link_not_found(&req, &state);
    };
    let upload = read_upload(&req, &state, form).await?;
    let image = match image_of(&state, upload).await? {
        Ok((image, _)) => image,
        Err(e) => return refuse(&req, &state, &path, &[FieldError { field: "logo", ..e }]).await,
    };
    propose(&state, employer.id, move |face| {
        face.logo = Some(image);
        Ok(())
    })
    .await?
    .map_err(|e| WebError::Invalid(e.message))?;
    log::info!("employer {} proposed a logo", employer.id);
    Ok(back_to_page(&req, &path))
}

#[post("/manage/{token}/face/photo")]
pub async fn photo(
    req: HttpRequest,
    path: web::Path<String>,
    form: actix_multipart::Multipart,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Some(Loaded { employer, .. }) = load(&state, &path).await? else {
        return link_not_found(&req, &state);
    };
    let upload = read_upload(&req, &state, form).await?;
    // The caption is checked first: a photo without one is not kept at all.
    let caption = match employer_face::parse_caption(value_of(&upload.fields, "caption")) {
        Ok(c) => c,
        Err(e) => return refuse(&req, &state, &path, &[e]).await,
    };
    let image = match image_of(&state, upload).await? {
        Ok((image, _)) => image,
        Err(e) => return refuse(&req, &state, &path, &[e]).await,
    };
    let added = propose(&state, employer.id, move |face| {
        if face.photos.len() >= MAX_PHOTOS {
            let message = Message::new("field.face.too_many_photos").with("max", MAX_PHOTOS);
            return Err(FieldError { field: "image", message });
        }
        face.photos.push(FacePhoto { image, caption });
        Ok(())
    })
    .await?;
    if let Err(e) = added {
        return refuse(&req, &state, &path, &[e]).await;
    }
    log::info!("employer {} proposed a photo", employer.id);
    Ok(back_to_page(&req, &path))
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
    let which = form.remove.clone();
    let removed = propose(&state, employer.id, move |face| {
        let gone = FieldError { field: "image", message: Message::new("field.face.already_removed") };
        if which == "logo" {
            face.logo.take().map(|_| ()).ok_or(gone)
        } else {
            match which.parse::<usize>() {
                Ok(i) if i < face.photos.len() => {
                    face.photos.remove(i);
                    Ok(())
                }
                _ => Err(gone),
            }
        }
    })
    .await?;
    if let Err(e) = removed {
        return refuse(&req, &state, &path, &[e]).await;
    }
    Ok(back_to_page(&req, &path))
}
