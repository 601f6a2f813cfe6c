pub mod admin;
pub mod api;
pub mod articles;
pub mod assets;
pub mod campaigns;
pub mod contact;
pub mod crawl;
pub mod embed;
pub mod employers;
pub mod feature_click;
pub mod feeds;
pub mod follow;
pub mod health;
pub mod hooks;
pub mod ledger;
pub mod manage;
pub mod metrics;
pub mod open_data;
pub mod pages;
pub mod portal;
pub mod posting;
pub mod search;
pub mod sponsor_report;
pub mod submit;
pub mod succession;
pub mod support;
pub mod transparency;

use crate::error::WebError;
use actix_web::HttpResponse;

pub async fn not_found() -> Result<HttpResponse, WebError> {
    Err(WebError::NotFound)
}
