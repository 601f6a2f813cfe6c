//! Yui's web application. Handlers are thin: they parse the request into domain types, call
//! `yui_db` inside `web::block`, and render a template. Errors become pages in one place.

pub mod auth;
pub mod cache;
pub mod choices;
pub mod csrf;
pub mod editorial_settings;
pub mod error;
pub mod forms;
pub mod hero_image;
pub mod i18n;
pub mod intake;
pub mod lifecycle;
pub mod mailings;
pub mod markdown;
pub mod rate_limit;
pub mod routes;
pub mod seo;
pub mod settings;
pub mod share;
pub mod startup;
pub mod templates;
pub mod tokens;
pub mod views;

pub use settings::{Settings, SettingsError};
pub use startup::{AppState, Application, StartError};
