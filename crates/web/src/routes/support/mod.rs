//! `/support`: the supporter programme, its sign-up (confirmed by email, like every list Yui
//! keeps), leaving in one click, the public wall `/supporters`, and the banner kit.
//!
//! Supporting buys nothing: no supporter field is read by the review queue, and the
//! transparency page says so.

mod links;
mod public_wall;
mod signup;

use self::{links::*, public_wall::*, signup::*};
use crate::error::WebError;
use crate::handler::{db, db_mail, page};
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Duration;
use serde_json::{json, Map, Value};
use yui_db::supporters::Confirmation;
use yui_domain::{FieldError, SignupForm, SupportType, SupporterKind, SupporterSignup};
use yui_mail::letters::supporters::SupporterConfirm;

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;

const FIELDS: [&str; 4] = ["email", "name", "kind", "message"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(programme)
        .service(sign_up)
        .service(confirm_page)
        .service(confirm)
        .service(leave_page)
        .service(leave)
        .service(wall)
        .service(banners)
        .service(banner_svg);
}
