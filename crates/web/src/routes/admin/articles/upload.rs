//! `POST /admin/articles/{id}/hero`: the hero image, checked and encoded again before it is kept.

use super::*;
use yui_domain::Message;

#[post("/admin/articles/{id}/hero")]
pub async fn hero(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
    form: actix_multipart::Multipart,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let id = path.into_inner();
    let limit = state.settings.editorial.max_image_bytes;
    let mut upload =
        crate::upload::read(form, "hero", limit, "articles.unreadable_image", Lang::of_request(&req)).await?;
    // A multipart upload: the session's CSRF check, on the token read from its parts.
    staff.require_csrf(&state.settings.secret_key, field(&upload.fields, "csrf"))?;
    let lang = Lang::of_request(&req);
    let version: i32 = field(&upload.fields, "version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let prepared = match upload.image(limit).await? {
        Ok(p) => p,
        Err(message) => {
            let errors = [FieldError { field: "hero", message }];
            let status =
                if upload.too_large { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
            let shown = Shown { status, notice: lang.t("articles.image_not_saved"), errors: &errors, typed: None };
            return article_page(&req, &state, &staff, Some(id), shown).await;
        }
    };
    let me = editor(&staff);
    let outcome = db(&state, move |conn| {
        let Some(current) = yui_db::articles::find(conn, id)? else { return Ok(None) };
        if !may_edit_article(current.status, me.role, me.staff_id, current.author_id) {
            return Ok(Some(Err(Refused::MayNotEdit)));
        }
        // One transaction: an image for an article that was changed in the meantime is not kept.
        let mut refused = None;
        let saved = yui_db::transaction(conn, |conn| {
            let size = (prepared.width, prepared.height);
            let hash = yui_db::media::store(conn, prepared.content_type(), &prepared.bytes, size, yui_db::now())?;
            let name = format!("{hash}.{}", prepared.ext);
            match yui_db::articles::set_hero_image(conn, id, version, &name, me, yui_db::now())? {
                Ok(a) => Ok(a),
                Err(r) => {
                    refused = Some(r);
                    Err(yui_db::DbError::Conflict("the article"))
                }
            }
        });
        match (saved, refused) {
            (_, Some(r)) => Ok(Some(Err(r))),
            (saved, None) => saved.map(|a| Some(Ok(a))),
        }
    })
    .await?
    .ok_or(WebError::NotFound)?;
    match outcome {
        Ok(a) => {
            log::info!("article {} hero image {} by staff {}", a.id, a.hero_image.as_deref().unwrap_or(""), staff.id);
            Ok(see_other(&format!("/admin/articles/{}?done=hero", a.id)))
        }
        Err(r) => {
            let (status, message) = refusal(&r, lang);
            article_page(&req, &state, &staff, Some(id), Shown::with(status, &message)).await
        }
    }
}

/// `POST /admin/articles/{id}/images`: a photo for the body. Kept like the hero image (resized,
/// its metadata removed, stored once in the database); the page then shows the Markdown line
/// that places it, for the writer to paste where it belongs.
#[post("/admin/articles/{id}/images")]
pub async fn body_image(
    req: HttpRequest,
    path: web::Path<i32>,
    staff: Staff,
    state: web::Data<AppState>,
    form: actix_multipart::Multipart,
) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Write)?;
    let id = path.into_inner();
    let lang = Lang::of_request(&req);
    let limit = state.settings.editorial.max_image_bytes;
    let mut upload = crate::upload::read(form, "image", limit, "articles.unreadable_image", lang).await?;
    staff.require_csrf(&state.settings.secret_key, field(&upload.fields, "csrf"))?;
    // Square brackets would end the Markdown's description early.
    let alt: String = field(&upload.fields, "image_alt")
        .unwrap_or("")
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '[' | ']'))
        .take(200)
        .collect();
    let mut errors = Vec::new();
    if alt.is_empty() {
        errors.push(FieldError { field: "image_alt", message: Message::new("field.article.image_alt.required") });
    }
    let prepared = match upload.image(limit).await? {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => {
            let shown = Shown::failed(StatusCode::UNPROCESSABLE_ENTITY, lang.t("articles.image_not_saved"), &errors);
            return article_page(&req, &state, &staff, Some(id), shown).await;
        }
        Err(message) => {
            errors.push(FieldError { field: "image", message });
            let status =
                if upload.too_large { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
            let shown = Shown::failed(status, lang.t("articles.image_not_saved"), &errors);
            return article_page(&req, &state, &staff, Some(id), shown).await;
        }
    };
    let me = editor(&staff);
    let name = db(&state, move |conn| {
        let Some(current) = yui_db::articles::find(conn, id)? else { return Ok(None) };
        if !may_edit_article(current.status, me.role, me.staff_id, current.author_id) {
            return Ok(Some(Err(Refused::MayNotEdit)));
        }
        let size = (prepared.width, prepared.height);
        let hash = yui_db::media::store(conn, prepared.content_type(), &prepared.bytes, size, yui_db::now())?;
        Ok(Some(Ok(format!("{hash}.{}", prepared.ext))))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    match name {
        Ok(name) => {
            log::info!("article {id} body image {name} by staff {}", staff.id);
            let notice = format!("{} ![{alt}](/media/{name})", lang.t("articles.images.saved"));
            article_page(&req, &state, &staff, Some(id), Shown::with(StatusCode::OK, &notice)).await
        }
        Err(r) => {
            let (status, message) = refusal(&r, lang);
            article_page(&req, &state, &staff, Some(id), Shown::with(status, &message)).await
        }
    }
}
