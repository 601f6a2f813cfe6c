//! `GET /data`: what the open data is and how to get it: the files with their date and size,
//! the data dictionary (from [`crate::open_data::COLUMNS`], so it is the export's own list), the
//! licence, and the APIs.

use super::*;
use crate::i18n::Lang;
use crate::open_data::{file, COLUMNS, CSV_FILE, JSONL_FILE};
use crate::state::AppState;
use actix_web::{get, HttpResponse};
use serde_json::json;

/// A size as people read it: 1.2 MB, 340 KB, 512 B.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1_000_000.0),
        b if b >= 1_000 => format!("{:.0} KB", b as f64 / 1_000.0),
        b => format!("{b} B"),
    }
}

#[get("/data")]
pub async fn data_page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = Lang::of_request(&req);
    let dir = state.settings.open_data_dir.clone();
    let files: Vec<_> = [(CSV_FILE, "CSV"), (JSONL_FILE, "JSON Lines")]
        .into_iter()
        .map(|(name, format)| {
            let info = file(&dir, name);
            json!({
                "name": name,
                "url": format!("/data/{name}"),
                "format": format,
                "written": info.is_some(),
                "date": info.as_ref().map(|f| crate::views::datetime(f.modified, lang)),
                "size": info.as_ref().map(|f| size(f.bytes)),
                "bytes": info.as_ref().map(|f| f.bytes),
            })
        })
        .collect();
    let columns: Vec<_> = COLUMNS
        .iter()
        .map(|c| {
            let meaning = lang.lookup(&format!("data.column.{}", c.name)).unwrap_or_default();
            json!({"name": c.name, "kind": c.kind, "meaning": meaning, "example": c.example})
        })
        .collect();
    let ctx = json!({
        "page_title": lang.t("data.title"),
        "files": files,
        "columns": columns,
        "license": crate::views::license(&state.settings),
    });
    let html = crate::templates::render_page(&state.templates, &state.settings.site, &req, lang, "data/page", ctx)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_column_has_a_meaning_in_both_languages() {
        for lang in [crate::i18n::Lang::Ja, crate::i18n::Lang::En] {
            for c in &crate::open_data::COLUMNS {
                assert!(lang.lookup(&format!("data.column.{}", c.name)).is_some(), "data.column.{} ({lang:?})", c.name);
            }
        }
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(super::size(512), "512 B");
        assert_eq!(super::size(34_000), "34 KB");
        assert_eq!(super::size(1_234_567), "1.2 MB");
    }
}
