use crate::error::WebError;
use crate::templates::Assets;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};

/// CSS and images, embedded in the binary under `templates/static/`.
#[get("/static/{path:.*}")]
pub async fn static_file(path: web::Path<String>) -> Result<HttpResponse, WebError> {
    let path = path.into_inner();
    let file = Assets::get(&format!("static/{path}")).ok_or(WebError::NotFound)?;
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime.essence_str().to_owned()))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(file.data.into_owned()))
}

/// Browsers ask for `/favicon.ico` on their own; the icon is the 結 mark in SVG.
#[get("/favicon.ico")]
pub async fn favicon() -> HttpResponse {
    HttpResponse::MovedPermanently().insert_header((header::LOCATION, "/static/favicon.svg")).finish()
}
