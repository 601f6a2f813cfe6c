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
    let upload = crate::upload::read(form, "hero", limit, "articles.unreadable_image", Lang::of_request(&req)).await?;
    // A multipart upload: the session's CSRF check, on the token read from its parts.
    staff.require_csrf(&state.settings.secret_key, field(&upload.fields, "csrf"))?;
    let lang = Lang::of_request(&req);
    let version: i32 = field(&upload.fields, "version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let prepared = if upload.too_large {
        Err(Message::new("field.hero.too_large").with("mb", format!("{:.1}", limit as f64 / 1_048_576.0)))
    } else if upload.file.is_empty() {
        Err(Message::new("field.hero.missing"))
    } else {
        let file = upload.file;
        web::block(move || hero_image::prepare(&file)).await?.map_err(|e| e.message())
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(message) => {
            let errors = [FieldError { field: "hero", message }];
            let status =
                if upload.too_large { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
            let shown = Shown { status, notice: lang.t("articles.image_not_saved"), errors: &errors, typed: None };
            return article_page(&req, &state, &staff, Some(id), shown).await;
        }
    };
    let name = format!("{}.{}", hex(&rand::random::<[u8; 16]>()), prepared.ext);
    let dir = state.settings.editorial.media_dir.clone();
    let me = editor(&staff);
    let file_name = name.clone();
    let outcome = db(&state, move |conn| {
        let Some(current) = yui_db::articles::find(conn, id)? else { return Ok(None) };
        if !may_edit_article(current.status, me.role, me.staff_id, current.author_id) {
            return Ok(Some(Err(Refused::MayNotEdit)));
        }
        write_media(&dir, &file_name, &prepared.bytes).map_err(|e| yui_db::DbError::Invalid(format!("media: {e}")))?;
        let saved = yui_db::articles::set_hero_image(conn, id, version, &file_name, me, yui_db::now())?;
        if saved.is_err() {
            let _ = std::fs::remove_file(dir.join(&file_name));
        }
        Ok(Some(saved))
    })
    .await?
    .ok_or(WebError::NotFound)?;
    match outcome {
        Ok(a) => {
            log::info!("article {} hero image {name} by staff {}", a.id, staff.id);
            Ok(see_other(&format!("/admin/articles/{}?done=hero", a.id)))
        }
        Err(r) => {
            let (status, message) = refusal(&r, lang);
            article_page(&req, &state, &staff, Some(id), Shown::with(status, &message)).await
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes under a temporary name and renames, so a reader never sees half a file.
fn write_media(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.part"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(name))
}
