//! Yui's web application. Handlers are thin: they parse the request into domain types, call
//! `yui_db` inside `web::block`, and render a template. Errors become pages in one place.

pub mod atom;
pub mod auth;
pub mod body_deadline;
pub mod cache;
pub mod client;
pub mod csrf;
pub mod error;
pub mod face;
pub mod forms;
pub mod handler;
pub mod head;
pub mod hellowork;
pub mod hero_image;
#[cfg(test)]
mod house_rules;
pub mod i18n;
pub mod intake;
pub mod jobs_query;
pub mod lifecycle;
pub mod logging;
pub mod mailings;
pub mod markdown;
pub mod metrics;
pub mod open_data;
pub mod page_views;
pub mod paths;
pub mod pool_matches;
pub mod rate_limit;
pub mod reports;
pub mod routes;
pub mod search_model;
pub mod seo;
pub mod settings;
pub mod share;
pub mod startup;
pub mod state;
pub mod statistics;
pub mod templates;
pub mod tokens;
pub mod upload;
pub mod uri_guard;
pub mod views;

pub use settings::{Settings, SettingsError};
pub use startup::{Application, StartError};
pub use state::AppState;
