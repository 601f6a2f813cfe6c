//! `POST /admin/articles/{id}/hero`: the hero image, checked and encoded again before it is kept.

use super::*;
use yui_domain::Message;

/// What an upload form sent: its text fields, and the file (cut at `limit + 1` bytes).
struct Upload {
    fields: Vec<(String, String)>,
    file: Vec<u8>,
    too_large: bool,
}

/// Reads a multipart form. The file is kept up to `limit` bytes; the rest of an oversized one
/// is read and dropped (up to a bound), so the browser gets the page instead of a reset.
async fn read_upload(mut form: actix_multipart::Multipart, limit: usize, lang: Lang) -> Result<Upload, WebError> {
    let unreadable = || WebError::BadRequest(lang.t("articles.unreadable_image").into());
    let mut upload = Upload { fields: Vec::new(), file: Vec::new(), too_large: false };
    let mut seen = 0usize;
    while let Some(item) = form.next().await {
        let mut part = item.map_err(|_| unreadable())?;
        let name = part.name().unwrap_or("").to_owned();
        let is_file = name == "hero";
        let mut text = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| unreadable())?;
            seen = seen.saturating_add(chunk.len());
            if seen > limit.saturating_mul(4).max(1 << 20) {
                return Err(WebError::Refused {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    code: "too_large",
                    message: lang.message(&Message::new("field.hero.too_large_short")),
                });
            }
            if is_file {
                if upload.file.len() + chunk.len() > limit {
                    upload.too_large = true;
                } else {
                    upload.file.extend_from_slice(&chunk);
                }
            } else if text.len() < 4096 {
                text.extend_from_slice(&chunk);
            }
        }
        if !is_file {
            upload.fields.push((name, String::from_utf8_lossy(&text).into_owned()));
        }
    }
    Ok(upload)
}

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
    let upload = read_upload(form, limit, Lang::of_request(&req)).await?;
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
