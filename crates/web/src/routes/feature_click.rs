//! `GET /go/article/{id}/jobs/{posting}`: a click from a feature article to one of its
//! postings. Answers with a redirect to the posting; the view counter (`page_views.rs`) counts
//! the click for the feature's sponsor on the way, with no cookie and nothing about the visitor.
//!
//! A redirect rather than a `?from=` marker on the posting's address: the posting keeps one
//! address (one cache entry, one canonical URL, nothing extra in shared links), and the click is
//! counted even when the posting's page comes from the cache. It only ever leads to a posting
//! on this site, so it is no open redirect.

use crate::error::WebError;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use yui_domain::PublicId;

#[get("/go/article/{id}/jobs/{posting}")]
pub async fn follow(path: web::Path<(String, String)>) -> Result<HttpResponse, WebError> {
    let (article, posting) = path.into_inner();
    article.parse::<u32>().map_err(|_| WebError::NotFound)?;
    let posting = PublicId::parse(&posting).ok_or(WebError::NotFound)?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/jobs/{posting}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}
