//! Multipart forms with one file (a hero image, a Hello Work export): the text fields, and the
//! file kept up to a limit. The rest of an oversized file is read and dropped, up to a bound,
//! so the browser gets the page saying it was too large instead of a reset connection.

use crate::error::WebError;
use crate::i18n::Lang;
use actix_web::http::StatusCode;
use futures_util::StreamExt;
use yui_domain::Message;

/// What an upload form sent.
pub struct Upload {
    pub fields: Vec<(String, String)>,
    pub file_name: String,
    pub file: Vec<u8>,
    /// The file passed the limit: `file` holds nothing useful.
    pub too_large: bool,
}

impl Upload {
    /// The file as an image to keep (checked, resized, its metadata removed: see `hero_image`),
    /// or why not, as the form says it beside the file field.
    pub async fn image(&mut self, limit: usize) -> Result<Result<crate::hero_image::Prepared, Message>, WebError> {
        if self.too_large {
            let mb = format!("{:.1}", limit as f64 / 1_048_576.0);
            return Ok(Err(Message::new("field.hero.too_large").with("mb", mb)));
        }
        if self.file.is_empty() {
            return Ok(Err(Message::new("field.hero.missing")));
        }
        let file = std::mem::take(&mut self.file);
        Ok(actix_web::web::block(move || crate::hero_image::prepare(&file)).await?.map_err(|e| e.message()))
    }
}

/// Reads `form`, whose file is the part named `file_field`. `unreadable` is the locale key of
/// the message for a body that is not multipart.
pub async fn read(
    mut form: actix_multipart::Multipart,
    file_field: &str,
    limit: usize,
    unreadable: &'static str,
    lang: Lang,
) -> Result<Upload, WebError> {
    let refused = || WebError::BadRequest(lang.t(unreadable).into());
    let mut upload = Upload { fields: Vec::new(), file_name: String::new(), file: Vec::new(), too_large: false };
    let mut seen = 0usize;
    while let Some(item) = form.next().await {
        let mut part = item.map_err(|_| refused())?;
        let name = part.name().unwrap_or("").to_owned();
        let is_file = name == file_field;
        if is_file {
            upload.file_name =
                part.content_disposition().and_then(|d| d.get_filename()).unwrap_or("").chars().take(200).collect();
        }
        let mut text = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| refused())?;
            seen = seen.saturating_add(chunk.len());
            if seen > limit.saturating_mul(4).max(1 << 20) {
                return Err(WebError::Refused {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    code: "too_large",
                    message: lang.message(&Message::new("field.upload.too_large")),
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
