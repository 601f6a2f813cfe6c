//! `GET /data/postings.csv.gz` and `/data/postings.jsonl.gz`: the export's files as they are on
//! disk, as downloads (`application/gzip`, `Content-Disposition: attachment`), not as a CSV with
//! `Content-Encoding: gzip`: a browser or `curl -O` then keeps the very bytes `/data` measures,
//! and nothing along the way unpacks or re-packs them. ETag and Last-Modified come from the
//! file, so a daily mirror asks with `If-None-Match` and gets a 304 until the next export.

use super::*;
use crate::open_data::{file, CSV_FILE, JSONL_FILE};
use crate::state::AppState;
use actix_web::http::header::{self, EntityTag, HttpDate};
use actix_web::HttpResponse;
use std::time::{Duration, UNIX_EPOCH};

pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let name = [CSV_FILE, JSONL_FILE].into_iter().find(|n| *n == name.as_str()).ok_or(WebError::NotFound)?;
    let dir = state.settings.open_data_dir.clone();
    // Not written yet (the first day of a new instance): there is nothing to give.
    let info = file(&dir, name).ok_or(WebError::NotFound)?;
    let secs = u64::try_from(info.modified.and_utc().timestamp()).unwrap_or(0);
    let tag = EntityTag::new_strong(format!("{:x}-{secs:x}", info.bytes));
    let modified = HttpDate::from(UNIX_EPOCH + Duration::from_secs(secs));
    let unchanged = match req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(given) => given.split(',').any(|t| t.trim() == tag.to_string() || t.trim() == "*"),
        None => req
            .headers()
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok()?.parse::<HttpDate>().ok())
            .is_some_and(|since| since >= modified),
    };
    let mut res = if unchanged { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header(header::ETag(tag))
        .insert_header(header::LastModified(modified))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"));
    if unchanged {
        return Ok(res.finish());
    }
    // Read whole: the files are a few megabytes for a town's whole history, and a rename never
    // changes what an open handle reads, so the bytes and the headers agree.
    let path = info.path.clone();
    let bytes = web::block(move || std::fs::read(path))
        .await?
        .map_err(|e| WebError::OpenData(format!("cannot read {}: {e}", info.path.display())))?;
    Ok(res
        .content_type("application/gzip")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(bytes))
}
